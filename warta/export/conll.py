"""CoNLL-2003-style IOB2 files of the ``ner`` config, one per split.

Each article starts with a ``-DOCSTART-`` line; each sentence is one token a
line, ``TOKEN _ _ TAG`` (CoNLL-2003's four columns, part of speech and chunk
left empty), then a blank line. Tokens, sentences and tags are the ``ner``
config's own (:func:`warta.views.ner.rows`), so a model trained on these files
sees what the release holds; tokens never hold whitespace.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

DOCSTART = "-DOCSTART- -X- -X- O"
SUFFIX = ".conll"


def lines(records: list[dict[str, Any]]) -> Iterator[str]:
    """The lines of one split's file."""
    from warta.views import ner

    for record in records:
        yield DOCSTART
        yield ""
        for row in ner.rows(record):
            for token, tag in zip(row["tokens"], row["ner_tags"], strict=True):
                yield f"{token} _ _ {tag}"
            yield ""


def export(records: dict[str, list[dict[str, Any]]], folder: Path) -> list[Path]:
    """Write ``<split>.conll`` for every split that has articles."""
    written = []
    for split, items in records.items():
        if not items:
            continue
        path = folder / f"{split}{SUFFIX}"
        with path.open("w", encoding="utf-8", newline="\n") as handle:
            for line in lines(items):
                handle.write(line + "\n")
        written.append(path)
    return written


def read(path: Path) -> list[list[list[tuple[str, str]]]]:
    """A CoNLL file back as documents of sentences of (token, tag)."""
    docs: list[list[list[tuple[str, str]]]] = []
    sentence: list[tuple[str, str]] = []
    for line in path.read_text(encoding="utf-8").split("\n"):
        if line == DOCSTART:
            docs.append([])
        elif not line:
            if sentence:
                docs[-1].append(sentence)
                sentence = []
        else:
            columns = line.split(" ")
            sentence.append((columns[0], columns[-1]))
    return docs
