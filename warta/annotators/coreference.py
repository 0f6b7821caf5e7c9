"""Person mentions of one article and the fullest name each can stand for.

News names a person in full once (``Budi Santoso``) and then by a part of the
name (``Budi``, ``Santoso``), an initial and a surname (``B. Santoso``) or a
clipped first name (``Bud``). A short mention is resolved to a full one when
every token of it matches a token of the full name, in order: the same word,
a prefix of at least three letters, or a one-letter initial (with at least one
token longer than an initial matching). Among the names it can stand for, the
best match is taken, then the mention nearest before the place it is read at
(else the first after it), then the longest; the result is the longest name
compatible with both the mention and that choice.

Mentions come with titles already taken off (the caller knows its title
lexicon); the index is built once per article and its answers are cached.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence

Mention = tuple[int, int, str]
"""A person mention: ``(start, end, name without titles)``."""


def name_tokens(name: str) -> list[str]:
    """Lower-case tokens of a name for matching short forms to full ones."""
    return [w.strip(".,").lower() for w in name.split() if w.strip(".,")]


def compatible(short: list[str], full: list[str]) -> int:
    """0 if ``short`` cannot name the same person as ``full``; 2 exact, 1 via prefixes."""
    n = len(full)
    if not short or len(short) > n:
        return 0
    j = 0
    quality = 2
    real = False
    for tok in short:
        lt = len(tok)
        while j < n:
            f = full[j]
            j += 1
            if f == tok:
                real = real or lt > 1
                break
            if lt == 1:
                if f.startswith(tok):
                    break
            elif lt >= 3 and f.startswith(tok):
                quality = 1
                real = True
                break
        else:
            return 0
    return quality if real else 0


class People:
    """The person mentions of one article, indexed for :meth:`fullest`."""

    def __init__(self, mentions: Sequence[Mention]) -> None:
        self.mentions = list(mentions)
        self.starts = [m[0] for m in self.mentions]
        # Each name once, in order of its first mention: its tokens and where it is
        # mentioned (a name recurs; it is matched once).
        self.names: dict[str, tuple[list[str], list[int]]] = {}
        # The names with a token starting with a given letter, in the same order:
        # every name a short form can stand for has one starting as the short form.
        self._initials: dict[str, list[str]] = {}
        for start, _end, name in self.mentions:
            if name not in self.names:
                tokens = name_tokens(name)
                self.names[name] = (tokens, [])
                for initial in dict.fromkeys(tok[0] for tok in tokens):
                    self._initials.setdefault(initial, []).append(name)
            self.names[name][1].append(start)
        self._compat: dict[tuple[str, ...], dict[str, int]] = {}
        self._full: dict[tuple[str, int], str] = {}

    def compat(self, short: list[str]) -> dict[str, int]:
        """The names that ``short`` can stand for, with :func:`compatible`'s quality
        (1 or 2), in order of their first mention."""
        key = tuple(short)
        got = self._compat.get(key)
        if got is None:
            got = {}
            for name in self._initials.get(short[0][0], []) if short else ():
                quality = compatible(short, self.names[name][0])
                if quality:
                    got[name] = quality
            self._compat[key] = got
        return got

    def fullest(self, mention: str, pos: int) -> str:
        """The fullest form in the article of the person ``mention`` (without titles)
        names when read at ``pos``; the mention itself when it matches no name."""
        key = (mention, bisect_right(self.starts, pos) if self.mentions else 0)
        if key in self._full:
            return self._full[key]
        # The best mention: the best match, then the last one before ``pos`` (else the
        # first after it), then the longest. A name's best mention is found by bisection.
        best: tuple[int, int, int] | None = None
        chosen = mention
        qs = self.compat(name_tokens(mention))
        for name, q in qs.items():
            starts = self.names[name][1]
            before = bisect_right(starts, pos)
            s = starts[before - 1] if before else -starts[0]
            rank = (q, s, len(name))
            if best is None or rank > best:
                best, chosen = rank, name
        out = chosen
        if best is not None:
            # The longest name compatible with both (the first mentioned of equal ones).
            cq = self.compat(self.names[chosen][0])
            for name in qs:
                if len(name) > len(out) and name in cq:
                    out = name
        self._full[key] = out
        return out
