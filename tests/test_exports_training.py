"""spaCy DocBin and CoNLL exports: they load back to the build's own entities, spans and tags."""

from __future__ import annotations

from pathlib import Path

import pytest

from warta.export import conll, spacy_docbin
from warta.export.training import split_records
from warta.schema import QUOTE_PARTS
from warta.views import ner

from .conftest import CORPUS
from .export_articles import write_export_corpus


@pytest.fixture(scope="module", params=["written", "corpus"])
def records(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> dict:
    if request.param == "corpus":
        return split_records([CORPUS])
    folder = write_export_corpus(tmp_path_factory.mktemp("training") / "corpus")
    return split_records([folder])


def _spans(items: list[dict], label: str = "label") -> list[tuple]:
    return [(s["start"], s["end"], s[label]) for s in items]


def test_docbin_loads_with_the_same_entities_and_spans(records: dict, tmp_path: Path) -> None:
    from spacy.tokens import DocBin
    from spacy.vocab import Vocab

    written = spacy_docbin.export(records, tmp_path)
    assert written and all(p.suffix == ".spacy" for p in written)
    vocab = Vocab()  # the DocBin carries its strings; a reader needs no language of its own
    content, *others = QUOTE_PARTS
    for path in written:
        docs = list(DocBin().from_disk(path).get_docs(vocab))
        expected = records[path.stem]
        assert len(docs) == len(expected)
        for doc, record in zip(docs, expected, strict=True):
            assert doc.text == record["text"]
            data = doc.user_data[spacy_docbin.USER_DATA]
            assert data["id"] == record["id"]
            got = [(e.start_char, e.end_char, e.label_) for e in doc.ents]
            assert got == _spans(record["entities"])
            bp = doc.spans["boilerplate"]
            assert [(s.start_char, s.end_char, s.label_) for s in bp] == _spans(
                record["boilerplate"]
            )
            quotes = record["quotes"]
            group = doc.spans[spacy_docbin.group(content)]
            assert [(s.start_char, s.end_char, s.label_) for s in group] == [
                (q[content]["start"], q[content]["end"], q["kind"]) for q in quotes
            ]
            for part in others:
                group = doc.spans[spacy_docbin.group(part)]
                assert [(s.start_char, s.end_char) for s in group] == [
                    (q[part]["start"], q[part]["end"]) for q in quotes if q[part]
                ]
            for stored, quote in zip(data["quotes"], quotes, strict=True):
                assert stored["kind"] == quote["kind"]
                assert stored["speaker_name"] == quote["speaker_name"]
                for part in QUOTE_PARTS:
                    want = quote[part] and (quote[part]["start"], quote[part]["end"])
                    assert (stored[part] and tuple(stored[part])) == want


def test_conll_reads_back_to_the_ner_configs_tags(records: dict, tmp_path: Path) -> None:
    written = conll.export(records, tmp_path)
    assert written
    for path in written:
        docs = conll.read(path)
        expected = records[path.stem]
        assert len(docs) == len(expected)
        for doc, record in zip(docs, expected, strict=True):
            rows = list(ner.rows(record))
            want = [list(zip(r["tokens"], r["ner_tags"], strict=True)) for r in rows if r["tokens"]]
            assert doc == want
