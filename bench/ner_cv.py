"""Leave-one-outlet-out cross-validation of the trained entity tagger (warta.ner).

    python bench/ner_cv.py [--dev DIR] [--corpus DIR] [--json OUT] [--repeat N]
                           [--no-rule-hints] [--patterns ID,ID...] [--rules-off ID,ID...]

For each outlet of the development folder, a CRF is trained as
``python build.py train`` trains the shipped one (rule cascade output among
its features unless ``--no-rule-hints``) on the manual entity layers of every
*other* outlet's articles plus the project corpus, and tags the held-out
outlet's articles from raw text, with the automatic boilerplate as the build
would give it (the rules and a furniture line model trained on the same
fold's manual boilerplate). Scores are pooled over the folds with
:func:`warta.agreement.compare` (exact span + label match), over all articles
and separately over the articles numbered from 101 (which no rule of the
cascade was fitted to) and the others. The time to train (per fold) and the
tagging speed (articles/s on the development set repeated, one process, CPU
time) are printed too.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from warta.agreement import compare  # noqa: E402
from warta.annotators import entities  # noqa: E402
from warta.corpus import discover, load  # noqa: E402
from warta.furniture.model import FurnitureModel  # noqa: E402
from warta.furniture.train import boilerplate_docs  # noqa: E402
from warta.ner import patterns  # noqa: E402
from warta.ner.model import NerModel  # noqa: E402
from warta.ner.train import RULE_HINTS  # noqa: E402
from warta.pipeline import manual_entity_docs  # noqa: E402


def _docs(folder: Path) -> list[tuple[str, str, dict, tuple]]:
    """(id, outlet, gold annotation, training doc) of each article with manual entities."""
    out = []
    for files in discover([folder]):
        if files.txt_file is None or files.json_file is None:
            continue
        article = load(files)
        gold = article.annotation or {}
        if "entities" not in gold.get("manual", []):
            continue
        outlet = (gold.get("metadata") or {}).get("outlet") or article.id.split("_")[0]
        doc = next(iter(manual_entity_docs([files])))
        out.append((article.id, outlet, gold, doc))
    return sorted(out, key=lambda r: r[0])


def table(report) -> list[str]:
    ents = report.entities
    rows = [("exact", ents.exact), ("span", ents.span)]
    rows += [(f"exact {k}", ents.per_label[k]) for k in sorted(ents.per_label)]
    lines = [f"{'metric':<14} {'P':>6} {'R':>6} {'F1':>6} {'TP':>5} {'FP':>5} {'FN':>5}"]
    for name, prf in rows:
        lines.append(
            f"{name:<14} {prf.precision or 0:6.3f} {prf.recall or 0:6.3f} {prf.f1 or 0:6.3f} "
            f"{prf.tp:5.0f} {prf.fp:5.0f} {prf.fn:5.0f}"
        )
    return lines


def _unseen(aid: str) -> bool:
    """Articles numbered from 101 were added after the rule cascade was tuned."""
    tail = aid.rsplit("_", 1)[-1]
    return tail.isdigit() and int(tail) >= 101


def run(
    dev: Path, corpus: Path | None, repeat: int = 5, params=None, hints=RULE_HINTS
) -> dict:
    articles = _docs(dev)
    base = [r[3] for r in _docs(corpus)] if corpus else []
    outlets = sorted({r[1] for r in articles})
    furniture = boilerplate_docs([dev], with_ids=True)
    furniture_base = boilerplate_docs([corpus]) if corpus else []
    auto_bp: dict[str, list] = {}
    triples = []
    train_times = []
    tag_time = 0.0
    model = None
    for outlet in outlets:
        train = base + [r[3] for r in articles if r[1] != outlet]
        t0 = time.perf_counter()
        model = NerModel.train(train, params=params, rule_hints=hints)
        train_times.append(time.perf_counter() - t0)
        lines = FurnitureModel.train(
            furniture_base + [(t, b) for _, o, t, b in furniture if o != outlet]
        )
        for aid, out, gold, doc in articles:
            if out != outlet:
                continue
            auto_bp[aid] = lines.annotate(doc[0])
            t0 = time.perf_counter()
            pred = model.annotate(doc[0], auto_bp[aid])
            tag_time += time.perf_counter() - t0
            triples.append((aid, (doc[0], gold, {"entities": pred})))
    report = compare([t for _, t in triples], layers=("entities",))
    unseen = compare([t for a, t in triples if _unseen(a)], layers=("entities",))
    tuned = compare([t for a, t in triples if not _unseen(a)], layers=("entities",))
    # Tagging speed alone, the whole development set repeated, one process.
    assert model is not None
    texts = [(r[3][0], auto_bp[r[0]]) for r in articles] * repeat
    t0 = time.process_time()
    for text, bp in texts:
        model.annotate(text, bp)
    speed = len(texts) / (time.process_time() - t0)
    full = base + [r[3] for r in articles]
    t0 = time.perf_counter()
    NerModel.train(full, params=params, rule_hints=hints)
    full_train = time.perf_counter() - t0
    return {
        "report": report,
        "unseen": unseen,
        "tuned": tuned,
        "folds": len(outlets),
        "articles": len(articles),
        "train_seconds_mean_fold": sum(train_times) / len(train_times),
        "train_seconds_all": full_train,
        "tag_articles_per_second_one_process": speed,
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--dev",
        type=Path,
        default=ROOT.parent / "shared/realworld/dev",
        help="folder of development articles (<id>.txt with a manual <id>.json): an external "
        "folder outside the repository, supplied by the user (default: %(default)s)",
    )
    parser.add_argument("--corpus", type=Path, default=ROOT / "corpus")
    parser.add_argument("--json", type=Path)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument(
        "--no-rule-hints", action="store_true", help="without the rule cascade's output as features"
    )
    parser.add_argument(
        "--patterns",
        help="comma-separated ids of warta/ner/patterns.json to use (empty: none), to score "
        "a pattern alone or the others without it (default: every pattern)",
    )
    parser.add_argument(
        "--rules-off",
        help="comma-separated ids of warta/annotators/entity_rules.json to switch off in the "
        "rule cascade whose output the tagger reads, to score the tagger without them",
    )
    parser.add_argument("--c1", type=float)
    parser.add_argument("--c2", type=float)
    args = parser.parse_args(argv)
    if args.patterns is not None:
        patterns.use([p for p in args.patterns.split(",") if p])
    if args.rules_off:
        entities.use_rules([r for r in args.rules_off.split(",") if r])
    params = {k: v for k, v in (("c1", args.c1), ("c2", args.c2)) if v is not None}
    res = run(args.dev, args.corpus, args.repeat, params, not args.no_rule_hints)
    print(f"leave-one-outlet-out: {res['folds']} folds, {res['articles']} articles")
    print("\n".join(table(res["report"])))
    for key, what in (("unseen", "numbered from 101"), ("tuned", "numbered below 101")):
        n = res[key].entities.exact
        print(f"\nonly the articles {what} ({n.tp + n.fn:.0f} manual entities):")
        print("\n".join(table(res[key])))
    print(
        f"train: {res['train_seconds_mean_fold']:.1f} s per fold, "
        f"{res['train_seconds_all']:.1f} s on everything; "
        f"tag: {res['tag_articles_per_second_one_process']:.0f} articles/s (one process, CPU time)"
    )
    if args.json:
        out = {k: v for k, v in res.items() if k not in ("report", "unseen", "tuned")}
        out["entities"] = res["report"].entities.to_dict()
        out["entities_unseen_101_up"] = res["unseen"].entities.to_dict()
        out["entities_tuned_rest"] = res["tuned"].entities.to_dict()
        args.json.write_text(json.dumps(out, indent=2, sort_keys=True) + "\n")


if __name__ == "__main__":
    main()
