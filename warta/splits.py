"""Deterministic train/validation/test assignment.

An article's split depends only on its story key (the ``story`` metadata, or
its own id when it has none), hashed with SHA-256. Adding or removing other
articles never moves it, and articles about one story always land together,
so near-duplicates cannot leak between training and evaluation.
"""

from __future__ import annotations

import hashlib

SPLITS = ("train", "validation", "test")
# Buckets out of 100: [0, 80) train, [80, 90) validation, [90, 100) test.
BOUNDS = (("train", 80), ("validation", 90), ("test", 100))
RULE = "split = bucket(sha256(story or id) mod 100): 0-79 train, 80-89 validation, 90-99 test"


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
