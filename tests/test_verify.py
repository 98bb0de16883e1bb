"""`nbrefactor verify` and the execution it rests on: values described inside each process and compared
by type, safe folder copies, the verdict rules on given runs, and (slow) real kernels and scripts:
conversions that only look equivalent must come out "different" or "cannot tell", and conversions
that are equivalent in all but their repr must come out "equivalent"."""
from __future__ import annotations

import dataclasses
import json
import os
import pathlib
import shutil
import sys
import textwrap

import pytest
from click.testing import CliRunner

from conftest import EXAMPLES
from nbrefactor import describe, execute
from nbrefactor.cli import main
from nbrefactor.execute import Output, Run
from nbrefactor.verify import Conversion, check_conversion, convert_for_verify, judge
from support import notebook_text


# ------------------------------------------------------------------ describing values

def value_of(source: str, name: str = "value"):
    """The value `source` binds to `name`, run as a notebook runs it: in a namespace called __main__."""
    namespace = {"__name__": "__main__"}
    exec(compile(textwrap.dedent(source), "<cell>", "exec"), namespace)
    return namespace[name]


def in_main(source: str, name: str = "value"):
    """The same code as the body of a generated main(): the value its local `name` holds as it returns."""
    body = textwrap.indent(textwrap.dedent(source), "    ")
    return value_of(f"def main():\n{body}\n    return locals()\nheld = main()", "held")[name]


def outcome(left, right) -> str:
    first, second = describe.describe(left), describe.describe(right)
    if describe.differences(first, second):
        return "different"
    marks = describe.uncomparable(first) + describe.uncomparable(second)
    if marks:
        return "display" if all(display for _, _, display in marks) else "not comparable"
    return "same"


FAKE_FIGURE = "class Figure:\n    __module__ = 'matplotlib.figure'\n    def __init__(self, n):\n        self.n = n\n"
POINT = "class Point:\n    def __init__(self, x):\n        self.x = x\n"
SLOTTED = "class Slotted:\n    __slots__ = ('x',)\n    def __init__(self, x):\n        self.x = x\n"


@pytest.mark.parametrize("left, right, expected", [
    ("value = 0.1 + 0.2", "value = 0.3", "same"),
    ("value = 1.0", "value = 1.001", "different"),
    ("value = float('nan')", "value = float('nan')", "same"),
    ("value = {'a': 1, 'b': [2.0]}", "value = {'b': [2.0], 'a': 1}", "same"),
    ("value = {'a': 1}", "value = {'a': 2}", "different"),
    ("value = (1, 2)", "value = [1, 2]", "different"),
    ("value = {3, 1, 2}", "value = {1, 2, 3}", "same"),
    ("value = 'x' * 20000", "value = 'x' * 19999 + 'y'", "different"),
    (POINT + "value = Point(1)", POINT + "value = Point(1)", "same"),
    (POINT + "value = Point(1)", POINT + "value = Point(2)", "different"),
    (SLOTTED + "value = Slotted(1)", SLOTTED + "value = Slotted(2)", "different"),
    ("import random\nvalue = random.Random(1)", "import random\nvalue = random.Random(2)", "different"),
    ("import threading\nvalue = threading.Lock()", "import threading\nvalue = threading.Lock()", "not comparable"),
    (FAKE_FIGURE + "value = Figure(1)", FAKE_FIGURE + "value = Figure(2)", "display"),
    ("value = []\nvalue.append(value)", "value = []\nvalue.append(value)", "same"),
    ("value = len", "value = len", "same"),
    ("value = len", "value = sum", "different"),
    ("k = 3\nvalue = lambda x: x + k", "k = 3\nvalue = lambda x: x - k", "different"),
    ("def value(x, y=2):\n    return x * y", "def value(x, y=3):\n    return x * y", "different"),
    ("value = (i for i in range(3))", "value = (i for i in range(3))", "same"),
    ("value = (i for i in range(3))\nnext(value)", "value = (i for i in range(3))", "different"),
    ("import abc\nclass value(abc.ABC):\n    def f(self):\n        return 1", "import abc\nclass value(abc.ABC):\n    def f(self):\n        return 1", "same"),
    ("value = " + "[" * 16 + "1" + "]" * 16, "value = " + "[" * 16 + "2" + "]" * 16, "different"),
    ("import types\nvalue = types.MappingProxyType({'a': 1})", "import types\nvalue = types.MappingProxyType({'a': 2})", "different"),
])
def test_values_are_compared_by_type(left, right, expected):
    assert outcome(value_of(left), value_of(right)) == expected


@pytest.mark.parametrize("source", [
    "k = 3\nvalue = lambda x: x + k",
    "k = 3\nvalue = (i * k for i in range(3))",
    "k = 3\nvalue = [lambda: k, lambda: k + 1]",
    "def helper(x):\n    return [x * i for i in range(2)]\nvalue = helper",
])
def test_functions_and_generators_made_in_main_equal_those_made_at_notebook_level(source):
    """Their repr says `main.<locals>` and they read main's locals through closures: neither is a difference."""
    assert outcome(value_of(source), in_main(source)) == "same"


def test_a_closure_over_another_value_is_a_difference():
    make = "def make(n):\n    return lambda x: x + n\n"
    assert outcome(value_of(make + "value = make(1)"), value_of(make + "value = make(2)")) == "different"


def test_random_generators_compare_by_state_not_by_repr():
    numpy = pytest.importorskip("numpy")
    fresh, drawn = numpy.random.RandomState(0), numpy.random.RandomState(0)
    drawn.rand()
    assert repr(fresh).split(" at ")[0] == repr(drawn).split(" at ")[0]
    assert outcome(fresh, drawn) == "different"
    assert outcome(numpy.random.RandomState(0), fresh) == "same"
    generator = numpy.random.default_rng(0)
    generator.random()
    assert outcome(numpy.random.default_rng(0), generator) == "different"


def test_arrays_compare_with_a_tolerance_small_or_large():
    numpy = pytest.importorskip("numpy")
    small, large = numpy.linspace(0, 1, 5), numpy.linspace(0, 1, 50001)
    assert outcome(small, small + 1e-13) == "same"
    assert outcome(small, small + 1e-3) == "different"
    assert outcome(small, small[:4]) == "different"
    assert outcome(small, small.astype("float32")) == "different"
    assert outcome(large, large + 1e-13) == "same"
    assert outcome(large, large[::-1].copy()) == "different"
    changed = large.copy()
    changed[12345] += 1e-6
    assert outcome(large, changed) == "different"
    assert outcome(numpy.arange(50001), numpy.arange(50001)) == "same"


def test_npz_archives_compare_by_the_arrays_they_hold(tmp_path):
    numpy = pytest.importorskip("numpy")
    numpy.savez(tmp_path / "a.npz", x=numpy.arange(3))
    numpy.savez(tmp_path / "b.npz", x=numpy.arange(4))
    with numpy.load(tmp_path / "a.npz") as first, numpy.load(tmp_path / "a.npz") as again, numpy.load(tmp_path / "b.npz") as other:
        assert outcome(first, again) == "same"
        assert outcome(first, other) == "different"


def test_pandas_values_compare_by_values_index_columns_and_dtypes():
    pandas = pytest.importorskip("pandas")
    frame = pandas.DataFrame({"x": [1.0, 2.0], "label": ["a", "b"]})
    assert outcome(frame, frame.copy()) == "same"
    assert outcome(frame, frame.assign(x=[1.0, 2.5])) == "different"
    assert outcome(frame, frame.set_axis([5, 6])) == "different"
    assert outcome(frame, frame.astype({"x": "float32"})) == "different"
    assert outcome(frame, frame.rename(columns={"x": "y"})) == "different"
    assert outcome(frame["x"], frame["x"].rename("z")) == "different"
    dates = pandas.date_range("2000-01-01", periods=3)
    assert outcome(dates, pandas.date_range("2000-01-01", periods=3)) == "same"
    assert outcome(dates, pandas.date_range("2000-01-02", periods=3)) == "different"


def test_estimators_compare_by_parameters_and_fitted_attributes():
    linear_model = pytest.importorskip("sklearn.linear_model")
    features, target = [[1.0], [2.0], [3.0]], [1.0, 2.0, 4.0]
    fitted = linear_model.Ridge(alpha=0.5).fit(features, target)
    assert outcome(fitted, linear_model.Ridge(alpha=0.5).fit(features, target)) == "same"
    assert outcome(fitted, linear_model.Ridge(alpha=0.7).fit(features, target)) == "different"
    assert outcome(fitted, linear_model.Ridge(alpha=0.5).fit(features, [1.0, 2.0, 5.0])) == "different"
    assert outcome(fitted, linear_model.Ridge(alpha=0.5)) == "different"


def test_an_object_held_twice_is_described_once_and_alike():
    shared = {"data": [1.5, 2.5]}
    described = describe.describe_names({"first": shared, "second": [shared, shared]})
    assert described["second"]["items"] == [described["first"], described["first"]]
    assert json.loads(json.dumps(described)) == described


def test_descriptions_are_json_and_name_public_notebook_values_only():
    namespace = {"value": 1, "_hidden": 2, "os": os, "In": [], "exit": None, "kept": {1.5}}
    described = describe.describe_names(namespace, hidden={"exit": None})
    assert sorted(described) == ["kept", "value"]
    assert json.loads(json.dumps(described)) == described


def invoke(*args):
    try:
        runner = CliRunner(mix_stderr=False)
    except TypeError:  # click >= 8.2 keeps stderr apart already
        runner = CliRunner()
    return runner.invoke(main, [str(arg) for arg in args])


# ---------------------------------------------------------------------- fresh copies

def test_a_fresh_copy_holds_link_targets_as_content_and_never_writes_through(tmp_path: pathlib.Path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "data.txt").write_text("original")
    source = tmp_path / "project"
    source.mkdir()
    (source / "notebook.ipynb").write_text("{}")
    (source / "linked").symlink_to(outside, target_is_directory=True)
    (source / "file.txt").symlink_to(outside / "data.txt")
    (source / "dangling").symlink_to(tmp_path / "nowhere")
    os.mkfifo(source / "pipe")

    copy = execute.fresh_copy(source, tmp_path / "copy")
    (copy / "linked" / "data.txt").write_text("changed")
    (copy / "file.txt").write_text("changed")

    assert (outside / "data.txt").read_text() == "original"
    assert sorted(path.name for path in copy.iterdir()) == ["file.txt", "linked", "notebook.ipynb"]
    assert not any(path.is_symlink() for path in copy.rglob("*"))


def test_a_link_back_into_the_folder_is_refused_with_its_location(tmp_path: pathlib.Path):
    source = tmp_path / "project"
    (source / "inner").mkdir(parents=True)
    (source / "inner" / "up").symlink_to(source, target_is_directory=True)

    with pytest.raises(execute.CopyError) as raised:
        execute.fresh_copy(source, tmp_path / "copy")

    assert str(raised.value).startswith(str(source / "inner" / "up") + ": ")
    assert "\n" not in str(raised.value)


def test_a_fresh_copy_of_read_only_files_is_writable(tmp_path: pathlib.Path):
    source = tmp_path / "project"
    source.mkdir()
    (source / "model.pkl").write_bytes(b"x")
    (source / "model.pkl").chmod(0o444)

    copy = execute.fresh_copy(source, tmp_path / "copy")
    (copy / "model.pkl").write_bytes(b"y")

    assert (source / "model.pkl").read_bytes() == b"x"


# ------------------------------------------------------------------ verdicts from runs

def notebook_run(**fields) -> Run:
    return Run(kind="notebook", completed=True, **fields)


def script_run(**fields) -> Run:
    return Run(kind="script", completed=fields.pop("completed", True), **fields)


ONE = {"t": "int", "v": 1}
TWO = {"t": "int", "v": 2}
LOCK = {"t": "_thread.lock", "nc": "no public state, and cannot be pickled: cannot pickle '_thread.lock' object"}
FIGURE = {"t": "matplotlib.figure.Figure", "nc": "display object (a plot or widget)", "display": True}
CONVERSION = Conversion("train.py", "", ())


def verdict_of(first: Run, script: Run, again=None, conversion=CONVERSION):
    return judge(pathlib.Path("nb.ipynb"), conversion, {"notebook": first, "again": again or first, "script": script})


@pytest.mark.parametrize("first, script, again, verdict, rows", [
    (notebook_run(state={"x": ONE}), script_run(state={"x": ONE}), None, "equivalent", []),
    (notebook_run(state={"x": ONE}, bound_in={"x": 4}), script_run(state={"x": TWO}), None, "different", [("value", "x", "1", "2", 4)]),
    (notebook_run(state={"x": ONE}), script_run(), None, "different", [("value", "x", "1", "(not held by the script)", None)]),
    (notebook_run(), script_run(completed=False, exit_status=1, failure="exit status 1: KeyError: 'a'"), None, "different",
     [("exit status", "", "all cells ran", "exit status 1: KeyError: 'a'", None)]),
    (notebook_run(state={"lock": LOCK}), script_run(state={"lock": LOCK}), None, "cannot tell", [("value", "lock", "", LOCK["nc"], None)]),
    (notebook_run(state={"fig": FIGURE}), script_run(state={"fig": FIGURE}), None, "equivalent", []),
    (notebook_run(state={"t": ONE}), script_run(state={"t": {"t": "int", "v": 7}}), notebook_run(state={"t": TWO}), "equivalent", []),
    (notebook_run(state={"t": ONE}), script_run(state={"t": {"t": "str", "v": "1"}}), notebook_run(state={"t": TWO}), "different",
     [("value", "t", "1", "'1'", None)]),
    (notebook_run(files={"out.txt": "a"}), script_run(files={"out.txt": "a"}), None, "equivalent", []),
    (notebook_run(files={"out.txt": "a"}), script_run(files={"out.txt": "b"}), None, "different", [("file", "out.txt", "content", "other content", None)]),
    (notebook_run(files={"out.txt": "a"}), script_run(files={"other.txt": "a"}), None, "different",
     [("file", "other.txt", "not written", "written", None), ("file", "out.txt", "written", "not written", None)]),
    (notebook_run(files={"m.pkl": "a"}, loaded={"m.pkl": ONE}), script_run(files={"m.pkl": "b"}, loaded={"m.pkl": ONE}), None, "equivalent", []),
    (notebook_run(files={"m.pkl": "a"}, loaded={"m.pkl": ONE}), script_run(files={"m.pkl": "b"}, loaded={"m.pkl": TWO}), None, "different",
     [("file", "m.pkl", "1", "2", None)]),
    (notebook_run(files={"stamp.txt": "a"}), script_run(files={"stamp.txt": "c"}), notebook_run(files={"stamp.txt": "b"}), "equivalent", []),
    (notebook_run(deleted=("old.txt",)), script_run(), None, "different", [("file", "old.txt", "removed", "kept", None)]),
])
def test_verdicts(first, script, again, verdict, rows):
    report = verdict_of(first, script, again)

    assert report.verdict == verdict, report.text()
    assert [(r.kind, r.name, r.notebook, r.script, r.cell) for r in report.differences + report.not_compared] == rows
    assert report.exit_status == {"equivalent": 0, "different": 1, "cannot tell": 2}[verdict]


def test_values_that_change_between_notebook_runs_are_reported_as_nondeterministic():
    report = verdict_of(notebook_run(state={"t": ONE}), script_run(state={"t": ONE}), notebook_run(state={"t": TWO}))
    assert [(row.kind, row.name) for row in report.nondeterministic] == [("value", "t")]
    assert "nondeterministic (compared by type and shape only): value t" in report.text()
    excluded = verdict_of(notebook_run(state={"a": ONE, "b": ONE}), script_run(), conversion=Conversion("train.py", "", (("a", "removed"), ("b", "removed"))))
    assert "excluded (bound only by code the conversion removed): value a, value b" in excluded.text()


def test_a_value_that_cannot_be_compared_is_named_in_the_verdict():
    report = verdict_of(notebook_run(state={"lock": LOCK, "x": ONE}), script_run(state={"lock": LOCK, "x": ONE}))
    assert report.text().startswith("cannot tell: 1 values not compared: lock\n")


def test_a_difference_wins_over_a_value_not_compared():
    report = verdict_of(notebook_run(state={"lock": LOCK, "x": ONE}), script_run(state={"lock": LOCK, "x": TWO}))
    assert report.verdict == "different"


@pytest.mark.parametrize("outputs, removed, verdict", [
    ((Output(1, 1, "(442, 11)\n"), Output(2, 3, "result 5\n")), ((1, 1, 1),), "equivalent"),
    ((Output(1, 1, "(442, 11)\n"), Output(2, 3, "result 5\n")), (), "different"),
    ((Output(1, 2, "shape\n"), Output(2, 3, "result 5\n")), ((1, 1, 3),), "equivalent"),
    ((Output(1, 0, "from a thread\n"), Output(2, 3, "result 5\n")), ((1, 1, 9),), "different"),
    ((Output(2, 3, "result "), Output(2, 3, "5\n")), (), "equivalent"),
])
def test_stdout_is_compared_after_dropping_what_removed_statements_printed(outputs, removed, verdict):
    first = notebook_run(outputs=outputs, stdout="".join(output.text for output in outputs))
    report = verdict_of(first, script_run(stdout="result 5\n"), conversion=Conversion("train.py", "", (), removed))
    assert report.verdict == verdict, report.text()


def test_a_stdout_difference_names_its_line_and_cell():
    outputs = (Output(1, 1, "a\n"), Output(3, 2, "b\nc\n"))
    report = verdict_of(notebook_run(outputs=outputs), script_run(stdout="a\nb\nd\n"))
    assert [(r.kind, r.name, r.notebook, r.script, r.cell) for r in report.differences] == [("stdout", "line 3", "c", "d", 3)]


def test_each_runs_folder_and_timing_figures_are_made_alike():
    first = notebook_run(folder="/w/notebook", outputs=(Output(1, 1, "in /w/notebook/sub\nCPU times: user 1 ms\n"),),
                         state={"cwd": {"t": "str", "v": "/w/notebook/sub"}})
    script = script_run(folder="/w/script", stdout="in /w/script/sub\nCPU times: user 3 ms\n", state={"cwd": {"t": "str", "v": "/w/script/sub"}})
    report = verdict_of(first, script)
    assert report.verdict == "equivalent" and report.nondeterministic == (), report.text()
    moved = dataclasses.replace(script, state={"cwd": {"t": "str", "v": "/w/script"}})
    assert rows_of(verdict_of(first, moved)) == [("value", "cwd", "<folder>/sub", "<folder>")]


def rows_of(report):
    return [(row.kind, row.name, row.notebook, row.script) for row in report.differences]


def test_stdout_lines_that_change_between_runs_are_only_counted():
    first = notebook_run(outputs=(Output(1, 1, "took 1.2 s\nresult 5\n"),))
    again = notebook_run(outputs=(Output(1, 1, "took 1.4 s\nresult 5\n"),))
    assert verdict_of(first, script_run(stdout="took 0.9 s\nresult 5\n"), again).verdict == "equivalent"
    assert verdict_of(first, script_run(stdout="took 0.9 s\nresult 6\n"), again).verdict == "different"
    assert verdict_of(first, script_run(stdout="result 5\n"), again).verdict == "different"


def test_random_states_are_compared_when_the_notebook_set_them():
    seeded, other = {"random.getstate()": ONE}, {"random.getstate()": TWO}
    assert verdict_of(notebook_run(random=seeded), script_run(random=other)).verdict == "different"
    unseeded = verdict_of(notebook_run(random=seeded), script_run(random=other), notebook_run(random=other))
    assert unseeded.verdict == "equivalent"


@pytest.mark.parametrize("again_fails", [False, True])
def test_a_notebook_that_fails_cannot_be_verified(again_fails):
    failed = Run(kind="notebook", completed=False, failure="cell 2: ZeroDivisionError: division by zero", failed_cell=2)
    first, again = (notebook_run(), failed) if again_fails else (failed, notebook_run())
    report = verdict_of(first, script_run(), again)
    assert report.verdict == "cannot run" and report.exit_status == 2
    assert "cell 2: ZeroDivisionError: division by zero" in report.reason


ROW = {
    "type": "object", "additionalProperties": False, "required": ["kind", "name", "notebook", "script", "cell"],
    "properties": {"kind": {"enum": ["exit status", "stdout", "file", "value"]}, "name": {"type": "string"},
                   "notebook": {"type": "string"}, "script": {"type": "string"}, "cell": {"type": ["integer", "null"]}},
}
RUN = {
    "type": "object", "additionalProperties": False, "required": ["completed", "failure", "exit_status", "seconds"],
    "properties": {"completed": {"type": "boolean"}, "failure": {"type": "string"},
                   "exit_status": {"type": ["integer", "null"]}, "seconds": {"type": "number"}},
}
SCHEMA = {
    "type": "object", "additionalProperties": False,
    "required": ["notebook", "script", "verdict", "exit_status", "reason", "compared", "differences", "not_compared",
                 "nondeterministic", "excluded", "runs"],
    "properties": {
        "notebook": {"type": "string"}, "script": {"type": "string"},
        "verdict": {"enum": ["equivalent", "different", "cannot tell", "cannot run"]},
        "exit_status": {"enum": [0, 1, 2]}, "reason": {"type": "string"},
        "compared": {"type": "object", "additionalProperties": False, "properties": {
            "exit_status": {"type": "boolean"}, "stdout": {"type": "boolean"},
            "files": {"type": "array", "items": {"type": "string"}}, "values": {"type": "array", "items": {"type": "string"}}}},
        "differences": {"type": "array", "items": ROW}, "not_compared": {"type": "array", "items": ROW},
        "nondeterministic": {"type": "array", "items": ROW}, "excluded": {"type": "array", "items": ROW},
        "runs": {"type": "object", "additionalProperties": False,
                 "properties": {"notebook": RUN, "again": RUN, "script": RUN}},
    },
}


def assert_schema(document: dict) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    jsonschema.validate(document, SCHEMA)


def test_the_json_document_follows_its_schema():
    report = verdict_of(notebook_run(state={"x": ONE, "lock": LOCK, "fig": FIGURE}, files={"a": "1"}),
                        script_run(state={"x": TWO, "lock": LOCK, "fig": FIGURE}, files={"a": "1"}),
                        notebook_run(state={"x": ONE, "lock": LOCK, "fig": FIGURE}, files={"a": "2"}))
    document = json.loads(json.dumps(report.document()))
    assert_schema(document)
    assert document["verdict"] == "different" and document["exit_status"] == 1
    assert document["differences"] == [{"kind": "value", "name": "x", "notebook": "1", "script": "2", "cell": None}]
    with pytest.raises(Exception):
        assert_schema(dict(document, verdict="maybe"))


# ------------------------------------------------------------------- the command, fast

def write_notebook(folder: pathlib.Path, *sources: str, name: str = "small.ipynb") -> pathlib.Path:
    path = folder / name
    path.write_text(notebook_text(*(("code", source) for source in sources)), encoding="utf-8")
    return path


def comparison_of(document: dict) -> dict:
    """verify's report of the only notebook in a `--format json` document."""
    [entry] = document["notebooks"]
    assert entry["status"] == "verified"
    return entry["comparison"]


def test_without_nbclient_verify_names_the_extra_in_one_line(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "nbclient", None)
    notebook = write_notebook(tmp_path, "x = 1")

    outcome = invoke("verify", str(notebook))

    assert outcome.exit_code == 2
    assert outcome.stderr.strip().splitlines() == [outcome.stderr.strip()]
    assert 'pip install "nbrefactor[verify]"' in outcome.stderr
    assert "Traceback" not in outcome.stderr + outcome.stdout


def test_a_converter_crash_is_a_one_line_cannot_run(tmp_path, monkeypatch):
    import nbrefactor

    def crash(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(nbrefactor, "refactor", crash)
    notebook = write_notebook(tmp_path, "x = 1")

    outcome = invoke("verify", str(notebook), "--format", "json")

    assert outcome.exit_code == 2
    document = json.loads(outcome.stdout)
    reason = f"{notebook}: nbrefactor could not convert it: RuntimeError: boom"
    assert comparison_of(document)["verdict"] == "cannot run" and comparison_of(document)["reason"] == reason
    assert document["exit_status"] == 2 and document["errors"] == [{"path": str(notebook), "message": reason}]


@pytest.mark.parametrize("content, message", [(None, "no such file"), ("{", "not valid JSON")])
def test_bad_input_exits_2_with_a_located_line(tmp_path, content, message):
    notebook = tmp_path / "bad.ipynb"
    if content is not None:
        notebook.write_text(content)

    outcome = invoke("verify", str(notebook))

    assert outcome.exit_code == 2
    assert outcome.stderr.startswith(f"{notebook}: ") and message in outcome.stderr
    assert outcome.stdout == ""


def test_running_what_is_not_a_notebook_is_a_located_error(tmp_path):
    pytest.importorskip("nbclient")
    with pytest.raises(execute.NotebookError) as raised:
        execute.run_notebook(tmp_path / "missing.ipynb", tmp_path)
    assert str(raised.value).startswith(str(tmp_path / "missing.ipynb") + ": not a notebook")


def test_verify_says_it_executes_code():
    assert "EXECUTES" in CliRunner().invoke(main, ["verify", "--help"]).output


# ------------------------------------------------------------ real kernels and scripts

@pytest.mark.slow
def test_notebook_stdout_is_attributed_to_cells_and_statements_without_disturbing_counts(tmp_path):
    cells = ["x = 2\nprint('a')\nfor i in range(2):\n    print(i)", "!echo shell", "%%time\ny = x\nprint('timed')",
             "x", "seen = Out[4]\ncount = len(Out)\nprint(x, end='')\nprint()"]
    notebook = tmp_path / "nb.ipynb"
    notebook.write_text(notebook_text(*(("code", cell) for cell in cells)), encoding="utf-8")

    run = execute.run_notebook(notebook, tmp_path, timeout=120)

    attributed = [(output.cell, output.line, output.text) for output in run.outputs if output.line != 1 or output.cell != 3]
    assert attributed == [(1, 2, "a\n"), (1, 3, "0\n1\n"), (2, 1, "shell\r\n"), (3, 3, "timed\n"), (5, 3, "2"), (5, 4, "\n")]
    assert run.state["seen"] == {"t": "int", "v": 2} and run.state["count"] == {"t": "int", "v": 1}
    assert run.bound_in == {"x": 1, "i": 1, "y": 3, "seen": 5, "count": 5} | {k: v for k, v in run.bound_in.items() if k.startswith("_")}


@pytest.mark.slow
def test_a_script_run_reports_its_exit_status_output_files_and_state(tmp_path):
    script = tmp_path / "generated" / "train.py"
    script.parent.mkdir()
    script.write_text("import sys\nvalues = [1]\ndef main():\n    total = 3\n    open('out.txt', 'w').write('x')\n    print('done')\n    sys.exit(4)\nmain()\n")
    folder = tmp_path / "folder"
    folder.mkdir()

    run = execute.run_script(script, folder, state=[("total", "main"), ("values", "module"), ("gone", "function:other")])

    assert (run.completed, run.exit_status, run.stdout) == (False, 4, "done\n")
    assert list(run.files) == ["out.txt"]
    assert run.state["total"] == {"t": "int", "v": 3} and run.state["values"] == describe.describe([1])
    assert run.missing == ("gone",)

def verify_by_hand(folder: pathlib.Path, cells, script: str, state=(), removed=()):
    """verify's report for a notebook and a conversion written by the test."""
    notebook = folder / "nb.ipynb"
    notebook.write_text(notebook_text(*(("code", cell) for cell in cells)), encoding="utf-8")
    conversion = Conversion("train.py", textwrap.dedent(script), tuple(state), tuple(removed))
    return check_conversion(notebook, conversion, python=sys.executable, timeout=120)


def rows(report):
    return [(row.kind, row.name) for row in report.differences]


ENV_CELLS = ["import os\nbase = '/data'", "%env DATA_DIR={base}/x", "d = os.environ['DATA_DIR']"]
ENV_UNEXPANDED = """
import os
def main():
    base = '/data'
    os.environ['DATA_DIR'] = '{base}/x'
    print('env: DATA_DIR={base}/x')
    d = os.environ['DATA_DIR']
if __name__ == '__main__':
    main()
"""


@pytest.mark.slow
def test_a_magic_translated_without_its_expansion_is_different(tmp_path):
    report = verify_by_hand(tmp_path, ENV_CELLS, ENV_UNEXPANDED)
    assert report.verdict == "different", report.text()
    assert ("value", "d") in rows(report) and ("stdout", "line 1") in rows(report)


@pytest.mark.slow
def test_the_faithful_translation_of_a_magic_is_equivalent(tmp_path):
    faithful = ENV_UNEXPANDED.replace("'{base}/x'", "f'{base}/x'").replace("'env: DATA_DIR={base}/x'", "f'env: DATA_DIR={base}/x'")
    report = verify_by_hand(tmp_path, ENV_CELLS, faithful)
    assert report.verdict == "equivalent", report.text()


@pytest.mark.slow
def test_a_mutating_timeit_run_once_is_different(tmp_path):
    cells = ["xs = []", "%timeit -n 3 -r 1 xs.append(1)", "n = len(xs)"]
    script = "def main():\n    xs = []\n    xs.append(1)\n    print('1 us per loop')\n    n = len(xs)\nmain()\n"
    report = verify_by_hand(tmp_path, cells, script)
    assert report.verdict == "different", report.text()
    assert ("value", "n") in rows(report)


@pytest.mark.slow
def test_a_random_state_that_drew_less_is_different_though_its_repr_is_the_same(tmp_path):
    cells = ["import numpy as np\nrng = np.random.RandomState(0)", "rng.rand(2)", "x = 1"]
    script = "import numpy as np\ndef main():\n    rng = np.random.RandomState(0)\n    x = 1\nmain()\n"
    report = verify_by_hand(tmp_path, cells, script)
    assert report.verdict == "different", report.text()
    assert [row for row in report.differences if row.name.startswith("rng")][0].cell == 1


UNSEEDED = ["import random\nimport numpy as np\na = random.random()\nx = np.random.rand(3)", "b = np.random.randint(10)"]
UNSEEDED_SCRIPT = "import random\nimport numpy as np\ndef main():\n    a = random.random()\n    x = np.random.rand(3)\n{extra}    b = np.random.randint(10)\nmain()\n"


@pytest.mark.slow
def test_unseeded_draws_compare_exactly_as_every_run_starts_from_one_seed(tmp_path):
    same = verify_by_hand(tmp_path, UNSEEDED, UNSEEDED_SCRIPT.format(extra=""))
    assert same.verdict == "equivalent", same.text()
    assert same.nondeterministic == ()
    shifted = verify_by_hand(tmp_path, UNSEEDED, UNSEEDED_SCRIPT.format(extra="    np.random.rand()\n"))
    assert ("value", "b") in rows(shifted)


@pytest.mark.slow
def test_instances_of_notebook_classes_compare_field_by_field(tmp_path):
    cells = ["class Point:\n    def __init__(self, x):\n        self.x = x", "p = Point([1, 2])"]
    script = "class Point:\n    def __init__(self, x):\n        self.x = x\ndef main():\n    p = Point([1, 3])\nmain()\n"
    report = verify_by_hand(tmp_path, cells, script)
    assert report.verdict == "different", report.text()
    assert rows(report) == [("value", "p.x[1]")]


@pytest.mark.slow
def test_output_the_conversion_dropped_without_saying_so_is_different(tmp_path):
    cells = ["values = [1, 2, 3]\nprint(len(values))", "total = sum(values)\nprint('total', total)"]
    script = "def main():\n    values = [1, 2, 3]\n    total = sum(values)\n    print('total', total)\nmain()\n"
    assert verify_by_hand(tmp_path, cells, script).verdict == "different"
    assert verify_by_hand(tmp_path, cells, script, removed=[(1, 2, 2)]).verdict == "equivalent"


LAMBDAS = [
    "k = 3\nscale = lambda x: x * k\nsquares = (i * i for i in range(4))\nfirst = next(squares)",
    "def helper(v):\n    return [v * i for i in range(3)]\nvalues = helper(k)",
]
LAMBDAS_IN_MAIN = """
def helper(v):
    return [v * i for i in range(3)]
def main():
    k = 3
    scale = lambda x: x * k
    squares = (i * i for i in range(4))
    first = next(squares)
    values = helper(k)
if __name__ == '__main__':
    main()
"""


@pytest.mark.slow
def test_lambdas_and_generators_moved_into_main_are_equivalent(tmp_path):
    report = verify_by_hand(tmp_path, LAMBDAS, LAMBDAS_IN_MAIN)
    assert report.verdict == "equivalent", report.text()
    assert {"scale", "squares", "helper", "values"} <= set(report.compared["values"])


SECTIONS = ["values = [1, 2, 3]\nscaled = [v * 3 for v in values]", "scaled = [v * 10 for v in scaled]\nreport = sum(scaled)"]
SECTIONS_SCRIPT = """
def summarise(scaled):
    scaled = [v * 10 for v in scaled]
    report = sum(scaled)
    return report
def main():
    values = [1, 2, 3]
    scaled = [v * 3 for v in values]
    report = summarise(scaled)
main()
"""


PLOTS = ["import matplotlib.pyplot as plt\nplt.plot([1, 2, 3])", "plt.plot([3, 2, 1])\nplt.savefig('figure.png')"]
PLOTS_SCRIPT = "import matplotlib.pyplot as plt\ndef main():\n    plt.plot([1, 2, 3])\n{close}    plt.plot([3, 2, 1])\n    plt.savefig('figure.png')\nmain()\n"


@pytest.mark.slow
def test_figures_close_when_a_cell_ends_as_in_jupyter(tmp_path):
    pytest.importorskip("matplotlib")
    closed = verify_by_hand(tmp_path, PLOTS, PLOTS_SCRIPT.format(close="    plt.close('all')\n"))
    assert closed.verdict == "equivalent", closed.text()
    assert closed.compared["files"] == ["figure.png"]
    assert rows(verify_by_hand(tmp_path, PLOTS, PLOTS_SCRIPT.format(close=""))) == [("file", "figure.png")]


@pytest.mark.slow
def test_each_value_is_read_where_the_conversion_says_the_script_holds_it(tmp_path):
    held_in_function = verify_by_hand(tmp_path, SECTIONS, SECTIONS_SCRIPT, state=[("scaled", "function:summarise")])
    assert held_in_function.verdict == "equivalent", held_in_function.text()
    in_main_only = verify_by_hand(tmp_path, SECTIONS, SECTIONS_SCRIPT)
    assert ("value", "scaled[0]") in rows(in_main_only)


@pytest.mark.slow
def test_pickles_compare_by_the_values_they_hold_in_each_process(tmp_path):
    point = "class Point:\n    def __init__(self, x, y):\n        self.x = x\n        self.y = y\n"
    cells = [point, "point = Point(1, 2)\nimport pickle\nwith open('p.pkl', 'wb') as f:\n    pickle.dump(point, f)"]
    reordered = "point = Point(1, {y})\ndel point.x\npoint.x = 1\n"  # the same fields, pickled in another order
    script = point + reordered + "import pickle\nwith open('p.pkl', 'wb') as f:\n    pickle.dump(point, f)\n"
    same = verify_by_hand(tmp_path, cells, script.format(y=2))
    assert same.verdict == "equivalent", same.text()
    assert same.compared["files"] == ["p.pkl"]
    assert rows(verify_by_hand(tmp_path, cells, script.format(y=3))) == [("file", "p.pkl.y"), ("value", "point.y")]


@pytest.mark.slow
def test_what_changes_between_notebook_runs_is_compared_by_type_only(tmp_path):
    cells = ["import time\nstarted = time.time()\nprint(started)\nopen('stamp.txt', 'w').write(str(started))", "steps = 3"]
    script = "import time\ndef main():\n    started = time.time()\n    print(started)\n    open('stamp.txt', 'w').write(str(started))\n    steps = 3\nmain()\n"
    report = verify_by_hand(tmp_path, cells, script)
    assert report.verdict == "equivalent", report.text()
    assert {(row.kind, row.name) for row in report.nondeterministic} == {("value", "started"), ("stdout", ""), ("file", "stamp.txt")}


@pytest.mark.slow
def test_links_and_special_files_in_the_notebook_folder_are_handled_safely(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "in.txt").write_text("41")
    project = tmp_path / "project"
    project.mkdir()
    (project / "data").symlink_to(outside, target_is_directory=True)
    os.mkfifo(project / "pipe")
    cells = ["n = int(open('data/in.txt').read()) + 1\nopen('data/out.txt', 'w').write(str(n))"]
    script = "def main():\n    n = int(open('data/in.txt').read()) + 1\n    open('data/out.txt', 'w').write(str(n))\nmain()\n"

    report = verify_by_hand(project, cells, script)

    assert report.verdict == "equivalent", report.text()
    assert report.compared["files"] == ["data/out.txt"]
    assert sorted(path.name for path in outside.iterdir()) == ["in.txt"]


@pytest.mark.slow
def test_a_text_notebook_runs_as_the_cells_it_holds(tmp_path):
    pytest.importorskip("jupytext")
    notebook = tmp_path / "analysis.py"
    notebook.write_text("# %%\nx = 1\nprint(x)\n\n# %%\ny = x + 1\n", encoding="utf-8")

    outcome = invoke("verify", notebook, "--timeout", "60", "--format", "json")

    comparison = comparison_of(json.loads(outcome.stdout))
    assert comparison["verdict"] == "equivalent", comparison
    assert {"x", "y"} <= set(comparison["compared"]["values"])


@pytest.mark.slow
@pytest.mark.parametrize("cell, timeout, message", [
    ("y = x / 0", 60, "the notebook itself fails: cell 2: ZeroDivisionError: division by zero"),
    ("import time\ntime.sleep(60)", 8, "the notebook does not finish in time: cell 2: timed out after 8 s"),
])
def test_the_command_reports_a_notebook_that_fails_or_hangs_in_one_line(tmp_path, cell, timeout, message):
    notebook = write_notebook(tmp_path, "x = 1", cell)

    outcome = invoke("verify", str(notebook), "--timeout", timeout)

    assert outcome.exit_code == 2
    assert outcome.stderr == f"{notebook}: {message}\n"


@pytest.mark.slow
def test_the_command_prints_a_verdict_then_the_table_or_json(tmp_path):
    notebook = write_notebook(tmp_path, "values = [3, 1, 2]", "import os\nprint(sorted(values))\nlabel = 'x'")

    text = invoke("verify", str(notebook), "--timeout", "60")
    document = invoke("verify", str(notebook), "--timeout", "60", "--format", "json")

    comparison = comparison_of(json.loads(document.stdout))
    assert text.exit_code == json.loads(document.stdout)["exit_status"] == comparison["exit_status"]
    assert text.stdout.splitlines()[0] == f"{comparison['verdict']}: {comparison['reason']}"
    assert_schema(comparison)


@pytest.mark.slow
def test_a_broken_conversion_of_the_example_is_caught(tmp_path):
    shutil.copy(EXAMPLES / "diabetes" / "diabetes_training.ipynb", tmp_path)
    notebook = tmp_path / "diabetes_training.ipynb"
    conversion = convert_for_verify(notebook, {})
    broken = dataclasses.replace(conversion, script=conversion.script.replace("0.5", "0.7"))
    assert broken.script != conversion.script

    report = check_conversion(notebook, broken, python=sys.executable, timeout=180)

    assert report.verdict == "different"
    assert any(row.name.startswith(("reg_model", "metrics", "args")) for row in report.differences), report.text()


def test_a_kernel_that_lost_its_ports_to_another_is_started_again(tmp_path, monkeypatch):
    from nbrefactor import execute

    attempts = []

    class Session:
        def __init__(self, *args):
            attempts.append(args)

        def run(self, before):
            if len(attempts) == 1:
                return "the kernel failed: Kernel didn't respond in 60 seconds (zmq.error.ZMQError: Address already in use)", 0
            return "", 0

    monkeypatch.setattr(execute, "_KernelSession", Session)
    text = '{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}'

    run = execute.run_notebook(text, tmp_path)

    assert len(attempts) == 2
    assert run.completed and run.failure == ""
