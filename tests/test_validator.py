"""The validator against bad contributions: message, exit status, no traceback.

Each case starts from one valid contribution (an article and its annotation
file, both written by the tests: see fixtures.py), breaks one thing, and runs
the command line as a contributor would.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from warta.cli import main
from warta.text import read_text, sha256_bytes

from .conftest import ROOT
from .fixtures import ARTICLE_ID, ARTICLE_TEXT, write_article

# The article every case starts from: written by the tests (see fixtures.py).
SEED = ARTICLE_ID
_SEED_TEXT = ARTICLE_TEXT


def _span(text: str, needle: str, label: str | None = None, nth: int = 0) -> dict[str, Any]:
    start = -1
    for _ in range(nth + 1):
        start = text.index(needle, start + 1)
    span: dict[str, Any] = {"start": start, "end": start + len(needle)}
    if label:
        span["label"] = label
    span["text"] = needle
    return span


@pytest.fixture
def contribution(tmp_path: Path) -> Path:
    """A folder with one valid article and its annotation file."""
    folder = tmp_path / "contrib"
    folder.mkdir()
    write_article(folder)
    return folder


def _doc(folder: Path) -> dict[str, Any]:
    return json.loads((folder / f"{SEED}.json").read_text(encoding="utf-8"))


def _save(folder: Path, doc: Any) -> None:
    (folder / f"{SEED}.json").write_text(json.dumps(doc, indent=2), encoding="utf-8")


def edit(change: Callable[[dict[str, Any]], None]) -> Callable[[Path], None]:
    """A case that changes the parsed annotation file."""

    def apply(folder: Path) -> None:
        doc = _doc(folder)
        change(doc)
        _save(folder, doc)

    return apply


def write_json(content: str | bytes) -> Callable[[Path], None]:
    """A case that replaces the annotation file with raw content."""

    def apply(folder: Path) -> None:
        data = content.encode("utf-8") if isinstance(content, str) else content
        (folder / f"{SEED}.json").write_bytes(data)

    return apply


def write_text(content: bytes) -> Callable[[Path], None]:
    """A case that replaces the raw article."""

    def apply(folder: Path) -> None:
        (folder / f"{SEED}.txt").write_bytes(content)

    return apply


def _move_entity(doc: dict[str, Any], by: int) -> None:
    doc["entities"][0]["start"] += by
    doc["entities"][0]["end"] += by


def _orphan(folder: Path) -> None:
    (folder / "orphan-1.json").write_text('{"id": "orphan-1"}', encoding="utf-8")


def _two_ids(folder: Path) -> None:
    (folder / "sub").mkdir()
    shutil.copy(folder / f"{SEED}.txt", folder / "sub" / f"{SEED}.txt")


def _unsafe_id(folder: Path) -> None:
    (folder / "bad name!.txt").write_text("Sebuah berita pendek.\n", encoding="utf-8")


def _deep(folder: Path) -> None:
    (folder / f"{SEED}.json").write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")


def _first_word_of_content(doc: dict[str, Any]) -> dict[str, Any]:
    start = doc["quotes"][0]["content"]["start"]
    return {"start": start, "end": start + 5, "text": "Tidak"}


def _nested_quote(doc: dict[str, Any]) -> None:
    q = dict(doc["quotes"][0])
    content = dict(q["content"])
    content["start"] += 6
    content["text"] = content["text"][6:]
    doc["quotes"].insert(1, q | {"content": content})


CASES: list[tuple[str, Callable[[Path], None], str, str]] = [
    # (name, how to break it, where, what) — where/what are substrings of the message
    ("undecodable text", write_text(b"Berita caf\xe9 Jakarta.\n"), "byte 10", "not valid UTF-8"),
    ("empty text", write_text(b"  \r\n\n"), f"{SEED}.txt: text", "empty article"),
    ("binary text", write_text(b"\x89PNG\r\n\x1a\n\x00\x00"), "byte 8", "binary data"),
    (
        "malformed json",
        write_json('{"id": "x",\n  "manual": [}'),
        "line 2, column 14",
        "does not close the '['",
    ),
    ("json with bom", write_json(b"\xef\xbb\xbf{}"), "byte 0", "BOM"),
    ("json NaN", write_json('{"id": NaN}'), "document", "NaN is not valid JSON"),
    (
        "duplicate key",
        write_json('{"id": "a", "id": "b"}'),
        "line 1, column 13",
        'the key "id" is written twice',
    ),
    ("deep nesting", _deep, "document", "nested too deeply"),
    ("huge number", write_json('{"id": ' + "9" * 5000 + "}"), "document", "malformed JSON"),
    ("not an object", write_json("[1, 2]"), ": /: ", "[1, 2] is a list; write an object"),
    (
        "missing sha",
        edit(lambda d: d.pop("text_sha256")),
        ": /: ",
        'the field "text_sha256" is missing',
    ),
    ("unknown field", edit(lambda d: d.update(notes="x")), ": /: ", 'unknown field "notes"'),
    (
        "fractional offset",
        edit(lambda d: d["entities"][0].update(start=0.5)),
        "/entities/0/start",
        "not a whole number",
    ),
    (  # JSON Schema counts 3.0 as an integer; the build would read it as a fraction
        "whole offset written as a fraction",
        edit(lambda d: d["entities"][-1].update(end=float(d["entities"][-1]["end"]))),
        "/end",
        "json-whole-number-as-fraction",
    ),
    (
        "boolean offset",
        edit(lambda d: d["entities"][0].update(end=True)),
        "/entities/0/end",
        "true is a boolean; write a whole number",
    ),
    (
        "negative offset",
        edit(lambda d: d["entities"][0].update(start=-1)),
        "/entities/0/start",
        "negative",
    ),
    (
        "offset too large",
        edit(lambda d: d["entities"][0].update(end=10**20)),
        "/entities/0/end",
        "too large",
    ),
    (
        "text not a string",
        edit(lambda d: d["entities"][0].update(text=7)),
        "/entities/0/text",
        "7 is a number; write a string",
    ),
    (
        "unknown entity label",
        edit(lambda d: d["entities"][0].update(label="PERSON")),
        "/entities/0/label",
        'unknown value "PERSON"',
    ),
    (
        "unknown boilerplate label",
        edit(lambda d: d["boilerplate"][0].update(label="footer")),
        "/boilerplate/0/label",
        'unknown value "footer"',
    ),
    (
        "unknown layer",
        edit(lambda d: d["manual"].append("sentiment")),
        "/manual/3",
        'unknown value "sentiment"',
    ),
    (
        "layer listed twice",
        edit(lambda d: d["manual"].append("quotes")),
        "/manual",
        "listed twice",
    ),
    (
        "bad quote kind",
        edit(lambda d: d["quotes"][0].update(kind="paraphrase")),
        "/quotes/0/kind",
        'unknown value "paraphrase"',
    ),
    (
        "sha mismatch",
        edit(lambda d: d.update(text_sha256="0" * 64)),
        "/text_sha256",
        "raw text changed",
    ),
    (
        "span out of range",
        edit(lambda d: d["entities"][0].update(start=5000, end=5007)),
        "/entities/0",
        f"past the end of the text (length {len(_SEED_TEXT)}); its text occurs at [0, 7)",
    ),
    (
        "reversed span",
        edit(lambda d: d["entities"][0].update(start=7, end=0)),
        "/entities/0",
        "start 7 is after end 0; swap them",
    ),
    (
        "empty span",
        edit(lambda d: d["entities"][0].update(start=3, end=3)),
        "/entities/0",
        "empty span [3, 3)",
    ),
    (
        "surrounding whitespace",
        edit(lambda d: d["entities"][0].update(end=9, text="JAKARTA, ")),
        "/entities/0/text",
        "surrounding whitespace",
    ),
    (
        "drifted offsets",
        edit(lambda d: _move_entity(d, 2)),
        "/entities/0",
        "it occurs at [0, 7): set start 0, end 7",
    ),
    (
        "text that does not occur",
        edit(lambda d: d["entities"][3].update(text="Rahmat Sudibya")),
        "/entities/3",
        "does not occur within 1000 characters of its offsets",
    ),
    (
        "overlapping entities",
        edit(lambda d: d["entities"].append(_span(_SEED_TEXT, "JAKARTA, KABARKITA", "ORG"))),
        "/entities/",
        "must not overlap",
    ),
    (
        "duplicate entity",
        edit(lambda d: d["entities"].append(dict(d["entities"][0]))),
        "/entities/4",
        "duplicate of /entities/0",
    ),
    (
        "entity in boilerplate",
        edit(
            lambda d: d["entities"].append(
                {
                    "start": d["boilerplate"][0]["start"] + 9,
                    "end": d["boilerplate"][0]["end"],
                    "label": "ORG",
                    "text": "Kabarkita.id",
                }
            )
        ),
        "/entities/4",
        "lies in boilerplate",
    ),
    (
        "quote in boilerplate",
        edit(lambda d: d["quotes"][0].update(content=dict(d["boilerplate"][0]))),
        "/quotes/0/content",
        "lies in boilerplate",
    ),
    ("nested quote", edit(_nested_quote), "/quotes/1/content", "overlaps the content of"),
    (
        "speaker inside content",
        edit(lambda d: d["quotes"][0].update(speaker=_first_word_of_content(d))),
        "/quotes/0/speaker",
        "overlaps the quote's own content",
    ),
    (
        "manual layer missing",
        edit(lambda d: d.pop("quotes")),
        "/quotes",
        'listed in manual but has no "quotes" field',
    ),
    (
        "bad publication time",
        edit(lambda d: d["metadata"].update(published="26/07/2023 15:11")),
        "/metadata/published",
        "ISO 8601 with offset",
    ),
    ("id differs from file", edit(lambda d: d.update(id="other")), "/id", "differs from the file"),
    ("annotation without article", _orphan, "orphan-1.json: file", "without an article"),
    ("two articles with one id", _two_ids, "file name", "already used by"),
    ("unsafe id", _unsafe_id, "bad name!.txt: file name", "not safe as a file name"),
]


def test_the_valid_contribution_passes(contribution: Path, capsys: pytest.CaptureFixture) -> None:
    assert main(["validate", str(contribution)]) == 0
    assert "no problems" in capsys.readouterr().err


def test_there_are_enough_distinct_cases() -> None:
    assert len({name for name, *_ in CASES}) == len(CASES) >= 25


@pytest.mark.parametrize(("name", "breaks", "where", "what"), CASES, ids=[c[0] for c in CASES])
def test_bad_contribution_is_reported(
    name: str,
    breaks: Callable[[Path], None],
    where: str,
    what: str,
    contribution: Path,
    capsys: pytest.CaptureFixture,
) -> None:
    breaks(contribution)
    before = {p: p.read_bytes() for p in contribution.rglob("*") if p.is_file()}
    status = main(["validate", str(contribution)])
    out = capsys.readouterr()
    lines = [line for line in out.out.splitlines() if where in line and what in line]
    assert status == 1, out
    assert lines, f"expected a line with {where!r} and {what!r} in:\n{out.out}"
    assert all(": " in line and line.startswith(str(contribution)) for line in lines)
    assert "Traceback" not in out.out + out.err
    # Validation never writes.
    assert before == {p: p.read_bytes() for p in contribution.rglob("*") if p.is_file()}


def test_all_problems_are_reported_in_one_run(
    contribution: Path, capsys: pytest.CaptureFixture
) -> None:
    doc = _doc(contribution)
    doc["entities"][0]["label"] = "PERSON"
    _move_entity(doc, 1)
    doc["boilerplate"][0]["end"] += 1000
    _save(contribution, doc)
    _orphan(contribution)
    assert main(["validate", str(contribution)]) == 1
    out = capsys.readouterr().out
    assert "/entities/0/label" in out
    assert "/boilerplate/0" in out
    assert "orphan-1.json" in out


def test_validation_reports_the_same_whatever_the_number_of_jobs(
    contribution: Path, capsys: pytest.CaptureFixture
) -> None:
    _orphan(contribution)
    _two_ids(contribution)
    doc = _doc(contribution)
    doc["entities"][0]["label"] = "PERSON"
    _save(contribution, doc)
    outputs = []
    for jobs in ("1", "2"):
        assert main(["validate", "--jobs", jobs, str(contribution)]) == 1
        outputs.append(capsys.readouterr())
    assert outputs[0].out == outputs[1].out
    assert outputs[0].out.count("\n") >= 3


def test_command_line_exit_status_and_no_traceback(contribution: Path) -> None:
    (contribution / f"{SEED}.json").write_text('{"id": [[[', encoding="utf-8")
    run = subprocess.run(
        [sys.executable, str(ROOT / "build.py"), "validate", str(contribution)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 1
    assert f"{SEED}.json: line 1, column 11: the file ends too early" in run.stdout
    assert "Traceback" not in run.stdout + run.stderr


def test_fix_relocates_drifted_offsets_and_canonicalises(
    contribution: Path, capsys: pytest.CaptureFixture
) -> None:
    doc = _doc(contribution)
    _move_entity(doc, 3)
    doc["quotes"][0]["content"]["start"] -= 2
    doc["quotes"][0]["content"]["end"] -= 2
    doc["entities"].reverse()
    (contribution / f"{SEED}.json").write_text(json.dumps(doc), encoding="utf-8")
    assert main(["validate", "--fix", str(contribution)]) == 0
    fixed = _doc(contribution)
    text = read_text(contribution / f"{SEED}.txt")
    for span in fixed["entities"] + [fixed["quotes"][0]["content"]]:
        assert text[span["start"] : span["end"]] == span["text"]
    assert [e["start"] for e in fixed["entities"]] == sorted(e["start"] for e in fixed["entities"])
    first = (contribution / f"{SEED}.json").read_bytes()
    assert first.endswith(b"}\n") and first.startswith(b'{\n  "id"')
    # Idempotent: a second fix changes nothing.
    capsys.readouterr()
    assert main(["validate", "--fix", str(contribution)]) == 0
    assert (contribution / f"{SEED}.json").read_bytes() == first
    assert "fixed" not in capsys.readouterr().err


def test_fix_updates_the_hash_when_the_text_moved(contribution: Path) -> None:
    raw = (contribution / f"{SEED}.txt").read_bytes()
    (contribution / f"{SEED}.txt").write_bytes(b"Judul baru\n" + raw)
    assert main(["validate", str(contribution)]) == 1
    assert main(["validate", "--fix", str(contribution)]) == 0
    assert _doc(contribution)["text_sha256"] == sha256_bytes(b"Judul baru\n" + raw)


def test_crlf_and_bom_do_not_shift_offsets(contribution: Path) -> None:
    raw = (contribution / f"{SEED}.txt").read_bytes()
    crlf = b"\xef\xbb\xbf" + raw.replace(b"\n", b"\r\n")
    (contribution / f"{SEED}.txt").write_bytes(crlf)
    doc = _doc(contribution)
    doc["text_sha256"] = sha256_bytes(crlf)
    _save(contribution, doc)
    assert main(["validate", str(contribution)]) == 0


def test_a_single_annotation_file_is_validated_with_its_article(
    contribution: Path, capsys: pytest.CaptureFixture
) -> None:
    assert main(["validate", str(contribution / f"{SEED}.json")]) == 0
    edit(lambda d: d["entities"][0].update(label="PERSON"))(contribution)
    assert main(["validate", str(contribution / f"{SEED}.json")]) == 1
    assert "/entities/0/label" in capsys.readouterr().out
