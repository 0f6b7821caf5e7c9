"""Corpus evidence of furniture: lines an outlet repeats across its articles.

An outlet's page furniture (slogans, disclaimers, prompts, footers) is written
the same way on every page, while its stories are not. A line that several
different articles of one outlet hold verbatim (digits and spacing aside) is
therefore furniture evidence, even in a wording no rule or lexicon knows.

The evidence is a set of keys, each a checksum of an outlet and a normalised
line. The build's pre-pass over the corpus (:mod:`warta.duplicates`) collects
the keys of every article whose boilerplate is left to the annotators (a
person's boilerplate needs no evidence, and a corpus annotated by hand pays
nothing); :func:`repeated` keeps those held by enough different articles,
counting a near-duplicate group (a story scraped twice) once.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterable, Sequence

import numpy as np

from warta.metadata import outlet

# A line this many different articles of one outlet hold is furniture evidence.
MIN_ARTICLES = 3
# Lines outside these bounds are never evidence: shorter ones are too common in
# prose (a one-word heading), longer ones are paragraphs a series may repeat.
MIN_CHARS, MAX_CHARS = 12, 300
# Characters of an article's head its dateline is looked for in: the whole text
# is not needed, and a piece of a long article is given its article's outlet.
HEAD = 3000

_DIGITS = re.compile(r"\d+")
NONE = np.zeros(0, dtype=np.uint64)  # the keys of an article that gathers no evidence


def normalised(line: str) -> str:
    """``line`` as compared across articles: trimmed, spacing collapsed, digits as 0."""
    return " ".join(_DIGITS.sub("0", line).split())


def outlet_of(text: str) -> str:
    """The outlet an article's evidence is counted under: the one its dateline names,
    read off the article's head ("" when it names none)."""
    return outlet(text[:HEAD]) or ""


def key(outlet_name: str, line: str) -> int:
    """The evidence key of a normalised ``line`` of ``outlet_name`` (two C checksums:
    stable across processes, unlike ``hash``, and cheap on every line of a corpus)."""
    data = f"{outlet_name}\0{line}".encode()
    return zlib.crc32(data) << 32 | zlib.adler32(data)


def line_keys(text: str) -> np.ndarray:
    """The distinct keys of an article's lines that may be evidence, sorted."""
    name = outlet_of(text)
    lines = {" ".join(raw.split()) for raw in _DIGITS.sub("0", text).split("\n")}
    keys = {key(name, line) for line in lines if MIN_CHARS <= len(line) <= MAX_CHARS}
    return np.array(sorted(keys), dtype=np.uint64) if keys else NONE


def repeated(
    keys: Sequence[np.ndarray], groups: Sequence[int], min_articles: int = MIN_ARTICLES
) -> frozenset[int]:
    """The keys held by at least ``min_articles`` articles, an article's near-duplicates
    (``groups[i]``: the first article of its group, or ``i``) counted once."""
    pairs = [
        np.stack([np.full(len(k), g, dtype=np.uint64), k], axis=1)
        for k, g in zip(keys, groups, strict=True)
        if len(k)
    ]
    if not pairs:
        return frozenset()
    distinct = np.unique(np.concatenate(pairs), axis=0)  # one row per (group, key)
    values, counts = np.unique(distinct[:, 1], return_counts=True)
    return frozenset(int(v) for v in values[counts >= min_articles])


def of_texts(texts: Iterable[str], min_articles: int = MIN_ARTICLES) -> frozenset[int]:
    """The evidence of texts held in memory, every one counted as if its boilerplate
    were automatic: ``eval`` scores the annotators on articles a person annotated,
    which the build's pre-pass would leave out. No near-duplicate grouping."""
    keys = [line_keys(t) for t in texts]
    return repeated(keys, list(range(len(keys))), min_articles)


def repeats(text: str, start: int, end: int, outlet_name: str, evidence: frozenset[int]) -> bool:
    """Whether the line ``text[start:end]`` of an article of ``outlet_name`` (its
    :func:`outlet_of`) is furniture evidence."""
    if not evidence:
        return False
    norm = normalised(text[start:end])
    return MIN_CHARS <= len(norm) <= MAX_CHARS and key(outlet_name, norm) in evidence
