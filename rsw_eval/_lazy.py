"""Names a package exports but imports on first use (PEP 562), so that importing the package
(the loaders, the screen, ``--help``) does not load SciPy or statsmodels with it.

May import: nothing of rsw_eval.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any

__all__ = ["lazy"]


def lazy(
    namespace: dict[str, Any], names: Mapping[str, str], modules: Mapping[str, str] | None = None
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """The module ``__getattr__`` and ``__dir__`` of a package with lazy exports.

    Parameters
    ----------
    namespace : dict
        The package's ``globals()``; a name, once imported, is stored there (later look-ups do not
        come back here).
    names : mapping
        Exported name -> the module that defines it.
    modules : mapping, optional
        Exported name -> a module exported as that name.

    Examples
    --------
    >>> ns = {"__name__": "pkg", "__all__": ["sqrt"]}
    >>> getattr_, dir_ = lazy(ns, {"sqrt": "math"}, {"j": "json"})
    >>> getattr_("sqrt")(4.0), getattr_("j").__name__, "sqrt" in ns, dir_()[-1]
    (2.0, 'json', True, 'sqrt')
    >>> getattr_("nope")
    Traceback (most recent call last):
    ...
    AttributeError: module 'pkg' has no attribute 'nope'
    """
    modules = modules or {}

    def __getattr__(name: str) -> Any:
        if name in modules:
            value = importlib.import_module(modules[name])
        elif name in names:
            value = getattr(importlib.import_module(names[name]), name)
        else:
            raise AttributeError(f"module {namespace['__name__']!r} has no attribute {name!r}")
        namespace[name] = value
        return value

    def __dir__() -> list[str]:
        return sorted({*namespace, *namespace.get("__all__", ())})

    return __getattr__, __dir__
