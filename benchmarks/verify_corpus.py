"""`nbrefactor verify` on the corpus notebooks that execute offline: one row per notebook (verdict,
seconds, and the reason for every "different", "cannot tell" and "cannot run"), then totals.

Usage (from the repository root):

    python benchmarks/verify_corpus.py --python /work/corpus-venv/bin/python [--only TEXT] [--timeout S] [--jobs N]

`--python` is the interpreter of the notebook's kernel and of the script: an environment with the
corpus's pinned libraries and ipykernel. nbrefactor itself (and nbclient) run in this interpreter.
Every run happens in fresh copies of the notebook's folder; the corpus is never written.
"""
from __future__ import annotations

import argparse
import csv
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import List, Tuple

REPO_ROOT = Path(__file__).resolve().parent.parent
CORPUS_CANDIDATES = (REPO_ROOT.parent / "shared" / "corpus", REPO_ROOT.parent.parent / "shared" / "corpus")
DETAIL_ROWS = 3


sys.path.insert(0, str(REPO_ROOT))  # this checkout's nbrefactor


def default_corpus() -> Path:
    return next((path for path in CORPUS_CANDIDATES if (path / "manifest.tsv").is_file()), CORPUS_CANDIDATES[0])


def offline_notebooks(corpus: Path, only: str) -> List[Tuple[str, Path]]:
    """(id, notebook path) of every manifest row marked executes_offline=yes."""
    with open(corpus / "manifest.tsv", newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    return [(row["id"], corpus / row["repo"].replace("/", "__") / row["path"])
            for row in rows if row["executes_offline"] == "yes" and only in row["id"]]


def verify_one(notebook: Path, python: str, timeout: float) -> Tuple[str, float, str]:
    """(verdict, seconds, reason with the first rows of the table)."""
    from nbrefactor.verify import verify_notebook

    started = time.monotonic()
    report = verify_notebook(notebook, python=python, timeout=timeout, flags={})
    return report.verdict, time.monotonic() - started, reason(report)


def reason(report) -> str:
    if report.verdict == "equivalent":
        return report.reason
    rows = [f"{row.kind} {row.name}: {row.notebook} -> {row.script}".strip() for row in (*report.differences, *report.not_compared)]
    shown = rows[:DETAIL_ROWS] + ([f"... {len(rows) - DETAIL_ROWS} more"] if len(rows) > DETAIL_ROWS else [])
    return " | ".join([report.reason.replace(str(report.notebook) + ": ", ""), *shown])


def print_table(results: List[Tuple[str, str, float, str]]) -> None:
    width = max(len(name) for name, *_ in results)
    print(f"{'notebook'.ljust(width)}  {'verdict'.ljust(11)}  {'seconds':>7}  reason")
    for name, verdict, seconds, why in results:
        print(f"{name.ljust(width)}  {verdict.ljust(11)}  {seconds:7.1f}  {why}")
    counts = {verdict: sum(1 for _, found, *_ in results if found == verdict) for verdict in ("equivalent", "different", "cannot tell", "cannot run")}
    print(f"\n{len(results)} notebooks: " + ", ".join(f"{verdict} {count}" for verdict, count in counts.items()))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--python", default=sys.executable, help="interpreter of the kernel and the script (needs ipykernel)")
    parser.add_argument("--corpus", type=Path, default=default_corpus())
    parser.add_argument("--only", default="", help="only notebooks whose id contains this text")
    parser.add_argument("--timeout", type=float, default=600, help="seconds each run may take")
    parser.add_argument("--jobs", type=int, default=1, help="notebooks verified at once (each runs three processes)")
    options = parser.parse_args(argv)
    notebooks = offline_notebooks(options.corpus, options.only)
    with ThreadPoolExecutor(max_workers=max(1, options.jobs)) as pool:
        futures = [(name, pool.submit(verify_one, path, options.python, options.timeout)) for name, path in notebooks]
        results = [(name, *future.result()) for name, future in futures]
    print_table(results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
