"""Leave-one-outlet-out cross-validation of the furniture line model (warta.furniture).

    python bench/boilerplate_cv.py [--dev DIR] [--corpus DIR] [--json OUT]
                                   [--thresholds 0.5,0.8] [--repeat N]

For each outlet of the development folder, the line CRF is trained as
``python build.py train`` trains the shipped one, on the manual boilerplate of
every *other* outlet's articles plus the project corpus, and the held-out
outlet's articles are annotated from raw text: by the rules alone, and by the
rules plus the model's confident lines. Scores are characters, whitespace
ignored (:func:`warta.agreement.compare`, as ``build.py eval`` scores the
layer), pooled over the folds: over all articles, and over those numbered from
101 (no rule was written against them). The speed of rules plus model is
printed too (articles/s, one process, CPU time).
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
from warta.annotators import boilerplate as rules  # noqa: E402
from warta.furniture.model import THRESHOLD, FurnitureModel  # noqa: E402
from warta.furniture.train import boilerplate_docs  # noqa: E402


def _unseen(aid: str) -> bool:
    """Articles numbered from 101 were added after the boilerplate rules were tuned."""
    tail = aid.rsplit("_", 1)[-1]
    return tail.isdigit() and int(tail) >= 101


def _row(name: str, prf) -> str:
    return (
        f"| {name:<10} | {prf.precision or 0:.3f} | {prf.recall or 0:.3f} | {prf.f1 or 0:.3f} "
        f"| {prf.tp:4.0f} | {prf.fp:3.0f} | {prf.fn:3.0f} |"
    )


def table(report) -> list[str]:
    """A markdown table of one boilerplate report."""
    b = report.boilerplate
    return [
        "| metric     |     P |     R |    F1 |   TP |  FP |  FN |",
        "|------------|------:|------:|------:|-----:|----:|----:|",
        _row("unlabelled", b.unlabelled),
        _row("labelled", b.labelled),
    ]


def _scores(pairs: list[tuple[str, tuple]]) -> dict:
    out = {}
    for name, keep in (("all", lambda a: True), ("unseen", _unseen)):
        chosen = [p for a, p in pairs if keep(a)]
        out[name] = compare(chosen, layers=("boilerplate",))
    return out


def run(
    dev: Path, corpus: Path | None, thresholds: list[float], repeat: int = 3, params=None
) -> dict:
    articles = boilerplate_docs([dev], with_ids=True)
    base = (
        [(t, b) for _aid, _outlet, t, b in boilerplate_docs([corpus], with_ids=True)]
        if corpus
        else []
    )
    outlets = sorted({r[1] for r in articles})
    rule_pairs, model_pairs = [], {t: [] for t in thresholds}
    model = None
    train_times = []
    for outlet in outlets:
        train = base + [(t, b) for _a, o, t, b in articles if o != outlet]
        t0 = time.perf_counter()
        model = FurnitureModel.train(train, params=params)
        train_times.append(time.perf_counter() - t0)
        for aid, o, text, gold in articles:
            if o != outlet:
                continue
            found = rules.annotate(text)
            rule_pairs.append((aid, (text, {"boilerplate": gold}, {"boilerplate": found})))
            for th in thresholds:
                model.threshold = th
                pred = model.annotate(text)
                model_pairs[th].append((aid, (text, {"boilerplate": gold}, {"boilerplate": pred})))
    assert model is not None
    model.threshold = THRESHOLD
    texts = [t for _a, _o, t, _b in articles] * repeat
    t0 = time.process_time()
    for text in texts:
        rules.annotate(text)
    rules_speed = len(texts) / (time.process_time() - t0)
    t0 = time.process_time()
    for text in texts:
        model.annotate(text)
    speed = len(texts) / (time.process_time() - t0)
    return {
        "articles": len(articles),
        "folds": len(outlets),
        "rules": _scores(rule_pairs),
        "model": {th: _scores(p) for th, p in model_pairs.items()},
        "train_seconds_mean_fold": sum(train_times) / len(train_times),
        "rules_articles_per_second": rules_speed,
        "rules_and_model_articles_per_second": speed,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "--dev",
        type=Path,
        default=ROOT.parent / "shared/realworld/dev",
        help="the development articles (a folder outside the repository: their texts "
        "belong to their publishers)",
    )
    ap.add_argument("--corpus", type=Path, default=ROOT / "corpus")
    ap.add_argument("--json", type=Path, default=None)
    ap.add_argument("--thresholds", default=str(THRESHOLD))
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--brief", action="store_true", help="one line per threshold")
    ap.add_argument("--params", default=None, help="CRF parameters as JSON, over the defaults")
    args = ap.parse_args()
    thresholds = [float(x) for x in args.thresholds.split(",")]
    params = json.loads(args.params) if args.params else None
    res = run(args.dev, args.corpus, thresholds, args.repeat, params)
    if args.brief:
        for name, by in [("rules", res["rules"])] + [
            (f"t={t}", res["model"][t]) for t in thresholds
        ]:
            cells = []
            for subset in ("all", "unseen"):
                b = by[subset].boilerplate
                for prf in (b.unlabelled, b.labelled):
                    cells.append(
                        f"{prf.precision or 0:.3f}/{prf.recall or 0:.3f}/{prf.f1 or 0:.3f}"
                    )
            print(f"{name:7} all u {cells[0]} l {cells[1]} | >=101 u {cells[2]} l {cells[3]}")
        return
    print(f"{res['articles']} articles, {res['folds']} folds (outlets), pooled\n")
    for subset, title in (("all", "all articles"), ("unseen", "articles numbered from 101")):
        print(f"## rules alone, {title}\n")
        print("\n".join(table(res["rules"][subset])) + "\n")
        for th in thresholds:
            print(f"## rules + line model (threshold {th}), {title}\n")
            print("\n".join(table(res["model"][th][subset])) + "\n")
    print(
        f"train {res['train_seconds_mean_fold']:.2f} s/fold; "
        f"rules {res['rules_articles_per_second']:.0f} articles/s; "
        f"rules + model {res['rules_and_model_articles_per_second']:.0f} articles/s"
    )
    if args.json:
        out = {
            "articles": res["articles"],
            "folds": res["folds"],
            "rules": {k: v.to_dict()["boilerplate"] for k, v in res["rules"].items()},
            "model": {
                str(th): {k: v.to_dict()["boilerplate"] for k, v in by.items()}
                for th, by in res["model"].items()
            },
        }
        args.json.write_text(json.dumps(out, indent=2, sort_keys=True) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
