"""Where one conversion spends its time: cProfile of `nbrefactor.refactor` on a generated notebook, by pass.

Usage (from the repository root):

    python benchmarks/profile_convert.py [--cells 1000] [--notebook PATH] [--cold] [--top 25] [--source DIR]

The notebook is the benchmark's generated one (benchmarks/bench.py) with `--cells` code cells, or any
notebook given with `--notebook`. By default the modules are imported and the templates loaded first,
by converting a tiny notebook, so the profile shows the conversion's own work; `--cold` profiles the
first conversion in a fresh process instead, imports included.

It prints the conversion's time without the profiler, then the profiled time of each pass: every
function the pipeline's entry point calls directly, named by pass where the table below knows it
(read, normalise, analyse, plan, codegen, render), then the functions with the most time of their own.
"""
from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import sys
import time
from pathlib import Path
from typing import Callable, Dict, List, Optional, Sequence, Tuple

HERE = Path(__file__).resolve().parent

# Functions the pipeline calls, by the pass they belong to: (module suffix, function name) -> pass.
PASSES: Dict[Tuple[str, str], str] = {
    ("reader.py", "read_notebook"): "read",
    ("magics.py", "normalise"): "normalise",
    ("analysis.py", "analyse"): "analyse",
    ("plan.py", "make_plan"): "plan",
    ("codegen.py", "generate"): "codegen",
    ("render.py", "render_template"): "render",
    ("render.py", "template_environment"): "render",
    ("render.py", "script_values"): "render",
    ("render.py", "with_header"): "render",
    ("render.py", "check_compiles"): "render",
    ("testgen.py", "test_values"): "render",
    ("pipeline.py", "source_digest"): "render",
}
PASS_ORDER = ("read", "normalise", "analyse", "plan", "codegen", "render")
ENTRY = ("pipeline.py", "refactor")


def notebook_text(options: argparse.Namespace) -> Tuple[str, str]:
    if options.notebook:
        return options.notebook.read_text(encoding="utf-8"), str(options.notebook)
    from bench import notebook_cells, notebook_json

    return notebook_json(notebook_cells(options.cells)), f"generated_{options.cells}.ipynb"


def code_cells(text: str) -> int:
    cells = json.loads(text).get("cells", [])
    return sum(isinstance(cell, dict) and cell.get("cell_type") == "code" for cell in cells)


def warm_up() -> None:
    """Import every pass and load the templates, on a notebook small enough to cost nothing else."""
    from bench import notebook_cells, notebook_json

    from nbrefactor import refactor

    refactor(notebook_json(notebook_cells(3)), path="warm-up.ipynb")


def _is(key: Tuple[str, int, str], wanted: Tuple[str, str]) -> bool:
    filename, _, name = key
    return name == wanted[1] and filename.replace("\\", "/").endswith("nbrefactor/" + wanted[0])


def _in_entry(key: Tuple[str, int, str]) -> bool:
    """The entry point, or a comprehension inside its module (a frame of its own before Python 3.12)."""
    return _is(key, ENTRY) or (key[0].replace("\\", "/").endswith("nbrefactor/" + ENTRY[0]) and key[2].startswith("<"))


def _label(key: Tuple[str, int, str]) -> str:
    if key[2] == "_find_and_load":
        return "imports"
    return next((name for wanted, name in PASSES.items() if _is(key, wanted)), f"{key[2]} ({Path(key[0]).name})")


def by_pass(stats: pstats.Stats, total: float) -> List[Tuple[str, float]]:
    """Time of each call the entry point makes, summed by pass; other callees by name, the smallest together."""
    totals: Dict[str, float] = {}
    for key, (_, _, _, _, callers) in stats.stats.items():
        if _in_entry(key):
            continue
        for caller, edge in callers.items():
            if _in_entry(caller):
                totals[_label(key)] = totals.get(_label(key), 0.0) + edge[3]
    known = [(name, totals.pop(name)) for name in PASS_ORDER if name in totals]
    large = sorted(((name, seconds) for name, seconds in totals.items() if seconds >= 0.01 * total), key=lambda item: -item[1])
    small = sum(seconds for seconds in totals.values() if seconds < 0.01 * total)
    return known + large + ([("(other calls)", small)] if small >= 0.0005 else [])


def entry_total(stats: pstats.Stats) -> float:
    return sum(values[3] for key, values in stats.stats.items() if _is(key, ENTRY))


Key = Tuple[str, int, str]


def callees(stats: pstats.Stats, is_parent: Callable[[Key], bool]) -> List[Tuple[Key, float]]:
    """The functions the parent calls directly, with the time spent in them on calls from the parent."""
    inside: Dict[Key, float] = {}
    for key, (_, _, _, _, callers) in stats.stats.items():
        for caller, edge in callers.items():
            if is_parent(caller) and key != caller:
                inside[key] = inside.get(key, 0.0) + edge[3]
    return sorted(inside.items(), key=lambda item: -item[1])


def _name(key: Key) -> str:
    return f"{key[2]} ({_short(key[0])}:{key[1]})" if key[1] else key[2]


def drill_down(stats: pstats.Stats, label: str, seconds: float, total: float, levels: int = 5) -> str:
    """The direct calls of the largest pass; then of its largest call, while that holds most of its parent's time."""
    parts, is_parent, parent_seconds, title = [], (lambda key: _label(key) == label), seconds, label
    for _ in range(levels):
        calls = callees(stats, is_parent)
        shown = [(key, spent) for key, spent in calls if spent >= 0.005 * total]
        rows = ["| call | seconds (profiled) | share of the total |", "| --- | ---: | ---: |"]
        rows += [f"| {_name(key)} | {spent:.3f} | {spent / total:.0%} |" for key, spent in shown]
        parts.append(f"Inside {title}:\n\n" + "\n".join(rows))
        if not calls or calls[0][1] < 0.5 * parent_seconds:
            break
        top, parent_seconds = calls[0]
        is_parent, title = (lambda key, top=top: key == top), _name(top)
    return "\n\n".join(parts)


def pass_table(passes: Sequence[Tuple[str, float]], total: float) -> str:
    rows = ["| pass | seconds (profiled) | share |", "| --- | ---: | ---: |"]
    rows += [f"| {name} | {seconds:.3f} | {seconds / total:.0%} |" for name, seconds in passes]
    rest = total - sum(seconds for _, seconds in passes)
    rows.append(f"| (in refactor itself) | {rest:.3f} | {rest / total:.0%} |")
    rows.append(f"| total | {total:.3f} | 100% |")
    return "\n".join(rows)


def top_functions(stats: pstats.Stats, count: int, total: float) -> str:
    """The functions with the most time of their own (tottime), with their cumulative time."""
    ranked = sorted(stats.stats.items(), key=lambda item: -item[1][2])[:count]
    rows = ["| function | own (s) | own share | cumulative (s) | calls |", "| --- | ---: | ---: | ---: | ---: |"]
    for (filename, line, name), (_, calls, own, cumulative, _) in ranked:
        where = f"{_short(filename)}:{line}" if line else filename
        rows.append(f"| {name} ({where}) | {own:.3f} | {own / total:.0%} | {cumulative:.3f} | {calls} |")
    return "\n".join(rows)


def _short(filename: str) -> str:
    parts = Path(filename).parts
    for anchor in ("site-packages", "nbrefactor", "lib"):
        if anchor in parts:
            return "/".join(parts[parts.index(anchor) + (anchor != "nbrefactor"):])
    return Path(filename).name


def parse_options(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cells", type=int, default=1000, help="code cells of the generated notebook (default: 1000)")
    parser.add_argument("--notebook", type=Path, help="profile this notebook instead of a generated one")
    parser.add_argument("--cold", action="store_true", help="profile the first conversion, imports included")
    parser.add_argument("--top", type=int, default=25, help="functions to list by their own time (default: 25)")
    parser.add_argument("--source", type=Path, help="profile nbrefactor from this checkout instead of the installed one")
    return parser.parse_args(list(argv))


def profile(text: str, path: str, cold: bool) -> Tuple[pstats.Stats, Optional[float]]:
    """The profile of one conversion, and its CPU time without the profiler when warm (None when cold)."""
    if not cold:
        warm_up()
    from nbrefactor import refactor

    plain = None
    if not cold:
        start = time.process_time()
        refactor(text, path=path)
        plain = time.process_time() - start
    profiler = cProfile.Profile()
    profiler.runcall(refactor, text, path=path)
    return pstats.Stats(profiler), plain


def report(stats: pstats.Stats, plain: Optional[float], top: int) -> str:
    total = entry_total(stats) or stats.total_tt
    parts = [] if plain is None else [f"CPU time without the profiler: {plain:.3f} s (warm: modules imported, templates loaded)"]
    passes = by_pass(stats, total)
    parts.append(pass_table(passes, total))
    largest = max((item for item in passes if item[0] in PASS_ORDER), key=lambda item: item[1], default=None)
    if largest:
        parts.append(drill_down(stats, largest[0], largest[1], total))
    parts.append(top_functions(stats, top, total))
    return "\n\n".join(parts)


def main(argv: Sequence[str] = ()) -> int:
    options = parse_options(argv)
    sys.path.insert(0, str(HERE))
    if options.source:
        sys.path.insert(0, str(options.source.resolve()))
    text, path = notebook_text(options)
    stats, plain = profile(text, path, options.cold)
    print(f"{path}: {code_cells(text)} code cells; nbrefactor from {Path(sys.modules['nbrefactor'].__file__).parent}")
    print("Profiled seconds are wall-clock time under cProfile, several times the plain run; compare shares.\n")
    print(report(stats, plain, options.top))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
