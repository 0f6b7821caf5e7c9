"""The entity tagger's training recipe and its shipped bundle.

The build, ``draft`` and ``eval`` load the bundle shipped inside the package
(:data:`SHIPPED`, :func:`shipped`) and never train; ``python build.py train``
trains it by :data:`RECIPE` (:mod:`warta.training`), on the manual entity
layers of the given folders.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

from warta.ner import bundle
from warta.ner.model import NerModel
from warta.schema import LAYER
from warta.training import Recipe

SHIPPED = Path(__file__).resolve().parent / "shipped"


# The rule cascade's output is one of the tagger's features (see warta.ner.model._hints).
RULE_HINTS = True


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


RECIPE = Recipe(
    name="entities",
    layer=LAYER.entities,
    shipped=SHIPPED,
    docs=lambda corpus: training_docs(corpus)[0],
    fit=lambda docs, params: NerModel.train(docs, params=params, rule_hints=RULE_HINTS),
    write=bundle.write,
    digest=data_sha256,
)


@cache
def shipped() -> NerModel:
    """The model bundle shipped inside the package (loaded once per process)."""
    return bundle.read(SHIPPED)
