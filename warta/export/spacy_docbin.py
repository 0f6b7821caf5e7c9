"""spaCy ``DocBin`` files (``<split>.spacy``), the format ``spacy train`` reads.

One ``Doc`` per article, over its whole text: entities as ``doc.ents``,
boilerplate as the span group ``boilerplate`` (labelled by category), quote
parts as the span groups ``quote_content`` (labelled by kind), ``quote_cue``
and ``quote_speaker``. Span groups cannot link a quote's parts, so each
quote, whole, is also in ``doc.user_data["warta"]["quotes"]`` with the
article's id and layer status.

Tokens are those of the ``ner`` config's spaCy tokenizer, cut at every span
edge, so every span is a whole number of tokens (glued scrapes included).
spaCy counts characters as Python does, so offsets need no conversion.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from warta.schema import LAYER, QUOTE, QUOTE_PARTS, QUOTES

if TYPE_CHECKING:
    from spacy.tokens import Doc

SUFFIX = ".spacy"
USER_DATA = "warta"


def group(part: str) -> str:
    """The span group of a quote part (``quote_content``...)."""
    return f"quote_{part}"


def _edges(record: dict[str, Any]) -> list[int]:
    edges = set()
    for span in (*record[LAYER.entities], *record[LAYER.boilerplate]):
        edges.update((span["start"], span["end"]))
    for quote in record[QUOTES]:
        for part in QUOTE_PARTS:
            if quote[part] is not None:
                edges.update((quote[part]["start"], quote[part]["end"]))
    return sorted(edges)


def doc_of(record: dict[str, Any]) -> Doc:
    """One ``articles`` record as a spaCy ``Doc`` with its entities, span groups and quotes."""
    from spacy.tokens import Doc

    from warta.views.ner import pipeline

    nlp = pipeline()
    text = record["text"]
    edges = _edges(record)
    words: list[str] = []
    spaces: list[bool] = []
    for token in nlp.tokenizer(text):
        start, end = token.idx, token.idx + len(token.text)
        cuts = edges[bisect.bisect_right(edges, start) : bisect.bisect_left(edges, end)]
        points = [start, *cuts, end]
        for a, b in itertools.pairwise(points):
            words.append(text[a:b])
            spaces.append(False)
        spaces[-1] = bool(token.whitespace_)
    doc = Doc(nlp.vocab, words=words, spaces=spaces)
    assert doc.text == text

    def span(item: dict[str, Any], label: str) -> Any:
        found = doc.char_span(item["start"], item["end"], label=label)
        assert found is not None, item
        return found

    doc.ents = [span(e, e["label"]) for e in record[LAYER.entities]]
    furniture = LAYER.boilerplate
    doc.spans[furniture] = [span(b, b["label"]) for b in record[furniture]]
    quotes = record[QUOTES]
    content, *others = QUOTE_PARTS
    doc.spans[group(content)] = [span(q[content], q[QUOTE.kind]) for q in quotes]
    for part in others:
        doc.spans[group(part)] = [span(q[part], part) for q in quotes if q[part]]

    def offsets(part: dict[str, Any] | None) -> list[int] | None:
        return None if part is None else [part["start"], part["end"]]

    doc.user_data[USER_DATA] = {
        "id": record["id"],
        "status": dict(record["status"]),
        QUOTES: [
            {key: offsets(q[key]) if key in QUOTE_PARTS else q[key] for key in QUOTE}
            for q in quotes
        ],
    }
    return doc


def docbin(records: Iterable[dict[str, Any]]) -> Any:
    """A ``DocBin`` of records, keeping span groups and user data."""
    from spacy.tokens import DocBin

    out = DocBin(store_user_data=True)
    for record in records:
        out.add(doc_of(record))
    return out


def export(records: dict[str, list[dict[str, Any]]], folder: Path) -> list[Path]:
    """Write ``<split>.spacy`` for every split that has articles."""
    written = []
    for split, items in records.items():
        if items:
            path = folder / f"{split}{SUFFIX}"
            docbin(items).to_disk(path)
            written.append(path)
    return written
