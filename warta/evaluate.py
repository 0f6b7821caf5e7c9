"""Scoring the automatic annotators against manual annotations.

Each article of the evaluated folder is annotated from its raw text alone, as
the build would annotate an article without an annotation file: boilerplate
first, entities in content, quotes with the automatic entities. Each layer is
scored only on articles where a person annotated it, with the agreement
metrics of :mod:`warta.agreement`. The entity tagger learns from the training
corpus (the project's own manual annotations), never from the evaluated
articles, unless leave-one-out is asked for, where each article is tagged by a
tagger that learned from the training corpus plus every *other* evaluated
article.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from warta.agreement import Report, compare
from warta.annotate import Annotators
from warta.corpus import ArticleFiles, discover, load
from warta.pipeline import BuildError, manual_entity_docs
from warta.schema import LAYERS
from warta.validate import validate


@dataclass
class Evaluation:
    """Per-layer agreement of automatic against manual annotations."""

    reports: dict[str, Report]
    articles: dict[str, int]

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for layer, report in self.reports.items():
            out[layer] = report.to_dict()[layer] | {"articles": self.articles[layer]}
        return out


def _gold(files: Sequence[ArticleFiles]) -> list[ArticleFiles]:
    return [f for f in files if f.txt_file is not None and f.json_file is not None]


def evaluate(
    corpus: Sequence[str | Path],
    train: Sequence[str | Path] = (),
    leave_one_out: bool = False,
) -> Evaluation:
    """Annotate every manually annotated article of ``corpus`` and score each layer."""
    report = validate(list(corpus))
    if not report.ok:
        raise BuildError(report.problems)
    evaluated = _gold(discover(list(corpus)))
    training = [f for f in discover(list(train)) if f.txt_file is not None] if train else []
    base_docs = list(manual_entity_docs(training))
    shared = Annotators.learn(base_docs)
    eval_docs = list(manual_entity_docs(evaluated)) if leave_one_out else []
    pairs: dict[str, list[tuple[str, dict, dict]]] = {layer: [] for layer in LAYERS}
    for files in evaluated:
        article = load(files)
        gold = article.annotation or {}
        annotators = shared
        if leave_one_out:
            others = [d for d in eval_docs if d[0] != article.text]
            annotators = Annotators.learn(base_docs + others)
        predicted, _ = annotators.fill(article.text, {}, ())
        for layer in gold.get("manual", []):
            pairs[layer].append((article.text, gold, predicted))
    reports = {layer: compare(items, layers=(layer,)) for layer, items in pairs.items() if items}
    return Evaluation(reports=reports, articles={k: len(v) for k, v in pairs.items()})
