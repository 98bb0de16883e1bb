"""Wall time and peak memory of nbrefactor against `jupyter nbconvert --to script` and `jupytext --to py`.

Usage (from the repository root, in an environment with nbrefactor, nbconvert and jupytext installed):

    python benchmarks/bench.py [--sizes 10 100 1000 5000] [--repeat 3] [--keep DIR]

Generates realistic notebooks of the given numbers of code cells (plus the tutorial notebook in
examples/diabetes), runs every tool on each as a child process and prints one table: best wall time of
`--repeat` runs, that child's peak resident memory, and the ratio of the time to nbconvert's. The
targets of the project follow the table, each marked met or missed.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Sequence, Tuple

REPO_ROOT = Path(__file__).resolve().parent.parent
TUTORIAL = REPO_ROOT / "examples" / "diabetes" / "diabetes_training.ipynb"
BIN = Path(sys.executable).parent
TOOLS = ("nbrefactor", "nbrefactor --check", "nbconvert", "jupytext")


@dataclass(frozen=True)
class Measure:
    seconds: float
    peak_mib: float


# --- realistic notebooks -----------------------------------------------------------------------------

IMPORTS = """import numpy as np
import pandas as pd
import matplotlib.pyplot as plt
from sklearn.linear_model import Ridge
from sklearn.metrics import mean_squared_error
from sklearn.model_selection import train_test_split"""


def section_cells(number: int, rng: random.Random) -> List[Tuple[str, str]]:
    """One section as a data scientist writes it: a heading, work on `df`, a look at the result."""
    column = f"feature_{number}"
    work = rng.choice(
        [
            f"df['{column}'] = df['x'] * {number} + np.log1p(df['y'].abs())\ndf = df.dropna()",
            f"def scale_{number}(values, factor={number}):\n    \"\"\"Scale by a constant.\"\"\"\n    return values / factor\n\n"
            f"df['{column}'] = scale_{number}(df['x'])",
            f"X = df[['x', '{column}']] if '{column}' in df else df[['x']]\ny = df['y']\n"
            f"X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state={number})",
            f"args = {{'alpha': {number / 10}}}\nmodel = Ridge(**args).fit(df[['x']], df['y'])\n"
            f"metrics = {{'mse': mean_squared_error(df['y'], model.predict(df[['x']]))}}",
            f"summary_{number} = df.groupby('group')['y'].agg(['mean', 'std'])\nbest = summary_{number}['mean'].idxmax()",
        ]
    )
    look = rng.choice(["df.head()", "print(df.shape)", "df.describe()", f"df['{column}'].value_counts()" if "df[" in work else "df.info()", "%time total = df['y'].sum()"])
    cells = [("markdown", f"## Step {number}: transform data for feature {number}\n\nWhy this step matters.")]
    cells += [("code", work), ("code", look)]
    if rng.random() < 0.2:
        cells.append(("code", "plt.plot(df['x'], df['y'])\nplt.title('step')\nplt.show()"))
    return cells


def notebook_cells(code_cells: int, seed: int = 7) -> List[Tuple[str, str]]:
    rng = random.Random(seed)
    cells = [("markdown", "# Generated analysis"), ("code", "%matplotlib inline\n" + IMPORTS)]
    cells.append(("code", "df = pd.DataFrame({'x': np.arange(100.0), 'y': np.arange(100.0) ** 2, 'group': np.arange(100) % 3})"))
    number = 0
    while sum(kind == "code" for kind, _ in cells) < code_cells:
        number += 1
        cells += section_cells(number, rng)
    while sum(kind == "code" for kind, _ in cells) > code_cells:
        cells.pop()
    return cells


def notebook_json(cells: Sequence[Tuple[str, str]]) -> str:
    """nbformat 4.5 JSON with execution counts and a small text output per code cell, as saved notebooks have."""
    rendered = []
    for index, (kind, source) in enumerate(cells):
        cell = {"cell_type": kind, "id": f"cell-{index}", "metadata": {}, "source": source.splitlines(keepends=True)}
        if kind == "code":
            output = {"output_type": "execute_result", "execution_count": index, "metadata": {}, "data": {"text/plain": [f"<result {index}>"]}}
            cell.update(execution_count=index, outputs=[output])
        rendered.append(cell)
    metadata = {
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
        "language_info": {"name": "python", "file_extension": ".py", "mimetype": "text/x-python"},
    }
    return json.dumps({"nbformat": 4, "nbformat_minor": 5, "metadata": metadata, "cells": rendered}, indent=1)


# --- measuring ---------------------------------------------------------------------------------------


def measure(command: Sequence[str], cwd: Path) -> Measure:
    """Wall time and peak memory of one child process (os.wait4 gives that child's own rusage)."""
    start = time.perf_counter()
    process = subprocess.Popen(list(command), cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    error = process.stderr.read().decode(errors="replace")
    process.stderr.close()
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        raise SystemExit(f"{' '.join(command)} failed:\n{error}")
    return Measure(seconds, usage.ru_maxrss / 1024)


def commands(tool: str, notebook: Path, output: Path) -> List[str]:
    if tool == "nbrefactor":
        return [str(BIN / "nbrefactor"), "convert", str(notebook), "-o", str(output)]
    if tool == "nbrefactor --check":
        return [str(BIN / "nbrefactor"), "convert", "--check", str(notebook), "-o", str(output)]
    if tool == "nbconvert":
        return [str(BIN / "jupyter"), "nbconvert", "--to", "script", str(notebook), "--output-dir", str(output)]
    return [str(BIN / "jupytext"), "--to", "py", str(notebook), "-o", str(output / "jupytext.py")]


def best_of(tool: str, notebook: Path, folder: Path, repeat: int) -> Measure:
    """The fastest of `repeat` runs; fresh output folders, except for --check, which checks nbrefactor's own."""
    output = folder / "nbrefactor-0"
    if tool == "nbrefactor --check" and not output.exists():
        subprocess.run(commands("nbrefactor", notebook, output), check=True, capture_output=True)
    runs = []
    for attempt in range(repeat):
        if tool != "nbrefactor --check":
            output = folder / f"{tool}-{attempt}"
            shutil.rmtree(output, ignore_errors=True)
            output.mkdir(parents=True)
        runs.append(measure(commands(tool, notebook, output), folder))
    return min(runs, key=lambda run: run.seconds)


def benchmark(notebooks: Dict[str, Path], folder: Path, repeat: int) -> Dict[Tuple[str, str], Measure]:
    results = {}
    for label, notebook in notebooks.items():
        for tool in TOOLS:
            runs = 1 if label.startswith("5000") else repeat
            results[label, tool] = best_of(tool, notebook, folder / label.split()[0], runs)
            print(f"  {label:<18} {tool:<20} {results[label, tool].seconds:7.2f} s", file=sys.stderr)
    return results


# --- reporting ---------------------------------------------------------------------------------------


def table(results: Dict[Tuple[str, str], Measure], labels: Sequence[str]) -> str:
    rows = ["| notebook | tool | wall (s) | peak memory (MiB) | time / nbconvert |", "| --- | --- | ---: | ---: | ---: |"]
    for label in labels:
        baseline = results[label, "nbconvert"].seconds
        for tool in TOOLS:
            run = results[label, tool]
            rows.append(f"| {label} | {tool} | {run.seconds:.2f} | {run.peak_mib:.0f} | {run.seconds / baseline:.2f}x |")
    return "\n".join(rows)


def targets(results: Dict[Tuple[str, str], Measure], labels: Sequence[str]) -> List[str]:
    def seconds(label: str, tool: str) -> float:
        return results[label, tool].seconds

    checks = []
    if "tutorial" in labels:
        ratio = seconds("tutorial", "nbrefactor") / seconds("tutorial", "nbconvert")
        checks.append(("tutorial: nbrefactor <= 0.5x nbconvert", f"{ratio:.2f}x", ratio <= 0.5))
        check = seconds("tutorial", "nbrefactor --check")
        checks.append(("tutorial: --check on up-to-date outputs < 0.3 s", f"{check:.2f} s", check < 0.3))
    if "1000 cells" in labels:
        ratio = seconds("1000 cells", "nbrefactor") / seconds("1000 cells", "nbconvert")
        checks.append(("1,000 cells: nbrefactor <= 1.5x nbconvert", f"{ratio:.2f}x", ratio <= 1.5))
    if "1000 cells" in labels and "5000 cells" in labels:
        growth = seconds("5000 cells", "nbrefactor") / seconds("1000 cells", "nbrefactor")
        checks.append(("5,000 cells <= 6x the time of 1,000", f"{growth:.2f}x", growth <= 6))
    return [f"- [{'met' if ok else 'MISSED'}] {name}: {value}" for name, value, ok in checks]


def prepare(sizes: Sequence[int], folder: Path) -> Dict[str, Path]:
    notebooks = {"tutorial": folder / "tutorial" / TUTORIAL.name}
    notebooks["tutorial"].parent.mkdir(parents=True)
    shutil.copy(TUTORIAL, notebooks["tutorial"])
    for size in sizes:
        path = folder / f"{size}" / f"generated_{size}.ipynb"
        path.parent.mkdir(parents=True)
        path.write_text(notebook_json(notebook_cells(size)), encoding="utf-8")
        notebooks[f"{size} cells"] = path
    return notebooks


def main(argv: Sequence[str] = ()) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[10, 100, 1000, 5000], help="numbers of code cells")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement; the fastest counts")
    parser.add_argument("--keep", type=Path, help="folder to keep the notebooks and outputs in")
    options = parser.parse_args(list(argv) or None)
    folder = options.keep or Path(tempfile.mkdtemp(prefix="nbrefactor-bench-"))
    try:
        notebooks = prepare(options.sizes, folder)
        results = benchmark(notebooks, folder, options.repeat)
        print(table(results, list(notebooks)))
        print()
        print("\n".join(targets(results, list(notebooks))))
    finally:
        if not options.keep:
            shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
