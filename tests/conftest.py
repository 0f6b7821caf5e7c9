"""Shared fixtures: an offline Hugging Face environment, written corpora, the corpus built.

Tests that expect fixed counts or text use ``written_corpus`` (articles the
tests write, see fixtures.py); tests of the project's own ``corpus/`` check
only what holds for any valid corpus.
"""

from __future__ import annotations

import os
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
def written_corpus(tmp_path: Path) -> Path:
    """A writable corpus of three articles the tests write: fully, partly and not annotated."""
    from .fixtures import write_corpus

    return write_corpus(tmp_path / "corpus")


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The corpus built once into a dataset folder, for tests that only read it."""
    from warta.pipeline import build

    out = tmp_path_factory.mktemp("build") / "dist"
    build([CORPUS], out, jobs=1)
    return out


@pytest.fixture(scope="session")
def built_rows(built: Path) -> dict[str, tuple[list, list[dict]]]:
    """Every config of the built corpus as users load it (``datasets.load_dataset`` on the
    folder), loaded once: each split's features, and the rows of all splits with their
    labels as names."""
    import datasets

    from warta.views import CONFIGS, json_values

    out = {}
    for name in CONFIGS:
        ds = datasets.load_dataset(str(built), name)
        rows = [json_values(row, split.features) for split in ds.values() for row in split]
        out[name] = ([split.features for split in ds.values()], rows)
    return out


def mixed_corpus(folder: Path) -> Path:
    """The project corpus plus synthetic articles: fully manual, partly manual, raw."""
    import shutil

    from bench.build_bench import write_articles
    from warta.schema import LAYER, LAYERS

    shutil.copytree(CORPUS, folder)
    write_articles(folder, range(0, 3), LAYERS)
    write_articles(folder, range(3, 5), (LAYER.entities,))
    write_articles(folder, range(5, 8), None)
    return folder


@pytest.fixture(scope="session")
def mixed_built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, dict]:
    """The mixed corpus, with one long article (built in pieces, see warta.records), and its
    build by one local process, made once for the tests that compare other ways of building
    it (more jobs, Dask) with it: corpus, folder, stats."""
    from bench.adversarial import realistic
    from warta.pipeline import build

    root = tmp_path_factory.mktemp("mixed")
    corpus = mixed_corpus(root / "corpus")
    text, _ = realistic(120_000)
    (corpus / "long.txt").write_bytes(text.encode("utf-8"))
    one = build([corpus], root / "one", jobs=1)
    return corpus, root / "one", one.stats.to_dict()
