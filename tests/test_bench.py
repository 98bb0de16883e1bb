"""benchmarks/bench.py on tiny sizes: the generated notebooks, the table and the targets (never timings)."""
from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

from nbrefactor import refactor
from nbrefactor.reader import read_notebook

ROOT = Path(__file__).resolve().parent.parent


def load_bench():
    spec = importlib.util.spec_from_file_location("nbrefactor_bench", ROOT / "benchmarks" / "bench.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is made
    spec.loader.exec_module(module)
    return module


bench = load_bench()


@pytest.mark.parametrize("size", [1, 2, 7, 40])
def test_a_generated_notebook_has_exactly_the_code_cells_asked_for(size):
    notebook = read_notebook(bench.notebook_json(bench.notebook_cells(size)), "generated.ipynb")

    assert len(notebook.code_cells) == size
    assert notebook.cells[-1].kind == "code"


def test_a_generated_notebook_looks_like_a_data_scientists():
    cells = bench.notebook_cells(60)
    code = "\n".join(source for kind, source in cells if kind == "code")
    headings = [source for kind, source in cells if kind == "markdown" and source.startswith("#")]

    assert len(headings) >= 15
    for sign in ("import pandas as pd", "def scale_", "df.groupby(", "plt.", "%time", "%%time", "%matplotlib inline", "print(df.shape)", "df.head()"):
        assert sign in code, sign


def test_a_generated_notebook_is_valid_for_nbformat_with_outputs_like_a_saved_one():
    import nbformat

    text = bench.notebook_json(bench.notebook_cells(60))
    notebook = nbformat.reads(text, as_version=4)
    nbformat.validate(notebook)
    outputs = [output["output_type"] for cell in json.loads(text)["cells"] for output in cell.get("outputs", [])]

    assert {"stream", "execute_result", "display_data"} <= set(outputs)


def test_the_generator_is_deterministic_per_seed():
    assert bench.notebook_cells(30, seed=3) == bench.notebook_cells(30, seed=3)
    assert bench.notebook_cells(30, seed=3) != bench.notebook_cells(30, seed=4)


def test_a_small_generated_notebook_converts():
    result = refactor(bench.notebook_json(bench.notebook_cells(12)), path="generated_12.ipynb")

    module = result.plan.output_name
    assert [name for name, _ in result.files] == [f"{module}.py", f"test_{module}.py"]
    compile(result.files[0][1], result.files[0][0], "exec")


def run(cpu, peak=50.0):
    return bench.Run(cpu=cpu, wall=cpu, peak_mib=peak)


SUMMARY = {
    ("tutorial", "nbrefactor"): run(0.4, 40),
    ("tutorial", "nbconvert"): run(0.8, 60),
    ("tutorial", "jupytext"): run(0.5, 55),
    ("1000 cells", "nbrefactor"): run(3.0, 70),
    ("1000 cells", "nbconvert"): run(1.5, 70),
    ("1000 cells", "jupytext"): run(0.6, 60),
}


def test_the_table_has_a_row_per_notebook_and_tool_with_the_ratios():
    rows = bench.table(SUMMARY, ["tutorial", "1000 cells"], ["nbrefactor", "nbconvert", "jupytext"]).splitlines()

    assert len(rows) == 2 + 6
    assert rows[2] == "| tutorial | nbrefactor | 0.40 | 0.40 | 40 | 0.50x | 0.80x | 0.67x |"
    assert rows[5] == "| 1000 cells | nbrefactor | 3.00 | 3.00 | 70 | 2.00x | 5.00x | 1.00x |"
    assert rows[6] == "| 1000 cells | nbconvert | 1.50 | 1.50 | 70 | 1.00x | 2.50x | 1.00x |"


def test_the_targets_are_met_missed_or_not_measured():
    lines = bench.targets(SUMMARY)

    assert lines[0] == "- [met] tutorial: nbrefactor CPU <= 1.0x jupytext: 0.80x"
    assert lines[1] == "- [MISSED] 1,000 cells: nbrefactor CPU <= 1.0x nbconvert: 2.00x"
    assert lines[2:] == [f"- [not measured] {name}" for name, _, _ in bench.TARGETS[2:]]


def test_growth_and_memory_targets_compare_5000_cells_with_1000_and_with_nbconvert():
    summary = dict(SUMMARY)
    summary["5000 cells", "nbrefactor"] = run(15.0, 120)
    summary["5000 cells", "nbconvert"] = run(9.0, 100)

    lines = bench.targets(summary)

    assert lines[2:] == [
        "- [MISSED] 5,000 cells: nbrefactor CPU <= 1.5x nbconvert: 1.67x",
        "- [met] growth: nbrefactor CPU at 5,000 cells <= 5.5x its CPU at 1,000: 5.00x",
        "- [MISSED] memory: nbrefactor peak at 5,000 cells <= nbconvert's: 1.20x",
    ]


def test_medians_are_taken_per_notebook_and_tool():
    runs = {("tutorial", "jupytext"): [run(0.9, 50), run(0.5, 52), run(0.6, 51)]}

    assert bench.medians(runs) == {("tutorial", "jupytext"): run(0.6, 51)}


def test_quick_runs_the_tutorial_and_one_small_notebook_once():
    options = bench.parse_options(["--quick"])

    assert (options.sizes, options.repeat) == (list(bench.QUICK_SIZES), 1)
    assert bench.parse_options([]).sizes == list(bench.DEFAULT_SIZES)


@pytest.mark.slow
def test_the_launcher_reports_a_childs_own_peak_memory_not_the_benchmarks():
    ballast = bytearray(300 * 1024 * 1024)
    ballast[:: 4096] = b"x" * len(ballast[:: 4096])  # this process's peak is now above 300 MiB
    launcher = bench.Launcher()
    try:
        small = launcher.measure([sys.executable, "-c", "pass"], ROOT)
        large = launcher.measure([sys.executable, "-c", "b = bytearray(200 * 1024 * 1024); b[::4096] = b'x' * len(b[::4096])"], ROOT)
    finally:
        launcher.close()
    del ballast

    assert small.peak_mib < 100
    assert 200 < large.peak_mib < 300
    assert small.cpu >= 0 and large.cpu > 0


def test_nbrefactor_runs_from_the_tools_own_checkout_before_the_benchmarks_and_the_installed_one(monkeypatch):
    monkeypatch.setenv("PYTHONPATH", "/elsewhere")
    nbrefactor = bench.TOOLS_BY_NAME["nbrefactor"]
    baseline = bench.replace(nbrefactor, name="nbrefactor (baseline)", source=Path("/main"))

    assert bench.tool_env(nbrefactor, None) is None
    assert bench.tool_env(bench.TOOLS_BY_NAME["nbconvert"], Path("/branch")) is None
    assert bench.tool_env(nbrefactor, Path("/branch"))["PYTHONPATH"].split(bench.os.pathsep) == ["/branch", "/elsewhere"]
    assert bench.tool_env(baseline, Path("/branch"))["PYTHONPATH"].split(bench.os.pathsep) == ["/main", "/elsewhere"]
