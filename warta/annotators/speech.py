"""Speech cues from morphology: the verb forms that report speech, built from roots.

Indonesian reports speech with a small set of roots (``kata``, ``jelas``,
``ungkap``) in a handful of affixed forms (``mengatakan``, ``dijelaskan``,
``berkata``). The roots live in ``speech_cues.json`` with the derivations each
takes; the forms are built here by the meN- nasal rules, so adding a root adds
all its forms and no inflected form is ever listed by hand.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

_DATA = Path(__file__).with_name("speech_cues.json")
_VOWELS = frozenset("aiueo")


def men(root: str) -> str:
    """``meN-`` + ``root`` with the nasal rules: the prefix takes the place of
    articulation of the root's first sound, and a single voiceless k, p, t or s
    is dropped (``kata`` → ``mengata``, ``pinta`` → ``meminta``, ``sebut`` →
    ``menyebut``); a consonant cluster keeps its first consonant (``klaim`` →
    ``mengklaim``, ``prediksi`` → ``memprediksi``)."""
    first, second = root[0], root[1:2]
    cluster = first not in _VOWELS and second != "" and second not in _VOWELS
    if first in _VOWELS or first in "ghq":
        return "meng" + root
    if first in "kpts" and not cluster:
        return {"k": "meng", "p": "mem", "t": "men", "s": "meny"}[first] + root[1:]
    if first in "kg":
        return "meng" + root
    if first in "bfvp":
        return "mem" + root
    if first in "cdjzts":
        return "men" + root
    return "me" + root  # l, m, n, r, w, y


def derive(root: str, derivation: str) -> str:
    """The form of ``root`` that ``derivation`` names (see ``speech_cues.json``)."""
    forms = {
        "meN": lambda: men(root),
        "meN-kan": lambda: men(root) + "kan",
        "meN-i": lambda: men(root) + "i",
        "memper-kan": lambda: "memper" + root + "kan",
        "ber": lambda: ("be" if root.startswith("r") else "ber") + root,
        "di": lambda: "di" + root,
        "di-kan": lambda: "di" + root + "kan",
        "di-i": lambda: "di" + root + "i",
        "diper-kan": lambda: "diper" + root + "kan",
    }
    if derivation not in forms:
        raise ValueError(f"unknown derivation {derivation!r} of {root!r}")
    return forms[derivation]()


@dataclass(frozen=True)
class SpeechCues:
    """The cue forms by how the quote rules use them."""

    short: frozenset[str]  # bare forms after a quote or inserted: ``kata``, ``ujar``
    clause: frozenset[str]  # active forms a reported clause may follow directly
    either: frozenset[str]  # active forms that report speech only before , : or bahwa
    passive: frozenset[str]  # di- forms: ``dikatakan``
    saying: frozenset[str]  # verbs of saying proper: a clause follows
    by_form: dict[str, str]  # every form → the id of its entry


@cache
def cues() -> SpeechCues:
    """The forms of every entry of ``speech_cues.json``."""
    entries: list[dict[str, Any]] = json.loads(_DATA.read_text(encoding="utf-8"))["entries"]
    short: set[str] = set()
    clause: set[str] = set()
    either: set[str] = set()
    passive: set[str] = set()
    saying: set[str] = set()
    by_form: dict[str, str] = {}
    for entry in entries:
        root = entry["root"]
        active = {derive(root, d) for d in entry["active"]} | set(entry.get("variants", []))
        if entry.get("bare_active"):
            active.add(root)
        (clause if entry["object"] == "clause" else either).update(active)
        if entry.get("saying"):
            saying.update(active)
        forms = {derive(root, d) for d in entry["passive"]}
        passive.update(forms)
        short.update(entry["short"])
        for form in active | forms | set(entry["short"]):
            by_form.setdefault(form, entry["id"])
    return SpeechCues(
        frozenset(short),
        frozenset(clause),
        frozenset(either - clause),
        frozenset(passive),
        frozenset(saying),
        by_form,
    )
