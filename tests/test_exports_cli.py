"""``build.py export`` and ``import``: output safety, bad input in one line, a person's edits."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from warta.cli import main
from warta.export import label_studio
from warta.validation import validate

from .export_articles import HARD_ID, write_export_corpus
from .fixtures import RAW_ID, RAW_TEXT


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    return write_export_corpus(tmp_path / "corpus")


def _export(corpus: Path, tool: str, out: Path, *extra: str) -> int:
    return main(["export", "--to", tool, str(corpus), "--out", str(out), "--no-auto", *extra])


def _import(tool: str, inputs: list[Path], out: Path, corpus: Path) -> int:
    return main(
        ["import", "--from", tool, *map(str, inputs), "--out", str(out), "--corpus", str(corpus)]
    )


def _no_traceback(err: str) -> None:
    assert "Traceback" not in err
    assert "this is a bug" not in err


@pytest.mark.parametrize("tool", ["label-studio", "inception", "brat"])
def test_export_then_import_gives_files_that_validate(
    tool: str, corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out, back = tmp_path / "out", tmp_path / "back"
    assert _export(corpus, tool, out) == 0
    inputs = [out / label_studio.TASKS_NAME] if tool == "label-studio" else [out]
    assert _import(tool, inputs, back, corpus) == 0
    for path in back.glob("*.json"):
        assert path.read_bytes() == (corpus / path.name).read_bytes()
    assert {p.name for p in back.glob("*.json")} == {p.name for p in corpus.glob("*.json")}
    # Exporting and importing again replaces only what the commands made themselves.
    assert _export(corpus, tool, out) == 0
    assert _import(tool, inputs, back, corpus) == 0
    checked = tmp_path / "checked"
    shutil.copytree(corpus, checked)
    for path in back.glob("*.json"):
        shutil.copy(path, checked / path.name)
    assert validate([checked]).ok


@pytest.mark.parametrize("command", ["export", "import"])
def test_output_folders_not_their_own_are_refused(
    command: str, corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    foreign = tmp_path / "notes"
    foreign.mkdir()
    (foreign / "mine.txt").write_text("keep me", encoding="utf-8")
    exported = tmp_path / "exported"
    assert _export(corpus, "label-studio", exported) == 0
    capsys.readouterr()
    for out in (foreign, corpus, tmp_path):
        if command == "export":
            status = _export(corpus, "brat", out)
        else:
            status = _import("label-studio", [exported / "tasks.json"], out, corpus)
        err = capsys.readouterr().err
        assert status == 2, err
        assert "refused" in err and len(err.strip().splitlines()) == 1
    assert [p.name for p in foreign.iterdir()] == ["mine.txt"]
    assert not list(corpus.glob(".*"))


def _one_task_file(corpus: Path, tmp_path: Path) -> tuple[Path, list[dict]]:
    out = tmp_path / "ls"
    assert _export(corpus, "label-studio", out) == 0
    path = out / label_studio.TASKS_NAME
    return path, json.loads(path.read_text(encoding="utf-8"))


def test_a_persons_label_studio_work_is_imported(
    corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path, tasks = _one_task_file(corpus, tmp_path)
    task = next(t for t in tasks if t["data"]["article_id"] == RAW_ID)
    assert "annotations" not in task  # the raw article: only a prediction to start from
    start = RAW_TEXT.index("Festival Kopi Malang")
    region = {
        "start": start,
        "end": start + 20,
        "text": "Festival Kopi Malang",
        "labels": ["EVENT"],
    }
    task["annotations"] = [
        {
            "result": [
                {
                    "id": "m",
                    "from_name": "manual",
                    "to_name": "text",
                    "type": "choices",
                    "value": {"choices": ["entities"]},
                },
                {
                    "id": "e1",
                    "from_name": "entities",
                    "to_name": "text",
                    "type": "labels",
                    "value": region,
                },
            ],
            "was_cancelled": False,
        }
    ]
    path.write_text(json.dumps(tasks), encoding="utf-8")
    back = tmp_path / "back"
    assert _import("label-studio", [path], back, corpus) == 0
    doc = json.loads((back / f"{RAW_ID}.json").read_text(encoding="utf-8"))
    assert doc["manual"] == ["entities"]
    assert [(e["text"], e["label"]) for e in doc["entities"]] == [("Festival Kopi Malang", "EVENT")]
    checked = tmp_path / "checked"
    shutil.copytree(corpus, checked)
    shutil.copy(back / f"{RAW_ID}.json", checked)
    assert validate([checked]).ok


def _import_fails(tool: str, path: Path, corpus: Path, capsys: pytest.CaptureFixture[str]) -> str:
    capsys.readouterr()
    out = path.parent.parent / "never"
    status = _import(tool, [path], out, corpus)
    err = capsys.readouterr().err
    assert status == 1, err
    _no_traceback(err)
    assert not out.exists()
    return err


def test_malformed_label_studio_files_get_one_line_each(
    corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path, tasks = _one_task_file(corpus, tmp_path)
    text = path.read_text(encoding="utf-8")
    path.write_text(text[: len(text) // 2], encoding="utf-8")
    err = _import_fails("label-studio", path, corpus, capsys)
    assert f"{path}: line " in err and "not well-formed JSON" in err

    hard = next(t for t in tasks if t["data"]["article_id"] == HARD_ID)
    result = hard["annotations"][0]["result"]
    entity = next(r for r in result if r["from_name"] == "entities")
    entity["value"]["labels"] = ["PERSON"]
    cue = next(r for r in result if r.get("value", {}).get("labels") == ["cue"])
    result[:] = [r for r in result if r.get("to_id") != cue["id"]]  # a cue of no quote
    path.write_text(json.dumps(tasks), encoding="utf-8")
    err = _import_fails("label-studio", path, corpus, capsys)
    lines = err.strip().splitlines()
    where = f"task {tasks.index(hard)} ({HARD_ID}), region {entity['id']}"
    assert any(where in x and "'PERSON'" in x for x in lines)
    assert any(f"region {cue['id']}" in x and "belongs to no quote" in x for x in lines)

    hard["annotations"][0]["result"] = []
    hard["data"]["text"] = hard["data"]["text"].replace("Kopi", "Teh", 1)
    path.write_text(json.dumps(tasks), encoding="utf-8")
    err = _import_fails("label-studio", path, corpus, capsys)
    assert f"differs from {corpus / (HARD_ID + '.txt')}" in err


def test_malformed_brat_and_xmi_files_get_one_line_each(
    corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "brat"
    assert _export(corpus, "brat", out) == 0
    ann = out / f"{HARD_ID}.ann"
    ann.write_text(ann.read_text(encoding="utf-8") + "T99\tPERSON 0 3\tBAN\n", encoding="utf-8")
    err = _import_fails("brat", ann, corpus, capsys)
    assert f"{ann}: line " in err and "'PERSON 0 3'" in err
    # A relation drawn to a span that is no quote part (an entity, say).
    lines = ann.read_text(encoding="utf-8").splitlines()[:-1]
    quote_cue = next(line for line in lines if line.startswith("R") and "\tCue " in line)
    entity = next(
        line.split("\t")[0]
        for line in lines
        if line.startswith("T") and line.split("\t")[1].split()[0] in ("PER", "ORG", "LOC")
    )
    relation = quote_cue.split("\t")[1].rsplit(":", 1)[0] + ":" + entity
    ann.write_text("\n".join([*lines, f"R99\t{relation}"]) + "\n", encoding="utf-8")
    err = _import_fails("brat", ann, corpus, capsys)
    assert "does not run from a quote's content to a cue" in err and "Traceback" not in err
    (out / f"{HARD_ID}.warta.json").unlink()
    err = _import_fails("brat", ann, corpus, capsys)
    assert f"{HARD_ID}.warta.json is not beside it" in err

    out = tmp_path / "xmi"
    assert _export(corpus, "inception", out) == 0
    xmi = out / f"{HARD_ID}.xmi"
    xmi.write_text(xmi.read_text(encoding="utf-8")[:200], encoding="utf-8")
    err = _import_fails("inception", xmi, corpus, capsys)
    assert f"{xmi}: file: is not readable XMI" in err


def test_text_xml_cannot_hold_is_refused_for_xmi_in_one_line(
    corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = "Catatan redaksi dengan karakter\x0cpemisah halaman di tengahnya.\n"
    (corpus / "uji-kontrol-6.txt").write_text(text, encoding="utf-8")
    out = tmp_path / "xmi"
    capsys.readouterr()
    assert main(["export", "--to", "inception", str(corpus), "--out", str(out), "--no-auto"]) == 1
    err = capsys.readouterr().err
    _no_traceback(err)
    where = f"uji-kontrol-6: text, character {text.index(chr(12))}: U+000C"
    assert where in err
    assert not out.exists()
    assert _export(corpus, "brat", tmp_path / "brat") == 0  # brat keeps any character
