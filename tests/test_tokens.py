"""The shared tokenizer (warta.tokens): offsets, glued words, domains, identifiers.

Domains are found in one regex pass; the oracle here merges them token by
token, as the plain rule reads. All text here is invented.
"""

from __future__ import annotations

import random
import re

from warta.tokens import sentence_starts, tokenize

# The plain rule: regex tokens, then outlet domains merged token by token.
_TOKEN_RE = re.compile(
    r"(?P<ent>&(?:[A-Za-z]{2,10}|#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6});)"
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


def _unsplit_tokens(text: str) -> list[tuple[int, int, str, str]]:
    """The shared tokens with glued pieces joined again (two words meet without a gap
    only where one word was split)."""
    out: list[tuple[int, int, str, str]] = []
    for t in tokenize(text):
        if out and t.kind == "w" and out[-1][3] == "w" and out[-1][1] == t.start:
            s, _, word, _ = out.pop()
            out.append((s, t.end, word + t.text, "w"))
        else:
            out.append((t.start, t.end, t.text, t.kind))
    return out


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
        assert _unsplit_tokens(text) == _plain_raw_tokens(text), text


def test_long_runs_of_joined_words_tokenise_as_the_plain_rule_does() -> None:
    """Runs of joined words (how fast: bench/adversarial.py) give the plain rule's tokens."""
    for unit, count in (("x.", 100_000), ("Jakarta-", 25_000), ("a.b-", 50_000)):
        text = unit * count + "com"
        assert _unsplit_tokens(text) == _plain_raw_tokens(text)


def test_tokens_keep_their_offsets_and_cover_every_non_space_character() -> None:
    rng = random.Random(11)
    for _ in range(2000):
        text = "".join(rng.choice(_PIECES) for _ in range(rng.randint(1, 40)))
        tokens = tokenize(text)
        assert all(text[t.start : t.end] == t.text for t in tokens)
        assert "".join(t.text for t in tokens) == "".join(text.split())


def test_glued_words_split_and_identifiers_do_not() -> None:
    words = [t.text for t in tokenize("terdakwaRudianto WAHANAdalam SekretariatDPRD x0029VaFPb")]
    assert words == ["terdakwa", "Rudianto", "WAHANA", "dalam", "Sekretariat", "DPRD", "x0029VaFPb"]
    glued = tokenize("terdakwaRudianto")
    assert [t.chunk for t in glued] == ["terdakwarudianto"] * 2
    assert [t.space_before for t in glued] == [True, False]


def test_an_apostrophe_inside_a_word_and_a_domain_stay_one_token() -> None:
    tokens = tokenize("Pada Jum'at, TEMPO.CO - warta")
    assert [(t.text, t.kind) for t in tokens] == [
        ("Pada", "w"),
        ("Jum'at", "w"),
        (",", "p"),
        ("TEMPO.CO", "dom"),
        ("-", "p"),
        ("warta", "w"),
    ]


def test_sentences_start_after_stops_and_glued_stops_but_not_after_abbreviations() -> None:
    text = (
        "Rapat digelar pekan lalu.Menurut Dr. Wirya, PT. Maju rugi. Kata L. Hartono: "
        '"Ya." Lalu pergi.\nBaris baru PemerintahApalagi'
    )
    tokens = tokenize(text)
    firsts = sentence_starts(tokens, text)
    starts = [t.text for t, first in zip(tokens, firsts, strict=True) if first]
    assert starts == ["Rapat", "Menurut", "Kata", '"', "Lalu", "Baris", "Apalagi"]


def test_a_doc_reads_its_tokens_sentences_and_content_once() -> None:
    from warta.doc import Doc

    text = "Warga berkumpul. Baca juga: Berita lain\nKepala Desa Sukamaju hadir."
    cut = text.index("Baca")
    doc = Doc(text, [{"start": cut, "end": text.index("\n")}])
    assert doc.tokens is doc.tokens and [t.text for t in doc.tokens] == [
        t.text for t in tokenize(text)
    ]
    assert doc.sentence_starts == sentence_starts(doc.tokens, text)
    inside = [t.text for t, kept in zip(doc.tokens, doc.content, strict=True) if not kept]
    assert inside == ["Baca", "juga", ":", "Berita", "lain"]
