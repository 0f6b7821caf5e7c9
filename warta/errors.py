"""Errors the command line turns into one-line messages (never a traceback).

Kept free of heavy imports, so the command line can name them before it loads
the build.
"""

from __future__ import annotations


class WartaError(Exception):
    """An error whose message already names the file, the cause and the fix."""


class RecordError(WartaError):
    """A release record that cannot be read whole; every later release depends on it."""


class AddressError(WartaError):
    """A ``--dask`` scheduler address that is not one."""
