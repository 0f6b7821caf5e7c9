"""Agreement between two annotation sets of the same articles.

Used to measure inter-annotator agreement (annotator A against B) and the
quality of the automatic annotators (manual reference against auto output).
Both sides are dicts in the annotation-file shape (schema/annotation.schema.json):
``"boilerplate"``, ``"entities"`` and ``"quotes"`` lists of spans with
``start``/``end`` offsets into the article text.

Scores are micro averages: counts are summed over all articles first, so a
long article weighs more than a short one, and an article with nothing to
annotate adds nothing instead of an undefined ratio.

- Boilerplate is scored per character (docs/GUIDELINES.md, section 2), counting only
  non-whitespace characters, so that where a span's edge falls among spaces
  and line breaks does not matter.
- Entities are scored by exact ``(start, end, label)`` match, by
  ``(start, end)`` alone (boundaries right, type possibly wrong), and per label.
- Quotes are matched by content span, exactly and by a one-to-one overlap
  matching; cue, speaker and speaker_name are then scored on the overlap
  matches as accuracies.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from warta import schema
from warta.problems import Problem
from warta.schema import LAYER, QUOTE, QUOTE_KIND, QUOTE_PARTS, QUOTES

LAYERS: tuple[str, ...] = schema.LAYERS
CONTENT = QUOTE_PARTS[0]
"""The part quotes are matched by (their content)."""
ATTRIBUTES = tuple(name for name in QUOTE if name != CONTENT)
"""What is compared on matched quotes: kind, cue, speaker, speaker_name."""


# --------------------------------------------------------------------------
# Score containers
# --------------------------------------------------------------------------


def _ratio(num: float, den: float) -> float | None:
    """``num / den``, or None when the denominator is zero (undefined, not 0)."""
    return num / den if den else None


@dataclass
class PRF:
    """True/false positive and false negative counts, with the ratios from them.

    A ratio whose denominator is zero is None (shown as ``n/a``): with nothing
    predicted, precision is undefined rather than perfect or zero.
    """

    tp: float = 0
    fp: float = 0
    fn: float = 0

    def __add__(self, other: PRF) -> PRF:
        return PRF(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)

    @property
    def precision(self) -> float | None:
        """TP / (TP + FP); None when nothing was predicted."""
        return _ratio(self.tp, self.tp + self.fp)

    @property
    def recall(self) -> float | None:
        """TP / (TP + FN); None when there is nothing in the reference."""
        return _ratio(self.tp, self.tp + self.fn)

    @property
    def f1(self) -> float | None:
        """2TP / (2TP + FP + FN), the harmonic mean of P and R; None when all counts are 0.

        Written this way it is also defined (as 0.0) when only one of P and R
        is, e.g. predictions where the reference has none.
        """
        return _ratio(2 * self.tp, 2 * self.tp + self.fp + self.fn)

    def to_dict(self) -> dict[str, float | None]:
        """Counts and ratios as JSON-ready numbers (None for undefined ratios)."""
        return {
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "precision": self.precision,
            "recall": self.recall,
            "f1": self.f1,
        }


@dataclass
class Accuracy:
    """Share of matched items that agree on one attribute; None when n is 0."""

    correct: int = 0
    n: int = 0

    def __add__(self, other: Accuracy) -> Accuracy:
        return Accuracy(self.correct + other.correct, self.n + other.n)

    @property
    def accuracy(self) -> float | None:
        """correct / n; None when nothing was matched to compare."""
        return _ratio(self.correct, self.n)

    def to_dict(self) -> dict[str, float | None]:
        """Counts and the ratio as JSON-ready numbers."""
        return {"correct": self.correct, "n": self.n, "accuracy": self.accuracy}


@dataclass
class BoilerplateScores:
    """Character-level agreement on the boilerplate layer (non-whitespace only)."""

    unlabelled: PRF = field(default_factory=PRF)
    labelled: PRF = field(default_factory=PRF)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready numbers."""
        return {"unlabelled": self.unlabelled.to_dict(), "labelled": self.labelled.to_dict()}


@dataclass
class EntityScores:
    """Span agreement on the entity layer: exact, span-only and per label."""

    exact: PRF = field(default_factory=PRF)
    span: PRF = field(default_factory=PRF)
    per_label: dict[str, PRF] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready numbers; labels sorted for stable output."""
        return {
            "exact": self.exact.to_dict(),
            "span": self.span.to_dict(),
            "per_label": {k: self.per_label[k].to_dict() for k in sorted(self.per_label)},
        }


@dataclass
class QuoteScores:
    """Quote agreement: content matching, then attributes of the overlap matches."""

    exact: PRF = field(default_factory=PRF)
    overlap: PRF = field(default_factory=PRF)
    per_kind: dict[str, PRF] = field(default_factory=lambda: {k: PRF() for k in QUOTE_KIND})
    """Exact content match among the quotes of each kind."""
    agree: dict[str, Accuracy] = field(
        default_factory=lambda: {name: Accuracy() for name in ATTRIBUTES}
    )
    """Each attribute's accuracy on the overlap matches."""

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready numbers: exact, overlap, then each kind and each attribute by name."""
        out = {"exact": self.exact.to_dict(), "overlap": self.overlap.to_dict()}
        out.update({kind: prf.to_dict() for kind, prf in self.per_kind.items()})
        out.update({name: acc.to_dict() for name, acc in self.agree.items()})
        return out


@dataclass
class Report:
    """Scores of every compared layer; a layer not asked for is None."""

    articles: int = 0
    boilerplate: BoilerplateScores | None = None
    entities: EntityScores | None = None
    quotes: QuoteScores | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready numbers for the dataset card and tests; skipped layers are left out."""
        out: dict[str, Any] = {"articles": self.articles}
        for name in LAYERS:
            scores = getattr(self, name)
            if scores is not None:
                out[name] = scores.to_dict()
        return out


# --------------------------------------------------------------------------
# Reading spans
# --------------------------------------------------------------------------


def _items(annotation: Mapping, layer: str) -> Sequence[Mapping]:
    """The spans of one layer; a missing or null layer counts as empty."""
    return annotation.get(layer) or []


def _offsets(span: Mapping, text: str, where: str) -> tuple[int, int]:
    """``(start, end)`` of a span, refusing offsets that do not fit the text.

    Out-of-range offsets mean the annotation was made on another text; scoring
    it anyway would give silently wrong numbers.
    """
    start, end = span["start"], span["end"]
    if not (isinstance(start, int) and isinstance(end, int) and 0 <= start <= end <= len(text)):
        raise ValueError(
            f"{where}: span [{start}, {end}) does not fit a text of {len(text)} characters"
        )
    return start, end


def _opt_offsets(span: Mapping | None, text: str, where: str) -> tuple[int, int] | None:
    """Offsets of an optional span (cue, speaker), None when it is null."""
    return None if span is None else _offsets(span, text, where)


def _collapse(name: str | None) -> str | None:
    """A speaker_name with whitespace runs collapsed; empty counts as null."""
    if name is None:
        return None
    return " ".join(name.split()) or None


def _multiset_prf(gold: Counter, pred: Counter) -> PRF:
    """PRF of two multisets: a duplicate prediction is one more false positive."""
    tp = sum((gold & pred).values())
    return PRF(tp, sum(pred.values()) - tp, sum(gold.values()) - tp)


# --------------------------------------------------------------------------
# Layers
# --------------------------------------------------------------------------


def _char_labels(text: str, spans: Sequence[Mapping], where: str) -> list[str | None]:
    """The boilerplate label of every character (None for content)."""
    labels: list[str | None] = [None] * len(text)
    for i, span in enumerate(spans):
        start, end = _offsets(span, text, f"{where}[{i}]")
        labels[start:end] = [span["label"]] * (end - start)
    return labels


def _score_boilerplate(
    text: str, gold: Sequence[Mapping], pred: Sequence[Mapping], into: BoilerplateScores
) -> None:
    """Add one article's character counts, skipping whitespace characters."""
    g_labels = _char_labels(text, gold, "gold boilerplate")
    p_labels = _char_labels(text, pred, "pred boilerplate")
    u_tp = u_fp = u_fn = l_tp = l_fp = l_fn = 0
    for ch, g, p in zip(text, g_labels, p_labels, strict=True):
        if ch.isspace() or (g is None and p is None):
            continue
        if g is not None and p is not None:
            u_tp += 1
            if g == p:
                l_tp += 1
            else:  # wrong label: a false positive for pred's, a miss of gold's
                l_fp += 1
                l_fn += 1
        elif p is not None:
            u_fp += 1
            l_fp += 1
        else:
            u_fn += 1
            l_fn += 1
    into.unlabelled += PRF(u_tp, u_fp, u_fn)
    into.labelled += PRF(l_tp, l_fp, l_fn)


def _score_entities(
    text: str, gold: Sequence[Mapping], pred: Sequence[Mapping], into: EntityScores
) -> None:
    """Add one article's exact, span-only and per-label entity counts."""

    def triples(spans: Sequence[Mapping], where: str) -> Counter:
        return Counter(
            (*_offsets(s, text, f"{where}[{i}]"), s["label"]) for i, s in enumerate(spans)
        )

    g, p = triples(gold, "gold entities"), triples(pred, "pred entities")
    into.exact += _multiset_prf(g, p)

    def spans_only(c: Counter) -> Counter:
        out: Counter = Counter()
        for (start, end, _label), k in c.items():
            out[(start, end)] += k
        return out

    into.span += _multiset_prf(spans_only(g), spans_only(p))
    for label in {t[2] for t in g} | {t[2] for t in p}:
        g_l = Counter({t: k for t, k in g.items() if t[2] == label})
        p_l = Counter({t: k for t, k in p.items() if t[2] == label})
        into.per_label[label] = into.per_label.get(label, PRF()) + _multiset_prf(g_l, p_l)


def _read_quotes(text: str, quotes: Sequence[Mapping], where: str) -> list[dict[str, Any]]:
    """Quotes of one side, read once and checked against the text: each field by name,
    the parts as ``(start, end)`` (the content required, the others may be null)."""
    out = []
    for i, q in enumerate(quotes):
        w = f"{where}[{i}]"
        read = {CONTENT: _offsets(q[CONTENT], text, f"{w}.{CONTENT}")}
        for part in QUOTE_PARTS[1:]:
            read[part] = _opt_offsets(q.get(part), text, f"{w}.{part}")
        read[QUOTE.kind] = q.get(QUOTE.kind)
        read[QUOTE.speaker_name] = _collapse(q.get(QUOTE.speaker_name))
        out.append(read)
    return out


def match_overlapping(
    gold: Sequence[tuple[int, int]], pred: Sequence[tuple[int, int]]
) -> list[tuple[int, int]]:
    """One-to-one matching of spans that share at least one character.

    Greedy: the pair with the largest overlap is taken first, ties going to the
    earliest gold start, then the earliest pred start. Returns ``(gold index,
    pred index)`` pairs. One-to-one, so a gold quote split in two by a
    prediction gives one hit and one false positive, not two hits.
    """
    candidates = []
    for gi, (gs, ge) in enumerate(gold):
        for pi, (ps, pe) in enumerate(pred):
            overlap = min(ge, pe) - max(gs, ps)
            if overlap > 0:
                candidates.append((-overlap, gs, ps, gi, pi))
    candidates.sort()
    used_g: set[int] = set()
    used_p: set[int] = set()
    pairs = []
    for _neg, _gs, _ps, gi, pi in candidates:
        if gi not in used_g and pi not in used_p:
            used_g.add(gi)
            used_p.add(pi)
            pairs.append((gi, pi))
    return pairs


def _kind_prf(gold: Sequence[Mapping], pred: Sequence[Mapping], kind: str) -> PRF:
    """Exact content match among the quotes of one kind on both sides."""
    return _multiset_prf(
        Counter(q[CONTENT] for q in gold if q[QUOTE.kind] == kind),
        Counter(q[CONTENT] for q in pred if q[QUOTE.kind] == kind),
    )


def _agree(correct: bool) -> Accuracy:
    """One compared item, agreeing or not."""
    return Accuracy(int(correct), 1)


def _score_quotes(
    text: str, gold: Sequence[Mapping], pred: Sequence[Mapping], into: QuoteScores
) -> None:
    """Add one article's content matches and attribute agreements."""
    g = _read_quotes(text, gold, "gold quotes")
    p = _read_quotes(text, pred, "pred quotes")
    into.exact += _multiset_prf(Counter(q[CONTENT] for q in g), Counter(q[CONTENT] for q in p))
    for kind in into.per_kind:
        into.per_kind[kind] += _kind_prf(g, p, kind)
    pairs = match_overlapping([q[CONTENT] for q in g], [q[CONTENT] for q in p])
    into.overlap += PRF(len(pairs), len(p) - len(pairs), len(g) - len(pairs))
    for gi, pi in pairs:
        for name in ATTRIBUTES:
            into.agree[name] += _agree(g[gi][name] == p[pi][name])


_SCORERS: dict[str, tuple[Callable[[], Any], Callable[..., None]]] = {
    LAYER.boilerplate: (BoilerplateScores, _score_boilerplate),
    LAYER.entities: (EntityScores, _score_entities),
    QUOTES: (QuoteScores, _score_quotes),
}
"""Each layer's scores and the function that adds one article's to them."""


# --------------------------------------------------------------------------
# Public entry points
# --------------------------------------------------------------------------


def compare(
    pairs: Iterable[tuple[str, Mapping, Mapping]],
    layers: Collection[str] = LAYERS,
) -> Report:
    """Score pred against gold over all articles, summing counts (micro average).

    Each pair is ``(text, gold, pred)``, gold and pred being annotation dicts
    of that text. Only the named layers are scored; the others stay None in
    the report. Raises ValueError for an unknown layer or a span that does
    not fit its text.
    """
    unknown = sorted(set(layers) - set(LAYERS))
    if unknown:
        raise ValueError(f"unknown layer(s) {', '.join(unknown)}; known: {', '.join(LAYERS)}")
    scored = [layer for layer in LAYERS if layer in layers]
    report = Report(**{layer: _SCORERS[layer][0]() for layer in scored})
    for text, gold, pred in pairs:
        report.articles += 1
        for layer in scored:
            score = _SCORERS[layer][1]
            score(text, _items(gold, layer), _items(pred, layer), getattr(report, layer))
    return report


def _num(value: float | None) -> str:
    """A ratio with three decimals, or ``n/a`` when undefined."""
    return "n/a" if value is None else f"{value:.3f}"


def _count(value: float) -> str:
    """A count, without a decimal point when it is whole."""
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    """Rows aligned in columns: the first left-justified, the rest right-justified."""
    widths = [max(len(r[i]) for r in (header, *rows)) for i in range(len(header))]
    lines = []
    for r in (header, *rows):
        cells = [r[0].ljust(widths[0])] + [
            c.rjust(w) for c, w in zip(r[1:], widths[1:], strict=False)
        ]
        lines.append("  ".join(cells))
    return lines


def _prf_table(rows: Sequence[tuple[str, PRF]]) -> list[str]:
    header = ("metric", "P", "R", "F1", "TP", "FP", "FN")
    return _table(
        header,
        [
            (
                name,
                _num(s.precision),
                _num(s.recall),
                _num(s.f1),
                _count(s.tp),
                _count(s.fp),
                _count(s.fn),
            )
            for name, s in rows
        ],
    )


def _acc_table(rows: Sequence[tuple[str, Accuracy]]) -> list[str]:
    return _table(
        ("attribute", "accuracy", "n"),
        [(name, _num(a.accuracy), str(a.n)) for name, a in rows],
    )


def format_report(report: Report) -> str:
    """The report as plain-text tables, one block per layer, for the command line."""
    blocks = [f"articles: {report.articles}"]
    if report.boilerplate is not None:
        b = report.boilerplate
        lines = [f"{LAYER.boilerplate} (characters, whitespace ignored)"]
        lines += _prf_table([("unlabelled", b.unlabelled), ("labelled", b.labelled)])
        blocks.append("\n".join(lines))
    if report.entities is not None:
        e = report.entities
        lines = [LAYER.entities]
        rows = [("exact", e.exact), ("span", e.span)]
        rows += [(f"exact {label}", e.per_label[label]) for label in sorted(e.per_label)]
        lines += _prf_table(rows)
        blocks.append("\n".join(lines))
    if report.quotes is not None:
        q = report.quotes
        lines = [f"{QUOTES} (content spans)"]
        rows = [("exact", q.exact), ("overlap", q.overlap)]
        rows += [(f"exact {kind}", prf) for kind, prf in q.per_kind.items()]
        lines += _prf_table(rows)
        lines.append("")
        lines.append(f"{QUOTES} (on overlap matches)")
        lines += _acc_table(list(q.agree.items()))
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + "\n"


def load_passes(
    reference: Path, compared: Path, corpus: Path
) -> tuple[list[tuple[str, Mapping, Mapping]], list[Problem]]:
    """The (text, reference, compared) triples of the ids annotated in both folders.

    Each annotation file is checked by the validator first, so a file that
    breaks the scheme is reported at its place instead of being scored.
    """
    from warta.corpus import ArticleFiles
    from warta.validation import check_and_load

    problems = [
        Problem(str(folder), "path", "no such folder", "path-missing")
        for folder in (reference, compared)
        if not folder.is_dir()
    ]
    if problems:
        return [], problems
    ids = sorted(
        {p.stem for p in reference.glob("*.json")} & {p.stem for p in compared.glob("*.json")}
    )
    if not ids:
        problems.append(
            Problem(
                f"{reference}, {compared}",
                "path",
                "no annotation files with the same id in both folders",
                "corpus-empty",
            )
        )
    triples = []
    for article_id in ids:
        beside = reference / f"{article_id}.txt"
        txt = beside if beside.exists() else corpus / f"{article_id}.txt"
        docs = []
        for folder in (reference, compared):
            files = ArticleFiles(article_id, str(txt), str(folder / f"{article_id}.json"))
            article, found = check_and_load(files)
            problems += found
            docs.append(article)
        if docs[0] is not None and docs[1] is not None:
            triples.append((docs[0].text, docs[0].annotation or {}, docs[1].annotation or {}))
    return triples, problems
