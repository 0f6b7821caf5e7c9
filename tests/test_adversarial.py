"""Adversarial input: arbitrary text keeps every invariant, long runs stay linear.

Scraped pages hold separator lines of thousands of ``-`` or ``*``, comment
sections of ``!!!!!``, whole pages on one line and megabyte dumps. The
property tests annotate arbitrary text (biased towards punctuation, capitals,
quotation marks and line breaks) and check what must hold for any text; the
others check that long runs take time in proportion to their length (two
sizes, timed in this process) and leave what follows them as it was. All
text is invented.
"""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import warta.annotate
from warta.annotate import Annotators, _parts
from warta.annotators import boilerplate as boilerplate_annotator
from warta.corpus import dump_annotation
from warta.drafting import draft
from warta.schema import LAYERS, QUOTES, SPAN_LAYERS, STATUS
from warta.text import TextError, decode
from warta.validation import validate
from warta.views import ner

from .fixtures import check_quotes, check_spans

RUNS = "*!?.-()\"'“”,:/=_#|"
TAIL = (
    '"Kami akan memperbaiki jalan itu," kata Budi Santoso di Jakarta, Senin.\n'
    "Warga Kota Bandung menilai program itu baik.\n"
)

_PIECES = st.one_of(
    st.sampled_from([*RUNS, "\n", "\n\n", " ", "  "]),
    st.builds(lambda c, n: c * n, st.sampled_from([*RUNS, " ", "\n"]), st.integers(2, 40)),
    st.sampled_from(
        ["Budi", "Santoso", "Jakarta", "kata", "ujar", "Baca juga:", "Editor:", "ADVERTISEMENT",
         "PT", "Bank", "di", "Kota", "menurut", "mengatakan", "bahwa", "Fakta atau Hoaks?",
         "(ant/abc)", "KOMPAS.com", "https://contoh.id/a", "&quot;", "\u00a0", "é", "🙂"]
    ),
    # Any text a raw article can hold: a NUL byte makes a file binary data (refused), and
    # UTF-8 never decodes to a lone surrogate.
    st.text(st.characters(exclude_characters="\x00", exclude_categories=("Cs",)), max_size=8),
)  # fmt: skip
TEXTS = st.lists(_PIECES, max_size=40).map("".join)


@pytest.fixture(scope="module")
def annotators() -> Annotators:
    """The automatic annotators with the untrained tagger (rules and gazetteer)."""
    return Annotators()


def check_layers(text: str, layers: dict[str, list[Any]]) -> None:
    """What every set of layers the annotators fill must satisfy, whatever the text (a
    person's spans among them need not be trimmed)."""
    for layer in SPAN_LAYERS:
        check_spans(text, layers[layer], trimmed=False)
    check_quotes(text, layers[QUOTES], trimmed=False)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXTS)
def test_any_text_gives_spans_in_bounds_flat_and_the_same_twice(
    annotators: Annotators, text: str
) -> None:
    layers, status = annotators.fill(text, {}, ())
    assert status == dict.fromkeys(LAYERS, STATUS.auto)
    check_layers(text, layers)
    assert annotators.fill(text, {}, ()) == (layers, status)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXTS.filter(lambda t: t.strip()))
def test_a_draft_accepted_as_it_is_validates(
    annotators: Annotators, tmp_path_factory: pytest.TempPathFactory, text: str
) -> None:
    raw = text.encode("utf-8", "surrogatepass")
    try:
        decode(raw)
    except TextError:
        assume(False)  # not an article the project takes (a NUL, a lone surrogate...)
    folder = tmp_path_factory.mktemp("corpus")
    article = folder / "adv.txt"
    article.write_bytes(raw)
    doc = draft(article, annotators)
    doc["manual"] = list(LAYERS)  # a person took every layer
    (folder / "adv.json").write_text(dump_annotation(doc), encoding="utf-8")
    report = validate([folder], jobs=1)
    assert report.ok, [str(p) for p in report.errors]


@given(st.text(alphabet="ab \n", max_size=300), st.integers(4, 50))
def test_parts_cover_the_text_in_order_and_stay_bounded(text: str, limit: int) -> None:
    parts = _parts(text, limit)
    assert parts[0][0] == 0 and parts[-1][1] == len(text)
    assert all(a[1] == b[0] for a, b in itertools.pairwise(parts))
    assert all(b - a <= limit for a, b in parts)
    assert all(b > a for a, b in parts) or len(parts) == 1
    for a, b in parts[:-1]:  # a cut after a line break when the part's second half has one
        window = text[a + limit // 2 : a + limit]
        assert "\n" not in window or text[b - 1] == "\n"


def test_a_text_annotated_in_parts_keeps_every_invariant(
    annotators: Annotators, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = ("Judul Berita Hari Ini\n" + "-" * 300 + "\n" + TAIL + "\n") * 30
    monkeypatch.setattr(warta.annotate, "PART", 500)
    assert len(_parts(text)) > 10
    layers, _ = annotators.fill(text, {}, ())
    check_layers(text, layers)
    # Every part is annotated as the same text would be on its own.
    assert len(layers["entities"]) == 30 * len(annotators.fill(TAIL, {}, ())[0]["entities"])


def test_manual_spans_are_given_to_each_part_at_its_offsets(
    annotators: Annotators, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = (TAIL + "\n") * 20
    monkeypatch.setattr(warta.annotate, "PART", 400)
    whole, _ = annotators.fill(text, {}, ())
    given = {"boilerplate": whole["boilerplate"], "entities": whole["entities"]}
    layers, status = annotators.fill(text, given, ("boilerplate", "entities"))
    assert status["quotes"] == "auto"
    check_layers(text, layers)
    speakers = {q["speaker"]["text"] for q in layers["quotes"] if q["speaker"]}
    assert "Budi Santoso" in speakers


def test_a_manual_span_across_a_cut_masks_both_parts(
    annotators: Annotators, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = (TAIL + "\n") * 20
    monkeypatch.setattr(warta.annotate, "PART", 400)
    cut = _parts(text)[1][0]
    span = {"start": cut - 100, "end": cut + 100, "label": "promo"}
    given = {"boilerplate": [{**span, "text": text[cut - 100 : cut + 100]}]}
    layers, _ = annotators.fill(text, given, ("boilerplate",))
    check_layers(text, layers)
    assert layers["entities"]  # found elsewhere, but none under the span
    assert all(e["end"] <= span["start"] or e["start"] >= span["end"] for e in layers["entities"])


@pytest.mark.parametrize("char", list('*!?.-("'))
def test_a_long_run_is_annotated_and_changes_nothing_after_it(
    annotators: Annotators, char: str
) -> None:
    def annotate(n: int) -> dict[str, list[Any]]:
        return annotators.fill("Judul Berita Hari Ini\n" + char * n + "\n" + TAIL, {}, ())[0]

    layers = annotate(20_000)
    offset = len("Judul Berita Hari Ini\n") + 20_001
    alone, _ = annotators.fill(TAIL, {}, ())
    after = [(e["start"] - offset, e["end"] - offset, e["label"]) for e in layers["entities"]]
    assert [x for x in after if x[0] >= 0] == [
        (e["start"], e["end"], e["label"]) for e in alone["entities"]
    ]
    assert len([q for q in layers["quotes"] if q["content"]["start"] >= offset]) == 2


def test_a_long_star_run_before_a_promo_trigger_is_one_span() -> None:
    text = "*" * 20_000 + " Fakta atau Hoaks?\nIsi berita.\n"
    spans = boilerplate_annotator.annotate(text)
    assert [(s["start"], s["end"], s["label"]) for s in spans] == [(0, 20_018, "promo")]


@pytest.mark.parametrize("char", list('-*!("'))
def test_the_ner_view_tokenises_a_long_chunk_in_bounded_pieces(char: str) -> None:
    def sentences(n: int) -> ner.Sentences:
        text = "Budi pergi.\n" + char * n + "\nIa pulang.\n"
        record = {"id": "adv", "text": text, "boilerplate": [], "entities": [
            {"start": 0, "end": 4, "label": "PER", "text": "Budi"}]}  # fmt: skip
        return ner.sentences(record)

    sent = sentences(5_000)
    lengths = sent.ends - sent.starts
    assert lengths.max() <= 256 and lengths.min() >= 1
    assert (sent.starts[1:] >= sent.ends[:-1]).all()  # in order, never overlapping
    assert sent.tags[0] != sent.tags[1]  # Budi is B-PER, what follows is O


def test_the_bench_inputs_build_and_validate(tmp_path: Path) -> None:
    """One article of each kind the benchmark scales, small: build and validate pass."""
    from bench.adversarial import kinds, make_input
    from warta.pipeline import build

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    texts = set()
    for i, kind in enumerate(k for k in kinds() if k != "drifted"):
        text, doc = make_input(kind, 3000)
        if text in texts:
            continue  # a duplicate article is refused, rightly
        texts.add(text)
        raw = text.encode("utf-8")
        (corpus / f"adv{i}.txt").write_bytes(raw)
        if doc is not None:
            from warta.text import sha256_bytes

            full = {"id": f"adv{i}", "text_sha256": sha256_bytes(raw), **doc}
            (corpus / f"adv{i}.json").write_text(dump_annotation(full), encoding="utf-8")
    report = validate([corpus], jobs=1)
    assert not report.errors, [str(p) for p in report.errors]
    result = build([corpus], tmp_path / "dist", jobs=1)
    assert sum(result.stats.articles.values()) == len(list(corpus.glob("*.txt")))
