"""Shared fixtures: an offline Hugging Face environment and copies of the corpus."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

# Nothing in the tests may reach the network; set before `datasets` is imported.
os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["HF_DATASETS_OFFLINE"] = "1"
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
# Keep `datasets` caches out of the user's home.
os.environ["HF_HOME"] = tempfile.mkdtemp(prefix="warta-hf-")

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"


@pytest.fixture
def corpus_copy(tmp_path: Path) -> Path:
    """A writable copy of the project's corpus."""
    target = tmp_path / "corpus"
    shutil.copytree(CORPUS, target)
    return target


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The corpus built once into a dataset folder, for tests that only read it."""
    from warta.pipeline import build

    out = tmp_path_factory.mktemp("build") / "dist"
    build([CORPUS], out, jobs=1)
    return out
