"""The fast paths of the views give what the plain, word-by-word algorithms give.

The views are tuned for speed (string methods instead of loops over words,
one fragment list shared by three configs); these tests keep the plain
versions as oracles and compare on random texts full of awkward whitespace
and furniture cut through words.
"""

from __future__ import annotations

import random
import re
from bisect import bisect_right
from typing import Any

from warta import schema
from warta.views import content, ner
from warta.views import rows as view_rows
from warta.views.clean import Rebased

_WORDS = [
    "Budi",
    "kata",
    '"Saya',
    "pergi.",
    "pasar,",
    "Dr.",
    "(red)",
    "a",
    "é",
    "—",
    "!",
    "😀",
    "x𝔸y",
]
_GAPS = [" "] * 3 + ["  ", "\n", " \n ", "\n\n", "\t", "\u00a0", "\r\n", "\u2028", "\x0b", "\u3000"]


def _text(rng: random.Random) -> str:
    parts = [rng.choice(_GAPS)] if rng.random() < 0.3 else []
    for _ in range(rng.randint(0, 40)):
        parts += [rng.choice(_WORDS), rng.choice(_GAPS) if rng.random() < 0.9 else ""]
    return "".join(parts)


def _furniture(rng: random.Random, text: str) -> list[dict[str, Any]]:
    cuts = sorted(rng.sample(range(len(text) + 1), min(len(text) + 1, 2 * rng.randint(0, 4))))
    spans = [
        {"start": a, "end": b, "label": "related", "text": text[a:b]}
        for a, b in zip(cuts[::2], cuts[1::2], strict=False)
        if b > a
    ]
    rng.shuffle(spans)
    return spans


def _plain_rebased(text: str, boilerplate: list[dict[str, Any]]) -> tuple[str, list[int | None]]:
    """The clean text and each raw offset's clean offset, one word at a time."""
    masked = list(text)
    for span in boilerplate:
        for i in range(span["start"], span["end"]):
            if masked[i] != "\n":
                masked[i] = " "
    joined = "".join(masked)
    out: list[str] = []
    positions: list[int | None] = [None] * len(text)
    size, prev = 0, -1
    for match in re.finditer(r"\S+", joined):
        if prev >= 0:
            out.append("\n" if "\n" in joined[prev : match.start()] else " ")
            size += 1
        for k in range(match.start(), match.end()):
            positions[k] = size + k - match.start()
        out.append(match.group())
        size += len(match.group())
        prev = match.end()
    return "".join(out), positions


def test_rebased_matches_the_plain_algorithm() -> None:
    rng = random.Random(11)
    for _ in range(400):
        text = _text(rng)
        boilerplate = _furniture(rng, text)
        rebased = Rebased(text, boilerplate)
        clean, positions = _plain_rebased(text, boilerplate)
        assert rebased.text == clean
        assert [rebased.position(i) for i in range(len(text))] == positions
        for _ in range(10):
            start = rng.randrange(len(text) + 1)
            end = min(len(text), start + rng.randint(0, 12))
            span = {"start": start, "end": end, "text": text[start:end]}
            first = positions[start] if start < end else None
            last = positions[end - 1] if start < end else None
            moved = rebased.span(span)
            if first is None or last is None:
                assert moved is None
            else:
                assert moved == {"start": first, "end": last + 1, "text": clean[first : last + 1]}


def _record(rng: random.Random, n: int) -> dict[str, Any]:
    text = _text(rng)
    quoted = []
    for _ in range(rng.randint(0, 4) if text else 0):
        start = rng.randrange(len(text))
        end = min(len(text), start + rng.randint(1, 20))
        part = {"start": start, "end": end, "text": text[start:end]}
        quoted.append(
            {
                "id": f"r{n}:q{start}-{end}",
                "kind": "direct",
                "content": part,
                "cue": None,
                "speaker": None,
                "speaker_name": None,
            }
        )
    return {
        "id": f"r{n}",
        "text": text,
        "status": {"boilerplate": "manual", "entities": "manual", "quotes": "manual"},
        "boilerplate": _furniture(rng, text),
        "entities": [],
        "quotes": sorted(quoted, key=lambda q: q["content"]["start"]),
    }


def _plain_paragraph(text: str, frags: list[content.Fragment], start: int, end: int) -> dict:
    starts = [f.start for f in frags]
    first = max(bisect_right(starts, start) - 1, 0)
    last = max(bisect_right(starts, end - 1) - 1, first)
    p_start = min(frags[first].start, start) if frags else start
    p_end = max(frags[last].end, end) if frags else end
    return {"start": p_start, "end": p_end, "text": text[p_start:p_end]}


def test_shared_fragments_follow_the_record() -> None:
    """Rows never come from another record's fragments, even an equal-looking one."""
    rng = random.Random(5)
    for n in range(200):
        record = _record(rng, n)
        text = record["text"]
        spans = content.boilerplate_spans(record)
        expected = content.fragments(text, spans)
        got = [
            (r["start"], r["end"], r["line"], r["label"])
            for r in view_rows("boilerplate", [record])
        ]
        assert got == [(f.start, f.end, f.line, f.label or "content") for f in expected]
        # A changed record (same object, other furniture) must not reuse the memo.
        record["boilerplate"] = _furniture(rng, text)
        fresh = content.fragments(text, content.boilerplate_spans(record))
        frags = [f for f in fresh if f.label is None]
        for row, quote in zip(view_rows("quotes", [record]), record["quotes"], strict=True):
            span = quote["content"]
            assert row["paragraph"] == _plain_paragraph(text, frags, span["start"], span["end"])
        (view_rows("ner", [record]))


def test_ner_rows_survive_the_memo_reset(monkeypatch: Any) -> None:
    """A record that fills the memo past its limit gets the same rows as with room to spare."""
    rng = random.Random(3)
    first, second = _record(rng, 0), _record(rng, 1)
    second["text"] = "Budi pergi ke pasar, kata Zyxwv. " + second["text"]
    second["boilerplate"] = []
    expected = view_rows("ner", [second])
    for memo in (ner._CODES, ner._SPLITS, ner._KINDS):  # an empty memo, the pipeline kept
        memo.clear()
    (view_rows("ner", [first]))  # memoises chunks the second record shares
    monkeypatch.setattr(ner, "_CACHE_LIMIT", len(ner._CODES) + len(ner._KINDS))
    assert (view_rows("ner", [second])) == expected
    assert "Zyxwv." in ner._CODES and "Zyxwv." in ner._SPLITS


def _entities(rng: random.Random, text: str, n: int) -> list[dict[str, Any]]:
    """Random entities, overlapping or cut through words now and then."""
    out = []
    for _ in range(rng.randint(0, 5) if text.strip() else 0):
        start = rng.randrange(len(text))
        end = min(len(text), start + rng.randint(1, 15))
        label = rng.choice(schema.labels("entity_label"))
        span = {"start": start, "end": end, "label": label, "text": text[start:end]}
        out.append({"id": f"r{n}:e{start}-{end}", **span})
    return out


def _part(rng: random.Random, text: str) -> dict[str, Any] | None:
    if not text or rng.random() < 0.4:
        return None
    start = rng.randrange(len(text))
    end = min(len(text), start + rng.randint(1, 10))
    return {"start": start, "end": end, "text": text[start:end]}


def test_ner_cuts_where_two_fragments_touch() -> None:
    """An empty boilerplate span (refused by validation) makes two fragments touch
    inside a word: the word is cut there, as spaCy's tokens are cut at a span."""
    record = {
        "id": "r",
        "text": "Budi pergi",
        "status": {"boilerplate": "manual", "entities": "manual", "quotes": "manual"},
        "boilerplate": [{"start": 2, "end": 2, "label": "byline", "text": ""}],
        "entities": [],
        "quotes": [],
    }
    rows = view_rows("ner", [record])
    assert [row["tokens"] for row in rows] == [["Bu"], ["di", "pergi"]]
