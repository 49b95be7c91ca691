"""Thin routes: each declares its caller dependency, reads within scope, audits, answers."""
