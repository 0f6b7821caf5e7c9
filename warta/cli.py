"""The command line behind ``build.py``.

``python build.py`` builds; ``validate`` checks contributions; ``release`` makes
a versioned release; ``draft`` writes a starter annotation file; ``eval``
scores the automatic annotators; ``agreement`` compares two annotation sets;
``review`` writes HTML pages that show them; ``export`` and ``import`` convert
to and from annotation tools and training formats (:mod:`warta.export.commands`).
``build``, ``validate`` and ``draft`` call the Python API (:mod:`warta.api`) and
print what it returns, so a script and the command take one path.
``train`` trains the entity and furniture models shipped in the package (nothing
else trains).
Problems are printed as ``path: where: what``; no command shows a traceback
for bad input (set ``WARTA_DEBUG=1`` to see one for a bug). A command asked to
write where it would destroy what it did not write is refused before any work,
with exit status 2 (see :mod:`warta.outputs`).
"""

from __future__ import annotations

import argparse
import errno
import os
import signal
import sys
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from warta import __version__
from warta.errors import WartaError
from warta.errors import report as error_report
from warta.outputs import out_option

if TYPE_CHECKING:
    from warta.executors import Executor

COMMANDS = (
    "build",
    "validate",
    "release",
    "draft",
    "eval",
    "agreement",
    "review",
    "export",
    "import",
    "train",
)


# One example per command, shown at the end of its --help.
EXAMPLES = {
    "build": "python build.py --out dist            # validate corpus/, annotate, write dist/",
    "validate": "python build.py validate corpus/berita-1.json --fix",
    "release": "python build.py release               # releases/<version>/ and its record",
    "draft": "python build.py draft corpus/berita-1.txt   # writes corpus/berita-1.json",
    "eval": "python build.py eval --corpus DEV_DIR --cv outlet",
    "agreement": "python build.py agreement pass-a/ pass-b/ --json",
    "review": "python build.py review corpus/berita-1.json --out review/ --against",
    "export": "python build.py export --to label-studio corpus --out to-annotate/",
    "import": "python build.py import --from label-studio export.json --out annotated/",
    "train": "python build.py train                 # rewrites the shipped models",
}


def _explain(sub: argparse._SubParsersAction) -> None:
    """Give every command's --help what it does (its one-line help) and an example."""
    helps = {action.dest: action.help for action in sub._choices_actions}
    for name, command in sub.choices.items():
        command.description = command.description or helps.get(name)
        command.epilog = f"example:\n  {EXAMPLES[name]}"
        command.formatter_class = argparse.RawDescriptionHelpFormatter


_JOBS_HELP = "worker processes, 1 or more (default: all cores; never more than the work needs)"


def _jobs(value: str) -> int:
    """``--jobs``: a whole number of at least 1 (more than the work needs are not started)."""
    try:
        jobs = int(value)
    except ValueError:
        jobs = 0
    if jobs < 1:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number of 1 or more")
    return jobs


def _dask_option(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--dask",
        nargs="?",
        const="local",
        default=None,
        metavar="ADDRESS",
        help="run per-article work on a Dask cluster: a scheduler address "
        "(tcp://host:8786), or none for a local cluster",
    )


def _executor(args: argparse.Namespace, say: Callable[[str], None]) -> Executor:
    """Where the per-article work runs: ``--jobs`` local processes, or ``--dask``."""
    from warta.executors import Dask, Local

    if args.dask is None:
        return Local(args.jobs)
    return Dask(None if args.dask == "local" else args.dask, jobs=args.jobs, say=say)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="build.py", description="Build, validate and release the Warta corpus."
    )
    parser.add_argument("--version", action="version", version=f"warta {__version__}")
    sub = parser.add_subparsers(dest="command")

    build = sub.add_parser("build", help="validate the corpus and write the dataset folder")
    build.add_argument("--corpus", nargs="+", default=["corpus"], help="corpus folders")
    out_option(build, "build", default="dist")
    build.add_argument("--jobs", type=_jobs, default=None, help=_JOBS_HELP)
    build.add_argument("--no-auto", action="store_true", help="release unannotated layers empty")
    build.add_argument("--releases", default=None, help=RELEASES_HELP)
    _dask_option(build)
    build.add_argument(
        "--progress", action=argparse.BooleanOptionalAction, default=None, help="progress bar"
    )

    validate = sub.add_parser("validate", help="check articles and annotation files")
    validate.add_argument("paths", nargs="*", default=["corpus"], help="files or folders")
    validate.add_argument(
        "--fix", action="store_true", help="rewrite drifted offsets and canonical formatting"
    )
    validate.add_argument("--jobs", type=_jobs, default=None, help=_JOBS_HELP)
    validate.add_argument("--releases", default=None, help=RELEASES_HELP)
    validate.add_argument(
        "--format",
        choices=("text", "json", "github"),
        default="text",
        help="text (path: where: what [id]), json (for tools) or github "
        "(workflow commands shown inline on a pull request)",
    )
    release = sub.add_parser("release", help="make the versioned release folder")
    release.add_argument("--corpus", nargs="+", default=["corpus"], help="corpus folders")
    release.add_argument(
        "--out",
        default="releases",
        help="releases folder: new, empty, or holding only releases (default: releases)",
    )
    release.add_argument(
        "--changelog", default="CHANGELOG.md", help="changelog to regenerate (new or generated)"
    )
    release.add_argument(
        "--notes",
        default="",
        help="what changed, in words (Markdown), opening the version's changes in its record, "
        "card and changelog",
    )
    release.add_argument("--jobs", type=_jobs, default=None, help=_JOBS_HELP)
    _dask_option(release)
    release.add_argument(
        "--progress", action=argparse.BooleanOptionalAction, default=None, help="progress bar"
    )

    draft = sub.add_parser("draft", help="write a starter annotation file for an article")
    draft.add_argument("article", help="the raw article, <id>.txt")
    draft.add_argument("--out", default=None, help="where to write (default: <id>.json beside it)")
    draft.add_argument(
        "--corpus",
        nargs="+",
        default=(),
        help="folders of articles whose lines repeated across an outlet's articles are "
        "furniture evidence, as in a build of them",
    )
    draft.add_argument(
        "--force", action="store_true", help="replace an existing draft (never manual work)"
    )

    evaluate = sub.add_parser("eval", help="score the automatic annotators on manual annotations")
    evaluate.add_argument("--corpus", nargs="+", required=True, help="folders with manual layers")
    evaluate.add_argument(
        "--train",
        nargs="*",
        default=["corpus"],
        help="with --cv: manual annotations each fold's tagger learns from besides the other "
        "folds (without --cv the shipped model is scored and nothing is trained)",
    )
    evaluate.add_argument(
        "--leave-one-out",
        action="store_true",
        help="also learn from the other evaluated articles (never the one being tagged)",
    )
    evaluate.add_argument(
        "--cv",
        choices=("outlet", "article"),
        default=None,
        help="cross-validate: learn from the other outlets (or articles) of the evaluated "
        "folders too, never from the one being scored",
    )
    evaluate.add_argument(
        "--only",
        metavar="GLOB",
        help="score only the articles whose id matches GLOB (e.g. '*_1??'); the others "
        "still teach the other folds",
    )
    evaluate.add_argument("--json", action="store_true", help="print the numbers as JSON")

    train = sub.add_parser(
        "train",
        help="train the entity and furniture models and write their bundles (the build "
        "never trains)",
    )
    train.add_argument(
        "--corpus",
        nargs="+",
        default=None,
        help="folders whose manual entity layers it learns from; missing ones are passed over "
        "(default: corpus, and the development set's folder if WARTA_DEV names it, as the "
        "shipped model was trained)",
    )
    train.add_argument(
        "--out", default=None, help="bundle folder (default: the one shipped in the package)"
    )
    train.add_argument(
        "--furniture-out",
        default=None,
        help="the furniture line model's bundle folder (default: the one shipped in the "
        "package, or OUT/furniture with --out)",
    )

    agreement = sub.add_parser("agreement", help="compare two annotation sets")
    agreement.add_argument("a", help="folder of annotation files (reference)")
    agreement.add_argument("b", help="folder of annotation files (compared)")
    agreement.add_argument(
        "--corpus", default="corpus", help="where the raw texts are when A has none"
    )
    agreement.add_argument("--json", action="store_true", help="print the numbers as JSON")

    review = sub.add_parser("review", help="write HTML pages showing articles' annotations")
    review.add_argument("paths", nargs="+", help="articles (.txt or .json) or folders of them")
    out_option(review, "review")
    review.add_argument(
        "--against",
        nargs="?",
        const=AUTOMATIC,
        default=None,
        metavar="DIR",
        help="show a second annotation set beside the first, differences marked: the "
        "<id>.json files in DIR, or without DIR the automatic annotators alone",
    )
    review.add_argument(
        "--corpus", nargs="*", default=["corpus"], help="manual annotations the tagger learns from"
    )

    from warta.export.commands import register  # export/import: converters, in their own module

    HANDLERS.update(register(sub))
    _explain(sub)
    return parser


# `review --against` with no folder: compare with the automatic annotators.
AUTOMATIC = object()


RELEASES_HELP = "release records whose articles keep their splits (default: releases, if it exists)"


def _releases(folder: str | None) -> Path | None:
    """The ``--releases`` folder, or ``releases`` when there is one."""
    if folder is not None:
        return Path(folder)
    return Path("releases") if Path("releases").is_dir() else None


def _show_progress(flag: bool | None) -> bool:
    return sys.stderr.isatty() if flag is None else flag


def cmd_build(args: argparse.Namespace) -> int:
    from warta.api import build

    def say(msg: str) -> None:
        print(f"build: {msg}", file=sys.stderr)

    result = build(
        args.corpus,
        args.out,
        progress=_show_progress(args.progress),
        auto=not args.no_auto,
        on_stage=say,
        releases=_releases(args.releases),
        executor=_executor(args, say),
    )
    for problem in result.warnings:
        print(problem, file=sys.stderr)
    print(f"build: wrote {result.articles} articles to {result.out}")
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    import json

    from warta.api import validate
    from warta.problems import as_json, render

    report = validate(args.paths, fix=args.fix, jobs=args.jobs, releases=_releases(args.releases))
    errors, warnings = len(report.errors), len(report.warnings)
    if args.format == "json":
        print(
            json.dumps(
                {
                    "ok": report.ok,
                    "articles": report.articles,
                    "errors": errors,
                    "warnings": warnings,
                    "fixed": list(report.changes),
                    "problems": as_json(report.problems),
                },
                indent=2,
                ensure_ascii=False,
            )
        )
        return 0 if report.ok else 1
    for change in report.changes:
        print(f"{change} (fixed)", file=sys.stderr)
    for line in render(report.problems, args.format):
        print(line)
    summary = f"validate: {report.articles} article(s), "
    summary += f"{errors} error(s), {warnings} warning(s)" if report.problems else "no problems"
    if report.changes:
        summary += f"; --fix made {len(report.changes)} change(s) in {len(report.fixed)} file(s)"
        if report.problems:
            summary += "; what is listed above still needs a person"
    print(summary, file=sys.stderr)
    return 0 if report.ok else 1


def cmd_release(args: argparse.Namespace) -> int:
    from warta.release import release

    result = release(
        args.corpus,
        Path(args.out),
        changelog=Path(args.changelog) if args.changelog else None,
        show_progress=_show_progress(args.progress),
        executor=_executor(args, lambda msg: print(f"release: {msg}", file=sys.stderr)),
        notes=args.notes,
    )
    what = "reproduced byte for byte" if result.reproduced else "recorded in " + str(result.record)
    print(f"release: {result.version} written to {result.folder}, {what}")
    return 0


def cmd_train(args: argparse.Namespace) -> int:
    from warta.furniture.train import RECIPE as FURNITURE
    from warta.ner.train import RECIPE as ENTITIES
    from warta.training import train

    if args.furniture_out:
        furniture_out: Path | None = Path(args.furniture_out)
    else:
        furniture_out = Path(args.out) / "furniture" if args.out else None
    try:
        done = [
            train(ENTITIES, args.corpus, Path(args.out) if args.out else None),
            train(FURNITURE, args.corpus, furniture_out),
        ]
    except ValueError as exc:
        print(f"train: {exc}", file=sys.stderr)
        return 1
    for folder in done[0].missing:
        print(f"train: {folder}: no such folder, passed over", file=sys.stderr)
    for recipe, trained in zip((ENTITIES, FURNITURE), done, strict=True):
        print(
            f"train: {recipe.name}: {trained.articles} articles, {trained.seconds:.1f} s; "
            f"wrote {trained.folder} (sha256 {trained.checksum})"
        )
    return 0


def cmd_draft(args: argparse.Namespace) -> int:
    from warta.api import draft

    article = Path(args.article)
    out = Path(args.out) if args.out else article.with_suffix(".json")
    draft(article, out, force=args.force, corpus=args.corpus)
    print(
        f'draft: wrote {out} with the automatic layers and "manual": []. Next:\n'
        "  1. correct the layers you check (labels, offsets, missing and wrong spans);\n"
        '  2. list each checked layer in "manual", and empty the others ("quotes": []):\n'
        "     the build fills those, and spans in an unlisted layer are an error;\n"
        + (
            f"  3. run: python build.py validate {out}   (--fix repairs offsets and layout)"
            if out.resolve().parent == article.resolve().parent
            else f"  3. put it beside the article, as {article.with_suffix('.json')}, and run:\n"
            f"     python build.py validate {article.with_suffix('.json')}"
        )
    )
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    import json
    from fnmatch import fnmatchcase

    from warta.agreement import format_report
    from warta.evaluate import evaluate

    result = evaluate(args.corpus, args.train, leave_one_out=args.leave_one_out, cv=args.cv)
    if args.only:
        result = result.restricted(lambda aid: fnmatchcase(aid, args.only))
    if args.json:
        print(json.dumps(result.to_dict(), indent=2))
        return 0
    if result.folds:
        print(f"cross-validated: {result.folds} folds ({args.cv or 'article'}), pooled\n")
    for layer, report in result.reports.items():
        print(f"== {layer} ({result.articles[layer]} articles with manual {layer})")
        print(format_report(report))
        print()
    return 0


def cmd_agreement(args: argparse.Namespace) -> int:
    import json

    from warta.agreement import compare, format_report, load_passes
    from warta.problems import render

    pairs, problems = load_passes(Path(args.a), Path(args.b), Path(args.corpus))
    if problems:
        print(*render(problems, "text"), sep="\n", file=sys.stderr)
        return 1
    report = compare(pairs)
    print(json.dumps(report.to_dict(), indent=2) if args.json else format_report(report))
    return 0


def cmd_review(args: argparse.Namespace) -> int:
    from warta.problems import render
    from warta.review import ReviewProblems, write_review

    automatic = args.against is AUTOMATIC
    try:
        result = write_review(
            args.paths,
            args.out,
            against=None if automatic else args.against,
            automatic=automatic,
            corpus=args.corpus,
        )
    except ReviewProblems as exc:
        print(*render(exc.problems, "text"), sep="\n", file=sys.stderr)
        print(
            f"review: {len(exc.problems)} problem(s); nothing was written ({args.out} is "
            "unchanged); python build.py validate --fix repairs what can be computed",
            file=sys.stderr,
        )
        return 1
    for problem in result.warnings:
        print(problem, file=sys.stderr)
    print(f"review: wrote {len(result.pages)} page(s); open {result.out / 'index.html'}")
    return 0


HANDLERS = {
    "build": cmd_build,
    "validate": cmd_validate,
    "release": cmd_release,
    "draft": cmd_draft,
    "eval": cmd_eval,
    "agreement": cmd_agreement,
    "review": cmd_review,
    "train": cmd_train,
}


_OS_HINTS = {
    errno.ENOSPC: "the disk is full: free some space and run it again",
    errno.EDQUOT: "the disk quota is used up: free some space and run it again",
    errno.EROFS: "the file system is read-only: choose a writable --out",
    errno.EACCES: "permission denied: choose a folder you may write, or fix its permissions",
    errno.EPERM: "not permitted: choose a folder you may write, or fix its permissions",
}


def _os_error(exc: OSError) -> str:
    """One line naming the path and the cause of an environment error, with what to do."""
    cause = _OS_HINTS.get(exc.errno or 0, exc.strerror or str(exc))
    if exc.filename is None:
        return f"{cause}; nothing half-written was kept"
    where = str(exc.filename) + (f" -> {exc.filename2}" if exc.filename2 else "")
    return f"{where}: {cause}; nothing half-written was kept"


class _Terminated(BaseException):
    """SIGTERM (a cancelled CI job, ``timeout``): unwinds like Ctrl-C, so staging is removed."""


def _terminate(_signum: int, _frame: object) -> None:
    raise _Terminated


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; the return value is the exit status."""
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):  # a message quoting undecodable input still prints
            stream.reconfigure(errors="backslashreplace")
    argv = list(sys.argv[1:] if argv is None else argv)
    # `build` is the default command, so options may come first; a word that is
    # no command is left for argparse to answer with "invalid choice" and the list.
    if not argv or (argv[0].startswith("-") and argv[0] not in ("-h", "--help", "--version")):
        argv.insert(0, "build")
    args = _parser().parse_args(argv)
    in_main_thread = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _terminate) if in_main_thread else None
    try:
        return HANDLERS[args.command](args)
    except _Terminated:
        print(f"{args.command}: terminated; nothing half-written was kept", file=sys.stderr)
        return 128 + signal.SIGTERM
    except KeyboardInterrupt:
        print("interrupted; nothing half-written was kept", file=sys.stderr)
        return 130
    except WartaError as exc:
        lines, status = error_report(exc, args.command)
        print(*lines, sep="\n", file=sys.stderr)
        return status
    except OSError as exc:  # the machine, not the input: a full disk, a read-only folder...
        if os.environ.get("WARTA_DEBUG"):
            raise
        print(f"{args.command}: {_os_error(exc)}", file=sys.stderr)
        return 1
    except Exception as exc:  # last defence against tracebacks
        if os.environ.get("WARTA_DEBUG"):
            raise
        print(f"error: {exc}", file=sys.stderr)
        print("(this is a bug; run with WARTA_DEBUG=1 for details and report it)", file=sys.stderr)
        return 2
    finally:
        if in_main_thread:
            signal.signal(signal.SIGTERM, previous)


def run() -> None:
    """Console-script entry point."""
    sys.exit(main())


if __name__ == "__main__":
    run()
