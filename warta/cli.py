"""The command line behind ``build.py``.

``python build.py`` builds; ``validate`` checks contributions; ``release`` makes
a versioned release; ``draft`` writes a starter annotation file; ``eval``
scores the automatic annotators; ``agreement`` compares two annotation sets.
Problems are printed as ``path: where: what``; no command shows a traceback
for bad input (set ``WARTA_DEBUG=1`` to see one for a bug).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

COMMANDS = ("build", "validate", "release", "draft", "eval", "agreement")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="build.py", description="Build, validate and release the Warta corpus."
    )
    sub = parser.add_subparsers(dest="command")

    build = sub.add_parser("build", help="validate the corpus and write the dataset folder")
    build.add_argument("--corpus", nargs="+", default=["corpus"], help="corpus folders")
    build.add_argument("--out", default="dist", help="output folder (default: dist)")
    build.add_argument("--jobs", type=int, default=None, help="worker processes (default: all)")
    build.add_argument("--no-auto", action="store_true", help="release unannotated layers empty")
    build.add_argument(
        "--progress", action=argparse.BooleanOptionalAction, default=None, help="progress bar"
    )

    validate = sub.add_parser("validate", help="check articles and annotation files")
    validate.add_argument("paths", nargs="*", default=["corpus"], help="files or folders")
    validate.add_argument(
        "--fix", action="store_true", help="rewrite drifted offsets and canonical formatting"
    )
    return parser


def _show_progress(flag: bool | None) -> bool:
    return sys.stderr.isatty() if flag is None else flag


def cmd_build(args: argparse.Namespace) -> int:
    from warta.pipeline import BuildError, build

    try:
        result = build(
            args.corpus,
            args.out,
            jobs=args.jobs,
            show_progress=_show_progress(args.progress),
            auto=not args.no_auto,
            on_stage=lambda msg: print(f"build: {msg}", file=sys.stderr),
        )
    except BuildError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        print(
            f"build: {len(exc.problems)} problem(s); nothing was written "
            f"({args.out} is unchanged)",
            file=sys.stderr,
        )
        return 1
    total = sum(result.stats.articles.values())
    print(f"build: wrote {total} articles to {result.out}")
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    from warta.validate import validate

    report = validate(args.paths, fix=args.fix)
    for path in report.fixed:
        print(f"{path}: fixed", file=sys.stderr)
    for problem in report.problems:
        print(problem)
    if report.ok:
        print(f"validate: {report.articles} article(s), no problems", file=sys.stderr)
        return 0
    print(f"validate: {len(report.problems)} problem(s)", file=sys.stderr)
    return 1


HANDLERS = {"build": cmd_build, "validate": cmd_validate}


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; the return value is the exit status."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] not in COMMANDS and argv[0] not in ("-h", "--help"):
        argv.insert(0, "build")
    args = _parser().parse_args(argv)
    try:
        return HANDLERS[args.command](args)
    except KeyboardInterrupt:
        print("interrupted; nothing half-written was kept", file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 - the last line of defence against tracebacks
        if os.environ.get("WARTA_DEBUG"):
            raise
        print(f"error: {exc}", file=sys.stderr)
        print("(this is a bug; run with WARTA_DEBUG=1 for details and report it)", file=sys.stderr)
        return 2


def run() -> None:
    """Console-script entry point."""
    sys.exit(main())


if __name__ == "__main__":
    run()
