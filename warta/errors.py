"""The errors a command reports in words (never a traceback), and the one place that words them.

Every error the package raises for bad input or a refused target is a
:class:`WartaError`; :func:`report` turns one into the lines a command prints
and its exit status. Problems found in the corpus (each with its id, see
:mod:`warta.problems`) travel in a :class:`BuildError`.

Kept free of heavy imports, so the command line can name them before it loads
the build.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any


class WartaError(Exception):
    """An error whose message already names the file, the cause and the fix."""

    status = 1
    """The exit status of a command that stops with it."""

    def lines(self, command: str) -> list[str]:
        """What ``command`` prints for it, one line each."""
        return [f"{command}: {self}"]


class InputProblem(ValueError):
    """Something wrong in one input file, found while reading it: where, what, and its id.

    The reader's caller reports it as a problem of that file (``code`` is an id of
    :mod:`warta.problems`); it never reaches the command line as an error.
    """

    default_code = "unexpected"

    def __init__(self, where: str, what: str, code: str | None = None) -> None:
        super().__init__(f"{where}: {what}")
        self.where = where
        self.what = what
        self.code = code or self.default_code


class FileError(WartaError):
    """A file given to a command that it cannot use (a missing or undecodable article, a
    draft that is there already): ``path: where: what``, with the fix, as problems read."""

    def __init__(self, path: str | Path, where: str, what: str) -> None:
        super().__init__(f"{path}: {where}: {what}")
        self.path = Path(path)
        self.where = where
        self.what = what

    def lines(self, command: str) -> list[str]:
        return [str(self)]


class RecordError(WartaError):
    """A release record that cannot be read whole; every later release depends on it."""


class AddressError(WartaError):
    """A ``--dask`` scheduler address that is not one."""


class Refused(WartaError):
    """A command that will not do what it was asked, and says why before any work."""

    def lines(self, command: str) -> list[str]:
        return [f"{command}: refused: {self}"]


class OutputRefused(Refused):
    """A command was asked to write where it would destroy what it did not write.

    The message is one line: the path, why it is refused, and what to do instead.
    """

    status = 2

    def __init__(self, path: Path, why: str, fix: str) -> None:
        super().__init__(f"{path}: {why}; {fix}")
        self.path = path


class ReleaseRefused(Refused):
    """A recorded version would not be reproduced byte for byte."""


class WorkerDied(WartaError):
    """A worker process ended abruptly, so some results will never come."""

    def lines(self, command: str) -> list[str]:
        # Builds and releases are staged and swapped in whole; `validate --fix`
        # writes each file as it goes, so only they can say nothing was kept.
        kept = "" if command == "validate" else "; nothing half-written was kept"
        return [f"{command}: {self}{kept}"]


class BuildError(WartaError):
    """The corpus has problems; nothing was written.

    ``unchanged`` is the output folder left as it was, when the command names one.
    """

    def __init__(self, problems: Sequence[Any], unchanged: str | Path | None = None) -> None:
        super().__init__(f"{len(problems)} problem(s) in the corpus")
        self.problems = list(problems)
        self.unchanged = unchanged

    def lines(self, command: str) -> list[str]:
        out = [str(problem) for problem in self.problems]
        if command == "eval":  # reads the corpus only: the problems say it all
            return out
        summary = f"{command}: {len(self.problems)} problem(s); nothing was written"
        if self.unchanged is not None:
            summary += f" ({self.unchanged} is unchanged)"
        return [*out, summary]


def report(exc: WartaError, command: str) -> tuple[list[str], int]:
    """The lines ``command`` prints for ``exc`` (on stderr), and its exit status."""
    return exc.lines(command), exc.status
