"""``review``: what the pages hold, read back with an HTML parser; where it writes; bad input.

What a browser makes of the pages (console, toggles, screenshots) is in
test_review_browser.py. Exact expectations use the invented article of
review_article.py, never whatever corpus/ holds.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from warta.cli import main
from warta.outputs import MARKER, made_by
from warta.review import Page, Side, _Mark, differing, render_page, render_text, write_review
from warta.schema import QUOTE_PARTS, SPAN_LAYERS

from . import review_article as art
from .fixtures import span


class Marks(HTMLParser):
    """Every mark element's attributes and the text inside it, and each text block's text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[dict[str, str] | None] = []
        self.marks: list[dict[str, str]] = []  # with "text": the element's own text content
        self.texts: dict[str, str] = {}
        self.scripts = 0
        self.script_bodies: list[str] = []
        self.style_bodies: list[str] = []
        self._in: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "script":
            self.scripts += 1
            self._in = "script"
        if tag == "style":
            self._in = "style"
        if tag == "div" and a.get("class") == "text":
            a["text"] = ""
            a["block"] = "1"
            self.stack.append(a)
        elif tag == "span" and "mk" in a.get("class", "").split():
            a["text"] = ""
            self.stack.append(a)
            self.marks.append(a)
        elif tag == "span":
            self.stack.append(None)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._in = None
        if tag == "span" and self.stack:
            self.stack.pop()
        elif tag == "div" and self.stack and self.stack[-1] and self.stack[-1].get("block"):
            block = self.stack.pop()
            assert block is not None
            self.texts[block["data-side"]] = block["text"]

    def handle_data(self, data: str) -> None:
        if self._in == "script":
            self.script_bodies.append(data)
        elif self._in == "style":
            self.style_bodies.append(data)
        for open_ in self.stack:
            if open_ is not None:
                open_["text"] += data


def parse(path: Path) -> Marks:
    parser = Marks()
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    return parser


def joined(marks: list[dict[str, str]]) -> dict[str, dict[str, str]]:
    """Marks by data-id, the texts of a mark's elements joined in document order."""
    out: dict[str, dict[str, str]] = {}
    for m in marks:
        if m["data-id"] in out:
            out[m["data-id"]]["text"] += m["text"]
        else:
            out[m["data-id"]] = dict(m)
    return out


def expected_marks(doc: dict) -> set[tuple]:
    """(layer, label, start, end, text) of every span in an annotation file."""
    found = set()
    for layer in SPAN_LAYERS:
        for s in doc[layer]:
            found.add((layer, s["label"], s["start"], s["end"], s["text"]))
    for q in doc["quotes"]:
        for part in QUOTE_PARTS:
            if q[part] is not None:
                s = q[part]
                found.add(("quotes", part, s["start"], s["end"], s["text"]))
    return found


def seen_marks(page: Marks, side: str = "a") -> set[tuple]:
    return {
        (m["data-layer"], m["data-label"], int(m["data-start"]), int(m["data-end"]), m["text"])
        for m in joined(page.marks).values()
        if m["data-side"] == side
    }


@pytest.fixture
def article(tmp_path: Path) -> Path:
    """The invented article and its annotation file, in a folder of their own."""
    return art.write(tmp_path / "corpus")


def review(*argv: str) -> int:
    return main(["review", *argv, "--corpus"])  # no tagger training: nothing to learn from


# --- what a page holds ---------------------------------------------------------------------


def test_every_span_is_on_the_page_with_its_label_and_exact_text(
    article: Path, tmp_path: Path
) -> None:
    out = tmp_path / "pages"
    assert review(str(article), "--out", str(out)) == 0
    page = parse(out / "articles" / f"{art.ID}.html")
    assert seen_marks(page) == expected_marks(art.annotation())
    assert page.texts["a"] == art.TEXT  # the whole text, exactly, markup in it kept as text
    # Every mark is manual, as the file says, and there is no second side.
    assert {m["data-status"] for m in page.marks} == {"manual"}
    assert {m["data-side"] for m in page.marks} == {"a"}


def test_article_text_is_escaped_never_markup(article: Path, tmp_path: Path) -> None:
    out = tmp_path / "pages"
    assert review(str(article), "--out", str(out)) == 0
    source = (out / "articles" / f"{art.ID}.html").read_text(encoding="utf-8")
    page = parse(out / "articles" / f"{art.ID}.html")
    assert page.scripts == 1  # the page's own, and no <script> of the article's
    for markup in ("<b>Bandung", "<img src=x", "<i>&quot;baru", '<i>"baru'):
        assert markup not in source
    assert "&lt;b&gt;" in source and "&lt;img src=x" in source
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in source
    assert "&amp;amp;" in source  # the article's literal "&amp;", escaped once more
    # The title from the metadata is text too.
    assert "Halte &lt;i&gt;&quot;baru&quot;&lt;/i&gt;" in source


def test_a_page_allows_only_its_own_style_and_script(article: Path, tmp_path: Path) -> None:
    out = tmp_path / "pages"
    assert review(str(article), "--out", str(out)) == 0
    for path in (out / "index.html", out / "articles" / f"{art.ID}.html"):
        source = path.read_text(encoding="utf-8")
        policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', source)[1]
        assert policy.startswith("default-src 'none'")
        parsed = parse(path)

        def digest(body: str) -> str:
            return base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()

        assert f"style-src 'sha256-{digest(''.join(parsed.style_bodies))}'" in policy
        if parsed.scripts:
            assert f"script-src 'sha256-{digest(''.join(parsed.script_bodies))}'" in policy
        # Nothing is fetched: no URL of any kind outside the text.
        assert not re.search(r'(src|href)="(?!\.\./index\.html|articles/)', source)
        assert "http://" not in source and "https://" not in source and "//" not in policy


def test_quote_parts_share_a_number_and_show_the_speaker_name(
    article: Path, tmp_path: Path
) -> None:
    out = tmp_path / "pages"
    assert review(str(article), "--out", str(out)) == 0
    marks = joined(parse(out / "articles" / f"{art.ID}.html").marks)
    for n, quote in enumerate(art.annotation()["quotes"], start=1):
        parts = {
            m["data-label"]: m
            for m in marks.values()
            if m["data-layer"] == "quotes" and m["data-quote"] == str(n)
        }
        assert set(parts) == {p for p in QUOTE_PARTS if quote[p]}
        for part, m in parts.items():
            assert (int(m["data-start"]), m["text"]) == (quote[part]["start"], quote[part]["text"])
        assert parts["content"]["data-speaker-name"] == quote["speaker_name"]
        assert quote["speaker_name"] in parts["content"]["data-badge"]
        assert parts["content"]["data-kind"] == quote["kind"]


def test_a_layer_left_to_the_annotators_is_shown_as_auto(tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    doc = art.annotation()
    doc["manual"], doc["quotes"] = ["boilerplate", "entities"], []
    art.write(folder, doc)
    out = tmp_path / "pages"
    assert review(str(folder), "--out", str(out)) == 0
    source = (out / "articles" / f"{art.ID}.html").read_text(encoding="utf-8")
    statuses = dict(re.findall(r'data-layer-status="(\w+)" data-status="(\w+)"', source))
    assert statuses == {"boilerplate": "manual", "entities": "manual", "quotes": "auto"}
    # The automatic quotes are exactly what the annotators make, marked auto.
    from warta.annotate import Annotators

    layers, _ = Annotators().fill(art.TEXT, doc, doc["manual"])
    assert layers["quotes"]
    page = parse(out / "articles" / f"{art.ID}.html")
    assert seen_marks(page) == expected_marks(layers)
    statuses = {m["data-layer"]: m["data-status"] for m in page.marks}
    assert statuses == {"boilerplate": "manual", "entities": "manual", "quotes": "auto"}


def test_against_marks_exactly_the_differing_items(article: Path, tmp_path: Path) -> None:
    second, differences = art.second_pass()
    passes = tmp_path / "second"
    art.write(passes, second, text=False)
    out = tmp_path / "pages"
    assert review(str(article), "--against", str(passes), "--out", str(out)) == 0
    page = parse(out / "articles" / f"{art.ID}.html")
    assert seen_marks(page, "a") == expected_marks(art.annotation())
    assert seen_marks(page, "b") == expected_marks(second)
    assert page.texts == {"a": art.TEXT, "b": art.TEXT}
    for side in ("a", "b"):
        outlined = {
            (m["data-layer"], m["data-label"], int(m["data-start"]), int(m["data-end"]))
            for m in joined(page.marks).values()
            if m["data-side"] == side and m["data-diff"] == "differs"
        }
        assert outlined == differences[side]
        assert all(m["data-diff"] in ("same", "differs") for m in page.marks)


def test_against_reports_agreement_from_warta_agreement(article: Path, tmp_path: Path) -> None:
    from warta.agreement import compare

    second, _ = art.second_pass()
    passes = tmp_path / "second"
    art.write(passes, second, text=False)
    out = tmp_path / "pages"
    assert review(str(article), "--against", str(passes), "--out", str(out)) == 0
    report = compare([(art.TEXT, art.annotation(), second)])
    for path in (out / "index.html", out / "articles" / f"{art.ID}.html"):
        source = path.read_text(encoding="utf-8")
        shown = dict(re.findall(r'data-metric="([\w.]+)">([^<]*)<', source))
        assert shown["entities.exact.f1"] == f"{report.entities.exact.f1:.3f}"
        assert shown["boilerplate.labelled.recall"] == f"{report.boilerplate.labelled.recall:.3f}"
        name = report.quotes.agree["speaker_name"]
        assert shown["quotes.speaker_name.accuracy"] == f"{name.accuracy:.3f}"


def test_against_alone_compares_with_the_automatic_annotators(
    article: Path, tmp_path: Path
) -> None:
    out = tmp_path / "pages"
    assert review(str(article), "--out", str(out), "--against") == 0
    source = (out / "articles" / f"{art.ID}.html").read_text(encoding="utf-8")
    sides = source.split('<section class="side" data-side="b">')
    assert len(sides) == 2
    statuses = re.findall(r'data-layer-status="(\w+)" data-status="(\w+)"', sides[1])
    assert statuses == [("boilerplate", "auto"), ("entities", "auto"), ("quotes", "auto")]
    assert "the automatic annotators alone" in sides[1]


def test_index_links_every_page(article: Path, tmp_path: Path) -> None:
    from .fixtures import write_corpus

    folder = write_corpus(tmp_path / "more")
    out = tmp_path / "pages"
    assert review(str(article.parent), str(folder), "--out", str(out)) == 0
    index = (out / "index.html").read_text(encoding="utf-8")
    links = re.findall(r'href="([^"]+)"', index)
    pages = sorted(p.relative_to(out).as_posix() for p in (out / "articles").iterdir())
    assert sorted(links) == pages and len(pages) == 4
    assert made_by(out) == ("warta review", {"articles", "index.html", *pages})


# --- rendering details -------------------------------------------------------------------------


def mark(start: int, end: int, layer: str, label: str, id_: str) -> _Mark:
    return _Mark(start, end, layer, label, id_, {"data-status": "manual"})


def test_crossing_marks_are_cut_and_nested_marks_are_whole() -> None:
    text = "abcdefghij"
    marks = [
        mark(0, 6, "quotes", "content", "q"),
        mark(4, 9, "entities", "LOC", "e"),  # crosses q's end
        mark(1, 3, "entities", "PER", "p"),  # inside q
        mark(1, 3, "boilerplate", "byline", "b"),  # the same characters: outermost
    ]
    parser = Marks()
    parser.feed(f'<div class="text" data-side="a">{render_text(text, marks, "a")}</div>')
    assert parser.texts["a"] == text
    counts: dict[str, int] = {}
    for m in parser.marks:
        counts[m["data-id"]] = counts.get(m["data-id"], 0) + 1
    assert counts == {"q": 1, "e": 2, "p": 1, "b": 1}
    assert {k: v["text"] for k, v in joined(parser.marks).items()} == {
        "q": "abcdef",
        "e": "efghi",
        "p": "bc",
        "b": "bc",
    }
    # The entity's badge follows its last piece; the others' lead their first.
    badged = [m["data-id"] for m in parser.marks if "data-continued" in m]
    assert badged == ["e"]


def test_differing_pairs_twins_one_to_one() -> None:
    text = "Ani dan Ani"
    a = [span(text, "Ani", "entity_label", "PER"), span(text, "Ani", "entity_label", "PER")]
    b = [span(text, "Ani", "entity_label", "PER")]
    assert differing("entities", a, b) == ([False, True], [False])
    b = [span(text, "Ani", "entity_label", "ORG")]
    assert differing("entities", a, b) == ([True, True], [True])


def test_a_quote_differs_by_any_of_its_parts_but_not_by_spacing_in_its_speaker_name() -> None:
    text = "Kata Budi: hujan turun."
    q = {
        "kind": "direct",
        "content": span(text, "hujan turun."),
        "cue": span(text, "Kata"),
        "speaker": span(text, "Budi"),
        "speaker_name": "Budi  Santoso",
    }
    spaced = {**q, "speaker_name": "Budi Santoso"}
    assert differing("quotes", [q], [spaced]) == ([False], [False])
    for change in ({"cue": None}, {"speaker": None}, {"kind": "indirect"}, {"speaker_name": None}):
        assert differing("quotes", [q], [{**q, **change}]) == ([True], [True])


def test_a_page_of_untrusted_metadata_stays_well_formed() -> None:
    from warta.corpus import Article, ArticleFiles

    text = "Teks </span></div><script>x()</script>"
    article = Article(
        ArticleFiles("x", "x.txt", "x.json"),
        text.encode(),
        text,
        {"metadata": {"title": "\ud800 judul </title><script>", "outlet": '" onmouseover="x'}},
    )
    side = Side("x.json </h2>", {"boilerplate": [], "entities": [], "quotes": []}, {})
    source = render_page(Page(article, side))
    assert source.count("<script>") == 1 and "</title><script>" not in source
    assert '" onmouseover' not in source
    source.encode("utf-8")  # the lone surrogate did not make the page unwritable


# --- where it writes, and bad input ------------------------------------------------------------


def one_line_refusal(capsys: pytest.CaptureFixture[str], path: Path) -> str:
    err = capsys.readouterr().err
    assert "refused" in err and f"{path.resolve()}:" in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    return err


def test_out_may_not_be_the_corpus_inside_it_or_a_checkout(
    article: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch
) -> None:
    corpus = article.parent
    before = sorted(p.name for p in corpus.iterdir())
    for out in (corpus, corpus / "pages", tmp_path):
        assert review(str(article), "--out", str(out)) == 2
        one_line_refusal(capsys, out)
    assert sorted(p.name for p in corpus.iterdir()) == before
    checkout = tmp_path / "checkout"
    (checkout / ".git").mkdir(parents=True)
    assert review(str(article), "--out", str(checkout)) == 2
    one_line_refusal(capsys, checkout)
    monkeypatch.chdir(checkout)
    assert review(str(article), "--out", ".") == 2
    one_line_refusal(capsys, checkout)


def test_out_may_not_hold_other_files_or_another_commands_output(
    article: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    foreign = tmp_path / "notes"
    foreign.mkdir()
    (foreign / "catatan.md").write_text("bukan halaman review\n", encoding="utf-8")
    assert review(str(article), "--out", str(foreign)) == 2
    assert "catatan.md" in one_line_refusal(capsys, foreign)
    assert (foreign / "catatan.md").read_text(encoding="utf-8") == "bukan halaman review\n"
    built = tmp_path / "dist"
    built.mkdir()
    (built / MARKER).write_text(json.dumps({"made_by": "warta build", "paths": []}), "utf-8")
    assert review(str(article), "--out", str(built)) == 2
    assert "warta build" in one_line_refusal(capsys, built)


def test_an_earlier_review_is_replaced_whole(article: Path, tmp_path: Path) -> None:
    out = tmp_path / "pages"
    assert review(str(article), "--out", str(out)) == 0
    (out / "articles" / f"{art.ID}.html").write_text("stale", encoding="utf-8")
    assert review(str(article), "--out", str(out)) == 0
    assert "stale" not in (out / "articles" / f"{art.ID}.html").read_text(encoding="utf-8")
    (out / "mine.txt").write_text("mine", encoding="utf-8")
    assert review(str(article), "--out", str(out)) == 2  # a file review did not write


def test_an_invalid_annotation_file_is_refused_with_the_validators_problems(
    article: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = art.annotation()
    doc["entities"][0]["start"] += 1  # its text no longer matches
    article.write_text(json.dumps(doc), encoding="utf-8")
    out = tmp_path / "pages"
    assert review(str(article), "--out", str(out)) == 1
    err = capsys.readouterr().err
    lines = err.strip().splitlines()
    assert lines[0].startswith(f"{article}: /entities/0: ") and "[span-text-mismatch]" in lines[0]
    assert "nothing was written" in lines[-1] and "Traceback" not in err
    assert not out.exists()


@pytest.mark.parametrize(
    ("argv", "code"),
    [
        (["missing-folder"], "path-missing"),
        (["{corpus}/catatan.md"], "file-name"),
        (["{corpus}", "--against", "{tmp}/no-such-folder"], "path-missing"),
        (["{corpus}", "--against", "{tmp}/empty"], "corpus-empty"),
        (["{corpus}", "--against", "{corpus}/" + art.ID + ".txt"], "file-name"),
    ],
)
def test_bad_paths_get_one_line_each_and_exit_1(
    article: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], argv, code
) -> None:
    (tmp_path / "empty").mkdir()
    (article.parent / "catatan.md").write_text("x\n", encoding="utf-8")
    args = [a.format(corpus=article.parent, tmp=tmp_path) for a in argv]
    out = tmp_path / "pages"
    assert review(*args, "--out", str(out)) == 1
    err = capsys.readouterr().err
    assert f"[{code}]" in err and "Traceback" not in err
    assert all(": " in line for line in err.strip().splitlines())
    assert not out.exists()


def test_an_invalid_file_in_the_against_folder_is_refused(
    article: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    second, _ = art.second_pass()
    second["manual"] = ["entities"]  # its boilerplate and quotes carry spans
    passes = tmp_path / "second"
    bad = art.write(passes, second, text=False)
    assert review(str(article), "--against", str(passes), "--out", str(tmp_path / "p")) == 1
    err = capsys.readouterr().err
    assert f"{bad}: /boilerplate: " in err and "[layer-not-manual]" in err


def test_write_review_returns_the_pages(article: Path, tmp_path: Path) -> None:
    result = write_review([article], tmp_path / "pages", corpus=())
    assert result.pages == [tmp_path.resolve() / "pages" / "articles" / f"{art.ID}.html"]
    assert result.warnings == []


def test_a_faulty_text_is_reported_once_though_both_sets_read_it(
    article: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    passes = tmp_path / "second"
    art.write(passes, art.second_pass()[0], text=False)
    article.with_suffix(".txt").write_bytes(b"Teks \xff rusak\n")
    assert review(str(article), "--against", str(passes), "--out", str(tmp_path / "p")) == 1
    err = capsys.readouterr().err
    assert err.count("[text-undecodable]") == 1, err
