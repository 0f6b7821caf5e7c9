"""The review pages in a real browser: Debian's Chromium, driven by Selenium through chromedriver.

One headless browser serves the whole module. It is Debian's ``chromium`` with
Debian's ``chromedriver``, named by path, so Selenium Manager is never asked
for (and never downloads) a driver or a browser; the browser resolves no
host name, so nothing can reach the network. Without Chromium these tests
fail, saying how to install it: a skipped browser test would pass CI having
checked nothing.

Exact expectations use the invented article of review_article.py; a seed
article of corpus/ is only loaded for the screenshot, which must not be blank.
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from warta.review import write_review
from warta.schema import LAYERS, QUOTE_PARTS, SPAN_LAYERS

from . import review_article as art
from .conftest import CORPUS

CHROMIUM = Path(os.environ.get("WARTA_CHROMIUM", "/usr/bin/chromium"))
CHROMEDRIVER = Path(os.environ.get("WARTA_CHROMEDRIVER", "/usr/bin/chromedriver"))
INSTALL = (
    "install Debian's packages with `apt-get install -y chromium chromium-driver` (as root; "
    ".ci/run does it), or set WARTA_CHROMIUM and WARTA_CHROMEDRIVER to a Chromium and its "
    "chromedriver"
)

# Every mark's data attributes, its text, and whether it is shown as a mark:
# a background, a badge or an outline (text that is not marked has none).
MARKS_JS = """
function shown(e) {
  var s = getComputedStyle(e);
  var before = getComputedStyle(e, '::before').content;
  var after = getComputedStyle(e, '::after').content;
  return s.backgroundColor !== 'rgba(0, 0, 0, 0)' || s.outlineStyle !== 'none' ||
    (before !== 'none' && before !== 'normal') || (after !== 'none' && after !== 'normal');
}
return Array.from(document.querySelectorAll('.mk')).map(function (e) {
  var d = e.dataset;
  return {side: d.side, layer: d.layer, label: d.label, id: d.id, start: +d.start, end: +d.end,
          text: e.textContent, status: d.status, diff: d.diff || null, quote: d.quote || null,
          speakerName: d.speakerName === undefined ? null : d.speakerName, shown: shown(e),
          outlined: getComputedStyle(e).outlineStyle !== 'none',
          colour: getComputedStyle(e).borderBottomColor, linked: e.classList.contains('linked')};
});
"""


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """One headless Chromium for the module, through Debian's chromedriver, offline."""
    missing = [str(p) for p in (CHROMIUM, CHROMEDRIVER) if not os.access(p, os.X_OK)]
    if missing:
        pytest.fail(
            f"the browser tests need Chromium and chromedriver; {', '.join(missing)} not "
            f"found: {INSTALL}",
            pytrace=False,
        )
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
        from selenium.webdriver.common.selenium_manager import SeleniumManager
    except ImportError:
        pytest.fail(
            "the browser tests need Selenium: python -m pip install -e '.[test]'", pytrace=False
        )

    def never(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("Selenium Manager was asked for a driver; it must not download one")

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for arg in (
        "--headless=new",
        "--no-sandbox",  # CI runs as root
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--window-size=1280,900",
        "--host-resolver-rules=MAP * ~NOTFOUND",  # no name resolves: nothing leaves the machine
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-domain-reliability",
        "--disable-client-side-phishing-detection",
        "--disable-features=OptimizationHints,MediaRouter,Translate,AutofillServerCommunication",
        "--no-first-run",
        "--no-default-browser-check",
        "--allow-file-access-from-files",
    ):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(SeleniumManager, "binary_paths", never)
        driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Review pages of the invented article: alone, and against a second annotator's pass."""
    root = tmp_path_factory.mktemp("review")
    annotation = art.write(root / "corpus")
    second, _ = art.second_pass()
    art.write(root / "second", second, text=False)
    write_review([annotation], root / "alone", corpus=())
    write_review([annotation], root / "against", against=root / "second", corpus=())
    return {
        "alone": root / "alone" / "articles" / f"{art.ID}.html",
        "against": root / "against" / "articles" / f"{art.ID}.html",
        "index": root / "against" / "index.html",
    }


def load(browser: Any, page: Path) -> list[dict[str, Any]]:
    """Open a page; fail on anything it logged to the console or fetched. Its marks."""
    browser.get_log("browser")  # drop what an earlier page left
    browser.get(page.as_uri())
    logged = [entry for entry in browser.get_log("browser") if entry["level"] != "DEBUG"]
    assert logged == [], logged
    fetched = browser.execute_script(
        "return performance.getEntriesByType('resource').map(function (r) { return r.name; })"
    )
    assert fetched == []
    return browser.execute_script(MARKS_JS)


def by_id(marks: list[dict[str, Any]], side: str = "a") -> dict[str, dict[str, Any]]:
    """A side's marks by id, the texts of a mark cut in pieces joined in document order."""
    out: dict[str, dict[str, Any]] = {}
    for m in marks:
        if m["side"] != side:
            continue
        if m["id"] in out:
            out[m["id"]]["text"] += m["text"]
        else:
            out[m["id"]] = dict(m)
    return out


def spans_of(doc: dict[str, Any]) -> set[tuple[str, str, int, int, str]]:
    found = {
        (layer, s["label"], s["start"], s["end"], s["text"])
        for layer in SPAN_LAYERS
        for s in doc[layer]
    }
    for q in doc["quotes"]:
        for part in QUOTE_PARTS:
            if q[part] is not None:
                found.add(("quotes", part, q[part]["start"], q[part]["end"], q[part]["text"]))
    return found


def test_the_page_loads_without_console_errors_and_shows_every_span(browser: Any, pages) -> None:
    marks = load(browser, pages["alone"])
    seen = {
        (m["layer"], m["label"], m["start"], m["end"], m["text"]) for m in by_id(marks).values()
    }
    assert seen == spans_of(art.annotation())
    assert all(m["shown"] and m["status"] == "manual" for m in marks)
    text = browser.execute_script(
        "return document.querySelector('.text[data-side=\"a\"]').textContent"
    )
    assert text == art.TEXT  # markup in the text stayed text, the emoji one character
    # The page's own script ran: no script of the article's did (it would have logged or
    # opened an alert, and Selenium would have failed on the alert).
    assert browser.execute_script("return document.querySelectorAll('script').length") == 1
    statuses = browser.execute_script(
        "return Array.from(document.querySelectorAll('[data-layer-status]'))"
        ".map(function (e) { return [e.dataset.layerStatus, e.dataset.status]; })"
    )
    assert statuses == [["boilerplate", "manual"], ["entities", "manual"], ["quotes", "manual"]]


def test_quote_parts_are_linked_by_colour_and_on_hover(browser: Any, pages) -> None:
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By

    marks = load(browser, pages["alone"])
    quotes = [m for m in marks if m["layer"] == "quotes"]
    colours = {}
    for m in quotes:
        colours.setdefault(m["quote"], set()).add(m["colour"])
    assert all(len(c) == 1 for c in colours.values())  # one colour per quote...
    assert len({next(iter(c)) for c in colours.values()}) == len(colours)  # ...each its own
    names = {m["quote"]: m["speakerName"] for m in quotes if m["label"] == "content"}
    assert names == {
        str(i): q["speaker_name"] for i, q in enumerate(art.annotation()["quotes"], start=1)
    }
    cue = browser.find_element(By.CSS_SELECTOR, '.mk[data-quote="2"][data-label="cue"]')
    ActionChains(browser).move_to_element(cue).perform()
    linked = {(m["quote"], m["label"]) for m in browser.execute_script(MARKS_JS) if m["linked"]}
    assert linked == {("2", "content"), ("2", "cue"), ("2", "speaker")}
    table = browser.find_element(By.CSS_SELECTOR, "table.quotes").text
    assert all(q["speaker_name"] in table for q in art.annotation()["quotes"])


@pytest.mark.parametrize("layer", LAYERS)
def test_a_toggle_hides_exactly_its_layers_marks(browser: Any, pages, layer: str) -> None:
    from selenium.webdriver.common.by import By

    load(browser, pages["against"])
    box = browser.find_element(By.CSS_SELECTOR, f'input[data-toggle="{layer}"]')
    box.click()
    marks = browser.execute_script(MARKS_JS)
    assert {m["layer"] for m in marks} == set(LAYERS)
    for m in marks:
        assert m["shown"] == (m["layer"] != layer), m
    texts = browser.execute_script(
        "return Array.from(document.querySelectorAll('.text')).map(function (e) "
        "{ return e.textContent; })"
    )
    assert texts == [art.TEXT, art.TEXT]  # the text stays; only the marks go
    box.click()
    assert all(m["shown"] for m in browser.execute_script(MARKS_JS))


def test_the_differences_are_exactly_the_differing_spans(browser: Any, pages) -> None:
    second, differences = art.second_pass()
    marks = load(browser, pages["against"])
    assert {
        (m["layer"], m["label"], m["start"], m["end"], m["text"])
        for m in by_id(marks, "b").values()
    } == spans_of(second)
    for side in ("a", "b"):
        mine = by_id(marks, side).values()
        outlined = {(m["layer"], m["label"], m["start"], m["end"]) for m in mine if m["outlined"]}
        assert outlined == differences[side]
        flagged = {
            (m["layer"], m["label"], m["start"], m["end"]) for m in mine if m["diff"] == "differs"
        }
        assert flagged == differences[side]
    counts = browser.execute_script(
        "return Array.from(document.querySelectorAll('[data-differences]'))"
        ".map(function (e) { return +e.dataset.differences; })"
    )
    assert counts == [3, 3]  # the mislabelled entity, the byline or the writer, one quote


def test_the_index_links_the_pages(browser: Any, pages) -> None:
    from selenium.webdriver.common.by import By

    load(browser, pages["index"])
    browser.find_element(By.LINK_TEXT, art.ID).click()
    assert Path(browser.current_url.removeprefix("file://")).resolve() == pages["against"]
    assert browser.get_log("browser") == []


def test_a_seed_article_page_is_not_blank(browser: Any, tmp_path: Path) -> None:
    from PIL import Image, ImageStat

    seeds = sorted(CORPUS.rglob("*.txt"))
    assert seeds, f"no seed article in {CORPUS}"
    out = tmp_path / "review"
    result = write_review([seeds[0]], out, corpus=())
    load(browser, result.pages[0])
    png = browser.get_screenshot_as_png()
    (tmp_path / "seed.png").write_bytes(png)  # kept with the test's files, to look at
    image = Image.open(io.BytesIO(png))
    image.load()
    assert image.format == "PNG" and image.size[0] >= 800 and image.size[1] >= 600
    grey = image.convert("L")
    assert ImageStat.Stat(grey).stddev[0] > 20  # not one flat colour
    colours = image.convert("RGB").getcolors(maxcolors=1 << 20)
    assert colours is not None and len(colours) > 50  # text, marks and badges in colour
    # Whatever the seed holds, its text is on the page.
    assert browser.execute_script("return document.querySelector('.text').textContent.length")
