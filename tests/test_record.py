"""`nbrefactor convert --record`: recorded tests pass right after recording, fail when a function's
behaviour changes, and say why when they check less (values that change, values that cannot be stored)."""
from __future__ import annotations

import pathlib
import shutil
import subprocess
import sys

import pytest
from click.testing import CliRunner

from conftest import EXAMPLES
from nbrefactor.cli import main

from support import notebook_text


def cli_runner() -> CliRunner:
    """A runner that keeps stderr apart (click < 8.2 mixes it into stdout unless told)."""
    try:
        return CliRunner(mix_stderr=False)
    except TypeError:  # click >= 8.2 keeps stderr apart already
        return CliRunner()

DIABETES = EXAMPLES / "diabetes"


def _pytest(folder: pathlib.Path, *files: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-rfs", "-p", "no:cacheprovider", *files],
        cwd=folder, capture_output=True, text=True,
    )


def _record(notebook: pathlib.Path):
    return cli_runner().invoke(main, ["convert", "--record", "--record-timeout", "120", str(notebook)])


@pytest.mark.slow
def test_the_committed_recorded_example_tests_pass_without_the_model_file(tmp_path: pathlib.Path):
    shutil.copytree(DIABETES, tmp_path / "diabetes", ignore=shutil.ignore_patterns("*.pkl", "__pycache__"))

    ran = _pytest(tmp_path / "diabetes", "test_train_recorded.py", "test_score_recorded.py")

    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert "5 passed, 1 skipped" in ran.stdout
    assert "needs sklearn_regression_model.pkl" in ran.stdout


@pytest.mark.slow
def test_changing_a_literal_in_a_function_fails_a_recorded_test(tmp_path: pathlib.Path):
    shutil.copy(DIABETES / "diabetes_training.ipynb", tmp_path)
    outcome = _record(tmp_path / "diabetes_training.ipynb")
    assert outcome.exit_code == 0, outcome.output
    assert _pytest(tmp_path, "test_train_recorded.py").returncode == 0
    script = tmp_path / "train.py"
    script.write_text(script.read_text().replace("test_size=0.2", "test_size=0.3"))

    ran = _pytest(tmp_path, "test_train_recorded.py")

    assert ran.returncode == 1
    assert "FAILED test_train_recorded.py::test_split_data" in ran.stdout


def _notebook(folder: pathlib.Path, cells) -> pathlib.Path:
    path = folder / "steps.ipynb"
    path.write_text(notebook_text(*cells), encoding="utf-8")
    return path


STEPS = [
    ("code", "import random"),
    ("markdown", "# Square numbers"),
    ("code", "squares = [n * n for n in range(6)]\nprint(squares)"),
    ("markdown", "# Add noise"),
    ("code", "noisy = [n + random.random() for n in squares]"),
    ("markdown", "# Stream squares"),
    ("code", "stream = (n for n in squares if n)"),
    ("markdown", "# Total stream"),
    ("code", "total = sum(stream)"),
    ("markdown", "# Report"),
    ("code", "report = {'total': total, 'noise': sum(noisy) - total}"),
]


@pytest.mark.slow
def test_changing_values_are_checked_by_shape_and_unstorable_ones_skipped(tmp_path: pathlib.Path):
    outcome = _record(_notebook(tmp_path, STEPS))
    assert outcome.exit_code == 0, outcome.output
    text = (tmp_path / "test_train_recorded.py").read_text()

    ran = _pytest(tmp_path, "test_train_recorded.py")

    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert "# Type and shape only: its return value differed between two recording runs" in text
    assert "assert_same_shape(noisy, expected)" in text
    assert "argument stream is a generator, which cannot be stored" in text
    assert "SKIPPED" in ran.stdout
    assert "PASSED" not in ran.stdout and "test_main" not in ran.stdout  # -rfs lists only failures and skips
    main_test = text.split("def test_main(", 1)[1].split("\n\n\n", 1)[0]
    assert "# Type and shape only: differed between two recording runs" in main_test
    assert "assert_same_shape(held['noisy']" in main_test
    assert "assert_same(held['squares']" in main_test
    assert "# Note: stream: not checked: a generator, which cannot be stored" in main_test


INLINE = [
    ("code", "import json"),
    ("markdown", "# Load numbers"),
    ("code", "with open('numbers.json') as handle:\n    numbers = json.load(handle)\ntotal = sum(numbers) * 2"),
    ("markdown", "# Save total"),
    ("code", "with open('total.json', 'w') as handle:\n    json.dump({'total': total}, handle)"),
]


@pytest.fixture
def recorded_inline(tmp_path: pathlib.Path) -> pathlib.Path:
    """A notebook whose sections all stay inline in main(), recorded; the file it wrote removed."""
    (tmp_path / "numbers.json").write_text("[1, 2, 3, 4]")
    outcome = _record(_notebook(tmp_path, INLINE))
    assert outcome.exit_code == 0, outcome.output
    assert "def split" not in (tmp_path / "train.py").read_text() and "\ndef main():" in (tmp_path / "train.py").read_text()
    (tmp_path / "total.json").unlink()
    return tmp_path


@pytest.mark.slow
def test_a_script_without_functions_gets_a_passing_test_of_main_that_writes_outside_the_folder(recorded_inline):
    ran = _pytest(recorded_inline, "test_train_recorded.py")

    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert "1 passed" in ran.stdout
    assert not (recorded_inline / "total.json").exists()
    text = (recorded_inline / "test_train_recorded.py").read_text()
    assert "assert_same(held['total'], load_fixture(recorded, 'total'), 'total')" in text
    assert "# Note: handle: not checked: a _io.TextIOWrapper, which cannot be stored" in text


@pytest.mark.slow
@pytest.mark.parametrize(
    "change, replacement, message",
    [
        ("sum(numbers) * 2", "sum(numbers) * 3", "total: 30 instead of 20"),
        ("'total.json', 'w'", "'other.json', 'w'", "main() did not write total.json"),
    ],
    ids=["value", "file"],
)
def test_changing_main_fails_its_recorded_test(recorded_inline, change, replacement, message):
    script = recorded_inline / "train.py"
    script.write_text(script.read_text().replace(change, replacement))

    ran = _pytest(recorded_inline, "test_train_recorded.py")

    assert ran.returncode == 1
    assert "FAILED test_train_recorded.py::test_main" in ran.stdout
    assert message in ran.stdout


def test_without_record_the_skeletons_stay_and_no_fixtures_are_written(tmp_path: pathlib.Path):
    outcome = cli_runner().invoke(main, ["convert", str(_notebook(tmp_path, STEPS))])

    assert outcome.exit_code == 0, outcome.output
    assert not (tmp_path / "fixtures").exists()
    assert not (tmp_path / "test_train_recorded.py").exists()
    assert '@pytest.mark.skip(reason="fill in' in (tmp_path / "test_train.py").read_text()


def test_record_says_it_executes_code():
    assert "EXECUTES" in cli_runner().invoke(main, ["convert", "--help"]).output
