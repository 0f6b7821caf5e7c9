"""Problems found in contributions: stable ids, document order and output formats.

Every problem carries an id from :data:`KINDS`, which never changes meaning once
released (as spaCy's error codes and the UD validator's test ids do), so a
contributor, a CI log and ``docs/PROBLEMS.md`` all name the same thing. The
validator reports problems; this module only orders and formats them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from json.decoder import scanstring
from pathlib import Path
from typing import Any, Literal

from warta.schema import ANNOTATION_KEYS

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Kind:
    """One kind of problem: its stable id, how serious it is, what it means and the usual fix."""

    id: str
    severity: Severity
    meaning: str
    fix: str


def _read_kinds() -> tuple[Kind, ...]:
    """The kinds of problem, from ``problem_kinds.tsv`` beside this module."""
    text = (Path(__file__).with_name("problem_kinds.tsv")).read_text(encoding="utf-8")
    rows = [line.split("\t") for line in text.splitlines() if line and not line.startswith("#")]
    header, *entries = rows
    assert header == ["id", "severity", "meaning", "fix"], header
    return tuple(Kind(i, s, meaning, fix) for i, s, meaning, fix in entries)  # type: ignore[arg-type]


_KINDS = _read_kinds()
KINDS: dict[str, Kind] = {kind.id: kind for kind in _KINDS}


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a contribution: the file, where in it, what is wrong, and its id."""

    path: str
    where: str
    what: str
    code: str

    def __post_init__(self) -> None:
        if self.code not in KINDS:
            raise ValueError(f"unknown problem id {self.code!r}")

    @property
    def severity(self) -> Severity:
        return KINDS[self.code].severity

    def __str__(self) -> str:
        warning = "warning: " if self.severity == "warning" else ""
        return f"{self.path}: {self.where}: {warning}{self.what} [{self.code}]"

    def __lt__(self, other: Problem) -> bool:
        return sort_key(self) < sort_key(other)


# The annotation file's top-level keys in the order the canonical file writes them.
_TOP = ANNOTATION_KEYS
_POSITION = re.compile(r"(?:line (\d+), column (\d+)|byte (\d+))")


def _where_key(where: str) -> tuple[Any, ...]:
    """Document order: the whole file first, then positions, then JSON pointers in file order."""
    if where == "/":
        return (2, ())
    if where.startswith("/"):
        parts: list[tuple[int, Any]] = []
        for i, part in enumerate(where[1:].split("/")):
            if i == 0 and part in _TOP:
                parts.append((0, _TOP.index(part)))
            elif part.isdigit():
                parts.append((1, int(part)))
            else:
                parts.append((2, part))
        return (2, tuple(parts))
    found = _POSITION.match(where)
    if found:
        numbers = tuple(int(n) for n in found.groups() if n is not None)
        return (1, numbers)
    return (0, where)


def sort_key(problem: Problem) -> tuple[Any, ...]:
    """By file, then document order (``/entities/2`` before ``/entities/14``), then message."""
    return (problem.path, _where_key(problem.where), problem.what, problem.code)


def ordered(problems: Iterable[Problem]) -> list[Problem]:
    """Problems by file, then in document order."""
    return sorted(problems, key=sort_key)


def quoted(text: str, limit: int = 60) -> str:
    """A value as the contributor would write it in JSON, shortened to ``limit`` characters."""
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    # A lone surrogate cannot be printed; it is shown as the escape that wrote it.
    return json.dumps(text, ensure_ascii=False).encode("utf-8", "backslashreplace").decode()


# --- where a JSON pointer sits in the file --------------------------------------------------

_WHITESPACE = re.compile(r"[ \t\n\r]*")
_SCALAR = re.compile(r"-?[0-9][0-9eE.+-]*|true|false|null")


def _escape(key: str) -> str:
    return key.replace("~", "~0").replace("/", "~1")


def pointer_offsets(source: str, duplicate_keys: list[int] | None = None) -> dict[str, int]:
    """The character offset of every value of a JSON text, keyed by JSON pointer.

    An object member points at its key (the line a person looks for); an array
    item at its first character. Empty for text that is not well-formed JSON.
    ``duplicate_keys`` collects where a key is written again in the same object.
    """
    found: dict[str, int] = {}

    def skip(i: int) -> int:
        return _WHITESPACE.match(source, i).end()  # type: ignore[union-attr]

    def value(i: int, pointer: str) -> int:
        i = skip(i)
        found.setdefault(pointer, i)
        char = source[i]
        if char == "{":
            i = skip(i + 1)
            if source[i] == "}":
                return i + 1
            keys: set[str] = set()
            while True:
                key_at = i
                key, i = scanstring(source, i + 1)
                if key in keys and duplicate_keys is not None:
                    duplicate_keys.append(key_at)
                keys.add(key)
                member = f"{pointer}/{_escape(key)}"
                found.setdefault(member, key_at)
                i = skip(skip(i) + 1)  # past the colon
                i = skip(value(i, member))
                if source[i] == ",":
                    i = skip(i + 1)
                    continue
                return i + 1
        if char == "[":
            i = skip(i + 1)
            if source[i] == "]":
                return i + 1
            index = 0
            while True:
                i = skip(value(i, f"{pointer}/{index}"))
                index += 1
                if source[i] == ",":
                    i += 1
                    continue
                return i + 1
        if char == '"':
            return scanstring(source, i + 1)[1]
        match = _SCALAR.match(source, i)
        if match is None:
            raise ValueError(i)
        return match.end()

    try:
        value(0, "")
    except (ValueError, IndexError, RecursionError):
        return {}
    found[""] = found.get("", 0)
    return found


def line_and_column(source: str, offset: int) -> tuple[int, int]:
    """1-based line and column of a character offset."""
    line = source.count("\n", 0, offset) + 1
    return line, offset - (source.rfind("\n", 0, offset) + 1) + 1


def locate(problem: Problem, sources: dict[str, str | None]) -> tuple[int, int] | None:
    """The line and column a problem points at, if it points into a file.

    ``sources`` caches each file's text (``None`` when it cannot be read).
    """
    found = _POSITION.match(problem.where)
    if found and found[1]:
        return int(found[1]), int(found[2])
    if not (problem.where.startswith("/") or found):
        return None
    if problem.path not in sources:
        try:
            with open(problem.path, encoding="utf-8", errors="replace", newline="") as handle:
                sources[problem.path] = handle.read()
        except OSError:
            sources[problem.path] = None
    source = sources[problem.path]
    if source is None:
        return None
    if found:  # a byte of the file
        prefix = source.encode("utf-8", "surrogatepass")[: int(found[3])]
        return line_and_column(source, len(prefix.decode("utf-8", "replace")))
    offsets = pointer_offsets(source)
    pointer = problem.where
    while pointer and pointer not in offsets:
        pointer = pointer.rsplit("/", 1)[0]  # the nearest enclosing value that exists
    return line_and_column(source, offsets.get(pointer, 0))


# --- output formats ------------------------------------------------------------------------

FORMATS = ("text", "json", "github")


def _github_escape(text: str, property_value: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if property_value:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def to_github(problem: Problem, position: tuple[int, int] | None) -> str:
    """A GitHub Actions workflow command, shown inline on the pull request's diff."""
    props = [f"file={_github_escape(problem.path, True)}"]
    if position is not None:
        props += [f"line={position[0]}", f"col={position[1]}"]
    props.append(f"title={_github_escape('warta ' + problem.code, True)}")
    message = f"{problem.where}: {problem.what}"
    return f"::{problem.severity} {','.join(props)}::{_github_escape(message)}"


def to_dict(problem: Problem, position: tuple[int, int] | None) -> dict[str, Any]:
    """A problem as a JSON object for tools."""
    return {
        "file": problem.path,
        "where": problem.where,
        "line": position[0] if position else None,
        "column": position[1] if position else None,
        "id": problem.code,
        "severity": problem.severity,
        "message": problem.what,
    }


def render(problems: Iterable[Problem], style: str) -> list[str]:
    """Problems in document order as lines of ``text`` or ``github`` output."""
    sources: dict[str, str | None] = {}
    items = ordered(problems)
    if style == "github":
        return [to_github(p, locate(p, sources)) for p in items]
    return [str(p) for p in items]


def as_json(problems: Iterable[Problem]) -> list[dict[str, Any]]:
    """Problems in document order as JSON objects with their line and column."""
    sources: dict[str, str | None] = {}
    return [to_dict(p, locate(p, sources)) for p in ordered(problems)]


_DOC_HEAD = """# Problem ids

Every problem that `python build.py validate` (and the build) reports ends with
an id in brackets, such as `[span-text-mismatch]`. Ids are stable: a released id
keeps its meaning, so scripts, CI filters and reviewers can rely on them. Errors
stop a contribution; warnings are reported and let it pass.

Output formats: `--format text` (`path: where: what [id]`, the default),
`--format json` (the same with line and column, for tools) and `--format github`
(GitHub Actions workflow commands, shown inline on a pull request at the line
of the annotation file where the problem sits). `validate --fix` repairs what
can be computed (drifted offsets, whitespace at span edges, a BOM, canonical
order and layout), says what it changed, and leaves the rest listed.

This file is generated from `warta/problems.py`: `python -m warta.problems > docs/PROBLEMS.md`.

"""


def markdown() -> str:
    """``docs/PROBLEMS.md``: the table of problem ids with what each means and its usual fix."""
    lines = ["| id | severity | what it means | usual fix |", "|---|---|---|---|"]
    lines += [f"| `{k.id}` | {k.severity} | {k.meaning} | {k.fix} |" for k in _KINDS]
    return _DOC_HEAD + "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(markdown(), end="")
