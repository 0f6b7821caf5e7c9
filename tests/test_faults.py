"""A build killed from outside: no worker outlives it, and the previous output stays whole."""

from __future__ import annotations

import contextlib
import hashlib
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from bench.adversarial import realistic
from bench.build_bench import write_articles
from warta.cli import main
from warta.pipeline import build as build_in_process

from .conftest import ROOT

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux signals")


def tree_digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def build_command(corpus: Path, out: Path) -> list[str]:
    args = ["--corpus", str(corpus), "--out", str(out), "--jobs", "2", "--no-progress"]
    return [sys.executable, str(ROOT / "build.py"), *args]


def staged(out: Path) -> list[Path]:
    return [p for p in out.parent.iterdir() if p.name.startswith(f".{out.name}.")]


def start_and_wait_for_writing(
    command: list[str], out: Path
) -> tuple[subprocess.Popen, list[psutil.Process]]:
    """Start a build and return once it is writing its staging folder with busy workers."""
    build = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        children = psutil.Process(build.pid).children(recursive=True)
        if len(children) >= 2 and staged(out):
            time.sleep(0.3)  # let the workers take up work
            return build, psutil.Process(build.pid).children(recursive=True)
        if build.poll() is not None:
            break
        time.sleep(0.02)
    build.kill()
    pytest.fail("the build never started writing with its workers")


def gone(processes: list[psutil.Process], within: float = 20.0) -> bool:
    """Whether the processes ended by themselves; any still running are killed here."""
    _, alive = psutil.wait_procs(processes, timeout=within)
    running = []
    for process in alive:
        with contextlib.suppress(psutil.NoSuchProcess):
            if process.status() != psutil.STATUS_ZOMBIE:
                running.append(process)
                process.kill()
    return not running


@pytest.fixture(scope="module")
def made_once(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A corpus and an earlier build of part of it, made once for the tests that copy them.

    The earlier build runs in this process (the command is what is killed, not this);
    800 articles keep a build with two workers writing for seconds on a fast machine.
    """
    folder = tmp_path_factory.mktemp("faults")
    corpus = folder / "corpus"
    write_articles(corpus, range(4), None)
    build_in_process([corpus], folder / "dist", jobs=2)
    write_articles(corpus, range(4, 800), None)  # enough work to be killed in the middle
    return folder


@pytest.fixture
def previous_output(made_once: Path, tmp_path: Path) -> tuple[Path, Path, dict[str, str]]:
    """A corpus, an earlier build of part of it, and that build's bytes (this test's copies)."""
    corpus, out = tmp_path / "corpus", tmp_path / "dist"
    shutil.copytree(made_once / "corpus", corpus)
    shutil.copytree(made_once / "dist", out)
    return corpus, out, tree_digest(out)


def test_a_killed_build_leaves_no_worker_and_the_previous_output(
    previous_output: tuple[Path, Path, dict[str, str]],
) -> None:
    corpus, out, before = previous_output
    build, workers = start_and_wait_for_writing(build_command(corpus, out), out)
    build.send_signal(signal.SIGKILL)
    build.wait(timeout=30)
    assert gone(workers), "workers outlived their parent"
    assert tree_digest(out) == before
    # The killed run's staging folder is removed by the next run of the command.
    assert staged(out), "a killed run leaves its staging folder (the next run removes it)"
    for path in corpus.glob("syn*"):  # keep the next build short
        if int(path.stem[3:]) >= 6:
            path.unlink()
    build_in_process([corpus], out, jobs=2)
    assert not staged(out)


def test_a_build_killed_while_its_workers_annotate_a_long_article_leaves_no_worker(
    previous_output: tuple[Path, Path, dict[str, str]],
) -> None:
    """The workers of a long article's pieces (see warta.records) die with the build too."""
    corpus, out, before = previous_output
    text, _ = realistic(1_000_000)  # ten pieces, the first articles the build reaches
    (corpus / "long.txt").write_bytes(text.encode("utf-8"))
    build, workers = start_and_wait_for_writing(build_command(corpus, out), out)
    build.send_signal(signal.SIGKILL)
    build.wait(timeout=30)
    assert gone(workers), "workers outlived their parent"
    assert tree_digest(out) == before


def test_a_terminated_build_cleans_up_and_keeps_the_previous_output(
    previous_output: tuple[Path, Path, dict[str, str]],
) -> None:
    corpus, out, before = previous_output
    build, workers = start_and_wait_for_writing(build_command(corpus, out), out)
    build.send_signal(signal.SIGTERM)
    _, err = build.communicate(timeout=60)
    assert build.returncode == 128 + signal.SIGTERM
    assert b"terminated; nothing half-written was kept" in err and b"Traceback" not in err
    assert gone(workers)
    assert tree_digest(out) == before
    assert not staged(out)


def test_two_builds_racing_for_one_folder_both_finish_whole(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    write_articles(corpus, range(30), None)
    out = tmp_path / "dist"
    runs = [subprocess.Popen(build_command(corpus, out), stderr=subprocess.PIPE) for _ in range(2)]
    for run in runs:
        _, err = run.communicate(timeout=300)
        assert run.returncode == 0, err
    assert not staged(out)
    alone = tmp_path / "alone"
    build_in_process([corpus], alone, jobs=2)
    assert tree_digest(out) == tree_digest(alone)


def test_a_scheduler_address_that_is_none_is_refused_before_any_work(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    corpus = tmp_path / "corpus"
    write_articles(corpus, range(2), None)
    args = build_command(corpus, tmp_path / "dist")[2:]  # the command's own arguments
    assert main([*args, "--dask", "scheduler-without-port"]) == 1
    err = capsys.readouterr().err
    assert "is not a scheduler address" in err
    assert "checking the corpus" not in err and "Traceback" not in err
