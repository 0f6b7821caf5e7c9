"""The quick validation path: one read and one parse per article, the same problems.

``check_and_load`` trusts the C JSON parser when a key count proves no key
was dropped, and a columnar test of the spans when it finds nothing wrong.
Each test compares it with the careful path (the strict parser, jsonschema,
the per-span checks), which is what gives every message.
"""

from __future__ import annotations

import copy
import json
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bench.build_bench import make_article
from warta import validate
from warta.corpus import (
    ArticleFiles,
    JSONProblem,
    discover,
    keys_written_at_most,
    load,
    parse_annotation,
    parse_annotation_quickly,
)
from warta.text import decode, sha256_bytes

from .conftest import CORPUS
from .fixtures import ARTICLE_ID as SEED
from .fixtures import ARTICLE_TEXT, OUTLET, valid_annotation, write_corpus

_RAW = ARTICLE_TEXT.encode("utf-8")


@contextmanager
def careful_path() -> Iterator[None]:
    """The validator without its shortcuts: strict parser, per-span checks."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(validate, "parse_annotation_quickly", lambda raw, _: parse_annotation(raw))
        patch.setattr(validate, "_layers_fine", lambda _doc, _text: False)
        yield


def careful(files: ArticleFiles) -> list[validate.Problem]:
    with careful_path():
        return validate.check_article_safely(files)


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
        loaded, problems = validate.check_and_load(files)
        assert problems == [] == validate.check_article_safely(files)
        assert loaded == load(files)
        assert loaded is not None and loaded.sha256 == sha256_bytes(loaded.raw)
        assert files.json_file is None or loaded.annotation == json.loads(files.json.read_bytes())


def test_an_article_without_annotation_file_is_loaded(tmp_path: Path) -> None:
    (tmp_path / f"{SEED}.txt").write_bytes(_RAW)
    (files,) = discover([tmp_path])
    loaded, problems = validate.check_and_load(files)
    assert problems == [] and loaded == load(files)
    assert loaded is not None and loaded.annotation is None


def test_a_duplicate_key_is_reported(tmp_path: Path) -> None:
    text = json.dumps(seed_doc(), indent=2)
    text = text.replace('"manual":', f'"id": "{SEED}",\n  "manual":', 1)
    loaded, problems = validate.check_and_load(article(tmp_path, text))
    assert loaded is None
    assert [p.what for p in problems] == ['the key "id" is written twice in one object; keep one']
    assert problems == careful(article(tmp_path, text))


@pytest.mark.parametrize("colon", [": ", " : ", "\n:\t", ":"])
def test_a_nested_duplicate_key_is_reported(tmp_path: Path, colon: str) -> None:
    text = json.dumps(seed_doc(), indent=2, separators=(",", colon))
    label = f'"label"{colon}"LOC"'
    assert label in text
    text = text.replace(label, f"{label}, {label}", 1)
    loaded, problems = validate.check_and_load(article(tmp_path, text))
    assert loaded is None
    assert [p.what for p in problems] == [
        'the key "label" is written twice in one object; keep one'
    ]
    assert problems == careful(article(tmp_path, text))


def test_a_key_written_inside_a_string_is_not_a_duplicate(tmp_path: Path) -> None:
    doc = seed_doc()
    doc["metadata"]["title"] = '"id": "x", "label" : "LOC", "label":'
    text = json.dumps(doc, indent=2)
    loaded, problems = validate.check_and_load(article(tmp_path, text))
    assert problems == [] == careful(article(tmp_path, text))
    assert loaded is not None and loaded.annotation == json.loads(text)


def test_bad_offsets_are_reported_as_before(tmp_path: Path) -> None:
    doc = seed_doc()
    doc["entities"][1]["start"] += 1
    doc["entities"][1]["end"] += 1
    doc["quotes"][0]["cue"]["end"] = len(_RAW) + 5
    files = article(tmp_path, json.dumps(doc, indent=2))
    loaded, problems = validate.check_and_load(files)
    assert loaded is None
    assert problems == careful(files) == validate.check_article_safely(files)
    assert [p.where for p in problems] == ["/entities/1", "/quotes/0/cue"]
    assert "does not match the text at" in problems[0].what
    assert "is past the end of the text" in problems[1].what


def test_other_json_problems_are_reported_as_before(tmp_path: Path) -> None:
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
        loaded, problems = validate.check_and_load(files)
        assert loaded is None and problems, content[:40]
        assert problems == careful(files), content[:40]


# Random JSON, written with duplicate keys and odd spacing, parses as strictly.
_scalars = st.none() | st.booleans() | st.integers() | st.sampled_from(['"', ":", '" :', "a"])
_keys = st.sampled_from(["id", "start", "label", "a:", 'q"', "\\", " "])
_values = st.recursive(
    _scalars,
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.lists(st.tuples(_keys, inner), max_size=4).map(lambda pairs: ("object", pairs))
    ),
    max_leaves=12,
)


def _write(value: Any, colon: str) -> str:
    if isinstance(value, tuple):
        members = (json.dumps(k) + colon + _write(v, colon) for k, v in value[1])
        return "{" + ", ".join(members) + "}"
    if isinstance(value, list):
        return "[" + ",".join(_write(v, colon) for v in value) + "]"
    return json.dumps(value)


@settings(max_examples=400, deadline=None)
@given(
    pairs=st.lists(st.tuples(_keys, _values), max_size=5),
    colon=st.sampled_from([":", ": ", " :", "\n:", "\t :\r"]),
)
def test_the_quick_parser_agrees_with_the_strict_one(pairs: list, colon: str) -> None:
    raw = _write(("object", pairs), colon).encode("utf-8")
    try:
        expected: Any = parse_annotation(raw)
    except JSONProblem as exc:
        expected = (exc.where, exc.what)
    try:
        got: Any = parse_annotation_quickly(raw, validate._keys_kept)
    except JSONProblem as exc:
        got = (exc.where, exc.what)
    assert got == expected


# Random edits of a valid article's spans give the same problems as the careful path.
_TEXT, _ANNOTATION = make_article(7, 3)
_DOC = {"id": SEED, "text_sha256": sha256_bytes(_TEXT.encode()), **_ANNOTATION}
_SPAN_PLACES = [
    (layer, i, None) for layer in ("boilerplate", "entities") for i in range(len(_DOC[layer]))
] + [
    ("quotes", i, part)
    for i in range(len(_DOC["quotes"]))
    for part in ("content", "cue", "speaker")
    if _DOC["quotes"][i][part] is not None
]


def _edit(doc: dict[str, Any], place: tuple, action: str, a: int, b: int) -> None:
    layer, i, part = place
    span = doc[layer][i] if part is None else doc[layer][i][part]
    if action == "move":
        span["start"], span["end"] = a, b
        span["text"] = _TEXT[a:b] or "x"
    elif action == "shift":
        span["start"] += a % 3
        span["end"] += b % 3
    elif action == "copy" and part is None:
        doc[layer].append(dict(span, start=span["start"] + a % 2))
    elif action == "copy":
        doc[layer].append(copy.deepcopy(doc[layer][i]))
    elif action == "unlist":
        doc["manual"] = ["quotes", "entities", "boilerplate"]
        del doc[layer]
    elif action == "pad":
        span["text"] = " " + span["text"]
        span["start"] -= 1


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    edits=st.lists(
        st.tuples(
            st.sampled_from(_SPAN_PLACES),
            st.sampled_from(["move", "shift", "copy", "unlist", "pad"]),
            st.integers(0, len(_TEXT) + 3),
            st.integers(0, len(_TEXT) + 3),
        ),
        max_size=3,
    )
)
def test_span_checks_agree_with_the_careful_path(edits: list) -> None:
    doc = copy.deepcopy(_DOC)
    for place, action, a, b in edits:
        if place[0] in doc and place[1] < len(doc[place[0]]):
            _edit(doc, place, action, min(a, b), max(a, b))
    with tempfile.TemporaryDirectory() as tmp:
        files = article(Path(tmp), json.dumps(doc), _TEXT.encode())
        loaded, problems = validate.check_and_load(files)
        assert problems == careful(files)
        assert (loaded is None) == bool(problems)


def test_valid_articles_take_the_quick_path(tmp_path: Path) -> None:
    """Speed, not correctness: valid files need neither the strict parser nor span checks."""
    folder = write_corpus(tmp_path)
    cases = [(j.read_bytes(), j.with_suffix(".txt").read_bytes()) for j in folder.glob("*.json")]
    assert len(cases) == 2
    cases.append((json.dumps(_DOC, indent=2).encode(), _TEXT.encode()))
    for raw, text in cases:
        doc = json.loads(raw)
        assert validate._keys_kept(doc) == keys_written_at_most(raw)
        assert validate._layers_fine(doc, decode(text))
