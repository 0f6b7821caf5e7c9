"""The fast paths of the annotators give exactly what the plain versions they replaced gave."""

from __future__ import annotations

import random
import re

from warta.annotators import entities

# The tokeniser as it was: regex tokens, then outlet domains merged token by token.
_TOKEN_RE = re.compile(
    r"(?P<ent>&(?:[a-zA-Z]{2,8}|\#[0-9]{2,5});)"
    r"|(?P<w>[^\W_]+(?:['’][^\W_]+)?)"
    r"|(?P<p>\S)"
)
_TLD = frozenset({"com", "co", "tv", "net", "org", "id"})


def _plain_raw_tokens(text: str) -> list[tuple[int, int, str, str]]:
    raw = [(m.start(), m.end(), m.group(), m.lastgroup or "p") for m in _TOKEN_RE.finditer(text)]
    out: list[tuple[int, int, str, str]] = []
    i, n = 0, len(raw)
    while i < n:
        if raw[i][3] != "w":
            out.append(raw[i])
            i += 1
            continue
        j = i
        while (
            j + 2 < n
            and raw[j + 1][2] in ".-"
            and raw[j + 1][0] == raw[j][1]
            and raw[j + 2][0] == raw[j + 1][1]
            and raw[j + 2][3] == "w"
        ):
            j += 2
        last = -1
        for k in range(i + 2, j + 1, 2):
            if raw[k - 1][2] == "." and raw[k][2].lower() in _TLD:
                last = k
        if last > 0:
            out.append((raw[i][0], raw[last][1], text[raw[i][0] : raw[last][1]], "dom"))
            i = last + 1
        else:
            out.extend(raw[i : j + 1])
            i = j + 1
    return out


def _fast_raw_tokens(text: str) -> list[tuple[int, int, str, str]]:
    return [(t.s, t.e, t.t, t.kind) for t in entities.tokenize(text)]


_PIECES = [
    "a", "Ab", "com", "COM", "Co", "co", "tv", "net", "Org", "id", "ID", "iD", "comx", "x1",
    "é", "İD", "_", ".", "-", "–", "'", "’", " ", "\n", "&amp;", "&#8220;", "&", ";", "(", ")",
    "KOMPAS", "Liputan6", "POS", "KUPANG", "d'Arc", "o'", "12", "ß", "ı", "K",
]  # fmt: skip


def test_domain_tokens_match_the_token_by_token_merge() -> None:
    rng = random.Random(7)
    fixed = [
        "JAKARTA, KOMPAS.com - x",
        "Liputan6.com, Medan - POS-KUPANG.COM dan detik.com.id serta a.com-b.co.id.x",
        "kompas.com.comx a.b.c.d.net. a-.com .com a..com a.co'x a.co’ a.com'",
    ]
    texts = fixed + [
        "".join(rng.choice(_PIECES) for _ in range(rng.randint(1, 40))) for _ in range(20000)
    ]
    for text in texts:
        assert _fast_raw_tokens(text) == _plain_glued(text), text


def _plain_glued(text: str) -> list[tuple[int, int, str, str]]:
    out = []
    for s, e, t, kind in _plain_raw_tokens(text):
        if kind == "w" and len(t) > 5 and not t.islower() and not t.isupper():
            m = entities._GLUE_RE.match(t)
            if m and m.end() < len(t):
                out += [(s, s + m.end(), t[: m.end()], "w"), (s + m.end(), e, t[m.end() :], "w")]
                continue
        out.append((s, e, t, kind))
    return out


def test_long_runs_of_joined_words_tokenise_as_the_plain_rule_does() -> None:
    """Runs of joined words (how fast: bench/adversarial.py) give the plain rule's tokens."""
    for unit, count in (("x.", 100_000), ("Jakarta-", 25_000), ("a.b-", 50_000)):
        text = unit * count + "com"
        assert _fast_raw_tokens(text) == _plain_glued(text)
