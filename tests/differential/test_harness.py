"""The differential harness's own logic, without kernels: reading cases, what the notebook's stdout should
be once removed output is taken out, normalisation, state look-up and classification."""
from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import pytest

import casefile
import harness
from nbrefactor.model import Change, Finding


def write_case(root: Path, name: str, text: str, files=None) -> Path:
    group, case = name.split("/")
    if files is None:
        path = root / group / f"{case}.py"
    else:
        path = root / group / case / "notebook.py"
        for relative, content in files.items():
            (path.parent / relative).parent.mkdir(parents=True, exist_ok=True)
            (path.parent / relative).write_text(content)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


CASE = """# Probes a thing.
# It takes two lines to say so.
# expect: same
# %%
%timeit -n 1 x = 1

# %% [markdown]
# ## Heading
#
# Prose.
# %% tags=["parameters"]
alpha = 0.5
# %% [raw]
raw text
# %%
"""


def test_a_case_file_becomes_cells_claims_and_a_description(tmp_path):
    write_case(tmp_path, "group/probe", CASE)

    (case,) = casefile.all_cases(tmp_path)

    assert case.name == "group/probe" and case.group == "group"
    assert case.description == "Probes a thing. It takes two lines to say so."
    assert case.expect == "same" and not case.notebook_fails
    assert [(cell.kind, cell.source, cell.tags) for cell in case.cells] == [
        ("code", "%timeit -n 1 x = 1", ()),
        ("markdown", "## Heading\n\nProse.", ()),
        ("code", "alpha = 0.5", ("parameters",)),
        ("raw", "raw text", ()),
        ("code", "", ()),
    ]


def test_the_notebook_json_keeps_sources_byte_for_byte_and_tags(tmp_path):
    write_case(tmp_path, "group/probe", CASE)
    (case,) = casefile.all_cases(tmp_path)

    cells = json.loads(casefile.notebook_json(case))["cells"]

    assert "".join(cells[0]["source"]) == "%timeit -n 1 x = 1"
    assert cells[2]["metadata"]["tags"] == ["parameters"]
    assert [cell["cell_type"] for cell in cells] == ["code", "markdown", "code", "raw", "code"]


def test_folder_cases_bring_their_files_and_the_groups_shared_files(tmp_path):
    write_case(tmp_path, "group/folder", "# Reads files.\n# %%\nprint(1)\n", {"lib/mod.py": "X = 1\n", "data.csv": "a\n"})
    (tmp_path / "group" / "_shared").mkdir()
    (tmp_path / "group" / "_shared" / "data.csv").write_text("shared\n")
    (tmp_path / "group" / "_shared" / "model.txt").write_text("m\n")

    (case,) = casefile.all_cases(tmp_path)

    inputs = {relative: path.read_text() for path, relative in case.input_files()}
    assert inputs == {"data.csv": "a\n", "lib/mod.py": "X = 1\n", "model.txt": "m\n"}


@pytest.mark.parametrize("text, error", [
    ("# %%\nx = 1\n", "header"),
    ("# Probes.\n# expect: maybe\n# %%\nx = 1\n", "unknown claim"),
    ("# Probes.\n# %% [markdown]\nno prefix\n", "prefix"),
])
def test_malformed_cases_are_refused(tmp_path, text, error):
    path = write_case(tmp_path, "group/bad", text)

    with pytest.raises(ValueError, match=error):
        casefile.load_case(path, tmp_path)


def outputs(*pieces):
    return tuple(SimpleNamespace(cell=cell, line=line, text=text) for cell, line, text in pieces)


def test_removed_output_is_taken_out_of_the_notebooks_stdout_by_cell_and_lines():
    printed = outputs((1, 1, "kept\n"), (2, 3, "(3, 4)\n"), (2, 5, "after\n"), (3, 3, "same line, other cell\n"),
                      (2, 0, "written by a child process\n"))
    changes = (Change(2, 2, "exploratory", "print(\n df.shape)", end_line=3, output=True),
               Change(3, 1, "exploratory", "x", output=False))

    expected = harness.expected_stdout(printed, changes)

    assert expected == "kept\nafter\nsame line, other cell\nwritten by a child process\n"


def test_run_folders_terminal_line_ends_and_timings_are_made_alike():
    text = "/tmp/run-1/sub\r\nCPU times: user 3 \u00b5s, sys: 0 ns\nWall time: 5.01 \u00b5s\n"

    assert harness.normalised(text, Path("/tmp/run-1")) == "<folder>/sub\nCPU times: <time>\nWall time: <time>\n"


def run(**fields):
    defaults = dict(completed=True, failure="", state={}, missing=(), random={}, files={}, deleted=())
    return SimpleNamespace(**{**defaults, **fields})


FOLDERS = (Path("/tmp/a"), Path("/tmp/b"))


def test_final_values_are_compared_where_the_conversion_keeps_them():
    notebook = run(state={"a": {"t": "int", "v": 1}, "c": {"t": "int", "v": 4}, "gone": {"t": "int", "v": 0},
                          "fig": {"t": "Figure", "nc": "display object", "display": True}, "late": {"t": "int", "v": 5}},
                   random={"random.getstate()": {"state": [1]}, "numpy.random.get_state()": {"state": [2]}})
    script = run(state={"a": {"t": "int", "v": 1}, "c": {"t": "int", "v": 3}, "late": {"t": "int", "v": 5}},
                 missing=("late",), random={"random.getstate()": {"state": [9]}})
    where = {"a": "module", "c": "function:split", "gone": "removed", "late": "main"}

    differences = harness.state_differences(notebook, script, where, FOLDERS)

    assert differences == ['state c: {"t": "int", "v": 4} vs {"t": "int", "v": 3}',
                           "state late: not held by the script (main)", "random state random.getstate() differs"]


def test_values_holding_the_run_folder_compare_with_the_folder_made_alike():
    left = {"t": "FileHandler", "fields": {"baseFilename": {"t": "str", "v": "/tmp/a/run.log"}}}
    right = {"t": "FileHandler", "fields": {"baseFilename": {"t": "str", "v": "/tmp/b/run.log"}}}

    assert harness.same_description(left, right, FOLDERS)
    assert not harness.same_description({"t": "float", "v": 0.1}, {"t": "float", "v": 0.1 + 1e-15}, FOLDERS)
    assert harness.same_description({"t": "float", "v": float("nan")}, {"t": "float", "v": float("nan")}, FOLDERS)


def test_files_compare_by_digest_and_deletion():
    notebook = harness.written_files(run(files={"a.txt": "111", "b.txt": "222"}, deleted=("raw.csv",)))
    script = harness.written_files(run(files={"a.txt": "111", "b.txt": "333", "c.txt": "444"}))

    assert harness.file_differences(notebook, script) == [
        "file b.txt: written (222) vs written (333)", "file c.txt: untouched vs written (444)",
        "file raw.csv: deleted vs untouched"]


def result_with(*codes):
    findings = tuple(Finding(1, 1, 1, "message", code) for code in codes)
    return SimpleNamespace(findings=findings)


@pytest.mark.parametrize("codes, differences, expected", [
    ((), [], "same"),
    (("NB402",), [], "same"),
    (("NB202",), [], "kept"),
    (("NB301",), ["stdout: ..."], "kept"),
    (("NB202",), ["stdout: ..."], "silent"),
    ((), ["file out.txt: ..."], "silent"),
])
def test_classification(codes, differences, expected):
    assert harness.classify(result_with(*codes), differences) == expected


def test_an_error_finding_outside_any_cell_does_not_explain_a_difference():
    result = SimpleNamespace(findings=(Finding(0, 0, 0, "message", "NB301"),))

    assert harness.classify(result, ["stdout: ..."]) == "silent"


@pytest.mark.parametrize("failure, kind", [
    ("cell 3: ZeroDivisionError: division by zero", "ZeroDivisionError"),
    ("exit status 1: ValueError: not enough values", "ValueError"),
    ("exit status 1: json.decoder.JSONDecodeError: Expecting value", "JSONDecodeError"),
    ("cell 2: SystemExit", "SystemExit"),
    ("exit status 3", ""),
    ("timed out after 60 s", ""),
])
def test_the_exception_type_is_read_from_either_runs_failure(failure, kind):
    assert harness.exception_type(failure) == kind


def test_a_failing_notebook_must_fail_in_the_script_with_the_same_exception():
    ran = run()
    failed = run(completed=False, failure="cell 2: ValueError: no")

    assert harness.status_differences(ran, ran) == []
    assert harness.status_differences(failed, run(completed=False, failure="exit status 1: ValueError: no")) == []
    assert harness.status_differences(failed, ran) == ["status: notebook failed (cell 2: ValueError: no), script exited 0"]
    assert harness.status_differences(failed, run(completed=False, failure="exit status 1: NameError: x")) == [
        "status: notebook failed with ValueError, script with NameError"]


@pytest.mark.parametrize("notebook, script, related", [
    ("NameError", "UnboundLocalError", True),
    ("KeyError", "LookupError", True),
    ("PicklingError", "AttributeError", False),
    ("ValueError", "TypeError", False),
    ("MyError", "MyError", True),
    ("", "ValueError", False),
])
def test_exceptions_are_alike_when_one_built_in_type_derives_from_the_other(notebook, script, related):
    assert harness.related_exceptions(notebook, script) is related


def function(code="c1", closure=None, globals_=()):
    return {"t": "function", "name": "<lambda>", "code": code, "defaults": None, "kwdefaults": None,
            "closure": closure or {}, "globals": list(globals_)}


def test_a_closure_cell_matches_a_global_read_of_the_same_name_but_code_and_cells_must_match():
    two = {"t": "int", "v": 2}

    assert harness.same_description(function(globals_=["i"]), function(closure={"i": two}), FOLDERS)
    assert not harness.same_description(function(globals_=["j"]), function(closure={"i": two}), FOLDERS)
    assert not harness.same_description(function(closure={"i": two}), function(closure={"i": {"t": "int", "v": 3}}), FOLDERS)
    assert not harness.same_description(function(code="c1"), function(code="c2"), FOLDERS)


def test_values_no_run_could_describe_are_named_and_display_objects_are_not():
    lock = {"t": "_thread.lock", "nc": "cannot be pickled"}
    notebook = run(state={"jobs": {"t": "Queue", "fields": {"mutex": lock}}, "n": {"t": "int", "v": 1},
                          "fig": {"t": "Figure", "nc": "display", "display": True}, "gone": lock})
    script = run(state={"jobs": {"t": "Queue", "fields": {"mutex": lock}}, "n": {"t": "int", "v": 1}})

    assert harness.uncompared(notebook, script, {"gone": "removed"}) == ["jobs: _thread.lock: cannot be pickled"]


def test_the_libraries_a_case_imports_are_known_so_a_case_can_be_skipped_without_them(tmp_path, monkeypatch):
    write_case(tmp_path, "group/plot", "# Plots.\n# %%\nimport os\nfrom matplotlib import pyplot\nimport numpy as np\n")
    (case,) = casefile.all_cases(tmp_path)
    installed = {"numpy"}
    monkeypatch.setattr("importlib.util.find_spec", lambda name: object() if name in installed else None)

    assert casefile.missing_libraries(case) == ["matplotlib"]
