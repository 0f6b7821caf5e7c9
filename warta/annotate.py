"""Filling the layers that no person annotated, with the automatic annotators.

Layers listed in an article's ``manual`` are kept as given; the others are
produced here and marked ``auto``. Boilerplate comes first because entities
and quotes are only annotated in content; entities come before quotes because
speaker names resolve through them.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from warta import schema
from warta.annotators import boilerplate as boilerplate_annotator
from warta.annotators import quotes as quote_annotator
from warta.ner.model import NerModel
from warta.ner.train import RULE_HINTS, shipped


@dataclass
class Annotators:
    """The automatic annotators; entities come from the model bundle shipped in the package.

    The build, ``draft`` and ``eval`` use the shipped model and never train;
    :meth:`learn` is for cross-validation only (``eval --cv``).
    """

    tagger: NerModel = field(default_factory=shipped)
    enabled: bool = True

    @classmethod
    def learn(cls, docs: Iterable[tuple[str, Sequence[dict], Sequence[dict]]]) -> Annotators:
        """Annotators whose tagger is trained on (text, entities, boilerplate) of articles
        with manual entities, as ``python build.py train`` trains the shipped one."""
        return cls(tagger=NerModel.train(docs, rule_hints=RULE_HINTS))

    @classmethod
    def disabled(cls) -> Annotators:
        """No automatic layers: what nobody annotated is released empty, status ``none``."""
        return cls(tagger=NerModel(weights=b""), enabled=False)

    def fill(
        self, text: str, given: dict[str, list[Any]], manual: Sequence[str]
    ) -> tuple[dict[str, list[Any]], dict[str, str]]:
        """All three layers and their status, keeping the manual ones."""
        layers: dict[str, list[Any]] = {}
        status: dict[str, str] = {}

        def take(layer: str) -> bool:
            if layer in manual:
                layers[layer] = list(given.get(layer, []))
                status[layer] = "manual"
                return True
            if not self.enabled:
                layers[layer] = []
                status[layer] = "none"
                return True
            status[layer] = "auto"
            return False

        if not take("boilerplate"):
            layers["boilerplate"] = _leaving_content(
                boilerplate_annotator.annotate(text), given, manual
            )
        if not take("entities"):
            layers["entities"] = self.tagger.annotate(text, layers["boilerplate"])
        if not take("quotes"):
            layers["quotes"] = quote_annotator.annotate(
                text, layers["boilerplate"], layers["entities"]
            )
        return layers, status


def _manual_content(given: dict[str, list[Any]], manual: Sequence[str]) -> list[tuple[int, int]]:
    """The ranges a person marked as content: manual entities and manual quote parts."""
    ranges = []
    if "entities" in manual:
        ranges += [(e["start"], e["end"]) for e in given.get("entities", [])]
    if "quotes" in manual:
        for quote in given.get("quotes", []):
            for part in schema.QUOTE_PARTS:
                if quote.get(part):
                    ranges.append((quote[part]["start"], quote[part]["end"]))
    return sorted(ranges)


def _leaving_content(
    spans: list[dict[str, Any]], given: dict[str, list[Any]], manual: Sequence[str]
) -> list[dict[str, Any]]:
    """Automatic boilerplate without the spans that cover what a person marked as content.

    Entities and quotes lie in content only; when a person annotated them, the
    person's reading of that stretch wins over the automatic one.
    """
    content = _manual_content(given, manual)
    if not content:
        return spans
    starts = [start for start, _ in content]
    # reach[i]: the furthest end of the first i + 1 ranges (they are sorted by start).
    reach = list(itertools.accumulate((end for _, end in content), max))
    kept = []
    for span in spans:
        before = bisect.bisect_left(starts, span["end"])  # ranges starting before its end
        if before == 0 or reach[before - 1] <= span["start"]:
            kept.append(span)
    return kept
