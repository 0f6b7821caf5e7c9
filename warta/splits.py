"""Deterministic train/validation/test assignment.

An article's split is, by default, that of its story key (the ``story``
metadata, or its own id when it has none), hashed with SHA-256 (:data:`RULE`),
so articles about one story always land together.

Near-duplicates (:mod:`warta.duplicates`) found across story keys are
grouped, with every article sharing a story key with a member, and a group
gets one split (:data:`GROUP_RULE`), so copies cannot leak between training
and evaluation:

1. An article already released keeps the split it was released in: the one
   recorded in the release record's manifest (``releases/<version>.json``),
   or, in records made before splits were recorded, its own key's (the only
   rule then).
2. The group's split is that of its earliest-released article (first by id
   among those first released in the same version) or, if none was released,
   its own key's split of its first article by id.
3. Every article of the group not yet released gets that split.

So adding an article never moves one already released. Articles not yet
released may move while the corpus changes (a near-duplicate with an id
sorting before theirs arrives, say) until they are released. A group whose
released articles lie in different splits (released before this rule) keeps
each where it is, and the build warns.
"""

from __future__ import annotations

import hashlib

from warta import schema

SPLITS = tuple(schema.labels("split"))
# Buckets out of 100: [0, 80) train, [80, 90) validation, [90, 100) test.
BOUNDS = tuple(zip(SPLITS, (80, 90, 100), strict=True))
RULE = "split = bucket(sha256(story or id) mod 100): 0-79 train, 80-89 validation, 90-99 test"
GROUP_RULE = (
    "Near-duplicate articles (word 5-gram MinHash similarity of at least 0.5), with the "
    "articles sharing their story keys, form a group released in one split: that of its "
    "earliest-released article, or of its first article by id if none was released yet; "
    "an article once released never changes split."
)


def bucket(key: str) -> int:
    """A stable number in [0, 100) for a story key."""
    digest = hashlib.sha256(key.encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") % 100


def assign(story: str) -> str:
    """The split of every article of one story."""
    b = bucket(story)
    for name, upper in BOUNDS:
        if b < upper:
            return name
    raise AssertionError("bucket out of range")
