"""The entity tagger's patterns (``patterns.json``): text shapes that point to a name.

Kept as data, each entry with an id, the entity label it suggests and why it
is general, as spaCy's SpanRuler keeps its patterns: an entry can be listed,
tested with its own invented text, switched off (:func:`use`) and scored alone
(``bench/ner_cv.py --patterns ID``). A hit is a feature of the tagger, which
learns how far to trust it; the bundle records each pattern's expression,
label and ``decides``, and refuses to load with others.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from warta.errors import WartaError
from warta.schema import ENTITY

PATH = Path(__file__).resolve().parent / "patterns.json"


@dataclass(frozen=True)
class Pattern:
    """One entry: its id, the label it suggests and its compiled expression."""

    id: str
    label: str
    regex: re.Pattern[str]
    decides: bool = False  # the scheme settles it: the repair relabels the word's spans


@dataclass(frozen=True)
class Hit:
    """Where a pattern found a name in a text."""

    start: int
    end: int
    id: str
    label: str
    decides: bool = False


class PatternError(WartaError, ValueError):
    """A patterns file that cannot be used, with the entry and the fix."""


def load(path: Path = PATH) -> tuple[Pattern, ...]:
    """The entries of a patterns file; refuses unreadable JSON, missing fields, unknown
    labels, repeated ids and expressions that do not compile or lack a ``name`` group."""
    try:
        rows = json.loads(path.read_text(encoding="utf-8"))["entries"]
    except (OSError, ValueError, KeyError, TypeError) as err:
        raise PatternError(f"{path}: not a patterns file ({err}); fix its JSON") from None
    known = set(ENTITY)
    out: list[Pattern] = []
    for row in rows:
        where = f"{path}: entry {row.get('id')!r}"
        missing = [key for key in ("id", "label", "pattern") if key not in row]
        if missing:
            raise PatternError(f"{where}: add the field(s) {missing}")
        if row["label"] not in known:
            raise PatternError(f"{where}: label {row['label']!r} is none of {sorted(known)}")
        if any(p.id == row["id"] for p in out):
            raise PatternError(f"{where} is listed twice; give each entry its own id")
        try:
            regex = re.compile(row["pattern"])
        except re.error as err:
            raise PatternError(f"{where}: the expression does not compile ({err})") from None
        if "name" not in regex.groupindex:
            raise PatternError(f"{where}: the expression needs a group (?P<name>...)")
        out.append(Pattern(row["id"], row["label"], regex, bool(row.get("decides", False))))
    return tuple(out)


@cache
def _all() -> tuple[Pattern, ...]:
    return load()


_active: frozenset[str] | None = None


def use(ids: Iterable[str] | None) -> None:
    """Switch the tagger's patterns to ``ids`` only (None: every entry), to score a
    pattern alone or without it; a bundle trained so records the ids it used."""
    global _active
    chosen = None if ids is None else frozenset(ids)
    unknown = (chosen or frozenset()) - {p.id for p in _all()}
    if unknown:
        raise PatternError(f"{PATH}: no pattern with the id(s) {sorted(unknown)}")
    _active = chosen


def active() -> tuple[Pattern, ...]:
    """The patterns in use, in file order."""
    return tuple(p for p in _all() if _active is None or p.id in _active)


def hits(text: str) -> tuple[Hit, ...]:
    """Every active pattern's hits in ``text``, in text order (the features and the
    span repairs both ask, so the last few answers are kept)."""
    return _hits(text, _active)


@lru_cache(maxsize=4)
def _hits(text: str, chosen: frozenset[str] | None) -> tuple[Hit, ...]:
    found = [
        Hit(m.start("name"), m.end("name"), p.id, p.label, p.decides)
        for p in _all()
        if chosen is None or p.id in chosen
        for m in p.regex.finditer(text)
    ]
    found.sort(key=lambda h: (h.start, h.end, h.id))
    return tuple(found)


def config() -> dict[str, dict[str, object]]:
    """What a bundle records: each active pattern's expression, label and ``decides``."""
    return {
        p.id: {"pattern": p.regex.pattern, "label": p.label, "decides": p.decides}
        for p in active()
    }
