"""Duplicate and near-duplicate articles, and the splits that keep them together.

One pass over the corpus (in the worker pool, a chunk of articles per task)
gives each article a 16-byte digest of its decoded text, its story key and a
MinHash signature of its words; the main process then keeps those only
(about 300 bytes an article), never the texts.

- The same decoded text under two ids is an error (``text-duplicate``).
- Near-duplicates (a re-scrape with other page furniture, a syndicated copy)
  are found by MinHash LSH and reported as warnings (``near-duplicate``).
  Shingles are lowercased word 5-grams: a changed header, footer or "Baca
  juga" line changes only the shingles it touches, while two different
  articles on one topic share almost no run of five words. Pairs whose
  estimated Jaccard similarity reaches :data:`THRESHOLD` are near-duplicates.

Signatures are datasketch ``MinHash`` objects (seeded, so the same on every
run and in every process). The banding is done here, on the signature matrix
with NumPy: datasketch's ``MinHashLSH`` keeps a Python set per band bucket,
which at 100,000 articles took 24 s and 490 MB to fill.

A near-duplicate group (its articles, and the articles sharing a story key
with them) is given one split; see :mod:`warta.splits` for the rule, which
never moves an article already released.
"""

from __future__ import annotations

import hashlib
import json
import re
import zlib
from array import array
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from datasketch import MinHash

from warta import splits
from warta.corpus import ArticleFiles, read_file
from warta.furniture import evidence
from warta.problems import Problem
from warta.schema import ANNOTATION, LAYER, LAYERS
from warta.text import TextError, decode

SHINGLE = 5  # words per shingle
NUM_PERM = 64
BANDS, ROWS = 16, 4  # LSH: 16 bands of 4 hash values (P(candidate) 0.64 at J=0.5, 0.99 at 0.7)
THRESHOLD = 0.5  # estimated Jaccard similarity of the shingle sets
SEED = 20240601
# A band bucket larger than this pairs its articles with its first one only.
_BUCKET_PAIRS = 64

# Punctuation becomes a space: the words are what is left (bytes.translate is C-fast).
_MARKS = b".,:;!?\"'()[]{}|/<>*"
_PUNCTUATION = bytes.maketrans(_MARKS, b" " * len(_MARKS))
_STORY = re.compile(rb'"story"\s*:\s*"([A-Za-z0-9_.-]*)"')
# The layers a file lists as checked, and the entity layer's name, as JSON writes them.
_MANUAL_KEY = json.dumps(ANNOTATION.manual).encode()
_MANUAL = re.compile(re.escape(_MANUAL_KEY) + rb"\s*:\s*\[([^\]]*)\]")
_QUOTED = {layer: json.dumps(layer).encode() for layer in LAYERS}
_MINHASH: MinHash | None = None


def _empty() -> MinHash:
    global _MINHASH
    if _MINHASH is None:
        _MINHASH = MinHash(num_perm=NUM_PERM, seed=SEED, hashfunc=int)
    return _MINHASH.copy()


# Words are hashed a block of about this many bytes at a time, and signatures
# take this many shingle hashes at a time: a list of a megabyte article's
# words, or datasketch's (hashes x NUM_PERM) array of all its shingles at
# once, would take gigabytes.
_BLOCK = 1 << 22
_BATCH = 1 << 16


def _word_hashes(data: bytes) -> np.ndarray:
    """The CRC-32 of each word of ``data`` (split at ASCII whitespace), a block at a time."""
    hashes = []
    start, n = 0, len(data)
    while start < n:
        stop = n
        if n - start > _BLOCK:  # cut after the block's last space or line break...
            stop = max(
                data.rfind(b" ", start, start + _BLOCK), data.rfind(b"\n", start, start + _BLOCK)
            )
            if stop <= start:  # ... or, if it has none, at the first one after it
                after = (data.find(b" ", start + _BLOCK), data.find(b"\n", start + _BLOCK))
                stop = min((i for i in after if i >= 0), default=n)
        words = data[start:stop].split()
        hashes.append(np.fromiter(map(zlib.crc32, words), np.uint64, len(words)))
        start = stop
    return np.concatenate(hashes) if hashes else np.zeros(0, dtype=np.uint64)


def shingle_hashes(text: str) -> np.ndarray:
    """32-bit hashes of the distinct lowercased word ``SHINGLE``-grams of a text."""
    h = _word_hashes(text.lower().encode("utf-8").translate(_PUNCTUATION))
    if not len(h):
        return np.zeros(0, dtype=np.uint64)
    n = min(SHINGLE, len(h))
    count = len(h) - n + 1
    grams = np.zeros(count, dtype=np.uint64)
    for k in range(n):  # a polynomial hash of the n words, wrapping at 2**64
        grams = grams * np.uint64(1_000_003) + h[k : k + count]
    return np.unique(grams >> np.uint64(32))


def signature_of(text: str) -> np.ndarray:
    """The MinHash signature (``NUM_PERM`` uint32 values) of a text's shingles."""
    minhash = _empty()
    hashes = shingle_hashes(text)
    for start in range(0, len(hashes), _BATCH):  # the minimum of the minima: the same values
        minhash.update_batch(hashes[start : start + _BATCH].tolist())
    return np.asarray(minhash.hashvalues, dtype=np.uint32)


def digest_of(text: str) -> bytes:
    """16 bytes that differ for different decoded texts."""
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).digest()


def _parsed(raw: bytes) -> dict[str, Any] | None:
    try:
        doc = json.loads(raw)
    except (ValueError, RecursionError):
        return None
    return doc if isinstance(doc, dict) else None


def annotation_facts(files: ArticleFiles) -> tuple[str | None, frozenset[str]]:
    """An article's ``story`` metadata, and the layers left to the automatic annotators.

    Read with a search of the file's bytes for each key, written once in
    the file as in every usual one; the file is parsed only otherwise. A
    broken file counts as leaving every layer to the annotators (it is reported
    where the article is checked, and nothing is built).
    """
    if files.json_file is None:
        return None, frozenset(LAYERS)
    try:
        raw = read_file(files.json_file)
    except OSError:
        return None, frozenset()  # reported where the article is checked
    doc = None
    story = None
    if raw.count(b'"story"') == 1:
        found = _STORY.search(raw)
        story = found[1].decode("ascii") if found else None
    elif b'"story"' in raw:
        doc = _parsed(raw)
        metadata = doc.get("metadata", {}) if doc else None
        story = metadata.get("story") if isinstance(metadata, dict) else None
        story = story if isinstance(story, str) else None
    # The top-level list of checked layers (a key written inside a string value is
    # escaped, so it cannot match).
    listed = _MANUAL.search(raw)
    if listed is not None and raw.count(_MANUAL_KEY) == 1:
        return story, frozenset(x for x, quoted in _QUOTED.items() if quoted not in listed[1])
    doc = doc if doc is not None else _parsed(raw)
    manual = doc.get(ANNOTATION.manual, []) if doc is not None else None
    if not isinstance(manual, list):
        return story, frozenset(LAYERS)
    return story, frozenset(x for x in LAYERS if x not in manual)


@dataclass
class Signatures:
    """What the pre-pass keeps of a run of articles: no text, a few hundred bytes each."""

    digests: list[bytes | None]
    stories: list[str | None]
    minhashes: np.ndarray  # (articles, NUM_PERM) uint32; zeros where unreadable
    automatic: list[bool] = field(default_factory=list)  # entity layer left to the tagger
    lengths: list[int] = field(default_factory=list)  # characters; 0 where unreadable
    # Each article's line keys (warta.furniture.evidence), for furniture evidence.
    lines: list[np.ndarray] = field(default_factory=list)


def sign(part: Sequence[ArticleFiles]) -> Signatures:
    """Digest, story, signature and whether the entity layer is automatic, of consecutive
    articles (the unit of work of the pre-pass)."""
    digests: list[bytes | None] = []
    stories: list[str | None] = []
    automatic: list[bool] = []
    lengths: list[int] = []
    lines: list[np.ndarray] = []
    rows = np.zeros((len(part), NUM_PERM), dtype=np.uint32)
    for i, files in enumerate(part):
        story, auto = annotation_facts(files)
        stories.append(story)
        automatic.append(LAYER.entities in auto)
        try:
            assert files.txt_file is not None
            text = decode(read_file(files.txt_file))
        except (OSError, TextError):
            digests.append(None)  # reported where the article is checked
            lengths.append(0)
            lines.append(evidence.NONE)
            continue
        digests.append(digest_of(text))
        lengths.append(len(text))
        # Only articles whose boilerplate is left to the annotators gather evidence.
        lines.append(evidence.line_keys(text) if LAYER.boilerplate in auto else evidence.NONE)
        rows[i] = signature_of(text)
    return Signatures(digests, stories, rows, automatic, lengths, lines)


def signatures(found: Sequence[ArticleFiles], jobs: int = 1) -> Signatures:
    """:func:`sign` over the corpus in ``jobs`` processes, in corpus order."""
    from warta.parallel import chunk_size, ordered_map

    size = chunk_size(len(found), jobs, largest=512)
    parts = [found[i : i + size] for i in range(0, len(found), size)]
    out = Signatures([], [], np.zeros((0, NUM_PERM), dtype=np.uint32))
    blocks = []
    for part in ordered_map(sign, parts, jobs, chunk=1):
        out.digests += part.digests
        out.stories += part.stories
        out.automatic += part.automatic
        out.lengths += part.lengths
        out.lines += part.lines
        blocks.append(part.minhashes)
    if blocks:
        out.minhashes = np.concatenate(blocks)
    return out


def candidate_pairs(minhashes: np.ndarray, rows: Sequence[int]) -> Iterator[tuple[int, int]]:
    """Pairs (of positions in ``rows``) that agree on a whole band: LSH candidates."""
    index = np.asarray(rows, dtype=np.int64)
    if len(index) < 2:
        return
    sig = minhashes[index]
    for band in range(BANDS):
        cols = np.ascontiguousarray(sig[:, band * ROWS : (band + 1) * ROWS])
        keys = cols.view(np.dtype((np.void, cols.dtype.itemsize * ROWS))).ravel()
        order = np.argsort(keys, kind="stable")
        ordered_keys = keys[order]
        starts = np.flatnonzero(np.r_[True, ordered_keys[1:] != ordered_keys[:-1]])
        ends = np.r_[starts[1:], len(order)]
        for start, end in zip(starts[ends - starts > 1], ends[ends - starts > 1], strict=True):
            members = sorted(order[start:end].tolist())
            if len(members) <= _BUCKET_PAIRS:
                for a, pos in enumerate(members):
                    for b in members[a + 1 :]:
                        yield pos, b
            else:
                for b in members[1:]:
                    yield members[0], b


@dataclass
class Released:
    """Which articles earlier releases contain, and in which split."""

    first: dict[str, int] = field(default_factory=dict)  # id -> index of its first release
    split: dict[str, str] = field(default_factory=dict)  # id -> recorded split, where recorded

    @classmethod
    def read(cls, records: Mapping[str, Mapping[str, Any]]) -> Released:
        """From release records (``warta.release_records.records``), oldest first."""
        out = cls()
        for index, record in enumerate(records.values()):
            for aid, entry in record.get("manifest", {}).items():
                out.first.setdefault(aid, index)
                if isinstance(entry, dict) and entry.get("split") in splits.SPLITS:
                    out.split[aid] = entry["split"]
        return out


@dataclass
class Plan:
    """The outcome of the duplicate checks: problems, and the split of every article."""

    problems: list[Problem] = field(default_factory=list)
    overrides: dict[str, str] = field(default_factory=dict)  # id -> split, where not its own
    keys: dict[str, str] = field(default_factory=dict)  # id -> story key, where not the id
    groups: int = 0
    grouped: int = 0  # articles in near-duplicate groups
    tagger_needed: bool = True  # some article's entity layer is left to the tagger
    # Lines repeated across an outlet's articles (warta.furniture.evidence).
    evidence: frozenset[int] = frozenset()
    # Each article's characters, in the order of the files planned (0 where
    # unreadable): the build works on the long ones in pieces.
    lengths: array[int] = field(default_factory=lambda: array("q"))

    def split(self, article_id: str) -> str:
        """The split an article is released in."""
        own = self.keys.get(article_id, article_id)
        return self.overrides.get(article_id) or splits.assign(own)


class _Union:
    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def join(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def _exact_duplicates(
    found: list[ArticleFiles], digests: list[bytes | None]
) -> tuple[list[int], list[Problem]]:
    """The articles that keep their text (the first by id of each), and errors for the others."""
    by_order = sorted(range(len(found)), key=lambda i: found[i].id)
    first_with: dict[bytes, int] = {}
    unique, problems = [], []
    for i in by_order:
        digest = digests[i]
        if digest is None:
            continue
        if digest in first_with:
            other = found[first_with[digest]]
            problems.append(
                Problem(
                    str(found[i].txt),
                    "file",
                    f"the same text as {other.txt} (article {other.id!r}); remove one copy, "
                    "or, if they are different articles, correct the text of the wrong one",
                    "text-duplicate",
                )
            )
        else:
            first_with[digest] = i
            unique.append(i)
    return unique, problems


def _near_pairs(minhashes: np.ndarray, unique: list[int], ids: list[str]) -> set[tuple[int, int]]:
    """LSH candidates whose estimated similarity reaches THRESHOLD (first by id first)."""
    pairs = set()
    for a, b in candidate_pairs(minhashes, unique):
        i, j = sorted((unique[a], unique[b]), key=lambda k: ids[k])
        if (i, j) in pairs:
            continue
        if float(np.mean(minhashes[i] == minhashes[j])) >= THRESHOLD:
            pairs.add((i, j))
    return pairs


def _groups(pairs: set[tuple[int, int]], ids: list[str], keys: dict[str, str]) -> list[list[int]]:
    """The near-duplicate groups, with the articles sharing a story key with a member."""
    union = _Union(len(ids))
    for i, j in pairs:
        union.join(i, j)
    near = {union.find(i) for pair in pairs for i in pair}
    by_story: dict[str, int] = {}
    for i, aid in enumerate(ids):
        key = keys.get(aid, aid)
        if key in by_story:
            union.join(by_story[key], i)
        else:
            by_story[key] = i
    near = {union.find(i) for i in near}
    members: dict[int, list[int]] = {}
    for i in range(len(ids)):
        root = union.find(i)
        if root in near:
            members.setdefault(root, []).append(i)
    return list(members.values())


def _split_groups(
    out: Plan,
    groups: list[list[int]],
    found: list[ArticleFiles],
    own: list[str],
    released: Released,
) -> None:
    """One split per group: a released member's, else its first article's own."""
    ids = [f.id for f in found]

    def was_released_in(i: int) -> str | None:
        if ids[i] not in released.first:
            return None
        return released.split.get(ids[i], own[i])  # records before splits were kept: own key

    for group in groups:
        group.sort(key=lambda k: ids[k])
        old = sorted((released.first[ids[i]], ids[i], i) for i in group if ids[i] in released.first)
        anchor = old[0][2] if old else group[0]
        split = was_released_in(anchor) or own[anchor]
        kept = {was_released_in(i) for _v, _id, i in old}
        for i in group:
            target = was_released_in(i) or split
            if target != own[i]:
                out.overrides[ids[i]] = target
        if len(kept) > 1:
            out.problems.append(
                Problem(
                    str(found[anchor].txt),
                    "file",
                    "near-duplicates of this article were released in other splits ("
                    + ", ".join(f"{ids[i]}: {was_released_in(i)}" for _v, _id, i in old)
                    + f"); released articles keep their splits, new ones join {split}",
                    "near-duplicate",
                )
            )


def plan(
    found: Sequence[ArticleFiles],
    jobs: int = 1,
    released: Released | None = None,
) -> Plan:
    """Find duplicate texts (errors) and near-duplicates (warnings), and split every article.

    ``found`` are the corpus's articles (with a ``.txt``); ``released`` what
    earlier releases hold. The same function serves ``validate`` and the build.
    """
    released = released or Released()
    found = [f for f in found if f.txt_file is not None]
    sigs = signatures(found, jobs)
    out = Plan(tagger_needed=any(sigs.automatic), lengths=array("q", sigs.lengths))
    ids = [f.id for f in found]
    for aid, story in zip(ids, sigs.stories, strict=True):
        if story and story != aid:
            out.keys[aid] = story
    own = [splits.assign(story or aid) for aid, story in zip(ids, sigs.stories, strict=True)]
    unique, out.problems = _exact_duplicates(found, sigs.digests)
    pairs = _near_pairs(sigs.minhashes, unique, ids)
    first = list(range(len(ids)))  # per article, the first article of its group
    if pairs:
        groups = _groups(pairs, ids, out.keys)
        out.groups = len(groups)
        out.grouped = sum(map(len, groups))
        _split_groups(out, groups, found, own, released)
        for group in groups:
            for i in group:
                first[i] = min(group)
    out.evidence = evidence.repeated(sigs.lines, first)
    for i, j in sorted(pairs, key=lambda p: (ids[p[0]], ids[p[1]])):
        similarity = float(np.mean(sigs.minhashes[i] == sigs.minhashes[j]))
        split = out.split(ids[j])
        out.problems.append(
            Problem(
                str(found[j].txt),
                "file",
                f"nearly the same text as {found[i].txt} (estimated similarity "
                f"{similarity:.2f}); both are kept in split {split}; if one is a copy of "
                "the other, remove it",
                "near-duplicate",
            )
        )
    _keep_released(out, ids, own, released)
    return out


def _keep_released(out: Plan, ids: list[str], own: list[str], released: Released) -> None:
    """A released article stays in the split it was released in, in a group or not."""
    for aid, split in zip(ids, own, strict=True):
        recorded = released.split.get(aid)
        if recorded is not None and recorded != split:
            out.overrides[aid] = recorded


def read_released(folder: str | Path | None) -> Released:
    """What the release records in ``folder`` (``releases/``) hold; nothing if no folder."""
    if folder is None or not Path(folder).is_dir():
        return Released()
    from warta.release_records import records

    return Released.read(records(Path(folder)))
