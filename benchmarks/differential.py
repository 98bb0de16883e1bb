"""The differential suite as a table: every case of tests/differential/cases run as a notebook in a real
kernel and as its converted script, compared and classified (see tests/differential/harness.py).

    python benchmarks/differential.py [-j WORKERS] [-k SUBSTRING ...] [--json FILE]

Prints the counts (cases, same, kept with a finding, refused, silent, crashed, broken claims, and how
often `nbrefactor verify`, judging the same runs, disagreed), then one row per case that is not `same`
or where verify disagreed: its class, the finding codes of its conversion, verify's verdict, and what
differed. Exit status 1 when a case is silent or crashed, a case's own claims do not hold, or verify
disagrees.
"""
from __future__ import annotations

import argparse
import collections
import json
import multiprocessing
import os
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict
from pathlib import Path

SUITE = Path(__file__).resolve().parent.parent / "tests" / "differential"
sys.path.insert(0, str(SUITE))

import casefile  # noqa: E402
import harness  # noqa: E402


def work(names, results) -> None:
    """A worker process: its share of the cases in order, each case's notebook started while the previous
    case runs."""
    cases = {case.name: case for case in casefile.all_cases()}
    with ThreadPoolExecutor(max_workers=1) as ahead:
        notebook = harness.start_notebook(cases[names[0]], ahead) if names else None
        for position, name in enumerate(names):
            current = notebook
            notebook = harness.start_notebook(cases[names[position + 1]], ahead) if position + 1 < len(names) else None
            results.put(judged(cases[name], current))


def judged(case, notebook) -> dict:
    try:
        runs = harness.run_case(case, notebook=notebook)
        found = harness.outcome(runs)
        verdict = harness.verify_verdict(runs)
        return dict(asdict(found), verify=verdict, agrees=harness.verdict_agrees(runs, found, verdict))
    except Exception as error:  # a broken harness run is reported, not lost
        found = harness.Outcome(case.name, "crashed", problems=(f"harness: {type(error).__name__}: {error}",))
        return dict(asdict(found), verify="", agrees=False)


def run_all(names, workers: int):
    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    processes = [context.Process(target=work, args=(names[worker::workers], results)) for worker in range(workers)]
    for process in processes:
        process.start()
    outcomes = [results.get() for _ in names]
    for process in processes:
        process.join()
    return sorted(outcomes, key=lambda outcome: outcome["case"])


def table(outcomes) -> str:
    counts = collections.Counter(outcome["classification"] for outcome in outcomes)
    broken = sum(bool(outcome["problems"]) for outcome in outcomes)
    disagreements = sum(not outcome["agrees"] for outcome in outcomes)
    header = ["cases", *harness.CLASSES, "broken claims", "verify disagrees"]
    values = [len(outcomes), *(counts[name] for name in harness.CLASSES), broken, disagreements]
    lines = [" | ".join(header), " | ".join(str(v).rjust(len(h)) for h, v in zip(header, values)), ""]
    lines.append("case | class | findings | verify | what differed")
    for outcome in outcomes:
        if outcome["classification"] != "same" or outcome["problems"] or not outcome["agrees"]:
            what = list(outcome["differences"][:3]) + [f"claim: {p}" for p in outcome["problems"]]
            what += [outcome["refusal"]] if outcome["refusal"] else []
            codes = ",".join(code or "(no code)" for code in outcome["codes"]) or "-"
            verdict = outcome["verify"] + ("" if outcome["agrees"] else " (disagrees)")
            lines.append(f"{outcome['case']} | {outcome['classification']} | {codes} | {verdict} | " + "; ".join(what)[:400])
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-j", "--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("-k", dest="patterns", action="append", default=[], help="run only cases whose name contains this")
    parser.add_argument("--json", type=Path, help="also write every outcome to this file")
    options = parser.parse_args(argv)
    chosen = [case for case in casefile.all_cases()
              if not options.patterns or any(pattern in case.name for pattern in options.patterns)]
    skipped = {case.name: casefile.missing_libraries(case) for case in chosen if casefile.missing_libraries(case)}
    names = [case.name for case in chosen if case.name not in skipped]
    started = time.perf_counter()
    outcomes = run_all(names, max(1, min(options.workers, len(names))))
    print(table(outcomes))
    for name, missing in sorted(skipped.items()):
        print(f"skipped {name}: needs {', '.join(missing)}")
    print(f"\n{len(outcomes)} cases in {time.perf_counter() - started:.0f} s with {options.workers} workers")
    if options.json:
        options.json.write_text(json.dumps(outcomes, indent=1), encoding="utf-8")
    failed = any(outcome["classification"] in harness.FAILURES or outcome["problems"] or not outcome["agrees"]
                 for outcome in outcomes)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
