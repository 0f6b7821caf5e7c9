"""Token features for the CRF entity tagger.

Each token becomes a list of string features (crfsuite's binary attributes).
What depends on the word alone (shape, affixes, lexicon classes, dictionary
membership, proper-noun statistics) is computed once per distinct word and
cached; the context window, sentence position, gazetteer matches and the
article-level consistency features are added per occurrence.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable, Iterator, Sequence
from functools import lru_cache

from warta import lexicons
from warta.ner import patterns
from warta.tokens import Token, sentence_starts

# Bumped when the features change, so a bundle says which features its weights expect.
FEATURES_VERSION = 10
WINDOW = 2
GAZ_MAX_TOKENS = 6

_SHAPE_SUBS = ((re.compile(r"[A-Z]"), "X"), (re.compile(r"[a-z]"), "x"), (re.compile(r"\d"), "d"))
_REPEAT = re.compile(r"(.)\1+")

_CLASS_LISTS = (
    ("person_titles", "TTL"),
    ("academic_degrees", "TTL"),
    ("org_heads", "ORGH"),
    ("org_suffixes", "ORGH"),
    ("place_prefixes", "LOCP"),
    ("event_words", "EVW"),
    ("product_cues", "PRDC"),
    ("months_days", "DATE"),
)


@lru_cache(maxsize=1)
def _dictionary() -> frozenset[str]:
    """Indonesian root words: Sastrawi's dictionary (already a dependency)."""
    try:
        from importlib.resources import files

        data = files("Sastrawi.Stemmer.data").joinpath("kata-dasar.txt").read_text("utf-8")
    except (ModuleNotFoundError, FileNotFoundError):
        return frozenset()
    return frozenset(w.strip().lower() for w in data.split() if w.strip())


_SUFFIXES = ("nya", "lah", "kah", "kan", "an", "i")
_PREFIXES = (
    "meng",
    "meny",
    "mem",
    "men",
    "me",
    "peng",
    "peny",
    "pem",
    "pen",
    "pe",
    "ber",
    "be",
    "ter",
    "di",
    "ke",
    "se",
)


@lru_cache(maxsize=200_000)
def _is_dictionary_word(lower: str) -> bool:
    """Is the word, or the word without a common affix, an Indonesian root word?

    Sastrawi's full stemmer costs milliseconds per unseen word; stripping one
    suffix and one prefix finds the root of most inflected words at a
    fraction of that, which keeps tagging fast on new text.
    """
    vocab = _dictionary()
    if lower in vocab:
        return True
    if not lower.isalpha() or len(lower) < 4:
        return False
    bases = [lower] + [lower[: -len(s)] for s in _SUFFIXES if lower.endswith(s)]
    for base in bases:
        if len(base) >= 3 and base in vocab:
            return True
        for p in _PREFIXES:
            if base.startswith(p) and len(base) - len(p) >= 3:
                root = base[len(p) :]
                if root in vocab or (p[-1] in "mn" and ("p" + root) in vocab):
                    return True
    return False


def shape(word: str) -> str:
    out = word
    for pattern, repl in _SHAPE_SUBS:
        out = pattern.sub(repl, out)
    return out


def short_shape(word: str) -> str:
    return _REPEAT.sub(r"\1", shape(word))


@lru_cache(maxsize=1)
def _classes() -> dict[str, str]:
    out: dict[str, str] = {}
    for name, tag in _CLASS_LISTS:
        for w in lexicons.words(name):
            out.setdefault(w, tag)
    return out


def _nnp_bucket(lower: str) -> str:
    stats = lexicons.proper_noun_ratio().get(lower)
    if stats is None:
        return "unk"
    nnp, total = stats
    ratio = nnp / total
    if ratio >= 0.9:
        return "hi"
    if ratio >= 0.5:
        return "mid"
    if ratio > 0.05:
        return "lo"
    return "no"


@lru_cache(maxsize=200_000)
def word_info(word: str, chunk: str) -> tuple:
    """(intrinsic features, lowercase word, short shape, lexicon class, context features)."""
    lower = word.lower()
    ss = short_shape(word)
    cls = _classes().get(lower.rstrip("."), "")
    feats = [f"w={lower}", f"ss={ss}", f"p3={lower[:3]}", f"s3={lower[-3:]}"]
    alpha = word[:1].isalpha()
    if word[:1].isupper():
        feats.append("cap")
        if word.isupper() and len(word) > 1:
            feats.append("caps")
        elif word[1:].islower():
            feats.append("title")
    if any(c.isdigit() for c in word):
        feats.append("digit")
        if word.isdigit():
            feats.append(f"num{min(len(word), 5)}")
            if len(word) == 4 and word[:2] in ("19", "20"):
                feats.append("year")
    if word.startswith("&") and word.endswith(";") and len(word) > 2:
        feats.append("html")
    if not alpha and not word[:1].isdigit():
        feats.append("punct")
    if cls:
        feats.append(f"lex={cls}")
    if alpha:
        feats.append(f"nnp={_nnp_bucket(lower)}")
        feats.append(f"pos={lexicons.pos_majority().get(lower, 'unk')}")
        if _is_dictionary_word(lower):
            feats.append("dict")
    if chunk != lower:
        feats.append(f"chunk={chunk}")
        feats.append("glued")
    return tuple(feats), lower, ss, cls, _context(lower, ss, cls)


@lru_cache(maxsize=200_000)
def _context(lower: str, ss: str, cls: str) -> tuple[tuple[str, ...], ...]:
    """The features a word gives its neighbours, by offset -2, -1, +1, +2 (cached)."""
    out = []
    for off in (-2, -1, 1, 2):
        f = (f"{off}w={lower}", f"{off}ss={ss}") if off in (-1, 1) else (f"{off}w={lower}",)
        out.append((*f, f"{off}lex={cls}") if cls else f)
    return tuple(out)


@lru_cache(maxsize=1)
def _gazetteer() -> tuple[dict[tuple[str, ...], str], int]:
    from warta.tokens import tokenize

    table: dict[tuple[str, ...], str] = {}
    longest = 1
    for name, label in lexicons.NAME_LISTS.items():
        for entry in lexicons.names(name):
            key = tuple(t.text.lower() for t in tokenize(entry))
            if key and len(key) <= GAZ_MAX_TOKENS:
                table.setdefault(key, label)
                longest = max(longest, len(key))
    return table, longest


def gazetteer_tags(lowers: Sequence[str], caps: Sequence[bool]) -> list[str | None]:
    """BIO tags of the longest gazetteer matches that start with a capitalised token."""
    table, longest = _gazetteer()
    out: list[str | None] = [None] * len(lowers)
    i = 0
    n = len(lowers)
    while i < n:
        if not caps[i]:
            i += 1
            continue
        hit = 0
        label = ""
        for size in range(min(longest, n - i), 0, -1):
            found = table.get(tuple(lowers[i : i + size]))
            if found:
                hit, label = size, found
                break
        if hit:
            out[i] = f"B-{label}"
            for j in range(i + 1, i + hit):
                out[j] = f"I-{label}"
            i += hit
        else:
            i += 1
    return out


def document_features(
    tokens: Sequence[Token],
    text: str,
    hints: Sequence[str] | None = None,
    wanted: Sequence[bool] | None = None,
    starts: Sequence[bool] | None = None,
) -> list[list[str]]:
    """Feature lists of the tokens of one article (sequences are cut later).

    ``hints`` are optional BIO tags per token from another annotator (the rule
    cascade), used as features of the token and its neighbours. With
    ``wanted``, only those tokens get features (the others an empty list);
    article-level evidence is still gathered from every token. ``starts`` are the
    tokens' sentence starts when the caller has them (a :class:`warta.doc.Doc`'s).
    """
    infos = [word_info(t.text, t.chunk) for t in tokens]
    n = len(tokens)
    if starts is None:
        starts = sentence_starts(tokens, text)
    caps = [t.text[:1].isupper() for t in tokens]
    cased_mid, lower_seen = _casing(infos, caps, starts)
    gaz = gazetteer_tags([info[1] for info in infos], caps)
    evidence = _doc_evidence(infos, caps, gaz) if DOC_EVIDENCE else {}
    tails = _run_tails(infos, caps)
    pattern_feats = _pattern_features(tokens, text, infos, caps)
    pad = (("", "<s>", "<s>", "", _context("<s>", "<s>", "")),) * WINDOW
    ctx = (*pad, *infos, *(("", "</s>", "</s>", "", _context("</s>", "</s>", "")),) * WINDOW)
    out: list[list[str]] = []
    for i in range(n):
        if wanted is not None and not wanted[i]:
            out.append([])
            continue
        feats, lower, _ss, _cls, _ = infos[i]
        k = i + WINDOW
        f = [
            "b",
            *feats,
            *ctx[k - 2][4][0],
            *ctx[k - 1][4][1],
            *ctx[k + 1][4][2],
            *ctx[k + 2][4][3],
        ]
        if starts[i]:
            f.append("sent0")
        if not tokens[i].space_before:
            f.append("nospace")
        if caps[i] and lower in cased_mid:
            f.append("doc:capmid")
        if lower in lower_seen:
            f.append("doc:lower")
        if gaz[i]:
            f.append(f"gaz={gaz[i]}")
        if caps[i]:
            f.extend(evidence.get(lower, ()))
        if tails[i]:
            f.append(tails[i])
        f.extend(pattern_feats[i])
        f.append(f"-1w|w={ctx[k - 1][1]}|{lower}")
        f.append(f"w|+1w={lower}|{ctx[k + 1][1]}")
        if i > 0 and gaz[i - 1]:
            f.append(f"-1gaz={gaz[i - 1]}")
        if i + 1 < n and gaz[i + 1]:
            f.append(f"+1gaz={gaz[i + 1]}")
        if hints is not None:
            f.append(f"hint={hints[i]}")
            f.append(f"-1hint={hints[i - 1] if i else '<s>'}")
            f.append(f"+1hint={hints[i + 1] if i + 1 < n else '</s>'}")
        out.append(f)
    return out


def _pattern_features(
    tokens: Sequence[Token], text: str, infos: Sequence[tuple], caps: Sequence[bool]
) -> list[tuple[str, ...]]:
    """Per token, the patterns (:mod:`warta.ner.patterns`) that point at it and, for a
    capitalised token, the labels patterns gave the same word elsewhere in the article
    (initials introduced once by ``berinisial`` and then written alone)."""
    found = patterns.hits(text)
    if not found:
        return [()] * len(tokens)
    starts = [t.start for t in tokens]
    own: dict[int, set[str]] = {}
    named: dict[str, set[str]] = {}
    for hit in found:
        i = bisect_left(starts, hit.start)
        while i < len(tokens) and tokens[i].start < hit.end:
            if tokens[i].end <= hit.end:
                own.setdefault(i, set()).add(f"pat={hit.id}")
                named.setdefault(infos[i][1], set()).add(f"patdoc={hit.label}")
            i += 1
    out: list[tuple[str, ...]] = []
    for i, info in enumerate(infos):
        feats = own.get(i, set()) | (named.get(info[1], set()) if caps[i] else set())
        out.append(tuple(sorted(feats)))
    return out


def _casing(
    infos: Sequence[tuple], caps: Sequence[bool], starts: Sequence[bool]
) -> tuple[set[str], set[str]]:
    """Article-level consistency, how the same word is written where its case is
    informative: the words capitalised inside a sentence, and the words seen in lower case."""
    cased_mid: set[str] = set()
    lower_seen: set[str] = set()
    for i, info in enumerate(infos):
        lower = info[1]
        if not lower[:1].isalpha():
            continue
        if caps[i]:
            if not starts[i]:
                cased_mid.add(lower)
        else:
            lower_seen.add(lower)
    return cased_mid, lower_seen


DOC_EVIDENCE = True
_TRIGGERS = {"TTL": "ttl", "ORGH": "orgh", "LOCP": "locp", "EVW": "evw", "PRDC": "prdc"}


def _doc_evidence(
    infos: Sequence[tuple], caps: Sequence[bool], gaz: Sequence[str | None]
) -> dict[str, tuple[str, ...]]:
    """Per capitalised word: what the article says about it anywhere (a name is written
    after a person title in one place and alone in others).

    A run of capitalised tokens is read left to right: leading trigger words
    (person titles, organisation heads, place prefixes, event and product
    words) are noted, and every later word of the run gets that trigger as
    evidence; a trigger just before the run counts the same. Gazetteer hits,
    membership in a run of two or more words, and a bracketed all-capitals
    word right after a run (an abbreviation defined in the text) are noted too.
    """
    found: dict[str, set[str]] = {}
    n = len(infos)
    for i, j in _capital_runs(infos, caps, str.isalpha):
        trig = ""
        before = _before_run(infos, i)
        if before in _TRIGGERS:
            trig = _TRIGGERS[before]
        k = i
        while k < j and infos[k][3] in _TRIGGERS:
            trig = _TRIGGERS[infos[k][3]]
            k += 1
        # A trailing type word (``... Cup``, ``... Institute``) types the words before it.
        tail = ""
        if j - k >= 2 and infos[j - 1][3] in _TRIGGERS:
            tail = _TRIGGERS[infos[j - 1][3]]
        multi = j - i >= 2
        for m in range(k, j):
            ev = found.setdefault(infos[m][1], set())
            if trig:
                ev.add(f"doc:{trig}")
            if tail and m < j - 1:
                ev.add(f"doc:tail={tail}")
            if multi:
                ev.add("doc:multi")
            if gaz[m]:
                ev.add(f"doc:gaz={gaz[m][2:]}")
        if j + 2 < n and infos[j][1] == "(" and infos[j + 2][1] == ")":
            word = infos[j + 1]
            if word[2] == "X" or word[2] == "Xx":
                found.setdefault(word[1], set()).add(f"doc:abbr={trig or 'none'}")
    return {w: tuple(sorted(v)) for w, v in found.items()}


def _before_run(infos: Sequence[tuple], i: int) -> str:
    """The lexicon class of the word before token ``i``, looking past the full stop of
    an abbreviated one (``Jl.``, ``Kab.``, ``Dr.``)."""
    if i > 0 and infos[i - 1][3]:
        return infos[i - 1][3]
    if i > 1 and infos[i - 1][1] == "." and infos[i - 2][3]:
        return infos[i - 2][3]
    return ""


def _run_tails(infos: Sequence[tuple], caps: Sequence[bool]) -> list[str]:
    """Per token: the lexicon class of the last word of its run of capitalised words.

    Names borrowed from English put the type word last (``... Cup``, ``...
    Institute``, ``... Airlines``), where the token's own ±2 window may not reach.
    """
    out = [""] * len(infos)
    for i, j in _capital_runs(infos, caps, str.isalnum):
        if j - i >= 2 and infos[j - 1][3]:
            for m in range(i, j):
                out[m] = f"run:tail={infos[j - 1][3]}"
    return out


def _capital_runs(
    infos: Sequence[tuple], caps: Sequence[bool], opens: Callable[[str], bool]
) -> Iterator[tuple[int, int]]:
    """(start, end) of each run of capitalised alphanumeric tokens whose first token's
    first character passes ``opens``."""
    n = len(infos)
    i = 0
    while i < n:
        if not caps[i] or not opens(infos[i][1][:1]):
            i += 1
            continue
        j = i
        while j < n and caps[j] and infos[j][1][:1].isalnum():
            j += 1
        yield i, j  # j > i: the first token passed the loop's own test
        i = j


def config() -> dict[str, object]:
    """What a bundle records about the features its weights expect."""
    return {
        "version": FEATURES_VERSION,
        "window": WINDOW,
        "gazetteer_max_tokens": GAZ_MAX_TOKENS,
        "word_lists": [name for name, _ in _CLASS_LISTS],
        "name_lists": dict(lexicons.NAME_LISTS),
        "patterns": patterns.config(),
    }
