"""Lines of an article and their features for the furniture CRF.

An article is read as its non-blank lines, each trimmed to its first and last
non-space character (the span a run of furniture lines gets, per the spec's
span rules). Features describe a line's place in the article, its shape, the
lexicon cues it holds and what the rules marked in it, and the same for its
neighbours, so runs (a list under a header) are seen as runs.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from warta.furniture import lexicon

# Bump when a feature changes: a bundle trained on other features is refused.
VERSION = 1
CONTENT = "O"
HEAD = 240  # characters of a line its shape features are read from
WINDOW = 2  # neighbouring lines on each side whose features a line sees
# At least this share of a line's non-space characters in one category's spans
# makes the line that category when training.
MAJORITY = 0.5

# Frequent Indonesian function words: prose is dense in them, furniture is not.
FUNCTION_WORDS = frozenset(
    "yang dan di ke dari ini itu dengan untuk pada dalam tidak akan juga ada adalah oleh "
    "karena sebagai bahwa atau sudah telah masih bisa dapat harus lebih saat ketika jika "
    "namun tetapi agar serta para kami kita ia dia mereka saya anda tersebut yaitu yakni "
    "seperti hingga sampai secara terhadap antara menjadi bagi tak belum pun lagi hanya "
    "sangat banyak beberapa setiap semua kata ujar katanya ujarnya".split()
)

_WORD = re.compile(r"[^\W\d_]+(?:[-'][^\W\d_]+)*")
# URLs, handles, domains and dates or times, in one pass over a line.
_MARKS = re.compile(
    r"(?P<url>https?://|www\.)"
    r"|(?P<handle>(?<![\w.])@\w{2,})"
    r"|(?P<domain>\b[\w-]{2,}\.(?i:com|co\.id|id|net|tv|org)\b)"
    r"|(?P<dateish>\d{1,2}[/:.]\d{2}|\b(?:19|20)\d{2}\b)"
)


@dataclass(frozen=True)
class Line:
    """A unit the model labels: a trimmed non-blank line, or a segment of a glued line.

    ``part`` says where a segment lies in its line: ``whole``, ``first``,
    ``mid`` or ``last``.
    """

    start: int
    end: int
    blank_before: bool
    part: str = "whole"


# Where a glued line is cut, besides cue starts and the rules' span edges: after a
# sentence's end, before an opening quote after a word, and after a run of two or
# more all-capital words followed by a capitalised word (furniture in capitals
# glued before the story).
_CUTS = re.compile(
    r"(?<=[.!?])[\"”’]?\s+(?=[\"“'‘(\[]?[A-Z0-9])"
    r"|(?<=[a-z][.!?])(?=[A-Z][a-z])"
    r"|(?<=[\w)])\s+(?=[\"“][A-Z])"
    r"|\b[A-Z]{2,}[ ][A-Z]{2,}\s+(?=[A-Z][a-z])"
)


def _segments(text: str, s: int, e: int, edges: Sequence[int]) -> list[tuple[int, int]]:
    """A line cut where glued furniture may start or end, each piece trimmed."""
    line = text[s:e]
    cuts = {s + m.start() for m in lexicon.starts().finditer(line)}
    cuts |= {s + m.end() for m in _CUTS.finditer(line)}
    cuts |= {x for x in edges if s < x < e}
    out = []
    a = s
    for c in sorted(cuts | {e}):
        b = c
        while b > a and text[b - 1].isspace():
            b -= 1
        x = a
        while x < b and text[x].isspace():
            x += 1
        if x < b:
            out.append((x, b))
        a = c
    return out


def lines(text: str, rule_spans: Sequence[Mapping[str, Any]] = ()) -> list[Line]:
    """The units of ``text`` in order: its non-blank lines, trimmed, and a line that
    holds a lexicon cue or part of a rule span cut into segments."""
    edges = sorted({int(x[k]) for x in rule_spans for k in ("start", "end")})
    out: list[Line] = []
    pos, blank = 0, True
    cue = lexicon.anywhere()
    for raw in text.split("\n"):
        s, e = pos, pos + len(raw)
        pos = e + 1
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if s == e:
            blank = True
            continue
        inside = bisect.bisect_right(edges, s) < bisect.bisect_left(edges, e)
        pieces = _segments(text, s, e, edges) if inside or cue.search(text, s, e) else []
        if len(pieces) <= 1:
            out.append(Line(s, e, blank))
        else:
            last = len(pieces) - 1
            for k, (a, b) in enumerate(pieces):
                part = "first" if k == 0 else "last" if k == last else "mid"
                out.append(Line(a, b, blank and k == 0, part))
        blank = False
    return out


def coverage(units: Sequence[Line], spans: Sequence[Mapping[str, Any]], text: str) -> list[Counter]:
    """Per line, the non-space characters of each label's spans that fall in it."""
    ordered = sorted((int(s["start"]), int(s["end"]), str(s["label"])) for s in spans)
    starts = [s for s, _, _ in ordered]
    out = []
    for u in units:
        c: Counter = Counter()
        k = max(0, bisect.bisect_right(starts, u.start) - 1)
        while k < len(ordered) and ordered[k][0] < u.end:
            s, e, lab = ordered[k]
            a, b = max(s, u.start), min(e, u.end)
            if a < b:
                c[lab] += b - a - sum(map(str.isspace, text[a:b]))
            k += 1
        out.append(c)
    return out


def _nonspace(text: str, u: Line) -> int:
    return u.end - u.start - sum(map(str.isspace, text[u.start : u.end]))


def gold_labels(text: str, units: Sequence[Line], spans: Sequence[Mapping[str, Any]]) -> list[str]:
    """Training labels: a line's majority category when it holds enough, else content."""
    out = []
    for u, c in zip(units, coverage(units, spans, text), strict=True):
        lab, n = c.most_common(1)[0] if c else (CONTENT, 0)
        out.append(lab if n >= MAJORITY * _nonspace(text, u) else CONTENT)
    return out


def _bucket(x: float, edges: Sequence[float]) -> int:
    return bisect.bisect_right(edges, x)


def _end_class(ch: str) -> str:
    if ch in ".":
        return "dot"
    if ch in "!?":
        return "bang"
    if ch in ":":
        return "colon"
    if ch in "\"”’'":
        return "quote"
    if ch in ")]":
        return "paren"
    if ch.isdigit():
        return "digit"
    if ch.isalpha():
        return "lower" if ch.islower() else "upper"
    return "other"


def _own(text: str, u: Line, rule: Counter) -> dict[str, float]:
    """The features of one line on its own."""
    n = u.end - u.start
    # A long line is prose or a glued run: its head says enough, and reading only
    # the head keeps the cost per line bounded.
    line = text[u.start : min(u.end, u.start + HEAD)]
    words = _WORD.findall(line)
    letters = sum(map(str.isalpha, line))
    caps = sum(map(str.isupper, line))
    digits = sum(map(str.isdigit, line))
    nonspace = max(1, len(line) - line.count(" "))
    f: dict[str, float] = {
        f"len={_bucket(n, (4, 11, 26, 51, 101, 201))}": 1.0,
        f"words={_bucket(len(words), (1, 2, 4, 8, 16, 32))}": 1.0,
        f"end={_end_class(text[u.end - 1])}": 1.0,
        f"start={_end_class(line[0])}": 1.0,
        f"caps={_bucket(caps / letters if letters else 0, (0.01, 0.2, 0.5, 0.9))}": 1.0,
        f"digits={_bucket(digits / nonspace, (0.01, 0.1, 0.3))}": 1.0,
    }
    if words:
        fw = sum(1 for w in words if w.lower() in FUNCTION_WORDS) / len(words)
        f[f"func={_bucket(fw, (0.01, 0.1, 0.2, 0.3))}"] = 1.0
        titled = sum(1 for w in words if w[0].isupper()) / len(words)
        f[f"titled={_bucket(titled, (0.3, 0.6, 0.9))}"] = 1.0
        f["w0=" + words[0].lower()] = 1.0
    for m in _MARKS.finditer(line):
        f[str(m.lastgroup)] = 1.0
    if ":" in line[:40]:
        f["colon_early"] = 1.0
    if u.blank_before:
        f["blank_before"] = 1.0
    f["part=" + u.part] = 1.0
    for e in lexicon.hits(line):
        f["lex=" + e.label] = 1.0
    if rule:
        lab, k = rule.most_common(1)[0]
        share = k / max(1, _nonspace(text, u))
        f["rule=" + lab] = 1.0
        f["rulecov=" + ("full" if share >= 0.9 else "part")] = 1.0
    else:
        f["rule=none"] = 1.0
    return f


# Own features that neighbours pass on (prefixed with their offset).
_SHARED = ("rule=", "lex=", "len=", "end=", "func=", "caps=", "blank_before", "part=")


def article_features(
    text: str,
    units: Sequence[Line],
    rule_spans: Sequence[Mapping[str, Any]],
    blind: bool = False,
) -> list[dict[str, float]]:
    """The feature dict of every line: its own, its place, and its neighbours'.

    ``blind`` leaves out what the rules marked: training sees each article also
    so, to learn furniture from the other features (at tagging time the rules'
    output is mostly there, but the lines the model must find are those without).
    """
    rules = coverage(units, rule_spans, text)
    own = [_own(text, u, r) for u, r in zip(units, rules, strict=True)]
    if blind:
        own = [{k: v for k, v in f.items() if not k.startswith(("rule=", "rulecov="))} for f in own]
    n = len(units)
    shared = [[k for k in f if k.startswith(_SHARED)] for f in own]
    out = []
    for i, f in enumerate(own):
        g = dict(f)
        g["bias"] = 1.0
        g[f"pos={_bucket(i / n, (0.1, 0.25, 0.5, 0.75, 0.9))}"] = 1.0
        g[f"from_start={min(i, 3)}"] = 1.0
        g[f"from_end={min(n - 1 - i, 3)}"] = 1.0
        for d in range(-WINDOW, WINDOW + 1):
            j = i + d
            if d == 0:
                continue
            if not 0 <= j < n:
                g[f"{d}:none"] = 1.0
                continue
            for key in shared[j]:
                g[f"{d}:{key}"] = 1.0
        out.append(g)
    return out


def config() -> dict[str, Any]:
    """What a bundle records of the features, so a mismatch is caught on load."""
    return {"version": VERSION, "window": WINDOW, "majority": MAJORITY, "head": HEAD}
