"""Offsets in the units other tools count, converted explicitly.

Warta counts Unicode code points (Python ``str`` indices). Java and
JavaScript tools (UIMA and so INCEpTION's XMI, older Label Studio) count
UTF-16 code units, where a character outside the Basic Multilingual Plane
(an emoji) counts two; byte-oriented tools count UTF-8 bytes, where it counts
four. A combining mark is its own code point in every unit, so it needs no
special case: only the width of each code point differs.
"""

from __future__ import annotations

import bisect
from functools import lru_cache


def utf16(text: str, offset: int) -> int:
    """A code-point offset of ``text`` as a UTF-16 code-unit offset."""
    return offset + sum(1 for char in text[:offset] if ord(char) > 0xFFFF)


def utf8(text: str, offset: int) -> int:
    """A code-point offset of ``text`` as a UTF-8 byte offset."""
    return len(text[:offset].encode("utf-8"))


@lru_cache(maxsize=8)
def _utf16_starts(text: str) -> tuple[int, ...]:
    """The UTF-16 offset of each code point of ``text``, and of its end."""
    starts = [0]
    for char in text:
        starts.append(starts[-1] + (2 if ord(char) > 0xFFFF else 1))
    return tuple(starts)


def from_utf16(text: str, start: int, end: int) -> tuple[int, int] | None:
    """A span in UTF-16 code units as code points; None if it splits a surrogate pair."""
    starts = _utf16_starts(text)
    a, b = bisect.bisect_left(starts, start), bisect.bisect_left(starts, end)
    if a >= len(starts) or b >= len(starts) or starts[a] != start or starts[b] != end:
        return None
    return a, b


def from_utf8(text: str, start: int, end: int) -> tuple[int, int] | None:
    """A span in UTF-8 bytes as code points; None if it splits a character."""
    data = text.encode("utf-8")
    if not 0 <= start <= end <= len(data):
        return None
    try:
        before = data[:start].decode("utf-8")
        inside = data[start:end].decode("utf-8")
    except UnicodeDecodeError:
        return None
    return len(before), len(before) + len(inside)
