"""Released ``articles`` records, assembled from an article and its layers.

Span and quote ids are derived from the article id and the offsets, so they
stay the same for as long as the annotation does.
"""

from __future__ import annotations

from typing import Any

from warta import metadata as metadata_reader
from warta.annotate import Annotators
from warta.corpus import Article
from warta.schema import ANNOTATION, LAYER, LAYERS, QUOTE, QUOTE_PARTS, QUOTES, SPAN_LAYERS

CONTENT = QUOTE_PARTS[0]
ID_LETTERS = {LAYER.boilerplate: "b", LAYER.entities: "e", QUOTES: "q"}
"""The letter of each layer in its spans' ids (kept, so ids stay what they were)."""


def span_id(article_id: str, prefix: str, span: dict[str, Any]) -> str:
    """A stable id: ``<article>:<layer letter><start>-<end>``."""
    return f"{article_id}:{prefix}{span['start']}-{span['end']}"


def _span(article_id: str, prefix: str, span: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": span_id(article_id, prefix, span),
        "start": span["start"],
        "end": span["end"],
        "label": span["label"],
        "text": span["text"],
    }


def _part(span: dict[str, Any] | None) -> dict[str, Any] | None:
    if span is None:
        return None
    return {"start": span["start"], "end": span["end"], "text": span["text"]}


def _quote(article_id: str, quote: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {"id": span_id(article_id, ID_LETTERS[QUOTES], quote[CONTENT])}
    for key in QUOTE:
        out[key] = _part(quote.get(key)) if key in QUOTE_PARTS else quote.get(key)
    return out


def _released(article_id: str, layers: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    """Each layer's records in canonical order, each layer let go as soon as it is copied
    (a megabyte article's layers are hundreds of megabytes of dicts)."""
    out = {}
    for layer in LAYERS:
        found, letter = layers.pop(layer), ID_LETTERS[layer]
        if layer in SPAN_LAYERS:
            out[layer] = [_span(article_id, letter, s) for s in sorted(found, key=_key)]
        else:
            ordered = sorted(found, key=lambda q: _key(q[CONTENT]))
            out[layer] = [_quote(article_id, q) for q in ordered]
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


def article_record(article: Article, annotators: Annotators) -> dict[str, Any]:
    """The ``articles`` record of one validated article."""
    doc = article.annotation or {}
    manual = doc.get(ANNOTATION.manual, [])
    layers, status = annotators.fill(article.text, doc, manual)
    given = doc.get("metadata", {})
    meta = metadata_reader.extract(article.text, skip=given.keys())
    if "title" not in given:
        meta["title"] = title_from_text(article.text, layers[LAYER.boilerplate])
    meta.update(given)
    aid = article.id
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
        "text": article.text,
        "text_sha256": article.sha256,
        "status": status,
        **_released(aid, layers),
    }


def _key(span: dict[str, Any]) -> tuple[int, int]:
    return span["start"], span["end"]
