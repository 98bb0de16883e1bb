"""The generated test module: the values testgen computes (stubs, types, input files, packages) and,
run with pytest in temporary folders, what the generated tests do."""
from __future__ import annotations

import dataclasses
import json
import pathlib
import subprocess
import sys
import re

import pytest
from hypothesis import given, settings, strategies as st

from nbrefactor import refactor, testgen
from nbrefactor.magics import normalise_all
from nbrefactor.reader import read_notebook
from nbrefactor.config import Settings
from nbrefactor.render import render_template, template_environment
from support import notebook_text, write_outputs

FRAME, SERIES, ARRAY = "pandas.DataFrame", "pandas.Series", "numpy.ndarray"


def notebook_with_outputs(*cells) -> str:
    """Notebook JSON from ("md", source) and ("code", source[, outputs]) tuples."""
    built = []
    for cell in cells:
        if cell[0] == "md":
            built.append({"cell_type": "markdown", "metadata": {}, "source": cell[1]})
        else:
            outputs = list(cell[2]) if len(cell) > 2 else []
            built.append({"cell_type": "code", "metadata": {}, "source": cell[1], "outputs": outputs, "execution_count": 1})
    return json.dumps({"cells": built, "metadata": {}, "nbformat": 4, "nbformat_minor": 4})


def shown(plain: str = "", html: str = "") -> dict:
    data = {"text/plain": plain, **({"text/html": html} if html else {})}
    return {"output_type": "execute_result", "execution_count": 1, "metadata": {}, "data": data}


def printed(text: str) -> dict:
    return {"output_type": "stream", "name": "stdout", "text": text}


def normalised_cells(text: str):
    return normalise_all(read_notebook(text, "nb.ipynb").code_cells)


def generated(text: str, label: str = "nb.ipynb", name: str = "nb"):
    """(plan, {file name: text}) for a notebook: the script as converted, and its test module rendered
    from testgen's values with the notebook's text."""
    result = refactor(text, path=label, settings=Settings(name=name))
    values = testgen.test_values(result.plan, name, cells=normalised_cells(text), source_label=label)
    tests = render_template(template_environment(None), "test_script.py.j2", **values)
    return result.plan, {f"{name}.py": result.outputs[f"{name}.py"], f"test_{name}.py": tests}


def stubs(text: str, name: str = "nb") -> dict:
    result = refactor(text, path="nb.ipynb", settings=Settings(name=name))
    values = testgen.test_values(result.plan, name, cells=normalised_cells(text))
    return {stub["name"]: stub for stub in values["tests"]}


# --- types seen in the notebook -----------------------------------------------------------------------

IMPORTS = ("code", "%matplotlib inline\nimport numpy as np\nimport pandas as pd\nfrom sklearn.linear_model import Ridge")
TYPE_CASES = [
    ("read_csv gives a frame", [("code", "df = pd.read_csv('x.csv')")], {"df": (FRAME, "bound in code cell 2")}),
    ("a column is a series", [("code", "df = pd.DataFrame({'a': [1]})\ncol = df['a']")], {"col": (SERIES, "bound in code cell 2")}),
    ("a list of columns is a frame", [("code", "df = pd.DataFrame()\nsub = df[['a']]")], {"sub": (FRAME, "bound in code cell 2")}),
    ("values of a frame are an array", [("code", "df = pd.DataFrame()\nx = df.values")], {"x": (ARRAY, "bound in code cell 2")}),
    ("to_numpy of a series", [("code", "s = pd.Series([1])\nx = s.to_numpy()")], {"x": (ARRAY, "bound in code cell 2")}),
    ("dropna keeps the frame", [("code", "df = pd.read_csv('x.csv')\nclean = df.dropna()")], {"clean": (FRAME, "bound in code cell 2")}),
    ("numpy constructors", [("code", "a = np.zeros(3)")], {"a": (ARRAY, "bound in code cell 2")}),
    ("a class call is an instance", [("code", "model = Ridge(alpha=0.5)")], {"model": ("sklearn.linear_model.Ridge", "bound in code cell 2")}),
    ("literals", [("code", "d = {'a': 1}\nn = 3\nf = 0.5\ns = f'{n}'\nitems = [i for i in range(3)]")],
     {"d": ("dict", "bound in code cell 2"), "n": ("int", "bound in code cell 2"), "f": ("float", "bound in code cell 2"),
      "s": ("str", "bound in code cell 2"), "items": ("list", "bound in code cell 2")}),
    ("a displayed frame", [("code", "t = make()\nt", [shown("   a\n0  1", '<table border="1" class="dataframe">')])], {"t": (FRAME, "shown in code cell 2")}),
    ("head shows the frame's type", [("code", "t = make()\nt.head()", [shown("x", '<table class="dataframe">')])], {"t": (FRAME, "shown in code cell 2")}),
    ("a series by its footer", [("code", "t = make()\nt", [shown("0    1\n1    2\nName: a, dtype: int64")])], {"t": (SERIES, "shown in code cell 2")}),
    ("an array by its repr", [("code", "t = make()\nt", [shown("array([1, 2])")])], {"t": (ARRAY, "shown in code cell 2")}),
    ("a dict holding numpy scalars", [("code", "t = make()\nt", [shown("{'mse': np.float64(3.5)}")])], {"t": ("dict", "shown in code cell 2")}),
    ("a numpy scalar", [("code", "t = make()\nt", [shown("np.float64(3.5)")])], {"t": ("numpy.float64", "shown in code cell 2")}),
    ("type() output", [("code", "t = make()\ntype(t)", [shown("pandas.core.series.Series")])], {"t": (SERIES, "shown in code cell 2")}),
    ("info() prints the class", [("code", "t = make()\nt.info()", [printed("<class 'pandas.core.frame.DataFrame'>\nRangeIndex: 3")])], {"t": (FRAME, "shown in code cell 2")}),
    ("print(type()) of a private class", [("code", "t = make()\nprint(type(t))", [printed("<class 'sklearn.linear_model._ridge.Ridge'>\n")])],
     {"t": ("sklearn.linear_model.Ridge", "shown in code cell 2")}),
    ("bound twice with two types", [("code", "v = 1\nv = 'a'")], {"v": None}),
    ("bound once where the type is unknown", [("code", "v = pd.DataFrame()\nv = make(v)")], {"v": None}),
    ("shown with a type other than bound", [("code", "v = np.zeros(2)\nv", [shown("[0.0, 0.0]")])], {"v": None}),
    ("loop targets and tuple targets are unknown", [("code", "for i in range(2):\n    pass\na, b = 1, 2")], {"i": None, "a": None, "b": None}),
    ("names inside functions are not the notebook's", [("code", "def f():\n    inner = 1\n    return inner")], {"inner": None, "f": None}),
    ("augmented assignment keeps the type", [("code", "total = 0\ntotal += 2")], {"total": ("int", "bound in code cell 2")}),
    ("a cell that does not parse is skipped", [("code", "x = (\n"), ("code", "y = 2")], {"y": ("int", "bound in code cell 3")}),
]


@pytest.mark.parametrize("cells, expected", [case[1:] for case in TYPE_CASES], ids=[case[0] for case in TYPE_CASES])
def test_value_types(cells, expected):
    """The types of the names in `expected` (None: no type known)."""
    found = testgen.value_types(normalised_cells(notebook_with_outputs(IMPORTS, *cells)))
    assert {name: found.get(name) for name in expected} == expected


# --- packages, input files, folders ---------------------------------------------------------------------

PACKAGE_CASES = [
    ("import numpy as np, os\nx = np.ones(1) + len(os.sep)", ["numpy"]),
    ("from sklearn.linear_model import Ridge\nimport sklearn.metrics\nx = Ridge, sklearn.metrics", ["sklearn"]),
    ("import azureml.core\nx = azureml.core", ["azureml"]),
    ("from __future__ import annotations\nimport json\nx = json.dumps(1)", []),
]


@pytest.mark.parametrize("source, expected", PACKAGE_CASES)
def test_third_party_modules_are_top_level_packages(source, expected):
    plan = refactor(notebook_text(("code", source)), path="nb.ipynb").plan
    assert testgen.third_party_modules(plan) == expected


INPUT_CASES = [
    ("a literal read by pandas", "import pandas as pd\ndf = pd.read_csv('data/train.csv')\nprint(df)", ["data/train.csv"]),
    ("a joined path through a constant", "import os\nimport pandas as pd\nDATA = 'data'\ndf = pd.read_csv(os.path.join(DATA, 'x.csv'))\nprint(df)", ["data/x.csv"]),
    ("a pathlib path read as text", "from pathlib import Path\ntext = (Path('data') / 'x.json').read_text()\nprint(text)", ["data/x.json"]),
    ("open for reading, not for writing", "text = open('notes.txt').read()\nopen('out.txt', 'w').write(text)\nprint(text)", ["notes.txt"]),
    ("open with a read mode keyword", "with open('model.pkl', mode='rb') as handle:\n    data = handle.read()\nprint(data)", ["model.pkl"]),
    ("a file the script writes first is no input", "import pandas as pd\npd.DataFrame().to_csv('out.csv')\ndf = pd.read_csv('out.csv')\nprint(df)", []),
    ("urls and data set names are no files", "import pandas as pd\nimport seaborn as sns\ndf = pd.read_csv('https://example.com/x.csv')\ntips = sns.load_dataset('tips')\nprint(df, tips)", []),
    ("a query is no file", "import pandas as pd\ndf = pd.read_sql('SELECT a/b FROM t', 'sqlite://')\nprint(df)", []),
    ("a folder and a name with spaces", "import pandas as pd\na = pd.read_parquet('data/parts/')\nb = pd.read_excel('My Book.xlsx')\nprint(a, b)", ["data/parts/", "My Book.xlsx"]),
    ("a name bound twice is not followed", "import pandas as pd\npath = 'a.csv'\npath = 'b.csv'\ndf = pd.read_csv(path)\nprint(df)", []),
    ("a parameter inside a function is not the notebook's name", "import pandas as pd\npath = 'a.csv'\ndef load(path):\n    return pd.read_csv(path)\ndf = load('b.csv')\nprint(df)", []),
    ("numpy.save adds its suffix", "import numpy as np\nnp.save('arr', np.zeros(2))\nnp.savez('arrs', a=np.zeros(1))\nx = np.load('arr.npy')\ny = np.load('arrs.npz')\nprint(x, y)", []),
    ("a literal inside a notebook function", "import joblib\ndef load():\n    return joblib.load('models/m.joblib')\nmodel = load()\nprint(model)", ["models/m.joblib"]),
]


@pytest.mark.parametrize("source, expected", [case[1:] for case in INPUT_CASES], ids=[case[0] for case in INPUT_CASES])
def test_input_files(source, expected):
    plan = refactor(notebook_text(("md", "## Work"), ("code", source)), path="nb.ipynb").plan
    assert testgen.input_files(plan) == expected


@pytest.mark.parametrize("label, folder", [("nb.ipynb", "'.'"), ("../notebooks/nb.ipynb", "'../notebooks'"), ("sub/nb.ipynb", "'sub'")])
def test_notebook_folder_is_seen_from_the_tests_folder(label, folder):
    plan = refactor(notebook_text(("code", "x = 1")), path="nb.ipynb").plan
    assert testgen.test_values(plan, "nb", source_label=label)["notebook_folder"] == folder


def test_inputs_outside_the_notebook_folder_nest_the_copy_deep_enough():
    plan = refactor(notebook_text(("code", "a = open('../../data/x.txt').read()\nb = open('../y.txt').read()\nprint(a, b)")), path="nb.ipynb").plan
    values = testgen.test_values(plan, "nb")
    assert values["outside_inputs"] == repr(["../../data/x.txt", "../y.txt"])
    assert values["folders_above"] == repr(["above"])


def test_names_the_notebook_never_binds_are_the_failures_test_main_foresees():
    plan = refactor(notebook_text(("md", "## Save"), ("code", "import joblib\njoblib.dump(reg, 'm.pkl')")), path="nb.ipynb").plan
    values = testgen.test_values(plan, "nb", source_label="dir/nb.ipynb")
    assert values["expects_name_error"]
    assert eval(values["unbound"]) == [("reg", "dir/nb.ipynb:cell_1:2:13: NB101 undefined name 'reg'")]


# --- stubs ---------------------------------------------------------------------------------------------

PIPELINE = notebook_with_outputs(
    ("code", "import numpy as np\nimport pandas as pd"),
    ("md", "## Load Data"), ("code", 'df = pd.DataFrame({"a": [1.0, 2.0]})'),
    ("md", "## Add Column"), ("code", 'df["b"] = df["a"] * 2'),
    ("md", "## Pick Column"), ("code", 'column = df["b"]'),
    ("md", "## Make Array"), ("code", "values = column.to_numpy()"),
    ("md", "## Summarise"), ("code", 'summary = {"total": float(values.sum())}\nprint(summary)'),
)
COUNTING = notebook_with_outputs(
    ("md", "## Count"), ("code", "values = make()\nfor v in values:\n    print(v)\ntotal = sum(values)"),
    ("md", "## Use"), ("code", "half = total / 2\nprint(half)"),
)
STUB_CASES = [
    ("a frame result", PIPELINE, "load_data", {
        "imports": ["from pandas.testing import assert_frame_equal"],
        "arrange": ["expected_df = ...  # what load_data returns for these inputs (pandas.DataFrame)"],
        "call": "df = nb.load_data()",
        "asserts": ["assert_frame_equal(df, expected_df)"],
    }),
    ("a frame changed in place", PIPELINE, "add_column", {
        "arrange": ["df = ...  # pandas.DataFrame", "expected_df_after = ...  # what df holds after the call (pandas.DataFrame)"],
        "call": "nb.add_column(df)",
        "asserts": ["assert_frame_equal(df, expected_df_after)"],
    }),
    ("a series result", PIPELINE, "pick_column", {
        "imports": ["from pandas.testing import assert_series_equal"],
        "asserts": ["assert_series_equal(column, expected_column)"],
    }),
    ("an array result", PIPELINE, "make_array", {
        "imports": ["from numpy.testing import assert_allclose"],
        "arrange": ["column = ...  # pandas.Series", "expected_values = ...  # what make_array returns for these inputs (numpy.ndarray)"],
        "asserts": ["assert_allclose(values, expected_values)"],
    }),
    ("a dict result compares with ==", PIPELINE, "summarise", {
        "imports": [],
        "asserts": ["assert summary == expected_summary"],
        "reason": repr("stub: fill in values, expected_summary (each `...`), then remove this mark"),
    }),
    ("a function that prints", COUNTING, "compute_count", {
        "fixtures": "capsys",
        "arrange": ["expected_total = ...  # what compute_count returns for these inputs", "expected_output = ...  # the text it should print"],
        "asserts": ["assert total == expected_total", "assert capsys.readouterr().out == expected_output"],
    }),
]


@pytest.mark.parametrize("notebook, function, expected", [case[1:] for case in STUB_CASES], ids=[case[0] for case in STUB_CASES])
def test_stub(notebook, function, expected):
    stub = stubs(notebook)[function]
    assert {key: stub[key] for key in expected} == expected


def test_stub_states_the_contract_with_where_each_type_was_seen():
    contract = stubs(PIPELINE)["make_array"]["contract"]
    assert contract == [
        "Contract, as the notebook used it (section 'Make Array'):",
        "    make_array(column) -> values",
        "    column: pandas.Series (bound in code cell 4)",
        "    returns values: numpy.ndarray (bound in code cell 5)",
    ]


def test_types_from_outputs_reach_the_stub():
    notebook = notebook_with_outputs(
        ("md", "## Load"), ("code", "rows = fetch()\nrows", [shown("   a\n0  1", '<table class="dataframe">')]),
        ("md", "## Count Rows"), ("code", "n_rows = len(rows)\nprint(n_rows)"),
    )
    contracts = [line for stub in stubs(notebook).values() for line in stub["contract"]]
    assert "    returns rows: pandas.DataFrame (shown in code cell 1)" in contracts
    assert "    rows: pandas.DataFrame (shown in code cell 1)" in contracts


def test_a_scoring_run_stub_loads_the_model_first_and_init_sets_the_global():
    notebook = notebook_text(
        ("code", "import joblib"), ("md", "## Load Model"), ("code", "model = joblib.load('model.pkl')"),
        ("md", "## Score"), ("code", "data = [[1.0]]\nresult = model.predict(data)\nprint(result)"),
    )
    found = stubs(notebook, name="score")
    assert found["run"]["arrange"][0] == "score.init()  # run() scores with what init() loads"
    assert found["init"]["asserts"] == ["assert score.model == expected_model"]


def test_the_script_is_imported_under_another_name_when_a_test_name_would_shadow_it():
    notebook = notebook_text(("md", "## Make"), ("code", "frame = [1]"), ("md", "## Use"), ("code", "n = len(frame)\nprint(n)"))
    _, files = generated(notebook, name="frame")
    assert "import frame as frame_script" in files["test_frame.py"]
    assert "n = frame_script.use_n(frame)" in files["test_frame.py"]


BASE_PLAN = refactor(notebook_text(("md", "## First"), ("code", "x = [1]\nprint(x)"), ("md", "## Next"), ("code", "y = len(x)\nprint(y)")),
                     path="nb.ipynb", settings=Settings(name="nb")).plan


@settings(max_examples=60, deadline=None)
@given(heading=st.text(max_size=30), label=st.text(min_size=1, max_size=30), source=st.text(max_size=30))
def test_generated_tests_compile_for_any_heading_and_path(heading, label, source):
    steps = tuple(dataclasses.replace(step, heading=heading) for step in BASE_PLAN.steps)
    plan = dataclasses.replace(BASE_PLAN, steps=steps, source=source)
    values = testgen.test_values(plan, "nb", source_label=label)
    compile(render_template(template_environment(None), "test_script.py.j2", **values), "test_nb.py", "exec")


# --- the generated tests, run ----------------------------------------------------------------------------


def run_pytest(folder: pathlib.Path) -> subprocess.CompletedProcess:
    """pytest on a folder, reporting every outcome but passes."""
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-rfEsxX", "-p", "no:cacheprovider", str(folder)],
        cwd=folder, capture_output=True, text=True,
    )


def run_generated(folder: pathlib.Path, files: dict) -> subprocess.CompletedProcess:
    folder.mkdir(parents=True, exist_ok=True)
    write_outputs(files, folder)
    return run_pytest(folder)


def outcome(completed) -> str:
    return completed.stdout + completed.stderr


@pytest.mark.slow
def test_a_broken_import_fails_the_test_module(tmp_path):
    notebook = notebook_text(("code", "from json import not_a_function"), ("md", "## Use"), ("code", "value = not_a_function\nprint(value)"))
    completed = run_generated(tmp_path, generated(notebook)[1])
    assert completed.returncode != 0, outcome(completed)
    assert "ImportError" in completed.stdout
    assert "skipped" not in completed.stdout


@pytest.mark.slow
def test_a_missing_third_party_package_skips_the_module_naming_it(tmp_path):
    notebook = notebook_text(("code", "import nbrefactor_absent_package as absent"), ("md", "## Use"), ("code", "value = absent.x\nprint(value)"))
    completed = run_generated(tmp_path, generated(notebook)[1])
    assert completed.returncode in (pytest.ExitCode.OK, pytest.ExitCode.NO_TESTS_COLLECTED), outcome(completed)
    assert "nb.py needs nbrefactor_absent_package, which is not installed" in completed.stdout
    assert re.search(r"\b1 skipped", completed.stdout), completed.stdout


READER = notebook_text(
    ("md", "## Read"), ("code", "text = open('data/input.txt').read()\nlength = len(text)"),
    ("md", "## Write"), ("code", "with open('out.txt', 'w') as handle:\n    handle.write(str(length))"),
)


@pytest.mark.slow
def test_main_skips_naming_a_missing_input_and_runs_in_a_copy_once_it_exists(tmp_path):
    _, files = generated(READER)
    completed = run_generated(tmp_path, files)
    assert completed.returncode == 0, outcome(completed)
    assert "SKIPPED" in completed.stdout and "nb.py reads data/input.txt, which is not in" in completed.stdout

    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "input.txt").write_text("four")
    completed = run_pytest(tmp_path)
    assert completed.returncode == 0, outcome(completed)
    assert re.search(r"\b2 passed", completed.stdout), completed.stdout
    assert not (tmp_path / "out.txt").exists(), "test_main wrote into the notebook's folder"


@pytest.mark.slow
def test_main_fails_when_the_script_fails(tmp_path):
    notebook = notebook_text(("md", "## Divide"), ("code", "numbers = [1, 0]\nratio = numbers[0] / numbers[1]\nprint(ratio)"))
    completed = run_generated(tmp_path, generated(notebook)[1])
    assert completed.returncode == 1, outcome(completed)
    assert "FAILED" in completed.stdout and "test_main" in completed.stdout and "ZeroDivisionError" in completed.stdout


@pytest.mark.slow
def test_main_finds_inputs_above_the_notebook_folder(tmp_path):
    notebook = notebook_text(("md", "## Read"), ("code", "text = open('../data/input.txt').read()\nprint(len(text))"))
    _, files = generated(notebook, label="nb.ipynb")
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "input.txt").write_text("four")
    completed = run_generated(tmp_path / "notebooks", files)
    assert completed.returncode == 0, outcome(completed)
    assert re.search(r"\b2 passed", completed.stdout), completed.stdout


@pytest.mark.slow
def test_main_is_an_expected_failure_where_the_notebook_reads_a_name_no_cell_binds(tmp_path):
    notebook = notebook_text(("md", "## Report"), ("code", "total = 3\nprint(totl)"))
    completed = run_generated(tmp_path, generated(notebook)[1])
    assert completed.returncode == 0, outcome(completed)
    assert "XFAIL" in completed.stdout and "NB101 undefined name 'totl'" in completed.stdout


def filled_in(test_text: str, function: str, values: dict) -> str:
    """The generated module plus a copy of `function`'s stub, unskipped, with its `...` replaced."""
    start = test_text.index(f"def test_{function}(")
    end = test_text.find("\n\n\n", start)
    stub = test_text[start:] if end == -1 else test_text[start:end]
    for name, value in values.items():
        stub = re.sub(rf"^(\s+{name}) = \.\.\.", rf"\1 = {value}", stub, flags=re.M)
    assert "= ..." not in stub, stub
    stub = stub.replace(f"def test_{function}(", f"def test_{function}_filled(", 1)
    return test_text + "\n\nimport pandas as pd  # noqa: E402\n\n\n" + stub + "\n"


@pytest.mark.slow
@pytest.mark.parametrize("b, passes", [(2.0, True), (3.0, False)])
def test_a_filled_in_stub_compares_frames_with_pandas_testing(tmp_path, b, passes):
    _, files = generated(PIPELINE)
    values = {"df": "pd.DataFrame({'a': [1.0]})", "expected_df_after": f"pd.DataFrame({{'a': [1.0], 'b': [{b}]}})"}
    files["test_nb.py"] = filled_in(files["test_nb.py"], "add_column", values)
    completed = run_generated(tmp_path, files)
    assert (completed.returncode == 0) is passes, outcome(completed)
    assert ("FAILED" in completed.stdout and "test_add_column_filled" in completed.stdout) is not passes
