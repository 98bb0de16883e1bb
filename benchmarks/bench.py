"""CPU time and peak memory of nbrefactor against `jupyter nbconvert --to script` and `jupytext --to py:percent`.

Usage (from the repository root, in an environment with nbrefactor, nbconvert and jupytext installed):

    python benchmarks/bench.py [--sizes 100 1000 5000] [--repeat 3] [--quick] [--keep DIR] [--source DIR]

Generates realistic notebooks of the given numbers of code cells, adds the tutorial notebook in
examples/diabetes, and runs every tool on every notebook as a fresh child process. The run is
interleaved: each repetition runs every notebook with every tool, in an order that rotates from one
repetition to the next, so that noise from the machine reaches all tools alike. For each child it
records the CPU time (user + system, from `os.wait4`) and the peak resident memory, and prints one
table of medians with the ratios to nbconvert and to jupytext, followed by the targets, each marked
met or missed.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable, Dict, List, Optional, Sequence, Tuple

REPO_ROOT = Path(__file__).resolve().parent.parent
TUTORIAL = REPO_ROOT / "examples" / "diabetes" / "diabetes_training.ipynb"
BIN = Path(sys.executable).parent
DEFAULT_SIZES = (100, 1000, 5000)
QUICK_SIZES = (20,)


# --- realistic notebooks -----------------------------------------------------------------------------

IMPORTS = """import os

import numpy as np
import pandas as pd
import matplotlib.pyplot as plt
from sklearn.linear_model import Ridge
from sklearn.metrics import mean_squared_error
from sklearn.model_selection import train_test_split"""

LOAD = """# a small synthetic data set, so that every run sees the same numbers
rng = np.random.default_rng(0)
df = pd.DataFrame({'x': np.arange(200.0), 'y': np.arange(200.0) ** 2, 'group': np.arange(200) % 3})
df['noise'] = rng.normal(size=len(df))
lookup = pd.DataFrame({'group': [0, 1, 2], 'label': ['low', 'mid', 'high']})"""

# One section's work on `df`, by kind; `{n}` is the section's number, `{helper}` a helper defined earlier.
WORK = {
    "feature": "df['feature_{n}'] = df['x'] * {n} + np.log1p(df['y'].abs())\ndf = df.dropna()",
    "helper": (
        "def scale_{n}(values, factor={n}):\n"
        "    \"\"\"Scale the values by a constant factor.\"\"\"\n"
        "    return values / factor\n\n\n"
        "df['scaled_{n}'] = scale_{n}(df['x'])"
    ),
    "reuse": "df['reused_{n}'] = {helper}(df['y'], factor=2)  # a helper from an earlier section",
    "split": (
        "X = df[['x', 'noise']]\ny = df['y']\n"
        "X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state={n})"
    ),
    "model": (
        "args = {{'alpha': {alpha}}}\nmodel = Ridge(**args).fit(df[['x']], df['y'])\n"
        "metrics = {{'mse': mean_squared_error(df['y'], model.predict(df[['x']]))}}"
    ),
    "summary": "summary_{n} = df.groupby('group')['y'].agg(['mean', 'std'])\nbest = summary_{n}['mean'].idxmax()",
    "merge": "merged_{n} = df.merge(lookup, on='group', how='left')\ncounts_{n} = merged_{n}['label'].value_counts()",
    "loop": (
        "totals = {{}}\nfor name, part in df.groupby('group'):\n"
        "    totals[name] = part['y'].sum() / {n}\n"
        "ratios = [value / max(totals.values()) for value in totals.values()]"
    ),
    "clean": "df = df[df['y'] >= 0].copy()\ndf['x'] = df['x'].fillna(df['x'].mean())\ndf = df.reset_index(drop=True)",
}
LOOKS = (
    "df.head()",
    "print(df.shape)",
    "df.describe()",
    "df.info()",
    "df['group'].value_counts()",
    "df.tail(3)",
    "%time total = df['y'].sum()",
    "%%time\nchecksum = float(df['x'].sum())\nprint(checksum)",
)
PLOTS = (
    "plt.plot(df['x'], df['y'])\nplt.title('step {n}')\nplt.show()",
    "fig, ax = plt.subplots(figsize=(6, 4))\nax.hist(df['noise'], bins=20)\nax.set_xlabel('noise')\nplt.show()",
    "df.plot(x='x', y='y', kind='scatter')",
)
PROSE = "Why this step matters: {n} rows of reasoning would go here, with a [link](https://example.org) and `code`."
PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==" * 40


def section_cells(number: int, rng: random.Random, helpers: List[str]) -> List[Tuple[str, str]]:
    """One section as a data scientist writes it: a heading, some work, a look at the result, maybe a plot."""
    kinds = [kind for kind in WORK if kind != "reuse" or helpers]
    kind = rng.choice(kinds)
    work = WORK[kind].format(n=number, alpha=number / 10, helper=rng.choice(helpers) if helpers else "")
    if kind == "helper":
        helpers.append(f"scale_{number}")
    level = "##" if number % 4 else "###"
    cells = [("markdown", f"{level} Step {number}: {kind} work\n\n" + PROSE.format(n=number))]
    cells += [("code", work), ("code", rng.choice(LOOKS))]
    if rng.random() < 0.2:
        cells.append(("code", rng.choice(PLOTS).format(n=number)))
    if rng.random() < 0.1:
        cells.append(("markdown", PROSE.format(n=number)))
    return cells


def notebook_cells(code_cells: int, seed: int = 7) -> List[Tuple[str, str]]:
    """(kind, source) of a notebook with exactly `code_cells` code cells."""
    rng = random.Random(seed)
    cells = [("markdown", "# Generated analysis"), ("code", "%matplotlib inline\n" + IMPORTS), ("markdown", "## Load data"), ("code", LOAD)]
    helpers: List[str] = []
    number = 0
    while sum(kind == "code" for kind, _ in cells) < code_cells:
        number += 1
        cells += section_cells(number, rng, helpers)
    while sum(kind == "code" for kind, _ in cells) > code_cells or cells[-1][0] == "markdown":
        cells.pop()
    return cells


def outputs_of(source: str, count: int) -> List[dict]:
    """Outputs like a saved notebook's: printed text, a shown value, or a small figure."""
    if "plt." in source or ".plot(" in source:
        return [{"output_type": "display_data", "metadata": {}, "data": {"image/png": PNG, "text/plain": ["<Figure size 640x480 with 1 Axes>"]}}]
    if "print(" in source or "%time" in source or ".info()" in source:
        return [{"output_type": "stream", "name": "stdout", "text": [f"line {count}\n", "more output\n"]}]
    last = source.rstrip().splitlines()[-1]
    if "=" in last or last.startswith(("%", "def ", " ")):
        return []
    return [{"output_type": "execute_result", "execution_count": count, "metadata": {}, "data": {"text/plain": [f"<result {count}>"]}}]


def notebook_json(cells: Sequence[Tuple[str, str]]) -> str:
    """nbformat 4.5 JSON with execution counts and outputs, as Jupyter saves a notebook that ran."""
    rendered = []
    count = 0
    for index, (kind, source) in enumerate(cells):
        cell = {"cell_type": kind, "id": f"cell-{index}", "metadata": {}, "source": source.splitlines(keepends=True)}
        if kind == "code":
            count += 1
            cell.update(execution_count=count, outputs=outputs_of(source, count))
        rendered.append(cell)
    metadata = {
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
        "language_info": {"name": "python", "file_extension": ".py", "mimetype": "text/x-python", "version": "3.11.7"},
    }
    return json.dumps({"nbformat": 4, "nbformat_minor": 5, "metadata": metadata, "cells": rendered}, indent=1)


# --- tools and measuring -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Run:
    cpu: float  # user + system seconds of the child
    wall: float
    peak_mib: float


@dataclass(frozen=True)
class Tool:
    name: str
    command: Callable[[Path, Path], List[str]]  # (notebook, output folder) -> argv
    nbrefactor: bool = False  # runs nbrefactor's code (so --source applies)
    needs_outputs: bool = False  # reads outputs a plain nbrefactor conversion wrote first
    success: Tuple[int, ...] = (0,)  # exit statuses of a run that did its work
    source: Optional[Path] = None  # a checkout whose nbrefactor this tool runs


TOOLS = (
    Tool("nbrefactor", lambda notebook, out: [str(BIN / "nbrefactor"), "convert", str(notebook), "-o", str(out)], nbrefactor=True, success=(0, 1)),
    Tool("nbrefactor --check", lambda notebook, out: [str(BIN / "nbrefactor"), "convert", "--check", str(notebook), "-o", str(out)], nbrefactor=True, needs_outputs=True),
    Tool("nbconvert", lambda notebook, out: [str(BIN / "jupyter"), "nbconvert", "--to", "script", str(notebook), "--output-dir", str(out)]),
    Tool("jupytext", lambda notebook, out: [str(BIN / "jupytext"), "--to", "py:percent", str(notebook), "-o", str(out / "jupytext.py")]),
)
TOOLS_BY_NAME = {tool.name: tool for tool in TOOLS}


# Linux counts the memory of the process that starts a child in the child's peak (exec keeps the
# high-water mark of the address space it replaces), so children are started by this small launcher,
# whose own address space is fresh and stays small, instead of by the benchmark, which holds the
# generated notebooks and would lift every child's peak to its own. It reads one
# JSON request per line (argv, cwd, env) and answers with the child's status, CPU time, wall time, peak
# resident memory in KiB (from os.wait4) and standard error.
LAUNCHER = """
import json, os, subprocess, sys, time
for line in sys.stdin:
    request = json.loads(line)
    start = time.perf_counter()
    child = subprocess.Popen(request["argv"], cwd=request["cwd"], env=request["env"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    error = child.stderr.read().decode(errors="replace")
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    answer = {"status": child.returncode, "cpu": usage.ru_utime + usage.ru_stime, "wall": time.perf_counter() - start,
              "maxrss": usage.ru_maxrss, "stderr": error}
    sys.stdout.write(json.dumps(answer) + "\\n")
    sys.stdout.flush()
"""


class Launcher:
    """A small, long-lived process that runs each measured command and reports its resource usage."""

    def __init__(self) -> None:
        self.process = subprocess.Popen([sys.executable, "-I", "-S", "-c", LAUNCHER], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)

    def measure(self, command: Sequence[str], cwd: Path, env: Optional[Dict[str, str]] = None, success: Sequence[int] = (0,)) -> Run:
        request = {"argv": list(command), "cwd": str(cwd), "env": env}
        self.process.stdin.write(json.dumps(request) + "\n")
        self.process.stdin.flush()
        answer = json.loads(self.process.stdout.readline())
        if answer["status"] not in success:
            raise SystemExit(f"{' '.join(command)} exited with {answer['status']}:\n{answer['stderr']}")
        return Run(answer["cpu"], answer["wall"], answer["maxrss"] / (1024 * 1024 if sys.platform == "darwin" else 1024))

    def close(self) -> None:
        self.process.stdin.close()
        self.process.wait()


def tool_env(tool: Tool, source: Optional[Path]) -> Optional[Dict[str, str]]:
    """With --source (or a tool's own source), nbrefactor's code comes from that checkout, ahead of the installed one."""
    source = tool.source or source
    if not (tool.nbrefactor and source):
        return None
    return dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(source), os.environ.get("PYTHONPATH", "")])))


class Bench:
    """Notebooks in a work folder, the tools to run on them, and every run's measurements."""

    def __init__(self, launcher: Launcher, notebooks: Dict[str, Path], tools: Sequence[Tool], folder: Path, source: Optional[Path] = None):
        self.launcher = launcher
        self.notebooks = notebooks
        self.tools = tools
        self.folder = folder
        self.source = source
        self.runs: Dict[Tuple[str, str], List[Run]] = {}

    def run(self, tool: Tool, label: str, attempt: str) -> Run:
        name = "nbrefactor-setup" if tool.needs_outputs else f"{tool.name}-{attempt}"
        output = self.folder / "out" / label.replace(" ", "-") / name
        if not tool.needs_outputs:
            shutil.rmtree(output, ignore_errors=True)
        output.mkdir(parents=True, exist_ok=True)
        return self.launcher.measure(tool.command(self.notebooks[label], output), self.folder, tool_env(tool, self.source), tool.success)

    def prepare(self) -> None:
        """Once, unmeasured: the outputs --check reads, then each tool on the first notebook (caches, bytecode)."""
        if any(tool.needs_outputs for tool in self.tools):
            for label in self.notebooks:
                self.run(TOOLS_BY_NAME["nbrefactor"], label, "setup")
        first = next(iter(self.notebooks))
        for tool in self.tools:
            self.run(tool, first, "warm-up")

    def repetition(self, number: int, progress: Callable[[str], None]) -> None:
        """Every notebook with every tool, the tools' order rotated by the repetition's number."""
        shift = number % len(self.tools)
        order = list(self.tools[shift:]) + list(self.tools[:shift])
        for label in self.notebooks:
            for tool in order:
                run = self.run(tool, label, str(number))
                self.runs.setdefault((label, tool.name), []).append(run)
                progress(f"  [{number + 1}] {label:<12} {tool.name:<20} cpu {run.cpu:7.2f} s  wall {run.wall:7.2f} s  {run.peak_mib:6.0f} MiB")


# --- reporting ---------------------------------------------------------------------------------------


def medians(runs: Dict[Tuple[str, str], List[Run]]) -> Dict[Tuple[str, str], Run]:
    return {
        key: Run(statistics.median(r.cpu for r in rs), statistics.median(r.wall for r in rs), statistics.median(r.peak_mib for r in rs))
        for key, rs in runs.items()
    }


def _ratio(value: float, baseline: Optional[Run], field: str) -> str:
    if baseline is None or not getattr(baseline, field):
        return "-"
    return f"{value / getattr(baseline, field):.2f}x"


def table(summary: Dict[Tuple[str, str], Run], labels: Sequence[str], tools: Sequence[str]) -> str:
    """Markdown: one row per notebook and tool, with CPU ratios to nbconvert and jupytext and the memory ratio to nbconvert."""
    rows = [
        "| notebook | tool | CPU (s) | wall (s) | peak (MiB) | CPU / nbconvert | CPU / jupytext | peak / nbconvert |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for label in labels:
        nbconvert, jupytext = summary.get((label, "nbconvert")), summary.get((label, "jupytext"))
        for tool in tools:
            run = summary[label, tool]
            rows.append(
                f"| {label} | {tool} | {run.cpu:.2f} | {run.wall:.2f} | {run.peak_mib:.0f} | "
                f"{_ratio(run.cpu, nbconvert, 'cpu')} | {_ratio(run.cpu, jupytext, 'cpu')} | {_ratio(run.peak_mib, nbconvert, 'peak_mib')} |"
            )
    return "\n".join(rows)


def _measured(summary, label: str, tool: str, field: str = "cpu") -> Optional[float]:
    run = summary.get((label, tool))
    return None if run is None else getattr(run, field)


def _quotient(numerator: Optional[float], denominator: Optional[float]) -> Optional[float]:
    return None if numerator is None or not denominator else numerator / denominator


# The targets, as data: (what, how to compute the ratio from the medians, the most it may be).
TARGETS: Tuple[Tuple[str, Callable[[dict], Optional[float]], float], ...] = (
    ("tutorial: nbrefactor CPU <= 1.0x jupytext", lambda s: _quotient(_measured(s, "tutorial", "nbrefactor"), _measured(s, "tutorial", "jupytext")), 1.0),
    ("1,000 cells: nbrefactor CPU <= 1.0x nbconvert", lambda s: _quotient(_measured(s, "1000 cells", "nbrefactor"), _measured(s, "1000 cells", "nbconvert")), 1.0),
    ("5,000 cells: nbrefactor CPU <= 1.5x nbconvert", lambda s: _quotient(_measured(s, "5000 cells", "nbrefactor"), _measured(s, "5000 cells", "nbconvert")), 1.5),
    ("growth: nbrefactor CPU at 5,000 cells <= 5.5x its CPU at 1,000", lambda s: _quotient(_measured(s, "5000 cells", "nbrefactor"), _measured(s, "1000 cells", "nbrefactor")), 5.5),
    (
        "memory: nbrefactor peak at 5,000 cells <= nbconvert's",
        lambda s: _quotient(_measured(s, "5000 cells", "nbrefactor", "peak_mib"), _measured(s, "5000 cells", "nbconvert", "peak_mib")),
        1.0,
    ),
)


def targets(summary: Dict[Tuple[str, str], Run]) -> List[str]:
    """One line per target: met, missed, or not measured in this run."""
    lines = []
    for name, ratio_of, limit in TARGETS:
        ratio = ratio_of(summary)
        if ratio is None:
            lines.append(f"- [not measured] {name}")
        else:
            lines.append(f"- [{'met' if ratio <= limit else 'MISSED'}] {name}: {ratio:.2f}x")
    return lines


# --- main --------------------------------------------------------------------------------------------


def prepare_notebooks(sizes: Sequence[int], folder: Path, seed: int) -> Dict[str, Path]:
    notebooks = {"tutorial": folder / "notebooks" / TUTORIAL.name}
    notebooks["tutorial"].parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(TUTORIAL, notebooks["tutorial"])
    for size in sizes:
        path = folder / "notebooks" / f"generated_{size}.ipynb"
        path.write_text(notebook_json(notebook_cells(size, seed)), encoding="utf-8")
        notebooks[f"{size} cells"] = path
    return notebooks


def check_tools(tools: Sequence[Tool]) -> None:
    missing = [tool.name for tool in tools if not Path(tool.command(Path("x"), Path("y"))[0]).exists()]
    if missing:
        raise SystemExit(f"not installed next to {sys.executable}: {', '.join(missing)} (pip install nbconvert jupytext)")


def parse_options(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=None, help=f"numbers of code cells (default: {' '.join(map(str, DEFAULT_SIZES))})")
    parser.add_argument("--repeat", type=int, default=3, help="interleaved repetitions; the table shows medians (default: 3)")
    parser.add_argument("--quick", action="store_true", help=f"smoke run: {QUICK_SIZES[0]} cells and the tutorial, one repetition")
    parser.add_argument("--tools", nargs="*", choices=list(TOOLS_BY_NAME), default=list(TOOLS_BY_NAME), help="tools to run (default: all)")
    parser.add_argument("--seed", type=int, default=7, help="seed of the notebook generator")
    parser.add_argument("--keep", type=Path, help="folder to keep the notebooks and outputs in")
    parser.add_argument("--source", type=Path, help="run nbrefactor from this checkout instead of the installed one")
    parser.add_argument("--baseline", type=Path, help="also run nbrefactor from this checkout, as the tool 'nbrefactor (baseline)'")
    options = parser.parse_args(list(argv))
    if options.quick:
        options.sizes, options.repeat = options.sizes or list(QUICK_SIZES), 1
    options.sizes = list(DEFAULT_SIZES) if options.sizes is None else options.sizes
    return options


def main(argv: Sequence[str] = ()) -> int:
    options = parse_options(argv)
    tools = [TOOLS_BY_NAME[name] for name in options.tools]
    if options.baseline:
        tools.insert(1, replace(TOOLS_BY_NAME["nbrefactor"], name="nbrefactor (baseline)", source=options.baseline.resolve()))
    check_tools(tools)
    launcher = Launcher()
    folder = options.keep or Path(tempfile.mkdtemp(prefix="nbrefactor-bench-"))
    try:
        bench = Bench(launcher, prepare_notebooks(options.sizes, folder, options.seed), tools, folder, options.source)
        bench.prepare()
        for number in range(options.repeat):
            bench.repetition(number, lambda line: print(line, file=sys.stderr, flush=True))
        summary = medians(bench.runs)
        print(f"Medians of {options.repeat} interleaved run(s); Python {sys.version.split()[0]}, {os.cpu_count()} CPUs.\n")
        print(table(summary, list(bench.notebooks), [tool.name for tool in tools]))
        print()
        print("\n".join(targets(summary)))
    finally:
        launcher.close()
        if not options.keep:
            shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
