"""Scoring the automatic annotators against manual annotations.

Each article of the evaluated folder is annotated from its raw text alone, as
the build would annotate an article without an annotation file: boilerplate
first, entities in content, quotes with the automatic entities. Each layer is
scored only on articles where a person annotated it, with the agreement
metrics of :mod:`warta.agreement`. Without cross-validation the models
shipped in the package (entities, furniture lines) are scored as the build
uses them, and nothing is trained (on articles they were trained on, that is a
training figure). With cross-validation each fold's models are trained as
``python build.py train`` trains them, on the training corpus plus the
evaluated articles of the *other* folds, never on the one being scored.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from warta.agreement import Report, compare
from warta.annotate import Annotators
from warta.corpus import ArticleFiles, discover, load
from warta.furniture.evidence import of_texts as repeated_lines
from warta.furniture.train import boilerplate_docs
from warta.pipeline import BuildError, manual_entity_docs
from warta.schema import ANNOTATION, LAYER, LAYERS
from warta.validation import validate


@dataclass
class Evaluation:
    """Per-layer agreement of automatic against manual annotations."""

    reports: dict[str, Report]
    articles: dict[str, int]
    folds: int = 0  # cross-validation folds; 0 when nothing evaluated was learned from
    # Per layer, (article id, (text, manual, automatic)) of every scored article.
    scored: dict[str, list[tuple[str, tuple[str, dict, dict]]]] = field(
        default_factory=dict, repr=False
    )

    def restricted(self, keep: Callable[[str], bool]) -> Evaluation:
        """The same scores pooled over the articles whose id ``keep`` accepts only (the
        articles no rule was written against, say)."""
        scored = {
            layer: [(aid, item) for aid, item in items if keep(aid)]
            for layer, items in self.scored.items()
        }
        return _pooled(scored, self.folds)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for layer, report in self.reports.items():
            out[layer] = report.to_dict()[layer] | {"articles": self.articles[layer]}
        return out


def _gold(files: Sequence[ArticleFiles]) -> list[ArticleFiles]:
    return [f for f in files if f.txt_file is not None and f.json_file is not None]


def _outlet(files: ArticleFiles, annotation: dict[str, Any], text: str) -> str:
    """The outlet an article came from: its annotation file's metadata, else its dateline."""
    from warta.metadata import outlet

    given = (annotation.get("metadata") or {}).get("outlet")
    return str(given or outlet(text) or "unknown")


CV = ("article", "outlet")


def evaluate(
    corpus: Sequence[str | Path],
    train: Sequence[str | Path] = (),
    leave_one_out: bool = False,
    cv: str | None = None,
) -> Evaluation:
    """Annotate every manually annotated article of ``corpus`` and score each layer.

    With ``cv="outlet"`` (leave-one-outlet-out), each article is annotated by
    annotators that learned from the training corpus plus the evaluated
    articles of every *other* outlet, so the figure says how they do on an
    outlet they have never seen; ``cv="article"`` (or ``leave_one_out``) holds
    out the article alone. Scores are pooled over the folds.
    """
    if cv is not None and cv not in CV:
        raise ValueError(f"cv must be one of {', '.join(CV)}")
    cv = cv or ("article" if leave_one_out else None)
    report = validate(list(corpus))
    if not report.ok:
        raise BuildError(report.errors)
    evaluated = _gold(discover(list(corpus)))
    training = [f for f in discover(list(train)) if f.txt_file is not None] if train else []
    base_docs = list(manual_entity_docs(training)) if cv else []
    articles = [load(files) for files in evaluated]
    fold_of = {
        a.id: (a.id if cv == "article" else _outlet(a.files, a.annotation or {}, a.text))
        for a in articles
    }
    eval_docs = {a.id: doc for a in articles for doc in manual_entity_docs([a.files])} if cv else {}
    # The furniture model learns from manual boilerplate layers, folded the same way.
    base_furniture = boilerplate_docs(training) if cv else []
    eval_furniture = {
        a.id: (a.text, list((a.annotation or {}).get(LAYER.boilerplate, [])))
        for a in articles
        if cv and LAYER.boilerplate in (a.annotation or {}).get(ANNOTATION.manual, [])
    }
    # Furniture evidence comes from the evaluated corpus itself, as the build's comes
    # from the corpus it builds (nothing of it is learned from manual layers).
    evidence = repeated_lines(a.text for a in articles)
    learned: dict[str, Annotators] = {}
    shared = Annotators(evidence=evidence) if cv is None else None  # shipped: nothing trained
    scored: dict[str, list[tuple[str, tuple[str, dict, dict]]]] = {layer: [] for layer in LAYERS}
    for article in articles:
        gold = article.annotation or {}
        if shared is not None:
            annotators = shared
        else:
            fold = fold_of[article.id]
            if fold not in learned:
                others = [d for aid, d in eval_docs.items() if fold_of[aid] != fold]
                rest = [d for aid, d in eval_furniture.items() if fold_of[aid] != fold]
                learned[fold] = replace(
                    Annotators.learn(base_docs + others, base_furniture + rest), evidence=evidence
                )
            annotators = learned[fold]
        predicted, _ = annotators.fill(article.text, {}, ())
        for layer in gold.get(ANNOTATION.manual, []):
            scored[layer].append((article.id, (article.text, gold, predicted)))
    return _pooled(scored, len(set(fold_of.values())) if cv else 0)


def _pooled(scored: dict[str, list[tuple[str, tuple[str, dict, dict]]]], folds: int) -> Evaluation:
    reports = {
        layer: compare([item for _, item in items], layers=(layer,))
        for layer, items in scored.items()
        if items
    }
    return Evaluation(reports, {k: len(v) for k, v in scored.items()}, folds, scored)
