"""The audit's integer programmes print nothing on standard output (HiGHS 1.12's stray
``HighsMipSolverData::transformNewIntegerFeasibleSolution`` line opened ``compare --format csv``)."""

from __future__ import annotations

import subprocess
import sys

SCRIPT = """
import ctypes, sys
import scipy.optimize
from rsw_eval.disclosure import _solver
libc = ctypes.CDLL(None)
def loud(*args, **kwargs):  # a solver that prints from C, as HiGHS does
    libc.printf(b"HighsMipSolverData::transformNewIntegerFeasibleSolution tmpSolver.run();\\n")
    return "solved"
scipy.optimize.milp = loud
print("before")
print(_solver.milp())
print("after")
"""


def test_a_solver_printing_from_c_leaves_standard_output_as_written():
    out = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, check=True)
    assert out.stdout.splitlines() == ["before", "solved", "after"]


def test_without_the_wrapper_the_line_would_be_there():
    loud = SCRIPT.replace("print(_solver.milp())", "print(scipy.optimize.milp())")
    out = subprocess.run([sys.executable, "-c", loud], capture_output=True, text=True, check=True)
    assert any(line.startswith("HighsMipSolverData") for line in out.stdout.splitlines())
