"""A CRF entity tagger over BIO tags (python-crfsuite).

Training material is (text, entities, boilerplate) per article, as
:func:`warta.pipeline.manual_entity_docs` yields it. An article is cut into
sequences at line breaks and around boilerplate: no token inside a
boilerplate span is tagged, so no predicted entity lies in boilerplate.
"""

from __future__ import annotations

import bisect
import os
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import pycrfsuite

from warta.doc import Doc, outside
from warta.ner.features import document_features
from warta.ner.repair import repaired
from warta.schema import ENTITY
from warta.tokens import Token

LABELS = tuple(ENTITY)
DEFAULT_PARAMS: dict[str, Any] = {
    "algorithm": "lbfgs",
    "c1": 0.05,
    "c2": 0.01,
    "max_iterations": 200,
    "feature.possible_transitions": True,
}

TrainingDoc = tuple[str, Sequence[Mapping[str, Any]], Sequence[Mapping[str, Any]]]


MAX_SEQUENCE = 400  # tokens; crfsuite's tagging time grows faster than linearly beyond


def sequences(text: str, tokens: Sequence[Token], keep: Sequence[bool]) -> list[list[int]]:
    """Token indices cut at line breaks, at tokens not kept and every ``MAX_SEQUENCE``."""
    out: list[list[int]] = []
    current: list[int] = []
    prev_end = 0
    for i, t in enumerate(tokens):
        if current and (
            not keep[i] or len(current) >= MAX_SEQUENCE or "\n" in text[prev_end : t.start]
        ):
            out.append(current)
            current = []
        if keep[i]:
            current.append(i)
        prev_end = t.end
    if current:
        out.append(current)
    return out


REACH = 2  # tokens of context kept on each side of a candidate token


def candidates(tokens: Sequence[Token]) -> list[bool]:
    """Tokens that may lie in an entity or next to one: the regions the CRF tags.

    Names in news are written with a capital (or a digit inside a name); a token
    further than ``REACH`` tokens from any capitalised token is left out (tag O).
    Tagging only these regions keeps the tagger fast on long lowercase prose.
    """
    n = len(tokens)
    out = [False] * n
    last = -(REACH + 1)
    for i, t in enumerate(tokens):
        if t.text != t.text.lower():  # it has a capital letter
            lo = max(0, max(last + REACH + 1, i - REACH))
            for k in range(lo, min(n, i + REACH + 1)):
                out[k] = True
            last = i
    return out


def bio(tokens: Sequence[Token], entities: Sequence[Mapping[str, Any]]) -> list[str]:
    """BIO tags: a token inside an entity span is B- at its start, I- after it."""
    tags = ["O"] * len(tokens)
    starts = [t.start for t in tokens]
    for e in entities:
        label = e["label"]
        first = bisect.bisect_left(starts, int(e["start"]))
        begun = False
        for i in range(first, len(tokens)):
            t = tokens[i]
            if t.start >= e["end"]:
                break
            if t.end <= e["end"]:
                tags[i] = f"{'I' if begun else 'B'}-{label}"
                begun = True
    return tags


def spans_from_tags(
    text: str, tokens: Sequence[Token], index: Sequence[int], tags: Sequence[str]
) -> list[dict[str, Any]]:
    """Entity spans of one tagged sequence; an I- without its B- starts a span."""
    out: list[dict[str, Any]] = []
    current: list[Any] | None = None  # [start, end, label]
    for i, tag in zip(index, tags, strict=True):
        t = tokens[i]
        if tag == "O":
            current = None
            continue
        kind, label = tag.split("-", 1)
        if kind == "I" and current is not None and current[2] == label:
            current[1] = t.end
            continue
        current = [t.start, t.end, label]
        out.append(current)  # type: ignore[arg-type]
    spans = []
    for start, end, label in out:
        piece = text[start:end]
        stripped = piece.strip()
        if not stripped:
            continue
        start += len(piece) - len(piece.lstrip())
        end = start + len(stripped)
        spans.append({"start": start, "end": end, "label": label, "text": text[start:end]})
    return spans


@dataclass
class NerModel:
    """A trained CRF: its crfsuite weights and the training parameters."""

    weights: bytes
    params: dict[str, Any] = field(default_factory=lambda: dict(DEFAULT_PARAMS))
    rule_hints: bool = False
    _tagger: pycrfsuite.Tagger | None = field(default=None, repr=False, compare=False)

    def __getstate__(self) -> dict[str, Any]:
        return {
            "weights": self.weights,
            "params": self.params,
            "rule_hints": self.rule_hints,
            "_tagger": None,
        }

    @classmethod
    def train(
        cls,
        docs: Iterable[TrainingDoc],
        params: Mapping[str, Any] | None = None,
        rule_hints: bool = False,
    ) -> NerModel:
        """Train on articles' manual entity layers, in the order given (training is
        deterministic for the same data order and parameters)."""
        settings = dict(DEFAULT_PARAMS) | dict(params or {})
        trainer = pycrfsuite.Trainer(verbose=False)
        trainer.select(settings["algorithm"])  # select() resets the parameters: set them after
        trainer.set_params({k: v for k, v in settings.items() if k != "algorithm"})
        n = 0
        for text, entities, boilerplate in docs:
            for xseq, yseq in training_sequences(text, entities, boilerplate, rule_hints):
                trainer.append(xseq, yseq)
                n += 1
        if n == 0:
            return cls(weights=b"", params=settings, rule_hints=rule_hints)
        fd, path = tempfile.mkstemp(suffix=".crfsuite")
        os.close(fd)
        try:
            trainer.train(path)
            with open(path, "rb") as f:
                weights = f.read()
        finally:
            os.unlink(path)
        return cls(weights=weights, params=settings, rule_hints=rule_hints)

    def tagger(self) -> pycrfsuite.Tagger | None:
        if self._tagger is None and self.weights:
            tagger = pycrfsuite.Tagger()
            tagger.open_inmemory(self.weights)
            self._tagger = tagger
        return self._tagger

    def labels(self) -> list[str]:
        tagger = self.tagger()
        return sorted(tagger.labels()) if tagger is not None else []

    def annotate(
        self, text: str, boilerplate: Sequence[Mapping[str, Any]] = ()
    ) -> list[dict[str, Any]]:
        """Entity spans of ``text``: none inside boilerplate, none overlapping, sorted."""
        tagger = self.tagger()
        if tagger is None or not text:
            return []
        doc = Doc(text, boilerplate)
        tokens = doc.tokens
        if not tokens:
            return []
        cand = candidates(tokens)
        keep = [k and c for k, c in zip(doc.content, cand, strict=True)]
        hints = _hints(doc, self.rule_hints)
        feats = document_features(tokens, text, hints, keep, doc.sentence_starts)
        out: list[dict[str, Any]] = []
        for index in sequences(text, tokens, keep):
            tags = tagger.tag([feats[i] for i in index])
            out.extend(spans_from_tags(text, tokens, index, tags))
        return _in_content(repaired(text, out), doc.boilerplate)


class _Extent(NamedTuple):
    start: int
    end: int


def _in_content(
    spans: list[dict[str, Any]], boilerplate: Sequence[Mapping[str, Any]]
) -> list[dict[str, Any]]:
    """The spans that lie wholly outside the boilerplate: a repair that joins a name
    across a bracket may reach into a span the furniture layer marked."""
    keep = outside([_Extent(s["start"], s["end"]) for s in spans], boilerplate)
    return [span for span, kept in zip(spans, keep, strict=True) if kept]


def _hints(doc: Doc, on: bool) -> list[str] | None:
    """BIO tags of the rule cascade's entities, if asked for."""
    if not on:
        return None
    from warta.annotators.entities import annotate

    spans = annotate(doc.text, list(doc.boilerplate), with_strength=True, doc=doc)
    tokens = doc.tokens
    tags = bio(tokens, spans)
    weak = bio(tokens, [s for s in spans if not s["strong"]])
    return [f"{t}~" if w != "O" else t for t, w in zip(tags, weak, strict=True)]


def training_sequences(
    text: str,
    entities: Sequence[Mapping[str, Any]],
    boilerplate: Sequence[Mapping[str, Any]],
    rule_hints: bool = False,
) -> list[tuple[list[list[str]], list[str]]]:
    doc = Doc(text, boilerplate)
    tokens = doc.tokens
    if not tokens:
        return []
    tags = bio(tokens, entities)
    # The regions tagging would see, and every token of a manual entity besides.
    cand = candidates(tokens)
    keep = [k and (c or tag != "O") for k, c, tag in zip(doc.content, cand, tags, strict=True)]
    hints = _hints(doc, rule_hints)
    feats = document_features(tokens, text, hints, keep, doc.sentence_starts)
    return [
        ([feats[i] for i in index], [tags[i] for i in index])
        for index in sequences(text, tokens, keep)
    ]
