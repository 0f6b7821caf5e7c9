"""Review pages: an article's annotations as a static HTML page, to look at rather than read.

``python build.py review PATH... --out DIR`` writes ``DIR/index.html`` and one
page per article, ``DIR/articles/<id>.html``. A page shows the article text
with boilerplate set apart by category, entities marked by label, and each
quote's content, cue and speaker linked by a number and a colour, with its
speaker_name; each layer says whether a person annotated it (``manual``) or
the automatic annotators filled it (``auto``, as the build fills it), and a
checkbox per layer hides its marks. With ``against``, a second annotation set
of the same articles (another annotator's pass, or the automatic annotators
alone) is shown beside the first, every span that has no identical twin on the
other side is marked, and the agreement of the two (:mod:`warta.agreement`) is
summed up per layer.

Pages are self-contained: inline CSS and script, no external assets, and a
Content-Security-Policy that lets the page load nothing, nor run any script
but its own. Every piece of text from the article or its annotation file is
HTML-escaped; the text is kept exact (``textContent`` of a span's marks is its
text), so the browser tests can compare the page with the annotation file.

Marks are ``<span class="mk">`` elements with data attributes: ``data-side``
(``a``, or ``b`` for the compared set), ``data-layer``, ``data-label`` (the
boilerplate category, entity label or quote part: ``content``, ``cue``,
``speaker``), ``data-id`` (one per span; a span that crosses another is cut
into several elements with the same id), ``data-start``/``data-end``,
``data-status`` and, when compared, ``data-diff`` (``same`` or ``differs``).
"""

from __future__ import annotations

import base64
import hashlib
import html
import itertools
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote as url_quote

from warta import schema
from warta.corpus import Article, ArticleFiles
from warta.problems import Problem, ordered
from warta.schema import (
    ANNOTATION,
    ENTITY,
    FURNITURE,
    LAYER,
    QUOTE,
    QUOTE_PARTS,
    QUOTES,
    SPAN_LAYERS,
    STATUS,
)

LAYERS = schema.LAYERS
COMMAND = "review"
CONTENT = QUOTE_PARTS[0]
# Quote colours cycle; neighbouring quotes never share one.
_QUOTE_COLOURS = ("#1f6feb", "#c2410c", "#15803d", "#9333ea", "#b45309", "#0e7490", "#be185d")
# A colour per label, given in the schema's order of each label set (a label the
# schema adds later takes the fallback colour until one is added here).
_ENTITY_PALETTE = ("#d9480f", "#1c7ed6", "#2b8a3e", "#ae3ec9", "#e67700")
_ENTITY_COLOURS = dict(zip(ENTITY, _ENTITY_PALETTE, strict=False))
_BOILERPLATE_PALETTE = ("#868e96", "#5c7cfa", "#f783ac", "#74c0fc", "#adb5bd", "#94d82d")
_BOILERPLATE_COLOURS = dict(zip(FURNITURE, _BOILERPLATE_PALETTE, strict=False))
_FALLBACK_COLOUR = "#495057"
# Nesting order of marks that start and end at the same places: boilerplate
# outermost, entities innermost (a speaker is often an entity too).
_RANK = {LAYER.boilerplate: 0, QUOTES: 1, LAYER.entities: 2}


class ReviewProblems(Exception):
    """Inputs the validator refused; nothing was written. ``problems`` says where and why."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = list(problems)


@dataclass
class Side:
    """One annotation set of an article: every layer, with who made it."""

    source: str  # what the reader is told this set is
    layers: dict[str, list[dict[str, Any]]]
    status: dict[str, str]


@dataclass
class Page:
    """One article's review: its text and one or two annotation sets."""

    article: Article
    a: Side
    b: Side | None = None


@dataclass
class ReviewResult:
    """What ``review`` wrote, and the warnings about its inputs."""

    out: Path
    pages: list[Path] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)


# --------------------------------------------------------------------------
# Reading and checking the inputs
# --------------------------------------------------------------------------


def _read(
    paths: Sequence[str | Path], against: str | Path | None
) -> tuple[list[tuple[Article, Article | None, str | None]], list[Problem]]:
    """The articles, each with its ``against`` annotation file if it has one, and all problems.

    Every file goes through the validator first: an annotation file with any
    error is refused with the validator's own messages, never shown half right.
    """
    from warta.validation import check_and_load, check_structure

    found, problems = check_structure(list(paths))
    folder = None if against is None else Path(against)
    if folder is not None and not folder.is_dir():
        what = "no such folder" if not folder.exists() else "is a file, not a folder"
        problems.append(
            Problem(
                str(folder),
                "path",
                f"--against {what}: give the folder of the other annotation files "
                "(or --against alone for the automatic annotators)",
                "path-missing" if not folder.exists() else "file-name",
            )
        )
        folder = None
    loaded = []
    for files in found:
        if files.txt_file is None:
            continue  # an orphan annotation file, reported by check_structure
        article, found_problems = check_and_load(files)
        problems += found_problems
        other = other_path = None
        if folder is not None:
            candidate = folder / f"{files.id}.json"
            if candidate.is_file():
                other_path = str(candidate)
                other, found_problems = check_and_load(
                    ArticleFiles(files.id, files.txt_file, other_path)
                )
                problems += found_problems
        if article is not None:
            loaded.append((article, other, other_path))
    if folder is not None and loaded and not any(path for _a, _b, path in loaded):
        ids = ", ".join(a.id for a, _b, _p in loaded[:3]) + (", ..." if len(loaded) > 3 else "")
        problems.append(
            Problem(
                str(folder),
                "path",
                f"no annotation file of these articles ({ids}) is in this folder; --against "
                "takes the folder of the other annotation files, named <id>.json",
                "corpus-empty",
            )
        )
    return loaded, problems


def _manual(annotation: Mapping[str, Any] | None) -> list[str]:
    return list((annotation or {}).get(ANNOTATION.manual) or [])


def load_pages(
    paths: Sequence[str | Path],
    against: str | Path | None = None,
    automatic: bool = False,
) -> tuple[list[Page], list[Problem]]:
    """Every article under ``paths`` with its annotation sets filled as the build fills them.

    The layers an annotation file does not list as manual are filled by the
    automatic annotators (the shipped entity model, as the build and ``draft``
    use). ``against`` is a folder of a second set of annotation files
    (``<id>.json``); an article without one there is compared with the
    automatic layers. ``automatic`` compares with the automatic annotators
    alone, as ``draft`` would write them.

    Raises :class:`ReviewProblems` when the validator finds an error; returns
    the pages and the warnings otherwise.
    """
    from warta.annotate import Annotators

    loaded, problems = _read(paths, against)
    # A faulty text is found through both annotation sets of its article: say it once.
    problems = ordered(dict.fromkeys(problems))
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise ReviewProblems(errors)
    warnings = [p for p in problems if p.severity == "warning"]
    annotators = Annotators()

    def side(source: str, text: str, annotation: Mapping[str, Any] | None) -> Side:
        manual = _manual(annotation)
        given = {layer: list((annotation or {}).get(layer) or []) for layer in LAYERS}
        layers, status = annotators.fill(text, given, manual)
        return Side(source, layers, status)

    pages = []
    for article, other, other_path in loaded:
        files = article.files
        source_a = files.json_file or f"{files.txt_file} (no annotation file)"
        page = Page(article, side(source_a, article.text, article.annotation))
        if automatic:
            source_b = "the automatic annotators alone (the shipped entity model)"
            page.b = side(source_b, article.text, None)
        elif against is not None:
            if other_path is None:
                source_b = f"{Path(against) / (files.id + '.json')} (none: automatic layers)"
            else:
                source_b = other_path
            annotation = other.annotation if other is not None else None
            page.b = side(source_b, article.text, annotation)
        pages.append(page)
    return pages, warnings


# --------------------------------------------------------------------------
# Differences
# --------------------------------------------------------------------------


def _range(span: Mapping[str, Any] | None) -> tuple[int, int] | None:
    return None if span is None else (span["start"], span["end"])


def span_key(layer: str, item: Mapping[str, Any]) -> tuple[Any, ...]:
    """What makes two items of a layer the same: offsets and label; for a quote, all of it.

    A quote's speaker_name is compared with whitespace runs collapsed, as
    :mod:`warta.agreement` compares it.
    """
    if layer == QUOTES:
        name = item.get(QUOTE.speaker_name)
        name = (" ".join(name.split()) or None) if isinstance(name, str) else None
        return tuple(
            _range(item.get(key))
            if key in QUOTE_PARTS
            else name
            if key == QUOTE.speaker_name
            else item.get(key)
            for key in QUOTE
        )
    return (item["start"], item["end"], item["label"])


def differing(
    layer: str, a: Sequence[Mapping[str, Any]], b: Sequence[Mapping[str, Any]]
) -> tuple[list[bool], list[bool]]:
    """For each item of ``a`` and of ``b``: True if the other side has no identical twin left.

    Twins are paired one to one, so an item given twice on one side and once
    on the other differs once.
    """

    def marks(mine: Sequence[Mapping[str, Any]], theirs: Sequence[Mapping[str, Any]]) -> list[bool]:
        left = Counter(span_key(layer, item) for item in theirs)
        out = []
        for item in mine:
            key = span_key(layer, item)
            out.append(left[key] <= 0)
            left[key] -= 1
        return out

    return marks(a, b), marks(b, a)


# --------------------------------------------------------------------------
# Rendering
# --------------------------------------------------------------------------


def esc(value: object) -> str:
    """Text or an attribute value made safe for HTML, quotes included.

    A character UTF-8 cannot carry (a lone surrogate) becomes ``?`` rather
    than breaking the page.
    """
    text = str(value)
    if not text.isascii():
        text = text.encode("utf-8", "replace").decode("utf-8", "replace")
    return html.escape(text, quote=True)


@dataclass
class _Mark:
    start: int
    end: int
    layer: str
    label: str
    id: str
    attrs: dict[str, str]
    classes: str = ""
    badge: str | None = None


def _marks(side: Side, key: str, diffs: Mapping[str, list[bool]] | None) -> list[_Mark]:
    """Every span of one annotation set as marks with their data attributes."""
    out: list[_Mark] = []

    def common(layer: str, index: int) -> dict[str, str]:
        attrs = {"data-status": side.status.get(layer, STATUS.none)}
        if diffs is not None:
            attrs["data-diff"] = "differs" if diffs[layer][index] else "same"
        return attrs

    for layer in SPAN_LAYERS:
        for i, span in enumerate(side.layers.get(layer, [])):
            out.append(
                _Mark(
                    span["start"],
                    span["end"],
                    layer,
                    span["label"],
                    f"{key}-{layer[0]}{i}",
                    common(layer, i),
                    badge=span["label"],
                )
            )
    for i, quote in enumerate(side.layers.get(QUOTES, [])):
        number = i + 1
        for part in QUOTE_PARTS:
            span = quote.get(part)
            if span is None:
                continue
            attrs = common(QUOTES, i)
            attrs["data-quote"] = str(number)
            kind = quote.get(QUOTE.kind)
            attrs["data-kind"] = str(kind)
            if part == CONTENT:
                name = quote.get(QUOTE.speaker_name)
                attrs["data-speaker-name"] = "" if name is None else str(name)
                badge = f"Q{number} {kind} · {name if name else 'no speaker name'}"
            else:
                badge = f"Q{number} {part}"
            out.append(
                _Mark(
                    span["start"],
                    span["end"],
                    QUOTES,
                    part,
                    f"{key}-q{i}-{part}",
                    attrs,
                    classes=f" q{i % len(_QUOTE_COLOURS)}",
                    badge=badge,
                )
            )
    return out


def _open_tag(mark: _Mark, side_key: str, first: bool, badge: bool) -> str:
    attrs = {
        "class": "mk" + mark.classes,
        "data-side": side_key,
        "data-layer": mark.layer,
        "data-label": mark.label,
        "data-id": mark.id,
        "data-start": str(mark.start),
        "data-end": str(mark.end),
        **mark.attrs,
    }
    if badge and mark.badge is not None:
        attrs["data-badge"] = mark.badge
    if not first:
        attrs["data-continued"] = ""
    return "<span " + " ".join(f'{k}="{esc(v)}"' for k, v in attrs.items()) + ">"


def render_text(text: str, marks: Sequence[_Mark], side_key: str) -> str:
    """The text as HTML with every mark as nested elements.

    The text is cut at every mark's edge; each piece is wrapped in the marks
    covering it, outer ones first (earlier start, then later end, then
    boilerplate, quotes, entities). A mark that crosses another is closed and
    reopened around it, so it becomes several elements sharing its ``data-id``;
    its label badge goes on the first of them (on the last for an entity,
    whose badge follows it).
    """
    order = sorted(
        range(len(marks)),
        key=lambda i: (marks[i].start, -marks[i].end, _RANK[marks[i].layer], marks[i].id),
    )
    rank = {index: place for place, index in enumerate(order)}
    cuts = sorted({0, len(text)} | {m.start for m in marks} | {m.end for m in marks})
    starting: dict[int, list[int]] = {}
    for i, m in enumerate(marks):
        starting.setdefault(m.start, []).append(i)
    active: set[int] = set()
    stack: list[int] = []
    parts: list[str] = []
    fragments: dict[int, list[int]] = {}  # mark -> where in parts each of its elements opens
    for lo, hi in itertools.pairwise(cuts):
        active = {i for i in active if marks[i].end > lo} | set(starting.get(lo, ()))
        wanted = sorted(active, key=rank.__getitem__)
        keep = 0
        while keep < min(len(stack), len(wanted)) and stack[keep] == wanted[keep]:
            keep += 1
        parts.extend("</span>" for _ in stack[keep:])
        for i in wanted[keep:]:
            fragments.setdefault(i, []).append(len(parts))
            parts.append("")
        stack = wanted
        parts.append(esc(text[lo:hi]))
    parts.extend("</span>" for _ in stack)
    for i, places in fragments.items():
        badged = places[-1] if marks[i].layer == LAYER.entities else places[0]
        for place in places:
            parts[place] = _open_tag(marks[i], side_key, place == places[0], place == badged)
    return "".join(parts)


def _counts(layer: str, items: Sequence[Mapping[str, Any]]) -> str:
    if not items:
        return "nothing"
    if layer == QUOTES:
        by = Counter(str(q.get(QUOTE.kind)) for q in items)
        noun = "quote" if len(items) == 1 else "quotes"
    else:
        by = Counter(str(s["label"]) for s in items)
        noun = "span" if len(items) == 1 else "spans"
    detail = ", ".join(f"{n} {label}" for label, n in sorted(by.items()))
    return f"{len(items)} {noun} ({detail})"


def _status_list(side: Side) -> str:
    rows = []
    for layer in LAYERS:
        status = side.status.get(layer, STATUS.none)
        items = side.layers.get(layer, [])
        rows.append(
            f'<li data-layer-status="{esc(layer)}" data-status="{esc(status)}">'
            f'<b>{esc(layer)}</b> <span class="st st-{esc(status)}">{esc(status)}</span> '
            f"{esc(_counts(layer, items))}</li>"
        )
    return '<ul class="layers">' + "".join(rows) + "</ul>"


def _span_text(span: Mapping[str, Any] | None) -> str:
    return "—" if span is None else esc(span["text"])


def _quote_table(side: Side, side_key: str, diffs: Sequence[bool] | None) -> str:
    quotes = side.layers.get(QUOTES, [])
    if not quotes:
        return ""
    rows = []
    for i, q in enumerate(quotes):
        name = q.get(QUOTE.speaker_name)
        differs = "" if diffs is None else f' data-diff="{"differs" if diffs[i] else "same"}"'
        rows.append(
            f'<tr class="q{i % len(_QUOTE_COLOURS)}" data-quote-row="{i + 1}"'
            f' data-side="{side_key}"{differs}>'
            f'<td><span class="chip">Q{i + 1}</span></td><td>{esc(q.get(QUOTE.kind))}</td>'
            f"<td>{esc(name) if name else '<i>none</i>'}</td>"
            f"<td>{_span_text(q.get(QUOTE.speaker))}</td><td>{_span_text(q.get(QUOTE.cue))}</td>"
            f"<td>{_span_text(q.get(QUOTE.content))}</td></tr>"
        )
    return (
        '<table class="quotes"><caption>Quotes</caption><thead><tr><th>#</th><th>kind</th>'
        "<th>speaker_name</th><th>speaker</th><th>cue</th><th>content</th></tr></thead><tbody>"
        + "".join(rows)
        + "</tbody></table>"
    )


def _number(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def agreement_table(report: Any) -> str:
    """The agreement of B with A, layer by layer, as an HTML table (A is the reference)."""
    rows = []
    for layer, scores in report.to_dict().items():
        if not isinstance(scores, dict):
            continue
        flat: list[tuple[str, dict[str, Any]]] = []
        for name, value in scores.items():
            if name == "per_label":
                flat += [(f"exact {label}", v) for label, v in value.items()]
            else:
                flat.append((name, value))
        for name, value in flat:
            where = f"{layer}.{name.replace(' ', '.')}"
            if "f1" in value:
                cells = (
                    f'<td data-metric="{esc(where)}.precision">{_number(value["precision"])}</td>'
                    f'<td data-metric="{esc(where)}.recall">{_number(value["recall"])}</td>'
                    f'<td data-metric="{esc(where)}.f1">{_number(value["f1"])}</td>'
                    f"<td>{value['tp']:g} / {value['fp']:g} / {value['fn']:g}</td>"
                )
            else:
                cells = (
                    f'<td colspan="2"></td><td data-metric="{esc(where)}.accuracy">'
                    f"{_number(value['accuracy'])}</td><td>{value['correct']} of {value['n']}</td>"
                )
            rows.append(f"<tr><th>{esc(layer)}</th><td>{esc(name)}</td>{cells}</tr>")
    return (
        '<table class="agreement"><caption>Agreement of B with A (A as reference; '
        "boilerplate per character, whitespace ignored)</caption><thead><tr><th>layer</th>"
        "<th>measure</th><th>P</th><th>R</th><th>F1 / accuracy</th><th>TP / FP / FN</th>"
        "</tr></thead><tbody>" + "".join(rows) + "</tbody></table>"
    )


def _colour_rules() -> str:
    rules = []
    for label in schema.labels("boilerplate_label"):
        colour = _BOILERPLATE_COLOURS.get(label, _FALLBACK_COLOUR)
        rules.append(f'.mk[data-layer="boilerplate"][data-label="{label}"]{{--c:{colour}}}')
    for label in schema.labels("entity_label"):
        colour = _ENTITY_COLOURS.get(label, _FALLBACK_COLOUR)
        rules.append(f'.mk[data-layer="entities"][data-label="{label}"]{{--c:{colour}}}')
    rules += [f".q{i}{{--q:{colour}}}" for i, colour in enumerate(_QUOTE_COLOURS)]
    for layer in LAYERS:
        sel = f'.off-{layer} .mk[data-layer="{layer}"]'
        rules.append(
            f"{sel}{{background:transparent;border-color:transparent;outline:none;"
            f"box-shadow:none;color:inherit}}{sel}::before,{sel}::after{{content:none}}"
        )
    return "\n".join(rules)


_CSS = """
:root{font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1d1d1f;
  background:#f4f4f1}
body{margin:0}
header{position:sticky;top:0;z-index:3;background:#fff;border-bottom:1px solid #d8d8d3;
  padding:.6rem 1rem}
header h1{font-size:1.15rem;margin:0 0 .2rem}
header p{margin:.1rem 0;color:#555}
a{color:#1558b0}
.toggles{display:flex;flex-wrap:wrap;gap:.4rem 1.2rem;align-items:center;margin-top:.4rem}
.toggles label{cursor:pointer}
.legend{font-size:.8rem;color:#555}
main{display:grid;gap:1rem;padding:1rem}
main.two{grid-template-columns:minmax(0,1fr) minmax(0,1fr)}
.side{background:#fff;border:1px solid #d8d8d3;border-radius:6px;padding:.6rem 1rem;min-width:0}
.side h2{font-size:1rem;margin:.2rem 0;overflow-wrap:anywhere}
ul.layers{list-style:none;padding:0;margin:.2rem 0 .8rem;font-size:.85rem}
.st{display:inline-block;border-radius:3px;padding:0 .35rem;font-size:.75rem;font-weight:600}
.st-manual{background:#d3f9d8;color:#2b8a3e}
.st-auto{background:#fff3bf;color:#8a6100}
.st-none{background:#eee;color:#666}
.text{white-space:pre-wrap;overflow-wrap:anywhere;line-height:2.2;font-size:1rem}
.mk{border-radius:3px}
.mk::before,.mk::after{font-size:.62rem;font-weight:700;line-height:1;vertical-align:super;
  padding:0 .15rem;border-radius:2px;white-space:nowrap}
.mk[data-layer="boilerplate"]{background:#ecebe6;color:#666;border-left:4px solid var(--c);
  padding-left:.2rem}
.mk[data-layer="boilerplate"][data-badge]::before{content:attr(data-badge);color:#fff;
  background:var(--c);margin-right:.3rem;text-transform:uppercase;letter-spacing:.03em}
.mk[data-layer="entities"]{background:color-mix(in srgb,var(--c) 16%,#fff);
  border-bottom:2px solid var(--c)}
.mk[data-layer="entities"][data-badge]::after{content:attr(data-badge);color:var(--c)}
.mk[data-layer="quotes"][data-label="content"]{background:color-mix(in srgb,var(--q) 9%,#fff);
  border-bottom:2px solid var(--q)}
.mk[data-layer="quotes"][data-label="cue"]{background:color-mix(in srgb,var(--q) 24%,#fff);
  border:1px dashed var(--q)}
.mk[data-layer="quotes"][data-label="speaker"]{background:color-mix(in srgb,var(--q) 24%,#fff);
  border:2px solid var(--q)}
.mk[data-layer="quotes"][data-badge]::before{content:attr(data-badge);color:#fff;
  background:var(--q);margin-right:.15rem}
.mk[data-status="auto"]{border-bottom-style:dashed}
.mk.linked{box-shadow:0 0 0 3px color-mix(in srgb,var(--q) 45%,transparent)}
.mk[data-diff="differs"]{outline:2px solid #e03131;outline-offset:1px}
table{border-collapse:collapse;font-size:.85rem;margin:.8rem 0;width:100%}
caption{text-align:left;font-weight:600;padding:.2rem 0}
th,td{border:1px solid #e2e2dc;padding:.2rem .4rem;text-align:left;vertical-align:top}
.chip{display:inline-block;color:#fff;background:var(--q);border-radius:3px;padding:0 .3rem;
  font-weight:700}
tr[data-diff="differs"] td:first-child{outline:2px solid #e03131}
.summary{padding:0 1rem 1rem}
.summary .side{max-width:60rem}
.diffs{color:#c92a2a;font-weight:600}
"""

_SCRIPT = """
(function () {
  "use strict";
  var body = document.body;
  document.querySelectorAll("input[data-toggle]").forEach(function (box) {
    function apply() { body.classList.toggle("off-" + box.dataset.toggle, !box.checked); }
    box.addEventListener("change", apply);
    apply();
  });
  function link(event, on) {
    var mark = event.target.closest ? event.target.closest(".mk[data-quote]") : null;
    if (!mark) { return; }
    var selector = '.mk[data-side="' + mark.dataset.side + '"][data-quote="' +
      mark.dataset.quote + '"]';
    document.querySelectorAll(selector).forEach(function (part) {
      part.classList.toggle("linked", on);
    });
  }
  document.addEventListener("mouseover", function (event) { link(event, true); });
  document.addEventListener("mouseout", function (event) { link(event, false); });
})();
"""


def _digest(source: str) -> str:
    return base64.b64encode(hashlib.sha256(source.encode("utf-8")).digest()).decode("ascii")


def _document(title: str, body: str, body_class: str = "", script: bool = False) -> str:
    """A whole HTML document: inline style (and script), allowed by hash and nothing else."""
    css = _CSS + _colour_rules() + "\n"
    policy = f"default-src 'none'; style-src 'sha256-{_digest(css)}'"
    if script:
        policy += f"; script-src 'sha256-{_digest(_SCRIPT)}'"
    klass = f' class="{esc(body_class)}"' if body_class else ""
    return (
        "<!DOCTYPE html>\n"
        '<html lang="id">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{policy}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="referrer" content="no-referrer">\n'
        f"<title>{esc(title)}</title>\n<style>{css}</style>\n</head>\n"
        f"<body{klass}>\n{body}\n"
        + (f"<script>{_SCRIPT}</script>\n" if script else "")
        + "</body>\n</html>\n"
    )


def _metadata(article: Article, side: Side) -> str:
    meta = (article.annotation or {}).get("metadata") or {}
    shown = []
    for key in ("title", "outlet", "published", "url", "story"):
        value = meta.get(key)
        if value:
            shown.append(f"<span>{esc(key)}: <b>{esc(value)}</b></span>")
    return "<p>" + " · ".join(shown) + "</p>" if shown else ""


def _toggles() -> str:
    boxes = "".join(
        f'<label><input type="checkbox" data-toggle="{esc(layer)}" checked> {esc(layer)}</label>'
        for layer in LAYERS
    )
    legend = (
        '<span class="legend">dashed underline: automatic layer · Qn: a quote\'s content, cue '
        "and speaker (hover to link them)"
    )
    return f'<div class="toggles"><span>show:</span>{boxes}{legend}</span></div>'


def _diffs(page: Page) -> dict[str, tuple[list[bool], list[bool]]] | None:
    if page.b is None:
        return None
    return {
        layer: differing(layer, page.a.layers.get(layer, []), page.b.layers.get(layer, []))
        for layer in LAYERS
    }


def _report(pages: Iterable[Page]) -> Any:
    from warta.agreement import compare

    return compare((p.article.text, p.a.layers, p.b.layers) for p in pages if p.b is not None)


def render_page(page: Page) -> str:
    """The review page of one article (links back to ``../index.html``)."""
    article = page.article
    diffs = _diffs(page)
    sides = [("a", page.a)] + ([("b", page.b)] if page.b is not None else [])
    columns = []
    for key, side in sides:
        side_diffs = (
            None
            if diffs is None
            else {layer: pair[0 if key == "a" else 1] for layer, pair in diffs.items()}
        )
        marks = _marks(side, key, side_diffs)
        changed = ""
        if side_diffs is not None:
            n = sum(sum(flags) for flags in side_diffs.values())
            changed = (
                f'<p class="diffs" data-differences="{n}">{n} item(s) with no identical '
                "twin on the other side (outlined in red)</p>"
            )
        heading = f"{key.upper()}: {side.source}" if page.b is not None else side.source
        columns.append(
            f'<section class="side" data-side="{key}"><h2>{esc(heading)}</h2>'
            f"{_status_list(side)}{changed}"
            f'<div class="text" data-side="{key}">{render_text(article.text, marks, key)}</div>'
            f"{_quote_table(side, key, None if side_diffs is None else side_diffs[QUOTES])}"
            "</section>"
        )
    summary = ""
    if page.b is not None:
        summary = f'<section class="summary">{agreement_table(_report([page]))}</section>'
    header = (
        f'<header><a href="../index.html">← all articles</a><h1>{esc(article.id)}</h1>'
        f"{_metadata(article, page.a)}{_toggles()}</header>"
    )
    layout = "two" if page.b is not None else "one"
    body = f'{header}<main class="{layout}">{"".join(columns)}</main>{summary}'
    return _document(f"{article.id} — Warta review", body, script=True)


def _index_cell(page: Page, layer: str, diffs: Mapping[str, Any] | None) -> str:
    def one(side: Side) -> str:
        return f"{side.status.get(layer, STATUS.none)} {len(side.layers.get(layer, []))}"

    if page.b is None or diffs is None:
        return f"<td>{esc(one(page.a))}</td>"
    a_flags, b_flags = diffs[layer]
    n = sum(a_flags) + sum(b_flags)
    mark = f' <span class="diffs">{n} differ</span>' if n else ""
    return f"<td>{esc(one(page.a))} / {esc(one(page.b))}{mark}</td>"


def render_index(pages: Sequence[Page]) -> str:
    """The index: every article with its layers' status and counts, and the agreement of all."""
    compared = any(p.b is not None for p in pages)
    rows = []
    for page in pages:
        article = page.article
        title = ((article.annotation or {}).get("metadata") or {}).get("title") or ""
        diffs = _diffs(page)
        cells = "".join(_index_cell(page, layer, diffs) for layer in LAYERS)
        rows.append(
            f'<tr data-article="{esc(article.id)}"><td><a href="articles/'
            f'{esc(url_quote(article.id))}.html">{esc(article.id)}</a></td>'
            f"<td>{esc(title)}</td>{cells}</tr>"
        )
    heads = "".join(f"<th>{esc(layer)}</th>" for layer in LAYERS)
    note = (
        "Each layer: status and number of items, A / B, and how many have no identical twin "
        "on the other side."
        if compared
        else "Each layer: status (manual: a person annotated it; auto: the automatic "
        "annotators) and number of items."
    )
    summary = ""
    if compared:
        summary = f'<section class="summary">{agreement_table(_report(pages))}</section>'
    body = (
        f"<header><h1>Warta review: {len(pages)} article(s)</h1><p>{esc(note)}</p></header>"
        f'<main class="one"><section class="side"><table class="index"><thead><tr>'
        f"<th>article</th><th>title</th>{heads}</tr></thead><tbody>{''.join(rows)}</tbody>"
        f"</table></section></main>{summary}"
    )
    return _document("Warta review", body)


# --------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------


def _read_folders(
    paths: Sequence[str | Path], against: str | Path | None, corpus: Sequence[str | Path]
) -> list[Path]:
    """Every folder review reads: never written, nor anything inside or around it."""
    folders = []
    for path in [*paths, *([against] if against is not None else []), *corpus]:
        p = Path(path)
        folders.append(p if p.is_dir() or p.suffix not in (".txt", ".json") else p.parent)
    return folders


def write_review(
    paths: Sequence[str | Path],
    out: str | Path,
    against: str | Path | None = None,
    automatic: bool = False,
    corpus: Sequence[str | Path] = ("corpus",),
    on_page: Callable[[Path], object] = lambda _path: None,
) -> ReviewResult:
    """Write the review pages of the articles under ``paths`` into ``out``, whole or not at all.

    ``out`` must be new, empty or an earlier review's (checked before any
    work, :func:`warta.outputs.claim_folder`); the folders read are never
    written. See :func:`load_pages` for ``against``, ``automatic`` and
    ``corpus``.
    """
    from warta.outputs import claim_folder, staging

    target = claim_folder(out, COMMAND, _read_folders(paths, against, corpus))
    pages, warnings = load_pages(paths, against, automatic)
    result = ReviewResult(target, warnings=warnings)
    with staging(target, COMMAND) as tmp:
        (tmp / "articles").mkdir()
        for page in pages:
            path = tmp / "articles" / f"{page.article.id}.html"
            path.write_text(render_page(page), encoding="utf-8")
            result.pages.append(target / "articles" / path.name)
            on_page(path)
        (tmp / "index.html").write_text(render_index(pages), encoding="utf-8")
    return result
