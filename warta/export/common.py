"""What every converter to and from an annotation tool shares.

The annotation file stays the single source of truth; a tool only ever holds
a copy of it. What a tool cannot show (the id, ``text_sha256``, the metadata,
which layer keys the file writes) travels with the copy as a :class:`Head`,
and an import rebuilds the file from the head, the layers the person listed
as checked and their spans, then writes it with the project's canonical
writer (:func:`warta.corpus.dump_annotation`), so exporting a file and
importing it untouched gives it back byte for byte.

Label sets and layer names are read from ``schema/`` (never retyped here).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, NoReturn, TypeVar

from warta import schema
from warta.corpus import dump_annotation
from warta.errors import WartaError
from warta.schema import ANNOTATION, LAYERS, QUOTE, QUOTE_PARTS, QUOTES, SPAN_LAYERS

Span = dict[str, Any]
Layers = dict[str, list[dict[str, Any]]]
Item = TypeVar("Item")


class ConversionError(WartaError):
    """Bad input to a converter: every problem, one line each, naming file, place and fix."""

    def __init__(self, lines: Sequence[str]) -> None:
        super().__init__(lines[0] if len(lines) == 1 else f"{len(lines)} problems")
        self.lines = list(lines)


def problem(path: str | Path, where: str, what: str, fix: str) -> str:
    """One problem line, ``path: where: what; fix``, as the validator writes them."""
    return f"{path}: {where}: {what}; {fix}"


@cache
def span_labels() -> dict[str, tuple[str, ...]]:
    """The label set of each flat layer (``boilerplate`` and ``entities``)."""
    return {layer: tuple(schema.labels(name)) for layer, name in SPAN_LAYERS.items()}


@dataclass(frozen=True)
class Head:
    """What an annotation file holds besides its spans: carried through a tool unchanged.

    ``keys`` are the layer keys the file writes (a file may leave a layer it
    does not annotate out, or write it empty); ``exists`` says whether the
    article had an annotation file at all.
    """

    id: str
    text_sha256: str
    metadata: dict[str, Any] | None = None
    keys: tuple[str, ...] = ()
    manual: tuple[str, ...] = ()
    exists: bool = True

    def to_json(self) -> dict[str, Any]:
        """The head as a JSON object (as tasks, sidecars and XMI features store it)."""
        out: dict[str, Any] = {"id": self.id, "text_sha256": self.text_sha256}
        if self.metadata is not None:
            out["metadata"] = self.metadata
        out["keys"] = list(self.keys)
        out[ANNOTATION.manual] = list(self.manual)
        out["exists"] = self.exists
        return out

    @classmethod
    def from_json(cls, data: Any, where: Callable[[str, str, str], str]) -> Head:
        """Read a head back; ``where(field, what, fix)`` makes the problem line."""
        if not isinstance(data, dict):
            raise ConversionError(
                [where("", "is not an object", "export the article again with build.py export")]
            )
        lines = []
        ident, sha = data.get("id"), data.get("text_sha256")
        if not isinstance(ident, str) or not ident:
            lines.append(where("id", "is missing or not a string", "restore the exported value"))
        if not isinstance(sha, str) or len(sha) != 64:
            lines.append(
                where("text_sha256", "is missing or not a hash", "restore the exported value")
            )
        metadata = data.get("metadata")
        if metadata is not None and not isinstance(metadata, dict):
            lines.append(where("metadata", "is not an object", "restore the exported value"))
        keys = _layer_list(data.get("keys", []), "keys", where, lines)
        manual = _layer_list(data.get(ANNOTATION.manual, []), ANNOTATION.manual, where, lines)
        exists = data.get("exists", True)
        if not isinstance(exists, bool):
            lines.append(where("exists", "is not true or false", "restore the exported value"))
        if lines:
            raise ConversionError(lines)
        return cls(str(ident), str(sha), metadata, keys, manual, bool(exists))

    @classmethod
    def of(cls, article_id: str, sha: str, doc: dict[str, Any] | None) -> Head:
        """The head of an article's annotation file (``None``: the article has none)."""
        if doc is None:
            return cls(article_id, sha, None, LAYERS, (), exists=False)
        return cls(
            article_id,
            doc.get("text_sha256", sha),
            doc.get("metadata"),
            tuple(k for k in LAYERS if k in doc),
            tuple(k for k in LAYERS if k in doc.get(ANNOTATION.manual, [])),
        )


def _layer_list(
    value: Any, name: str, where: Callable[[str, str, str], str], lines: list[str]
) -> tuple[str, ...]:
    known = LAYERS
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        lines.append(
            where(name, "is not a list of layer names", f"list some of {', '.join(known)}")
        )
        return ()
    unknown = [v for v in value if v not in known]
    if unknown:
        lines.append(
            where(name, f"names no layer: {', '.join(unknown)}", f"use {', '.join(known)}")
        )
    return tuple(v for v in known if v in value)


@dataclass
class Imported:
    """One article as read back from a tool: its head, the checked layers and the spans."""

    head: Head
    manual: tuple[str, ...]
    spans: Layers = field(default_factory=dict)
    text: str | None = None
    """The article's text as the tool held it, to check against the raw article."""
    where: str = ""
    """Where it was read (file, and task or document), for messages."""
    dropped: dict[str, int] = field(default_factory=dict)
    """Spans of layers the person did not list as checked, left out (layer -> count)."""

    def document(self) -> dict[str, Any]:
        """The annotation file: the head, ``manual`` and the spans of the checked layers.

        A layer key is written when the layer has spans or the exported file
        wrote it; spans of a layer not listed as checked are left out (the
        build fills that layer), and counted in :attr:`dropped`.
        """
        head = self.head
        doc: dict[str, Any] = {"id": head.id, "text_sha256": head.text_sha256}
        if head.metadata is not None:
            doc["metadata"] = head.metadata
        doc[ANNOTATION.manual] = [layer for layer in LAYERS if layer in self.manual]
        for layer in LAYERS:
            found = self.spans.get(layer, [])
            if layer not in self.manual:
                if found:
                    self.dropped[layer] = len(found)
                found = []
            if found or layer in head.keys:
                doc[layer] = found
        return doc

    def dump(self) -> str:
        """The annotation file in the canonical layout."""
        return dump_annotation(self.document())


class Reader:
    """Reads one document of a tool's export against its text, collecting every problem.

    The tools' readers subclass it: a problem line, a value checked against its
    label set, and a cue or speaker attached to its quote are written one way.
    """

    def __init__(self, path: Path, text: str, prefix: str = "") -> None:
        self.path = path
        self.text = text
        self.prefix = prefix
        """Put before every place named (the task of a file holding many)."""
        self.lines: list[str] = []

    def fail(self, where: str, what: str, fix: str) -> None:
        """Note one problem at ``where`` in the document."""
        self.lines.append(problem(self.path, self.prefix + where, what, fix))

    def read_head(self, data: Any, place: str, path: Path | None = None) -> Head:
        """The article's head as the tool carried it, at ``place`` (in ``path``, if another
        file holds it); a bad head ends the reading (:class:`ConversionError`)."""
        file = self.path if path is None else path

        def where(name: str, what: str, fix: str) -> str:
            return problem(file, self.prefix + (f"{place}.{name}" if name else place), what, fix)

        return Head.from_json(data, where)

    def stop(self, where: str, what: str, fix: str) -> NoReturn:
        """Note a problem that ends the reading, and end it with every problem noted."""
        self.fail(where, what, fix)
        raise ConversionError(self.lines)

    def one_of(self, value: Any, allowed: Iterable[str], where: str, what: str, fix: str) -> bool:
        """Whether ``value`` is one of ``allowed``; if not, a problem that lists them."""
        allowed = tuple(allowed)
        if value in allowed:
            return True
        self.fail(where, f"{what} {value!r} is not one of {', '.join(allowed)}", fix)
        return False

    def layers_named(self, named: Iterable[Any], where: str, fix: str) -> tuple[str, ...]:
        """The layers ``named`` (as the person checked them), in order; others are problems."""
        named = list(named)
        unknown = sorted({str(n) for n in named if n not in LAYERS})
        if unknown:
            known = ", ".join(LAYERS)
            self.fail(where, f"names no layer: {', '.join(unknown)}", f"{fix} ({known})")
        return tuple(layer for layer in LAYERS if layer in named)

    def cut(self, start: int, end: int, where: str, fix: str) -> Span | None:
        """The span ``[start, end)`` of the text, or None and a problem if it is none."""
        if not 0 <= start < end <= len(self.text):
            size = f"{len(self.text)} characters"
            self.fail(where, f"[{start}, {end}) is not a span of the text ({size})", fix)
            return None
        return span_of(self.text, start, end)

    def imported(self, head: Head, manual: tuple[str, ...], spans: Layers) -> Imported:
        """The article read, or :class:`ConversionError` with every problem noted."""
        if self.lines:
            raise ConversionError(self.lines)
        where = f"{self.path}: {self.prefix}" if self.prefix else str(self.path)
        return Imported(head, manual, spans, self.text, where)

    @staticmethod
    def quote(kind: str, content: Span, speaker_name: str | None) -> dict[str, Any]:
        """A quote read back from a tool: its kind, content and speaker name; cue and speaker
        are attached later (:meth:`attach`)."""
        values = {QUOTE.kind: kind, QUOTE_PARTS[0]: content, QUOTE.speaker_name: speaker_name}
        return {key: values.get(key) for key in QUOTE}

    def attach(self, quote: dict[str, Any], part: str, span: Span | None, where: str) -> bool:
        """Set a quote's cue or speaker; a second one for the same quote is a problem."""
        if quote[part] is not None:
            self.fail(where, f"a second {part} for one quote", f"keep one {part}")
            return False
        quote[part] = span
        return True


def read_each(
    items: Iterable[Item], read_one: Callable[[Item], Imported]
) -> tuple[list[Imported], list[str]]:
    """Every item read back, and the problems of them all: a bad one stops only itself."""
    out, lines = [], []
    for item in items:
        try:
            out.append(read_one(item))
        except ConversionError as exc:
            lines += exc.lines
    return out, lines


def span_of(text: str, start: int, end: int) -> Span:
    """A span dict (start, end, text) of ``text[start:end]``."""
    return {"start": start, "end": end, "text": text[start:end]}


def flat_spans(doc: dict[str, Any] | None, layer: str) -> list[Span]:
    """A flat layer's spans of an annotation file, in canonical order."""
    if not doc:
        return []
    return sorted(doc.get(layer, []), key=lambda s: (s["start"], s["end"]))


def sorted_quotes(quotes: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Quotes in canonical order (by content span), as the annotation file lists them."""
    content = QUOTE_PARTS[0]
    return sorted(quotes, key=lambda q: (q[content]["start"], q[content]["end"]))


def check_json_text(value: str, where: str) -> str | None:
    """A problem with a string that must be written into a one-line field, or None."""
    if "\n" in value or "\t" in value:
        return f"{where} holds a line break or tab, which this format cannot keep on one line"
    return None


def read_json_file(path: Path) -> Any:
    """A JSON file, or :class:`ConversionError` saying where it is malformed."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ConversionError(
            [problem(path, "file", f"cannot be read ({exc.strerror})", "check the path")]
        ) from None
    try:
        return json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise ConversionError(
            [problem(path, f"byte {exc.start}", "not UTF-8", "save the file as UTF-8")]
        ) from None
    except json.JSONDecodeError as exc:
        raise ConversionError(
            [
                problem(
                    path,
                    f"line {exc.lineno}, column {exc.colno}",
                    f"not well-formed JSON ({exc.msg})",
                    "export the file again from the tool, or repair it",
                )
            ]
        ) from None
    except RecursionError:
        raise ConversionError(
            [problem(path, "document", "JSON nested too deeply", "export it again")]
        ) from None


@dataclass
class Source:
    """One validated article to export: its text, its head, its checked and automatic layers."""

    id: str
    text: str
    head: Head
    manual: Layers
    """The spans of the layers the annotation file lists as checked."""
    auto: Layers
    """The automatic annotators' spans of the other layers (empty without annotators)."""

    def layer(self, name: str) -> list[dict[str, Any]]:
        """A layer's spans: the person's if checked, else the automatic ones."""
        return self.manual[name] if name in self.head.manual else self.auto.get(name, [])

    def quotes(self) -> list[dict[str, Any]]:
        """The quotes layer (the person's or the automatic one) in canonical order."""
        return sorted_quotes(self.layer(QUOTES))


def load_sources(
    paths: Sequence[str | Path], auto: bool = True
) -> list[Source]:
    """Validate and read the articles under ``paths``; with ``auto``, fill the other layers.

    The automatic annotators (the shipped entity model, as the build and
    ``draft`` use) fill the layers nobody checked; ``auto=False`` leaves them
    empty. Any problem
    the validator finds stops the export (:class:`ConversionError`).
    """
    from warta.annotate import Annotators
    from warta.validation import check_and_load, check_structure

    found, problems = check_structure(list(paths))
    errors = [str(p) for p in problems if p.severity == "error"]
    articles = []
    for files in found:
        if files.txt_file is None:
            continue
        article, article_problems = check_and_load(files)
        errors += [str(p) for p in article_problems if p.severity == "error"]
        if article is not None:
            articles.append(article)
    if errors:
        raise ConversionError(errors)
    if not articles:
        raise ConversionError(
            [problem(", ".join(map(str, paths)), "paths", "no article found", "give .txt files")]
        )
    annotators = Annotators() if auto else None
    sources = []
    for article in articles:
        doc = article.annotation
        head = Head.of(article.id, article.sha256, doc)
        manual = {layer: list((doc or {}).get(layer, [])) for layer in head.manual}
        auto: Layers = {}
        if annotators is not None and len(head.manual) < len(LAYERS):
            filled, _status = annotators.fill(article.text, manual, head.manual)
            auto = {k: v for k, v in filled.items() if k not in head.manual}
        sources.append(Source(article.id, article.text, head, manual, auto))
    return sources
