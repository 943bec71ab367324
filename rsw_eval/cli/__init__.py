"""The ``rsw-eval`` command line: parses arguments and calls the library, nothing more.

Owns: :func:`main` (every command), the ``validate`` loaders' dispatch (``_load``) and the
``screen`` command (``_screen``). Heavy modules are imported inside the command that needs them,
so ``rsw-eval --help`` stays fast.

May import: every other stage; nothing imports it.

Examples
--------
>>> from rsw_eval.cli import main
>>> import contextlib, io
>>> with contextlib.redirect_stdout(io.StringIO()) as out, contextlib.suppress(SystemExit):
...     main(["--version"])
>>> out.getvalue().startswith("rsw-eval ")
True
"""

from rsw_eval.cli._main import main

__all__ = ["main"]
