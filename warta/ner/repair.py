"""Repairs of the tagger's spans where the scheme fixes a name's edges.

A token tagger decides token by token, so a name's edges can break shapes the
scheme settles once for all names: a bracket opened and never closed inside a
span, an event's edition cut at its hyphen, a city run into its country. Each
repair states one such fact, has an id in :data:`REPAIRS` and its own tests
(tests/test_ner_repair.py), and only moves edges, splits spans or relabels
them: it never invents a name the tagger did not tag.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import cache
from typing import Any

from warta import lexicons
from warta.ner import patterns
from warta.schema import ENTITY

Span = dict[str, Any]

# After an event's name: its edition or year (``U-17``, ``2019/2020``, `` 2026``).
_EDITION = re.compile(r"(?:-[0-9]{1,4}|/[0-9]{2,4})+|[ \t]+[0-9]{4}(?:/[0-9]{2,4})?(?![\w/])")
# Words that name a kind of state before a country's name (``Republik Indonesia``).
_STATE_WORDS = frozenset("republik negara kerajaan federasi kesultanan persatuan uni".split())


def _span(text: str, start: int, end: int, label: str) -> Span:
    return {"start": start, "end": end, "label": label, "text": text[start:end]}


def bracket_abbreviation(text: str, spans: Sequence[Span]) -> list[Span]:
    """Scheme rule 7: a span holding an unclosed ``(`` is cut before it. When the name
    goes on after the ``)`` (the next span starts right after it) the whole name is
    one span; otherwise the bracketed abbreviation is a span of its own."""
    out: list[Span] = []
    skip: set[int] = set()
    for i, span in enumerate(spans):
        if i in skip:
            continue
        start, end, label = span["start"], span["end"], span["label"]
        piece = text[start:end]
        opened = piece.rfind("(")
        if opened < 0 or piece.count("(") <= piece.count(")"):
            out.append(span)
            continue
        close = text.find(")", start + opened, start + opened + 40)
        head_end = start + len(piece[:opened].rstrip())
        nxt = spans[i + 1] if i + 1 < len(spans) else None
        if close < 0:
            if head_end > start:
                out.append(_span(text, start, head_end, label))
            continue
        if nxt is not None and nxt["start"] > close and not text[close + 1 : nxt["start"]].strip():
            out.append(_span(text, start, nxt["end"], label))  # the name goes on
            skip.add(i + 1)
            continue
        if head_end > start:
            out.append(_span(text, start, head_end, label))
        inner = text[start + opened + 1 : close]
        a = start + opened + 1 + (len(inner) - len(inner.lstrip()))
        b = close - (len(inner) - len(inner.rstrip()))
        if b > a and text[a].isupper() and (nxt is None or nxt["start"] >= close):
            out.append(_span(text, a, b, label))
    return out


def event_edition(text: str, spans: Sequence[Span]) -> list[Span]:
    """Scheme rule 10: a year, season or edition attached to an event's name is part of
    its span (invented: ``Piala Asia U-20``, ``Liga Nusantara 2024/2025``)."""
    out: list[Span] = []
    for i, span in enumerate(spans):
        if span["label"] == ENTITY.EVENT:
            m = _EDITION.match(text, span["end"])
            limit = spans[i + 1]["start"] if i + 1 < len(spans) else len(text)
            if m and m.end() <= limit:
                span = _span(text, span["start"], m.end(), span["label"])
        out.append(span)
    return out


@cache
def _countries() -> frozenset[str]:
    return frozenset(lexicons.names("countries"))


def place_then_country(text: str, spans: Sequence[Span]) -> list[Span]:
    """A place written just before its country (invented: ``Kobe Jepang``) is two places: a
    country ends a place's name only in the country's own names (``Korea Selatan``)
    and after words that only say what kind of place it is (``Republik Indonesia``,
    ``Pulau Jawa``)."""
    out: list[Span] = []
    countries = _countries()
    for span in spans:
        name = text[span["start"] : span["end"]]
        words = name.split()
        if span["label"] != ENTITY.LOC or len(words) < 2 or name in countries:
            out.append(span)
            continue
        for k in range(1, len(words)):
            country = " ".join(words[k:])
            place = words[:k]
            kinds = _STATE_WORDS | lexicons.words("place_prefixes")
            if (
                country in countries
                and place[-1].lower() not in lexicons.words("directions")
                and not all(w.lower() in kinds for w in place)
            ):
                cut = span["start"] + name.rindex(country)
                head = span["start"] + len(name[: cut - span["start"]].rstrip())
                out.append(_span(text, span["start"], head, ENTITY.LOC))
                out.append(_span(text, cut, span["end"], ENTITY.LOC))
                break
        else:
            out.append(span)
    return out


@cache
def _second_name_heads(label: str) -> frozenset[str]:
    """Words that open a second name after ``dan`` inside a span of ``label``."""
    if label == ENTITY.ORG:
        return lexicons.words("org_heads") | lexicons.words("administrative_units")
    if label == ENTITY.LOC:
        return lexicons.words("place_prefixes")
    return frozenset()


def coordinated_names(text: str, spans: Sequence[Span]) -> list[Span]:
    """Two names joined by ``dan`` are two spans (invented: ``Dinas Perikanan dan Pemkab
    Sumba`` → ``Dinas Perikanan`` + ``Pemkab Sumba``): a span is split before a ``dan``
    whose next word opens a name of the span's kind (an organisation head, a region's
    type word, a place prefix) and is followed by a name word of its own. A ``dan``
    inside one name joins its fields (``Kementerian Koperasi dan UKM``, ``Dinas
    Perdagangan dan Koperasi``) and stays."""
    out: list[Span] = []
    for span in spans:
        heads = _second_name_heads(span["label"])
        start, end = span["start"], span["end"]
        pieces = []
        for m in re.finditer(r"\s+dan\s+(\w+)\s+\w", text[start:end]):
            if m.group(1)[0].isupper() and m.group(1).lower() in heads and m.start() > 0:
                pieces.append((start + m.start(), start + m.start(1)))
        if not pieces:
            out.append(span)
            continue
        at = start
        for left_end, right_start in pieces:
            out.append(_span(text, at, left_end, span["label"]))
            at = right_start
        out.append(_span(text, at, end, span["label"]))
    return out


def pattern_decides(text: str, spans: Sequence[Span]) -> list[Span]:
    """A pattern the scheme settles (``decides`` in warta/ner/patterns.json, such as
    initials after ``berinisial``, rule 17) names a word: every span of exactly that
    word in the article takes the pattern's label; a word the rules' gazetteer or the
    country list names (``AS``, the United States) is left alone, as elsewhere it is that."""
    from warta.annotators.entities import _gazetteer

    known = _gazetteer()[0]
    named = {
        word: h.label
        for h in patterns.hits(text)
        if h.decides
        and (word := text[h.start : h.end]) not in _countries()
        and (word,) not in known
    }
    if not named:
        return list(spans)
    out = []
    for span in spans:
        label = named.get(span["text"], span["label"])
        if label != span["label"]:
            span = _span(text, span["start"], span["end"], label)
        out.append(span)
    return out


# id -> repair, applied in this order to the tagger's sorted, flat spans.
REPAIRS: dict[str, Callable[[str, Sequence[Span]], list[Span]]] = {
    "pattern_decides": pattern_decides,
    "bracket_abbreviation": bracket_abbreviation,
    "event_edition": event_edition,
    "place_then_country": place_then_country,
    "coordinated_names": coordinated_names,
}


def repaired(text: str, spans: Sequence[Span]) -> list[Span]:
    """``spans`` (sorted, flat) after every repair: still sorted, flat and non-empty."""
    out = sorted(spans, key=lambda s: s["start"])
    for repair in REPAIRS.values():
        out = repair(text, out)
    return out
