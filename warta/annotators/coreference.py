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

Beyond persons' own names, a mention is resolved through what the article says
about it: a role noun (``hakim``) through the words written before each person's
name (:meth:`People.described`), an organisation's short name through the one
longer name that starts with it (:class:`Organisations`), an abbreviation through
the name it is defined after in brackets (:class:`Abbreviations`).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Sequence

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

    def described(self, keys: set[str], roles: Sequence[set[str]], pos: int) -> str | None:
        """The fullest name of the person a role phrase stands for (``hakim``, ``ahli
        ITB``): among the mentions whose role words (``roles``, one set per mention,
        the words written just before it) share a word with ``keys``, the nearest
        before ``pos``, else the first after it; None when no role words match."""
        best: tuple[int, int] | None = None
        found = None
        for (start, _end, name), role in zip(self.mentions, roles, strict=True):
            if keys & role:
                rank = (1, start) if start <= pos else (0, -start)
                if best is None or rank > best:
                    best, found = rank, name
        return self.fullest(found, pos) if found else None


class Organisations:
    """The organisation names of one article, to resolve a short mention (``Kemenkeu``
    for ``Kemenkeu RI``) to the one longer name that starts with it."""

    def __init__(self, names: Sequence[str]) -> None:
        self._by_first: dict[str, set[str]] = {}
        for name in names:
            name = " ".join(name.split())
            self._by_first.setdefault(name.split(" ", 1)[0], set()).add(name)

    def fullest(self, mention: str) -> str:
        """The one longer name starting with ``mention``; else the mention itself."""
        mention = " ".join(mention.split())
        if not mention:
            return mention
        names = self._by_first.get(mention.split(" ", 1)[0], set())
        longer = {name for name in names if name.startswith(mention + " ")}
        return longer.pop() if len(longer) == 1 else mention


class Abbreviations:
    """Abbreviations defined in brackets after their full name (invented: ``Badan
    Pangan Daerah (BPD)``), resolved to that name.

    Indonesian abbreviations are initials (``BPS``) or syllables in title case
    (``Kementan``, ``Pemprov``); the bracketed definition is the evidence either way.
    Where a name ends before a bracket is the caller's to say (``name_before``:
    its entities or its name runs), from the bracket's position.
    """

    def __init__(self, text: str, name_before: Callable[[int], str | None]) -> None:
        self.text = text
        self.name_before = name_before
        self._found: dict[str, str | None] = {}

    def expand(self, abbreviation: str) -> str | None:
        """The full name ``abbreviation`` is first defined after, if any."""
        if abbreviation in self._found:
            return self._found[abbreviation]
        out = None
        if (
            len(abbreviation) >= 2
            and abbreviation[:1].isupper()
            and abbreviation.isalnum()
            and (m := re.search(r"\([ \t]*" + re.escape(abbreviation) + r"[ \t]*\)", self.text))
        ):
            out = self.name_before(m.start())
        self._found[abbreviation] = out
        return out
