"""Long articles built in pieces: the same rows as the whole article gives.

A text longer than the annotation's part limit is cut into pieces that the
build's workers annotate and turn into rows side by side; the rows of the
configs of one row per article are joined afterwards. Here the part limit is
lowered so that invented articles of a few thousand characters are long.
"""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest

import warta.annotate
from bench.adversarial import realistic
from warta import pipeline, views
from warta.annotate import Annotators, _parts, piece_given, pieces
from warta.corpus import ArticleFiles, dump_annotation
from warta.records import article_record
from warta.stats import Stats
from warta.text import sha256_bytes
from warta.validation import check_and_load

PART = 1_500
# A run of furniture longer than a part: one piece of it has no content at all.
FURNITURE = "".join(f"Baca juga: Harga Cabai Naik Lagi di Pasar Nomor {i}\n" for i in range(60))
TAIL = '"Jalan itu akan kami perbaiki," kata Budi Santoso di Bandung, Senin.\n'


@pytest.fixture
def short_parts(monkeypatch: pytest.MonkeyPatch) -> None:
    """Parts (and so pieces) of PART characters, here and in forked workers."""
    monkeypatch.setattr(warta.annotate, "PART", PART)


@pytest.fixture(scope="module")
def annotators() -> Annotators:
    return Annotators()


def write(folder: Path, name: str, manual: tuple[str, ...] | None) -> Path:
    """An invented long article (with ``manual`` layers as a person gave them, or none)."""
    text, doc = realistic(9_000, seed=len(name))
    text += FURNITURE + TAIL
    folder.mkdir(parents=True, exist_ok=True)
    raw = text.encode("utf-8")
    (folder / f"{name}.txt").write_bytes(raw)
    if manual is not None:
        full = {"id": name, "text_sha256": sha256_bytes(raw), **doc, "manual": list(manual)}
        for layer in ("boilerplate", "entities", "quotes"):
            if layer not in manual:
                full[layer] = []
        (folder / f"{name}.json").write_text(dump_annotation(full), encoding="utf-8")
    return folder


def by_article(rows: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        out.setdefault(row.get("article_id", row["id"]), []).append(row)
    return out


def whole(folder: Path, name: str, annotators: Annotators) -> dict[str, Any]:
    """The record of the article worked on whole, in this process."""
    files = ArticleFiles(
        name,
        str(folder / f"{name}.txt"),
        str(folder / f"{name}.json") if (folder / f"{name}.json").exists() else None,
    )
    article, problems = check_and_load(files)
    assert article is not None, problems
    return article_record(article, annotators)


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_long_article_built_in_pieces_gives_the_rows_of_the_whole(
    short_parts: None, annotators: Annotators, tmp_path: Path, jobs: int
) -> None:
    corpus = tmp_path / "corpus"
    write(corpus, "auto", None)
    write(corpus, "mixed", ("entities",))
    write(corpus, "manual", ("boilerplate", "entities", "quotes"))
    write_short = corpus / "short.txt"
    write_short.write_text(TAIL, encoding="utf-8")
    result = pipeline.build([corpus], tmp_path / "dist", jobs=jobs)

    records = [whole(corpus, name, annotators) for name in ("auto", "manual", "mixed")]
    short = ArticleFiles("short", str(write_short), None)
    records.append(article_record(check_and_load(short)[0], annotators))  # type: ignore[arg-type]
    assert all(len(pieces(record["text"], {}, [])) >= 4 for record in records[:3])
    expected = Stats()
    for name in views.CONFIGS:  # each article's rows in order, in whichever split
        built = by_article(pq.read_table(tmp_path / "dist" / name).to_pylist())
        assert built == by_article(views.table(name, records).to_pylist()), name
    for record in records:
        expected.add(record, pipeline.splits.assign(record["story"]))
    assert result.stats.to_dict() == expected.to_dict()
    # The clean text skips the piece that is all furniture, as the whole article's does.
    clean = {
        row["id"]: row["text"] for row in pq.read_table(tmp_path / "dist" / "clean").to_pylist()
    }
    assert "Baca juga" not in clean["auto"] and clean["auto"].endswith(TAIL.strip())


def test_pieces_are_cut_at_line_starts_outside_manual_spans(short_parts: None) -> None:
    text, doc = realistic(12_000)
    manual = ["boilerplate", "entities", "quotes"]
    cuts = [a for a, _ in _parts(text)[1:]]
    free = pieces(text, doc, manual)
    assert free[0][0] == 0 and free[-1][1] == len(text)
    assert all(a[1] == b[0] for a, b in itertools.pairwise(free))
    assert {a for a, _ in free[1:]} <= set(cuts)
    assert all(text[a - 1] == "\n" for a, _ in free[1:])
    # A manual span across a cut keeps the two parts around it in one piece.
    cut = free[2][0]
    span = {"start": cut - 5, "end": cut + 5, "label": "promo", "text": text[cut - 5 : cut + 5]}
    blocked = pieces(text, {**doc, "boilerplate": [*doc["boilerplate"], span]}, manual)
    assert cut not in {a for a, _ in blocked} and len(blocked) == len(free) - 1
    # Nobody's layers: every cut at a line start is taken.
    assert [a for a, _ in pieces(text, {}, [])[1:]] == [a for a in cuts if text[a - 1] == "\n"]


@pytest.mark.parametrize("manual", [(), ("entities",), ("boilerplate", "entities", "quotes")])
def test_each_piece_is_annotated_as_the_whole_text_is_there(
    short_parts: None, annotators: Annotators, manual: tuple[str, ...]
) -> None:
    text, doc = realistic(8_000)
    text += FURNITURE + TAIL
    doc = {layer: doc[layer] for layer in manual}
    layers, _ = annotators.fill(text, doc, manual)
    joined: dict[str, list[Any]] = {layer: [] for layer in layers}
    for a, b in pieces(text, doc, manual):
        part, _ = annotators.fill(text[a:b], piece_given(doc, list(manual), a, b), manual)
        for layer, spans in part.items():
            joined[layer] += [warta.annotate._shifted(span, a) for span in spans]
    for layer in layers:
        if layer in manual:  # as given: in the order given whole, by piece in pieces
            assert sorted(map(str, joined[layer])) == sorted(map(str, layers[layer])), layer
        else:
            assert joined[layer] == layers[layer], layer
    assert joined["entities"] and joined["quotes"] and joined["boilerplate"]
