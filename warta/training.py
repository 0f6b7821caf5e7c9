"""Training the shipped models: ``python build.py train``.

The build, ``draft`` and ``eval`` load the model bundles shipped inside the
package and never train. This module is the one place that trains them, each
by its :class:`Recipe` (the entity tagger's in :mod:`warta.ner.train`, the
furniture line model's in :mod:`warta.furniture.train`): on the manual layers
of the given corpus folders, read in a fixed order (article id, then path), so
that training again on the same files with the same library versions writes
the same bytes.

The default folders (:func:`default_corpus`) are the project's ``corpus/``
and the folder of development articles named by the ``WARTA_DEV`` environment
variable (they are not in the repository: their texts belong to their
publishers); folders that do not exist are passed over and named.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DEV_VARIABLE = "WARTA_DEV"


def default_corpus() -> tuple[str, ...]:
    """``corpus`` and, when ``WARTA_DEV`` names it, the development set the shipped models saw."""
    dev = os.environ.get(DEV_VARIABLE)
    return ("corpus", dev) if dev else ("corpus",)


@dataclass(frozen=True)
class Recipe:
    """How one shipped model is trained."""

    name: str  # what ``train`` calls it in its report
    layer: str  # the manual layer it learns from
    shipped: Path  # its bundle folder inside the package
    docs: Callable[[Sequence[str | Path]], list[Any]]  # training material, in a fixed order
    fit: Callable[[list[Any], dict[str, Any] | None], Any]  # material, parameters -> model
    write: Callable[..., Path]  # (model, folder, training=...) -> the bundle folder
    digest: Callable[[list[Any]], str]  # a fingerprint of the material


@dataclass
class Trained:
    folder: Path
    articles: int
    seconds: float
    missing: list[str]
    checksum: str


def train(
    recipe: Recipe,
    corpus: Sequence[str | Path] | None = None,
    out: str | Path | None = None,
    params: dict[str, Any] | None = None,
) -> Trained:
    """Train ``recipe``'s model on ``corpus`` (default :func:`default_corpus`) and write its
    bundle into ``out`` (default: the one shipped in the package), recording what it was
    trained on."""
    from warta.ner.bundle import checksum

    corpus = default_corpus() if corpus is None else corpus
    missing = [str(p) for p in corpus if not Path(p).is_dir()]
    docs = recipe.docs(corpus)
    if not docs:
        raise ValueError(
            f"no article with a manual {recipe.layer} layer in " + ", ".join(map(str, corpus))
        )
    t0 = time.perf_counter()
    model = recipe.fit(docs, params)
    seconds = time.perf_counter() - t0
    training = {"articles": len(docs), "data_sha256": recipe.digest(docs)}
    folder = recipe.write(model, recipe.shipped if out is None else out, training=training)
    return Trained(folder, len(docs), seconds, missing, checksum(folder))
