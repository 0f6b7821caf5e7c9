"""Columns shared by the views' builders: spans, lists of labelled spans, lists
of quotes and layer statuses, each gathered row by row as flat lists that
:func:`warta.export.parquet.table_from_columns` turns into Arrow."""

from __future__ import annotations

from operator import itemgetter
from typing import Any

from warta.export.parquet import Lists, Nullable
from warta.schema import LAYERS, QUOTE_PARTS

Part = tuple[int, int, str] | None
"""A span as ``(start, end, text)``, or None for a null one."""
Moved = tuple[int, int]
"""A span's new ``(start, end)`` in another text."""


def piece_of(record: dict[str, Any]) -> tuple[int, int]:
    """Where a record lies in its article: ``(offset, line)``, by which the views of a
    row per sentence, quote or line move the offsets and line numbers they write;
    ``(0, 0)`` for a whole article (see :mod:`warta.records`)."""
    return record.get("piece", (0, 0))


def _moved(spans: list[Any], offset: int) -> list[Any]:
    """Span dicts (or None) with their offsets moved by ``offset``."""
    if not offset:
        return spans
    return [
        None if s is None else {**s, "start": s["start"] + offset, "end": s["end"] + offset}
        for s in spans
    ]


_START, _END, _TEXT = itemgetter("start"), itemgetter("end"), itemgetter("text")
_FIRST, _SECOND, _THIRD = itemgetter(0), itemgetter(1), itemgetter(2)


class SpanColumns:
    """A column of ``{start, end, text}`` spans (a quote's parts, a paragraph),
    some of which may be null."""

    def __init__(self) -> None:
        self.valid: list[bool] = []
        self.start: list[int | None] = []
        self.end: list[int | None] = []
        self.text: list[str | None] = []

    def add(self, part: Part) -> None:
        """Add a span, or a null one for None."""
        if part is None:
            self.valid.append(False)
            self.start.append(None)
            self.end.append(None)
            self.text.append(None)
        else:
            self.valid.append(True)
            self.start.append(part[0])
            self.end.append(part[1])
            self.text.append(part[2])

    def add_span(self, span: dict[str, Any] | None) -> None:
        """Add a span given as a dict, or a null one for None."""
        self.add(None if span is None else (span["start"], span["end"], span["text"]))

    def add_spans(self, spans: list[dict[str, Any] | None], offset: int = 0) -> None:
        """Add spans given as dicts (or None), in order, moved by ``offset``: a
        quote has three or four in each of three configs, so all of one article's
        go in at once."""
        self._extend(_moved(spans, offset), (_START, _END, _TEXT), self.add_span)

    def add_parts(self, parts: list[Part]) -> None:
        """Add spans given as ``(start, end, text)`` (or None), in order."""
        self._extend(parts, (_FIRST, _SECOND, _THIRD), self.add)

    def _extend(self, items: list[Any], fields: tuple[Any, ...], one: Any) -> None:
        """One extend per column when no item is null, else ``one`` item at a time."""
        if None in items:
            for item in items:
                one(item)
            return
        self.valid += [True] * len(items)
        for column, get in zip((self.start, self.end, self.text), fields, strict=True):
            column += map(get, items)

    def columns(self) -> Nullable:
        return Nullable(self.valid, {"start": self.start, "end": self.end, "text": self.text})


class SpanLists:
    """A column of lists of labelled spans (``{id, start, end, label, text}``),
    one list per row; ``labels`` are the label set's ClassLabel ids."""

    def __init__(self, labels: dict[str, int], fields: tuple[str, ...]) -> None:
        self.labels = labels
        self.offsets = [0]
        self.cols: dict[str, list[Any]] = {key: [] for key in fields}
        self._copied = tuple(key for key in fields if key != "label")

    def add(self, spans: list[dict[str, Any]]) -> None:
        """Add a row's spans, given as dicts."""
        cols = self.cols
        if spans:
            for key in self._copied:
                cols[key] += map(itemgetter(key), spans)
            cols["label"] += map(self.labels.__getitem__, map(itemgetter("label"), spans))
        self.offsets.append(len(cols["id"]))

    def add_moved(self, spans: list[tuple[dict[str, Any], Moved]], text: str) -> None:
        """Add a row's spans with new offsets into ``text`` (the clean text)."""
        cols = self.cols
        labels = self.labels
        for span, (start, end) in spans:
            cols["id"].append(span["id"])
            cols["start"].append(start)
            cols["end"].append(end)
            cols["label"].append(labels[span["label"]])
            cols["text"].append(text[start:end])
        self.offsets.append(len(cols["id"]))

    def columns(self) -> Lists:
        return Lists(self.offsets, self.cols)


class QuoteLists:
    """A column of lists of quotes (``{id, kind, content, cue, speaker,
    speaker_name}``), one list per row; ``kinds`` are the quote kinds' ids."""

    def __init__(self, kinds: dict[str, int], fields: tuple[str, ...]) -> None:
        self.kinds = kinds
        self.offsets = [0]
        self.cols: dict[str, list[Any]] = {key: [] for key in fields if key not in QUOTE_PARTS}
        self.parts = {key: SpanColumns() for key in QUOTE_PARTS}

    def add(self, quotes: list[dict[str, Any]]) -> None:
        """Add a row's quotes, given as dicts."""
        cols = self.cols
        if quotes:
            cols["id"] += map(itemgetter("id"), quotes)
            cols["kind"] += map(self.kinds.__getitem__, map(itemgetter("kind"), quotes))
            cols["speaker_name"] += map(itemgetter("speaker_name"), quotes)
            for key, columns in self.parts.items():
                columns.add_spans(list(map(itemgetter(key), quotes)))
        self.offsets.append(len(cols["id"]))

    def add_moved(
        self, quotes: list[tuple[dict[str, Any], Moved, Moved | None, Moved | None]], text: str
    ) -> None:
        """Add a row's quotes, each with new offsets of its content, cue and
        speaker into ``text`` (the clean text)."""
        cols = self.cols
        if quotes:
            cols["id"] += [quote["id"] for quote, *_moved in quotes]
            cols["kind"] += [self.kinds[quote["kind"]] for quote, *_moved in quotes]
            cols["speaker_name"] += [quote["speaker_name"] for quote, *_moved in quotes]
            for n, columns in enumerate(self.parts.values(), start=1):
                columns.add_parts(
                    [
                        None if span is None else (span[0], span[1], text[span[0] : span[1]])
                        for span in map(itemgetter(n), quotes)
                    ]
                )
        self.offsets.append(len(cols["id"]))

    def columns(self) -> Lists:
        parts = {key: spans.columns() for key, spans in self.parts.items()}
        return Lists(self.offsets, {**self.cols, **parts})


class StringLists:
    """A column of lists of strings (an article's authors, editors)."""

    def __init__(self) -> None:
        self.offsets = [0]
        self.names: list[str] = []

    def add(self, names: list[str]) -> None:
        self.names += names
        self.offsets.append(len(self.names))

    def columns(self) -> Lists:
        return Lists(self.offsets, self.names)


def layer_columns() -> dict[str, Any]:
    """The status struct and a column per layer, labels as ClassLabel ids (see schema)."""
    from warta import schema

    out: dict[str, Any] = {"status": StatusColumns(schema.label_ids("layer_status"))}
    for layer in schema.LAYERS:
        ids = schema.label_ids(schema.LAYER_LABELS[layer])
        fields = schema.record_fields("article", layer)
        out[layer] = (SpanLists if layer in schema.SPAN_LAYERS else QuoteLists)(ids, fields)
    return out


class Collected:
    """A builder of one config's rows: its ``parts`` (columns that collect their own
    values) and ``cols``, one plain value per row for every other field of the
    config's record schema."""

    def __init__(self, record_schema: str, parts: dict[str, Any]) -> None:
        from warta import schema

        self.parts = parts
        fields = schema.record_fields(record_schema)
        self.cols: dict[str, list[Any]] = {key: [] for key in fields if key not in parts}

    def __len__(self) -> int:
        return len(self.cols["id"])

    def columns(self) -> dict[str, Any]:
        """The rows added so far, for :func:`warta.export.parquet.table_from_columns`."""
        return {**self.cols, **{key: part.columns() for key, part in self.parts.items()}}


class StatusColumns:
    """The ``status`` struct: who made each layer, as ClassLabel ids."""

    def __init__(self, ids: dict[str, int]) -> None:
        self.ids = ids
        self.cols: dict[str, list[int]] = {layer: [] for layer in LAYERS}

    def add(self, status: dict[str, str]) -> None:
        for layer, values in self.cols.items():
            values.append(self.ids[status[layer]])

    def columns(self) -> dict[str, list[int]]:
        return self.cols
