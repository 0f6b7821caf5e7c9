"""Warta: an annotated corpus of Indonesian news, and the tools that build it.

The Python API (:mod:`warta.api`): ``warta.validate``, ``warta.build`` and
``warta.draft``, each returning a frozen result. They are imported on first
use, so ``import warta`` stays cheap (the command line and the validator start
without ``datasets``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from warta.api import Build, Draft, Validation, build, draft, validate

__version__ = "1.0.0"

__all__ = ["Build", "Draft", "Validation", "__version__", "build", "draft", "validate"]

_API = frozenset(("Build", "Draft", "Validation", "build", "draft", "validate"))


def __getattr__(name: str) -> Any:
    """The API's names, imported from :mod:`warta.api` when first asked for."""
    if name in _API:
        from warta import api

        value = getattr(api, name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'warta' has no attribute {name!r}")
