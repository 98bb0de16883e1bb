"""Verify and record the corpus notebooks that execute offline: one row per notebook, then totals.

Usage (from the repository root):

    python benchmarks/record_corpus.py --python /path/to/corpus-venv/bin/python [--only TEXT] [--jobs N]

For each notebook, in fresh temporary copies of its repository folder: `nbrefactor verify` (equivalent
or not, and why), then `nbrefactor convert --record` and the recorded tests run with pytest under the
corpus interpreter (which needs pytest installed).
"""
from __future__ import annotations

import argparse
import csv
import os
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = REPO_ROOT.parent / "shared" / "corpus"


def executable_notebooks(corpus: Path):
    with open(corpus / "manifest.tsv", newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    return [(row["id"], row["repo"].replace("/", "__"), row["path"]) for row in rows if row["executes_offline"] == "yes"]


def last_line(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return lines[-1][:160] if lines else ""


def nbrefactor(*arguments: str, cwd: Path, timeout: float) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "nbrefactor", *arguments]
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=timeout)


def verify(entry, corpus: Path, python: str, timeout: float) -> str:
    _, folder, path = entry
    try:
        done = nbrefactor("verify", "--python", python, "--timeout", str(timeout), str(corpus / folder / path), cwd=REPO_ROOT, timeout=4 * timeout)
    except subprocess.TimeoutExpired:
        return "timeout"
    if done.returncode == 0:
        return "yes: " + done.stdout.splitlines()[0]
    detail = [line.strip() for line in done.stdout.splitlines()[1:4]] or [last_line(done.stderr)]
    return f"no ({done.returncode}): " + " | ".join(detail)[:300]


def record(entry, corpus: Path, python: str, timeout: float) -> str:
    _, folder, path = entry
    with tempfile.TemporaryDirectory(prefix="nbrefactor-record-corpus-") as scratch:
        copy = Path(scratch) / folder
        shutil.copytree(corpus / folder, copy, symlinks=True, copy_function=shutil.copyfile)
        for root, dirs, _ in os.walk(copy):
            for name in dirs:
                os.chmod(os.path.join(root, name), 0o755)
        notebook = copy / path
        try:
            done = nbrefactor("convert", "--record", "--python", python, "--record-timeout", str(timeout), str(notebook), cwd=REPO_ROOT, timeout=4 * timeout)
        except subprocess.TimeoutExpired:
            return "record timeout"
        if done.returncode != 0:
            return f"record failed: {last_line(done.stderr)}"
        recorded = " ".join(line.split(": ", 1)[1] for line in done.stderr.splitlines() if line.startswith("recorded "))
        tests = sorted(notebook.parent.glob("test_*_recorded.py"))
        ran = subprocess.run([python, "-m", "pytest", "-q", "-p", "no:cacheprovider", *map(str, tests)],
                             cwd=notebook.parent, capture_output=True, text=True, timeout=4 * timeout)
        outcome = "pass" if ran.returncode == 0 else "FAIL"
        return f"{outcome}: {last_line(ran.stdout)} [{recorded}]"


def measure(job) -> tuple:
    entry, corpus, python, timeout = job
    return entry[0], verify(entry, corpus, python, timeout), record(entry, corpus, python, timeout)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--python", required=True, help="interpreter with the corpus's pinned libraries and pytest")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--only", default="", help="only notebooks whose id contains this text")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=300, help="seconds each run may take (default: %(default)s)")
    arguments = parser.parse_args(argv)
    entries = [e for e in executable_notebooks(arguments.corpus) if arguments.only in e[0]]
    jobs = [(entry, arguments.corpus, arguments.python, arguments.timeout) for entry in entries]
    rows = []
    with ProcessPoolExecutor(max_workers=arguments.jobs) as pool:
        for name, verified, recorded in pool.map(measure, jobs):
            print(f"{name}\n  verify: {verified}\n  record: {recorded}", flush=True)
            rows.append((name, verified, recorded))
    equivalent = sum(v.startswith("yes") for _, v, _ in rows)
    passing = sum(r.startswith("pass") for _, _, r in rows)
    print(f"\n{len(rows)} notebooks: verify equivalent {equivalent}, recorded tests pass {passing}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
