"""A scrape-tolerant tokenizer with character offsets.

Scraped news text glues words together (``terdakwaZulkarnaen``), keeps HTML
entities (``&nbsp;``, ``&rdquo;``) and non-breaking spaces. Tokens are runs of
letters and digits, single other characters, and whole HTML entities; a run
is split where a lowercase letter is followed by an uppercase one. Every
pattern is a bounded alternation with no nested quantifier, so tokenizing is
linear in the text's length.
"""

from __future__ import annotations

import re
from typing import NamedTuple

# One token: an HTML entity, a run of letters/digits, or any other single non-space character.
# Python's \s includes the non-breaking space, so U+00A0 separates tokens like a space.
_TOKEN = re.compile(r"&(?:[A-Za-z]{2,10}|#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6});|[^\W_]+|\S")
# Where a glued word splits: a lowercase letter followed by an uppercase one.
_GLUE = re.compile(r"(?<=[^\W\d_])(?=[A-Z])")
_LOWER_UPPER = re.compile(r"[a-z][A-Z]")


CHUNK_MAX = 32


class Token(NamedTuple):
    text: str
    start: int
    end: int
    space_before: bool  # whitespace (or the text's start) right before it
    chunk: str  # the whitespace-free letter/digit run it was split from, lowercased


def tokenize(text: str) -> list[Token]:
    """The tokens of ``text``, in order, with ``text[t.start:t.end] == t.text``."""
    out: list[Token] = []
    prev_end = -1
    for m in _TOKEN.finditer(text):
        start, end = m.span()
        word = m.group()
        space = prev_end != start
        prev_end = end
        if len(word) > 2 and _LOWER_UPPER.search(word):
            chunk = word[:CHUNK_MAX].lower()  # a feature: long glued runs say no more
            cut = start
            for piece in _split_glued(word):
                out.append(Token(piece, cut, cut + len(piece), space and cut == start, chunk))
                cut += len(piece)
        else:
            out.append(Token(word, start, end, space, word.lower()))
    return out


def _split_glued(word: str) -> list[str]:
    pieces = []
    last = 0
    for m in _GLUE.finditer(word):
        i = m.start()
        if i > last and word[i - 1].islower():
            pieces.append(word[last:i])
            last = i
    pieces.append(word[last:])
    return pieces
