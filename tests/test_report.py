"""The Markdown review built from a conversion's plan, changes and findings."""
import json
from pathlib import Path

import pytest

from support import notebook_text

from nbrefactor.pipeline import refactor
from nbrefactor.report import notebook_review, review

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "diabetes" / "diabetes_training.ipynb"


def code(source):
    return ("code", source)


def markdown(source):
    return ("markdown", source)


@pytest.fixture(scope="module")
def synthetic():
    """A notebook with a magic, a rewritten magic, a removal holding a `|`, a lifted setting and a typo."""
    text = notebook_text(
        code("%matplotlib inline\nimport pandas as pd"),
        markdown("# Load"),
        code("%cd data\ndf = pd.read_csv('a.csv')\ndf[df.a | df.b].head()"),
        markdown("## Count Rows by Flag"),
        code('limits = {"low": 3}\nflags = df[df.a > limits["low"]]\ncount = len(flags) + limt'),
        markdown("## Save"),
        code("pd.Series([count]).to_csv('out.csv')"),
    )
    return notebook_review("flags.ipynb", refactor(text, path="flags.ipynb"))


def section(report, title):
    """The lines under `### title`, up to the next heading."""
    part = report.split(f"### {title}\n\n", 1)[1]
    return part.split("\n### ", 1)[0].split("\n## ", 1)[0].strip().splitlines()


def test_the_title_names_the_notebook_and_its_outputs(synthetic):
    assert synthetic.startswith("## nbrefactor: `flags.ipynb` -> `flags.py`, `test_flags.py`\n")


def test_cells_map_to_functions_with_their_signatures(synthetic):
    assert section(synthetic, "Cells and functions") == [
        "| Cells | Section | Becomes |",
        "| --- | --- | --- |",
        "| 1 |  | imports at module level |",
        "| 2 | Load | inline in `main()` |",
        "| 3 | Count Rows by Flag | `compute_count_rows(df, limits) -> count` |",
        "| 4 | Save | `save(count) -> None` |",
    ]


def test_lifted_settings_show_their_code_and_who_receives_them(synthetic):
    assert section(synthetic, "Lifted settings") == [
        "`compute_count_rows` receives `limits` from `main()`:",
        "",
        "```python",
        'limits = {"low": 3}',
        "```",
    ]


def test_removed_statements_name_their_rule_and_keep_tables_intact(synthetic):
    assert section(synthetic, "Removed statements")[2:] == ["| 2:3 | `df[df.a \\| df.b].head()` | exploratory: display |"]


def test_magics_show_what_replaced_them(synthetic):
    assert section(synthetic, "Magics rewritten")[2:] == [
        "| 1:1 | `%matplotlib inline` | (removed) | %matplotlib configures IPython's plotting backend; dropped |",
        "| 2:1 | `%cd data` | `change_dir('data')` | %cd: working folder changed and printed |",
    ]


def test_findings_are_listed_with_their_location(synthetic):
    assert section(synthetic, "Findings") == ["- `flags.ipynb:cell_3:3:22`: undefined name 'limt'"]


def test_empty_parts_say_none():
    report = notebook_review("plain.ipynb", refactor(notebook_text(code("import json\nprint(json.dumps({}))")), path="plain.ipynb"))

    assert section(report, "Removed statements") == ["None."]
    assert section(report, "Magics rewritten") == ["None."]
    assert section(report, "Findings") == ["None."]


def test_code_with_backticks_gets_a_longer_fence():
    text = notebook_text(code("name = 'a`b'\nname.upper()"))

    report = notebook_review("ticks.ipynb", refactor(text, path="ticks.ipynb"))

    assert "| 1:2 | `name.upper()` | exploratory: display |" in report
    assert section(report, "Lifted settings") == ["None."]


def test_the_review_of_the_example_matches_the_tutorial():
    result = refactor(EXAMPLE.read_text(encoding="utf-8"), path=str(EXAMPLE))

    report = review([("diabetes_training.ipynb", result)])

    assert "| 6, 7 | Train Model on Training Set | `train_model(data, args) -> reg_model` |" in report
    assert "| 8 | Validate Model on Validation Set | `get_model_metrics(data, reg_model) -> metrics` |" in report
    assert "| 3 |  | removed (see below) |" in report
    assert '```python\n# experiment parameters\nargs = {\n    "alpha": 0.5\n}\n```' in report


def test_several_notebooks_follow_each_other():
    first = refactor(notebook_text(code("a = 1")), path="one.ipynb")
    second = refactor(notebook_text(code("b = 2")), path="two.ipynb")

    report = review([("one.ipynb", first), ("two.ipynb", second)])

    titles = [line for line in report.splitlines() if line.startswith("## ")]
    assert titles == ["## nbrefactor: `one.ipynb` -> `one.py`, `test_one.py`", "## nbrefactor: `two.ipynb` -> `two.py`, `test_two.py`"]


def test_what_pip_install_lines_asked_for_is_listed_as_requirements():
    text = notebook_text(("code", "!pip install -q 'xgboost>=2' pandas\n%pip install scipy==1.11\nx = 1"))
    review_text = notebook_review("nb.ipynb", refactor(text, path="nb.ipynb"))

    listed = review_text.split("### Requirements\n\n", 1)[1].split("\n\n", 1)[0]
    assert listed.splitlines() == ["- `xgboost>=2`", "- `pandas`", "- `scipy==1.11`"]


def test_a_notebook_without_installs_has_no_requirements_part():
    assert "### Requirements" not in notebook_review("nb.ipynb", refactor(notebook_text(("code", "x = 1")), path="nb.ipynb"))
