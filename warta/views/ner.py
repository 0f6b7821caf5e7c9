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

Speed: the build does hundreds of articles a second, so the spaCy pipeline is
made once per process, and the tokenisation of each whitespace-free chunk is
memoised (spaCy's own cache stays off for any text that hits one of the
Indonesian special cases, which is almost every article). The sentencizer's
rule is applied straight to the token texts rather than to a ``Doc`` built for
it: building the ``Doc`` and walking its ``Token`` objects cost more than all
the rest. What the rule reads of a token (is it one of the sentencizer's
``punct_chars``, is its spaCy lexeme ``is_punct``) is taken from the pipeline
itself and memoised per token text, so the sentences are the sentencizer's
(a test checks them against the pipe on a real ``Doc``).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterator, Sequence
from functools import cache
from itertools import accumulate, compress, count, pairwise
from operator import add, itemgetter
from typing import TYPE_CHECKING, Any, NamedTuple

from warta.export.parquet import Columns, Lists
from warta.views.content import Fragment, boilerplate_spans, content_fragments

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokenizer import Tokenizer

# Marks the break between two blocks of content in the Doc given to the
# sentencizer: not punctuation, so no stop carries over into the next block.
_BREAK = "\n"
_CACHE_LIMIT = 300_000
_ONE = 1

_NLP: Language | None = None
# Chunk -> its tokens as (starts, ends, texts) inside the chunk; empty when
# the chunk is one token, as most are, to keep the memo small.
Pieces = tuple[tuple[int, ...], tuple[int, ...], tuple[str, ...]] | tuple[()]
_PIECES: dict[str, Pieces] = {}
# Token text -> what the sentencizer sees of it: _PLAIN (may start a
# sentence), _STOP (one of its punct_chars) or _OTHER (other punctuation).
_KINDS: dict[str, int] = {}
_PLAIN, _STOP, _OTHER = 0, 1, 2


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
    _PIECES.clear()
    _KINDS.clear()
    _NLP = None


def _split(chunks: Sequence[str]) -> list[Pieces]:
    """Token offsets inside each whitespace-free chunk, by spaCy's tokenizer."""
    try:
        return list(map(_PIECES.__getitem__, chunks))  # all memoised, as for most articles
    except KeyError:
        pass
    missing = [c for c in dict.fromkeys(chunks) if c not in _PIECES]
    if missing:
        from spacy.attrs import IDX, IS_SPACE, LENGTH

        if len(_PIECES) + len(_KINDS) + len(missing) > _CACHE_LIMIT:
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
        for chunk, pieces in zip(missing, found, strict=True):
            whole = len(pieces) == 2 and pieces[1] - pieces[0] == len(chunk)
            _PIECES[chunk] = (
                ()
                if whole
                else (
                    tuple(pieces[::2]),
                    tuple(pieces[1::2]),
                    tuple(chunk[a:b] for a, b in zip(pieces[::2], pieces[1::2], strict=True)),
                )
            )
    return [_PIECES[c] for c in chunks]


def _blocks(
    content: Sequence[Fragment], entities: list[tuple[int, int, str]]
) -> list[list[Fragment]]:
    """Content fragments grouped into runs that no sentence may cross; an entity joins them."""
    blocks: list[list[Fragment]] = []
    k = 0
    for frag in content:
        if blocks:
            gap_start = blocks[-1][-1].end
            while k < len(entities) and entities[k][1] <= gap_start:
                k += 1
            if k < len(entities) and entities[k][0] < gap_start:
                blocks[-1].append(frag)  # an entity runs over the break
                continue
        blocks.append([frag])
    return blocks


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


Tokens = tuple[list[int], list[int], list[str]]
"""Tokens as parallel lists: raw starts, raw ends and texts."""


def _chunks(text: str, frag: Fragment) -> tuple[list[str], list[int], list[int]]:
    """The whitespace-free chunks of a fragment, with their raw starts and ends."""
    start = frag.start
    piece = text[start : frag.end]
    chunks = piece.split()
    sizes = list(map(len, chunks))
    if len(piece) == sum(sizes) + len(chunks) - 1:
        # One whitespace character between chunks, as almost always: no search.
        starts = list(accumulate(map(_ONE.__add__, sizes), initial=start))
        starts.pop()
    else:
        starts = []
        find = text.find
        for chunk in chunks:
            start = find(chunk, start)
            starts.append(start)
            start += len(chunk)
    return chunks, starts, list(map(add, starts, sizes))


def _cut(text: str, base: int, pieces: Pieces, end: int, bounds: list[int]) -> Tokens:
    """The tokens of one chunk (``pieces`` as in the memo), cut at every boundary inside."""
    spans = list(zip(pieces[0], pieces[1], strict=True)) if pieces else [(0, end - base)]
    t_starts: list[int] = []
    t_ends: list[int] = []
    b = bisect_right(bounds, base)
    nb = len(bounds)
    for rel_start, rel_end in spans:
        start, stop = base + rel_start, base + rel_end
        while b < nb and bounds[b] <= start:
            b += 1
        while b < nb and bounds[b] < stop:
            t_starts.append(start)
            t_ends.append(bounds[b])
            start = bounds[b]
            b += 1
        t_starts.append(start)
        t_ends.append(stop)
    return t_starts, t_ends, [text[s:e] for s, e in zip(t_starts, t_ends, strict=True)]


def _tokens(text: str, blocks: list[list[Fragment]], bounds: list[int]) -> tuple[Tokens, list[int]]:
    """All tokens of the blocks, cut at every entity boundary, and the index of
    each non-empty block's first token.

    The article is one run of tokens, not a list per block: most of its
    chunks are one token each and are copied in slices.
    """
    chunks: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    firsts: list[int] = []  # each non-empty block's first chunk
    for block in blocks:
        before = len(chunks)
        for frag in block:
            more, more_starts, more_ends = _chunks(text, frag)
            chunks += more
            starts += more_starts
            ends += more_ends
        if len(chunks) > before:
            firsts.append(before)
    pieces = _split(chunks)
    # Chunks that are not one token as they stand: spaCy splits them, or an
    # entity boundary falls inside one of spaCy's tokens. A boundary at a
    # chunk's start or end, as almost all are, falls inside none; one between
    # spaCy's tokens (a name before its comma) needs no cut either.
    bounded: set[int] = set()
    for bound in set(bounds).difference(starts, ends):
        i = bisect_right(starts, bound) - 1
        if i >= 0 and bound < ends[i] and starts[i] < bound:
            split = pieces[i]
            if not split or bound - starts[i] not in split[0]:
                bounded.add(i)
    order = sorted(bounded.union(compress(count(), pieces)))
    if not order:
        return (starts, ends, chunks), firsts
    t_starts: list[int] = []
    t_ends: list[int] = []
    words: list[str] = []
    # Tokens added beyond one per chunk, up to each chunk of ``order``: a
    # block's first token is its first chunk moved on by those before it.
    added: list[int] = []
    pos = 0
    for i in order:
        t_starts += starts[pos:i]
        t_ends += ends[pos:i]
        words += chunks[pos:i]
        pos = i + 1
        size = len(words)
        split = pieces[i]
        if split and i not in bounded:
            shift = starts[i].__add__
            t_starts += map(shift, split[0])
            t_ends += map(shift, split[1])
            words += split[2]
        else:
            cut = _cut(text, starts[i], split, ends[i], bounds)
            t_starts += cut[0]
            t_ends += cut[1]
            words += cut[2]
        added.append(len(words) - size - 1 + (added[-1] if added else 0))
    t_starts += starts[pos:]
    t_ends += ends[pos:]
    words += chunks[pos:]
    moved = [0, *added]
    firsts = [first + moved[bisect_left(order, first)] for first in firsts]
    return (t_starts, t_ends, words), firsts


def _kinds(words: list[str]) -> list[int]:
    """What the sentencizer reads of each token."""
    kinds = list(map(_KINDS.get, words))
    if None in kinds:
        kinds = list(map(_kind, words))
    return kinds  # type: ignore[return-value]


def _guesses_in(kinds: list[int], first: int, stop: int, seen_stop: bool) -> tuple[list[int], bool]:
    """The sentencizer's guesses among tokens ``first`` to ``stop``: each plain
    token after a stop.

    ``seen_stop`` is its state before the run; the state after it is returned.
    """
    out: list[int] = []
    i = first
    try:
        if not seen_stop:
            i = kinds.index(_STOP, i, stop) + 1
        while True:
            seen_stop = True
            i = kinds.index(_PLAIN, i, stop)
            out.append(i)
            seen_stop = False
            i = kinds.index(_STOP, i + 1, stop) + 1
    except ValueError:  # no further plain token, or no further stop
        return out, seen_stop


@cache
def _tag_ids() -> tuple[dict[str, tuple[int, int]], frozenset[int], int, list[str]]:
    """The ``ner_tags`` ClassLabel's ids, from the schema: (B, I) per entity label,
    the I ids, the id of ``O``, and every id's name."""
    from warta import schema

    names = schema.labels("ner_tag")
    ids = schema.label_ids("ner_tag")
    labels = {name[2:] for name in names if name != "O"}
    pairs = {label: (ids["B-" + label], ids["I-" + label]) for label in labels}
    inside = frozenset(i for _b, i in pairs.values())
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


def _tags_disjoint(
    t_starts: list[int], entities: list[tuple[int, int, str]], e_ends: list[int]
) -> list[int]:
    """What ``_tags`` gives when no two entities overlap: each entity's tokens, by bisection.

    ``e_ends`` are the entities' ends (sorted, as they do not overlap): only
    the entities that reach the run are looked at, not all of the article's.
    """
    pairs, _inside, outside, _names = _tag_ids()
    tags = [outside] * len(t_starts)
    first, last = t_starts[0], t_starts[-1]
    for k in range(bisect_right(e_ends, first), len(entities)):
        e_start, e_end, label = entities[k]
        if e_start > last:
            break
        lo = bisect_left(t_starts, e_start)
        hi = bisect_left(t_starts, e_end)
        if lo < hi:
            begin, inner = pairs[label]
            tags[lo] = begin if t_starts[lo] == e_start else inner
            tags[lo + 1 : hi] = [inner] * (hi - lo - 1)
    return tags


class Sentences(NamedTuple):
    """An article's tagged sentences, column-wise: its tokens in text order,
    sentence ``n`` being tokens ``cuts[n]`` to ``cuts[n + 1]``."""

    words: list[str]
    starts: list[int]
    ends: list[int]
    tags: list[int]
    """``ner_tags`` ClassLabel ids."""
    cuts: list[int]


def sentences(record: dict[str, Any]) -> Sentences:
    """The tokens, tags and sentences of one ``articles`` record's content."""
    text = record["text"]
    bp = boilerplate_spans(record)
    entities = sorted((e["start"], e["end"], e["label"]) for e in record["entities"])
    content = content_fragments(text, bp)
    blocks = _blocks(content, entities)
    bounds = sorted(set(map(itemgetter(0), entities)).union(map(itemgetter(1), entities)))
    (t_starts, t_ends, words), firsts = _tokens(text, blocks, bounds)
    if not words:
        return Sentences([], [], [], [], [])
    overwrite = pipeline().get_pipe("sentencizer").overwrite
    inside = _tag_ids()[1]
    if all(a[1] <= b[0] for a, b in pairwise(entities)):
        tags = _tags_disjoint(t_starts, entities, [e[1] for e in entities])
    else:
        tags = _tags(t_starts, entities)
    kinds = _kinds(words)
    broken = _kind(_BREAK)
    # The sentencizer's rule, as it runs over one Doc of all blocks with a
    # break marker between them: a plain token after a stop starts a sentence.
    # Preset: a block starts a sentence, and one never starts inside an
    # entity; the sentencizer decides the rest (all, if it overwrites).
    cuts: list[int] = []
    seen_stop = False
    for n_block, (first, stop) in enumerate(pairwise([*firsts, len(words)])):
        if n_block:
            if seen_stop and broken == _PLAIN:
                seen_stop = False
            elif broken == _STOP:
                seen_stop = True
        guesses, seen_stop = _guesses_in(kinds, first, stop, seen_stop)
        cuts.append(first)
        cuts += [n for n in guesses if n != first and (overwrite or tags[n] not in inside)]
    cuts.append(len(words))
    return Sentences(words, t_starts, t_ends, tags, cuts)


def rows(record: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """The tagged sentences of one ``articles`` record, in text order."""
    text = record["text"]
    aid = record["id"]
    status = record["status"]["entities"]
    names = _tag_ids()[3]
    sent = sentences(record)
    for first, stop in pairwise(sent.cuts):
        s_start, s_end = sent.starts[first], sent.ends[stop - 1]
        yield {
            "id": f"{aid}:s{s_start}-{s_end}",
            "article_id": aid,
            "start": s_start,
            "end": s_end,
            "text": text[s_start:s_end],
            "tokens": sent.words[first:stop],
            "ner_tags": [names[t] for t in sent.tags[first:stop]],
            "offsets": {"start": sent.starts[first:stop], "end": sent.ends[first:stop]},
            "status": status,
        }


class Builder:
    """Collects the rows of many records, as :func:`rows` gives them, column by column.

    There is a row per sentence, a few dozen per article: flat lists with
    label ids cost a fraction of a dict per row. Records are added one at a
    time, so the build can turn each one into every config's rows in turn.
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
        self.words: list[str] = []
        self.token_starts: list[int] = []
        self.token_ends: list[int] = []
        self.tags: list[int] = []
        self.offsets = [0]

    def add(self, record: dict[str, Any]) -> None:
        """Add the record's sentences."""
        sent = sentences(record)
        n_sentences = len(sent.cuts) - 1
        if n_sentences < 1:
            return
        text = record["text"]
        aid = record["id"]
        base = len(self.words)
        token_starts = sent.starts
        token_ends = sent.ends
        for first, stop in pairwise(sent.cuts):
            s_start, s_end = token_starts[first], token_ends[stop - 1]
            self.ids.append(f"{aid}:s{s_start}-{s_end}")
            self.starts.append(s_start)
            self.ends.append(s_end)
            self.texts.append(text[s_start:s_end])
        self.offsets.extend(base + cut for cut in sent.cuts[1:])
        self.article_ids.extend([aid] * n_sentences)
        self.status.extend([self._status[record["status"]["entities"]]] * n_sentences)
        self.words += sent.words
        self.token_starts += sent.starts
        self.token_ends += sent.ends
        self.tags += sent.tags

    def __len__(self) -> int:
        return len(self.ids)

    def columns(self) -> Columns:
        """The rows added so far, for :func:`warta.export.parquet.table_from_columns`."""
        offsets = self.offsets
        return {
            "id": self.ids,
            "article_id": self.article_ids,
            "start": self.starts,
            "end": self.ends,
            "text": self.texts,
            "tokens": Lists(offsets, self.words),
            "ner_tags": Lists(offsets, self.tags),
            "offsets": {
                "start": Lists(offsets, self.token_starts),
                "end": Lists(offsets, self.token_ends),
            },
            "status": self.status,
        }
