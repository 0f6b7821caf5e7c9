"""The furniture line model's training recipe and its shipped bundle.

The build, ``draft`` and ``eval`` load the bundle shipped in the package
(:data:`SHIPPED`, :func:`shipped`) and never train; ``eval --cv`` trains one
per fold, and ``python build.py train`` trains it by :data:`RECIPE`
(:mod:`warta.training`), on the manual boilerplate layers of the given folders.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

from warta.furniture import bundle
from warta.furniture.model import FurnitureModel
from warta.ner.train import data_sha256
from warta.schema import ANNOTATION, LAYER
from warta.training import Recipe

SHIPPED = Path(__file__).resolve().parent / "shipped"


def boilerplate_docs(corpus: Sequence[Any], with_ids: bool = False) -> list[Any]:
    """(text, boilerplate) of every article whose boilerplate a person annotated, sorted
    by id then path; with ``with_ids``, (id, outlet, text, boilerplate). ``corpus`` is
    folders, or the article files already found in them."""
    from warta.corpus import ArticleFiles, discover
    from warta.validation import check_and_load

    if all(isinstance(p, ArticleFiles) for p in corpus):
        found = [f for f in corpus if f.txt_file and f.json_file]
    else:
        existing = [Path(p) for p in corpus if Path(p).is_dir()]
        found = [f for f in discover(existing) if f.txt_file and f.json_file] if existing else []
    found.sort(key=lambda f: (f.id, str(f.txt_file)))
    out: list[Any] = []
    for files in found:
        article, _problems = check_and_load(files)
        if article is None:
            continue
        doc = article.annotation or {}
        if LAYER.boilerplate not in doc.get(ANNOTATION.manual, []):
            continue
        spans = list(doc.get(LAYER.boilerplate, []))
        if with_ids:
            outlet = (doc.get("metadata") or {}).get("outlet") or article.id.split("_")[0]
            out.append((article.id, str(outlet), article.text, spans))
        else:
            out.append((article.text, spans))
    return out


RECIPE = Recipe(
    name="furniture",
    layer=LAYER.boilerplate,
    shipped=SHIPPED,
    docs=boilerplate_docs,
    fit=lambda docs, params: FurnitureModel.train(docs, params=params),
    write=bundle.write,
    digest=lambda docs: data_sha256([(text, [], spans) for text, spans in docs]),
)


@cache
def shipped() -> FurnitureModel:
    """The bundle shipped inside the package (loaded once per process)."""
    return bundle.read(SHIPPED)
