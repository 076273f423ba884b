"""
The detection table from BENCH_DIAG files (test/bench/detection-diagnosis.ts), for a bench run in
slices (BENCH_SEED_OFFSET, BENCH_STRATEGIES, …): one line per run, deduplicated by strategy, delay,
scenario and seed, so overlapping slices count a seed once. Prints the table of docs/analysis.md
(detection quality) and the false rollbacks by gate.
Run: python3 test/bench/detection-combine.py <diag.jsonl>...   (standard library only)
"""
import collections
import json
import statistics
import sys

STRATEGIES = [
    "Linear10PercentEvery1Minute",
    "Linear10PercentEvery3Minutes",
    "Canary10Percent5Minutes",
    "steps:1%@5m,10%@5m,100%",
    "Linear10PercentEvery10Minutes",
    "AllAtOnce",
]
HEADER = (
    "| strategy | delay | (a) false rollbacks [≤ 0.5%] | (b) 5% vs 1% before 100% [≥ 99%] "
    "| (b) median time to detect [≤ 210 s, 1 min, 10%] | (c) p99 2× before 100% [≥ 99%] "
    "| (e) p99 +50%, p50 unchanged [≥ 95%] | (f) p50/p99 +50% | (d) 5 req/min, equal |"
)


def load(paths):
    runs = {}
    for path in paths:
        with open(path) as f:
            for line in f:
                r = json.loads(line)
                runs[(r["strategy"], r["delay"], r["scenario"], r["seed"])] = r
    cells = collections.defaultdict(list)
    for (strategy, delay, scenario, _), r in runs.items():
        cells[(strategy, delay, scenario)].append(r)
    return cells


def pct(k, n):
    return f"{100 * k / n:.1f}% ({k}/{n})" if n else "–"


def row(cells, strategy, delay):
    out = [strategy if strategy != "AllAtOnce" else "AllAtOnce + 10m bake", f"{delay} min"]
    bake = strategy == "AllAtOnce"
    for scenario in "abcefd":
        c = cells.get((strategy, delay, scenario), [])
        n = len(c)
        if scenario == "a":
            out.append(pct(sum(r["ending"] == "rolled_back" for r in c), n))
        elif scenario == "d":
            count = lambda e: sum(r["ending"] == e for r in c)  # noqa: E731
            low = f"{count('promoted_inconclusive')}/{n} inconcl., {count('promoted_pass')} pass, {count('rolled_back')} rb"
            out.append(low if n else "–")
        else:
            # AllAtOnce is judged only in its bake (after 100%): a rollback is the detection.
            caught = sum((r["ending"] == "rolled_back") if bake else r["before100"] for r in c)
            out.append(("in bake: " if bake and n else "") + pct(caught, n))
            if scenario == "b":
                # Seconds from the first weight write to the failing poll, over the runs rolled back.
                ts = [r["poll"]["t"] for r in c if r["ending"] == "rolled_back"]
                out.append(f"{statistics.median(ts):.0f} s" if ts else "–")
    return "| " + " | ".join(out) + " |"


def main(paths):
    cells = load(paths)
    print(HEADER)
    print("|" + "---|" * 9)
    for strategy in STRATEGIES:
        for delay in (1, 3):
            if any(k[0] == strategy and k[1] == delay for k in cells):
                print(row(cells, strategy, delay))
    by_gate = collections.Counter()
    for (strategy, delay, scenario), c in cells.items():
        for r in c:
            if scenario in "ad" and r["ending"] == "rolled_back":
                gates = [k for k, v in r["poll"].items() if isinstance(v, dict) and v.get("outcome") == "fail"]
                by_gate[(strategy, delay, ",".join(gates))] += 1
    for (strategy, delay, gates), n in sorted(by_gate.items()):
        print(f"false rollbacks: {strategy} {delay} min by {gates}: {n}")


if __name__ == "__main__":
    main(sys.argv[1:])
