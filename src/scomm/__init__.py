"""scomm: an open implementation of the Secure Communities biometric interoperability pipeline."""

__version__ = "0.1.0"
