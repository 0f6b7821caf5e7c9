"""Label Studio, INCEpTION (XMI) and brat: out and back byte for byte, read by the tools' libraries.

Round trips run over articles the tests write (every label, split quotes,
null cue and speaker, glued text, emoji, combining marks, bare files) and
over every article in ``corpus/``, whatever it holds: exporting an
annotation file and importing it untouched must give back the file as the
canonical writer writes it.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from warta.corpus import dump_annotation
from warta.export import brat, common, inception, label_studio, offsets

from .conftest import CORPUS
from .export_articles import BARE_ID, HARD_ID, HARD_TEXT, write_export_corpus

TOOLS = {"label-studio": label_studio, "inception": inception, "brat": brat}


@pytest.fixture(scope="module")
def export_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_export_corpus(tmp_path_factory.mktemp("export") / "corpus")


def _round_trip(module, sources: list[common.Source], tmp: Path) -> dict[str, str]:
    folder = tmp / "exported"
    folder.mkdir()
    written = module.export(sources, folder)
    inputs = [written[0]] if module is label_studio else [folder]
    imported, problems = module.read(inputs)
    assert problems == []
    return {item.head.id: item.dump() for item in imported if item.head.exists or item.manual}


def _originals(folder: Path) -> dict[str, str]:
    return {
        path.stem: dump_annotation(json.loads(path.read_text(encoding="utf-8")))
        for path in sorted(folder.glob("*.json"))
    }


@pytest.mark.parametrize("tool", TOOLS)
@pytest.mark.parametrize("auto", [False, True], ids=["no-auto", "auto"])
def test_written_articles_come_back_byte_for_byte(
    tool: str, auto: bool, export_corpus: Path, tmp_path: Path
) -> None:
    # With auto, the layers nobody checked travel as pre-annotations; they must not come back.
    sources = common.load_sources([export_corpus], [export_corpus] if auto else None)
    back = _round_trip(TOOLS[tool], sources, tmp_path)
    originals = _originals(export_corpus)
    assert back == originals  # the raw article without a file gets none
    assert HARD_ID in back and BARE_ID in back


@pytest.mark.parametrize("tool", TOOLS)
def test_every_corpus_article_comes_back_byte_for_byte(tool: str, tmp_path: Path) -> None:
    module = TOOLS[tool]
    sources = common.load_sources([CORPUS], None)
    # What a format cannot hold (a control character XML 1.0 forbids, say) is refused
    # with a message rather than written wrong; the rest must come back unchanged.
    refused = {s.id for s in sources if getattr(module, "unwritable", lambda _s: [])(s)}
    if refused:
        with pytest.raises(common.ConversionError):
            module.export([s for s in sources if s.id in refused], tmp_path)
    back = _round_trip(module, [s for s in sources if s.id not in refused], tmp_path)
    originals = _originals(CORPUS)
    assert back == {k: v for k, v in originals.items() if k not in refused}


def test_label_studio_config_and_tasks_pass_the_sdk(export_corpus: Path, tmp_path: Path) -> None:
    from label_studio_sdk.label_interface import LabelInterface
    from label_studio_sdk.types import AnnotationRequest, ImportApiRequest, PredictionRequest

    interface = LabelInterface(label_studio.label_config())
    interface.validate()  # the config's XML schema, unique names, toName targets
    sources = common.load_sources([export_corpus], [export_corpus])
    tasks = [label_studio.task(s) for s in sources]
    fields = {
        "task": set(ImportApiRequest.model_fields),
        "annotation": set(AnnotationRequest.model_fields),
        "prediction": set(PredictionRequest.model_fields),
    }
    seen_annotation = False
    for task in tasks:
        assert set(task) <= fields["task"]
        for prediction in task["predictions"]:
            assert set(prediction) <= fields["prediction"]
            assert interface.validate_prediction(prediction, return_errors=True) == []
        for annotation in task.get("annotations", []):
            seen_annotation = True
            assert set(annotation) <= fields["annotation"]
            assert interface.validate_annotation(annotation)
    assert seen_annotation


def _ls_export(task: dict) -> dict:
    """A task as Label Studio's JSON export gives it back after a person worked on it.

    The shapes follow the documented export: task and annotation ids, users,
    times, cancelled annotations, random region ids, ``origin`` on regions,
    relation labels.
    """
    rename = {}
    result = []
    for i, item in enumerate(task["predictions"][0]["result"]):
        item = json.loads(json.dumps(item))
        if "id" in item:
            item["id"] = rename.setdefault(item["id"], f"Xy{i:02d}aZ-k9")
            item["origin"] = "prediction"
        else:
            item["from_id"], item["to_id"] = rename[item["from_id"]], rename[item["to_id"]]
            item["labels"] = ["cue"]
        result.append(item)
    return {
        "id": 17,
        "data": task["data"],
        "annotations": [
            {
                "id": 40,
                "completed_by": {"id": 2, "email": "a@example.org"},
                "result": [],
                "was_cancelled": True,
                "ground_truth": False,
                "created_at": "2024-03-10T08:00:00.000000Z",
                "updated_at": "2024-03-10T08:00:00.000000Z",
                "lead_time": 3.5,
                "task": 17,
                "project": 3,
            },
            {
                "id": 41,
                "completed_by": 2,
                "result": result,
                "was_cancelled": False,
                "ground_truth": False,
                "created_at": "2024-03-10T09:00:00.000000Z",
                "updated_at": "2024-03-10T09:30:00.000000Z",
                "lead_time": 120.25,
                "prediction": {},
                "result_count": 0,
                "task": 17,
                "project": 3,
            },
        ],
        "predictions": [],
        "meta": {},
        "created_at": "2024-03-10T07:00:00.000000Z",
        "updated_at": "2024-03-10T09:30:00.000000Z",
        "inner_id": 1,
        "total_annotations": 1,
        "cancelled_annotations": 1,
        "project": 3,
    }


def test_label_studio_export_json_of_a_persons_work_imports(
    export_corpus: Path, tmp_path: Path
) -> None:
    (source,) = common.load_sources([export_corpus / f"{HARD_ID}.txt"], None)
    exported = _ls_export(label_studio.task(source))
    path = tmp_path / "project-3-at-2024-03-10.json"
    path.write_text(json.dumps([exported], ensure_ascii=False), encoding="utf-8")
    (item,), problems = label_studio.read([path])
    assert problems == []
    assert item.dump() == _originals(export_corpus)[HARD_ID]


def test_label_studio_utf16_offsets_of_older_versions_are_converted(
    export_corpus: Path, tmp_path: Path
) -> None:
    (source,) = common.load_sources([export_corpus / f"{HARD_ID}.txt"], None)
    task = label_studio.task(source)
    for item in task["annotations"][0]["result"]:
        value = item.get("value", {})
        if "start" in value:
            value["start"] = offsets.utf16(HARD_TEXT, value["start"])
            value["end"] = offsets.utf16(HARD_TEXT, value["end"])
    path = tmp_path / "old.json"
    path.write_text(json.dumps([task]), encoding="utf-8")
    (item,), problems = label_studio.read([path])
    assert problems == []
    assert item.dump() == _originals(export_corpus)[HARD_ID]


def test_xmi_loads_in_cassis_with_its_type_system_and_counts_utf16(
    export_corpus: Path, tmp_path: Path
) -> None:
    from cassis import load_cas_from_xmi, load_typesystem

    (source,) = common.load_sources([export_corpus / f"{HARD_ID}.txt"], None)
    inception.export([source], tmp_path)
    with (tmp_path / inception.TYPESYSTEM_NAME).open("rb") as handle:
        ts = load_typesystem(handle)
    with (tmp_path / f"{HARD_ID}.xmi").open("rb") as handle:
        cas = load_cas_from_xmi(handle, typesystem=ts)  # strict: every type is declared
    assert cas.sofa_string == HARD_TEXT
    entities = sorted((e.begin, e.end, e.value) for e in cas.select(inception.NAMED_ENTITY))
    assert entities == [(e["start"], e["end"], e["label"]) for e in source.manual["entities"]]
    assert {m.layer for m in cas.select(inception.MANUAL_LAYER)} == set(source.head.manual)
    # In the file itself, offsets count UTF-16 code units: the emoji counts two.
    xmi = (tmp_path / f"{HARD_ID}.xmi").read_text(encoding="utf-8")
    written = {
        (int(b), int(e), v)
        for b, e, v in re.findall(r'begin="(\d+)" end="(\d+)" value="(\w+)"', xmi)
    }
    expected = {
        (offsets.utf16(HARD_TEXT, e["start"]), offsets.utf16(HARD_TEXT, e["end"]), e["label"])
        for e in source.manual["entities"]
    }
    assert written == expected
    shifted = [(e["start"], e["end"], e["label"]) not in written for e in source.manual["entities"]]
    assert any(shifted)  # the entities after the emoji


def test_brat_files_follow_the_standoff_format(export_corpus: Path, tmp_path: Path) -> None:
    sources = common.load_sources([export_corpus], None)
    brat.export(sources, tmp_path)
    conf = (tmp_path / "annotation.conf").read_text(encoding="utf-8")
    sections = dict(re.findall(r"\[(\w+)\]\n(.*?)(?=\n\[|\Z)", conf, flags=re.S))
    entity_types = {line for line in sections["entities"].splitlines() if line and line[0] != "#"}
    relation_types = {line.split("\t")[0] for line in sections["relations"].splitlines() if line}
    line = re.compile(
        r"T\d+\t(\S+) \d+ \d+(;\d+ \d+)*\t[^\n]*|R\d+\t(\S+) Arg1:T\d+ Arg2:T\d+"
        r"|A\d+\tKind T\d+ \S+|#\d+\tAnnotatorNotes T\d+\t[^\n]*"
    )
    for source in sources:
        text = (tmp_path / f"{source.id}.txt").read_bytes().decode("utf-8")
        assert text == source.text
        rows = (tmp_path / f"{source.id}.ann").read_text(encoding="utf-8").split("\n")
        for row in filter(None, rows):
            found = line.fullmatch(row)
            assert found, row
            assert found[1] is None or found[1] in entity_types
            assert found[3] is None or found[3] in relation_types
            if found[1]:
                frags = [
                    tuple(map(int, f.split()))
                    for f in row.split("\t")[1].split(" ", 1)[1].split(";")
                ]
                assert row.split("\t")[2] == " ".join(text[a:b] for a, b in frags)


def test_offsets_convert_astral_characters_and_combining_marks() -> None:
    text = "a😀b e\u0301 🇮🇩 z"
    for start in range(len(text)):
        for end in range(start + 1, len(text) + 1):
            u16 = (offsets.utf16(text, start), offsets.utf16(text, end))
            assert (
                text.encode("utf-16-le")[2 * u16[0] : 2 * u16[1]].decode("utf-16-le")
                == text[start:end]
            )
            assert offsets.from_utf16(text, *u16) == (start, end)
            u8 = (offsets.utf8(text, start), offsets.utf8(text, end))
            assert text.encode("utf-8")[u8[0] : u8[1]].decode("utf-8") == text[start:end]
            assert offsets.from_utf8(text, *u8) == (start, end)
    assert offsets.from_utf16(text, 2, 3) is None  # inside the emoji's surrogate pair
    assert offsets.from_utf8(text, 2, 3) is None  # inside its UTF-8 bytes


def test_xmi_without_its_document_layer_takes_the_head_from_the_corpus(
    export_corpus: Path, tmp_path: Path
) -> None:
    # An INCEpTION project that does not define WartaDocument drops it on import.
    from cassis import load_cas_from_xmi

    sources = common.load_sources([export_corpus], None)
    inception.export(sources, tmp_path)
    for source in sources:
        path = tmp_path / f"{source.id}.xmi"
        with path.open("rb") as handle:
            cas = load_cas_from_xmi(handle, typesystem=inception.typesystem())
        for fs in list(cas.select(inception.WARTA_DOCUMENT)):
            cas.remove(fs)
        cas.to_xmi(path)
    imported, problems = inception.read([tmp_path])
    assert problems and all("WartaDocument" in line for line in problems)
    imported, problems = inception.read([tmp_path], [export_corpus])
    assert problems == []
    back = {i.head.id: i.dump() for i in imported if i.head.exists or i.manual}
    assert back == _originals(export_corpus)
