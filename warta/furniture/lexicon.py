"""The furniture lexicon (``lexicon.json``): general cues of Indonesian news page furniture.

Kept as data, each entry with an id, the category it points to and why it is
general, so that an entry can be reviewed, tested and removed on its own. A
hit is one feature among others for the line model; the model learns how far
to trust it.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from warta import schema
from warta.schema import LAYER

PATH = Path(__file__).resolve().parent / "lexicon.json"


@dataclass(frozen=True)
class Entry:
    """One cue: an id, the boilerplate category it points to and its compiled pattern."""

    id: str
    label: str
    pattern: re.Pattern[str]


@cache
def entries() -> tuple[Entry, ...]:
    """The entries of ``lexicon.json``; refuses unknown categories and repeated ids."""
    data = json.loads(PATH.read_text(encoding="utf-8"))
    known = set(schema.labels(schema.LAYER_LABELS[LAYER.boilerplate]))
    out: list[Entry] = []
    for row in data["entries"]:
        if row["label"] not in known:
            raise ValueError(f"lexicon entry {row['id']}: unknown category {row['label']}")
        if any(e.id == row["id"] for e in out):
            raise ValueError(f"lexicon entry {row['id']} is listed twice")
        out.append(Entry(row["id"], row["label"], re.compile(row["pattern"])))
    return tuple(out)


def hits(line: str) -> list[Entry]:
    """The entries whose pattern occurs in ``line`` (a stripped line or segment)."""
    if not anywhere().search(line):
        return []
    return [e for e in entries() if e.pattern.search(line)]


def _bare(pattern: str) -> str:
    """An entry's pattern without its start anchor, found inside a line (glued furniture
    has no line of its own); its end anchor becomes whitespace or the end."""
    if pattern.startswith("^"):
        pattern = pattern[1:]
    if pattern.endswith("$") and not pattern.endswith("\\$"):
        pattern = pattern[:-1] + r"(?=\s|$)"
    return pattern


def _union(chosen: list[Entry], gate: str) -> re.Pattern[str]:
    # One test of the position per position, then the alternatives: far faster
    # than a look-behind in front of each alternative.
    alternatives = "|".join(f"(?:{_bare(e.pattern.pattern)})" for e in chosen)
    return re.compile(f"{gate}(?:{alternatives})")


@cache
def starts() -> re.Pattern[str]:
    """Where a cue that opens its furniture (an entry anchored at the start) begins inside
    a line, after whitespace: where a glued line is cut into segments."""
    return _union([e for e in entries() if e.pattern.pattern[:1] == "^"], r"(?:^|(?<=\s))")


@cache
def anywhere() -> re.Pattern[str]:
    """Wherever any entry's cue starts (at a word's start or a symbol), also inside a line:
    a fast test that a text holds no cue at all."""
    return _union(list(entries()), r"(?:^|(?<=\W)|(?=[^\w\s]))")


def sha256() -> str:
    """sha256 of the lexicon file: a bundle trained on other entries is refused."""
    return hashlib.sha256(PATH.read_bytes()).hexdigest()
