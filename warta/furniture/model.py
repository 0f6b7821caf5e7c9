"""The furniture CRF: per-line labels (six categories or content) over an article's lines.

Training material is (text, boilerplate spans) of articles whose boilerplate a
person annotated. At tagging time the rules run first; the model then adds
whole lines the rules left untouched when its marginal probability of a
category is at least :data:`THRESHOLD`. It never removes or moves a rule span,
so what the rules get right stays right.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pycrfsuite

from warta.annotators import boilerplate as rules
from warta.furniture import evidence as evidence_of
from warta.furniture import features
from warta.furniture.features import CONTENT

DEFAULT_PARAMS: dict[str, Any] = {
    "algorithm": "lbfgs",
    "c1": 0.0,
    "c2": 1.0,
    "max_iterations": 150,
    "feature.possible_transitions": True,
}
# The least marginal probability of a category for a line the rules left as
# content to become furniture: high, because precision must stay >= 0.99.
THRESHOLD = 0.5

Doc = tuple[str, Sequence[Mapping[str, Any]]]
Span = dict[str, Any]


def _items(feats: Sequence[dict[str, float]]) -> pycrfsuite.ItemSequence:
    return pycrfsuite.ItemSequence(feats)


@dataclass
class FurnitureModel:
    """CRF weights (bytes as crfsuite writes them) and the parameters they were trained with.

    Empty weights mean no model: :meth:`annotate` gives the rules' spans alone.
    """

    weights: bytes = b""
    params: dict[str, Any] = field(default_factory=lambda: dict(DEFAULT_PARAMS))
    threshold: float = THRESHOLD
    _tagger: Any = field(default=None, init=False, repr=False, compare=False)

    @classmethod
    def train(cls, docs: Iterable[Doc], params: dict[str, Any] | None = None) -> FurnitureModel:
        """Train on (text, manual boilerplate) of each article, in the order given."""
        params = {**DEFAULT_PARAMS, **(params or {})}
        trainer = pycrfsuite.Trainer(verbose=False)
        trainer.select(params["algorithm"], "crf1d")  # first: selecting resets the parameters
        trainer.set_params({k: v for k, v in params.items() if k != "algorithm"})
        seen = False
        for text, gold in docs:
            found = rules.annotate(text)
            units = features.lines(text, found)
            if not units:
                continue
            labels = features.gold_labels(text, units, gold)
            for blind in (False, True):
                feats = features.article_features(text, units, found, blind=blind)
                trainer.append(_items(feats), labels)
            seen = True
        if not seen:
            return cls(weights=b"", params=params)
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "model.crfsuite")
            trainer.train(path)
            with open(path, "rb") as fh:
                weights = fh.read()
        return cls(weights=weights, params=params)

    def _tagger_or_none(self) -> Any:
        if not self.weights:
            return None
        if self._tagger is None:
            # crfsuite opens models from files only; the bytes go through a temporary file.
            with tempfile.TemporaryDirectory() as tmp:
                path = os.path.join(tmp, "model.crfsuite")
                with open(path, "wb") as fh:
                    fh.write(self.weights)
                tagger = pycrfsuite.Tagger()
                tagger.open(path)
            self._tagger = tagger
        return self._tagger

    def labels(self) -> list[str]:
        """The labels the CRF knows, sorted."""
        tagger = self._tagger_or_none()
        return sorted(tagger.labels()) if tagger is not None else []

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state["_tagger"] = None  # a crfsuite tagger cannot be pickled (forked workers)
        return state

    def line_labels(
        self, text: str, units: Sequence[features.Line], rule_spans: Sequence[Mapping[str, Any]]
    ) -> list[tuple[str, float, str]]:
        """Per line, the Viterbi label and its marginal probability (1.0 for content:
        only a furniture label's probability is ever compared with the threshold), and
        the furniture label with the highest marginal (what a line is if it is furniture)."""
        tagger = self._tagger_or_none()
        if tagger is None or not units:
            return [(CONTENT, 1.0, "")] * len(units)
        tagger.set(_items(features.article_features(text, units, rule_spans)))
        path = tagger.tag()
        furniture = [lab for lab in tagger.labels() if lab != CONTENT]
        out = []
        for i, lab in enumerate(path):
            best = max(furniture, key=lambda f: tagger.marginal(f, i)) if furniture else ""
            out.append((lab, 1.0 if lab == CONTENT else tagger.marginal(lab, i), best))
        return out

    def added(
        self,
        text: str,
        rule_spans: Sequence[Mapping[str, Any]],
        evidence: frozenset[int] = frozenset(),
        outlet: str | None = None,
    ) -> list[Span]:
        """Lines the model marks as furniture where the rules marked nothing: those it is
        confident of, and whole lines the corpus evidence marks (:mod:`evidence`), with
        the furniture label the model finds likeliest for them."""
        units = features.lines(text, rule_spans)
        covered = features.coverage(units, rule_spans, text)
        if evidence and outlet is None:
            outlet = evidence_of.outlet_of(text)
        out = []
        for u, c, (lab, p, best) in zip(
            units, covered, self.line_labels(text, units, rule_spans), strict=True
        ):
            if c:
                continue
            if lab != CONTENT and p >= self.threshold:
                out.append({"start": u.start, "end": u.end, "label": lab})
            elif (
                best
                and u.part == "whole"
                and evidence_of.repeats(text, u.start, u.end, outlet or "", evidence)
            ):
                out.append({"start": u.start, "end": u.end, "label": best})
        return out

    def annotate(
        self, text: str, evidence: frozenset[int] = frozenset(), outlet: str | None = None
    ) -> list[Span]:
        """The rules' spans plus the model's lines, merged where one run continues;
        ``outlet`` is the article's when ``text`` is a part of it."""
        found = rules.annotate(text)
        extra = self.added(text, found, evidence, outlet)
        if not extra:
            return found
        return merge(text, [*found, *extra])


def merge(text: str, spans: Sequence[Mapping[str, Any]]) -> list[Span]:
    """Sort non-overlapping spans and join same-label neighbours split only by whitespace
    (one run of one category is one span, spec refinement 4)."""
    out: list[Span] = []
    for span in sorted(spans, key=lambda s: int(s["start"])):
        s, e, lab = int(span["start"]), int(span["end"]), str(span["label"])
        if out and out[-1]["label"] == lab and not text[out[-1]["end"] : s].strip():
            out[-1]["end"] = e
        else:
            out.append({"start": s, "end": e, "label": lab})
    for span in out:
        span["text"] = text[span["start"] : span["end"]]
    return out
