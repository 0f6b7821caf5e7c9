"""Reading an article for the build: one read and one parse per file, every problem said.

``check_and_load`` parses each annotation file once, with the C parser unless
a key count says a key was written twice, and checks whole columns of spans
before going span by span to say what is wrong.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from warta import validation
from warta.corpus import ArticleFiles, discover, load
from warta.text import sha256_bytes

from .conftest import CORPUS
from .fixtures import ARTICLE_ID as SEED
from .fixtures import ARTICLE_TEXT, OUTLET, valid_annotation

_RAW = ARTICLE_TEXT.encode("utf-8")


def article(folder: Path, annotation: str | bytes, raw: bytes = _RAW) -> ArticleFiles:
    """The fixture article's text with an annotation file written as given."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{SEED}.txt").write_bytes(raw)
    data = annotation.encode("utf-8") if isinstance(annotation, str) else annotation
    (folder / f"{SEED}.json").write_bytes(data)
    (found,) = discover([folder])
    return found


def seed_doc() -> dict[str, Any]:
    return valid_annotation(_RAW.decode("utf-8"), _RAW)


def test_a_good_article_is_loaded_as_the_build_loads_it() -> None:
    found = [f for f in discover([CORPUS]) if f.txt_file is not None]
    assert found
    for files in found:
        loaded, problems = validation.check_and_load(files)
        assert problems == [] == validation.check_article_safely(files)
        assert loaded == load(files)
        assert loaded is not None and loaded.sha256 == sha256_bytes(loaded.raw)
        assert files.json_file is None or loaded.annotation == json.loads(files.json.read_bytes())


def test_an_article_without_annotation_file_is_loaded(tmp_path: Path) -> None:
    (tmp_path / f"{SEED}.txt").write_bytes(_RAW)
    (files,) = discover([tmp_path])
    loaded, problems = validation.check_and_load(files)
    assert problems == [] and loaded == load(files)
    assert loaded is not None and loaded.annotation is None


def test_a_duplicate_key_is_reported(tmp_path: Path) -> None:
    text = json.dumps(seed_doc(), indent=2)
    text = text.replace('"manual":', f'"id": "{SEED}",\n  "manual":', 1)
    loaded, problems = validation.check_and_load(article(tmp_path, text))
    assert loaded is None
    assert [p.what for p in problems] == ['the key "id" is written twice in one object; keep one']


@pytest.mark.parametrize("colon", [": ", " : ", "\n:\t", ":"])
def test_a_nested_duplicate_key_is_reported(tmp_path: Path, colon: str) -> None:
    text = json.dumps(seed_doc(), indent=2, separators=(",", colon))
    label = f'"label"{colon}"LOC"'
    assert label in text
    text = text.replace(label, f"{label}, {label}", 1)
    loaded, problems = validation.check_and_load(article(tmp_path, text))
    assert loaded is None
    assert [p.what for p in problems] == [
        'the key "label" is written twice in one object; keep one'
    ]


def test_a_key_written_inside_a_string_is_not_a_duplicate(tmp_path: Path) -> None:
    doc = seed_doc()
    doc["metadata"]["title"] = '"id": "x", "label" : "LOC", "label":'
    text = json.dumps(doc, indent=2)
    loaded, problems = validation.check_and_load(article(tmp_path, text))
    assert problems == []
    assert loaded is not None and loaded.annotation == json.loads(text)


def test_bad_offsets_are_reported(tmp_path: Path) -> None:
    doc = seed_doc()
    doc["entities"][1]["start"] += 1
    doc["entities"][1]["end"] += 1
    doc["quotes"][0]["cue"]["end"] = len(_RAW) + 5
    files = article(tmp_path, json.dumps(doc, indent=2))
    loaded, problems = validation.check_and_load(files)
    assert loaded is None
    assert problems == validation.check_article_safely(files)
    assert [p.where for p in problems] == ["/entities/1", "/quotes/0/cue"]
    assert "does not match the text at" in problems[0].what
    assert "is past the end of the text" in problems[1].what


def test_other_json_problems_are_reported(tmp_path: Path) -> None:
    good = json.dumps(seed_doc())
    cases: list[str | bytes] = [
        good.replace(f'"{OUTLET}"', "NaN"),
        good[:-1],
        b"\xef\xbb\xbf" + good.encode(),
        good.encode().replace(b"kabarkita", b"k\xffbarkita"),
        "[]",
        "null",
        '{"id": "a", "id": "b"',
        "[" * 100_000,
    ]
    for i, content in enumerate(cases):
        files = article(tmp_path / str(i), content)
        loaded, problems = validation.check_and_load(files)
        assert loaded is None and problems, content[:40]
