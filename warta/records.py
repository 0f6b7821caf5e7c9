"""Released ``articles`` records, assembled from an article and its layers.

Span and quote ids are derived from the article id and the offsets, so they
stay the same for as long as the annotation does.
"""

from __future__ import annotations

from typing import Any

from warta import metadata as metadata_reader
from warta.annotate import Annotators
from warta.corpus import Article


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
    return {
        "id": span_id(article_id, "q", quote["content"]),
        "kind": quote["kind"],
        "content": _part(quote["content"]),
        "cue": _part(quote.get("cue")),
        "speaker": _part(quote.get("speaker")),
        "speaker_name": quote.get("speaker_name"),
    }


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
    manual = doc.get("manual", [])
    layers, status = annotators.fill(article.text, doc, manual)
    given = doc.get("metadata", {})
    meta = metadata_reader.extract(article.text, skip=given.keys())
    if "title" not in given:
        meta["title"] = title_from_text(article.text, layers["boilerplate"])
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
        # Each layer is let go as soon as it is copied: a megabyte article's
        # layers are hundreds of megabytes of dicts.
        "boilerplate": [_span(aid, "b", s) for s in sorted(layers.pop("boilerplate"), key=_key)],
        "entities": [_span(aid, "e", s) for s in sorted(layers.pop("entities"), key=_key)],
        "quotes": [
            _quote(aid, q) for q in sorted(layers.pop("quotes"), key=lambda q: _key(q["content"]))
        ],
    }


def _key(span: dict[str, Any]) -> tuple[int, int]:
    return span["start"], span["end"]
