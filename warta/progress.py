"""The build's progress bar: rate and time left, on stderr, when asked for."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager


@contextmanager
def progress(total: int, enabled: bool, desc: str) -> Iterator[Callable[[int], object]]:
    """A progress bar with rate and time left, on stderr, when asked for; yields its ``update``."""
    if not enabled:
        yield lambda _n: None
        return
    from tqdm import tqdm

    with tqdm(total=total, desc=desc, unit=" articles", file=sys.stderr) as bar:
        yield bar.update
