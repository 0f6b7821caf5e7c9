"""The package as users install it: a built wheel, outside the repository.

A wheel ships only what ``pyproject.toml`` puts in it; a file the build reads
from the checkout (a card template, evaluation figures, a model) would make an
installed ``warta`` write other bytes than the checkout, or fail.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from .conftest import CORPUS, ROOT


def _digests(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != ".warta-output"
    }


def _run(python: Path | str, args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": "", "PYTHONNOUSERSITE": "1"}
    return subprocess.run(
        [str(python), *args], cwd=cwd, env=env, capture_output=True, text=True, check=False
    )


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A virtual environment with the wheel built from this checkout (dependencies shared)."""
    base = tmp_path_factory.mktemp("wheel")
    wheels = base / "wheels"
    made = _run(
        sys.executable,
        ["-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-w", str(wheels), str(ROOT)],
        cwd=base,
    )
    assert made.returncode == 0, made.stdout + made.stderr
    env_dir = base / "env"
    venv.create(env_dir, system_site_packages=True, with_pip=False)
    python = env_dir / "bin" / "python"
    wheel = next(wheels.glob("warta-*.whl"))
    # pip of the running interpreter installs into the new environment's site-packages.
    site = _run(python, ["-c", "import sysconfig; print(sysconfig.get_path('purelib'))"], base)
    target = site.stdout.strip()
    done = _run(
        sys.executable,
        ["-m", "pip", "install", "--no-deps", "--no-index", "--target", target, str(wheel)],
        cwd=base,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return python


def test_the_installed_package_is_the_wheel_not_the_checkout(
    installed: Path, tmp_path: Path
) -> None:
    where = _run(installed, ["-c", "import warta; print(warta.__file__)"], tmp_path)
    assert where.returncode == 0, where.stderr
    assert not Path(where.stdout.strip()).is_relative_to(ROOT)


def test_the_wheel_builds_and_releases_the_bytes_the_checkout_does(
    installed: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from warta.cli import main

    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    outside, checkout = tmp_path / "outside", tmp_path / "checkout"
    outside.mkdir()
    checkout.mkdir()
    command = ["--corpus", str(corpus), "--jobs", "1", "--no-progress"]
    runs = [[*command, "--out", "dist"], ["release", *command, "--out", "releases"]]
    # The installed package runs both commands in one interpreter of its own; the
    # checkout runs them in this one (its commands are these same calls of main).
    script = f"import sys; from warta.cli import main; sys.exit(max(map(main, {runs!r})))"
    done = _run(installed, ["-c", script], outside)
    assert done.returncode == 0, done.stderr
    monkeypatch.chdir(checkout)
    for run in runs:
        assert main(run) == 0
    assert _digests(outside / "dist") == _digests(checkout / "dist")
    assert _digests(outside / "releases") == _digests(checkout / "releases")
