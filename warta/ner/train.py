"""Training the shipped entity model: ``python build.py train``.

The build, ``draft`` and ``eval`` load the model bundle shipped inside the
package (:data:`SHIPPED`) and never train. This module is the one place that
trains it: on the manual entity layers of the given corpus folders, read in a
fixed order (sorted by article id, then path), so that training again on the
same files with the same library versions writes the same bytes.

The default folders (:func:`default_corpus`) are the project's ``corpus/``
and the folder of development articles named by the ``WARTA_DEV`` environment
variable (they are not in the repository: their texts belong to their
publishers); folders that do not exist are passed over and named.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from warta.ner import bundle
from warta.ner.model import NerModel

SHIPPED = Path(__file__).resolve().parent / "shipped"
DEV_VARIABLE = "WARTA_DEV"


def default_corpus() -> tuple[str, ...]:
    """``corpus`` and, when ``WARTA_DEV`` names it, the development set the shipped model saw."""
    dev = os.environ.get(DEV_VARIABLE)
    return ("corpus", dev) if dev else ("corpus",)


# The rule cascade's output is one of the tagger's features (see warta.ner.model._hints).
RULE_HINTS = True


@dataclass
class Trained:
    folder: Path
    articles: int
    seconds: float
    missing: list[str]
    checksum: str


def training_docs(corpus: Sequence[str | Path]) -> tuple[list[tuple[str, list, list]], list[str]]:
    """(text, entities, boilerplate) of every article with a manual entity layer, in a
    fixed order, and the folders that do not exist."""
    from warta.corpus import discover
    from warta.pipeline import manual_entity_docs

    existing = [Path(p) for p in corpus if Path(p).is_dir()]
    missing = [str(p) for p in corpus if not Path(p).is_dir()]
    found = [f for f in discover(existing) if f.txt_file is not None] if existing else []
    found.sort(key=lambda f: (f.id, str(f.txt_file)))
    return [(t, list(e), list(b)) for t, e, b in manual_entity_docs(found)], missing


def data_sha256(docs: Sequence[tuple[str, Sequence[Any], Sequence[Any]]]) -> str:
    """A fingerprint of the training material: texts, entities and boilerplate, in order."""
    h = hashlib.sha256()
    for text, ents, boil in docs:
        spans = [[int(e["start"]), int(e["end"]), e["label"]] for e in ents]
        bp = [[int(b["start"]), int(b["end"])] for b in boil]
        h.update(json.dumps([text, spans, bp], ensure_ascii=False).encode("utf-8"))
        h.update(b"\0")
    return h.hexdigest()


def fit_and_write(
    what: str,
    corpus: Sequence[str | Path],
    docs: Sequence[Any],
    fit: Callable[[], Any],
    write: Callable[..., Path],
    out: str | Path,
    data_digest: str,
    missing: list[str],
) -> Trained:
    """Fit a model on ``docs`` and write its bundle with what it was trained on; the one
    training sequence of every shipped model. ``what`` names the manual layer learned."""
    if not docs:
        raise ValueError(f"no article with a manual {what} layer in " + ", ".join(map(str, corpus)))
    t0 = time.perf_counter()
    model = fit()
    seconds = time.perf_counter() - t0
    folder = write(model, out, training={"articles": len(docs), "data_sha256": data_digest})
    return Trained(folder, len(docs), seconds, missing, bundle.checksum(folder))


def train(
    corpus: Sequence[str | Path] | None = None,
    out: str | Path = SHIPPED,
    params: dict[str, Any] | None = None,
) -> Trained:
    """Train the entity model on ``corpus``'s manual entity layers and write its bundle."""
    corpus = default_corpus() if corpus is None else corpus
    docs, missing = training_docs(corpus)
    return fit_and_write(
        "entity",
        corpus,
        docs,
        lambda: NerModel.train(docs, params=params, rule_hints=RULE_HINTS),
        bundle.write,
        out,
        data_sha256(docs),
        missing,
    )


@cache
def shipped() -> NerModel:
    """The model bundle shipped inside the package (loaded once per process)."""
    return bundle.read(SHIPPED)
