"""Sizes the GPU kernels are compiled for (shared and per-thread arrays need them at compile time)."""

MAX_PROBE_CYLINDERS = 32  # SearchParameters.prefilter_minutiae is 10; the kernel keeps one best per probe cylinder
MAX_CODE_WORDS = 16  # (nd + 1) · w words per pooled cylinder: 7 for the default 16×16×6 cylinders
