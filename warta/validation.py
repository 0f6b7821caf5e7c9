"""The contribution validator: every problem, in one run, with the fix.

Each problem is reported as ``path: where: what``, where ``where`` is a JSON
pointer into the annotation file, a line and column, or a byte of the raw
text, and ``what`` says what is wrong and, when it can be computed, how to fix
it. ``fix`` rewrites offsets that drifted and canonicalises the formatting.
"""

from __future__ import annotations

import bisect
import itertools
import json
import operator
import os
import re
import tempfile
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from warta import metadata as metadata_reader
from warta import schema
from warta.corpus import (
    Article,
    ArticleFiles,
    JSONProblem,
    Skipped,
    discover,
    dump_annotation,
    parse_annotation,
    read_file,
)
from warta.problems import Problem, ordered, quoted
from warta.schema import ANNOTATION, LAYER, QUOTE, QUOTES
from warta.text import TextError, decode, sha256_bytes

ID_RE = schema.compiled_pattern(schema.definition("article_id")["pattern"])
_PUBLISHED = schema.compiled_pattern(schema.definition("published")["pattern"])
MAX_SHOWN = 60


@dataclass
class Report:
    """The outcome of validating some paths: problems (errors, warnings) and what ``--fix`` did."""

    problems: list[Problem] = field(default_factory=list)
    articles: int = 0
    fixed: list[str] = field(default_factory=list)
    changes: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    @property
    def ok(self) -> bool:
        """True when nothing stops the contribution (warnings do not)."""
        return not self.errors


def _short(text: str) -> str:
    return quoted(text, MAX_SHOWN)


def _pointer(parts: Iterable[Any]) -> str:
    return "/" + "/".join(str(p).replace("~", "~0").replace("/", "~1") for p in parts)


def _json(value: Any) -> str:
    """A value written as JSON, as the contributor typed it (shortened)."""
    if isinstance(value, str):
        return _short(value)
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= MAX_SHOWN else text[: MAX_SHOWN - 1] + "…"


_JSON_TYPES = {
    "string": "a string in double quotes",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "null": "null",
    "array": "a list [...]",
    "object": "an object {...}",
}


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    for name, kind in (("a string", str), ("a number", (int, float)), ("a list", list)):
        if isinstance(value, kind):
            return name
    return "an object"


def _schema_message(error: Any) -> tuple[str, str]:
    """A plain sentence and the problem id for a JSON Schema error."""
    validator = error.validator
    value = error.instance
    if validator == "enum":
        options = ", ".join(_json(o) for o in error.validator_value)
        return f"unknown value {_json(value)}; use one of {options}", "schema-value"
    if validator == "additionalProperties":
        allowed = ", ".join(sorted(error.schema.get("properties", {})))
        extra = sorted(set(value) - set(error.schema.get("properties", {})))
        names = ", ".join(_json(e) for e in extra)
        return f"unknown field {names}; allowed fields are {allowed}", "schema-unknown-field"
    if validator == "required":
        missing = [k for k in error.validator_value if isinstance(value, dict) and k not in value]
        if len(missing) == 1:
            return f"the field {_json(missing[0])} is missing; add it", "schema-missing-field"
        names = ", ".join(_json(k) for k in missing)
        return f"the fields {names} are missing; add them", "schema-missing-field"
    if validator == "type":
        expected = error.validator_value
        if expected == "integer" and isinstance(value, float) and not isinstance(value, bool):
            return f"{_json(value)} is not a whole number; write offsets as integers like 12", (
                "schema-type"
            )
        wanted = " or ".join(
            _JSON_TYPES.get(t, t) for t in ([expected] if isinstance(expected, str) else expected)
        )
        given = "null" if value is None else f"{_json(value)} is {_json_type(value)}"
        return f"{given}; write {wanted}", "schema-type"
    if validator == "maximum":
        return f"{value} is too large (at most {error.validator_value})", "schema-value"
    if validator == "minimum":
        return f"{value} is negative; offsets start at 0", "schema-value"
    if validator == "pattern":
        hint = {
            "text_sha256": "64 lowercase hex digits (validate --fix writes it)",
            "id": "letters, digits, '_', '-', '.', starting with a letter or digit",
            "published": "ISO 8601 with offset, e.g. 2023-07-26T15:11:00+07:00",
            "story": "letters, digits, '_', '-', '.', starting with a letter or digit",
            "url": "an http(s) address",
        }.get(str(error.path[-1]) if error.path else "", f"the pattern {error.validator_value}")
        return f"{_json(value)} is not valid: expected {hint}", "schema-value"
    if validator == "minLength":
        return "empty string; give a value or remove the field", "schema-value"
    if validator == "uniqueItems":
        return "a layer is listed twice; list each layer once", "schema-value"
    if validator == "anyOf":
        return f"{_json(value)} is neither a span object nor null", "schema-type"
    return f"{_json(value)} does not fit the schema ({validator})", "schema-value"


def _schema_problems(path: str, doc: Any) -> list[Problem]:
    problems = []
    for error in schema.check("annotation")(doc):
        # anyOf errors have more precise causes; report the deepest ones.
        if error.validator == "anyOf" and error.context:
            best = [c for c in error.context if c.validator != "type" or c.path]
            if best:
                for sub in best:
                    where = _pointer(list(error.path) + list(sub.path))
                    problems.append(Problem(path, where, *_schema_message(sub)))
                continue
        problems.append(Problem(path, _pointer(error.path), *_schema_message(error)))
    return list(dict.fromkeys(problems))  # one line for what several keywords report per field


def _well_formed_span(span: Any) -> bool:
    return (
        isinstance(span, dict)
        and type(span.get("start")) is int
        and type(span.get("end")) is int
        and isinstance(span.get("text"), str)
    )


# How far from its stored offsets (after the shift of the spans before it) a
# span's text is looked for. Bounded, so --fix cannot move a span to a distant
# repetition of its words after an edit of the raw text, and checking many
# drifted spans stays linear in the text.
DRIFT = 1000


def relocate(text: str, span: dict[str, Any], shift: int = 0) -> tuple[int, int] | None:
    """Offsets where a span's text occurs nearest its stored start (moved by ``shift``).

    Only occurrences within :data:`DRIFT` characters count.
    """
    needle = span["text"]
    if not needle:
        return None
    best: int | None = None
    # An offset past the end is looked for from the end of the text.
    nears = (min(span["start"] + shift, len(text)), min(span["start"], len(text)))
    for near in dict.fromkeys(nears):
        low = max(0, near - DRIFT)
        window_end = min(len(text), near + DRIFT + len(needle))
        i = text.find(needle, low, window_end)
        while i != -1:
            if best is None or (abs(i - near), i) < (abs(best - near), best):
                best = i
            if i > near:
                break  # later ones are further away
            i = text.find(needle, i + 1, window_end)
        if best is not None:
            break
    return None if best is None else (best, best + len(needle))


def _span_problems(path: str, where: str, text: str, span: dict[str, Any]) -> list[Problem]:
    """Range, emptiness, whitespace and text-match checks of one span."""
    start, end, stored = span["start"], span["end"], span["text"]
    out = []
    if start > end:
        out.append(
            Problem(path, where, f"start {start} is after end {end}; swap them", "span-reversed")
        )
        return out
    if start == end:
        out.append(Problem(path, where, f"empty span [{start}, {end}); remove it", "span-empty"))
        return out
    if stored != stored.strip():
        lead = len(stored) - len(stored.lstrip())
        trail = len(stored) - len(stored.rstrip())
        out.append(
            Problem(
                path,
                where + "/text",
                f"span text {_short(stored)} has surrounding whitespace; trim it to "
                f"{_short(stored.strip())} with start {start + lead}, end {end - trail} "
                "(validate --fix does this)",
                "span-whitespace",
            )
        )
        return out
    if end > len(text):
        message = f"end {end} is past the end of the text (length {len(text)})"
        hit = relocate(text, span)
        if hit:
            message += (
                f"; its text occurs at [{hit[0]}, {hit[1]}): set start {hit[0]}, end {hit[1]}"
                " (validate --fix does this)"
            )
        out.append(Problem(path, where, message, "span-out-of-range"))
        return out
    actual = text[start:end]
    if actual != stored:
        message = f"text {_short(stored)} does not match the text at [{start}, {end}), "
        message += f"which is {_short(actual)}"
        if unicodedata.normalize("NFC", stored) == unicodedata.normalize("NFC", actual):
            message += (
                " (the same letters in another Unicode normalisation, NFC against NFD: "
                "copy the span's text from the article)"
            )
        hit = relocate(text, span)
        if hit:
            message += f"; it occurs at [{hit[0]}, {hit[1]}): set start {hit[0]}, end {hit[1]}"
            message += " (validate --fix does this)"
        else:
            message += (
                f"; that text does not occur within {DRIFT} characters of its offsets: "
                "correct the text or the offsets"
            )
        out.append(Problem(path, where, message, "span-text-mismatch"))
    return out


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _manual_problems(path: str, doc: dict[str, Any]) -> list[Problem]:
    """Each layer listed in ``manual`` is present, and every layer with spans is listed.

    The build replaces a layer not listed in ``manual`` with automatic
    annotations, so spans there would be silently lost: an error, never a guess.
    """
    problems: list[Problem] = []
    manual = doc.get(ANNOTATION.manual) if isinstance(doc.get(ANNOTATION.manual), list) else []
    for layer in schema.LAYERS:
        listed = layer in manual
        items = doc.get(layer)
        if listed and layer not in doc:
            problems.append(
                Problem(
                    path,
                    f"/{layer}",
                    f"layer {_short(layer)} is listed in manual but has no {_short(layer)} "
                    f'field; add "{layer}": [] if the article has none',
                    "layer-missing",
                )
            )
        if not listed and isinstance(items, list) and items and isinstance(manual, list):
            what = "quote" if layer == QUOTES else "span"
            what += "" if len(items) == 1 else "s"
            problems.append(
                Problem(
                    path,
                    f"/{layer}",
                    f"layer {_short(layer)} carries {len(items)} {what} but is not listed in "
                    f'manual, so the build would replace them: add "{layer}" to manual if a '
                    f'person checked them, or remove them ("{layer}": [])',
                    "layer-not-manual",
                )
            )
    return problems


_START, _END, _TEXT = (operator.itemgetter(k) for k in ("start", "end", "text"))


def _range(span: dict[str, Any]) -> tuple[int, int]:
    return span["start"], span["end"]


def _disjoint(spans: list[dict[str, Any]]) -> bool:
    """Whether non-empty spans are pairwise disjoint (and none repeated).

    With starts and ends sorted apart, the i-th end not past the (i+1)-th start
    means no point lies in two ranges.
    """
    starts, ends = sorted(map(_START, spans)), sorted(map(_END, spans))
    return all(map(operator.le, ends, starts[1:]))


def _all_match(text: str, spans: list[Any]) -> bool:
    """Whether every span is well formed, non-empty, in the text, trimmed and its text.

    Whole columns at a time, in C; any doubt (a missing key, a wrong type) is a no.
    """
    if not spans:
        return True
    try:
        starts, ends = list(map(_START, spans)), list(map(_END, spans))
        stored = list(map(_TEXT, spans))
        return (
            set(map(type, starts)) == {int}
            and set(map(type, ends)) == {int}
            and all(map(operator.lt, starts, ends))
            and min(starts) >= 0
            and max(ends) <= len(text)
            and list(map(text.__getitem__, map(slice, starts, ends))) == stored
            and list(map(str.strip, stored)) == stored
        )
    except (KeyError, TypeError):
        return False


_PARTS = schema.QUOTE_PARTS


@dataclass
class _Spans:
    """An annotation file's spans by layer, and the JSON pointer of each.

    Spans are told apart by identity, as a JSON parser makes them: each its own object.
    """

    flat: dict[str, list[dict[str, Any]]]
    # Each quote part's spans, a column in the order of the quotes (None: none).
    quote: dict[str, list[Any]]
    where: dict[int, str] = field(default_factory=dict)

    @classmethod
    def of(cls, doc: dict[str, Any]) -> _Spans:
        flat = {}
        for layer in schema.SPAN_LAYERS:
            items = doc.get(layer)
            flat[layer] = list(items) if isinstance(items, list) else []
        quotes = doc.get(QUOTES) if isinstance(doc.get(QUOTES), list) else []
        quotes = [q if isinstance(q, dict) else {} for q in quotes]
        return cls(flat, {p: list(map(dict.get, quotes, itertools.repeat(p))) for p in _PARTS})

    def parts(self) -> list[tuple[int, str, Any]]:
        """Every quote part: the quote's index, the part's name and its span, quote by quote."""
        rows = enumerate(zip(*self.quote.values(), strict=True))
        return [
            (i, p, s) for i, row in rows for p, s in zip(_PARTS, row, strict=True) if s is not None
        ]

    def every(self) -> list[Any]:
        parts = [s for column in self.quote.values() for s in column if s is not None]
        return [*self.flat[LAYER.boilerplate], *self.flat[LAYER.entities], *parts]

    def pointer(self, span: Any) -> str:
        """Where a span is in the file (``/entities/3``, ``/quotes/0/cue``)."""
        if not self.where:
            for layer, items in self.flat.items():
                self.where.update((id(s), f"/{layer}/{i}") for i, s in enumerate(items))
            self.where.update((id(s), f"/quotes/{i}/{p}") for i, p, s in self.parts())
        return self.where[id(span)]

    def keep_matching(self, path: str, text: str, problems: list[Problem]) -> None:
        """Report each span that does not match the text and drop it (and those not well formed)."""
        if _all_match(text, self.every()):
            return

        def matches(span: Any) -> bool:
            if not _well_formed_span(span):
                return False  # the schema's messages say what is wrong
            found = _span_problems(path, self.pointer(span), text, span)
            problems.extend(found)
            return not found

        self.flat = {layer: [s for s in items if matches(s)] for layer, items in self.flat.items()}
        kept = {id(s) for _, _, s in self.parts() if matches(s)}
        self.quote = {p: [s if id(s) in kept else None for s in c] for p, c in self.quote.items()}


def _flat_layer_problems(path: str, layer: str, spans: _Spans) -> list[Problem]:
    """Duplicates, spans on the same characters and overlaps within one flat layer."""
    if _disjoint(spans.flat[layer]):
        return []
    problems: list[Problem] = []
    what = f"{layer} spans" if layer == LAYER.boilerplate else layer
    keep = " (the longest name)" if layer == LAYER.entities else " or split them"
    located = [(spans.pointer(s), s) for s in spans.flat[layer]]
    items = sorted(located, key=lambda ws: (_range(ws[1]), ws[0]))
    active: tuple[str, dict[str, Any]] | None = None
    for where, span in items:
        if active is not None and _range(active[1]) == _range(span):
            if active[1].get("label") == span.get("label"):
                problems.append(
                    Problem(
                        path,
                        where,
                        f"duplicate of {active[0]}; remove one of them",
                        "span-duplicate",
                    )
                )
            else:
                problems.append(
                    Problem(
                        path,
                        where,
                        f"{_short(span['text'])} [{span['start']}, {span['end']}) is labelled "
                        f"{_short(str(span.get('label')))} here and "
                        f"{_short(str(active[1].get('label')))} in {active[0]}, on exactly "
                        "the same characters; keep the one right label",
                        "span-same-characters",
                    )
                )
        elif active is not None and _overlap(_range(active[1]), _range(span)):
            problems.append(
                Problem(
                    path,
                    where,
                    f"{_short(span['text'])} [{span['start']}, {span['end']}) overlaps "
                    f"{active[0]} {_short(active[1]['text'])} "
                    f"[{active[1]['start']}, {active[1]['end']}); {what} must not "
                    f"overlap: keep one{keep}",
                    "span-overlap",
                )
            )
        if active is None or span["end"] > active[1]["end"]:
            active = (where, span)
    return problems


def _in_boilerplate_problems(path: str, spans: _Spans) -> list[Problem]:
    """Entities and quote parts that lie in boilerplate."""
    others = spans.flat[LAYER.entities] + [s for c in spans.quote.values() for s in c if s]
    if not spans.flat[LAYER.boilerplate] or not others:
        return []
    boiler = sorted(map(_range, spans.flat[LAYER.boilerplate]))
    if _disjoint(spans.flat[LAYER.boilerplate]):
        # Disjoint sorted ranges: the first ending after a span's start is the only
        # one that can overlap it.
        b_ends, b_starts = [b[1] for b in boiler], [*(b[0] for b in boiler), 1 << 62]
        after = map(bisect.bisect_right, itertools.repeat(b_ends), map(_START, others))
        if all(map(operator.le, map(_END, others), map(b_starts.__getitem__, after))):
            return []
    # Running maximum of ends: the first span whose reach passes r's start is
    # the only candidate that can overlap r first, found by bisection.
    reach = list(itertools.accumulate((b[1] for b in boiler), max))
    problems = []
    for span in [*spans.flat[LAYER.entities], *(span for _, _, span in spans.parts())]:
        i = bisect.bisect_right(reach, span["start"])
        hit = next((b for b in boiler[i:] if _overlap(b, _range(span))), None)
        if hit is None:
            continue
        where = spans.pointer(span)
        if where.startswith("/quotes/"):
            part = where.rsplit("/", 1)[1]
            what = f"quote {part} {_short(span['text'])} lies in boilerplate "
            what += f"[{hit[0]}, {hit[1]}); quotes are annotated in content only"
            problems.append(Problem(path, where, what, "quote-in-boilerplate"))
        else:
            what = f"entity {_short(span['text'])} lies in boilerplate [{hit[0]}, {hit[1]}); "
            what += "entities are annotated in content only: remove it or fix the boilerplate"
            problems.append(Problem(path, where, what, "entity-in-boilerplate"))
    return problems


def _collide(a: list[Any], b: list[Any]) -> bool:
    """Whether two columns of quote parts overlap in some quote."""
    return any(
        [
            x["start"] < y["end"] and y["start"] < x["end"]
            for x, y in zip(a, b, strict=True)
            if x and y
        ]
    )


def _quote_problems(path: str, spans: _Spans) -> list[Problem]:
    """Quotes whose contents coincide or overlap, and parts that collide within a quote."""
    problems: list[Problem] = []
    contents = [s for s in spans.quote[QUOTE.content] if s is not None]
    ordered_contents = (
        []
        if _disjoint(contents)
        else sorted((_range(s), spans.pointer(s).removesuffix("/content")) for s in contents)
    )
    reach: tuple[tuple[int, int], str] | None = None
    for r2, w2 in ordered_contents:
        if reach is not None:
            r1, w1 = reach
            if r1 == r2:
                problems.append(
                    Problem(
                        path,
                        w2 + "/content",
                        f"the same content as quote {w1}; remove one of them",
                        "quote-duplicate",
                    )
                )
            elif _overlap(r1, r2):
                problems.append(
                    Problem(
                        path,
                        w2 + "/content",
                        f"content [{r2[0]}, {r2[1]}) overlaps the content of {w1} "
                        f"[{r1[0]}, {r1[1]}); a nested quote is not annotated separately",
                        "quote-overlap",
                    )
                )
        if reach is None or r2[1] > reach[0][1]:
            reach = (r2, w2)
    contents, cues, speakers = (spans.quote[p] for p in _PARTS)
    if not (_collide(contents, cues) or _collide(contents, speakers) or _collide(cues, speakers)):
        return problems
    for i, (content, cue, speaker) in enumerate(zip(contents, cues, speakers, strict=True)):
        for part, r in ((QUOTE.cue, cue), (QUOTE.speaker, speaker)):
            if content and r and _overlap(_range(r), _range(content)):
                problems.append(
                    Problem(
                        path,
                        f"/quotes/{i}/{part}",
                        f"the {part} overlaps the quote's own content; it lies outside "
                        "what was said",
                        "quote-part-in-content",
                    )
                )
        if cue and speaker and _overlap(_range(cue), _range(speaker)):
            problems.append(
                Problem(
                    path,
                    f"/quotes/{i}/speaker",
                    f"the speaker [{speaker['start']}, {speaker['end']}) overlaps the "
                    f"cue [{cue['start']}, {cue['end']}); the cue is the speech verb "
                    "alone and the speaker the mention of the source",
                    "quote-cue-speaker-overlap",
                )
            )
    return problems


def _check_layers(path: str, doc: dict[str, Any], text: str) -> list[Problem]:
    """Span checks, overlaps of every kind, duplicates and manual/layer consistency.

    Each check tests whole columns of offsets first and goes span by span only
    to say what is wrong, so a valid file costs little.
    """
    problems = _manual_problems(path, doc)
    spans = _Spans.of(doc)
    spans.keep_matching(path, text, problems)
    for layer in schema.SPAN_LAYERS:
        problems += _flat_layer_problems(path, layer, spans)
    problems += _in_boilerplate_problems(path, spans)
    return problems + _quote_problems(path, spans)


def check_text(files: ArticleFiles) -> tuple[str | None, bytes | None, list[Problem]]:
    """Read and decode an article's raw text, reporting why it cannot be used."""
    path = files.txt_file
    assert path is not None
    try:
        raw = read_file(path)
    except OSError as exc:
        return None, None, [_unreadable(path, exc)]
    try:
        return decode(raw), raw, []
    except TextError as exc:
        return None, raw, [Problem(path, exc.where, exc.what, exc.code)]


# A \\uD800-\\uDFFF escape in the raw JSON; only files with one are searched for a lone half.
_SURROGATE_ESCAPE = re.compile(rb"\\[uU][dD][89a-fA-F]")


def _values(value: Any, pointer: str = "") -> Iterator[tuple[str, Any]]:
    """Every value of a parsed document, and every key of its objects, with its JSON
    pointer (a key at its member's pointer)."""
    yield pointer, value
    if isinstance(value, dict):
        for key, item in value.items():
            member = f"{pointer}/{str(key).replace('~', '~0').replace('/', '~1')}"
            yield member, key
            yield from _values(item, member)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _values(item, f"{pointer}/{i}")


# A JSON number with a fraction or an exponent; only files with one are walked for floats.
_FRACTION = re.compile(rb"[:\[,]\s*-?\d+(?:\.|[eE])")


def _value_problems(path: str, raw: bytes, doc: Any) -> list[Problem]:
    """What a schema cannot say: strings that are no Unicode, dates that do not exist,
    and whole numbers written as fractions (JSON Schema counts ``3.0`` as an integer)."""
    problems = [
        Problem(
            path,
            where,
            f"{value!r} is a whole number written with a decimal point or an exponent, "
            f"which is read as a fraction: write it as {int(value)}",
            "json-whole-number-as-fraction",
        )
        for where, value in (_values(doc) if _FRACTION.search(raw) else ())
        if type(value) is float and value.is_integer()
    ]
    if _SURROGATE_ESCAPE.search(raw):
        for where, value in _values(doc):
            if type(value) is not str:
                continue
            try:
                value.encode("utf-8")
            except UnicodeEncodeError as exc:
                problems.append(
                    Problem(
                        path,
                        where,
                        f"character {exc.start + 1} is half of a UTF-16 surrogate pair "
                        f"(\\u{ord(value[exc.start]):04x}), which is no character: write the "
                        "character itself or both halves of its pair",
                        "json-lone-surrogate",
                    )
                )
    metadata = doc.get("metadata") if isinstance(doc, dict) else None
    published = metadata.get("published") if isinstance(metadata, dict) else None
    if isinstance(published, str) and _PUBLISHED.search(published):
        try:
            metadata_reader.utc(published)  # as the build will: a real time, in years 1 to 9999
        except ValueError as exc:
            problems.append(
                Problem(
                    path,
                    "/metadata/published",
                    f"{_short(published)} is no real time ({exc}); give the date and time "
                    "as printed, e.g. 2023-07-26T15:11:00+07:00",
                    "schema-value",
                )
            )
    return problems


def _check_and_load(files: ArticleFiles) -> tuple[Article | None, list[Problem]]:
    """Every problem of one article's files, and the article read once if there are none."""
    problems: list[Problem] = []
    if not ID_RE.match(files.id):
        problems.append(
            Problem(
                str(files.path),
                "file name",
                f"id {files.id!r} is not safe as a file name; rename the files using only "
                "letters, digits, '_', '-', '.', starting with a letter or digit "
                "(at most 128 characters)",
                "id-unsafe",
            )
        )
    if files.txt_file is None:
        problems.append(
            Problem(
                str(files.json),
                "file",
                f"annotation file without an article: add {files.id}.txt beside it or "
                "remove the annotation file",
                "orphan-annotation",
            )
        )
        try:
            doc = parse_annotation(read_file(files.json)) if files.json else None
        except JSONProblem as exc:
            return None, [*problems, Problem(str(files.json), exc.where, exc.what, exc.code)]
        if doc is not None:
            problems += _schema_problems(str(files.json), doc)
        return None, problems
    text, raw, text_problems = check_text(files)
    problems += text_problems
    if files.json_file is None:
        if problems or text is None or raw is None:
            return None, problems
        return Article(files=files, raw=raw, text=text, annotation=None), []
    jpath = files.json_file
    try:
        raw_json = read_file(jpath)
        doc = parse_annotation(raw_json)
    except JSONProblem as exc:
        return None, [*problems, Problem(jpath, exc.where, exc.what, exc.code)]
    except OSError as exc:
        return None, [*problems, _unreadable(jpath, exc)]
    problems += _schema_problems(jpath, doc)
    problems += _value_problems(jpath, raw_json, doc)
    if not isinstance(doc, dict):
        return None, problems
    if isinstance(doc.get("id"), str) and doc["id"] != files.id:
        problems.append(
            Problem(
                jpath,
                "/id",
                f"id {_short(doc['id'])} differs from the file name {_short(files.id)}; "
                f"set it to {_short(files.id)}",
                "id-mismatch",
            )
        )
    actual = None
    if raw is not None and isinstance(doc.get("text_sha256"), str):
        actual = sha256_bytes(raw)
        if doc["text_sha256"] != actual:
            problems.append(
                Problem(
                    jpath,
                    "/text_sha256",
                    f"the raw text changed since these offsets were made (sha256 {actual}); "
                    "check every span against the new text, then set text_sha256 to that "
                    "value (validate --fix relocates spans and updates it)",
                    "text-changed",
                )
            )
    if text is not None:
        problems += _check_layers(jpath, doc, text)
    if problems or text is None or raw is None:
        return None, problems
    return Article(files=files, raw=raw, text=text, annotation=doc, known_sha256=actual), []


def check_and_load(files: ArticleFiles) -> tuple[Article | None, list[Problem]]:
    """The article (raw bytes, decoded text, annotation) if it has no problems, else its problems.

    The build checks and reads each article here, so every file is read and
    parsed once. Never raises (like :func:`check_article_safely`).
    """
    try:
        return _check_and_load(files)
    except Exception as exc:  # a validator reports, never crashes
        return None, [_unexpected(files, exc)]


def _fix_span(text: str, span: Any, shift: int = 0) -> str | None:
    """Repair one span in place where the repair can be computed; say what changed.

    Whitespace at its edges is trimmed (text and offsets together), then a span
    whose text is not at its offsets moves to the nearest place where it is.
    """
    if not _well_formed_span(span) or not span["text"]:
        return None
    before = (span["start"], span["end"])
    done = []
    stored = span["text"]
    if stored != stored.strip() and stored.strip():
        lead = len(stored) - len(stored.lstrip())
        trail = len(stored) - len(stored.rstrip())
        span["text"] = stored.strip()
        span["start"], span["end"] = span["start"] + lead, span["end"] - trail
        done.append("trimmed the whitespace at its edges")
    s, e = span["start"], span["end"]
    if not (0 <= s < e <= len(text) and text[s:e] == span["text"]):
        hit = relocate(text, span, shift)
        if hit is not None:
            span["start"], span["end"] = hit
            done.append(f"moved it from [{before[0]}, {before[1]}) to [{hit[0]}, {hit[1]})")
        elif done:
            span["start"], span["end"] = s, e
    return "; ".join(done) if done else None


def _start_of(span: Any) -> int:
    start = span.get("start") if isinstance(span, dict) else None
    return start if type(start) is int else 0


def _spans_to_fix(doc: dict[str, Any]) -> Iterator[tuple[str, Any]]:
    for layer in schema.SPAN_LAYERS:
        items = doc.get(layer)
        if isinstance(items, list):
            yield from ((f"/{layer}/{i}", span) for i, span in enumerate(items))
    quotes = doc.get(QUOTES)
    if isinstance(quotes, list):
        for i, quote in enumerate(quotes):
            if isinstance(quote, dict):
                for part in schema.QUOTE_PARTS:
                    if quote.get(part) is not None:
                        yield f"/quotes/{i}/{part}", quote[part]


def _fix_article(files: ArticleFiles) -> list[str]:
    """Apply every fix that can be computed, whatever else is wrong; what changed, in words.

    Drifted offsets, whitespace at span edges, a BOM, and canonical order and
    formatting are repaired; problems that need a person are left for the
    check that follows to report.
    """
    if files.txt_file is None or files.json_file is None:
        return []
    text, raw, text_problems = check_text(files)
    if text is None or raw is None or text_problems:
        return []
    original = read_file(files.json)
    try:
        doc = parse_annotation(original.removeprefix(b"\xef\xbb\xbf"))
    except JSONProblem:
        return []
    if not isinstance(doc, dict):
        return []
    path = str(files.json)
    changes = []
    all_found = True
    shift = 0  # how far the spans before moved: an edit of the text moves those after it too
    for where, span in sorted(_spans_to_fix(doc), key=lambda ws: _start_of(ws[1])):
        before = span.get("start") if isinstance(span, dict) else None
        done = _fix_span(text, span, shift)
        if done:
            changes.append(f"{path}: {where}: {done}")
        if _well_formed_span(span):
            s, e = span["start"], span["end"]
            found = 0 <= s < e <= len(text) and text[s:e] == span["text"]
            all_found &= found
            if found and type(before) is int:
                shift = s - before
    actual = sha256_bytes(raw)
    if all_found and doc.get("text_sha256") != actual:
        doc["text_sha256"] = actual
        changes.append(f"{path}: /text_sha256: set to the raw text's hash, every span matching it")
    # A lone surrogate (reported by the check) is written back as the escape it came from.
    new = dump_annotation(doc).encode("utf-8", "backslashreplace")
    if new == original:
        return changes
    if original.startswith(b"\xef\xbb\xbf"):
        changes.append(f"{path}: byte 0: removed the BOM")
    body = original.removeprefix(b"\xef\xbb\xbf")
    if dump_annotation(parse_annotation(body)).encode("utf-8", "backslashreplace") != body:
        changes.append(f"{path}: document: wrote the canonical key order, span order and layout")
    _atomic_write(files.json, new)
    return changes


def _atomic_write(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _duplicate_ids(found: Sequence[ArticleFiles]) -> list[Problem]:
    by_id: dict[str, list[ArticleFiles]] = {}
    for files in found:
        if files.txt_file is not None:
            by_id.setdefault(files.id, []).append(files)
    problems = []
    for article_id, group in by_id.items():
        if len(group) > 1:
            first = group[0].path
            for other in group[1:]:
                problems.append(
                    Problem(
                        str(other.path),
                        "file name",
                        f"id {_short(article_id)} is already used by {first}; ids are unique "
                        "across the corpus: rename one article",
                        "id-duplicate",
                    )
                )
    return problems


def _check_one(files: ArticleFiles, fix: bool = False) -> tuple[list[str], list[Problem]]:
    """Fix (when asked) and check one article: the unit of work of a validation worker."""
    changes: list[str] = []
    problems: list[Problem] = []
    if fix:
        try:
            changes = _fix_article(files)
        except OSError as exc:
            problems.append(
                Problem(
                    str(files.json),
                    "file",
                    f"cannot be rewritten: {exc.strerror}",
                    "file-unreadable",
                )
            )
        except Exception as exc:  # a fixer reports, never crashes; the check still runs
            problems.append(_unexpected(files, exc))
    problems += check_article_safely(files)
    return changes, problems


def _fix_and_check(files: ArticleFiles) -> tuple[list[str], list[Problem]]:
    return _check_one(files, fix=True)


def _corpus_checks(paths: Sequence[str | Path]) -> tuple[list[ArticleFiles], list[Problem]]:
    """What is checked across the corpus: missing paths, an empty corpus, duplicate ids."""
    problems = [
        Problem(str(p), "path", "no such file or folder", "path-missing")
        for p in paths
        if not Path(p).exists()
    ]
    skipped: list[Skipped] = []
    found = discover([p for p in paths if Path(p).exists()], skipped)
    problems += [Problem(s.path, "file", s.what, s.reason) for s in skipped]
    if not found and not any(p.severity == "error" for p in problems):
        problems.append(
            Problem(
                ", ".join(str(p) for p in paths),
                "path",
                "no .txt or .json files found",
                "corpus-empty",
            )
        )
    return found, problems + _duplicate_ids(found)


def check_structure(paths: Sequence[str | Path]) -> tuple[list[ArticleFiles], list[Problem]]:
    """The corpus-wide checks, without reading articles: paths, ids, orphan files.

    The build runs these first and checks each article where it processes it,
    so every file is read once.
    """
    found, problems = _corpus_checks(paths)
    for files in found:
        if files.txt_file is None:
            problems += check_article_safely(files)
    return found, problems


def check_article_safely(files: ArticleFiles) -> list[Problem]:
    """Every problem of one article's files; an unexpected failure is reported, not raised."""
    return check_and_load(files)[1]


def _unexpected(files: ArticleFiles, exc: Exception) -> Problem:
    return Problem(
        str(files.path),
        "file",
        f"could not be checked ({type(exc).__name__}: {exc}); please report this with the file",
        "unexpected",
    )


def _unreadable(path: str | Path, exc: OSError) -> Problem:
    return Problem(str(path), "file", f"cannot be read: {exc.strerror}", "file-unreadable")


def validate(
    paths: Sequence[str | Path],
    fix: bool = False,
    jobs: int = 1,
    releases: str | Path | None = None,
) -> Report:
    """Validate files and folders of articles; with ``fix``, repair what can be repaired.

    Articles are read one at a time (in ``jobs`` processes), and only their
    problems are kept, so memory does not grow with the corpus. Then the
    corpus is checked for duplicate texts and near-duplicates
    (:mod:`warta.duplicates`, a digest and a signature per article; the
    release records in ``releases`` only matter to the splits it mentions).
    """
    from warta import duplicates
    from warta.collector import fewer_collections
    from warta.parallel import ordered_map

    report = Report()
    with fewer_collections():
        found, report.problems = _corpus_checks(paths)
        report.articles += sum(files.txt_file is not None for files in found)
        worker = _fix_and_check if fix else _check_one
        for files, (changes, problems) in zip(found, ordered_map(worker, found, jobs), strict=True):
            if changes:
                report.fixed.append(str(files.json))
                report.changes += changes
            report.problems += problems
        released = duplicates.read_released(releases)
        report.problems += duplicates.plan(found, jobs, released).problems
    report.problems = ordered(report.problems)
    return report
