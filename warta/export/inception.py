"""INCEpTION and WebAnno: UIMA CAS XMI with a type system for the three layers.

Written and read with dkpro-cassis. Entities use DKPro Core's
``NamedEntity`` (INCEpTION's built-in Named Entity layer, label in ``value``);
boilerplate is a span layer ``Boilerplate`` (``category``); a quote is a
``QuotePart`` span (``part`` content, with ``kind`` and ``speakerName``)
linked by ``QuoteLink`` relations (``Governor`` the content, ``Dependent``
its cue or speaker, themselves ``QuotePart`` spans), as INCEpTION models a
relation layer attached to a span layer. Two document-level types carry what
has no span: ``ManualLayer`` (one per layer the person checked completely,
``layer``) and ``WartaDocument`` (the annotation file's head as JSON).

Offsets: UIMA counts UTF-16 code units; cassis converts them to and from
code points when it writes and reads XMI (a test checks the written offsets
against :func:`warta.export.offsets.utf16`).
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Sequence
from functools import cache, partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from warta.export.common import (
    ConversionError,
    Head,
    Imported,
    Reader,
    Source,
    problem,
    read_each,
    span_labels,
)
from warta.schema import LAYER, LAYERS, QUOTE, QUOTE_KIND, QUOTE_PARTS, QUOTES

if TYPE_CHECKING:
    from cassis import Cas, TypeSystem

CUSTOM = "webanno.custom."
NAMED_ENTITY = "de.tudarmstadt.ukp.dkpro.core.api.ner.type.NamedEntity"
DOCUMENT_METADATA = "de.tudarmstadt.ukp.dkpro.core.api.metadata.type.DocumentMetaData"
BOILERPLATE = CUSTOM + "Boilerplate"
QUOTE_PART = CUSTOM + "QuotePart"
QUOTE_LINK = CUSTOM + "QuoteLink"
MANUAL_LAYER = CUSTOM + "ManualLayer"
WARTA_DOCUMENT = CUSTOM + "WartaDocument"
TYPESYSTEM_NAME = "TypeSystem.xml"
SPAN_TYPES = {LAYER.boilerplate: (BOILERPLATE, "category"), LAYER.entities: (NAMED_ENTITY, "value")}
"""Each flat layer's UIMA type and the feature holding a span's label."""
STRING = "uima.cas.String"

# Characters XML 1.0 cannot hold (the XMI cannot be written with them in it).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


@cache
def typesystem_xml() -> str:
    """The type system of the three layers, as UIMA's XML type system description."""
    from cassis import TypeSystem

    ts = TypeSystem()
    meta = ts.create_type(DOCUMENT_METADATA, supertypeName="uima.tcas.DocumentAnnotation")
    for name in ("documentTitle", "documentId", "documentUri", "collectionId", "documentBaseUri"):
        ts.create_feature(meta, name, STRING)
    ts.create_feature(meta, "isLastSegment", "uima.cas.Boolean")
    entity = ts.create_type(NAMED_ENTITY, supertypeName="uima.tcas.Annotation")
    ts.create_feature(entity, "value", STRING, description="entity label")
    ts.create_feature(entity, "identifier", STRING)
    boiler = ts.create_type(BOILERPLATE, supertypeName="uima.tcas.Annotation")
    ts.create_feature(boiler, "category", STRING, description="boilerplate category")
    part = ts.create_type(QUOTE_PART, supertypeName="uima.tcas.Annotation")
    ts.create_feature(part, "part", STRING, description=", ".join(QUOTE_PARTS))
    ts.create_feature(part, "kind", STRING, description="of a content: " + ", ".join(QUOTE_KIND))
    ts.create_feature(part, "speakerName", STRING, description="of a content: fullest name")
    link = ts.create_type(QUOTE_LINK, supertypeName="uima.tcas.Annotation")
    ts.create_feature(link, "Governor", QUOTE_PART, description="the quote's content")
    ts.create_feature(link, "Dependent", QUOTE_PART, description="its cue or speaker")
    manual = ts.create_type(MANUAL_LAYER, supertypeName="uima.cas.AnnotationBase")
    ts.create_feature(manual, "layer", STRING, description="checked: " + ", ".join(LAYERS))
    head = ts.create_type(WARTA_DOCUMENT, supertypeName="uima.cas.AnnotationBase")
    ts.create_feature(head, "head", STRING, description="the annotation file's head (JSON)")
    return ts.to_xml()


def typesystem() -> TypeSystem:
    """The type system (a fresh object: a CAS made with it may add to it)."""
    from cassis import load_typesystem

    return load_typesystem(typesystem_xml())


def unwritable(source: Source) -> list[str]:
    """Problems with text that XML 1.0 cannot hold, in the text or the strings written."""
    strings = [("text", source.text), ("head", json.dumps(source.head.to_json()))]
    strings += [
        (f"/{QUOTES}/{i}/{QUOTE.speaker_name}", q[QUOTE.speaker_name])
        for i, q in enumerate(source.layer(QUOTES))
        if q[QUOTE.speaker_name]
    ]
    lines = []
    for where, value in strings:
        bad = _NOT_XML.search(value)
        if bad:
            lines.append(
                problem(
                    source.id,
                    f"{where}, character {bad.start()}",
                    f"U+{ord(bad.group()):04X} cannot be written in XML 1.0, so not in XMI",
                    "export this article to another format (brat, Label Studio)",
                )
            )
    return lines


def cas_of(source: Source) -> Cas:
    """One article as a CAS: its text and every layer (checked or automatic)."""
    from cassis import Cas

    ts = typesystem()
    cas = Cas(typesystem=ts)
    cas.sofa_string = source.text
    cas.sofa_mime = "text/plain"
    meta = ts.get_type(DOCUMENT_METADATA)
    cas.add(meta(begin=0, end=len(source.text), documentId=source.id, documentTitle=source.id))
    cas.add(ts.get_type(WARTA_DOCUMENT)(head=json.dumps(source.head.to_json(), ensure_ascii=False)))
    for layer in source.head.manual:
        cas.add(ts.get_type(MANUAL_LAYER)(layer=layer))
    for layer, (type_name, feature) in SPAN_TYPES.items():
        make = ts.get_type(type_name)
        for span in source.layer(layer):
            cas.add(make(begin=span["start"], end=span["end"], **{feature: span["label"]}))
    part_type, link_type = ts.get_type(QUOTE_PART), ts.get_type(QUOTE_LINK)
    content, *others = QUOTE_PARTS
    parts: dict[tuple[str, int, int], Any] = {}
    for quote in source.quotes():
        span = quote[content]
        governor = part_type(
            begin=span["start"],
            end=span["end"],
            part=content,
            kind=quote[QUOTE.kind],
            speakerName=quote[QUOTE.speaker_name],
        )
        cas.add(governor)
        for name in others:
            if quote[name] is None:
                continue
            key = (name, quote[name]["start"], quote[name]["end"])
            if key not in parts:
                parts[key] = part_type(begin=key[1], end=key[2], part=name)
                cas.add(parts[key])
            dependent = parts[key]
            cas.add(
                link_type(
                    begin=dependent.begin, end=dependent.end, Governor=governor, Dependent=dependent
                )
            )
    return cas


def export(sources: Sequence[Source], folder: Path) -> list[Path]:
    """Write ``TypeSystem.xml`` and one ``<id>.xmi`` per article into ``folder``."""
    lines = [line for source in sources for line in unwritable(source)]
    if lines:
        raise ConversionError(lines)
    written = [folder / TYPESYSTEM_NAME]
    written[0].write_text(typesystem_xml(), encoding="utf-8")
    for source in sources:
        path = folder / f"{source.id}.xmi"
        cas_of(source).to_xmi(path, pretty_print=True)
        written.append(path)
    return written


# --- import -----------------------------------------------------------------------------------


def _inputs(paths: Sequence[Path]) -> list[Path]:
    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            out += sorted(p for p in path.rglob("*") if p.suffix.lower() in (".xmi", ".zip"))
        else:
            out.append(path)
    return out


def _load(path: Path) -> Cas:
    """The CAS of an ``.xmi`` (type system beside it) or of a ``.zip`` holding one."""
    from cassis import load_cas_from_xmi, load_typesystem

    def bad(what: str, fix: str) -> ConversionError:
        return ConversionError([problem(path, "file", what, fix)])

    ts_text: bytes | None = None
    if path.suffix.lower() == ".zip":
        try:
            with zipfile.ZipFile(path) as archive:
                names = archive.namelist()
                xmis = [n for n in names if n.lower().endswith(".xmi")]
                systems = [n for n in names if n.lower().endswith("typesystem.xml")]
                if len(xmis) != 1:
                    raise bad(f"holds {len(xmis)} .xmi files, not one", "give one document's zip")
                data = archive.read(xmis[0])
                ts_text = archive.read(systems[0]) if systems else None
        except zipfile.BadZipFile:
            raise bad("is not a zip archive", "give the .zip INCEpTION exported") from None
    elif path.suffix.lower() == ".xmi":
        data = path.read_bytes()
        beside = [p for p in path.parent.iterdir() if p.name.lower() == TYPESYSTEM_NAME.lower()]
        ts_text = beside[0].read_bytes() if beside else None
    else:
        raise bad("is not an .xmi or .zip file", "give the XMI files INCEpTION exported")
    try:
        ts = load_typesystem(io.BytesIO(ts_text)) if ts_text else typesystem()
    except Exception as exc:  # cassis raises many kinds on a bad type system
        raise bad(f"its type system cannot be read ({exc})", "export it again") from None
    try:
        return load_cas_from_xmi(io.BytesIO(data), typesystem=ts, lenient=True)
    except Exception as exc:  # lxml and cassis errors: malformed XMI
        raise bad(f"is not readable XMI ({type(exc).__name__}: {exc})", "export it again") from None


def _select(cas: Cas, type_name: str) -> list[Any]:
    try:
        return list(cas.select(type_name))
    except Exception:  # the type is not in the document's type system: none of it
        return []


def _head_from_corpus(path: Path, cas: Cas, corpus: Sequence[Path], found: int) -> Head:
    """The head of a document whose ``WartaDocument`` the tool dropped: from the corpus.

    INCEpTION keeps only the layers a project defines; without the document
    metadata layer the article is found by the document's id or name, and
    its hash and metadata are read from the raw article and its annotation file.
    """
    from warta.corpus import JSONProblem, parse_annotation
    from warta.text import sha256_bytes

    names = []
    for meta in _select(cas, DOCUMENT_METADATA):
        names += [meta.documentId, meta.documentTitle]
    names = [Path(str(n)).stem if str(n).endswith(".xmi") else str(n) for n in names if n]
    names.append(path.stem)
    for name in names:
        for folder in corpus:
            raw = folder / f"{name}.txt"
            if not raw.is_file():
                continue
            annotation = raw.with_suffix(".json")
            doc = None
            if annotation.is_file():
                try:
                    doc = parse_annotation(annotation.read_bytes())
                except JSONProblem as exc:
                    raise ConversionError(
                        [problem(annotation, exc.where, exc.what, "repair it, then import again")]
                    ) from None
            return Head.of(
                name, sha256_bytes(raw.read_bytes()), doc if isinstance(doc, dict) else None
            )
    raise ConversionError(
        [
            problem(
                path,
                WARTA_DOCUMENT,
                f"{found} found, not one, and no article named {', '.join(dict.fromkeys(names))} "
                f"is in {', '.join(map(str, corpus)) or 'the corpus'}",
                "define the WartaDocument layer in the project, or give --corpus with the "
                "raw articles",
            )
        ]
    )


def _head(reader: _Document, corpus: Sequence[Path]) -> Head:
    """The head from the document's ``WartaDocument``, or from ``corpus`` when it has none."""
    heads = _select(reader.cas, WARTA_DOCUMENT)
    if len(heads) != 1:
        return _head_from_corpus(reader.path, reader.cas, corpus, len(heads))
    try:
        data = json.loads(heads[0].head or "")
    except ValueError:
        data = None
    return reader.read_head(data, "head")


class _Document(Reader):
    """Reads the layers of one CAS against its text, collecting problems as lines."""

    def __init__(self, path: Path, cas: Cas) -> None:
        super().__init__(path, cas.sofa_string or "")
        self.cas = cas

    def manual(self) -> tuple[str, ...]:
        """The layers a ``ManualLayer`` names as checked."""
        named = [m.layer for m in _select(self.cas, MANUAL_LAYER)]
        return self.layers_named(named, MANUAL_LAYER, "use the names of the layers")

    def span(self, fs: Any, label: str) -> dict[str, Any] | None:
        return self.cut(fs.begin, fs.end, f"{label} at [{fs.begin}, {fs.end})", "annotate it again")

    def labelled(self, type_name: str, feature: str, layer: str) -> list[dict[str, Any]]:
        """The spans of a flat layer, each labelled by ``feature``."""
        out = []
        name = type_name.rsplit(".", 1)[-1]
        for fs in _select(self.cas, type_name):
            value = getattr(fs, feature, None)
            where = f"{name} at [{fs.begin}, {fs.end})"
            if not self.one_of(value, span_labels()[layer], where, feature, "set it"):
                continue
            found = self.span(fs, name)
            if found is not None:
                out.append(found | {"label": value})
        return out

    def quotes(self) -> list[dict[str, Any]]:
        """The quotes: each content ``QuotePart``, its cue and speaker linked by ``QuoteLink``."""
        content, *others = QUOTE_PARTS
        quotes: dict[int, dict[str, Any]] = {}
        parts = _select(self.cas, QUOTE_PART)
        for fs in parts:
            where = f"QuotePart at [{fs.begin}, {fs.end})"
            if not self.one_of(fs.part, QUOTE_PARTS, where, "part", "set it"):
                continue
            if fs.part == content:
                if not self.one_of(fs.kind, QUOTE_KIND, where, "kind", "set it"):
                    continue
                found = self.span(fs, "QuotePart")
                if found is not None:
                    quotes[id(fs)] = self.quote(
                        fs.kind, found, (fs.speakerName or "").strip() or None
                    )
        attached = self._link(quotes)
        for fs in parts:
            if fs.part in others and id(fs) not in attached:
                self.fail(
                    f"QuotePart at [{fs.begin}, {fs.end})",
                    f"this {fs.part} belongs to no quote",
                    "link a quote's content to it with a QuoteLink, or delete it",
                )
        return list(quotes.values())

    def _link(self, quotes: dict[int, dict[str, Any]]) -> set[int]:
        """Each ``QuoteLink``'s part set on its quote; the ids of the parts attached."""
        others = QUOTE_PARTS[1:]
        attached = set()
        for link in _select(self.cas, QUOTE_LINK):
            gov, dep = link.Governor, link.Dependent
            where = f"QuoteLink at [{link.begin}, {link.end})"
            if gov is None or dep is None or id(gov) not in quotes or dep.part not in others:
                self.fail(
                    where, "does not link a quote's content to its cue or speaker", "redraw it"
                )
                continue
            if self.attach(quotes[id(gov)], dep.part, self.span(dep, "QuotePart"), where):
                attached.add(id(dep))
        return attached


def read_document(path: Path, corpus: Sequence[Path] = ()) -> Imported:
    """One XMI document read back (:class:`ConversionError` lists what is wrong).

    Without its ``WartaDocument``, the article's head is read from ``corpus``.
    """
    reader = _Document(path, _load(path))
    head = _head(reader, corpus)
    manual = reader.manual()
    spans = {layer: reader.labelled(*types, layer) for layer, types in SPAN_TYPES.items()}
    spans[QUOTES] = reader.quotes()
    return reader.imported(head, manual, spans)


def read(paths: Sequence[Path], corpus: Sequence[Path] = ()) -> tuple[list[Imported], list[str]]:
    """Every XMI document (``.xmi`` or INCEpTION's ``.zip``) under ``paths``, and the problems."""
    return read_each(_inputs(paths), partial(read_document, corpus=corpus))
