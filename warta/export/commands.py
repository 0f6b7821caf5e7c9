"""The ``export`` and ``import`` subcommands: converters around the annotation file.

``export --to FORMAT [PATH...] --out DIR`` writes the articles under PATH
(default ``corpus``) for an annotation tool (Label Studio, INCEpTION, brat)
or for training (spaCy, CoNLL); ``import --from FORMAT PATH... --out DIR``
reads what a tool exported back into annotation files ``<id>.json`` in DIR.
Both write only into a folder that is new, empty or made by an earlier run
of the same command (:mod:`warta.outputs`), and never touch a raw ``.txt``.

Kept apart from :mod:`warta.cli`, which only registers them.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from types import ModuleType

from warta.export.common import ConversionError, Imported, problem
from warta.outputs import out_option

TOOLS = ("label-studio", "inception", "brat")
TRAINING = ("spacy", "conll")


def _module(name: str) -> ModuleType:
    """The converter module of a format, imported only when used (some pull heavy libraries)."""
    import importlib

    modules = {
        "label-studio": "warta.export.label_studio",
        "inception": "warta.export.inception",
        "brat": "warta.export.brat",
        "spacy": "warta.export.spacy_docbin",
        "conll": "warta.export.conll",
    }
    return importlib.import_module(modules[name])


def register(sub: argparse._SubParsersAction) -> dict[str, Callable[[argparse.Namespace], int]]:
    """Add ``export`` and ``import`` to the command line's subparsers; their handlers."""
    export = sub.add_parser("export", help="write articles for an annotation tool or for training")
    export.add_argument("--to", required=True, choices=TOOLS + TRAINING, help="the format")
    export.add_argument("paths", nargs="*", default=["corpus"], help="articles or folders")
    out_option(export, "export")
    export.add_argument(
        "--no-auto",
        action="store_true",
        help="leave the layers nobody checked empty (no automatic pre-annotation)",
    )
    export.add_argument("--releases", default=None, help="release records (spacy, conll splits)")
    imports = sub.add_parser("import", help="read a tool's export back into annotation files")
    imports.add_argument("--from", dest="source", required=True, choices=TOOLS, help="the format")
    imports.add_argument("paths", nargs="+", help="the tool's exported files or folders")
    out_option(imports, "import", what="folder for the <id>.json files")
    imports.add_argument(
        "--corpus",
        nargs="*",
        default=["corpus"],
        help="where the raw articles are, to check the tool's text against (default: corpus)",
    )
    return {"export": cmd_export, "import": cmd_import}


def _fail(command: str, lines: Sequence[str]) -> int:
    for line in lines:
        print(line, file=sys.stderr)
    print(f"{command}: {len(lines)} problem(s); nothing was written", file=sys.stderr)
    return 1


def cmd_export(args: argparse.Namespace) -> int:
    """``export --to FORMAT``: refuse a foreign --out first, then convert and write it whole."""
    from warta.outputs import claim_folder, staging

    target = claim_folder(args.out, "export", corpus=args.paths)
    module = _module(args.to)
    try:
        if args.to in TRAINING:
            from warta.export.training import split_records

            records = split_records(args.paths, auto=not args.no_auto, releases=args.releases)
            with staging(target, "export") as folder:
                written = module.export(records, folder)
        else:
            from warta.export.common import load_sources

            sources = load_sources(args.paths, auto=not args.no_auto)
            with staging(target, "export") as folder:
                written = module.export(sources, folder)
    except ConversionError as exc:
        return _fail("export", exc.lines)
    names = ", ".join(p.name for p in written)
    print(f"export: wrote {names} to {target}")
    return 0


def _check_texts(imported: Sequence[Imported], corpus: Sequence[str]) -> list[str]:
    """Problems where the tool's text differs from the raw article (offsets would be wrong)."""
    from warta.text import TextError, read_text

    lines = []
    seen: dict[str, str] = {}
    for item in imported:
        ident = item.head.id
        if ident in seen:
            lines.append(
                problem(
                    item.where,
                    "id",
                    f"{ident} was already read from {seen[ident]}",
                    "import each article once",
                )
            )
            continue
        seen[ident] = item.where
        raw = next(
            (Path(c) / f"{ident}.txt" for c in corpus if (Path(c) / f"{ident}.txt").is_file()), None
        )
        if raw is None or item.text is None:
            continue
        try:
            text = read_text(raw)
        except (TextError, OSError):
            continue  # the validator reports the raw article itself
        if text != item.text:
            at = next(
                (i for i, (a, b) in enumerate(zip(text, item.text, strict=False)) if a != b),
                min(len(text), len(item.text)),
            )
            lines.append(
                problem(
                    item.where,
                    "text",
                    f"differs from {raw} at character {at}, so its offsets would not fit",
                    "annotate the text as exported (never edit it in the tool), or export again",
                )
            )
    return lines


def cmd_import(args: argparse.Namespace) -> int:
    """``import --from FORMAT``: read every file first; write only if all of them are sound."""
    from warta.outputs import claim_folder, staging, write_text

    inputs = [Path(p) for p in args.paths]
    target = claim_folder(args.out, "import", corpus=[*args.paths, *args.corpus])
    missing = [
        problem(p, "file", "does not exist", "check the path") for p in inputs if not p.exists()
    ]
    if missing:
        return _fail("import", missing)
    try:
        module = _module(args.source)
        if args.source == "inception":  # a project may not keep the document-level layer
            imported, lines = module.read(inputs, [Path(c) for c in args.corpus])
        else:
            imported, lines = module.read(inputs)
    except ConversionError as exc:
        return _fail("import", exc.lines)
    lines += _check_texts(imported, args.corpus)
    if lines:
        return _fail("import", lines)
    # An article that had no annotation file and where nobody listed a checked
    # layer holds no one's work: it gets no file (the build annotates it).
    unclaimed = [i for i in imported if not i.head.exists and not i.manual]
    imported = [i for i in imported if i.head.exists or i.manual]
    for item in unclaimed:
        if any(item.spans.values()):
            print(
                f"{item.where}: manual: no layer is listed as checked, so no file was written "
                "for it; list the layers you checked to import them",
                file=sys.stderr,
            )
    if not imported:
        return _fail(
            "import",
            [
                problem(
                    ", ".join(args.paths),
                    "files",
                    "hold no annotated article",
                    "export annotations from the tool first",
                )
            ],
        )
    with staging(target, "import") as folder:
        for item in imported:
            write_text(folder / f"{item.head.id}.json", item.dump())
    for item in imported:
        for layer, count in item.dropped.items():
            print(
                f"{item.where}: {layer}: {count} span(s) left out: the layer is not listed as "
                "checked (list it in manual if you checked it; the build fills it otherwise)",
                file=sys.stderr,
            )
    print(
        f"import: wrote {len(imported)} annotation file(s) to {target}. Next: put them beside "
        "their articles (corpus/<id>.json) and run python build.py validate"
    )
    return 0
