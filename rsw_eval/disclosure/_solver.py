"""SciPy's integer programmes (HiGHS), with nothing of the solver's on standard output.

HiGHS 1.12 (SciPy 1.17) prints a debugging line, ``HighsMipSolverData::
transformNewIntegerFeasibleSolution tmpSolver.run();``, from C++ straight to the process's standard
output whatever its options say (ERGO-Code/HiGHS#2783). ``compare --format csv`` writes the
results table there: 22 such lines opened the output of a 60-authority survey. Every integer
programme of the audit runs through :func:`milp`, which points the process's standard output at
the null device for the call and flushes C's buffers before giving it back.
"""

from __future__ import annotations

import ctypes
import os
import sys

__all__ = ["milp"]

_LIBC = ctypes.CDLL(None) if os.name == "posix" else None


def milp(*args, **kwargs):
    """:func:`scipy.optimize.milp`, its solver's stray prints sent to the null device.

    Examples
    --------
    >>> import numpy as np
    >>> from scipy.optimize import LinearConstraint
    >>> res = milp(np.array([-1.0, -1.0]), integrality=np.ones(2),
    ...            constraints=LinearConstraint(np.array([[2.0, 3.0]]), 0, 7), bounds=(0, 3))
    >>> float(-res.fun)
    3.0
    """
    from scipy.optimize import milp as scipy_milp

    if _LIBC is None:
        return scipy_milp(*args, **kwargs)
    try:
        out = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):  # no real standard output (a notebook, a test)
        out = 1
    sys.stdout.flush()
    kept = os.dup(out)
    null = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(null, out)
        return scipy_milp(*args, **kwargs)
    finally:
        _LIBC.fflush(None)
        os.dup2(kept, out)
        os.close(kept)
        os.close(null)
