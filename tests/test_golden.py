"""Golden end-to-end cases: tests/cases/<name>/notebook.ipynb -> expected/ (reviewed by eye).

Refresh the expected files only on purpose: `python -m pytest tests/test_golden.py --update-golden`.
Every case is also held to the invariants: outputs compile, conversion is deterministic and
idempotent, the output reads no undefined name the notebook did not already have, and the
generated tests pass.
"""
from __future__ import annotations

import importlib.util
import pathlib
import re
import shutil

import pytest
from click.testing import CliRunner

from nbrefactor.cli import main
from support import convert_case, findings_text, run_pytest, undefined_names, write_outputs
from conftest import CASES

CASE_DIRS = sorted(path for path in CASES.iterdir() if (path / "notebook.ipynb").exists())


@pytest.mark.parametrize("case", CASE_DIRS, ids=lambda path: path.name)
def test_case_matches_expected_outputs(case: pathlib.Path, update_golden: bool):
    result = convert_case(case / "notebook.ipynb")
    produced = dict(result.outputs, **{"findings.txt": findings_text(result, "notebook.ipynb")})
    expected_dir = case / "expected"
    if update_golden:
        shutil.rmtree(expected_dir, ignore_errors=True)
        expected_dir.mkdir()
        write_outputs(produced, expected_dir)
    expected = {path.name: path.read_text(encoding="utf-8") for path in expected_dir.iterdir()}
    assert produced == expected


@pytest.mark.parametrize("case", CASE_DIRS, ids=lambda path: path.name)
def test_conversion_is_deterministic_and_compiles(case: pathlib.Path):
    first, second = convert_case(case / "notebook.ipynb"), convert_case(case / "notebook.ipynb")
    assert first.files == second.files
    for name, text in first.files:
        compile(text, name, "exec")


@pytest.mark.parametrize("case", CASE_DIRS, ids=lambda path: path.name)
def test_output_reads_only_names_the_notebook_left_undefined(case: pathlib.Path):
    result = convert_case(case / "notebook.ipynb")
    if any(f.code == "NB205" for f in result.findings):
        pytest.skip("the notebook binds names through its namespace (globals(), exec, %run): no static check sees them")
    reported = set(re.findall(r"undefined name '(\w+)'", findings_text(result, "nb")))
    for name, text in result.files:
        assert set(undefined_names(text)) <= reported, name


@pytest.mark.parametrize("case", CASE_DIRS, ids=lambda path: path.name)
def test_converting_twice_through_the_cli_changes_nothing(case: pathlib.Path, tmp_path: pathlib.Path):
    notebook = tmp_path / "notebook.ipynb"
    shutil.copy(case / "notebook.ipynb", notebook)
    runner = CliRunner()
    errors = any(f.severity == "error" for f in convert_case(case / "notebook.ipynb").findings)
    status = 1 if errors else 0  # an error finding fails every run, written or not
    assert runner.invoke(main, ["convert", str(notebook)]).exit_code == status
    written = {path.name: path.read_bytes() for path in tmp_path.iterdir()}
    again = runner.invoke(main, ["convert", str(notebook)])
    assert again.exit_code == status
    assert {path.name: path.read_bytes() for path in tmp_path.iterdir()} == written
    assert runner.invoke(main, ["convert", "--check", str(notebook)]).exit_code == status


@pytest.mark.slow  # runs pytest in a child process
@pytest.mark.parametrize("case", CASE_DIRS, ids=lambda path: path.name)
def test_generated_tests_collect_and_pass(case: pathlib.Path, tmp_path: pathlib.Path):
    result = convert_case(case / "notebook.ipynb")
    write_outputs(result.outputs, tmp_path)
    completed = run_pytest(tmp_path)
    missing = [m for m in _third_party(result) if importlib.util.find_spec(m.split(".")[0]) is None]
    if missing:
        assert "needs " + missing[0] in completed.stdout, completed.stdout
        return
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert re.search(r"\d+ passed", completed.stdout), completed.stdout
    skipped = re.findall(r"^SKIPPED \[\d+\] \S+: (.*)$", completed.stdout, re.M)
    unexplained = [reason for reason in skipped if not reason.startswith("stub: ") and "run the training script first" not in reason]
    assert not unexplained, completed.stdout


def _third_party(result):
    from nbrefactor.testgen import third_party_modules

    return third_party_modules(result.plan)
