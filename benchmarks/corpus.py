"""Convert every notebook of the real-world corpus and run the scripts of those that execute offline.

Usage (from the repository root):

    python benchmarks/corpus.py --python /path/to/corpus-venv/bin/python [--only TEXT] [--jobs N] [--no-run]

Each notebook is converted into a fresh temporary copy of its repository folder (notebooks read data at
relative paths and write files next to themselves); for the notebooks the manifest marks as executing
offline, the generated script is then run there with `MPLBACKEND=Agg`. One row per notebook, then totals.
"""
from __future__ import annotations

import argparse
import csv
import os
import shutil
import subprocess
import sys
import tempfile
import time
import traceback
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import List, Optional, Sequence

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = REPO_ROOT.parent / "shared" / "corpus"


@dataclass(frozen=True)
class Entry:
    """One manifest row: where the notebook lives and whether it executes offline."""

    id: str
    repo_folder: str
    path: str
    executable: bool


@dataclass(frozen=True)
class Shape:
    """How the script is organised: code lines in named functions and in the entry point, sections
    with code under a heading, functions made from sections, names with a numeric suffix."""

    in_functions: int = 0
    in_main: int = 0
    headed_sections: int = 0
    section_functions: int = 0
    numbered_names: int = 0


@dataclass(frozen=True)
class Outcome:
    id: str
    executable: bool
    converted: str  # "yes", "error" (a located NotebookError) or "crash"
    compiled: bool
    functions: int
    findings: int
    seconds: float
    shape: "Shape"
    ran: str  # "yes", "no", "" when not run
    detail: str  # the error, the crash's last line, or why the script failed


def read_manifest(corpus: Path) -> List[Entry]:
    with open(corpus / "manifest.tsv", newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    return [
        Entry(row["id"], row["repo"].replace("/", "__"), row["path"], row["executes_offline"] == "yes")
        for row in rows
    ]


def measure(entry: Entry, corpus: Path, python: str, run: bool, timeout: float) -> Outcome:
    """Convert one notebook in a scratch copy of its repository folder and, when asked, run the script."""
    with tempfile.TemporaryDirectory(prefix="nbrefactor-corpus-") as scratch:
        copy = Path(scratch) / entry.repo_folder
        shutil.copytree(corpus / entry.repo_folder, copy, symlinks=True)
        notebook = copy / entry.path
        started = time.perf_counter()
        converted = convert(notebook)
        seconds = time.perf_counter() - started
        if converted.status != "yes" or not (run and entry.executable):
            return converted.outcome(entry, seconds, ran="", detail=converted.detail)
        ran, detail = run_script(python, notebook.parent, converted.script, timeout)
        return converted.outcome(entry, seconds, ran=ran, detail=detail)


@dataclass(frozen=True)
class Conversion:
    status: str
    detail: str = ""
    script: str = ""
    compiled: bool = False
    functions: int = 0
    findings: int = 0

    shape: "Shape" = None

    def outcome(self, entry: Entry, seconds: float, ran: str, detail: str) -> Outcome:
        return Outcome(entry.id, entry.executable, self.status, self.compiled, self.functions, self.findings, seconds, self.shape or Shape(), ran, detail)


def convert(notebook: Path) -> Conversion:
    """Run the converter on one notebook and write its files beside it; never raises."""
    from nbrefactor import refactor
    from nbrefactor.model import NotebookError

    try:
        result = refactor(notebook.read_text(encoding="utf-8"), path=notebook.name)
    except NotebookError as error:
        return Conversion("error", detail=str(error))
    except Exception:  # a crash is what this benchmark exists to catch and report
        return Conversion("crash", detail=traceback.format_exc().strip().splitlines()[-1])
    for name, text in result.files:
        (notebook.parent / name).write_text(text, encoding="utf-8")
    script = result.files[0][0]
    return Conversion(
        "yes",
        script=script,
        compiled=_compiles(result.files[0][1], script),
        functions=sum(1 for step in result.plan.steps if not step.inline),
        findings=len(result.findings),
        shape=shape_of(result),
    )


def shape_of(result) -> Shape:
    """Code lines (not blank, not comments) by where they sit in the script."""
    import ast
    import re

    text = result.files[0][1]
    plan = result.plan
    lines = text.split("\n")
    entry = plan.entry or ""
    in_functions = in_main = 0
    for node in ast.parse(text).body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.If)):
            count = sum(1 for line in lines[node.lineno - 1 : node.end_lineno] if line.strip() and not line.strip().startswith("#"))
            if isinstance(node, ast.If) or getattr(node, "name", "") in (entry, "init", "run") and plan.kind != "score":
                in_main += count
            else:
                in_functions += count
    functions = [step for step in plan.steps if not step.inline]
    names = [step.name for step in functions if not _named_after_a_variable(step)]
    return Shape(
        in_functions, in_main,
        headed_sections=sum(1 for step in plan.steps if step.heading),
        section_functions=len(functions),
        numbered_names=sum(1 for n in names if re.search(r"(_\d+$|^step_)", n)),
    )


def _compiles(text: str, name: str) -> bool:
    try:
        compile(text, name, "exec", dont_inherit=True)
    except SyntaxError:
        return False
    return True


def run_script(python: str, folder: Path, script: str, timeout: float):
    """("yes", "") when the script exits 0, else ("no", the last line of its error output)."""
    environment = dict(os.environ, MPLBACKEND="Agg", PYTHONDONTWRITEBYTECODE="1")
    try:
        process = subprocess.run(
            [python, script], cwd=folder, env=environment, capture_output=True, text=True, timeout=timeout,
            stdin=subprocess.DEVNULL,
        )
    except subprocess.TimeoutExpired:
        return "no", f"timed out after {timeout:.0f} s"
    if process.returncode == 0:
        return "yes", ""
    lines = [line for line in process.stderr.splitlines() if line.strip()]
    return "no", lines[-1].strip() if lines else f"exit code {process.returncode}"


def format_table(outcomes: Sequence[Outcome]) -> str:
    width = max([len(o.id) for o in outcomes] + [8])
    header = f"{'notebook':<{width}}  conv   comp  funcs  finds  %func  heads  sfun  num     secs  ran  detail"
    lines = [header, "-" * len(header)]
    for o in outcomes:
        ran = o.ran or ("-" if not o.executable else "n/r")
        lines.append(
            f"{o.id:<{width}}  {o.converted:<5}  {'yes' if o.compiled else 'no':<4}  {o.functions:>5}  "
            f"{o.findings:>5}  {_share(o.shape):>5}  {o.shape.headed_sections:>5}  {o.shape.section_functions:>4}  "
            f"{o.shape.numbered_names:>3}  {o.seconds:>7.2f}  {ran:<3}  {o.detail[:160]}"
        )
    lines += ["-" * len(header), totals(outcomes)]
    return "\n".join(lines)


def _named_after_a_variable(step) -> bool:
    """`compute_res_41` for a section that binds `res_41`: the number is the notebook's, not a suffix."""
    bound = [n for s in step.body for n in s.facts.binds] + list(step.returns)
    return any(step.name.endswith("_" + name) for name in bound)


def _share(shape: Shape) -> str:
    total = shape.in_functions + shape.in_main
    return f"{100 * shape.in_functions / total:.0f}%" if total else "-"


def totals(outcomes: Sequence[Outcome]) -> str:
    executable = [o for o in outcomes if o.executable]
    runnable = [o for o in executable if o.converted == "yes"]
    in_functions = sum(o.shape.in_functions for o in runnable)
    in_all = in_functions + sum(o.shape.in_main for o in runnable)
    headed_without = [o.id for o in runnable if o.shape.headed_sections >= 3 and not o.shape.section_functions]
    shape = (
        f"\nrunnable notebooks: {100 * in_functions / max(in_all, 1):.0f}% of code lines in named functions; "
        f"{len(headed_without)} with three or more headed sections and no function from a section"
        + (f" ({', '.join(headed_without)})" if headed_without else "")
        + f"; names with a numeric suffix or step_N: {sum(o.shape.numbered_names for o in outcomes)}"
    )
    return (
        f"converted {sum(o.converted == 'yes' for o in outcomes)}/{len(outcomes)}, "
        f"located errors {sum(o.converted == 'error' for o in outcomes)}, "
        f"crashes {sum(o.converted == 'crash' for o in outcomes)}, "
        f"compiled {sum(o.compiled for o in outcomes)}, "
        f"ran {sum(o.ran == 'yes' for o in executable)}/{len(executable)} executable, "
        f"functions {sum(o.functions for o in outcomes)}, "
        f"conversion seconds {sum(o.seconds for o in outcomes):.1f}"
    ) + shape


def parse_arguments(argv: Optional[Sequence[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="corpus folder (default: %(default)s)")
    parser.add_argument("--python", default=sys.executable, help="interpreter that runs the scripts (default: this one)")
    parser.add_argument("--only", default="", help="measure only notebooks whose id contains this text")
    parser.add_argument("--jobs", type=int, default=2, help="notebooks measured at once (default: %(default)s)")
    parser.add_argument("--no-run", action="store_true", help="convert only; do not run the scripts")
    parser.add_argument("--timeout", type=float, default=300, help="seconds a script may run (default: %(default)s)")
    return parser.parse_args(argv)


def main(argv: Optional[Sequence[str]] = None) -> int:
    arguments = parse_arguments(argv)
    corpus = arguments.corpus.resolve()
    entries = [e for e in read_manifest(corpus) if arguments.only in e.id]
    jobs = [(e, corpus, arguments.python, not arguments.no_run, arguments.timeout) for e in entries]
    with ProcessPoolExecutor(max_workers=max(1, arguments.jobs)) as pool:
        outcomes = list(pool.map(_measure_job, jobs))
    print(format_table(outcomes))
    return 0 if all(o.converted != "crash" for o in outcomes) else 1


def _measure_job(job) -> Outcome:
    return measure(*job)


if __name__ == "__main__":
    sys.exit(main())
