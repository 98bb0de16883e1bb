"""Time the pre-commit hooks on notebooks whose outputs are current: the fast path answers from the
generated headers without parsing, analysing or rendering (target: under 0.2 s per unchanged notebook).

    python benchmarks/hook.py [--repeat 5]

Each row runs the hook's command as a fresh process (as pre-commit does) in a git repository holding
copies of the bundled training notebook with their outputs converted, and prints the median wall time.
"""
from __future__ import annotations

import argparse
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "examples" / "diabetes" / "diabetes_training.ipynb"
HOOKS = {"nbrefactor (convert --fail-on-write)": ["--fail-on-write"], "nbrefactor-check (convert --check)": ["--check"]}
TARGET = 0.2  # seconds per unchanged notebook


def project(folder: Path, count: int) -> list:
    """`count` notebooks, each in its own folder, converted once; a git repository with all staged."""
    names = []
    for index in range(count):
        (folder / f"nb{index}").mkdir()
        names.append(f"nb{index}/{NOTEBOOK.name}")
        shutil.copy(NOTEBOOK, folder / names[-1])
    nbrefactor(folder, names, [])
    (folder / ".gitignore").write_text("__pycache__/\n")
    subprocess.run(["git", "init", "-q"], cwd=folder, check=True)
    subprocess.run(["git", "add", "-A"], cwd=folder, check=True)
    return names


def nbrefactor(folder: Path, names: list, flags: list) -> tuple:
    """(wall seconds, CPU seconds) of one run; CPU time stays meaningful on a busy machine."""
    before, start = resource.getrusage(resource.RUSAGE_CHILDREN), time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "nbrefactor", "convert", *flags, *names], cwd=folder, capture_output=True, text=True)
    elapsed, after = time.perf_counter() - start, resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"nbrefactor exited {done.returncode}: {done.stderr}")
    return elapsed, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    arguments = parser.parse_args()
    print("| hook | notebooks | wall (s) | CPU (s) | wall per notebook (s) | target |")
    print("| --- | ---: | ---: | ---: | ---: | --- |")
    for count in (1, 10):
        with tempfile.TemporaryDirectory() as scratch:
            names = project(Path(scratch), count)
            for hook, flags in HOOKS.items():
                runs = [nbrefactor(Path(scratch), names, flags) for _ in range(arguments.repeat)]
                wall, cpu = statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs)
                verdict = "met" if wall / count < TARGET else "MISSED"
                print(f"| {hook} | {count} | {wall:.3f} | {cpu:.3f} | {wall / count:.3f} | {verdict} |")


if __name__ == "__main__":
    main()
