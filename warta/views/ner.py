"""The ``ner`` config: one row per sentence of content, tokenised, with IOB2 entity tags.

Tokens and sentences come from spaCy's Indonesian language data (the
tokenizer of ``spacy.blank("id")`` and the rule-based ``sentencizer``; no
trained model), so the config follows a maintained tokenisation rather than
the project's own regexes. Three things are added on top, because a
token-classification set must give back exactly the annotated entities:

- tokens are cut at every entity and boilerplate boundary, so glued scrapes
  (``terdakwaBudi`` with an entity at ``Budi``) still tag correctly;
- sentences run over content only: never across a boilerplate span or a line
  break (scraped pages keep one paragraph or headline per line, often without
  a final stop);
- a sentence boundary is never put inside an entity.

A whitespace-free chunk longer than 256 characters (a separator line of
``-``, a base64 image) is tokenised in pieces of 256, so that tokenising is
linear in the text; no token of news text is that long.

Speed: the build does over a thousand articles a second, so an article is
worked on as NumPy arrays of offsets, not token by token. spaCy tokenises each
whitespace-free chunk once per process: the memo keeps, per chunk, where its
tokens start and what the sentencizer reads of each (spaCy's own cache stays
off for any text that hits one of the Indonesian special cases, which is
almost every article). The sentencizer's rule is applied to those readings
as array operations rather than to a ``Doc`` built for it: building the
``Doc`` and walking its ``Token`` objects cost more than all the rest. What
the rule reads of a token (is it one of the sentencizer's ``punct_chars``, is
its spaCy lexeme ``is_punct``) is taken from the pipeline itself, so the
sentences are the sentencizer's (a test checks them against the pipe on a
real ``Doc``). In the build, the token strings of the ``tokens`` column are
cut out of the articles' UTF-8 bytes by Arrow (:class:`Builder`); only
:func:`rows`, the config's definition, makes one Python string per token.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import cache
from itertools import pairwise
from operator import itemgetter
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np

from warta.export.parquet import Columns, Lists
from warta.schema import LAYER
from warta.views.columns import piece_of
from warta.views.content import Fragment, boilerplate_spans, content_fragments

if TYPE_CHECKING:
    from collections.abc import Iterator

    import pyarrow as pa
    from spacy.language import Language
    from spacy.tokenizer import Tokenizer

# The token the sentencizer's rule sees between two blocks of content, as if
# they were one Doc (not punctuation, so no stop carries over into the next
# block); it also separates the chunks given to the tokenizer in one call.
_BREAK = "\n"
_CACHE_LIMIT = 300_000

_NLP: Language | None = None
# Token text -> what the sentencizer sees of it: _PLAIN (may start a
# sentence), _STOP (one of its punct_chars) or _OTHER (other punctuation).
_KINDS: dict[str, int] = {}
_PLAIN, _STOP, _OTHER = 0, 1, 2
# Whitespace-free chunk -> the kind of its one token when spaCy keeps it
# whole, as it does most, else _SPLIT ...
_CODES: dict[str, int] = {}
_SPLIT = 3
# ... and then, in _SPLITS, its number of tokens, their starts inside it (the
# first is 0; each token ends where the next starts) as int32 bytes, and
# their kinds as int8 bytes: bytes, so an article's are joined in one call.
_SPLITS: dict[str, tuple[int, bytes, bytes]] = {}

# Every whitespace code point lies below _SPACE_LIMIT (a test checks all of
# Unicode), so a table of that size, with False at its end for the code
# points past it, tells str.split()'s whitespace for a whole text at once.
_SPACE_LIMIT = 0x3001
_CHUNK = re.compile(r"\S+")
# spaCy's suffix search scans a chunk's whole remaining text for each token it
# peels off, which is quadratic in a chunk of punctuation (16 KB of "-" took a
# minute); longer chunks are tokenised in pieces of this many characters. No
# word of news text comes near it (URLs included).
_LONGEST = 256


_TOKENIZER = "warta.indonesian_tokenizer.v1"


def _tokenizer_factory() -> Callable[[Language], Tokenizer]:
    """spaCy's default tokenizer of a language, but with ``match`` for its prefix search.

    spaCy anchors every prefix alternative with ``^``, so ``match`` finds what
    ``search`` finds without retrying at every position: the prefix search is
    five times faster, and loading the 16,000 Indonesian special cases (which
    tokenises each of them) a third faster.
    """
    from spacy.tokenizer import Tokenizer
    from spacy.util import compile_infix_regex, compile_prefix_regex, compile_suffix_regex

    def create(nlp: Language) -> Tokenizer:
        defaults = nlp.Defaults
        return Tokenizer(
            nlp.vocab,
            rules=defaults.tokenizer_exceptions,
            prefix_search=compile_prefix_regex(defaults.prefixes).match,
            suffix_search=compile_suffix_regex(defaults.suffixes).search,
            infix_finditer=compile_infix_regex(defaults.infixes).finditer,
            token_match=defaults.token_match,
            url_match=defaults.url_match,
        )

    return create


def pipeline() -> Language:
    """spaCy's blank Indonesian pipeline with the sentencizer, made once per process."""
    global _NLP
    if _NLP is None:
        import spacy  # imported here: validating must not pay for it

        if _TOKENIZER not in spacy.registry.tokenizers:
            spacy.registry.tokenizers.register(_TOKENIZER, func=_tokenizer_factory)
        nlp = spacy.blank("id", config={"nlp": {"tokenizer": {"@tokenizers": _TOKENIZER}}})
        nlp.add_pipe("sentencizer")
        _NLP = nlp
    return _NLP


def _reset() -> None:
    """Start afresh: the memo and spaCy's string store both grow with the vocabulary."""
    global _NLP
    _CODES.clear()
    _SPLITS.clear()
    _KINDS.clear()
    _NLP = None


def _kind(word: str) -> int:
    """What the sentencizer reads of a token with text ``word`` (memoised)."""
    kind = _KINDS.get(word)
    if kind is None:
        nlp = pipeline()
        if word in nlp.get_pipe("sentencizer").punct_chars:
            kind = _STOP
        elif nlp.vocab[word].is_punct:
            kind = _OTHER
        else:
            kind = _PLAIN
        _KINDS[word] = kind
    return kind


def _learn(chunks: Sequence[str]) -> None:
    """Memoise spaCy's tokens of each chunk not seen yet."""
    missing = [c for c in dict.fromkeys(chunks) if c not in _CODES]
    if not missing:
        return
    from spacy.attrs import IDX, IS_SPACE, LENGTH

    if len(_CODES) + len(_KINDS) + len(missing) > _CACHE_LIMIT:
        _reset()
        missing = list(dict.fromkeys(chunks))  # the reset forgot the others too
    # One tokenizer call for all new chunks; the line breaks between them
    # keep every token (and every multi-word special case) inside its chunk.
    doc = pipeline().tokenizer(_BREAK.join(missing))
    found: list[list[int]] = [[] for _ in missing]
    k, base = 0, 0
    for idx, length, space in doc.to_array([IDX, LENGTH, IS_SPACE]).tolist():
        if space:
            continue
        while idx >= base + len(missing[k]):
            base += len(missing[k]) + len(_BREAK)
            k += 1
        found[k] += (idx - base, idx - base + length)
    for chunk, bounds in zip(missing, found, strict=True):
        # A chunk holds no whitespace, so its tokens cover it end to end.
        if bounds[0] != 0 or bounds[-1] != len(chunk) or bounds[2::2] != bounds[1:-1:2]:
            raise AssertionError(f"spaCy's tokens do not cover {chunk!r}")
        if len(bounds) == 2:
            _CODES[chunk] = _kind(chunk)
        else:
            _CODES[chunk] = _SPLIT
            starts = bounds[::2]
            kinds = [_kind(chunk[a:b]) for a, b in pairwise([*starts, len(chunk)])]
            _SPLITS[chunk] = (
                len(starts),
                np.array(starts, dtype=np.int32).tobytes(),
                np.array(kinds, dtype=np.int8).tobytes(),
            )


@cache
def _space_table() -> np.ndarray:
    table = np.zeros(_SPACE_LIMIT + 1, dtype=bool)
    table[:_SPACE_LIMIT] = [chr(c).isspace() for c in range(_SPACE_LIMIT)]
    return table


def _code_points(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


def _chunks(
    text: str, code_points: np.ndarray, content: Sequence[Fragment]
) -> tuple[list[str], np.ndarray, np.ndarray]:
    """The whitespace-free chunks of the content fragments (as ``str.split`` cuts
    them), with their starts and ends in the text."""
    chunks: list[str] = []
    if not content:
        return chunks, np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    for frag in content:
        chunks += text[frag.start : frag.end].split()
    # The content's characters that are no whitespace, between two False
    # ends: a chunk starts where False turns True and ends where it turns back.
    cuts = [0]
    for frag in content:
        cuts += (frag.start + 1, frag.end + 1)
    cuts.append(len(text) + 2)
    word = np.repeat(np.arange(len(cuts) - 1) % 2 == 1, np.diff(cuts))
    word[1:-1] &= ~_space_table()[np.minimum(code_points, _SPACE_LIMIT)]
    edges = np.flatnonzero(word[1:] != word[:-1])
    starts, ends = edges[::2], edges[1::2]
    if len(starts) != len(chunks):
        # Two fragments touch (an empty boilerplate span between them, which
        # validation refuses): the mask ran their chunks together.
        found = [m.span() for f in content for m in _CHUNK.finditer(text, f.start, f.end)]
        starts, ends = np.array(found, dtype=np.int64).reshape(-1, 2).T
    if len(starts) and int((ends - starts).max()) > _LONGEST:
        return _pieces(chunks, starts, ends)
    return chunks, starts, ends


def _pieces(
    chunks: list[str], starts: np.ndarray, ends: np.ndarray
) -> tuple[list[str], np.ndarray, np.ndarray]:
    """The chunks with every one longer than ``_LONGEST`` cut into pieces that long
    (the last shorter), so that tokenising stays linear in the text."""
    out: list[str] = []
    at: list[int] = []
    for chunk, start in zip(chunks, starts.tolist(), strict=True):
        if len(chunk) <= _LONGEST:
            out.append(chunk)
            at.append(start)
            continue
        for k in range(0, len(chunk), _LONGEST):
            out.append(chunk[k : k + _LONGEST])
            at.append(start + k)
    new_starts = np.array(at, dtype=np.int64)
    return out, new_starts, new_starts + np.fromiter(map(len, out), np.int64, len(out))


class Tokens(NamedTuple):
    """An article's tokens in text order, as arrays."""

    starts: np.ndarray
    ends: np.ndarray
    kinds: np.ndarray
    """What the sentencizer reads of each (``_PLAIN``, ``_STOP``, ``_OTHER``)."""


def _tokens(
    text: str, code_points: np.ndarray, content: Sequence[Fragment], bounds: list[int]
) -> Tokens:
    """The tokens of the content fragments: spaCy's tokens of each whitespace-free
    chunk, cut again at every entity boundary inside one."""
    chunks, starts, ends = _chunks(text, code_points, content)
    codes = list(map(_CODES.get, chunks))
    if None in codes:
        _learn(chunks)
        codes = list(map(_CODES.__getitem__, chunks))
    kinds = np.array(codes, dtype=np.int8)
    split = kinds == _SPLIT
    if split.any():
        where = np.flatnonzero(split)
        layouts = [_SPLITS[chunks[i]] for i in where.tolist()]
        counts = np.ones(len(chunks), dtype=np.int64)
        counts[where] = list(map(itemgetter(0), layouts))
        owner = np.repeat(np.arange(len(chunks)), counts)  # each token's chunk
        inner = np.flatnonzero(split[owner])  # the tokens of split chunks, in order
        starts = starts[owner]
        starts[inner] += np.frombuffer(b"".join(map(itemgetter(1), layouts)), np.int32)
        kinds = kinds[owner]
        kinds[inner] = np.frombuffer(b"".join(map(itemgetter(2), layouts)), np.int8)
        last = np.cumsum(counts) - 1  # each chunk's last token ends with the chunk
        chunk_ends = ends
        ends = np.empty_like(starts)
        ends[:-1] = starts[1:]
        ends[last] = chunk_ends
    if bounds:
        # An entity boundary inside a token (a glued scrape): cut there, and
        # read the new tokens' texts again. Rare, so done in Python.
        at = np.asarray(bounds)
        token = np.searchsorted(starts, at, side="right") - 1
        hit = token >= 0
        at, token = at[hit], token[hit]
        cuts = at[(at > starts[token]) & (at < ends[token])]
        if len(cuts):
            starts = np.sort(np.concatenate([starts, cuts]))
            ends = np.sort(np.concatenate([ends, cuts]))
            kinds = np.fromiter(
                (_kind(text[a:b]) for a, b in zip(starts.tolist(), ends.tolist(), strict=True)),
                np.int8,
                len(starts),
            )
    return Tokens(starts, ends, kinds)


def _block_starts(content: Sequence[Fragment], entities: list[tuple[int, int, str]]) -> list[int]:
    """Where each run of content that no sentence may cross starts: every
    fragment starts one, unless an entity runs over the break before it."""
    out: list[int] = []
    k = 0
    previous_end = -1
    for frag in content:
        if out:
            while k < len(entities) and entities[k][1] <= previous_end:
                k += 1
            if k < len(entities) and entities[k][0] < previous_end:
                previous_end = frag.end
                continue  # an entity runs over the break
        out.append(frag.start)
        previous_end = frag.end
    return out


def _sentence_starts(kinds: np.ndarray, firsts: np.ndarray, broken: int) -> np.ndarray:
    """The sentencizer's guesses: each plain token with a stop since the plain token before.

    Its Doc holds every block, a break token of kind ``broken`` between two
    (``firsts`` are the blocks' first tokens), whose own guesses are dropped:
    a plain break ends the run of stops before it, a stop break is a stop.
    """
    stop = kinds == _STOP
    if broken == _STOP and len(firsts) > 1:
        stop = stop.astype(np.int64)
        stop[firsts[1:]] += 1
    seen = np.cumsum(stop)  # stops up to each token
    plain = np.flatnonzero(kinds == _PLAIN)
    at = seen[plain]
    before = np.zeros_like(at)  # stops up to the plain token before
    before[1:] = at[:-1]
    if broken == _PLAIN and len(firsts) > 1:
        # Stops up to each block's break, for the plain tokens after it.
        block = np.searchsorted(firsts, plain, side="right") - 1
        at_break = np.zeros(len(firsts), dtype=seen.dtype)
        at_break[1:] = seen[firsts[1:] - 1]
        before = np.maximum(before, at_break[block])
    return plain[at > before]


@cache
def _tag_ids() -> tuple[dict[str, tuple[int, int]], np.ndarray, int, list[str]]:
    """The ``ner_tags`` ClassLabel's ids, from the schema: (B, I) per entity label,
    which ids are I, the id of ``O``, and every id's name."""
    from warta import schema

    names = schema.labels("ner_tag")
    ids = schema.label_ids("ner_tag")
    labels = {name[2:] for name in names if name != "O"}
    pairs = {label: (ids["B-" + label], ids["I-" + label]) for label in labels}
    inside = np.zeros(len(names), dtype=bool)
    inside[[i for _b, i in pairs.values()]] = True
    return pairs, inside, ids["O"], names


def _tags(t_starts: list[int], entities: list[tuple[int, int, str]]) -> list[int]:
    """IOB2 tag ids of a run of tokens, token by token (entities may overlap)."""
    pairs, _inside, outside, _names = _tag_ids()
    tags: list[int] = []
    k = 0
    ne = len(entities)
    for start in t_starts:
        while k < ne and entities[k][1] <= start:
            k += 1
        if k < ne and entities[k][0] <= start:
            begin, inner = pairs[entities[k][2]]
            tags.append(begin if entities[k][0] == start else inner)
        else:
            tags.append(outside)
    return tags


def _tags_disjoint(t_starts: np.ndarray, entities: list[tuple[int, int, str]]) -> np.ndarray:
    """What ``_tags`` gives when no two entities overlap, for all entities at once."""
    pairs, _inside, outside, _names = _tag_ids()
    tags = np.full(len(t_starts), outside, dtype=np.int64)
    if not entities:
        return tags
    e_starts, e_ends, labels = zip(*entities, strict=True)
    begin, inner = np.array([pairs[label] for label in labels], dtype=np.int64).T
    lo = np.searchsorted(t_starts, e_starts)
    hi = np.searchsorted(t_starts, e_ends)
    has = lo < hi  # the entity covers the start of a token
    lo, hi, begin, inner = lo[has], hi[has], begin[has], inner[has]
    # The tokens of each entity, one range after the other: they do not overlap.
    sizes = hi - lo
    within = np.arange(sizes.sum()) - np.repeat(np.cumsum(sizes) - sizes - lo, sizes)
    tags[within] = np.repeat(inner, sizes)
    exact = t_starts[lo] == np.asarray(e_starts)[has]
    tags[lo[exact]] = begin[exact]
    return tags


class Sentences(NamedTuple):
    """An article's tagged sentences, column-wise: its tokens in text order,
    sentence ``n`` being tokens ``cuts[n]`` to ``cuts[n + 1]``."""

    starts: np.ndarray
    ends: np.ndarray
    tags: np.ndarray
    """``ner_tags`` ClassLabel ids."""
    cuts: np.ndarray
    code_points: np.ndarray
    """The text's code points, from which the builder finds UTF-8 offsets."""


def sentences(record: dict[str, Any]) -> Sentences:
    """The tokens, tags and sentences of one ``articles`` record's content."""
    text = record["text"]
    bp = boilerplate_spans(record)
    entities = sorted((e["start"], e["end"], e["label"]) for e in record[LAYER.entities])
    content = content_fragments(text, bp)
    code_points = _code_points(text)
    bounds = sorted({e[0] for e in entities}.union(e[1] for e in entities))
    tokens = _tokens(text, code_points, content, bounds)
    if not len(tokens.starts):
        empty = np.zeros(0, dtype=np.int64)
        return Sentences(empty, empty, empty, np.zeros(1, dtype=np.int64), code_points)
    if all(a[1] <= b[0] for a, b in pairwise(entities)):
        tags = _tags_disjoint(tokens.starts, entities)
    else:
        tags = np.array(_tags(tokens.starts.tolist(), entities), dtype=np.int64)
    # The sentencizer's rule, as it runs over one Doc of all blocks with a
    # break token between them: a plain token after a stop starts a sentence.
    # Preset: a block starts a sentence, and one never starts inside an
    # entity; the sentencizer decides the rest (all, if it overwrites).
    firsts = np.searchsorted(tokens.starts, _block_starts(content, entities))
    guesses = _sentence_starts(tokens.kinds, firsts, _kind(_BREAK))
    if not pipeline().get_pipe("sentencizer").overwrite:
        guesses = guesses[~_tag_ids()[1][tags[guesses]]]
    is_cut = np.zeros(len(tokens.starts) + 1, dtype=bool)
    is_cut[firsts] = True
    is_cut[guesses] = True
    is_cut[-1] = True
    cuts = np.flatnonzero(is_cut)
    return Sentences(tokens.starts, tokens.ends, tags, cuts, code_points)


def rows(record: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """The tagged sentences of one ``articles`` record, in text order."""
    text = record["text"]
    aid = record["id"]
    status = record["status"][LAYER.entities]
    names = _tag_ids()[3]
    sent = sentences(record)
    starts, ends, tags = sent.starts.tolist(), sent.ends.tolist(), sent.tags.tolist()
    for first, stop in pairwise(sent.cuts.tolist()):
        s_start, s_end = starts[first], ends[stop - 1]
        yield {
            "id": f"{aid}:s{s_start}-{s_end}",
            "article_id": aid,
            "start": s_start,
            "end": s_end,
            "text": text[s_start:s_end],
            "tokens": [
                text[a:b] for a, b in zip(starts[first:stop], ends[first:stop], strict=True)
            ],
            "ner_tags": [names[t] for t in tags[first:stop]],
            "offsets": {"start": starts[first:stop], "end": ends[first:stop]},
            "status": status,
        }


def _utf8_offsets(text: str, code_points: np.ndarray, offsets: np.ndarray) -> np.ndarray:
    """Offsets into ``text`` as offsets into its UTF-8 bytes."""
    if text.isascii():
        return offsets
    widths = 1 + (code_points >= 0x80) + (code_points >= 0x800) + (code_points >= 0x10000)
    at = np.zeros(len(text) + 1, dtype=np.int64)
    np.cumsum(widths, out=at[1:])
    return at[offsets]


def _token_strings(data: bytes, starts: np.ndarray, ends: np.ndarray) -> pa.Array:
    """The strings ``data[starts[i]:ends[i]]`` (UTF-8 byte offsets, in order,
    not overlapping), cut by Arrow: every other value of a string array whose
    offsets run start, end, start, end..."""
    import pyarrow as pa

    if not len(starts):
        return pa.array([], pa.string())
    offsets = np.empty(2 * len(starts), dtype=np.int32)
    offsets[0::2] = starts
    offsets[1::2] = ends
    interleaved = pa.StringArray.from_buffers(
        len(offsets) - 1, pa.py_buffer(offsets), pa.py_buffer(data)
    )
    return interleaved.take(pa.array(np.arange(0, len(offsets) - 1, 2)))


class Builder:
    """Collects the rows of many records, as :func:`rows` gives them, column by column.

    There is a row per sentence, a few dozen per article: arrays of offsets
    and tag ids cost a fraction of a dict per row, and the token strings are
    cut from the articles' bytes in one go. Records are added one at a time,
    so the build can turn each one into every config's rows in turn.
    """

    def __init__(self) -> None:
        from warta import schema

        self._status = schema.label_ids("layer_status")
        self.ids: list[str] = []
        self.article_ids: list[str] = []
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.texts: list[str] = []
        self.status: list[int] = []
        self._utf8: list[bytes] = []
        self._size = 0  # of the UTF-8 so far
        self._tokens = 0  # so far
        self._parts: list[tuple[np.ndarray, ...]] = []

    def add(self, record: dict[str, Any]) -> None:
        """Add the record's sentences."""
        sent = sentences(record)
        n_sentences = len(sent.cuts) - 1
        if n_sentences < 1:
            return
        text = record["text"]
        aid = record["id"]
        offset = piece_of(record)[0]  # offsets are written at the article's
        s_starts = sent.starts[sent.cuts[:-1]]
        s_ends = sent.ends[sent.cuts[1:] - 1]
        self.texts += [text[a:b] for a, b in zip(s_starts.tolist(), s_ends.tolist(), strict=True)]
        s_starts = (s_starts + offset).tolist()
        s_ends = (s_ends + offset).tolist()
        self.ids += [f"{aid}:s{a}-{b}" for a, b in zip(s_starts, s_ends, strict=True)]
        self.starts += s_starts
        self.ends += s_ends
        self.article_ids += [aid] * n_sentences
        self.status += [self._status[record["status"][LAYER.entities]]] * n_sentences
        utf8 = text.encode("utf-8")
        byte_starts = _utf8_offsets(text, sent.code_points, sent.starts) + self._size
        byte_ends = _utf8_offsets(text, sent.code_points, sent.ends) + self._size
        self._parts.append(
            (
                sent.starts + offset,
                sent.ends + offset,
                sent.tags,
                sent.cuts[1:] + self._tokens,
                byte_starts,
                byte_ends,
            )
        )
        self._utf8.append(utf8)
        self._size += len(utf8)
        self._tokens += len(sent.starts)

    def __len__(self) -> int:
        return len(self.ids)

    def columns(self) -> Columns:
        """The rows added so far, for :func:`warta.export.parquet.table_from_columns`."""
        parts = [np.concatenate(column) for column in zip(*self._parts, strict=True)] or [
            np.zeros(0, dtype=np.int64)
        ] * 6
        starts, ends, tags, cuts, byte_starts, byte_ends = parts
        offsets = np.concatenate([[0], cuts])
        return {
            "id": self.ids,
            "article_id": self.article_ids,
            "start": self.starts,
            "end": self.ends,
            "text": self.texts,
            "tokens": Lists(offsets, _token_strings(b"".join(self._utf8), byte_starts, byte_ends)),
            "ner_tags": Lists(offsets, tags),
            "offsets": {"start": Lists(offsets, starts), "end": Lists(offsets, ends)},
            "status": self.status,
        }
