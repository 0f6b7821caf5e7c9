"""Every error a command reports is worded in one place (warta.errors.report)."""

from __future__ import annotations

from pathlib import Path

from warta.errors import (
    AddressError,
    BuildError,
    FileError,
    OutputRefused,
    ReleaseRefused,
    WartaError,
    WorkerDied,
    report,
)
from warta.problems import Problem

PROBLEM = Problem("c/a.json", "/entities/0", "empty span [3, 3); remove it", "span-empty")


def test_every_error_is_a_warta_error() -> None:
    for kind in (AddressError, BuildError, FileError, OutputRefused, ReleaseRefused, WorkerDied):
        assert issubclass(kind, WartaError)


def test_a_refused_target_stops_with_status_2_before_any_work() -> None:
    exc = OutputRefused(Path("corpus"), "is the corpus", "choose another --out")
    assert report(exc, "build") == (
        ["build: refused: corpus: is the corpus; choose another --out"],
        2,
    )
    assert report(ReleaseRefused("version 0.1.0 is older"), "release") == (
        ["release: refused: version 0.1.0 is older"],
        1,
    )


def test_problems_are_listed_then_summed_up_with_what_was_kept() -> None:
    lines, status = report(BuildError([PROBLEM], unchanged="dist"), "build")
    assert status == 1
    assert lines == [str(PROBLEM), "build: 1 problem(s); nothing was written (dist is unchanged)"]
    assert report(BuildError([PROBLEM]), "eval") == ([str(PROBLEM)], 1)


def test_a_dead_worker_says_nothing_was_kept_where_nothing_was_written() -> None:
    exc = WorkerDied("a worker process died (killed by signal 9); try fewer --jobs")
    assert report(exc, "build")[0][0].endswith("; nothing half-written was kept")
    assert not report(exc, "validate")[0][0].endswith("kept")


def test_a_file_a_command_cannot_use_reads_as_a_problem_does() -> None:
    exc = FileError(Path("c/a.txt"), "byte 3 (line 1)", "not valid UTF-8; re-save it as UTF-8")
    assert report(exc, "draft") == (
        ["c/a.txt: byte 3 (line 1): not valid UTF-8; re-save it as UTF-8"],
        1,
    )
