"""What the validator tells a contributor: ids, order, plain words, fixes and output formats.

Every case starts from one valid contribution written here (invented text, all
three layers manual) and breaks one thing.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from warta import problems
from warta.cli import main
from warta.pipeline import BuildError, build
from warta.schema import LAYERS
from warta.text import sha256_bytes

from .conftest import ROOT

ARTICLE_ID = "kota-hujan-1"
TEXT = (
    "Hujan Deras Rendam Jalan Utama Kota Hujan\n"
    "BOGOR, WARTAKITA - Hujan deras merendam Jalan Pajajaran di Bogor, Selasa (5/3/2024).\n"
    '"Air naik sejak pukul dua siang," kata Sari Lestari, warga Tegallega.\n'
    "Baca juga: Longsor Tutup Akses Puncak\n"
    "Dinas Pekerjaan Umum Kota Bogor menyatakan bahwa saluran air akan dikeruk pekan depan.\n"
    "ADVERTISEMENT\n"
)


def span(text: str, label: str | None = None, nth: int = 0) -> dict[str, Any]:
    """The span of the ``nth`` occurrence of ``text`` in the article."""
    start = -1
    for _ in range(nth + 1):
        start = TEXT.index(text, start + 1)
    out: dict[str, Any] = {"start": start, "end": start + len(text), "text": text}
    return out | ({"label": label} if label else {})


def valid_doc() -> dict[str, Any]:
    """A complete, valid annotation file of the article."""
    return {
        "id": ARTICLE_ID,
        "text_sha256": sha256_bytes(TEXT.encode("utf-8")),
        "metadata": {"outlet": "wartakita.example", "language": "id"},
        "manual": list(LAYERS),
        "boilerplate": [
            span("Baca juga: Longsor Tutup Akses Puncak", "related"),
            span("ADVERTISEMENT", "promo"),
        ],
        "entities": [
            span("BOGOR", "LOC"),
            span("WARTAKITA", "ORG"),
            span("Jalan Pajajaran", "LOC"),
            span("Bogor", "LOC"),
            span("Sari Lestari", "PER"),
            span("Tegallega", "LOC"),
            span("Dinas Pekerjaan Umum Kota Bogor", "ORG"),
        ],
        "quotes": [
            {
                "kind": "direct",
                "content": span("Air naik sejak pukul dua siang,"),
                "cue": span("kata", nth=0),
                "speaker": span("Sari Lestari"),
                "speaker_name": "Sari Lestari",
            },
            {
                "kind": "indirect",
                "content": span("saluran air akan dikeruk pekan depan"),
                "cue": span("menyatakan"),
                "speaker": span("Dinas Pekerjaan Umum Kota Bogor"),
                "speaker_name": "Dinas Pekerjaan Umum Kota Bogor",
            },
        ],
    }


def write(folder: Path, doc: Any, indent: int | None = 2) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{ARTICLE_ID}.txt").write_text(TEXT, encoding="utf-8")
    path = folder / f"{ARTICLE_ID}.json"
    raw = doc if isinstance(doc, str) else json.dumps(doc, indent=indent, ensure_ascii=False)
    path.write_text(raw, encoding="utf-8")
    return path


def run_validate(
    capsys: pytest.CaptureFixture, folder: Path, *options: str
) -> tuple[int, list[str], str]:
    status = main(["validate", str(folder), "--jobs", "1", *options])
    out = capsys.readouterr()
    return status, out.out.splitlines(), out.err


def test_the_valid_contribution_passes(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    write(tmp_path, valid_doc())
    status, lines, err = run_validate(capsys, tmp_path)
    assert status == 0 and lines == [] and "no problems" in err


@pytest.mark.parametrize("layer", ["boilerplate", "entities"])
def test_two_spans_on_the_same_characters_are_reported(
    layer: str, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    doc = valid_doc()
    twin = dict(doc[layer][1])
    twin["label"] = "interface" if layer == "boilerplate" else "PRODUCT"
    doc[layer].append(twin)
    write(tmp_path, doc)
    status, lines, _ = run_validate(capsys, tmp_path)
    assert status == 1
    assert [line.rsplit(" ", 1)[-1] for line in lines] == ["[span-same-characters]"]
    assert f"/{layer}/" in lines[0] and "exactly the same characters" in lines[0]


def test_the_same_span_twice_is_a_duplicate(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    doc = valid_doc()
    doc["entities"].append(dict(doc["entities"][0]))
    write(tmp_path, doc)
    status, lines, _ = run_validate(capsys, tmp_path)
    assert status == 1 and len(lines) == 1 and lines[0].endswith("[span-duplicate]")


def test_a_cue_overlapping_its_speaker_is_reported(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    doc = valid_doc()
    doc["quotes"][0]["cue"] = span("kata Sari")
    write(tmp_path, doc)
    status, lines, _ = run_validate(capsys, tmp_path)
    assert status == 1 and lines[-1].endswith("[quote-cue-speaker-overlap]")
    assert "/quotes/0/speaker" in lines[-1]


@pytest.mark.parametrize("layer", list(LAYERS))
def test_spans_of_a_layer_not_listed_in_manual_are_an_error(
    layer: str, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    doc = valid_doc()
    doc["manual"].remove(layer)
    write(tmp_path / "corpus", doc)
    status, lines, _ = run_validate(capsys, tmp_path / "corpus")
    assert status == 1 and len(lines) == 1
    assert lines[0].endswith("[layer-not-manual]")
    assert f'add "{layer}" to manual if a person checked them' in lines[0]
    assert f'"{layer}": []' in lines[0]
    # The build refuses too, instead of replacing the spans with automatic ones.
    with pytest.raises(BuildError) as refused:
        build([tmp_path / "corpus"], tmp_path / "dist", jobs=1)
    assert [p.code for p in refused.value.problems] == ["layer-not-manual"]
    assert not (tmp_path / "dist").exists()


def test_an_empty_layer_not_listed_in_manual_is_fine(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    doc = valid_doc()
    doc["manual"] = ["entities"]
    doc["boilerplate"] = []
    del doc["quotes"]
    write(tmp_path, doc)
    status, lines, _ = run_validate(capsys, tmp_path)
    assert status == 0 and lines == []


def test_problems_are_listed_in_document_order(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    doc = valid_doc()
    words = TEXT.replace("\n", " ").split(" ")
    # Enough entities that index 14 exists; the article's words do as spans here.
    doc["manual"] = ["entities"]
    doc["entities"] = []
    del doc["boilerplate"], doc["quotes"]
    position = 0
    for word in words:
        start = TEXT.index(word, position)
        position = start + len(word)
        if word.isalpha() and len(doc["entities"]) < 16:
            doc["entities"].append({"start": start, "end": position, "label": "ORG", "text": word})
    doc["entities"][14]["label"] = "NOPE"
    doc["entities"][2]["label"] = "NOPE"
    doc["entities"][9]["text"] = "zz"
    write(tmp_path, doc)
    status, lines, _ = run_validate(capsys, tmp_path)
    assert status == 1
    wheres = [line.split(": ")[1] for line in lines]
    assert wheres == ["/entities/2/label", "/entities/9", "/entities/14/label"]


def test_messages_quote_values_as_json_not_python(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    doc = valid_doc()
    doc["entities"][0]["label"] = "PERSON"
    doc["entities"][1]["start"] = True
    doc["extra"] = {"a": None}
    write(tmp_path, doc)
    status, lines, _ = run_validate(capsys, tmp_path)
    text = "\n".join(lines)
    assert status == 1
    assert 'unknown value "PERSON"' in text and 'unknown field "extra"' in text
    assert "true is a boolean" in text
    assert "'" + "PERSON'" not in text and "True" not in text and "None" not in text


@pytest.mark.parametrize(
    ("raw", "where", "what"),
    [
        ('{\n  "id": "x",\n}', "line 2, column 12", "trailing comma before '}'"),
        ('{"manual": ["entities",]}', "line 1, column 23", "trailing comma before ']'"),
        ('{\n  "id": "x\n}', "line 2, column 11", "closing double quote"),
        ('{"id": "x" "manual": []}', "line 1, column 12", "a comma is missing"),
        ("{'id': 'x'}", "line 1, column 2", "double quotes"),
        ('{"id" "x"}', "line 1, column 7", "a colon (:) is missing"),
        ('{"manual": [}', "line 1, column 13", "does not close the '['"),
        ('{"id": ', "line 1, column 8", "the file ends too early"),
        ('{"id": "a", "id": "b"}', "line 1, column 13", 'the key "id" is written twice'),
    ],
)
def test_malformed_json_says_what_is_wrong_and_where(
    raw: str, where: str, what: str, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    write(tmp_path, raw)
    status, lines, _ = run_validate(capsys, tmp_path)
    assert status == 1 and len(lines) == 1
    assert f"{ARTICLE_ID}.json: {where}: " in lines[0] and what in lines[0], lines[0]
    assert "Expecting" not in lines[0]  # the parser's own words are not the message


def test_fix_repairs_what_it_can_and_lists_what_remains(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    doc = valid_doc()
    drifted = doc["entities"][4]
    drifted["start"] += 3
    drifted["end"] += 3
    padded = doc["boilerplate"][1]
    padded["start"] -= 1
    padded["text"] = "\n" + padded["text"]
    doc["entities"][6]["label"] = "AGENCY"  # needs a person
    doc["entities"].reverse()
    path = write(tmp_path, doc)
    status, lines, err = run_validate(capsys, tmp_path, "--fix")
    assert status == 1
    assert [line.rsplit(" ", 1)[-1] for line in lines] == ["[schema-value]"]
    assert "moved it from" in err and "trimmed the whitespace" in err
    assert "canonical key order" in err and "still needs a person" in err
    fixed = json.loads(path.read_text(encoding="utf-8"))
    for item in fixed["entities"] + fixed["boilerplate"]:
        assert TEXT[item["start"] : item["end"]] == item["text"]
    assert [e["start"] for e in fixed["entities"]] == sorted(e["start"] for e in fixed["entities"])
    # A second run has nothing left to fix and reports the same problem.
    status, lines_again, err = run_validate(capsys, tmp_path, "--fix")
    assert status == 1 and lines_again == lines and "fixed" not in err


def test_github_format_points_at_the_line_of_the_faulty_span(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    doc = valid_doc()
    doc["entities"][3]["text"] = "Bogor, Selasa"
    path = write(tmp_path, doc)
    status, lines, _ = run_validate(capsys, tmp_path, "--format", "github")
    assert status == 1 and len(lines) == 1
    written = path.read_text(encoding="utf-8").splitlines()
    line = next(i for i, text in enumerate(written, 1) if '"Bogor, Selasa"' in text)
    # The span object opens a few lines above its "text" field.
    opening = max(i for i in range(1, line) if written[i - 1].strip() == "{")
    assert lines[0].startswith(f"::error file={path},line={opening},col=")
    assert "title=warta span-text-mismatch::/entities/3: " in lines[0]


def test_github_format_escapes_what_would_break_the_command(tmp_path: Path) -> None:
    problem = problems.Problem("a,b:c.json", "/x", "two\nlines 100%", "schema-value")
    line = problems.to_github(problem, (3, 4))
    assert line == (
        "::error file=a%2Cb%3Ac.json,line=3,col=4,title=warta schema-value::/x: two%0Alines 100%25"
    )


def test_json_format_is_machine_readable(tmp_path: Path) -> None:
    doc = valid_doc()
    doc["entities"][0]["end"] = 10**6
    write(tmp_path, doc)
    run = subprocess.run(
        [sys.executable, str(ROOT / "build.py"), "validate", str(tmp_path), "--format", "json"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 1 and "Traceback" not in run.stderr
    report = json.loads(run.stdout)
    assert report["ok"] is False and report["errors"] == 1 and report["articles"] == 1
    (item,) = report["problems"]
    assert item["id"] == "span-out-of-range" and item["where"] == "/entities/0"
    assert isinstance(item["line"], int) and item["severity"] == "error"


def test_every_problem_id_is_documented() -> None:
    assert (ROOT / "docs" / "PROBLEMS.md").read_text(encoding="utf-8") == problems.markdown(), (
        "regenerate it: python -m warta.problems > docs/PROBLEMS.md"
    )
    with pytest.raises(ValueError, match="unknown problem id"):
        problems.Problem("f", "w", "m", "no-such-id")


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner),
    max_leaves=20,
)


@settings(max_examples=200, deadline=None)
@given(doc=json_values, indent=st.sampled_from([None, 0, 1, 2, 4]))
def test_every_pointer_is_located_at_its_value(doc: Any, indent: int | None) -> None:
    source = json.dumps(doc, indent=indent, ensure_ascii=False)
    offsets = problems.pointer_offsets(source)
    decoder = json.JSONDecoder()

    def walk(value: Any, pointer: str) -> None:
        assert pointer in offsets
        if isinstance(value, dict):
            for key, item in value.items():
                member = f"{pointer}/{key.replace('~', '~0').replace('/', '~1')}"
                assert decoder.raw_decode(source, offsets[member])[0] == key
                walk(item, member)
        elif isinstance(value, list):
            for i, item in enumerate(value):
                assert decoder.raw_decode(source, offsets[f"{pointer}/{i}"])[0] == item
                walk(item, f"{pointer}/{i}")
        elif pointer == "":
            assert decoder.raw_decode(source, offsets[""])[0] == value

    walk(doc, "")


def test_fix_follows_an_edit_of_the_text_but_never_jumps_far(tmp_path: Path) -> None:
    from warta.validation import DRIFT, validate

    # Two edits, each within the drift a span may follow: together they move
    # the last spans further than DRIFT, which the running shift follows.
    lead = "Pembaruan: berita ini diperbarui dengan keterangan polisi.\n" * 15
    assert DRIFT / 2 < len(lead) < DRIFT
    cut = TEXT.index("Baca juga")
    edited = lead + TEXT[:cut] + lead + TEXT[cut:]
    doc = valid_doc()
    path = write(tmp_path, doc)
    (tmp_path / f"{ARTICLE_ID}.txt").write_text(edited, encoding="utf-8")
    report = validate([tmp_path], fix=True)
    assert report.ok, report.problems
    fixed = json.loads(path.read_text(encoding="utf-8"))
    assert fixed["text_sha256"] == sha256_bytes(edited.encode("utf-8"))
    for item in fixed["entities"] + fixed["boilerplate"]:
        assert edited[item["start"] : item["end"]] == item["text"]
        assert item["start"] >= len(lead)
    assert fixed["boilerplate"][-1]["start"] > DRIFT + len(TEXT[:cut])
    # A span whose words only occur far away is left for a person, and the hash with it.
    text = "Banjir kecil.\n" + "Warga menunggu air surut di tepi jalan. " * 60 + "\nBanjir reda."
    middle = len(text) // 2
    assert text.index("Banjir", 1) - middle > DRIFT and middle > DRIFT
    doc = valid_doc() | {"manual": ["entities"], "boilerplate": [], "quotes": []}
    doc["entities"] = [{"start": middle, "end": middle + 6, "label": "EVENT", "text": "Banjir"}]
    write(tmp_path, doc)
    (tmp_path / f"{ARTICLE_ID}.txt").write_text(text, encoding="utf-8")
    report = validate([tmp_path], fix=True)
    assert {p.code for p in report.problems} == {"span-text-mismatch", "text-changed"}
    kept = json.loads(path.read_text(encoding="utf-8"))
    assert kept["text_sha256"] == doc["text_sha256"]


@pytest.mark.parametrize(
    ("raw", "what"),
    [
        ("", "the file is empty"),
        ("null", "null; write an object"),
        ('{"id": 1e999}', "the number 1e999 is too large"),
        ('{"id": ' + "9" * 5000 + "}", "a number with thousands of digits"),
        ('{"id": "x"}', 'the fields "text_sha256", "manual" are missing'),
    ],
)
def test_odd_documents_get_plain_words(
    raw: str, what: str, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    write(tmp_path, raw)
    status, lines, _ = run_validate(capsys, tmp_path)
    assert status == 1 and what in "\n".join(lines)
    assert len(lines) == len(set(lines)) and "sys." not in "\n".join(lines)
