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
Indonesian special cases, which is almost every article).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from itertools import pairwise
from typing import TYPE_CHECKING, Any

from warta.views.content import Fragment, boilerplate_spans, fragments

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokenizer import Tokenizer

_CHUNK = re.compile(r"\S+")
# Marks the break between two blocks of content in the Doc given to the
# sentencizer: not punctuation, so no stop carries over into the next block.
_BREAK = "\n"
_CACHE_LIMIT = 300_000

_NLP: Language | None = None
# Chunk -> flat (start, end, start, end, ...) of its tokens; empty when the
# chunk is one token, as most are, to keep the memo small.
_PIECES: dict[str, tuple[int, ...]] = {}


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
    _NLP = None


def _split(chunks: Sequence[str]) -> list[tuple[int, ...]]:
    """Token offsets inside each whitespace-free chunk, by spaCy's tokenizer."""
    missing = list(dict.fromkeys(c for c in chunks if c not in _PIECES))
    if missing:
        from spacy.attrs import IDX, IS_SPACE, LENGTH

        if len(_PIECES) + len(missing) > _CACHE_LIMIT:
            _reset()
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
            _PIECES[chunk] = () if whole else tuple(pieces)
    return [_PIECES[c] for c in chunks]


def _blocks(content: list[Fragment], entities: list[tuple[int, int, str]]) -> list[list[Fragment]]:
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


def _tokens(
    text: str, blocks: list[list[Fragment]], bounds: list[int]
) -> list[list[tuple[int, int]]]:
    """Per block, its tokens as raw offsets, cut at every entity boundary."""
    chunks: list[str] = []
    starts: list[int] = []
    sizes: list[int] = []
    for block in blocks:
        before = len(chunks)
        for frag in block:
            for match in _CHUNK.finditer(text, frag.start, frag.end):
                chunks.append(match.group())
                starts.append(match.start())
        sizes.append(len(chunks) - before)
    pieces = _split(chunks)
    out: list[list[tuple[int, int]]] = []
    first = b = 0
    nb = len(bounds)
    for size in sizes:
        tokens: list[tuple[int, int]] = []
        for i in range(first, first + size):
            base = starts[i]
            chunk_end = base + len(chunks[i])
            while b < nb and bounds[b] <= base:
                b += 1
            flat = pieces[i]
            if not flat:
                spans = [(base, chunk_end)]
            else:
                spans = [(base + flat[j], base + flat[j + 1]) for j in range(0, len(flat), 2)]
            if b == nb or bounds[b] >= chunk_end:  # no entity boundary inside: the usual case
                tokens += spans
                continue
            for start, end in spans:
                while b < nb and bounds[b] <= start:
                    b += 1
                while b < nb and bounds[b] < end:
                    tokens.append((start, bounds[b]))
                    start = bounds[b]
                    b += 1
                tokens.append((start, end))
        first += size
        out.append(tokens)
    return out


def _sentence_starts(
    text: str, blocks: list[list[tuple[int, int]]], entities: list[tuple[int, int, str]]
) -> list[list[bool]]:
    """Per block, which tokens start a sentence: the sentencizer's guess within the rules."""
    from spacy.tokens import Doc

    nlp = pipeline()
    words: list[str] = []
    preset: list[bool | None] = []
    k = 0
    for block in blocks:
        if words:
            words.append(_BREAK)
            preset.append(None)
        for n, (start, end) in enumerate(block):
            words.append(text[start:end])
            while k < len(entities) and entities[k][1] <= start:
                k += 1
            inside = k < len(entities) and entities[k][0] < start
            preset.append(True if n == 0 else (False if inside else None))
    if not words:
        return []
    from spacy.attrs import SENT_START

    doc = nlp.get_pipe("sentencizer")(Doc(nlp.vocab, words=words, sent_starts=preset))
    flags = (doc.to_array(SENT_START) == 1).tolist()
    out: list[list[bool]] = []
    i = 0
    for block in blocks:
        if out:
            i += 1  # the break marker
        out.append(flags[i : i + len(block)])
        i += len(block)
    return out


def rows(record: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """The tagged sentences of one ``articles`` record, in text order."""
    text = record["text"]
    aid = record["id"]
    status = record["status"]["entities"]
    bp = boilerplate_spans(record)
    entities = sorted((e["start"], e["end"], e["label"]) for e in record["entities"])
    content = [f for f in fragments(text, bp) if f.label is None]
    blocks = _blocks(content, entities)
    bounds = sorted({p for s, e, _ in entities for p in (s, e)})
    token_blocks = _tokens(text, blocks, bounds)
    token_blocks = [t for t in token_blocks if t]
    starts = _sentence_starts(text, token_blocks, entities)
    k = 0
    for tokens, flags in zip(token_blocks, starts, strict=True):
        cuts = [n for n, flag in enumerate(flags) if flag or n == 0] + [len(tokens)]
        for first, stop in pairwise(cuts):
            sentence = tokens[first:stop]
            tags: list[str] = []
            for start, _end in sentence:
                while k < len(entities) and entities[k][1] <= start:
                    k += 1
                if k < len(entities) and entities[k][0] <= start:
                    prefix = "B-" if entities[k][0] == start else "I-"
                    tags.append(prefix + entities[k][2])
                else:
                    tags.append("O")
            s_start, s_end = sentence[0][0], sentence[-1][1]
            yield {
                "id": f"{aid}:s{s_start}-{s_end}",
                "article_id": aid,
                "start": s_start,
                "end": s_end,
                "text": text[s_start:s_end],
                "tokens": [text[a:b] for a, b in sentence],
                "ner_tags": tags,
                "offsets": {
                    "start": [a for a, _ in sentence],
                    "end": [b for _, b in sentence],
                },
                "status": status,
            }
