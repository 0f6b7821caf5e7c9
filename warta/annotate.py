"""Filling the layers that no person annotated, with the automatic annotators.

Layers listed in an article's ``manual`` are kept as given; the others are
produced here and marked ``auto``. Boilerplate comes first because entities
and quotes are only annotated in content; entities come before quotes because
speaker names resolve through them.

A text longer than ``PART`` characters (no news article is near it; a page
dump or a runaway scrape can be megabytes) is annotated in parts of at most
that many, cut at a blank line where there is one, else at a line break, else
at a space: some of the annotators' work looks across the whole text (a
speaker's fullest name, the sentence around a run of punctuation), and in
parts of bounded size it is linear in the text, in time and in memory.

The build goes further with such a text: it works on it in pieces (see
:func:`pieces`), each annotated in its parts and turned into rows in a worker
process of its own, so one long article keeps every core busy.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from warta import schema
from warta.annotators import quotes as quote_annotator
from warta.furniture.evidence import outlet_of
from warta.furniture.model import FurnitureModel
from warta.furniture.train import shipped as shipped_furniture
from warta.ner.model import NerModel
from warta.ner.train import RULE_HINTS, shipped
from warta.schema import LAYER, STATUS

# The longest text annotated in one piece (see the module's docstring).
PART = 100_000


@dataclass
class Annotators:
    """The automatic annotators; entities and the furniture line model come from the
    model bundles shipped in the package.

    The build, ``draft`` and ``eval`` use the shipped models and never train;
    :meth:`learn` is for cross-validation only (``eval --cv``).
    """

    tagger: NerModel = field(default_factory=shipped)
    enabled: bool = True
    furniture: FurnitureModel = field(default_factory=shipped_furniture)
    # Lines the corpus being built repeats across an outlet's articles
    # (warta.furniture.evidence): furniture evidence for the automatic boilerplate.
    evidence: frozenset[int] = frozenset()

    @classmethod
    def learn(
        cls,
        docs: Iterable[tuple[str, Sequence[dict], Sequence[dict]]],
        furniture: Iterable[tuple[str, Sequence[dict]]] | None = None,
    ) -> Annotators:
        """Annotators whose tagger is trained on (text, entities, boilerplate) of articles
        with manual entities and, when ``furniture`` gives (text, boilerplate) of articles
        with manual boilerplate, whose furniture model is trained on those, as
        ``python build.py train`` trains the shipped ones."""
        tagger = NerModel.train(docs, rule_hints=RULE_HINTS)
        if furniture is None:
            return cls(tagger=tagger)
        return cls(tagger=tagger, furniture=FurnitureModel.train(furniture))

    @classmethod
    def disabled(cls) -> Annotators:
        """No automatic layers: what nobody annotated is released empty, status ``none``."""
        return cls(tagger=NerModel(weights=b""), enabled=False, furniture=FurnitureModel())

    def fill(
        self,
        text: str,
        given: dict[str, list[Any]],
        manual: Sequence[str],
        outlet: str | None = None,
    ) -> tuple[dict[str, list[Any]], dict[str, str]]:
        """All three layers and their status, keeping the manual ones; ``outlet`` is the
        article's when ``text`` is a piece of it (for the furniture evidence)."""
        layers: dict[str, list[Any]] = {}
        status: dict[str, str] = {}

        def take(layer: str) -> bool:
            if layer in manual:
                layers[layer] = list(given.get(layer, []))
                status[layer] = STATUS.manual
                return True
            if not self.enabled:
                layers[layer] = []
                status[layer] = STATUS.none
                return True
            status[layer] = STATUS.auto
            return False

        parts = _parts(text)
        if not take(LAYER.boilerplate):
            if self.evidence and outlet is None:
                outlet = outlet_of(text)
            found = _by_part(
                text, parts, lambda part, _k: self.furniture.annotate(part, self.evidence, outlet)
            )
            layers[LAYER.boilerplate] = _leaving_content(found, given, manual)
        if not take(LAYER.entities):
            masks = _per_part(layers[LAYER.boilerplate], parts, clip=True)
            layers[LAYER.entities] = _by_part(
                text, parts, lambda part, k: self.tagger.annotate(part, masks(k))
            )
        if not take(LAYER.quotes):
            masks = _per_part(layers[LAYER.boilerplate], parts, clip=True)
            names = _per_part(layers[LAYER.entities], parts, clip=False)
            layers[LAYER.quotes] = _by_part(
                text, parts, lambda part, k: quote_annotator.annotate(part, masks(k), names(k))
            )
        return layers, status


def _manual_content(given: dict[str, list[Any]], manual: Sequence[str]) -> list[tuple[int, int]]:
    """The ranges a person marked as content: manual entities and manual quote parts."""
    ranges = []
    if LAYER.entities in manual:
        ranges += [(e["start"], e["end"]) for e in given.get(LAYER.entities, [])]
    if LAYER.quotes in manual:
        for quote in given.get(LAYER.quotes, []):
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


def _parts(text: str, limit: int | None = None) -> list[tuple[int, int]]:
    """Where ``text`` is cut into parts of at most ``limit`` characters: after the
    last blank line of a part's second half, else its last line break, else its
    last space, else at ``limit``. One part for any text up to ``limit``."""
    limit = limit or PART
    parts = []
    start, n = 0, len(text)
    while n - start > limit:
        stop, half = start + limit, start + limit // 2
        cut = text.rfind("\n\n", half, stop) + 2
        if cut < half + 2:
            cut = text.rfind("\n", half, stop) + 1
        if cut < half + 1:
            cut = text.rfind(" ", half, stop) + 1
        if cut < half + 1:
            cut = stop
        parts.append((start, cut))
        start = cut
    parts.append((start, n))
    return parts


def pieces(text: str, given: dict[str, list[Any]], manual: Sequence[str]) -> list[tuple[int, int]]:
    """Where the build cuts ``text`` to work on it in several processes: at those cuts
    of its parts (:func:`_parts`) that fall at the start of a line and inside no
    manual span or quote. One piece for a text of one part.

    A piece holds whole parts, so it is annotated as the whole text is; the
    views never look across a line break; and no manual span lies across a
    piece's edge: a piece's rows are the whole text's rows that lie in it.
    """
    parts = _parts(text)
    if len(parts) == 1:
        return parts
    extents = sorted(_manual_extents(given, manual))
    starts = [start for start, _ in extents]
    reach = list(itertools.accumulate((end for _, end in extents), max))

    def crossed(cut: int) -> bool:
        before = bisect.bisect_left(starts, cut)  # extents starting before the cut
        return before > 0 and reach[before - 1] > cut

    cuts = [a for a, _ in parts[1:] if text[a - 1] == "\n" and not crossed(a)]
    return list(itertools.pairwise([0, *cuts, len(text)]))


def _manual_extents(
    given: dict[str, list[Any]], manual: Sequence[str]
) -> Iterable[tuple[int, int]]:
    """The ranges a person's layers cover: each manual span, and each manual quote
    from the first to the last of its parts."""
    for layer in manual:
        for item in given.get(layer, []):
            if layer in schema.QUOTE_LAYERS:
                parts = [item[p] for p in schema.QUOTE_PARTS if item.get(p)]
                yield min(p["start"] for p in parts), max(p["end"] for p in parts)
            else:
                yield item["start"], item["end"]


def piece_given(
    given: dict[str, list[Any]], manual: Sequence[str], a: int, b: int
) -> dict[str, list[Any]]:
    """The manual layers of the piece ``[a, b)`` of a text (see :func:`pieces`), at
    offsets in it; spans in order of their starts, as :func:`_per_part` gives them
    to the parts of the whole text."""
    out: dict[str, list[Any]] = {}
    for layer in manual:
        items = given.get(layer, [])
        if layer in schema.QUOTE_LAYERS:
            inside = [q for q in items if a <= q["content"]["start"] and q["content"]["end"] <= b]
        else:
            inside = sorted(
                (s for s in items if a <= s["start"] and s["end"] <= b),
                key=lambda span: int(span["start"]),
            )
        out[layer] = [_shifted(item, -a) for item in inside]
    return out


def _shifted(span: dict[str, Any], by: int) -> dict[str, Any]:
    """A span (or a quote, with its parts) moved ``by`` characters."""
    out = dict(span)
    for key, value in span.items():
        if key in ("start", "end"):
            out[key] = value + by
        elif isinstance(value, dict):
            out[key] = _shifted(value, by)
    return out


def _by_part(
    text: str, parts: list[tuple[int, int]], annotate: Callable[[str, int], list[Any]]
) -> list[Any]:
    """``annotate(part, k)`` of each part ``k``, at their offsets in ``text``."""
    if len(parts) == 1:
        return annotate(text, 0)
    out: list[Any] = []
    for k, (a, b) in enumerate(parts):
        out += [_shifted(span, a) for span in annotate(text[a:b], k)]
    return out


def _per_part(
    spans: Sequence[dict[str, Any]], parts: list[tuple[int, int]], clip: bool
) -> Callable[[int], list[dict[str, Any]]]:
    """The spans of part ``k``, at offsets in it, made when asked for (a part's at a
    time, not copies of them all): with ``clip`` (masks), every span overlapping the
    part, cut at its edges; else only those wholly inside it."""
    if len(parts) == 1:
        return lambda _k: list(spans)
    ordered = sorted(spans, key=lambda span: int(span["start"]))
    starts = [int(span["start"]) for span in ordered]
    # reach[i]: the furthest end of the first i + 1 spans, to find those that
    # start before a part and run into it.
    reach = list(itertools.accumulate((int(span["end"]) for span in ordered), max))

    def of_part(k: int) -> list[dict[str, Any]]:
        a, b = parts[k]
        first = bisect.bisect_left(starts, a)
        if clip:
            while first > 0 and reach[first - 1] > a:
                first -= 1
        out = []
        for span in ordered[first : bisect.bisect_left(starts, b)]:
            start, end = int(span["start"]), int(span["end"])
            if clip:
                start, end = max(start, a), min(end, b)
            if a <= start < end <= b:
                out.append({**span, "start": start - a, "end": end - a})
        return out

    return of_part
