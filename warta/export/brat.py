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
    FLAT_LAYERS,
    QUOTES,
    ConversionError,
    Head,
    Imported,
    Source,
    check_json_text,
    problem,
    quote_kinds,
    quote_parts,
    read_json_file,
    sorted_quotes,
    span_labels,
)

SIDECAR = ".warta.json"
KIND = "Kind"
NOTE = "AnnotatorNotes"


@cache
def part_types() -> dict[str, str]:
    """Quote part -> brat entity type (``content`` -> ``QuoteContent``)."""
    return {part: "Quote" + part.capitalize() for part in quote_parts()}


@cache
def relation_types() -> dict[str, str]:
    """Quote part -> brat relation type from the content to it (``cue`` -> ``Cue``)."""
    return {part: part.capitalize() for part in quote_parts()[1:]}


def annotation_conf() -> str:
    """brat's ``annotation.conf`` for the three layers, from the schema's label sets."""
    content_type = part_types()[quote_parts()[0]]
    lines = ["[entities]", "# boilerplate", *span_labels()["boilerplate"], "# entities"]
    lines += [*span_labels()["entities"], "# quotes", *part_types().values(), "", "[relations]"]
    for part, name in relation_types().items():
        lines.append(f"{name}\tArg1:{content_type}, Arg2:{part_types()[part]}")
    # Entities may overlap quote parts, and a cue may sit inside a content.
    lines.append("<OVERLAP>\tArg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>")
    lines += ["", "[events]", "", "[attributes]"]
    lines.append(f"{KIND}\tArg:{content_type}, Value:{'|'.join(quote_kinds())}")
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

    for layer in FLAT_LAYERS:
        for span in source.layer(layer):
            bound(span["label"], span)
    content, *others = quote_parts()
    parts: dict[tuple[str, int, int], str] = {}
    relations, attributes, notes = [], [], []
    for quote in sorted_quotes(source.layer(QUOTES)):
        tid = bound(part_types()[content], quote[content])
        attributes.append(f"A{len(attributes) + 1}\t{KIND} {tid} {quote['kind']}")
        if quote["speaker_name"] is not None:
            notes.append(f"#{len(notes) + 1}\t{NOTE} {tid}\t{quote['speaker_name']}")
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
        name = quote["speaker_name"]
        found = name and check_json_text(name, "speaker_name")
        if found:
            lines.append(problem(source.id, f"/quotes/{i}/speaker_name", found, "remove it"))
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


def read_document(path: Path) -> Imported:
    """One ``.ann`` with its ``.txt`` and sidecar (:class:`ConversionError` says what is wrong)."""
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
    try:
        text = txt.read_bytes().decode("utf-8")
        source = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ConversionError(
            [problem(path, f"byte {exc.start}", "not UTF-8", "save it as UTF-8")]
        ) from None
    head = Head.from_json(
        read_json_file(sidecar), lambda f, what, fix: problem(sidecar, f or "document", what, fix)
    )
    lines: list[str] = []
    layer_of = {label: layer for layer in FLAT_LAYERS for label in span_labels()[layer]}
    part_of = {kind: part for part, kind in part_types().items()}
    relation_of = {kind: part for part, kind in relation_types().items()}
    bound: dict[str, tuple[str, dict[str, Any]]] = {}
    relations: list[tuple[int, str, str, str]] = []
    kinds: dict[str, str] = {}
    names: dict[str, str] = {}
    for n, line in enumerate(source.split("\n"), 1):
        if not line.strip():
            continue

        def fail(what: str, fix: str, n: int = n) -> None:
            lines.append(problem(path, f"line {n}", what, fix))

        ident, _, rest = line.partition("\t")
        if ident.startswith("T"):
            body, _, shown = rest.partition("\t")
            found = _T.fullmatch(body)
            if not found or found[1] not in {**layer_of, **part_of}:
                fail(f"{body!r} is no span of a type annotation.conf defines", "fix the type")
                continue
            frags = [tuple(map(int, f.split())) for f in found[2].split(";")]
            start, end = frags[0][0], frags[-1][1]
            if not 0 <= start < end <= len(text) or any(a >= b for a, b in frags):
                fail(f"[{start}, {end}) is not a span of {txt.name}", "annotate it again")
                continue
            if shown != " ".join(text[a:b] for a, b in frags):
                fail(f"its text {shown!r} is not the text at its offsets", "annotate it again")
                continue
            bound[ident] = (found[1], {"start": start, "end": end, "text": text[start:end]})
        elif ident.startswith("R"):
            found = _R.fullmatch(rest)
            if not found or found[1] not in relation_of:
                fail(f"{rest!r} is no relation annotation.conf defines", "fix the relation")
                continue
            relations.append((n, relation_of[found[1]], found[2], found[3]))
        elif ident.startswith(("A", "M")):
            found = _A.fullmatch(rest)
            if not found or found[1] != KIND or found[3] not in quote_kinds():
                fail(f"{rest!r} is not a Kind of {', '.join(quote_kinds())}", "fix the attribute")
                continue
            kinds[found[2]] = found[3]
        elif ident.startswith("#"):
            target, _, note = rest.partition("\t")
            found = _NOTE.fullmatch(target)
            if not found:
                fail(f"{target!r} is not an annotator note on a span", "fix or delete it")
                continue
            names[found[1]] = note.strip()
        else:
            fail(
                f"annotation {ident!r} is of a kind Warta does not use (events, normalizations, "
                "equivalences)",
                "delete it",
            )
    content, *others = quote_parts()
    spans: dict[str, list[dict[str, Any]]] = {layer: [] for layer in FLAT_LAYERS}
    quotes: dict[str, dict[str, Any]] = {}
    for tid, (kind, span) in bound.items():
        if kind in layer_of:
            spans[layer_of[kind]].append(span | {"label": kind})
        elif part_of[kind] == content:
            if tid not in kinds:
                lines.append(problem(path, tid, "quote content without a Kind", "set its Kind"))
                continue
            quote = {"kind": kinds[tid], content: span} | dict.fromkeys(others)
            quotes[tid] = quote | {"speaker_name": names.get(tid) or None}
    attached = set()
    for n, part, arg1, arg2 in relations:
        target = bound.get(arg2)
        if arg1 not in quotes or target is None or part_of[target[0]] != part:
            lines.append(
                problem(
                    path,
                    f"line {n}",
                    f"the {part} relation does not run from a quote's content to a {part}",
                    "redraw it",
                )
            )
            continue
        if quotes[arg1][part] is not None:
            lines.append(problem(path, f"line {n}", f"a second {part}", f"keep one {part}"))
            continue
        quotes[arg1][part] = target[1]
        attached.add(arg2)
    for tid, (kind, _span) in bound.items():
        if kind in part_of and part_of[kind] != content and tid not in attached:
            lines.append(
                problem(path, tid, f"this {part_of[kind]} belongs to no quote", "link or delete it")
            )
    if lines:
        raise ConversionError(lines)
    spans[QUOTES] = list(quotes.values())
    return Imported(head, head.manual, spans, text, str(path))


def read(paths: Sequence[Path]) -> tuple[list[Imported], list[str]]:
    """Every ``.ann`` under ``paths`` read back, and the problems."""
    files: list[Path] = []
    for path in paths:
        files += sorted(path.rglob("*.ann")) if path.is_dir() else [path]
    out, lines = [], []
    for path in files:
        if path.suffix != ".ann":
            lines.append(problem(path, "file", "is not a brat .ann file", "give .ann files"))
            continue
        try:
            out.append(read_document(path))
        except ConversionError as exc:
            lines += exc.lines
    return out, lines
