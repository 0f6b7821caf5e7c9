"""Tests for warta.agreement: every expected score is worked out by hand below."""

from __future__ import annotations

import json

import pytest

from warta.agreement import PRF, Accuracy, compare, format_report, match_overlapping


def span(text: str, sub: str, label: str | None = None, after: int = 0) -> dict:
    """A span dict for the first occurrence of ``sub`` at or after ``after``."""
    start = text.index(sub, after)
    out = {"start": start, "end": start + len(sub), "text": sub}
    if label is not None:
        out["label"] = label
    return out


def quote(
    text: str,
    content: str,
    kind: str = "direct",
    cue: str | None = None,
    speaker: str | None = None,
    speaker_name: str | None = None,
    after: int = 0,
) -> dict:
    """A quote dict whose spans are found in ``text`` (cue and speaker after the content)."""
    c = span(text, content, after=after)
    return {
        "kind": kind,
        "content": c,
        "cue": None if cue is None else span(text, cue, after=c["end"]),
        "speaker": None if speaker is None else span(text, speaker, after=c["end"]),
        "speaker_name": speaker_name,
    }


def ann(boilerplate=(), entities=(), quotes=()) -> dict:
    return {"boilerplate": list(boilerplate), "entities": list(entities), "quotes": list(quotes)}


def prf(scores: PRF) -> tuple:
    return (scores.tp, scores.fp, scores.fn, scores.precision, scores.recall, scores.f1)


# ---------------------------------------------------------------- PRF itself


def test_prf_ratios_and_undefined() -> None:
    # tp=3, fp=1, fn=2: P = 3/4, R = 3/5, F1 = 2*3 / (2*3 + 1 + 2) = 6/9
    s = PRF(3, 1, 2)
    assert s.precision == pytest.approx(0.75)
    assert s.recall == pytest.approx(0.6)
    assert s.f1 == pytest.approx(6 / 9)
    # nothing anywhere: every ratio undefined, not 0 and not 1
    assert (PRF().precision, PRF().recall, PRF().f1) == (None, None, None)
    # only false positives: P = 0/2 = 0, R undefined (0/0), F1 = 0/(0+2+0) = 0
    assert (PRF(0, 2, 0).precision, PRF(0, 2, 0).recall, PRF(0, 2, 0).f1) == (0.0, None, 0.0)
    assert Accuracy().accuracy is None
    assert Accuracy(1, 4).accuracy == pytest.approx(0.25)


# ---------------------------------------------------------------- boilerplate

BACA = "Baca juga: X\nIsi berita."


def test_boilerplate_ignores_whitespace() -> None:
    # gold: related "Baca juga: X"         -> non-space chars Baca(4) juga:(5) X(1) = 10
    # pred: related "Baca juga: X\nIsi"    -> the same 10 + Isi(3) = 13
    # TP = 10, FP = 3 (I, s, i), FN = 0: P = 10/13, R = 10/10, F1 = 20/23.
    # Counting whitespace would give 12 and 17 chars (P = 12/17) instead.
    gold = ann(boilerplate=[span(BACA, "Baca juga: X", "related")])
    pred = ann(boilerplate=[span(BACA, "Baca juga: X\nIsi", "related")])
    b = compare([(BACA, gold, pred)], layers=["boilerplate"]).boilerplate
    assert b is not None
    assert prf(b.unlabelled) == pytest.approx((10, 3, 0, 10 / 13, 1.0, 20 / 23))
    # one label on both sides: labelled equals unlabelled
    assert prf(b.labelled) == pytest.approx(prf(b.unlabelled))


def test_boilerplate_span_edges_on_whitespace_do_not_matter() -> None:
    # gold "Baca juga:" (9 non-space chars), pred "Baca juga: X" (10 non-space chars)
    # TP = 9, FP = 1: only "X"; the space after ":" that pred also covers is not counted
    gold = ann(boilerplate=[span(BACA, "Baca juga:", "related")])
    pred = ann(boilerplate=[span(BACA, "Baca juga: X", "related")])
    b = compare([(BACA, gold, pred)], layers=["boilerplate"]).boilerplate
    assert (b.unlabelled.tp, b.unlabelled.fp, b.unlabelled.fn) == (9, 1, 0)


def test_boilerplate_labelled_vs_unlabelled() -> None:
    text = "Tim Redaksi\nIsi.\nADVERTISEMENT"
    # gold: byline "Tim Redaksi" (10 non-space chars), promo "ADVERTISEMENT" (13)
    # pred: byline "Tim Redaksi", interface "ADVERTISEMENT"
    # unlabelled: TP = 10 + 13 = 23, FP = FN = 0 -> P = R = F1 = 1
    # labelled: TP = 10; the 13 mislabelled chars are FP 13 (interface) and FN 13 (promo)
    #           -> P = 10/23, R = 10/23, F1 = 20/46 = 10/23
    gold = ann(
        boilerplate=[span(text, "Tim Redaksi", "byline"), span(text, "ADVERTISEMENT", "promo")]
    )
    pred = ann(
        boilerplate=[span(text, "Tim Redaksi", "byline"), span(text, "ADVERTISEMENT", "interface")]
    )
    b = compare([(text, gold, pred)]).boilerplate
    assert prf(b.unlabelled) == pytest.approx((23, 0, 0, 1.0, 1.0, 1.0))
    assert prf(b.labelled) == pytest.approx((10, 13, 13, 10 / 23, 10 / 23, 10 / 23))


def test_boilerplate_missed_span_is_false_negative_in_both() -> None:
    text = "Isi.\nOke"
    # gold: interface "Oke" (3); pred: nothing. TP = 0, FP = 0, FN = 3
    # P = 0/0 undefined, R = 0/3 = 0, F1 = 0/(0+0+3) = 0
    gold = ann(boilerplate=[span(text, "Oke", "interface")])
    b = compare([(text, gold, ann())]).boilerplate
    assert prf(b.unlabelled) == (0, 0, 3, None, 0.0, 0.0)
    assert prf(b.labelled) == (0, 0, 3, None, 0.0, 0.0)


# ---------------------------------------------------------------- entities

TEKS = "Teten bertemu TikTok di Jakarta."


def test_entities_exact_span_only_and_per_label() -> None:
    # gold: PER Teten, ORG TikTok, LOC Jakarta
    # pred: PER Teten, PRODUCT TikTok (label wrong), LOC Jakart (boundary wrong)
    gold = ann(
        entities=[
            span(TEKS, "Teten", "PER"),
            span(TEKS, "TikTok", "ORG"),
            span(TEKS, "Jakarta", "LOC"),
        ]
    )
    pred = ann(
        entities=[
            span(TEKS, "Teten", "PER"),
            span(TEKS, "TikTok", "PRODUCT"),
            span(TEKS, "Jakart", "LOC"),
        ]
    )
    e = compare([(TEKS, gold, pred)], layers=["entities"]).entities
    # exact: only Teten. TP 1, FP 2, FN 2 -> P = R = 1/3, F1 = 2/(2+2+2) = 1/3
    assert prf(e.exact) == pytest.approx((1, 2, 2, 1 / 3, 1 / 3, 1 / 3))
    # span-only: Teten and TikTok match, the label does not matter.
    # TP 2, FP 1, FN 1 -> P = R = F1 = 2/3
    assert prf(e.span) == pytest.approx((2, 1, 1, 2 / 3, 2 / 3, 2 / 3))
    # per label (exact):
    assert sorted(e.per_label) == ["LOC", "ORG", "PER", "PRODUCT"]
    assert prf(e.per_label["PER"]) == (1, 0, 0, 1.0, 1.0, 1.0)
    # ORG: gold only -> TP 0, FP 0, FN 1: P undefined, R 0, F1 0
    assert prf(e.per_label["ORG"]) == (0, 0, 1, None, 0.0, 0.0)
    # PRODUCT: pred only -> TP 0, FP 1, FN 0: P 0, R undefined, F1 0
    assert prf(e.per_label["PRODUCT"]) == (0, 1, 0, 0.0, None, 0.0)
    # LOC: boundaries differ -> TP 0, FP 1, FN 1
    assert prf(e.per_label["LOC"]) == (0, 1, 1, 0.0, 0.0, 0.0)


def test_entities_duplicate_prediction_is_a_false_positive() -> None:
    # gold: PER Teten once; pred: PER Teten twice -> TP 1, FP 1, FN 0
    gold = ann(entities=[span(TEKS, "Teten", "PER")])
    pred = ann(entities=[span(TEKS, "Teten", "PER"), span(TEKS, "Teten", "PER")])
    e = compare([(TEKS, gold, pred)], layers=["entities"]).entities
    assert (e.exact.tp, e.exact.fp, e.exact.fn) == (1, 1, 0)


def test_micro_average_over_two_articles() -> None:
    # article 1: gold PER Teten, pred PER Teten            -> TP 1, FP 0, FN 0 (F1 = 1)
    # article 2: gold PER Anggi, ORG DPR, LOC Jakarta; pred ORG Anggi -> TP 0, FP 1, FN 3
    # micro: TP 1, FP 1, FN 3 -> P = 1/2, R = 1/4, F1 = 2/(2+1+3) = 1/3
    # (a macro average of the two F1s would be (1 + 0)/2 = 1/2 instead)
    t2 = "Anggi dari DPR tiba di Jakarta."
    pairs = [
        (
            TEKS,
            ann(entities=[span(TEKS, "Teten", "PER")]),
            ann(entities=[span(TEKS, "Teten", "PER")]),
        ),
        (
            t2,
            ann(
                entities=[
                    span(t2, "Anggi", "PER"),
                    span(t2, "DPR", "ORG"),
                    span(t2, "Jakarta", "LOC"),
                ]
            ),
            ann(entities=[span(t2, "Anggi", "ORG")]),
        ),
    ]
    report = compare(pairs)
    assert report.articles == 2
    assert prf(report.entities.exact) == pytest.approx((1, 1, 3, 1 / 2, 1 / 4, 1 / 3))
    # span-only: Anggi's span matches in article 2 -> TP 2, FP 0, FN 2: P 1, R 1/2, F1 4/6
    assert prf(report.entities.span) == pytest.approx((2, 0, 2, 1.0, 0.5, 2 / 3))
    # PER summed over articles: art. 1 TP 1; art. 2 FN 1 -> TP 1, FP 0, FN 1
    per = report.entities.per_label["PER"]
    assert (per.tp, per.fp, per.fn) == (1, 0, 1)


# ---------------------------------------------------------------- quotes

KUTIPAN = '"Kami sudah siap," kata Anggini. Dia menegaskan bahwa harga turun.'


def test_quote_overlap_matching_is_one_to_one() -> None:
    # gold: one direct quote "Kami sudah siap"
    # pred: "Kami" and "sudah siap", both inside it (overlaps 4 and 10 chars)
    # overlap: the larger overlap wins, the other pred stays unmatched
    #          TP 1, FP 1, FN 0 -> P 1/2, R 1, F1 2/(2+1) = 2/3
    # exact: neither pred equals the gold span -> TP 0, FP 2, FN 1 -> P 0, R 0, F1 0
    gold = ann(quotes=[quote(KUTIPAN, "Kami sudah siap", cue="kata", speaker="Anggini")])
    pred = ann(
        quotes=[
            quote(KUTIPAN, "Kami", kind="indirect"),
            quote(KUTIPAN, "sudah siap", cue="kata", speaker="Anggini"),
        ]
    )
    q = compare([(KUTIPAN, gold, pred)], layers=["quotes"]).quotes
    assert prf(q.overlap) == pytest.approx((1, 1, 0, 0.5, 1.0, 2 / 3))
    assert prf(q.exact) == (0, 2, 1, 0.0, 0.0, 0.0)
    # the match is "sudah siap" (direct, same cue and speaker), not "Kami" (indirect)
    assert (q.agree["kind"].correct, q.agree["kind"].n) == (1, 1)
    assert (q.agree["cue"].correct, q.agree["cue"].n) == (1, 1)
    assert (q.agree["speaker"].correct, q.agree["speaker"].n) == (1, 1)


def test_quote_overlap_tie_goes_to_earliest_start() -> None:
    text = '"Kami siap," kata Anggini.'
    # gold "Kami siap"; preds "Kami" and "siap" overlap it by 4 each: the tie goes
    # to "Kami" (earlier start), which is direct like gold -> kind accuracy 1/1.
    gold = ann(quotes=[quote(text, "Kami siap")])
    pred = ann(quotes=[quote(text, "siap", kind="indirect"), quote(text, "Kami")])
    q = compare([(text, gold, pred)], layers=["quotes"]).quotes
    assert (q.overlap.tp, q.overlap.fp, q.overlap.fn) == (1, 1, 0)
    assert (q.agree["kind"].correct, q.agree["kind"].n) == (1, 1)


def test_match_overlapping_greedy_by_largest_overlap() -> None:
    # gold A [0,10), B [10,14); pred P [5,14) overlaps A by 5, B by 4 -> P goes to A.
    # pred Q [20,25) overlaps nothing.
    assert match_overlapping([(0, 10), (10, 14)], [(5, 14), (20, 25)]) == [(0, 0)]
    # touching spans share no character: [0,5) and [5,9) do not overlap
    assert match_overlapping([(0, 5)], [(5, 9)]) == []


def test_quote_exact_by_kind() -> None:
    # gold: direct "Kami sudah siap", indirect "harga turun"
    # pred: direct "Kami sudah siap", direct "harga turun" (kind wrong)
    # exact (any kind): TP 2, FP 0, FN 0 -> 1, 1, 1
    # direct: gold {Kami..}, pred {Kami.., harga..} -> TP 1, FP 1, FN 0 -> P 1/2, R 1, F1 2/3
    # indirect: gold {harga..}, pred {} -> TP 0, FP 0, FN 1 -> P n/a, R 0, F1 0
    # kind accuracy on the 2 overlap matches: 1/2
    gold = ann(
        quotes=[
            quote(KUTIPAN, "Kami sudah siap", cue="kata", speaker="Anggini"),
            quote(KUTIPAN, "harga turun", kind="indirect"),
        ]
    )
    pred = ann(
        quotes=[
            quote(KUTIPAN, "Kami sudah siap", cue="kata", speaker="Anggini"),
            quote(KUTIPAN, "harga turun", kind="direct"),
        ]
    )
    q = compare([(KUTIPAN, gold, pred)], layers=["quotes"]).quotes
    assert prf(q.exact) == (2, 0, 0, 1.0, 1.0, 1.0)
    assert prf(q.per_kind["direct"]) == pytest.approx((1, 1, 0, 0.5, 1.0, 2 / 3))
    assert prf(q.per_kind["indirect"]) == (0, 0, 1, None, 0.0, 0.0)
    assert (q.agree["kind"].correct, q.agree["kind"].n, q.agree["kind"].accuracy) == (1, 2, 0.5)


def test_quote_null_cue_and_speaker_equality() -> None:
    # quote 1 "Kami sudah siap": gold and pred both cue null, speaker null, name null
    #   -> cue, speaker, speaker_name all agree
    # quote 2 "harga turun": gold cue "menegaskan", speaker "Dia", name "Anggini Setiawan";
    #   pred cue null (disagrees), speaker "Dia" (agrees),
    #   name "Anggini\n  Setiawan" (agrees after collapsing whitespace)
    # cue 1/2, speaker 2/2, speaker_name 2/2, kind 2/2
    gold = ann(
        quotes=[
            quote(KUTIPAN, "Kami sudah siap"),
            {
                **quote(KUTIPAN, "harga turun", kind="indirect", speaker_name="Anggini Setiawan"),
                "cue": span(KUTIPAN, "menegaskan"),
                "speaker": span(KUTIPAN, "Dia"),
            },
        ]
    )
    pred = ann(
        quotes=[
            quote(KUTIPAN, "Kami sudah siap"),
            {
                **quote(
                    KUTIPAN, "harga turun", kind="indirect", speaker_name="Anggini\n  Setiawan"
                ),
                "speaker": span(KUTIPAN, "Dia"),
            },
        ]
    )
    q = compare([(KUTIPAN, gold, pred)], layers=["quotes"]).quotes
    assert (q.agree["cue"].correct, q.agree["cue"].n) == (1, 2)
    assert (q.agree["speaker"].correct, q.agree["speaker"].n) == (2, 2)
    assert (q.agree["speaker_name"].correct, q.agree["speaker_name"].n) == (2, 2)
    assert (q.agree["kind"].correct, q.agree["kind"].n) == (2, 2)


def test_quote_speaker_null_versus_span_disagrees() -> None:
    # gold speaker "Anggini", pred speaker null -> speaker 0/1; names "X" vs null -> 0/1
    gold = ann(quotes=[quote(KUTIPAN, "Kami sudah siap", speaker="Anggini", speaker_name="X")])
    pred = ann(quotes=[quote(KUTIPAN, "Kami sudah siap")])
    q = compare([(KUTIPAN, gold, pred)], layers=["quotes"]).quotes
    assert (q.agree["speaker"].correct, q.agree["speaker"].n) == (0, 1)
    assert (q.agree["speaker_name"].correct, q.agree["speaker_name"].n) == (0, 1)


# ---------------------------------------------------------------- empty input


def test_no_articles_gives_undefined_scores_not_errors() -> None:
    report = compare([])
    assert report.articles == 0
    d = report.to_dict()
    json.dumps(d)  # JSON-ready
    assert d["boilerplate"]["unlabelled"] == {
        "tp": 0,
        "fp": 0,
        "fn": 0,
        "precision": None,
        "recall": None,
        "f1": None,
    }
    assert d["entities"]["per_label"] == {}
    assert d["quotes"]["cue"] == {"correct": 0, "n": 0, "accuracy": None}
    assert "n/a" in format_report(report)


def test_empty_annotations_and_missing_layers() -> None:
    # an article with nothing annotated on either side adds only zero counts;
    # a layer missing from the dict counts as an empty list
    text = "Isi berita.\n"
    report = compare([(text, ann(), {}), ("", {}, {})])
    assert report.articles == 2
    assert prf(report.boilerplate.labelled) == (0, 0, 0, None, None, None)
    assert prf(report.entities.exact) == (0, 0, 0, None, None, None)
    assert prf(report.quotes.overlap) == (0, 0, 0, None, None, None)
    assert report.quotes.agree["kind"].accuracy is None


# ---------------------------------------------------------------- layers, errors, output


def test_layers_selects_what_is_scored() -> None:
    report = compare([(TEKS, ann(), ann())], layers=("entities",))
    assert report.boilerplate is None and report.quotes is None
    assert set(report.to_dict()) == {"articles", "entities"}
    out = format_report(report)
    assert "entities" in out and "boilerplate" not in out and "quotes" not in out


def test_unknown_layer_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown layer"):
        compare([], layers=("entity",))


def test_span_outside_text_is_refused() -> None:
    bad = ann(entities=[{"start": 30, "end": 40, "label": "PER", "text": "?"}])
    with pytest.raises(ValueError, match="pred entities"):
        compare([(TEKS, ann(), bad)])


def test_to_dict_numbers() -> None:
    # the labelled-vs-unlabelled case again, read back through to_dict
    text = "Tim Redaksi\nIsi."
    gold = ann(boilerplate=[span(text, "Tim Redaksi", "byline")])
    pred = ann(boilerplate=[span(text, "Tim Redaksi", "source")])
    d = compare([(text, gold, pred)]).to_dict()
    # unlabelled TP 10; labelled TP 0, FP 10, FN 10 -> 0, 0, 0
    assert d["boilerplate"]["unlabelled"]["f1"] == 1.0
    assert d["boilerplate"]["labelled"] == {
        "tp": 0,
        "fp": 10,
        "fn": 10,
        "precision": 0.0,
        "recall": 0.0,
        "f1": 0.0,
    }
    assert json.loads(json.dumps(d)) == d


def test_format_report_aligned_tables() -> None:
    gold = ann(
        boilerplate=[span(BACA, "Baca juga: X", "related")],
        entities=[span(BACA, "Isi", "PER")],
        quotes=[quote(BACA, "berita")],
    )
    pred = ann(boilerplate=[span(BACA, "Baca juga: X\nIsi", "related")])
    out = format_report(compare([(BACA, gold, pred)]))
    blocks = out.strip("\n").split("\n\n")
    # articles line, boilerplate, entities, quotes P/R/F1, quotes accuracies
    assert len(blocks) == 5
    for block in blocks[1:]:
        _title, header, *rows = block.splitlines()
        # every row is as wide as the header and the columns end at the same places
        assert all(len(row) == len(header) for row in rows), block
    assert "0.769" in out  # boilerplate P = 10/13
    assert "n/a" in out  # entities P (nothing predicted)
    assert blocks[1].splitlines()[1].split() == ["metric", "P", "R", "F1", "TP", "FP", "FN"]
    assert blocks[4].splitlines()[1].split() == ["attribute", "accuracy", "n"]
