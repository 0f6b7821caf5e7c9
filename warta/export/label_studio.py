"""Label Studio: tasks and a labelling config out, Label Studio's JSON export back in.

Each article becomes a task whose ``data`` holds the text and the file's
:class:`~warta.export.common.Head`. The layers the annotation file lists as
checked go into an annotation (a person's work); every layer (the checked
ones and the automatic annotators' spans of the others) goes into a
prediction, so an annotator starts from a complete pre-annotation and
corrects it instead of starting blank.

The labelling config has one ``Labels`` control per layer (boilerplate
categories, entity labels, and the quote parts content, cue and speaker), a
quote's content linked to its cue and speaker by relations, its kind and
speaker name as per-region controls of the content, and a document-level
``manual`` choice where the person ticks the layers they checked completely.

Offsets: Label Studio's ``Text`` tag counts code points (as Python does) in
the results it stores; older versions counted UTF-16 code units. A region
whose stored text shows UTF-16 offsets is converted explicitly
(:mod:`warta.export.offsets`).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache, partial
from pathlib import Path
from typing import Any
from xml.sax.saxutils import quoteattr

from warta.export import offsets
from warta.export.common import (
    ConversionError,
    Imported,
    Reader,
    Source,
    problem,
    read_each,
    read_json_file,
    span_labels,
)
from warta.schema import ANNOTATION, LAYERS, QUOTE, QUOTE_KIND, QUOTE_PARTS, QUOTES, SPAN_LAYERS

TEXT = "text"
"""The name of the ``Text`` object tag and of the task's data field with the text."""
HEAD = "warta"
"""The task's data field holding the annotation file's head."""
MANUAL = ANNOTATION.manual
KIND = QUOTE.kind
SPEAKER_NAME = QUOTE.speaker_name
MODEL_VERSION = "warta-auto"
CONFIG_NAME = "label_config.xml"
TASKS_NAME = "tasks.json"


def label_config() -> str:
    """The labelling config (XML) covering the three layers, from the schema's label sets."""

    def labels(name: str, values: Sequence[str]) -> list[str]:
        inner = [f"    <Label value={quoteattr(v)}/>" for v in values]
        return [f'  <Labels name="{name}" toName="{TEXT}">', *inner, "  </Labels>"]

    def choices(name: str, values: Sequence[str], extra: str) -> list[str]:
        inner = [f"    <Choice value={quoteattr(v)}/>" for v in values]
        return [f'  <Choices name="{name}" toName="{TEXT}" {extra}>', *inner, "  </Choices>"]

    when = f'perRegion="true" visibleWhen="region-selected" whenTagName="{QUOTES}" '
    when += f'whenLabelValue="{QUOTE_PARTS[0]}"'
    lines = [
        "<View>",
        "  <Style>.htx-text { white-space: pre-wrap; }</Style>",
        '  <Header value="Layers you checked completely (the build fills the others)"/>',
        *choices(MANUAL, LAYERS, 'choice="multiple" showInline="true"'),
        *(line for layer, names in span_labels().items() for line in labels(layer, names)),
        *labels(QUOTES, QUOTE_PARTS),
        f'  <Text name="{TEXT}" value="${TEXT}"/>',
        "  <Header value=\"Quote: kind and the speaker's fullest name (link its content to "
        'its cue and speaker with relations)"/>',
        *choices(KIND, QUOTE_KIND, f'{when} required="true" showInline="true"'),
        f'  <TextArea name="{SPEAKER_NAME}" toName="{TEXT}" {when} maxSubmissions="1" '
        'editable="true" placeholder="speaker_name"/>',
        "</View>",
    ]
    return "\n".join(lines) + "\n"


def _labels_result(rid: str, control: str, span: dict[str, Any], label: str) -> dict[str, Any]:
    return {
        "id": rid,
        "from_name": control,
        "to_name": TEXT,
        "type": "labels",
        "value": {
            "start": span["start"],
            "end": span["end"],
            "text": span["text"],
            "labels": [label],
        },
    }


def _result(source: Source, chosen: Sequence[str], manual: Sequence[str] | None) -> list[dict]:
    """The regions of the layers ``chosen``, with the ``manual`` choice if given."""
    out: list[dict[str, Any]] = []
    if manual:
        out.append(
            {
                "id": MANUAL,
                "from_name": MANUAL,
                "to_name": TEXT,
                "type": "choices",
                "value": {"choices": list(manual)},
            }
        )
    for layer in SPAN_LAYERS:
        if layer in chosen:
            for i, span in enumerate(source.layer(layer)):
                out.append(_labels_result(f"{layer[0]}{i}", layer, span, span["label"]))
    if QUOTES not in chosen:
        return out
    content, *others = QUOTE_PARTS
    part_ids: dict[tuple[str, int, int], str] = {}
    relations = []
    for i, quote in enumerate(source.quotes()):
        qid = f"q{i}"
        span = quote[content]
        out.append(_labels_result(qid, QUOTES, span, content))
        where = {"start": span["start"], "end": span["end"]}
        out.append(
            {
                "id": qid,
                "from_name": KIND,
                "to_name": TEXT,
                "type": "choices",
                "value": where | {"choices": [quote[KIND]]},
            }
        )
        if quote[SPEAKER_NAME] is not None:
            out.append(
                {
                    "id": qid,
                    "from_name": SPEAKER_NAME,
                    "to_name": TEXT,
                    "type": "textarea",
                    "value": where | {"text": [quote[SPEAKER_NAME]]},
                }
            )
        for part in others:
            if quote[part] is None:
                continue
            key = (part, quote[part]["start"], quote[part]["end"])
            if key not in part_ids:
                part_ids[key] = f"{part[0]}{len(part_ids)}"
                out.append(_labels_result(part_ids[key], QUOTES, quote[part], part))
            relations.append(
                {
                    "from_id": qid,
                    "to_id": part_ids[key],
                    "type": "relation",
                    "direction": "right",
                    "labels": [],
                }
            )
    return out + relations


def task(source: Source) -> dict[str, Any]:
    """One article as a Label Studio task (data, annotation of checked layers, prediction)."""
    out: dict[str, Any] = {
        "data": {TEXT: source.text, "article_id": source.id, HEAD: source.head.to_json()}
    }
    checked = source.head.manual
    if checked:
        out["annotations"] = [{"result": _result(source, checked, checked), "ground_truth": False}]
    out["predictions"] = [
        {"model_version": MODEL_VERSION, "result": _result(source, LAYERS, checked)}
    ]
    return out


def export(sources: Sequence[Source], folder: Path) -> list[Path]:
    """Write ``tasks.json`` and ``label_config.xml`` into ``folder``."""
    import json

    tasks = folder / TASKS_NAME
    tasks.write_text(
        json.dumps([task(s) for s in sources], ensure_ascii=False, indent=1) + "\n",
        encoding="utf-8",
    )
    config = folder / CONFIG_NAME
    config.write_text(label_config(), encoding="utf-8")
    return [tasks, config]


# --- import -----------------------------------------------------------------------------------


class _Task(Reader):
    """Reads one task of a Label Studio JSON export, collecting problems as lines."""

    def __init__(self, path: Path, index: int, data: dict[str, Any]) -> None:
        text = data.get(TEXT)
        super().__init__(path, text if isinstance(text, str) else "", prefix=f"task {index}")
        self.regions: dict[
            str, tuple[str, str, dict[str, Any]]
        ] = {}  # id -> (control, label, span)
        self.kinds: dict[str, str] = {}
        self.names: dict[str, str | None] = {}
        self.manual: tuple[str, ...] = ()
        self.links: list[tuple[str, str]] = []

    def span(self, rid: str, value: dict[str, Any]) -> dict[str, Any] | None:
        """The span of a region's value, in code points, checked against the task's text."""
        start, end = value.get("start"), value.get("end")
        where = f", region {rid}"
        if type(start) is not int or type(end) is not int:
            self.fail(where, "has no whole-number start and end", "label a span of the text")
            return None
        stored = value.get("text")
        if isinstance(stored, str) and self.text[start:end] != stored:
            converted = offsets.from_utf16(self.text, start, end)
            if converted is not None and self.text[converted[0] : converted[1]] == stored:
                start, end = converted  # an older Label Studio counted UTF-16 code units
            else:
                self.fail(
                    where,
                    f"its text {stored!r} is not the task's text at [{start}, {end})",
                    "export the task again from Label Studio, or relabel the span",
                )
                return None
        return self.cut(start, end, where, "relabel the span")

    def read_item(self, n: int, item: Any) -> None:
        """One entry of the annotation's result, by its type and the control it comes from."""
        if not isinstance(item, dict):
            self.fail(f", result {n}", "is not an object", "export with the JSON format")
            return
        kind, control = item.get("type"), item.get("from_name")
        rid = str(item.get("id", n))
        value = item.get("value") if isinstance(item.get("value"), dict) else {}
        if kind == "relation":
            self.links.append((str(item.get("from_id")), str(item.get("to_id"))))
        elif kind == "labels" and control in _allowed():
            self._region(rid, control, value)
        elif kind == "choices" and control == MANUAL:
            self._manual(value)
        elif kind == "choices" and control == KIND:
            self._kind(rid, value)
        elif kind == "textarea" and control == SPEAKER_NAME:
            self._speaker_name(rid, value)
        else:
            self.fail(
                f", region {rid}",
                f"comes from {control!r} ({kind!r}), which the labelling config does not have",
                f"use {CONFIG_NAME} written by build.py export as the project's config",
            )

    def _region(self, rid: str, control: str, value: dict[str, Any]) -> None:
        chosen = value.get("labels")
        if not isinstance(chosen, list) or len(chosen) != 1:
            self.fail(f", region {rid}", "needs exactly one label", "keep one label")
            return
        fix = "relabel it with the project's labelling config"
        if not self.one_of(chosen[0], _allowed()[control], f", region {rid}", "label", fix):
            return
        span = self.span(rid, value)
        if span is not None:
            self.regions[rid] = (control, chosen[0], span)

    def _manual(self, value: dict[str, Any]) -> None:
        picked = value.get("choices")
        if not isinstance(picked, list):
            self.fail(", manual", "is not a list of layers", "tick layers from the config")
            return
        self.manual = self.layers_named(picked, ", manual", "tick layers from the config")

    def _kind(self, rid: str, value: dict[str, Any]) -> None:
        picked = value.get("choices")
        if not isinstance(picked, list) or len(picked) != 1:
            self.fail(f", region {rid}", f"quote kind {picked!r} is not one kind", "choose one")
            return
        if self.one_of(picked[0], QUOTE_KIND, f", region {rid}", "quote kind", "choose one"):
            self.kinds[rid] = picked[0]

    def _speaker_name(self, rid: str, value: dict[str, Any]) -> None:
        typed = value.get("text")
        if not isinstance(typed, list) or not all(isinstance(t, str) for t in typed):
            self.fail(f", region {rid}", "speaker_name is not text", "type the name again")
            return
        entries = [t.strip() for t in typed if t.strip()]
        if len(entries) > 1:
            self.fail(f", region {rid}", "has more than one speaker_name", "keep the fullest name")
            return
        self.names[rid] = entries[0] if entries else None

    def spans(self) -> dict[str, list[dict[str, Any]]]:
        """The regions read, by layer, quotes with their cue and speaker linked."""
        content = QUOTE_PARTS[0]
        flat: dict[str, list[dict[str, Any]]] = {layer: [] for layer in SPAN_LAYERS}
        quotes: dict[str, dict[str, Any]] = {}
        for rid, (control, label, span) in self.regions.items():
            if control in flat:
                flat[control].append(span | {"label": label})
            elif label == content:
                if rid not in self.kinds:
                    self.fail(f", region {rid}", "quote content without a kind", "choose its kind")
                    continue
                quotes[rid] = self.quote(self.kinds[rid], span, self.names.get(rid))
        attached = self._link(quotes)
        for rid, (control, label, _span) in self.regions.items():
            if control == QUOTES and label != content and rid not in attached:
                self.fail(
                    f", region {rid}",
                    f"this {label} belongs to no quote",
                    "link a quote's content to it with a relation, or delete it",
                )
        return {**flat, QUOTES: list(quotes.values())}

    def _link(self, quotes: dict[str, dict[str, Any]]) -> set[str]:
        """Each relation's part set on its quote; the ids of the parts attached."""
        content, *others = QUOTE_PARTS
        attached: set[str] = set()
        for a, b in self.links:
            pair = [r for r in (a, b) if r in self.regions]
            if len(pair) != 2:
                self.fail(f", relation {a} -> {b}", "links a missing region", "delete the relation")
                continue
            ends = {self.regions[r][1]: r for r in pair if self.regions[r][0] == QUOTES}
            quote_id = ends.get(content)
            part = next((p for p in others if p in ends), None)
            if quote_id is None or part is None or quote_id not in quotes or len(ends) != 2:
                self.fail(
                    f", relation {a} -> {b}",
                    "does not link a quote's content to its cue or speaker",
                    "delete it, or draw it from a content region to a cue or speaker region",
                )
                continue
            span = self.regions[ends[part]][2]
            if self.attach(quotes[quote_id], part, span, f", region {quote_id}"):
                attached.add(ends[part])
        return attached


@cache
def _allowed() -> dict[str, tuple[str, ...]]:
    """The ``Labels`` controls of the config -> the labels each offers."""
    return {**span_labels(), QUOTES: QUOTE_PARTS}


def _choose(annotations: list[Any]) -> dict[str, Any] | None:
    """The annotation to import: the most recently updated one that was not cancelled."""
    kept = [
        (str(a.get("updated_at") or ""), i, a)
        for i, a in enumerate(annotations)
        if isinstance(a, dict) and not a.get("was_cancelled")
    ]
    return max(kept, key=lambda k: (k[0], k[1]))[2] if kept else None


def _read_task(path: Path, numbered: tuple[int, Any]) -> Imported:
    """Task ``index`` of a Label Studio export read back (:class:`ConversionError` if it is bad)."""
    index, item = numbered
    if not isinstance(item, dict) or not isinstance(item.get("data"), dict):
        where = f"task {index}"
        raise ConversionError(
            [problem(path, where, "is not a task with data", "export with JSON format")]
        )
    data = item["data"]
    reader = _Task(path, index, data)
    if not isinstance(data.get(TEXT), str):
        reader.stop("", f"has no text in data.{TEXT}", "export tasks made by build.py export")

    if HEAD not in data:
        reader.stop(
            "",
            f"has no data.{HEAD} (the annotation file's id, hash and metadata)",
            "import only tasks made by `build.py export --to label-studio`",
        )
    head = reader.read_head(data[HEAD], f": data.{HEAD}")
    reader.prefix = f"task {index} ({head.id})"
    annotations = item.get("annotations") or []
    if not isinstance(annotations, list):
        reader.stop("", "annotations is not a list", "export with Label Studio's JSON format")
    chosen = _choose(annotations)
    if chosen is None:  # nobody annotated it: the file as exported (none, if it had none)
        return reader.imported(head, head.manual, {})
    result = chosen.get("result")
    if not isinstance(result, list):
        reader.stop("", "its annotation has no result list", "export with the JSON format")
    for n, entry in enumerate(result):
        reader.read_item(n, entry)
    return reader.imported(head, reader.manual, reader.spans())


def read(paths: Sequence[Path]) -> tuple[list[Imported], list[str]]:
    """Every task of Label Studio JSON exports: the articles read back, and the problems."""
    out: list[Imported] = []
    lines: list[str] = []
    for path in paths:
        tasks = read_json_file(path)
        if isinstance(tasks, dict):
            tasks = [tasks]
        if not isinstance(tasks, list):
            lines.append(
                problem(path, "document", "is not a list of tasks", "export with the JSON format")
            )
            continue
        found, problems = read_each(enumerate(tasks), partial(_read_task, path))
        out += found
        lines += problems
    return out, lines
