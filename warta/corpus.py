"""Finding articles in the corpus and reading their files.

An article is ``<id>.txt`` (the raw text, never edited) with an optional
``<id>.json`` beside it (metadata and manual annotations). Discovery only lists
paths, so a corpus of any size can be walked without reading it into memory.
"""

from __future__ import annotations

import errno
import json
import os
import stat
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from warta import schema
from warta.errors import InputProblem
from warta.schema import ANNOTATION
from warta.text import decode, sha256_bytes

ANNOTATION_KEYS = schema.ANNOTATION_KEYS
SPAN_KEYS = schema.fields("entity_span")
QUOTE_KEYS = schema.fields("quote")
METADATA_KEYS = schema.fields("metadata")
CONTENT = schema.QUOTE_PARTS[0]
"""The part a quote is ordered and identified by (its content)."""


@dataclass(frozen=True, slots=True)
class ArticleFiles:
    """The files of one article: either may be missing (that is for the validator to say).

    The paths are kept as strings (``txt_file``, ``json_file``) and made
    ``Path`` objects on demand: the build holds the listing of the whole
    corpus, which for 100,000 articles takes 88 MB this way and 146 MB with
    ``Path`` objects.
    """

    id: str
    txt_file: str | None
    json_file: str | None

    @property
    def txt(self) -> Path | None:
        """The raw article ``<id>.txt``."""
        return None if self.txt_file is None else Path(self.txt_file)

    @property
    def json(self) -> Path | None:
        """The annotation file ``<id>.json``."""
        return None if self.json_file is None else Path(self.json_file)

    @property
    def path(self) -> Path:
        """The file that names this article in messages."""
        return self.txt if self.txt_file is not None else self.json  # type: ignore[return-value]


@dataclass(frozen=True, slots=True)
class Skipped:
    """A path under the corpus that is not read, and why (the validator reports each)."""

    path: str
    reason: str  # a problem id of warta.problems
    what: str


_ARTICLE_SUFFIXES = (".txt", ".json")


def _skip_reason(entry: os.DirEntry[str], name: str) -> Skipped | None:
    """Why a directory entry is not read as an article file, or None if it is one."""
    path = entry.path
    if entry.is_symlink():
        try:
            target = os.readlink(path)
        except OSError:
            target = "?"
        return Skipped(
            path,
            "file-link",
            f"a symbolic link (to {target}) is never followed: put the file itself in "
            "the corpus, or remove the link",
        )
    if name.startswith("."):
        return Skipped(path, "file-skipped", "hidden, so not read; rename it if it is an article")
    suffix = os.path.splitext(name)[1]
    if suffix.lower() in _ARTICLE_SUFFIXES and suffix not in _ARTICLE_SUFFIXES:
        return Skipped(
            path,
            "file-name",
            f"the extension {suffix} is not read; rename it to {suffix.lower()}",
        )
    if suffix in _ARTICLE_SUFFIXES and not entry.is_file(follow_symlinks=False):
        kind = "a folder" if entry.is_dir(follow_symlinks=False) else "not a regular file"
        return Skipped(path, "file-name", f"{kind}, but named like an article file; rename it")
    if suffix not in _ARTICLE_SUFFIXES and not entry.is_dir(follow_symlinks=False):
        return Skipped(path, "file-skipped", "not an article file (.txt or .json), so not read")
    return None


def _walk(paths: Iterable[str | Path], skipped: list[Skipped] | None = None) -> Iterator[str]:
    """The ``.txt`` and ``.json`` files under ``paths``, as strings; the rest into ``skipped``.

    Links are never followed and hidden entries are not read, so a corpus can
    only publish its own files. Strings and ``os.scandir`` rather than ``Path``
    objects: listing a corpus of 100,000 articles is a few times faster, and
    the file types come with the listing instead of a ``stat`` per file
    (``discover`` sorts the result). A path given twice (relative and absolute)
    is walked once.
    """
    note = skipped.append if skipped is not None else (lambda _s: None)
    seen: set[str] = set()
    for raw in paths:
        path = Path(raw)
        key = os.path.realpath(path)
        if key in seen:
            continue
        seen.add(key)
        if path.is_dir():
            folders = [str(path)]
            while folders:
                folder = folders.pop()
                try:
                    entries = os.scandir(folder)
                except OSError as exc:
                    note(Skipped(folder, "file-unreadable", f"cannot be listed: {exc.strerror}"))
                    continue
                # Paths under "." are written without "./", as Path writes them.
                strip = 2 if folder == "." else 0
                with entries:
                    for entry in entries:
                        reason = _skip_reason(entry, entry.name)
                        if reason is not None:
                            note(Skipped(entry.path[strip:], reason.reason, reason.what))
                        elif entry.is_dir(follow_symlinks=False):
                            folders.append(entry.path[strip:])
                        else:
                            yield entry.path[strip:]
        elif path.suffix not in _ARTICLE_SUFFIXES:
            note(
                Skipped(
                    str(path),
                    "file-name",
                    "not an article file: give a raw article <id>.txt, its <id>.json, or a "
                    "folder of them",
                )
            )
        else:
            yield str(path)
            # A file names its article: validating <id>.json also reads <id>.txt.
            for suffix in _ARTICLE_SUFFIXES:
                sibling = path.with_suffix(suffix)
                if sibling != path and (sibling.is_file() or sibling.is_symlink()):
                    yield str(sibling)


def discover(
    paths: Iterable[str | Path], skipped: list[Skipped] | None = None
) -> list[ArticleFiles]:
    """Pair ``.txt`` and ``.json`` files by folder and stem, sorted by path.

    What is not read (links, hidden and other files) goes into ``skipped``.
    """
    pairs: dict[tuple[str, str], dict[str, str]] = {}
    for path in _walk(paths, skipped):
        folder, name = os.path.split(path)
        stem, suffix = os.path.splitext(name)
        if suffix == ".json" and name.endswith(".schema.json"):
            continue
        pairs.setdefault((folder, stem), {})[suffix] = path
    named = []
    for (_, stem), files in pairs.items():
        txt, json_file = files.get(".txt"), files.get(".json")
        article = ArticleFiles(id=stem, txt_file=txt, json_file=json_file)
        named.append((txt or json_file, article))
    named.sort(key=lambda pair: pair[0])
    return [article for _, article in named]


class JSONProblem(InputProblem):
    """An annotation file that is not well-formed JSON."""

    default_code = "json-syntax"


def _finite_float(text: str) -> float:
    value = float(text)
    if value in (float("inf"), float("-inf")):
        raise ValueError(f"the number {text} is too large for an annotation file")
    return value


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON; write a number or null")


class _DuplicateKey(ValueError):
    """A key written twice in one JSON object."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _pairs_without_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    fast = dict(pairs)
    if len(fast) == len(pairs):
        return fast
    seen: dict[str, Any] = {}
    for key, value in pairs:
        if key in seen:
            raise _DuplicateKey(key)
        seen[key] = value
    return seen


def read_file(path: str | Path) -> bytes:
    """A whole file's bytes, in four system calls; never through a link, never from a pipe.

    ``open(path, "rb").read()`` makes a buffered file object and asks the
    system about the file three more times (size, seek, terminal); the build
    reads two or three files per article, so this is measurably cheaper.
    """
    flags = os.O_RDONLY | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags | getattr(os, "O_NOFOLLOW", 0))
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise OSError(
                exc.errno, "a symbolic link, which is never followed", str(path)
            ) from None
        raise
    try:
        status = os.fstat(fd)
        if stat.S_ISDIR(status.st_mode):
            raise IsADirectoryError(errno.EISDIR, "a folder, not a file", str(path))
        if not stat.S_ISREG(status.st_mode):
            raise OSError(errno.EINVAL, "not a regular file", str(path))
        size = status.st_size
        data = os.read(fd, size + 1)
        if len(data) == size:
            return data  # one byte fewer than asked: the end of the file
        # The file grew or shrank since fstat, or the system gave less than
        # asked (Linux reads at most 2 GiB at a time): read on to the end.
        parts = [data]
        while part := os.read(fd, 1 << 24):
            parts.append(part)
        return b"".join(parts)
    finally:
        os.close(fd)


def _position(source: str, offset: int) -> str:
    line = source.count("\n", 0, offset) + 1
    return f"line {line}, column {offset - source.rfind(chr(10), 0, offset)}"


def _last_visible(source: str, offset: int) -> int:
    """The offset of the last non-whitespace character before ``offset`` (-1 if none)."""
    i = offset - 1
    while i >= 0 and source[i] in " \t\r\n":
        i -= 1
    return i


def _open_bracket(source: str, offset: int) -> int | None:
    """The offset of the innermost bracket still open at ``offset`` (strings skipped)."""
    stack: list[int] = []
    in_string = escaped = False
    for i in range(offset):
        char = source[i]
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            stack.append(i)
        elif char in "]}" and stack:
            stack.pop()
    return stack[-1] if stack else None


def explain_syntax_error(source: str, exc: json.JSONDecodeError) -> tuple[int, str]:
    """Where a JSON syntax error really is, and what to do, in plain words.

    The parser says what it expected; a contributor needs to hear what is
    wrong: a trailing comma, a missing quote or comma, single quotes.
    """
    pos, msg = exc.pos, exc.msg
    here = source[pos] if pos < len(source) else ""
    before = _last_visible(source, pos)
    after_comma = before >= 0 and source[before] == ","
    if here in "}]" and here and after_comma:
        return before, f"trailing comma before '{here}': remove the comma after the last item"
    if here in "}]" and here:
        opened = _open_bracket(source, pos)
        if opened is not None and source[opened] != {"}": "{", "]": "["}[here]:
            return pos, (
                f"'{here}' does not close the '{source[opened]}' opened at "
                f"{_position(source, opened)}: a bracket is missing or mistyped"
            )
        return pos, f"a value is missing before '{here}'"
    if here == "'":
        return pos, 'strings and keys need double quotes ("), not single quotes'
    if msg.startswith("Unterminated string"):
        return pos, 'a string is not closed: add its closing double quote (")'
    if msg.startswith("Invalid control character"):
        if here == "\n":
            return pos, (
                'a string runs past the end of its line: its closing double quote (") is '
                "probably missing (write a line break inside a string as \\n)"
            )
        return pos, "a control character (such as a tab) inside a string: write it as \\t or \\n"
    if msg.startswith("Invalid \\escape") or msg.startswith("Invalid \\u"):
        return pos, "a backslash starts an invalid escape: write a backslash as \\\\"
    if msg.startswith("Expecting property name"):
        return pos, "expected a key in double quotes here"
    if msg.startswith("Expecting ',' delimiter"):
        return pos, (
            "a comma is missing before this point (between two items), or a string before "
            "it is not closed"
        )
    if msg.startswith("Expecting ':' delimiter"):
        return pos, "a colon (:) is missing after the key"
    if msg.startswith("Extra data"):
        return pos, (
            "more text after the end of the JSON document: remove it, or a bracket closed too early"
        )
    if msg.startswith("Expecting value"):
        if not here:
            return pos, "the file ends too early: a value or a closing bracket is missing"
        return pos, (
            "expected a value here: strings need double quotes; true, false and null are "
            "written in lowercase"
        )
    return pos, f"malformed JSON ({msg.lower()})"


def _duplicate_key_offset(source: str, key: str) -> int:
    """Where a key is written a second time in one object (the first such place)."""
    from warta.problems import pointer_offsets

    repeated: list[int] = []
    pointer_offsets(source, duplicate_keys=repeated)
    return repeated[0] if repeated else 0


def _parse_strictly(raw: bytes) -> Any:
    """Parse with a check of every object for duplicate keys, or raise saying where."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raise JSONProblem(
            "byte 0",
            "the file starts with a UTF-8 BOM; save it without one (validate --fix)",
            "json-encoding",
        )
    try:
        source = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise JSONProblem(
            f"byte {exc.start}", "not valid UTF-8; save the file as UTF-8", "json-encoding"
        ) from None
    if not source.strip():
        raise JSONProblem(
            "line 1, column 1",
            "the file is empty; an annotation file is a JSON object {...} (python build.py "
            "draft writes a starter)",
        )
    try:
        return json.loads(
            source,
            parse_constant=_reject_constant,
            parse_float=_finite_float,
            object_pairs_hook=_pairs_without_duplicates,
        )
    except json.JSONDecodeError as exc:
        offset, what = explain_syntax_error(source, exc)
        raise JSONProblem(_position(source, offset), what) from None
    except _DuplicateKey as exc:
        offset = _duplicate_key_offset(source, exc.key)
        raise JSONProblem(
            _position(source, offset),
            f"the key {json.dumps(exc.key, ensure_ascii=False)} is written twice in one "
            "object; keep one",
            "json-duplicate-key",
        ) from None
    except RecursionError:
        raise JSONProblem("document", "JSON nested too deeply to be an annotation file") from None
    except ValueError as exc:
        what = str(exc)
        if "digits" in what:  # Python's guard against huge integers
            what = "a number with thousands of digits; write an ordinary number"
        raise JSONProblem("document", f"malformed JSON: {what}") from None


# The plain C parser, rejecting NaN and Infinity as the strict one does.
_PLAIN = json.JSONDecoder(parse_constant=_reject_constant, parse_float=_finite_float)


def keys_written_at_most(raw: bytes) -> int:
    """At least the number of keys written in a JSON text (exactly it in a usual file).

    Every key ends with an unescaped quote, optional whitespace and a colon,
    and no two keys share that quote: with the whitespace bytes deleted, each
    is one ``":``. Strings may add more, never fewer; two C passes, no regex.
    """
    return raw.translate(None, b" \t\n\r").count(b'":')


def keys_held(doc: Any) -> int:
    """Keys of a parsed document's objects down to the objects inside list items.

    That is every object an annotation file has (the top, its metadata, the
    spans and quotes, a quote's parts); in any other document it may count
    fewer than there are, never more.
    """
    if type(doc) is not dict:
        return 0
    count = len(doc)
    for value in doc.values():
        if type(value) is dict:
            count += len(value)
        elif type(value) is list:
            items = [item for item in value if type(item) is dict]
            count += sum(map(len, items))
            count += sum([len(x) for item in items for x in item.values() if type(x) is dict])
    return count


def parse_annotation(raw: bytes) -> Any:
    """Parse an annotation file strictly, or raise :class:`JSONProblem` saying where.

    Strict: no BOM, UTF-8, no NaN or Infinity, no key written twice in one
    object. A duplicate key leaves the parsed document with fewer keys than
    the text writes, so the C parser's document is returned when
    :func:`keys_held` equals :func:`keys_written_at_most` (no key can have been
    dropped); otherwise, or on any error, a parse that checks every object
    decides, and says where the problem is.
    """
    if not raw.startswith(b"\xef\xbb\xbf"):
        try:
            doc = _PLAIN.decode(raw.decode("utf-8"))
        except (ValueError, RecursionError):
            pass
        else:
            if keys_held(doc) == keys_written_at_most(raw):
                return doc
    return _parse_strictly(raw)


@dataclass
class Article:
    """One article read from disk: raw bytes, decoded text and its annotation file."""

    files: ArticleFiles
    raw: bytes
    text: str
    annotation: dict[str, Any] | None
    # The hash of ``raw`` when the validator already computed it; not compared.
    known_sha256: str | None = field(default=None, compare=False, repr=False)

    @property
    def id(self) -> str:
        return self.files.id

    @property
    def sha256(self) -> str:
        if self.known_sha256 is None:
            self.known_sha256 = sha256_bytes(self.raw)
        return self.known_sha256


def load(files: ArticleFiles) -> Article:
    """Read an article that the validator has passed."""
    assert files.txt_file is not None
    raw = read_file(files.txt_file)
    annotation = parse_annotation(read_file(files.json_file)) if files.json_file else None
    return Article(files=files, raw=raw, text=decode(raw), annotation=annotation)


def canonical_annotation(doc: dict[str, Any]) -> dict[str, Any]:
    """The annotation file with keys in the documented order and spans sorted.

    One canonical form keeps diffs of contributions small and reviewable.
    """

    def span(s: dict[str, Any]) -> dict[str, Any]:
        return {k: s[k] for k in SPAN_KEYS if k in s} | {
            k: v for k, v in s.items() if k not in SPAN_KEYS
        }

    def quote(q: dict[str, Any]) -> dict[str, Any]:
        out = {k: q[k] for k in QUOTE_KEYS if k in q}
        for k in schema.QUOTE_PARTS:
            if isinstance(out.get(k), dict):
                out[k] = span(out[k])
        return out | {k: v for k, v in q.items() if k not in QUOTE_KEYS}

    def key(s: dict[str, Any]) -> tuple[int, int]:
        return (s.get("start", 0), s.get("end", 0))

    def sortable(items: Any, span_of: Callable[[Any], Any]) -> bool:
        # A file with other problems is still formatted; its lists keep their order
        # unless every item has whole-number offsets to sort by.
        return isinstance(items, list) and all(
            isinstance(span_of(i), dict)
            and type(span_of(i).get("start", 0)) is int
            and type(span_of(i).get("end", 0)) is int
            for i in items
        )

    out: dict[str, Any] = {}
    for k in ANNOTATION_KEYS:
        if k not in doc:
            continue
        value = doc[k]
        if k == ANNOTATION.metadata and isinstance(value, dict):
            value = {m: value[m] for m in METADATA_KEYS if m in value} | {
                m: v for m, v in value.items() if m not in METADATA_KEYS
            }
        elif k in schema.SPAN_LAYERS and sortable(value, lambda s: s):
            value = sorted((span(s) for s in value), key=key)
        elif k in schema.QUOTE_LAYERS and sortable(
            value, lambda q: q.get(CONTENT) if isinstance(q, dict) else None
        ):
            value = sorted((quote(q) for q in value), key=lambda q: key(q[CONTENT]))
        elif k == ANNOTATION.manual and isinstance(value, list):
            known = [layer for layer in schema.LAYERS if layer in value]
            value = known + [layer for layer in value if layer not in known]
        out[k] = value
    return out | {k: v for k, v in doc.items() if k not in ANNOTATION_KEYS}


def dump_annotation(doc: dict[str, Any]) -> str:
    """Serialise an annotation file in its canonical formatting."""
    return json.dumps(canonical_annotation(doc), ensure_ascii=False, indent=2) + "\n"
