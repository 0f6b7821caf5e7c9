"""Decoding raw article bytes into the text that every offset counts in.

The scheme fixes one rule (docs/GUIDELINES.md, section 1 "Offsets"): UTF-8, a leading BOM
dropped, CRLF and lone CR turned into LF, nothing else. Offsets are Python
``str`` indices (Unicode code points) into the result.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from warta.errors import InputProblem

BOM = "\ufeff"


class TextError(InputProblem):
    """Raw bytes that cannot become article text (undecodable, empty, binary)."""

    default_code = "text-undecodable"


def _looks_like_utf16(raw: bytes) -> bool:
    """UTF-16 without a byte-order mark: every other byte of the first ones is NUL."""
    head = raw[:200]
    if len(head) < 4 or b"\x00" not in head:
        return False
    return (
        head[1::2].count(0) >= len(head) // 2 * 0.9 or head[0::2].count(0) >= len(head) // 2 * 0.9
    )


def decode(raw: bytes) -> str:
    """Turn raw file bytes into article text, or raise :class:`TextError`."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")) or _looks_like_utf16(raw):
        raise TextError(
            "byte 0",
            "UTF-16 text; a raw article must be UTF-8: re-save the file as UTF-8",
        )
    if b"\x00" in raw:
        pos = raw.index(b"\x00")
        raise TextError(
            f"byte {pos}",
            "binary data (NUL byte); a raw article must be UTF-8 text",
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise TextError(
            f"byte {exc.start} (line {line})",
            f"not valid UTF-8 ({exc.reason}); re-save the file as UTF-8",
        ) from None
    if text.startswith(BOM):
        text = text[1:]
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise TextError("text", "empty article; the raw file has no text", "text-empty")
    return text


def read_text(path: str | Path) -> str:
    """Read and decode one raw article file."""
    return decode(Path(path).read_bytes())


def sha256_bytes(raw: bytes) -> str:
    """Hex SHA-256 of the raw file's bytes, as pinned by ``text_sha256``."""
    return hashlib.sha256(raw).hexdigest()


def sha256_file(path: str | Path) -> str:
    """Hex SHA-256 of a file, read in blocks so large release files stay out of memory."""
    digest = hashlib.sha256()
    with Path(path).open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
