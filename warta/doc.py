"""One article as the annotators read it: its text, its tokens and sentences, and
which tokens are content.

The entity annotators (the rule cascade and the tagger) read the same ``Doc``, so
an article is tokenised and split into sentences once, by the one scrape-tolerant
tokenizer of :mod:`warta.tokens`. The boilerplate spans are the furniture layer's:
the content mask says which tokens lie wholly outside them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from warta.tokens import Token, sentence_starts, tokenize


def outside(tokens: Sequence[Token], spans: Sequence[Mapping[str, Any]]) -> list[bool]:
    """For each token (anything with ``start`` and ``end``, in text order): does it lie
    wholly outside every span? One sweep over the spans sorted by start."""
    if not spans:
        return [True] * len(tokens)
    ranges = sorted((int(s["start"]), int(s["end"])) for s in spans)
    out = []
    k = 0
    reach = -1  # the furthest end of the spans that start before the current token ends
    for t in tokens:
        while k < len(ranges) and ranges[k][0] < t.end:
            reach = max(reach, ranges[k][1])
            k += 1
        out.append(reach <= t.start)
    return out


@dataclass(eq=False)
class Doc:
    """An article's text and boilerplate spans, with what is read off them made once."""

    text: str
    boilerplate: Sequence[Mapping[str, Any]] = field(default=())

    @cached_property
    def tokens(self) -> list[Token]:
        return tokenize(self.text)

    @cached_property
    def sentence_starts(self) -> list[bool]:
        """Per token, whether it opens a sentence (:func:`warta.tokens.sentence_starts`)."""
        return sentence_starts(self.tokens, self.text)

    @cached_property
    def content(self) -> list[bool]:
        """Per token, whether it lies outside the boilerplate."""
        return outside(self.tokens, self.boilerplate)
