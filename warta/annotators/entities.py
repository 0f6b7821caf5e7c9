"""Rule cascade for named entities in Indonesian news (PER, ORG, LOC, PRODUCT, EVENT).

Capitalised-sequence chunking over a scrape-tolerant tokenisation (glued words
such as ``terdakwaNama`` are split; tokenised text with spaces around
punctuation is handled), Indonesian title and context cues, ORG/LOC prefixes,
datelines and outlet names, a hand-written general-knowledge gazetteer
(``gazetteer.json``), an Indonesian root-word lexicon (Sastrawi's list, to tell
title-cased common words from names) and document-level label propagation.

The build does not use these spans directly: they are features of the trained
tagger (:mod:`warta.ner`), which learns how far to trust them.

Offsets are Python ``str`` indices into the article text (docs/GUIDELINES.md, section 1).
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from functools import lru_cache
from importlib import resources
from itertools import pairwise
from pathlib import Path

from warta import lexicons
from warta.doc import Doc
from warta.errors import WartaError
from warta.schema import ENTITY
from warta.tokens import tokenize

# The labels the rules give, named through the schema: one renamed in schema/ fails here.
PER, ORG, LOC, PRODUCT, EVENT = ENTITY.PER, ENTITY.ORG, ENTITY.LOC, ENTITY.PRODUCT, ENTITY.EVENT
LABELS = tuple(ENTITY)
_CUE_FILE = Path(__file__).with_name("entity_cues.json")


class CueError(WartaError, ValueError):
    """A cue file that cannot be used, with the entry and the fix."""


def _entity_cues(path: Path = _CUE_FILE) -> dict[str, frozenset[str]]:
    """The cascade's word lists (``entity_cues.json``), by id; refuses unreadable JSON,
    an entry without an id or words, and a repeated id."""
    try:
        rows = json.loads(path.read_text("utf-8"))["entries"]
        out: dict[str, frozenset[str]] = {}
        for row in rows:
            if row["id"] in out:
                raise CueError(f"{path}: the id {row['id']!r} is listed twice; rename one")
            out[row["id"]] = frozenset(row["words"])
    except (OSError, ValueError, KeyError, TypeError) as err:
        if isinstance(err, CueError):
            raise
        raise CueError(f"{path}: not a cue file ({err!r}); fix its JSON") from None
    return out


_CUES = _entity_cues()
_RULE_FILE = Path(__file__).with_name("entity_rules.json")


def rule_ids(path: Path = _RULE_FILE) -> tuple[str, ...]:
    """The ids of the cascade's rules (``entity_rules.json``), in file order; refuses
    unreadable JSON and a repeated id."""
    try:
        ids = tuple(str(row["id"]) for row in json.loads(path.read_text("utf-8"))["rules"])
    except (OSError, ValueError, KeyError, TypeError) as err:
        raise CueError(f"{path}: not a rule file ({err!r}); fix its JSON") from None
    if len(set(ids)) != len(ids):
        raise CueError(f"{path}: an id is listed twice; rename one")
    return ids


RULES = rule_ids()
_off: frozenset[str] = frozenset()


def use_rules(off: Iterable[str] = ()) -> None:
    """Switch the cascade's rules with the ids in ``off`` off (the rest on), to score
    the tagger without them (``bench/ner_cv.py --rules-off``)."""
    global _off
    chosen = frozenset(off)
    unknown = sorted(chosen - set(RULES))
    if unknown:
        raise CueError(
            f"no rule {', '.join(unknown)} in {_RULE_FILE}; use one of {', '.join(RULES)}"
        )
    _off = chosen


def _on(rule: str) -> bool:
    return rule not in _off


# Common Indonesian given names that are also dictionary words (`budi`, `sri`, `dewi`):
# after a title they start the name instead of continuing the title.
GIVEN_NAMES = _CUES["given-names"]
_DATA = Path(__file__).with_name("gazetteer.json")

# Besides sentence starts (warta.tokens.sentence_starts), the places where a capital says
# little: after a quotation mark, a bracket, a colon or semicolon, a bullet or a dash.
_SENT_END = frozenset(":;\"“”'‘’(|•*–—-")


class Tok:
    """A token with what the rules read off it."""

    __slots__ = (
        "cap",
        "e",
        "headline",
        "i",
        "kind",
        "low",
        "nl",
        "s",
        "sent",
        "space",
        "t",
        "upper",
    )

    def __init__(self, s: int, e: int, t: str, kind: str) -> None:
        self.s = s
        self.e = e
        self.t = t
        self.kind = kind
        self.low, self.cap, self.upper = _shape(t, kind)
        self.sent = self.space = self.nl = self.headline = False
        self.i = 0


@lru_cache(maxsize=65536)
def _shape(t: str, kind: str) -> tuple[str, bool, bool]:
    """(lower case, capitalised, all capitals) of a token: cached, as words recur."""
    low = t.lower()
    if kind == "w" or kind == "dom":
        return (
            low,
            t[0].isupper() or (t[0].islower() and low != t),
            t.isupper() and len(t) > 1 and (t[0].isalpha() or t[1].isalpha()),
        )
    return low, False, False


# Titles, ranks, honorifics and job names (one word, or two whose first alone is
# none): they precede a name and are left out of it.
TITLES = lexicons.words("person_titles")
TITLE_PAIRS = lexicons.phrases("title_phrases")
ORG_PREFIX = lexicons.words("org_heads")
ORG_TYPE_PHRASES = lexicons.phrases("org_type_phrases")
# Private bodies whose name is followed by where they are (split there).
ORG_PRIVATE = _CUES["org-private"]
ORG_SUFFIX = lexicons.words("org_suffixes")
EVENT_SUFFIX = lexicons.words("event_suffixes")
LOC_PREFIX = lexicons.words("place_prefixes")
ADMINISTRATIVE_UNITS = lexicons.words("administrative_units")
EVENT_PREFIX = _CUES["event-heads"]
PRODUCT_PREFIX = _CUES["vessel-heads"]
PRODUCT_BEFORE = _CUES["product-before"]
# Capitalised words that are not entities: days and months, units, religious and legal terms.
MONTHS_DAYS = lexicons.words("months_days")
NON_ENTITY = _CUES["non-entities"]
# Function words (spaCy's Indonesian stop words and what news adds to them).
FUNCTION = lexicons.function_words()
LAW_PREFIX = _CUES["law-heads"]
GENERIC_ACRONYMS = _CUES["generic-acronyms"]
# Generic multi-word terms written in title case (`Tanah Air`, the homeland): never names.
GENERIC_PHRASES = lexicons.phrases("generic_phrases")
VERSUS = lexicons.words("versus_words")
# English job titles (`Head of Communications`, `Chief Executive Officer`, `Country
# Director`): a run of these words (with `of`, `and`, `&`, `-`) that holds at least one
# head word is a title. Modifiers alone (`General Motors`, `Public Bank`) are not.
EN_TITLE_HEAD = _CUES["english-title-heads"]
EN_TITLE_MOD = _CUES["english-title-modifiers"]
# Capitalised English common words that name products, services and initiatives rather
# than people (`Project S`, `Trendy Beat`, `Galaxy Buds`).
EN_PRODUCT_WORDS = _CUES["english-product-words"]
MINISTER_TITLES = _CUES["minister-titles"]
MEETING_WORDS = _CUES["meeting-words"]
# Brands that are both a company (ORG) and its app or platform (PRODUCT): labelled by context.
# After these words the brand is the company.
COMPANY_BEFORE = _CUES["company-before"]
# ... and as the subject of these verbs (or with an auxiliary before a verb).
COMPANY_VERBS = _CUES["company-verbs"]
# Words after which the brand is the app or platform.
PLATFORM_BEFORE = _CUES["platform-before"]
# Country names after a brand make it the local company (`Google Indonesia`).
COUNTRY_AFTER = _CUES["country-after"]
TEAM_BEFORE = _CUES["team-before"]
SPEECH_BEFORE = _CUES["speech-before"]
LOC_BEFORE = _CUES["loc-before"]
_DIRECTIONS = lexicons.words("directions")
_CONNECT = _CUES["name-links"]


def _key(name: str) -> tuple[str, ...]:
    return tuple(t.text for t in tokenize(name))


@lru_cache(maxsize=1)
def _gazetteer() -> tuple[dict[tuple[str, ...], str], dict[str, int]]:
    """The hand-written gazetteer as token tuples, plus the longest key per first token."""
    data = json.loads(_DATA.read_text(encoding="utf-8"))
    gaz: dict[tuple[str, ...], str] = {}
    for label in LABELS:
        for name in data.get(label, []):
            key = _key(name)
            if key:
                gaz.setdefault(key, label)
    for key, label in list(gaz.items()):
        gaz.setdefault(tuple(t.upper() for t in key), label)  # all-caps datelines, headlines
    first: dict[str, int] = {}
    for key in gaz:
        first[key[0]] = max(first.get(key[0], 0), len(key))
    return gaz, first


@lru_cache(maxsize=1)
def _dual() -> frozenset[tuple[str, ...]]:
    """Brands that are both a company and its app or platform (gazetteer `ORG_OR_PRODUCT`)."""
    data = json.loads(_DATA.read_text(encoding="utf-8"))
    return frozenset(_key(name) for name in data.get("ORG_OR_PRODUCT", []))


@lru_cache(maxsize=1)
def _lexicon() -> frozenset[str]:
    """Indonesian root words (Sastrawi's list), to recognise common words in title case."""
    try:
        ref = resources.files("Sastrawi") / "Stemmer" / "data" / "kata-dasar.txt"
        words = ref.read_text(encoding="utf-8").split()
    except (ModuleNotFoundError, FileNotFoundError, OSError):  # pragma: no cover
        words = []
    return frozenset(w.lower() for w in words)


_PREFIXES = (
    ("meng", "k"),
    ("meny", "s"),
    ("mem", "p"),
    ("men", "t"),
    ("me", ""),
    ("peng", "k"),
    ("peny", "s"),
    ("pem", "p"),
    ("pen", "t"),
    ("per", ""),
    ("pe", ""),
    ("ber", ""),
    ("bel", ""),
    ("be", ""),
    ("ter", ""),
    ("te", ""),
    ("di", ""),
    ("ke", ""),
    ("se", ""),
)
_SUFFIXES = ("nya", "lah", "kah", "pun", "ku", "mu", "kan", "an", "i")


@lru_cache(maxsize=65536)
def is_common(low: str) -> bool:
    """Whether a lower-cased word is an Indonesian common word (a root or an affixed root)."""
    lex = _lexicon()
    if low in lex:
        return True
    if len(low) < 5 or not low.isalpha():
        return False
    cands = [low]
    for s in _SUFFIXES:  # particle, possessive, then derivational suffix, each optional
        for c in list(cands):
            if c.endswith(s) and len(c) > len(s) + 2:
                cands.append(c[: -len(s)])
    for c in list(cands):
        for pre, nasal in _PREFIXES:
            if c.startswith(pre) and len(c) > len(pre) + 2:
                r = c[len(pre) :]
                cands.append(r)
                if nasal:
                    cands.append(nasal + r)
                for s in ("kan", "an", "i"):
                    if r.endswith(s) and len(r) > len(s) + 2:
                        cands.append(r[: -len(s)])
                for inner in ("ber", "per"):  # stacked prefixes: pember-, memper-, diper-
                    if pre != inner and r.startswith(inner) and len(r) > len(inner) + 2:
                        cands.append(r[len(inner) :])
    return any(c in lex for c in cands)


def _prepare(text: str, boilerplate: Sequence[dict], doc: Doc | None = None) -> list[Tok]:
    """The content's tokens (the article's :class:`~warta.doc.Doc`, made here if the caller
    has none): boilerplate tokens dropped, glued tails split, line, sentence and headline
    starts marked."""
    if doc is None:
        doc = Doc(text, boilerplate)
    shared = doc.tokens
    firsts = doc.sentence_starts
    sentences = {t.start for t, first in zip(shared, firsts, strict=True) if first}
    toks = _unglue_tails([Tok(t.start, t.end, t.text, t.kind) for t in shared])
    if boilerplate:
        spans = sorted((int(b["start"]), int(b["end"])) for b in boilerplate)
        keep: list[Tok] = []
        j = 0
        cut = False
        for t in toks:
            while j < len(spans) and spans[j][1] <= t.s:
                j += 1
            if j < len(spans) and spans[j][0] < t.e:
                cut = True
                continue
            if cut:
                t.nl = True
                cut = False
            keep.append(t)
        toks = keep
    find = text.find
    sent_end = _SENT_END
    starts: list[int] = []  # the first token of each line
    prev: Tok | None = None
    for i, t in enumerate(toks):
        t.i = i
        if prev is None:
            t.nl = True
        elif prev.e != t.s:
            t.space = True
            if find("\n", prev.e, t.s) >= 0:
                t.nl = True
        if t.nl:
            t.sent = True
            starts.append(i)
        else:
            t.sent = prev is not None and (t.s in sentences or prev.t in sent_end)
        prev = t
    starts.append(len(toks))
    for a, b in pairwise(starts):  # short title-case or all-caps lines: capitals say little
        if b - a < 4 or toks[b - 1].t == ".":  # there (cheap tests first)
            continue
        words = caps = 0
        for k in range(a, b):
            t = toks[k]
            w = t.t
            if t.kind == "w" and len(w) > 2 and w.isalpha():
                words += 1
                if words > 16:
                    break
                if w[0].isupper():
                    caps += 1
        if 4 <= words <= 16 and caps >= 0.75 * words:
            for k in range(a, b):
                toks[k].headline = True
    return toks


_GLUE_TAILS = ("yang", "dan", "di", "ke", "dari", "untuk", "dengan", "pada", "ini", "itu")
_VERB_STARTS = ("me", "di", "be", "te")


def _unglue_tails(toks: list[Tok]) -> list[Tok]:
    """Split `Namayang` / `Namamemasuki` where the name also occurs on its own in the text."""
    first = _gazetteer()[1]
    # Only words that pass ``_may_unglue`` are split: the article is copied when one does.
    found = [k for k, t in enumerate(toks) if t.cap and t.kind == "w" and _may_unglue(t.t)]
    if not found:
        return toks
    seen = {t.t for t in toks if t.kind == "w"}
    out = toks[: found[0]]
    for t in toks[found[0] :]:
        w = t.t
        if t.cap and t.kind == "w" and _may_unglue(w):
            for k in range(len(w) - 2, 2, -1):
                head, tail = w[:k], w[k:]
                if (head in seen or head in first) and (
                    tail in _GLUE_TAILS
                    or (len(tail) >= 6 and tail[:2] in _VERB_STARTS and is_common(tail))
                ):
                    out.append(Tok(t.s, t.s + k, head, "w"))
                    out.append(Tok(t.s + k, t.e, tail, "w"))
                    break
            else:
                out.append(t)
        else:
            out.append(t)
    return out


@lru_cache(maxsize=65536)
def _may_unglue(w: str) -> bool:
    """Whether a capitalised word can be a name glued to a tail (`Namayang`): cached."""
    return (
        len(w) >= 6
        and w[0].isupper()
        and w[1:].islower()
        and w not in _gazetteer()[1]
        and not is_common(w.lower())
    )


_JOIN = frozenset({"-", "/", "&ndash;", "&mdash;", "–", "'", "’", "+"})
_STRONG, _WEAK = 2, 1
_MAX_CHUNK = 24  # no name is longer; bounds the per-chunk work on pathological input


@lru_cache(maxsize=65536)
def _namey_word(w: str, kind: str) -> bool:
    """A token that can be part of a name: capitalised, not a day, unit or generic acronym.

    It depends on the token's text and kind only, so it is cached.
    """
    t = Tok(0, len(w), w, kind)
    if t.kind == "dom":
        return True
    if not t.cap:
        return t.kind == "w" and t.t in _gazetteer()[1]  # kumparan, iPhone
    return (
        t.low not in NON_ENTITY
        and t.low not in MONTHS_DAYS
        and not (t.upper and t.low in GENERIC_ACRONYMS)
        and not _MONEY.match(t.low)
    )


_MODEL_RE = re.compile(r"[A-Z]{1,3}[0-9]{1,4}[a-z]?")  # a model code: S24, X5, A54
_MONEY = re.compile(r"(?:rp|usd|us|idr)[0-9]")


def _strong_start(t: Tok) -> bool:
    """A token after `( ABBR )` that continues a formal name (place, acronym, unit, number)."""
    return (
        t.t.isdigit()
        or t.low in LOC_PREFIX
        or (t.upper and t.low not in GENERIC_ACRONYMS)
        or t.t in _gazetteer()[1]
    )


def _chunks(toks: list[Tok]) -> list[list[Tok]]:
    """Maximal runs of name-like tokens on one line, with the joiners names contain."""
    out: list[list[Tok]] = []
    n = len(toks)
    namey = [_namey_word(t.t, t.kind) for t in toks]
    i = 0
    while i < n:
        if not namey[i]:
            i += 1
            continue
        b = toks[i - 1] if i > 0 else None
        if (
            b is not None
            and b.t == "."
            and not b.space
            and not toks[i].space
            and i > 1
            and len(toks[i - 2].t) == 1
        ):  # the `Hum` of `M.Hum`
            i += 1
            continue
        head = toks[i].low
        org = head in ORG_PREFIX or head in EVENT_PREFIX
        minister = head in MINISTER_TITLES  # `Menteri Hukum dan HAM`: a portfolio with `dan`
        chunk = [toks[i]]
        j = i + 1
        while j < n:
            u = toks[j]
            if u.nl or len(chunk) >= _MAX_CHUNK:
                break
            nxt = toks[j + 1] if j + 1 < n else None
            ok_next = (
                nxt is not None
                and not nxt.nl
                and (
                    namey[j + 1]
                    or (
                        nxt.upper
                        and nxt.kind == "w"
                        and (
                            org
                            or (minister and _portfolio(chunk[-1]))
                            or (u.t == "-" and not u.space and not nxt.space)
                        )
                    )
                )
            )
            if namey[j] or (u.upper and (org or (minister and _portfolio(chunk[-1])))):
                chunk.append(u)
                org = org or u.low in ORG_PREFIX
                minister = minister or u.low in MINISTER_TITLES
                j += 1
            elif (u.t == "+" and not u.space) or (
                u.kind == "w"
                and u.t.isdigit()
                and (
                    head in EVENT_PREFIX or head in ORG_PREFIX or chunk[-1].upper or head == "liga"
                )
            ):
                chunk.append(u)
                j += 1
            elif (
                ok_next
                and nxt is not None
                and (
                    (
                        u.low in _CONNECT
                        and (
                            u.low not in ("dan", "and")
                            or org
                            or (minister and _portfolio(chunk[-1]) and _portfolio(nxt))
                        )
                    )
                    or (u.t in _JOIN and not u.space and not nxt.space)
                    or (
                        u.t == "." and len(chunk[-1].t) == 1 and chunk[-1].t.isupper() and nxt.space
                    )
                )
            ):
                chunk.extend((u, toks[j + 1]))
                j += 2
            elif (
                u.t == "("
                and org
                and j + 3 < n
                and toks[j + 2].t == ")"
                and namey[j + 1]
                and not toks[j + 3].nl
                and _strong_start(toks[j + 3])
            ):
                chunk.extend(toks[j : j + 4])
                j += 4
            else:
                break
        while chunk and (chunk[-1].kind == "p" or chunk[-1].low in _CONNECT):
            chunk.pop()
        # An academic degree glued after a name (M.Hum, S.H) is not part of it.
        while (
            len(chunk) > 1
            and len(chunk[-1].t) == 1
            and j + 1 < n
            and toks[j].t == "."
            and not toks[j].space
            and not toks[j + 1].space
            and toks[j + 1].kind == "w"
        ):
            chunk.pop()
        if (
            len(chunk) == 1
            and len(chunk[0].t) == 1
            and (chunk[0].t in "IVX" or (j < n and toks[j].t == "." and not toks[j].space))
        ):
            chunk = []  # a roman numeral or a degree's initial (`D.O.`)
        if chunk and not _after_law(toks, chunk[0].i):
            out.append(chunk)
        i = j
    return out


def _after_law(toks: list[Tok], i: int) -> bool:
    """Names of laws are not annotated: `Undang-Undang X`, `UU X`, `Peraturan X`."""
    for j in (i - 1, i - 2):
        if j >= 0 and (toks[j].low in LAW_PREFIX or toks[j].t == "UU"):
            return True
    return toks[i].low in LAW_PREFIX


def _gaz_match(
    c: list[Tok], p: int, gaz: dict[tuple[str, ...], str], first: dict[str, int]
) -> tuple[int, str]:
    """Longest gazetteer entry starting at c[p]: (length in tokens, label) or (0, '')."""
    longest = first.get(c[p].t, 0)
    for ln in range(min(longest, len(c) - p), 0, -1):
        label = gaz.get(tuple(t.t for t in c[p : p + ln]))
        if label:
            return ln, label
    return 0, ""


def _is_title(c: list[Tok], p: int) -> int:
    """Number of tokens of a title starting at c[p] (0 when none)."""
    low = c[p].low
    if p + 1 < len(c) and (low, c[p + 1].low) in TITLE_PAIRS:
        return 2
    return 1 if low in TITLES else 0


def _org_type_phrase(c: list[Tok], p: int, q: int) -> bool:
    """Whether c[q], right after the organisation head c[p], completes a two-word type
    name whose second word is elsewhere a title (``Direktorat Jenderal``)."""
    return q == p + 1 and (c[p].low, c[q].low) in ORG_TYPE_PHRASES


def _english_title(c: list[Tok], p: int) -> int:
    """Tokens of an English job title at c[p] (`Head of Communications`), 0 when none."""
    m = len(c)
    q = p
    end = 0
    head = False
    while q < m:
        u = c[q]
        if u.low in EN_TITLE_HEAD or u.low in EN_TITLE_MOD:
            head = head or u.low in EN_TITLE_HEAD
            q += 1
            if head:
                end = q
        elif (
            q > p
            and q + 1 < m
            and (
                u.low in ("of", "and", "&", "dan")
                or (u.t == "-" and not u.space and not c[q + 1].space)
            )
            and (c[q + 1].low in EN_TITLE_HEAD or c[q + 1].low in EN_TITLE_MOD)
        ):
            q += 1
        else:
            break
    return end - p if end else 0


def _hyphen_tail(
    c: list[Tok], q: int, gaz: dict[tuple[str, ...], str], first: dict[str, int]
) -> int:
    """Extend a name over `-ACRONYM` written without spaces (`Kemenkop-UKM`).

    Two known names joined by a hyphen (`TNI-Polri`, `Jogja-Bandung`) stay apart.
    """
    m = len(c)
    while (
        q + 1 < m
        and c[q].t == "-"
        and not c[q].space
        and not c[q + 1].space
        and c[q + 1].upper
        and c[q + 1].kind == "w"
        and not _gaz_match(c, q + 1, gaz, first)[0]
    ):
        q += 2
    return q


def _portfolio(t: Tok) -> bool:
    """A word that can carry on a title's portfolio after `dan`."""
    return t.kind == "w" and (_common(t) or (t.upper and t.low in GENERIC_ACRONYMS))


def _acronym(t: Tok) -> bool:
    return (
        t.upper
        and t.kind == "w"
        and t.low not in GENERIC_ACRONYMS
        and not (len(t.t) > 4 and is_common(t.low))
    )


def _common(t: Tok) -> bool:
    return t.kind == "w" and not t.upper and (t.low in FUNCTION or is_common(t.low))


class _Doc:
    """Rule pass over one article: spans as (first token, end token, label, strength)."""

    def __init__(self, toks: list[Tok]) -> None:
        self.toks = toks
        self.gaz, self.first = _gazetteer()
        self.spans: list[tuple[int, int, str, int]] = []
        self.dropped: list[int] = []
        # Words written with a capital inside a sentence somewhere in the article are names.
        self.midcap = {t.t for t in toks if t.cap and not t.sent and not t.headline}
        self.lower = {t.t for t in toks if t.kind == "w" and t.t.islower()}
        for chunk in _chunks(toks):
            self._segment(chunk)
        if _on("article-consistency"):
            self._propagate()

    def _before(self, t: Tok) -> Tok | None:
        return self.toks[t.i - 1] if t.i > 0 else None

    def _emit(self, c: list[Tok], a: int, b: int, label: str, strength: int) -> None:
        while b > a and (c[b - 1].kind == "p" or c[b - 1].low in _CONNECT):
            b -= 1
        while a < b and (c[a].kind == "p" or c[a].low in _CONNECT):
            a += 1
        if a < b:
            self.spans.append((c[a].i, c[b - 1].i + 1, label, strength))

    def _dateline(self, c: list[Tok]) -> bool:
        """`JAKARTA, KOMPAS.com -` / `Semarang (ANTARA) -` / `Liputan6.com, Medan -` place."""
        toks, n = self.toks, len(self.toks)
        k = c[-1].i + 1
        if (
            c[0].nl
            and all(t.upper or t.kind == "p" for t in c)
            and k + 1 < n
            and toks[k].t in (",", "(")
            and (toks[k + 1].kind == "dom" or toks[k + 1].upper)
        ):
            return True
        b = self._before(c[0])
        bb = self._before(b) if b is not None else None
        return (
            b is not None
            and b.t == ","
            and bb is not None
            and bb.kind == "dom"
            and bb.nl
            and k < n
            and toks[k].t in ("-", "–", "—")
        )

    def _segment(self, c: list[Tok]) -> None:
        m = len(c)
        if _on("dateline-place") and self._dateline(c) and not any(t.kind == "dom" for t in c):
            self._emit(c, 0, m, LOC, _STRONG)
            return
        p = 0
        after_title = False
        while p < m:
            t = c[p]
            if t.kind == "p" or t.low in _CONNECT or t.t.isdigit():
                p += 1
                continue
            if t.kind == "dom" and _on("domain-organisation"):
                self._emit(c, p, p + 1, ORG, _STRONG)
                p += 1
                continue
            if p + 1 < m and (t.low, c[p + 1].low) in GENERIC_PHRASES:
                p += 2
                continue
            sfx = p
            while (
                sfx < m
                and not _is_title(c, sfx)
                and c[sfx].low not in ORG_SUFFIX
                and c[sfx].low not in EVENT_SUFFIX
                and not (sfx > p and (c[sfx].low in EN_TITLE_HEAD or c[sfx].low in EN_TITLE_MOD))
            ):
                sfx += 1
            if p < sfx < m and not (t.sent and _common(t)) and _on("type-word-last"):
                # A place name then a company or event word (invented: `Nusantara Raya
                # Airlines`, `Lasem Open`): English names put the type word last.
                suffixes = ORG_SUFFIX if c[sfx].low in ORG_SUFFIX else EVENT_SUFFIX
                if c[sfx].low in suffixes:
                    while sfx + 1 < m and c[sfx + 1].low in suffixes:
                        sfx += 1
                    self._emit(c, p, sfx + 1, ORG if suffixes is ORG_SUFFIX else EVENT, _STRONG)
                    p = sfx + 1
                    continue
            etl = _english_title(c, p) if _on("english-title") else 0
            if etl:
                p += etl  # `Head of Communications`, `Chief Executive Officer`
                after_title = True
                continue
            glen, glabel = _gaz_match(c, p, self.gaz, self.first)
            if glen and _on("gazetteer"):
                q = p + glen
                if glabel == ORG and q < m and c[q].space:
                    g2, l2 = _gaz_match(c, q, self.gaz, self.first)
                    if l2 == LOC:
                        q += g2
                elif glabel == LOC and q < m and c[q].low in _DIRECTIONS:
                    q += 1
                elif glabel == EVENT:
                    while q < m and c[q].t.isdigit():
                        q += 1
                elif (
                    glabel == PRODUCT
                    and q < m
                    and c[q].space
                    and c[q].low in COUNTRY_AFTER
                    and _gaz_match(c, q, self.gaz, self.first) == (1, LOC)
                ):
                    q += 1  # `TikTok Indonesia`: the brand's local company
                    glabel = ORG
                if glabel == ORG:
                    q = _hyphen_tail(c, q, self.gaz, self.first)
                if glabel in (PRODUCT, ORG) and tuple(u.t for u in c[p:q]) in _dual():
                    glabel = self._brand_label(c[p], c[q - 1], glabel)
                nxt = self.toks[c[q - 1].i + 1] if c[q - 1].i + 1 < len(self.toks) else None
                b0 = self._before(c[p])
                if (
                    glabel == LOC
                    and q - p == 1
                    and (
                        (b0 is not None and b0.low in TEAM_BEFORE)
                        or (nxt is not None and nxt.low in VERSUS)
                    )
                ):
                    glabel = ORG  # a country's team
                b = self._before(c[p])
                if glabel == LOC and b is not None and b.low == "bahasa" and q - p == 1:
                    p = q  # the language, not the country
                    continue
                self._emit(c, p, q, glabel, _STRONG)
                p = q
                continue
            # Sentence-initial or headline common words are not names.
            if (
                ((t.sent and p == 0) or t.headline)
                and _on("sentence-initial-common-word")
                and _common(t)
                and t.low not in ORG_PREFIX
                and t.low not in LOC_PREFIX
                and t.low not in EVENT_PREFIX
                and not _is_title(c, p)
                and (t.t not in self.midcap or t.low in FUNCTION)
                and not (  # `Budi Santoso` opening a sentence: a given name, not `budi`
                    t.low in GIVEN_NAMES
                    and p + 1 < m
                    and c[p + 1].kind == "w"
                    and not c[p + 1].upper
                    and not _common(c[p + 1])
                    and not _gaz_match(c, p + 1, self.gaz, self.first)[0]
                )
            ):
                if m == 1:
                    self.dropped.append(t.i)
                p += 1
                continue
            tl = _is_title(c, p) if _on("title-before-name") else 0
            if tl:
                p = self._title_end(c, p, tl)
                after_title = True
                continue
            low = t.low
            for prefixes, label in (
                (ORG_PREFIX, ORG),
                (LOC_PREFIX, LOC),
                (EVENT_PREFIX, EVENT),
                (PRODUCT_PREFIX, PRODUCT),
            ):
                if low in prefixes and _on("type-word-first"):
                    q = self._prefixed_end(c, p, label)
                    if q - p > 1 or t.upper:
                        self._emit(c, p, q, label, _STRONG)
                    p = q
                    break
            else:
                if _acronym(t) and _on("acronym-organisation"):
                    q = _hyphen_tail(c, p + 1, self.gaz, self.first)
                    while q < m and c[q].space:
                        g2, l2 = _gaz_match(c, q, self.gaz, self.first)
                        if l2 == LOC:
                            q += g2
                        elif _acronym(c[q]) and not g2:
                            q += 1
                        elif c[q].low in LOC_PREFIX and q + 1 < m:
                            q = self._prefixed_end(c, q, LOC)
                            break
                        else:
                            break
                    self._emit(c, p, q, ORG, _STRONG if q > p + 1 else _WEAK)
                    p = q
                    continue
                q = p + 1
                joined = False
                while q < m:
                    h = _hyphen_tail(c, q, self.gaz, self.first)
                    if h > q:
                        q, joined = h, True  # `Kemenpan-RB`: a name plus an acronym
                        continue
                    if _MODEL_RE.fullmatch(c[q].t) and any(ch.isdigit() for ch in c[q].t):
                        q += 1  # `Galaxy S24`: a model code ends a product name
                        break
                    if (
                        _is_title(c, q)
                        or _acronym(c[q])
                        or c[q].low in ("dan", "and")
                        or _gaz_match(c, q, self.gaz, self.first)[0]
                        or c[q].low in ORG_PREFIX
                        or c[q].low in LOC_PREFIX
                        or (c[q].headline and _common(c[q]))
                    ):
                        break
                    q += 1
                if joined:
                    label, strength = ORG, _WEAK
                else:
                    label, strength = self._name_label(c, p, q, after_title)
                if _on("capitalised-run"):
                    self._emit(c, p, q, label, strength)
                p = q
        return

    def _title_end(self, c: list[Tok], p: int, tl: int) -> int:
        """End of a title starting at c[p] (``tl`` tokens of title words), before the name.

        The rest of the title is its common words (`Menteri Luar Negeri`, `Deputi
        Penindakan`). A minister's portfolio also takes `dan`, generic acronyms and
        words that elsewhere open an organisation (invented: `Menteri Perikanan dan Kelautan`,
        `Menteri Pemuda dan UMKM`); a `Bidang ...` field continues any title.
        """
        m = len(c)
        minister = any(u.low in MINISTER_TITLES for u in c[p : p + tl])
        p += tl
        while p < m:
            u = c[p]
            if u.low in MINISTER_TITLES:
                minister = True
                p += 1
                continue
            if (
                u.low in ("dan", "&")
                and (minister or c[p - 1].low == "bidang" or _common(c[p - 1]))
                and p + 1 < m
                and (_portfolio(c[p + 1]) or (minister and c[p + 1].upper))
            ):
                p += 1
                continue
            if minister and u.upper and u.low in GENERIC_ACRONYMS:
                p += 1
                continue
            if (
                _common(u)
                and not _gaz_match(c, p, self.gaz, self.first)[0]
                and (u.low not in ORG_PREFIX or minister)
                and u.low not in LOC_PREFIX
                and u.low not in GIVEN_NAMES
                and (p + 1 < m or u.low not in _lexicon())
            ):
                p += 1
                continue
            break
        return p

    def _brand_label(self, first: Tok, last: Tok, label: str) -> str:
        """`TikTok` the company (ORG) or the app (PRODUCT), from the words around it."""
        toks, n = self.toks, len(self.toks)
        b = toks[first.i - 1].low if first.i > 0 else ""
        if b in PLATFORM_BEFORE and (label == PRODUCT or b not in ("di", "ke")):
            return PRODUCT
        if b in COMPANY_BEFORE:
            return ORG
        if b == "dengan" and any(
            toks[k].low in MEETING_WORDS for k in range(max(0, first.i - 6), first.i - 1)
        ):
            return ORG  # `pertemuan ... dengan X`: a party to a meeting
        k = last.i + 1
        if k < n and toks[k].kind == "w" and toks[k].low in COMPANY_VERBS:
            return ORG
        return label

    def _prefixed_end(self, c: list[Tok], p: int, label: str) -> int:
        """End of a name opened by an ORG/LOC/EVENT prefix: before a title or a person."""
        m = len(c)
        q = p + 1
        private = c[p].low in ORG_PRIVATE
        while q < m and not (_is_title(c, q) and not _org_type_phrase(c, p, q)):
            u = c[q]
            if label == ORG and private and q > p + 1 and u.low in ADMINISTRATIVE_UNITS:
                break
            g, gl = _gaz_match(c, q, self.gaz, self.first)
            if gl == LOC and q + g < m:
                nxt = c[q + g]
                if nxt.kind == "w" and nxt.cap and not nxt.upper and nxt.low not in _DIRECTIONS:
                    return q + g  # `Pos SAR Banyuwangi` + a person's name
            if u.upper and q + 1 < m and q > p:
                nxt = c[q + 1]
                if (
                    nxt.kind == "w"
                    and nxt.cap
                    and not nxt.upper
                    and nxt.low not in _DIRECTIONS
                    and not _gaz_match(c, q + 1, self.gaz, self.first)[0]
                    and nxt.low not in LOC_PREFIX
                ):
                    return q + 1  # `Kementerian ABC` + a person's name
            q += max(g, 1)
        return q

    def _name_label(self, c: list[Tok], p: int, q: int, after_title: bool) -> tuple[str, int]:
        """Label an unknown capitalised run from its last word and the word before it."""
        last = c[q - 1].low
        before = self._before(c[p])
        blow = before.low if before is not None else ""
        if last in ORG_SUFFIX:
            return ORG, _STRONG
        if after_title:
            return PER, _STRONG
        words = [u for u in c[p:q] if u.kind == "w"]
        if not any(u.low in GIVEN_NAMES for u in words) and (
            any(u.low in EN_PRODUCT_WORDS for u in words)
            or (
                len(words) > 1
                and not words[0].upper
                and _MODEL_RE.fullmatch(words[-1].t) is not None
                and not is_common(words[0].low)
            )
        ):
            return PRODUCT, _WEAK  # `Project S`, `Trendy Beat`, `Galaxy S24`
        if last in _DIRECTIONS and q - p > 1:
            return LOC, _WEAK
        if blow in PRODUCT_BEFORE:
            return PRODUCT, _WEAK
        if blow in LOC_BEFORE:
            return LOC, _WEAK
        if blow in SPEECH_BEFORE:
            return PER, _STRONG
        return PER, _WEAK

    def _propagate(self) -> None:
        """Give weak spans the label that the same name has elsewhere in the article."""
        toks = self.toks
        spans = self.spans
        drop: set[int] = set()
        for k in range(len(spans) - 1):  # `Nama Panjang (NP)`: the abbreviation is the same kind
            a, b, label, strength = spans[k]
            a2, b2, _, strength2 = spans[k + 1]
            if not (
                b < len(toks)
                and toks[b].t == "("
                and a2 == b + 1
                and b2 < len(toks)
                and toks[b2].t == ")"
            ):
                continue
            if label == PER and strength == _WEAK and b - a > 1 and toks[a2].upper:
                label = ORG  # a long name with an acronym is an organisation
                spans[k] = (a, b, label, _WEAK)
            if (strength2 == _WEAK or toks[a2].upper) and b - a > 1:
                spans[k + 1] = (a2, b2, label, _STRONG)
        for k in range(len(spans)):  # `Seleksi Kompetensi Dasar (SKD)`: a generic term
            a, b, label, strength = spans[k]
            if (
                strength == _WEAK
                and b + 2 < len(toks)
                and toks[b].t == "("
                and toks[b + 1].low in GENERIC_ACRONYMS
                and toks[b + 2].t == ")"
            ):
                drop.add(k)
            if strength == _WEAK and b - a == 1 and toks[a].low in self.lower:
                drop.add(k)  # written in lower case elsewhere: a common noun
        spans = [sp for k, sp in enumerate(spans) if k not in drop]
        merged: list[tuple[int, int, str, int]] = []
        for sp in spans:  # `Dewas KPK`: adjacent organisation names are one name
            if (
                merged
                and sp[2] == ORG
                and merged[-1][2] == ORG
                and merged[-1][1] == sp[0]
                and toks[sp[0]].space
                and not toks[sp[0]].nl
                and toks[sp[0] - 1].kind == "w"
            ):
                a, _, _, st = merged[-1]
                merged[-1] = (a, sp[1], ORG, max(st, sp[3]))
            else:
                merged.append(sp)
        spans = merged
        whole: dict[str, Counter[str]] = defaultdict(Counter)
        part: dict[str, Counter[str]] = defaultdict(Counter)
        for a, b, label, _ in spans:
            # A bracketed word inside a name is its alias (`Badan Pemeriksa (Bapem) Kota`).
            for k in range(a + 1, b - 1):
                if toks[k].t == "(" and toks[k + 2].t == ")" if k + 2 < b else False:
                    whole[toks[k + 1].t][label] += 1
        for a, b, label, strength in spans:
            text = " ".join(t.t for t in toks[a:b])
            if strength == _STRONG:
                whole[text][label] += 1
            if label == PER and (b - a > 1 or strength == _STRONG):
                for t in toks[a:b]:
                    if t.kind == "w" and len(t.t) > 1:
                        part[t.t][PER] += 1
            elif label == LOC and strength == _STRONG and toks[a].low in LOC_PREFIX:
                for t in toks[a + 1 : b]:
                    if t.kind == "w" and not t.upper:
                        part[t.t][LOC] += 1
        new = []
        for a, b, label, strength in spans:
            if strength == _WEAK:
                text = " ".join(t.t for t in toks[a:b])
                if text in whole:
                    label = whole[text].most_common(1)[0][0]
                else:
                    labs = {part[t.t].most_common(1)[0][0] for t in toks[a:b] if t.t in part}
                    if len(labs) == 1:
                        label = labs.pop()
                    elif (
                        a > 1
                        and toks[a - 1].t == ","
                        and new
                        and new[-1][1] == a - 1
                        and new[-1][2] == LOC
                        and b - a == 1
                    ):
                        label = LOC  # `Kota, Negara`
            new.append((a, b, label, strength))
        for i in self.dropped:
            if toks[i].t in part and part[toks[i].t].most_common(1)[0][0] == PER:
                new.append((i, i + 1, PER, _WEAK))
        new.sort()
        self.spans = new


def annotate(
    text: str,
    boilerplate: Sequence[dict] = (),
    with_strength: bool = False,
    doc: Doc | None = None,
) -> list[dict]:
    """Entity spans of the article's content by the rules, sorted and flat; with
    ``with_strength``, each says whether a strong cue (a title, a prefix, the
    gazetteer...) made it (``strong``) or only weak evidence did. ``doc`` is the
    article's :class:`~warta.doc.Doc` when the caller has one (its tokens are shared)."""
    toks = _prepare(text, boilerplate, doc)
    if not toks:
        return []
    out = []
    for a, b, label, strength in _Doc(toks).spans:
        s, e = toks[a].s, toks[b - 1].e
        span = {"start": s, "end": e, "label": label, "text": text[s:e]}
        if with_strength:
            span["strong"] = strength >= _STRONG
        out.append(span)
    return out
