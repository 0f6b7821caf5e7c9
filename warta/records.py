"""Released ``articles`` records, assembled from an article and its layers.

Span and quote ids are derived from the article id and the offsets, so they
stay the same for as long as the annotation does.

A long article is built in pieces (:class:`Piece`, cut by
:func:`warta.annotate.pieces`), each in a worker process: a piece's record
holds the piece's text and its spans at offsets in it, but ids that name the
article's offsets, and ``piece``, where it lies, by which the views move what
they write (see :mod:`warta.views`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from warta import metadata as metadata_reader
from warta.annotate import Annotators
from warta.corpus import Article
from warta.schema import ANNOTATION, LAYER, LAYERS, QUOTE, QUOTE_PARTS, QUOTES, SPAN_LAYERS

CONTENT = QUOTE_PARTS[0]
ID_LETTERS = {LAYER.boilerplate: "b", LAYER.entities: "e", QUOTES: "q"}
"""The letter of each layer in its spans' ids (kept, so ids stay what they were)."""


def span_id(article_id: str, prefix: str, span: dict[str, Any], offset: int = 0) -> str:
    """A stable id: ``<article>:<layer letter><start>-<end>`` (``offset``: of the piece
    the span's offsets count in)."""
    return f"{article_id}:{prefix}{span['start'] + offset}-{span['end'] + offset}"


def _span(article_id: str, prefix: str, span: dict[str, Any], offset: int) -> dict[str, Any]:
    return {
        "id": span_id(article_id, prefix, span, offset),
        "start": span["start"],
        "end": span["end"],
        "label": span["label"],
        "text": span["text"],
    }


def _part(span: dict[str, Any] | None) -> dict[str, Any] | None:
    if span is None:
        return None
    return {"start": span["start"], "end": span["end"], "text": span["text"]}


def _quote(article_id: str, quote: dict[str, Any], offset: int) -> dict[str, Any]:
    out: dict[str, Any] = {"id": span_id(article_id, ID_LETTERS[QUOTES], quote[CONTENT], offset)}
    for key in QUOTE:
        out[key] = _part(quote.get(key)) if key in QUOTE_PARTS else quote.get(key)
    return out


def _released(
    article_id: str, layers: dict[str, list[dict[str, Any]]], offset: int
) -> dict[str, Any]:
    """Each layer's records in canonical order, each layer let go as soon as it is copied
    (a megabyte article's layers are hundreds of megabytes of dicts)."""
    out = {}
    for layer in LAYERS:
        found, letter = layers.pop(layer), ID_LETTERS[layer]
        if layer in SPAN_LAYERS:
            out[layer] = [_span(article_id, letter, s, offset) for s in sorted(found, key=_key)]
        else:
            ordered = sorted(found, key=lambda q: _key(q[CONTENT]))
            out[layer] = [_quote(article_id, q, offset) for q in ordered]
    return out


def title_from_text(text: str, boilerplate: list[dict[str, Any]]) -> str | None:
    """The headline: the first content line, when the page has a short one on its own."""
    cursor = 0
    spans = sorted((b["start"], b["end"]) for b in boilerplate)
    for line in text.split("\n"):
        start, end = cursor, cursor + len(line)
        cursor = end + 1
        stripped = line.strip()
        if not stripped:
            continue
        if any(s <= start + (len(line) - len(line.lstrip())) < e for s, e in spans):
            continue
        looks_like_headline = (
            len(stripped) <= 160
            and not stripped.endswith((".", ":"))
            and " - " not in stripped[:60]
            and text.count("\n") >= 2
        )
        return stripped if looks_like_headline else None
    return None


@dataclass
class Piece:
    """A piece ``[offset, offset + len(text))`` of a long article, with what its record needs.

    ``given`` holds the manual layers of the piece at offsets in it
    (:func:`warta.annotate.piece_given`); ``line`` counts the line breaks
    before the piece; ``index`` is its place among the article's. The
    record's metadata fields are the annotation file's (``metadata``) alone:
    what is read off the whole text, and the title, which depends on every
    piece's boilerplate, the build fills in when it joins the pieces' rows.
    The first piece's worker reads that metadata off the raw file
    ``metadata_from`` (a pass over the whole text, which would hold up the
    build's main process; see :mod:`warta.pipeline`).
    """

    article_id: str
    index: int
    split: str
    text: str
    offset: int
    line: int
    given: dict[str, list[Any]]
    manual: list[str]
    metadata: dict[str, Any]
    text_sha256: str
    metadata_from: str | None = None
    outlet: str = ""  # the article's, read off its head (warta.furniture.evidence)


def metadata(
    text: str, given: dict[str, Any], boilerplate: list[dict[str, Any]] | None
) -> dict[str, Any]:
    """The article's metadata: read off ``text``, but what the annotation file gives wins;
    the title, unless given, from the first content line (None while ``boilerplate``
    is not known)."""
    meta = metadata_reader.extract(text, skip=given.keys())
    if "title" not in given:
        meta["title"] = None if boilerplate is None else title_from_text(text, boilerplate)
    meta.update(given)
    return meta


def described(aid: str, meta: dict[str, Any]) -> dict[str, Any]:
    """The record's fields that come from the article's metadata."""
    return {
        "id": aid,
        "outlet": meta.get("outlet"),
        "url": meta.get("url"),
        "title": meta.get("title"),
        "published": meta.get("published"),
        "published_utc": metadata_reader.utc(meta.get("published")),
        "authors": list(meta.get("authors") or []),
        "editors": list(meta.get("editors") or []),
        "language": meta.get("language") or "id",
        "story": meta.get("story") or aid,
    }


def article_record(article: Article, annotators: Annotators) -> dict[str, Any]:
    """The ``articles`` record of one validated article."""
    doc = article.annotation or {}
    layers, status = annotators.fill(article.text, doc, doc.get(ANNOTATION.manual, []))
    meta = metadata(article.text, doc.get("metadata", {}), layers[LAYER.boilerplate])
    return _record(article.id, meta, article.text, article.sha256, status, layers, 0)


def piece_record(piece: Piece, annotators: Annotators) -> dict[str, Any]:
    """The record of one piece of an article (see the module's docstring)."""
    layers, status = annotators.fill(piece.text, piece.given, piece.manual, piece.outlet)
    record = _record(
        piece.article_id,
        piece.metadata,
        piece.text,
        piece.text_sha256,
        status,
        layers,
        piece.offset,
    )
    record["piece"] = (piece.offset, piece.line)
    return record


def _record(
    aid: str,
    meta: dict[str, Any],
    text: str,
    sha256: str,
    status: dict[str, str],
    layers: dict[str, list[Any]],
    offset: int,
) -> dict[str, Any]:
    return {
        **described(aid, meta),
        "text": text,
        "text_sha256": sha256,
        "status": status,
        **_released(aid, layers, offset),
    }


def _key(span: dict[str, Any]) -> tuple[int, int]:
    return span["start"], span["end"]
