"""`nbrefactor verify`: the examples are equivalent to their conversions, a broken conversion is caught,
and the type-aware comparison it relies on tells equal values from different ones."""
from __future__ import annotations

import dataclasses
import json
import pathlib
import shutil
import sys

import pytest
from click.testing import CliRunner

from conftest import EXAMPLES
from nbrefactor import checks
from nbrefactor.cli import main
from nbrefactor.verify import check_equivalence, convert_for_verify, verify_notebook

DIABETES = EXAMPLES / "diabetes"


@pytest.fixture
def training(tmp_path: pathlib.Path) -> pathlib.Path:
    shutil.copy(DIABETES / "diabetes_training.ipynb", tmp_path)
    return tmp_path / "diabetes_training.ipynb"


def test_the_training_example_is_equivalent(training):
    verdict = verify_notebook(training, python=sys.executable, timeout=120)

    assert verdict.equivalent, verdict.format()
    assert {"df", "data", "reg_model", "metrics"} <= set(verdict.compared)
    assert verdict.files == ("sklearn_regression_model.pkl",)
    assert verdict.format().startswith(f"equivalent: {len(verdict.compared)} values, 1 file compared")


def test_the_scoring_example_is_equivalent_beside_a_trained_model(tmp_path: pathlib.Path):
    joblib = pytest.importorskip("joblib")
    from sklearn.datasets import load_diabetes
    from sklearn.linear_model import Ridge

    features, target = load_diabetes(return_X_y=True)
    joblib.dump(Ridge(alpha=0.5).fit(features, target), tmp_path / "sklearn_regression_model.pkl")
    shutil.copy(DIABETES / "diabetes_scoring.ipynb", tmp_path)

    verdict = verify_notebook(tmp_path / "diabetes_scoring.ipynb", python=sys.executable, timeout=120)

    assert verdict.equivalent, verdict.format()
    assert {"model", "data", "result"} <= set(verdict.compared)


def test_a_broken_conversion_is_caught(training):
    conversion = convert_for_verify(training, {})
    broken = dataclasses.replace(conversion, script=conversion.script.replace('"alpha": 0.5', '"alpha": 0.7'))
    assert broken.script != conversion.script

    verdict = check_equivalence(training, broken, python=sys.executable, timeout=120)

    assert not verdict.equivalent
    assert any(line.startswith("value metrics['mse']") for line in verdict.differences), verdict.format()
    assert verdict.format().startswith("not equivalent")


def _notebook(folder: pathlib.Path, *sources: str) -> pathlib.Path:
    cells = [{"cell_type": "code", "metadata": {}, "execution_count": None, "outputs": [], "source": s} for s in sources]
    path = folder / "small.ipynb"
    path.write_text(json.dumps({"nbformat": 4, "nbformat_minor": 4, "metadata": {}, "cells": cells}), encoding="utf-8")
    return path


def test_a_notebook_that_fails_by_itself_is_bad_input(tmp_path: pathlib.Path):
    notebook = _notebook(tmp_path, "x = 1", "y = x / 0")

    outcome = CliRunner().invoke(main, ["verify", str(notebook)])

    assert outcome.exit_code == 2
    assert "cell 2: ZeroDivisionError" in outcome.output


def test_a_script_that_writes_another_file_is_reported(tmp_path: pathlib.Path):
    notebook = _notebook(tmp_path, "total = sum(range(5))\nopen('out.txt', 'w').write(str(total))")
    conversion = convert_for_verify(notebook, {})
    renamed = dataclasses.replace(conversion, script=conversion.script.replace("'out.txt'", "'other.txt'"))

    verdict = check_equivalence(notebook, renamed, python=sys.executable, timeout=60)

    assert "file out.txt: written by the notebook only" in verdict.differences
    assert "file other.txt: written by the script only" in verdict.differences


def test_verify_says_it_executes_code():
    outcome = CliRunner().invoke(main, ["verify", "--help"])
    assert "EXECUTES" in outcome.output


class Plain:
    def __init__(self, value):
        self.value = value


@pytest.mark.parametrize(
    "expected, actual, same",
    [
        (0.1 + 0.2, 0.3, True),
        (1.0, 1.001, False),
        (float("nan"), float("nan"), True),
        ({"a": [1, 2.0]}, {"a": [1, 2.0]}, True),
        ({"a": [1, 2.0]}, {"a": [1, 2.5]}, False),
        ({"a": 1}, {"b": 1}, False),
        ((1, 2), [1, 2], False),
        (Plain(1.0), Plain(1.0), True),
        (Plain(1.0), Plain(2.0), False),
        ("text", "text", True),
    ],
)
def test_differences_by_type(expected, actual, same):
    assert (checks.differences(expected, actual) == []) is same


def test_arrays_and_frames_compare_with_tolerance():
    numpy = pytest.importorskip("numpy")
    pandas = pytest.importorskip("pandas")
    array = numpy.linspace(0, 1, 5)
    frame = pandas.DataFrame({"x": array})

    assert checks.differences(array, array + 1e-12) == []
    assert checks.differences(array, array + 1e-3)
    assert checks.differences(array, array[:4])
    assert checks.differences(frame, frame.copy()) == []
    assert checks.differences(frame, frame * 2)
