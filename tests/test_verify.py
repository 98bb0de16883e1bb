"""`nbrefactor verify`: the examples are equivalent to their conversions, a broken conversion is caught,
and the type-aware comparison it relies on tells equal values from different ones."""
from __future__ import annotations

import dataclasses
import pathlib
import shutil
import sys

import pytest
from click.testing import CliRunner

from conftest import EXAMPLES
from nbrefactor import checks
from nbrefactor.cli import main
from nbrefactor.verify import check_equivalence, convert_for_verify, verify_notebook
from support import notebook_text

DIABETES = EXAMPLES / "diabetes"


@pytest.fixture
def training(tmp_path: pathlib.Path) -> pathlib.Path:
    shutil.copy(DIABETES / "diabetes_training.ipynb", tmp_path)
    return tmp_path / "diabetes_training.ipynb"


@pytest.mark.slow  # runs the notebook and the script in child processes
def test_the_training_example_is_equivalent(training):
    verdict = verify_notebook(training, python=sys.executable, timeout=120)

    assert verdict.equivalent, verdict.format()
    assert {"df", "data", "reg_model", "metrics"} <= set(verdict.compared)
    assert verdict.files == ("sklearn_regression_model.pkl",)
    assert verdict.format().startswith(f"equivalent: {len(verdict.compared)} values, 1 file compared")


@pytest.mark.slow  # runs the notebook and the script in child processes
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


@pytest.mark.slow  # runs the notebook and the script in child processes
def test_a_broken_conversion_is_caught(training):
    conversion = convert_for_verify(training, {})
    broken = dataclasses.replace(conversion, script=conversion.script.replace('"alpha": 0.5', '"alpha": 0.7'))
    assert broken.script != conversion.script

    verdict = check_equivalence(training, broken, python=sys.executable, timeout=120)

    assert not verdict.equivalent
    assert any(line.startswith("value metrics['mse']") for line in verdict.differences), verdict.format()
    assert verdict.format().startswith("not equivalent")


def _notebook(folder: pathlib.Path, *sources: str) -> pathlib.Path:
    path = folder / "small.ipynb"
    path.write_text(notebook_text(*(("code", source) for source in sources)), encoding="utf-8")
    return path


@pytest.mark.slow  # runs the notebook and the script in child processes
def test_a_notebook_that_fails_by_itself_is_bad_input(tmp_path: pathlib.Path):
    notebook = _notebook(tmp_path, "x = 1", "y = x / 0")

    outcome = CliRunner().invoke(main, ["verify", str(notebook)])

    assert outcome.exit_code == 2
    assert "cell 2: ZeroDivisionError" in outcome.output


@pytest.mark.slow  # runs the notebook and the script in child processes
def test_a_script_that_writes_another_file_is_reported(tmp_path: pathlib.Path):
    notebook = _notebook(tmp_path, "total = sum(range(5))\nopen('out.txt', 'w').write(str(total))")
    conversion = convert_for_verify(notebook, {})
    renamed = dataclasses.replace(conversion, script=conversion.script.replace("'out.txt'", "'other.txt'"))

    verdict = check_equivalence(notebook, renamed, python=sys.executable, timeout=60)

    assert "file out.txt: written by the notebook only" in verdict.differences
    assert "file other.txt: written by the script only" in verdict.differences


def _sections(folder: pathlib.Path, cells) -> pathlib.Path:
    path = folder / "sections.ipynb"
    path.write_text(notebook_text(*cells), encoding="utf-8")
    return path


# `scaled` is bound last inside summarise_scaled_values, which does not return it: main() holds the
# earlier value. `noise` (and the file it is written to) changes from run to run of the notebook itself.
SECTIONS = [
    ("code", "import random"),
    ("markdown", "# Scale values"),
    ("code", "values = [1, 2, 3]\nscaled = [v * 3 for v in values]"),
    ("markdown", "# Summarise scaled values"),
    ("code", "scaled = [v * 10 for v in scaled]\nreport = {'total': sum(scaled)}"),
    ("markdown", "# Add noise"),
    ("code", "noise = random.random()\nopen('noise.txt', 'w').write(str(noise))\nlabel = f\"total {report['total']}\""),
]


@pytest.mark.slow  # runs the notebook and the script in child processes
def test_a_name_bound_last_inside_a_function_is_compared_with_that_functions_value(tmp_path: pathlib.Path):
    conversion = convert_for_verify(_sections(tmp_path, SECTIONS), {})
    assert ("scaled", "summarise_scaled_values") in conversion.owners

    verdict = check_equivalence(tmp_path / "sections.ipynb", conversion, python=sys.executable, timeout=60)

    assert verdict.equivalent, verdict.format()
    assert "scaled" in verdict.compared


@pytest.mark.slow  # runs the notebook and the script in child processes
def test_a_change_inside_a_function_to_a_value_it_keeps_is_caught(tmp_path: pathlib.Path):
    conversion = convert_for_verify(_sections(tmp_path, SECTIONS), {})
    broken = dataclasses.replace(conversion, script=conversion.script.replace("v * 10", "v * 11"))
    assert broken.script != conversion.script

    verdict = check_equivalence(tmp_path / "sections.ipynb", broken, python=sys.executable, timeout=60)

    assert any(line.startswith("value scaled[0]: 33 instead of 30") for line in verdict.differences), verdict.format()


@pytest.mark.slow  # runs the notebook and the script in child processes
def test_values_and_files_that_differ_between_runs_of_the_notebook_are_not_compared(tmp_path: pathlib.Path):
    verdict = verify_notebook(_sections(tmp_path, SECTIONS), python=sys.executable, timeout=60)

    assert verdict.equivalent, verdict.format()
    assert "noise" not in verdict.compared
    assert "noise: not compared: differs between runs of the notebook itself" in verdict.notes
    assert "noise.txt: not compared: written differently by two runs of the notebook itself" in verdict.notes
    assert {"values", "report", "label"} <= set(verdict.compared)


def test_verify_says_it_executes_code():
    outcome = CliRunner().invoke(main, ["verify", "--help"])
    assert "EXECUTES" in outcome.output


class Plain:
    def __init__(self, value):
        self.value = value


class Fitted:
    """Like a statsmodels result: public values, and a private cache filled when a summary is shown."""

    def __init__(self, value, cache=()):
        self.value = value
        self._cache = dict(cache)

    def describe(self):
        return f"value {self.value}"


class Wrapper:
    """Like a statsmodels results wrapper: everything it holds is private."""

    def __init__(self, inner):
        self._results = inner


Line = type("Line2D", (), {"__module__": "matplotlib.lines", "__init__": lambda self, x: setattr(self, "x", x)})


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
        (Fitted(1.0), Fitted(1.0, cache={"summary": "table"}), True),
        (Fitted(1.0), Fitted(2.0, cache={"summary": "table"}), False),
        (Wrapper(Fitted(1.0)), Wrapper(Fitted(1.0, cache={"summary": "table"})), True),
        (Wrapper(Fitted(1.0)), Wrapper(Fitted(3.0)), False),
        ([Line(1), 2], [Line(5), 2], True),
        ({"lines": (Line(1),), "n": 1}, {"lines": (Line(5),), "n": 2}, False),
        (Fitted(1.0).describe, Fitted(1.0).describe, True),
        ({"f": Fitted(1.0).describe}, {"f": Plain(1.0).__init__}, False),
        ([len, [].append], [len, [].append], True),
        ([len], [sum], False),
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


def test_index_subclasses_compare_by_values_not_by_their_caches():
    pandas = pytest.importorskip("pandas")
    dates = pandas.date_range("2000-01-01", periods=4, freq="D")
    displayed = pandas.date_range("2000-01-01", periods=4, freq="D")
    displayed._cache["shown"] = True  # what a display of the index may leave behind

    assert checks.differences(dates, displayed) == []
    assert checks.differences(dates, pandas.date_range("2000-01-02", periods=4, freq="D"))
