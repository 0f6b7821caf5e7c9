"""Metadata read off the raw text, for what the annotation file does not state.

Scraped pages carry outlet, publication time and credits as page furniture
("Kompas.com - 26/07/2023, 15:11 WIB", "JAKARTA, KOMPAS.com -", "Editor: ...").
These rules read the common Indonesian forms; whatever the annotation file's
``metadata`` gives wins.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from datetime import UTC, datetime
from typing import Any

ZONES = {"WIB": "+07:00", "WITA": "+08:00", "WIT": "+09:00"}
MONTHS = {
    name: i + 1
    for i, names in enumerate(
        [
            ("januari", "jan"),
            ("februari", "feb", "pebruari"),
            ("maret", "mar"),
            ("april", "apr"),
            ("mei",),
            ("juni", "jun"),
            ("juli", "jul"),
            ("agustus", "agu", "agt", "aug"),
            ("september", "sep", "sept"),
            ("oktober", "okt", "oct"),
            ("november", "nov", "nop"),
            ("desember", "des", "dec"),
        ]
    )
    for name in names
}

_NUMERIC_TIME = re.compile(
    r"\b(\d{1,2})/(\d{1,2})/(\d{4}),?\s+(?:pukul\s+)?(\d{1,2})[.:](\d{2})\s*(WIB|WITA|WIT)\b"
)
_WORD_TIME = re.compile(
    r"\b(\d{1,2})\s+([A-Za-z]{3,9})\.?\s+(\d{4}),?\s+(?:-\s+)?(?:pukul\s+)?"
    r"(\d{1,2})[.:](\d{2})\s*(WIB|WITA|WIT)\b"
)
_DATELINE = re.compile(
    r"^[ \t]*[A-Z][A-Za-z .'-]{1,40},\s+([A-Za-z0-9-]+(?:\.[A-Za-z]{2,4})+)\s*[-–—]",
    re.MULTILINE,
)
_OUTLET_FIRST = re.compile(
    r"^[ \t]*([A-Za-z0-9-]+(?:\.[A-Za-z]{2,4})+),\s+[A-Z][A-Za-z .'-]{1,40}\s*[-–—]",
    re.MULTILINE,
)
_CREDIT = re.compile(
    r"^[ \t]*(Penulis|Reporter|Pewarta|Editor|Penyunting)\s*:\s*([^\n|]{2,80}?)\s*(?:\||$)",
    re.MULTILINE | re.IGNORECASE,
)


def _iso(day: int, month: int, year: int, hour: int, minute: int, zone: str) -> str | None:
    """An ISO 8601 time, or None for a date that does not exist (31 February, 25:61)."""
    try:
        datetime(year, month, day, hour, minute)
    except ValueError:
        return None
    return f"{year:04d}-{month:02d}-{day:02d}T{hour:02d}:{minute:02d}:00{ZONES[zone]}"


def published(text: str) -> str | None:
    """The first publication time written with a time zone, as ISO 8601."""
    found = []
    for m in _NUMERIC_TIME.finditer(text):
        iso = _iso(int(m[1]), int(m[2]), int(m[3]), int(m[4]), int(m[5]), m[6])
        if iso:
            found.append((m.start(), iso))
    for m in _WORD_TIME.finditer(text):
        month = MONTHS.get(m[2].lower())
        if month:
            iso = _iso(int(m[1]), month, int(m[3]), int(m[4]), int(m[5]), m[6])
            if iso:
                found.append((m.start(), iso))
    return min(found)[1] if found else None


def utc(published: str | None) -> str | None:
    """The instant of ``published`` in UTC, as ISO 8601 ending in ``Z``; None for None.

    The release keeps the page's own time and offset, and this beside it: one
    clock to sort and compare articles across time zones by. Raises
    ``ValueError`` for a time that is no real one, has no offset, or whose UTC
    instant falls outside the years 1 to 9999.
    """
    if published is None:
        return None
    moment = datetime.fromisoformat(published)
    if moment.tzinfo is None:
        raise ValueError("it has no UTC offset")
    try:
        moment = moment.astimezone(UTC)
    except OverflowError:
        raise ValueError("in UTC it falls outside the years 1 to 9999") from None
    return moment.replace(tzinfo=None).isoformat(timespec="seconds") + "Z"


def outlet(text: str) -> str | None:
    """The outlet named in the dateline (``JAKARTA, KOMPAS.com -``), lower-cased."""
    candidates = [(m.start(), m[1]) for m in _DATELINE.finditer(text)]
    candidates += [(m.start(), m[1]) for m in _OUTLET_FIRST.finditer(text)]
    return min(candidates)[1].lower() if candidates else None


def credits(text: str) -> tuple[list[str], list[str]]:
    """Authors and editors from labelled credit lines."""
    authors: list[str] = []
    editors: list[str] = []
    for m in _CREDIT.finditer(text):
        name = m[2].strip(" ,.")
        if not name:
            continue
        bucket = editors if m[1].lower() in ("editor", "penyunting") else authors
        if name not in bucket:
            bucket.append(name)
    return authors, editors


def extract(text: str, skip: Collection[str] = ()) -> dict[str, Any]:
    """Metadata that can be read off the raw text; unknown fields are None or empty.

    Fields named in ``skip`` (given in the annotation file, which wins) are
    left None rather than searched for: each search is a pass over the text.
    """
    authors: list[str] = []
    editors: list[str] = []
    if "authors" not in skip or "editors" not in skip:
        authors, editors = credits(text)
    return {
        "outlet": None if "outlet" in skip else outlet(text),
        "url": None,
        "title": None,
        "published": None if "published" in skip else published(text),
        "authors": authors,
        "editors": editors,
        "language": "id",
    }
