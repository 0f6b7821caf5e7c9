"""Training the shipped furniture model: ``python build.py train`` (with the entity model).

The build, ``draft`` and ``eval`` load the bundle shipped in the package
(:data:`SHIPPED`) and never train; ``eval --cv`` trains one per fold. Training
reads the manual boilerplate layers of the given folders in a fixed order
(article id, then path), so that training again on the same files with the
same library versions writes the same bytes. The default folders are those of
the entity model (:func:`warta.ner.train.default_corpus`).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

from warta.furniture import bundle
from warta.furniture.model import FurnitureModel
from warta.ner.train import Trained, data_sha256, default_corpus, fit_and_write
from warta.schema import ANNOTATION, LAYER

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


def train(
    corpus: Sequence[str | Path] | None = None,
    out: str | Path = SHIPPED,
    params: dict[str, Any] | None = None,
) -> Trained:
    """Train the furniture model on ``corpus``'s manual boilerplate and write its bundle."""
    corpus = default_corpus() if corpus is None else corpus
    missing = [str(p) for p in corpus if not Path(p).is_dir()]
    docs = boilerplate_docs(corpus)
    return fit_and_write(
        LAYER.boilerplate,
        corpus,
        docs,
        lambda: FurnitureModel.train(docs, params=params),
        bundle.write,
        out,
        data_sha256([(t, [], b) for t, b in docs]),
        missing,
    )


@cache
def shipped() -> FurnitureModel:
    """The bundle shipped inside the package (loaded once per process)."""
    return bundle.read(SHIPPED)
