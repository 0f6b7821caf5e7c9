"""brat standoff: ``<id>.txt`` and ``<id>.ann`` with an ``annotation.conf``, out and back.

Boilerplate and entities are text-bound annotations (``T``) typed by their
label. A quote is a ``QuoteContent`` span with a ``Kind`` attribute (``A``)
and its speaker name as an ``AnnotatorNotes`` note (``#``), linked by ``Cue``
and ``Speaker`` relations (``R``) to ``QuoteCue`` and ``QuoteSpeaker`` spans.
A span over a line break is written as brat writes one: fragments split at
the break, their texts joined by a space.

brat has no place for document-level facts, so each article's head goes in a
sidecar ``<id>.warta.json`` that brat ignores: the person lists in its
``manual`` the layers they checked completely.

Offsets: brat counts characters as Python does (code points), as Warta does.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

from warta.export.common import (
    ConversionError,
    Imported,
    Layers,
    Reader,
    Source,
    check_json_text,
    problem,
    read_each,
    read_json_file,
    span_labels,
)
from warta.schema import QUOTE, QUOTE_KIND, QUOTE_PARTS, QUOTES, SPAN_LAYERS

SIDECAR = ".warta.json"
KIND = "Kind"
NOTE = "AnnotatorNotes"


@cache
def part_types() -> dict[str, str]:
    """Quote part -> brat entity type (``content`` -> ``QuoteContent``)."""
    return {part: "Quote" + part.capitalize() for part in QUOTE_PARTS}


@cache
def relation_types() -> dict[str, str]:
    """Quote part -> brat relation type from the content to it (``cue`` -> ``Cue``)."""
    return {part: part.capitalize() for part in QUOTE_PARTS[1:]}


def annotation_conf() -> str:
    """brat's ``annotation.conf`` for the three layers, from the schema's label sets."""
    content_type = part_types()[QUOTE_PARTS[0]]
    lines = ["[entities]"]
    for layer, names in span_labels().items():
        lines += [f"# {layer}", *names]
    lines += [f"# {QUOTES}", *part_types().values(), "", "[relations]"]
    for part, name in relation_types().items():
        lines.append(f"{name}\tArg1:{content_type}, Arg2:{part_types()[part]}")
    # Entities may overlap quote parts, and a cue may sit inside a content.
    lines.append("<OVERLAP>\tArg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>")
    lines += ["", "[events]", "", "[attributes]"]
    lines.append(f"{KIND}\tArg:{content_type}, Value:{'|'.join(QUOTE_KIND)}")
    return "\n".join(lines) + "\n"


def _fragments(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """A span as brat's fragments: split at line breaks, blank pieces left out."""
    out, pos = [], start
    for piece in text[start:end].split("\n"):
        if piece.strip():
            out.append((pos, pos + len(piece)))
        pos += len(piece) + 1
    return out


def ann(source: Source) -> str:
    """The ``.ann`` of one article: every layer (checked or automatic)."""
    text = source.text
    lines: list[str] = []

    def bound(kind: str, span: dict[str, Any]) -> str:
        frags = _fragments(text, span["start"], span["end"])
        where = ";".join(f"{a} {b}" for a, b in frags)
        tid = f"T{len(lines) + 1}"
        lines.append(f"{tid}\t{kind} {where}\t{' '.join(text[a:b] for a, b in frags)}")
        return tid

    for layer in SPAN_LAYERS:
        for span in source.layer(layer):
            bound(span["label"], span)
    content, *others = QUOTE_PARTS
    parts: dict[tuple[str, int, int], str] = {}
    relations, attributes, notes = [], [], []
    for quote in source.quotes():
        tid = bound(part_types()[content], quote[content])
        attributes.append(f"A{len(attributes) + 1}\t{KIND} {tid} {quote[QUOTE.kind]}")
        if quote[QUOTE.speaker_name] is not None:
            notes.append(f"#{len(notes) + 1}\t{NOTE} {tid}\t{quote[QUOTE.speaker_name]}")
        for part in others:
            if quote[part] is None:
                continue
            key = (part, quote[part]["start"], quote[part]["end"])
            if key not in parts:
                parts[key] = bound(part_types()[part], quote[part])
            name = relation_types()[part]
            relations.append(f"R{len(relations) + 1}\t{name} Arg1:{tid} Arg2:{parts[key]}")
    tail = relations + attributes + notes
    return "".join(line + "\n" for line in lines + tail)


def unwritable(source: Source) -> list[str]:
    lines = []
    for i, quote in enumerate(source.layer(QUOTES)):
        name = quote[QUOTE.speaker_name]
        found = name and check_json_text(name, QUOTE.speaker_name)
        if found:
            where = f"/{QUOTES}/{i}/{QUOTE.speaker_name}"
            lines.append(problem(source.id, where, found, "remove it"))
    return lines


def export(sources: Sequence[Source], folder: Path) -> list[Path]:
    """Write ``annotation.conf`` and ``<id>.txt``, ``<id>.ann``, ``<id>.warta.json`` per article."""
    lines = [line for source in sources for line in unwritable(source)]
    if lines:
        raise ConversionError(lines)
    conf = folder / "annotation.conf"
    conf.write_text(annotation_conf(), encoding="utf-8")
    written = [conf]
    for source in sources:
        txt = folder / f"{source.id}.txt"
        txt.write_bytes(source.text.encode("utf-8"))
        (folder / f"{source.id}.ann").write_bytes(ann(source).encode("utf-8"))
        sidecar = folder / f"{source.id}{SIDECAR}"
        sidecar.write_text(
            json.dumps(source.head.to_json(), ensure_ascii=False, indent=2) + "\n",
            encoding="utf-8",
        )
        written += [txt, txt.with_suffix(".ann"), sidecar]
    return written


# --- import -----------------------------------------------------------------------------------

_T = re.compile(r"(\S+) (\d+ \d+(?:;\d+ \d+)*)")
_R = re.compile(r"(\S+) Arg1:(T\d+) Arg2:(T\d+)")
_A = re.compile(r"(\S+) (T\d+)(?: (\S+))?")
_NOTE = re.compile(rf"{NOTE} (T\d+)")


@cache
def _layer_of() -> dict[str, str]:
    """brat entity type of a flat layer's span -> its layer (``PERSON`` -> ``entities``)."""
    return {label: layer for layer in SPAN_LAYERS for label in span_labels()[layer]}


@cache
def _part_of() -> dict[str, str]:
    """brat entity type of a quote part -> the part (``QuoteCue`` -> ``cue``)."""
    return {kind: part for part, kind in part_types().items()}


@cache
def _relation_of() -> dict[str, str]:
    """brat relation type -> the quote part it links the content to (``Cue`` -> ``cue``)."""
    return {kind: part for part, kind in relation_types().items()}


def _companions(path: Path) -> tuple[Path, Path]:
    """The ``.txt`` and the sidecar of an ``.ann``; :class:`ConversionError` if one is missing."""
    txt = path.with_suffix(".txt")
    sidecar = path.with_name(path.stem + SIDECAR)
    for needed, what in ((txt, "its text"), (sidecar, "its Warta sidecar")):
        if not needed.is_file():
            raise ConversionError(
                [
                    problem(
                        path,
                        "file",
                        f"{what} {needed.name} is not beside it",
                        "keep the files `build.py export --to brat` wrote together",
                    )
                ]
            )
    return txt, sidecar


class _Ann(Reader):
    """Reads one ``.ann`` against its text, collecting problems as lines."""

    def __init__(self, path: Path, txt: Path, text: str) -> None:
        super().__init__(path, text)
        self.txt = txt
        self.bound: dict[str, tuple[str, dict[str, Any]]] = {}  # T id -> (type, span)
        self.relations: list[tuple[int, str, str, str]] = []  # (line, part, arg1, arg2)
        self.kinds: dict[str, str] = {}
        self.names: dict[str, str] = {}

    def read_line(self, n: int, line: str) -> None:
        """One line of the ``.ann``, by the kind of annotation its id names."""
        ident, _, rest = line.partition("\t")
        if ident.startswith("T"):
            self._text_bound(n, ident, rest)
        elif ident.startswith("R"):
            self._relation(n, rest)
        elif ident.startswith(("A", "M")):
            self._attribute(n, rest)
        elif ident.startswith("#"):
            self._note(n, rest)
        else:
            self.fail(
                f"line {n}",
                f"annotation {ident!r} is of a kind Warta does not use (events, normalizations, "
                "equivalences)",
                "delete it",
            )

    def _text_bound(self, n: int, ident: str, rest: str) -> None:
        body, _, shown = rest.partition("\t")
        found = _T.fullmatch(body)
        if not found or found[1] not in {**_layer_of(), **_part_of()}:
            self.fail(
                f"line {n}",
                f"{body!r} is no span of a type annotation.conf defines",
                "fix the type",
            )
            return
        frags = [tuple(map(int, f.split())) for f in found[2].split(";")]
        start, end = frags[0][0], frags[-1][1]
        if any(a >= b for a, b in frags):
            self.fail(f"line {n}", f"fragments {found[2]!r} are not spans", "annotate it again")
            return
        span = self.cut(start, end, f"line {n}", f"annotate it again on {self.txt.name}")
        if span is None:
            return
        if shown != " ".join(self.text[a:b] for a, b in frags):
            self.fail(
                f"line {n}",
                f"its text {shown!r} is not the text at its offsets",
                "annotate it again",
            )
            return
        self.bound[ident] = (found[1], span)

    def _relation(self, n: int, rest: str) -> None:
        found = _R.fullmatch(rest)
        if not found or found[1] not in _relation_of():
            self.fail(
                f"line {n}", f"{rest!r} is no relation annotation.conf defines", "fix the relation"
            )
            return
        self.relations.append((n, _relation_of()[found[1]], found[2], found[3]))

    def _attribute(self, n: int, rest: str) -> None:
        found = _A.fullmatch(rest)
        if not found or found[1] != KIND:
            self.fail(f"line {n}", f"{rest!r} is not a {KIND} attribute", "fix the attribute")
            return
        if not self.one_of(found[3], QUOTE_KIND, f"line {n}", KIND, "fix the attribute"):
            return
        self.kinds[found[2]] = found[3]

    def _note(self, n: int, rest: str) -> None:
        target, _, note = rest.partition("\t")
        found = _NOTE.fullmatch(target)
        if not found:
            self.fail(
                f"line {n}", f"{target!r} is not an annotator note on a span", "fix or delete it"
            )
            return
        self.names[found[1]] = note.strip()

    def layers(self) -> Layers:
        """The spans read, by layer, quotes with their cue and speaker linked."""
        content = QUOTE_PARTS[0]
        spans: Layers = {layer: [] for layer in SPAN_LAYERS}
        quotes: dict[str, dict[str, Any]] = {}
        for tid, (kind, span) in self.bound.items():
            if kind in _layer_of():
                spans[_layer_of()[kind]].append(span | {"label": kind})
            elif _part_of()[kind] == content:
                if tid not in self.kinds:
                    self.fail(tid, "quote content without a Kind", "set its Kind")
                    continue
                quotes[tid] = self.quote(self.kinds[tid], span, self.names.get(tid) or None)
        attached = self._link(quotes)
        for tid, (kind, _span) in self.bound.items():
            part = _part_of().get(kind)
            if part is not None and part != content and tid not in attached:
                self.fail(tid, f"this {part} belongs to no quote", "link or delete it")
        spans[QUOTES] = list(quotes.values())
        return spans

    def _link(self, quotes: dict[str, dict[str, Any]]) -> set[str]:
        """Each relation's part set on its quote; the ids of the parts attached."""
        attached = set()
        for n, part, arg1, arg2 in self.relations:
            target = self.bound.get(arg2)
            if arg1 not in quotes or target is None or _part_of().get(target[0]) != part:
                self.fail(
                    f"line {n}",
                    f"the {part} relation does not run from a quote's content to a {part}",
                    "redraw it",
                )
                continue
            if self.attach(quotes[arg1], part, target[1], f"line {n}"):
                attached.add(arg2)
        return attached


def read_document(path: Path) -> Imported:
    """One ``.ann`` with its ``.txt`` and sidecar (:class:`ConversionError` says what is wrong)."""
    if path.suffix != ".ann":
        raise ConversionError(
            [problem(path, "file", "is not a brat .ann file", "give .ann files")]
        )
    txt, sidecar = _companions(path)
    try:
        text = txt.read_bytes().decode("utf-8")
        source = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ConversionError(
            [problem(path, f"byte {exc.start}", "not UTF-8", "save it as UTF-8")]
        ) from None
    reader = _Ann(path, txt, text)
    head = reader.read_head(read_json_file(sidecar), "document", sidecar)
    for n, line in enumerate(source.split("\n"), 1):
        if line.strip():
            reader.read_line(n, line)
    return reader.imported(head, head.manual, reader.layers())


def read(paths: Sequence[Path]) -> tuple[list[Imported], list[str]]:
    """Every ``.ann`` under ``paths`` read back, and the problems."""
    files: list[Path] = []
    for path in paths:
        files += sorted(path.rglob("*.ann")) if path.is_dir() else [path]
    return read_each(files, read_document)
