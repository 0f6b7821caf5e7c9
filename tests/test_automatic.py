"""Automatic layers in the build, the draft command and the eval command."""

from __future__ import annotations

import json
from pathlib import Path

import datasets
import pytest

from bench.build_bench import write_articles
from warta.cli import main
from warta.pipeline import build
from warta.schema import LAYERS

ARTICLE = (
    "Pemkot Surabaya Perluas Taman Kota\n"
    "SURABAYA, KOMPAS.com - Wali Kota Surabaya Eri Cahyadi meresmikan taman baru di "
    "kawasan Ketintang, Senin (4/3/2024).\n"
    '"Taman ini untuk semua warga, silakan dijaga bersama," kata Eri kepada wartawan.\n'
    "Baca juga: Banjir Rob Rendam Pesisir Utara Surabaya\n"
    "Eri menjelaskan bahwa anggaran pembangunan berasal dari APBD Kota Surabaya.\n"
    "ADVERTISEMENT\n"
)


@pytest.fixture
def with_new_article(written_corpus: Path) -> Path:
    (written_corpus / "surabaya-taman-1.txt").write_text(ARTICLE, encoding="utf-8")
    return written_corpus


def test_build_fills_layers_nobody_annotated(with_new_article: Path, tmp_path: Path) -> None:
    out = tmp_path / "dist"
    build([with_new_article], out, jobs=1)
    ds = datasets.load_dataset(str(out), "articles")
    split = next(s for s in ds.values() if "surabaya-taman-1" in s["id"])
    row = split[split["id"].index("surabaya-taman-1")]
    status = split.features["status"]
    assert {k: status[k].int2str(v) for k, v in row["status"].items()} == dict.fromkeys(
        LAYERS, "auto"
    )
    labels = split.features["boilerplate"].feature["label"]
    furniture = {(b["text"], labels.int2str(b["label"])) for b in row["boilerplate"]}
    assert ("ADVERTISEMENT", "promo") in furniture
    assert any(label == "related" and text.startswith("Baca juga") for text, label in furniture)
    direct = [q for q in row["quotes"] if q["content"]["text"].startswith("Taman ini")]
    assert direct and direct[0]["speaker_name"] == "Eri Cahyadi"
    assert any(e["text"] == "Eri Cahyadi" for e in row["entities"])


def test_draft_writes_a_valid_starter_file(
    with_new_article: Path, capsys: pytest.CaptureFixture
) -> None:
    article = with_new_article / "surabaya-taman-1.txt"
    assert main(["draft", str(article)]) == 0
    draft = json.loads(article.with_suffix(".json").read_text("utf-8"))
    assert draft["manual"] == []
    assert draft["id"] == "surabaya-taman-1"
    assert draft["boilerplate"] and draft["entities"] and draft["quotes"]
    # Until a person takes responsibility for a layer, its spans are an error,
    # never silently replaced by the build.
    capsys.readouterr()
    assert main(["validate", str(article)]) == 1
    out = capsys.readouterr().out
    assert out.count("[layer-not-manual]") == 3
    assert 'add "entities" to manual if a person checked them' in out
    draft["manual"] = list(LAYERS)
    article.with_suffix(".json").write_text(json.dumps(draft), encoding="utf-8")
    assert main(["validate", str(article)]) == 0
    # A second draft does not overwrite a person's work, not even with --force.
    capsys.readouterr()
    assert main(["draft", str(article)]) == 2
    assert main(["draft", str(article), "--force"]) == 2
    assert "refused" in capsys.readouterr().err
    assert json.loads(article.with_suffix(".json").read_text("utf-8")) == draft


def test_draft_of_a_missing_or_bad_article(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    assert main(["draft", str(tmp_path / "nothing.txt")]) == 1
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"Berita caf\xe9.")
    assert main(["draft", str(bad)]) == 1
    err = capsys.readouterr().err
    assert "no such article" in err and "not valid UTF-8" in err and "Traceback" not in err


def test_eval_scores_every_manual_layer(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    corpus = tmp_path / "corpus"
    write_articles(corpus, range(2), LAYERS)
    assert main(["eval", "--corpus", str(corpus)]) == 0
    out = capsys.readouterr().out
    for layer in LAYERS:
        assert f"== {layer} (2 articles with manual {layer})" in out
    assert "speaker_name" in out and "unlabelled" in out
    assert main(["eval", "--corpus", str(corpus), "--json"]) == 0
    numbers = json.loads(capsys.readouterr().out)
    assert 0.0 <= numbers["boilerplate"]["unlabelled"]["f1"] <= 1.0
    assert numbers["quotes"]["articles"] == 2
    # --only scores a subset: here the first article alone.
    first = sorted(corpus.glob("*.txt"))[0].stem
    assert main(["eval", "--corpus", str(corpus), "--only", first, "--json"]) == 0
    subset = json.loads(capsys.readouterr().out)
    assert {subset[layer]["articles"] for layer in LAYERS} == {1}


def test_automatic_boilerplate_leaves_manual_entities_in_content(tmp_path: Path) -> None:
    from warta.annotators import boilerplate as boilerplate_annotator
    from warta.text import sha256_bytes

    text = (
        "Warga Bersihkan Sungai Bersama\n"
        "Baca juga: Banjir Rendam Jakarta Utara\n"
        "Ratusan warga membersihkan sungai di Depok, Minggu pagi.\n"
    )
    name = "Jakarta Utara"
    start = text.index(name)
    # The automatic annotator calls the line furniture; the person tagged a place in it.
    assert any(b["start"] <= start < b["end"] for b in boilerplate_annotator.annotate(text)), (
        "the premise: the line is automatic boilerplate"
    )
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "sungai-1.txt").write_text(text, encoding="utf-8")
    doc = {
        "id": "sungai-1",
        "text_sha256": sha256_bytes(text.encode("utf-8")),
        "manual": ["entities"],
        "entities": [{"start": start, "end": start + len(name), "label": "LOC", "text": name}],
    }
    (corpus / "sungai-1.json").write_text(json.dumps(doc), encoding="utf-8")
    build([corpus], tmp_path / "dist", jobs=1)
    (row,) = [
        r for s in datasets.load_dataset(str(tmp_path / "dist"), "articles").values() for r in s
    ]
    assert [e["text"] for e in row["entities"]] == [name]
    for entity in row["entities"]:
        assert all(
            b["end"] <= entity["start"] or entity["end"] <= b["start"] for b in row["boilerplate"]
        )


def test_eval_by_outlet_never_learns_from_the_outlet_it_scores(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    from warta import evaluate as evaluation
    from warta.annotate import Annotators

    corpus = tmp_path / "corpus"
    write_articles(corpus, range(4), LAYERS)
    outlet_of = {}
    for i, path in enumerate(sorted(corpus.glob("*.json"))):
        doc = json.loads(path.read_text(encoding="utf-8"))
        doc.setdefault("metadata", {})["outlet"] = f"outlet-{i % 2}.example"
        path.write_text(json.dumps(doc), encoding="utf-8")
        text = path.with_suffix(".txt").read_text(encoding="utf-8")
        outlet_of[text] = doc["metadata"]["outlet"]
    learned_from: list[set[str]] = []
    real_learn = Annotators.learn

    def learn(docs: object, furniture: object = None) -> Annotators:
        docs = list(docs)  # type: ignore[call-overload]
        lines = list(furniture or [])  # type: ignore[call-overload]
        learned_from.append({outlet_of[text] for text, *_ in docs if text in outlet_of})
        # The furniture line model learns from the same fold's manual boilerplate.
        learned_from.append({outlet_of[text] for text, *_ in lines if text in outlet_of})
        return real_learn(docs, lines)

    monkeypatch.setattr(Annotators, "learn", staticmethod(learn))
    result = evaluation.evaluate([corpus], train=(), cv="outlet")
    assert result.folds == 2 and result.articles["entities"] == 4
    # One tagger and one furniture model per outlet, each from the other outlet's articles only.
    assert sorted(map(sorted, learned_from)) == [
        ["outlet-0.example"],
        ["outlet-0.example"],
        ["outlet-1.example"],
        ["outlet-1.example"],
    ]
    assert main(["eval", "--cv", "outlet", "--corpus", str(corpus)]) == 0
    assert "cross-validated: 2 folds (outlet)" in capsys.readouterr().out
