"""scomm: an open implementation of the Secure Communities biometric interoperability pipeline."""

import os

__version__ = "0.1.0"

# numba's parallel kernels run on GNU OpenMP, whose idle threads spin. When the cores are shared (the
# pipeline's workers extracting probes while this process searches, or another job on the machine), a
# spinning thread holds the core its partner needs: a 1:N search took 4x longer (0.34 s against 0.08 s
# with passive waiting, same load). Waking a sleeping thread costs only microseconds per parallel call.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
