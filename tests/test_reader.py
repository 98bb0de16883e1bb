"""The reader: nbformat 4 read with `json` and checked by nbrefactor's own table, older versions upgraded.

Bad notebooks give a NotebookError whose message is one short line naming the cell by its position;
notebooks nbformat accepts read to the Notebook nbformat's reading gives (the reader used nbformat
before), on the repository's notebooks and on generated ones.
"""
from __future__ import annotations

import copy
import json
import sys
import warnings
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nbrefactor.cli import main
from nbrefactor.model import Cell, Notebook, NotebookError
from nbrefactor.reader import read_notebook

ROOT = Path(__file__).resolve().parent.parent
REPOSITORY_NOTEBOOKS = sorted((ROOT / "examples").rglob("*.ipynb")) + sorted((ROOT / "tests" / "cases").rglob("*.ipynb"))
PYTHON = {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}}


def valid() -> dict:
    """A small nbformat 4.5 notebook: a heading, a tagged code cell with a split source, a raw cell."""
    return {
        "nbformat": 4,
        "nbformat_minor": 5,
        "metadata": copy.deepcopy(PYTHON),
        "cells": [
            {"cell_type": "markdown", "id": "a", "metadata": {}, "source": "# Load"},
            {"cell_type": "code", "id": "b", "metadata": {"tags": ["keep"]}, "source": ["x = 1\n", "y = x"], "outputs": [], "execution_count": 3},
            {"cell_type": "raw", "id": "c", "metadata": {}, "source": "raw text"},
        ],
    }


def text_of(change) -> str:
    notebook = valid()
    change(notebook)
    return json.dumps(notebook)


def top(**fields):
    return lambda notebook: notebook.update(fields)


def cell(position: int, **fields):
    """Set fields of the cell at `position`, counted from 1 among all cells as the messages count."""
    return lambda notebook: notebook["cells"][position - 1].update(fields)


def without(*keys, position: int = 0):
    """Remove a top-level field, or a field of the cell at `position`."""

    def change(notebook):
        holder = notebook["cells"][position - 1] if position else notebook
        for key in keys:
            del holder[key]

    return change


def metadata(position: int = 0, **fields):
    """Set fields of the notebook's metadata, or of the metadata of the cell at `position`."""
    return lambda notebook: (notebook["cells"][position - 1] if position else notebook)["metadata"].update(fields)


# (id, notebook text, the message after "nb.ipynb: ")
BAD = [
    ("truncated", json.dumps(valid())[:60], "not valid JSON: Unterminated string starting at (line 1, column 51)"),
    ("a list", "[1, 2]", "not a Jupyter notebook: no 'nbformat' field"),
    ("no nbformat", text_of(without("nbformat")), "not a Jupyter notebook: no 'nbformat' field"),
    ("nesting deeper than Python reads", '{"nbformat": 4, "metadata": ' + "[" * 200_000 + "]" * 200_000 + "}", "cannot read the JSON: nested too deeply"),
    ("integer longer than Python reads", '{"nbformat": 4, "nbformat_minor": ' + "7" * 5000 + "}", "cannot read the JSON: a number longer than 4300 digits"),
    ("nbformat a string", text_of(top(nbformat="4")), "not a valid notebook: nbformat must be an integer, not the string '4'"),
    ("nbformat a float", text_of(top(nbformat=4.0)), "not a valid notebook: nbformat must be an integer, not the number 4.0"),
    ("nbformat true", text_of(top(nbformat=True)), "not a valid notebook: nbformat must be an integer, not true"),
    ("nbformat from the future", text_of(top(nbformat=5)), "not a valid notebook: unsupported nbformat version 5"),
    ("nbformat 0", text_of(top(nbformat=0)), "not a valid notebook: unsupported nbformat version 0"),
    ("nbformat_minor a string", text_of(top(nbformat_minor="4")), "not a valid notebook: nbformat_minor must be a non-negative integer, not the string '4'"),
    ("nbformat_minor negative", text_of(top(nbformat_minor=-1)), "not a valid notebook: nbformat_minor must be a non-negative integer, not the number -1"),
    ("no nbformat_minor", text_of(without("nbformat_minor")), "not a valid notebook: missing field 'nbformat_minor'"),
    ("no metadata", text_of(without("metadata")), "not a valid notebook: missing field 'metadata'"),
    ("metadata a list", text_of(top(metadata=[])), "not a valid notebook: metadata must be an object, not a list"),
    ("kernelspec null", text_of(metadata(kernelspec=None)), "not a valid notebook: metadata.kernelspec must be an object, not null"),
    ("kernel language a number", text_of(metadata(kernelspec={"name": "x", "display_name": "x", "language": 3})), "not a Python notebook: its kernel language is the number 3"),
    ("language_info name a list", text_of(metadata(language_info={"name": ["python"]})), "not a valid notebook: metadata.language_info.name must be a string, not a list"),
    ("no cells", text_of(without("cells")), "not a valid notebook: missing field 'cells'"),
    ("cells an object", text_of(top(cells={"0": {}})), "not a valid notebook: cells must be a list, not an object"),
    ("cells null", text_of(top(cells=None)), "not a valid notebook: cells must be a list, not null"),
    ("a cell that is a number", text_of(lambda notebook: notebook["cells"].append(12)), "not a valid notebook: cell 4: must be an object, not the number 12"),
    ("unknown cell_type", text_of(cell(2, cell_type="foo")), "not a valid notebook: cell 2: unknown cell_type 'foo'"),
    ("nbformat 3's heading cell in nbformat 4", text_of(cell(1, cell_type="heading")), "not a valid notebook: cell 1: unknown cell_type 'heading'"),
    ("cell_type a number", text_of(cell(3, cell_type=3)), "not a valid notebook: cell 3: cell_type must be a string, not the number 3"),
    ("no cell_type", text_of(without("cell_type", position=2)), "not a valid notebook: cell 2: missing field 'cell_type'"),
    ("no source", text_of(without("source", position=1)), "not a valid notebook: cell 1: missing field 'source'"),
    ("source a number", text_of(cell(2, source=3)), "not a valid notebook: cell 2: source must be a string or a list of strings, not the number 3"),
    ("source an object", text_of(cell(2, source={"not": "text"})), "not a valid notebook: cell 2: source must be a string or a list of strings, not an object"),
    ("source null", text_of(cell(1, source=None)), "not a valid notebook: cell 1: source must be a string or a list of strings, not null"),
    ("source lines with a number", text_of(cell(2, source=["x = 1\n", 2])), "not a valid notebook: cell 2: source must be a string or a list of strings, not a list holding the number 2"),
    ("no cell metadata", text_of(without("metadata", position=3)), "not a valid notebook: cell 3: missing field 'metadata'"),
    ("cell metadata a list", text_of(cell(2, metadata=[])), "not a valid notebook: cell 2: metadata must be an object, not a list"),
    ("tags a string", text_of(metadata(2, tags="keep")), "not a valid notebook: cell 2: metadata.tags must be a list of strings, not the string 'keep'"),
    ("tags with a number", text_of(metadata(1, tags=["ok", 1])), "not a valid notebook: cell 1: metadata.tags must be a list of strings, not a list holding the number 1"),
    ("tags with null", text_of(metadata(2, tags=[None])), "not a valid notebook: cell 2: metadata.tags must be a list of strings, not a list holding null"),
    ("execution_count a string", text_of(cell(2, execution_count="3")), "not a valid notebook: cell 2: execution_count must be a non-negative integer or null, not the string '3'"),
    ("execution_count negative", text_of(cell(2, execution_count=-1)), "not a valid notebook: cell 2: execution_count must be a non-negative integer or null, not the number -1"),
    ("execution_count true", text_of(cell(2, execution_count=True)), "not a valid notebook: cell 2: execution_count must be a non-negative integer or null, not true"),
    ("outputs an object", text_of(cell(2, outputs={})), "not a valid notebook: cell 2: outputs must be a list, not an object"),
    ("R kernel", text_of(metadata(kernelspec={"name": "ir", "display_name": "R", "language": "R"})), "not a Python notebook: its kernel language is 'R'"),
    ("Julia language_info", text_of(top(metadata={"language_info": {"name": "julia"}})), "not a Python notebook: its kernel language is 'julia'"),
    ("only markdown", text_of(lambda notebook: notebook["cells"].pop(1)), "no code cells: nothing to convert"),
    ("blank code", text_of(cell(2, source=["  \n", "\n"])), "no code cells: nothing to convert"),
]


@pytest.mark.parametrize("text, message", [pytest.param(text, message, id=name) for name, text, message in BAD])
def test_a_bad_notebook_raises_one_located_line(text, message):
    with pytest.raises(NotebookError) as raised:
        read_notebook(text, "nb.ipynb")

    assert str(raised.value) == f"nb.ipynb: {message}"


HUGE = 1_000_000
HUGE_VALUES = [
    ("cell_type", text_of(cell(2, cell_type="x" * HUGE)), "cell 2: unknown cell_type 'xxxxxxxxxxx"),
    ("tags", text_of(metadata(2, tags=["t"] * HUGE + [7])), "cell 2: metadata.tags must be a list of strings, not a list holding the number 7"),
    ("source", text_of(cell(2, source=["line\n"] * HUGE + [{"a": "b" * HUGE}])), "cell 2: source must be a string or a list of strings, not a list holding an object"),
    ("nbformat", text_of(top(nbformat="4" * HUGE)), "nbformat must be an integer, not the string '4444"),
    ("nbformat version", text_of(top(nbformat=int("9" * 4000))), "unsupported nbformat version 9999"),
    ("execution_count", text_of(cell(2, execution_count=-int("9" * 4000))), "cell 2: execution_count must be a non-negative integer or null, not the number -999"),
    ("kernel language", text_of(metadata(kernelspec={"name": "x", "display_name": "x", "language": "R" * HUGE})), "not a Python notebook: its kernel language is 'RRR"),
]


@pytest.mark.parametrize("text, start", [pytest.param(text, start, id=name) for name, text, start in HUGE_VALUES])
def test_a_huge_bad_value_gives_a_short_message(text, start):
    with pytest.raises(NotebookError) as raised:
        read_notebook(text, "nb.ipynb")

    message = str(raised.value)
    assert start in message
    assert len(message) < 150 and "\n" not in message


def cells_of(notebook: Notebook):
    """The cells' fields; by repr, so that a flag (True) where a number (1) belongs shows."""
    return [repr((c.index, c.number, c.kind, c.source, c.tags, c.execution_count)) for c in notebook.cells]


EXPECTED_CELLS = [(0, 0, "markdown", "# Load", (), None), (1, 1, "code", "x = 1\ny = x", ("keep",), 3), (2, 0, "raw", "raw text", (), None)]


def code_cell_as(tags=("keep",), execution_count=3):
    return [EXPECTED_CELLS[0], (1, 1, "code", "x = 1\ny = x", tags, execution_count), EXPECTED_CELLS[2]]


# Loose notebooks that convert, as (id, text, language, cells): what the reader does not check cannot
# change the script, so it is not refused, though nbformat's schema would refuse some of it.
ACCEPTED = [
    ("nbformat 4.5", text_of(lambda notebook: None), "python", EXPECTED_CELLS),
    ("a future minor version", text_of(top(nbformat_minor=9)), "python", EXPECTED_CELLS),
    ("cell ids before 4.5", text_of(top(nbformat_minor=4)), "python", EXPECTED_CELLS),
    ("4.5 cells without ids", text_of(lambda notebook: [c.pop("id") for c in notebook["cells"]]), "python", EXPECTED_CELLS),
    ("fields nbformat does not know", text_of(lambda notebook: (notebook.update(extra=1), notebook["cells"][0].update(extra=2))), "python", EXPECTED_CELLS),
    ("outputs nbformat does not know", text_of(cell(2, outputs=[{"output_type": "hologram"}])), "python", EXPECTED_CELLS),
    ("code cell without outputs or execution_count", text_of(without("outputs", "execution_count", position=2)), "python", code_cell_as(execution_count=None)),
    ("tags with commas, repeated or empty", text_of(metadata(2, tags=["a,b", "a,b", ""])), "python", code_cell_as(tags=("a,b", "a,b", ""))),
    ("kernelspec without a language", text_of(top(metadata={"kernelspec": {"name": "python3"}, "language_info": {"name": "python"}})), "python", EXPECTED_CELLS),
    ("no kernel information", text_of(top(metadata={})), "python", EXPECTED_CELLS),
    ("kernel language null", text_of(top(metadata={"kernelspec": {"language": None}, "language_info": {"name": "python3"}})), "python3", EXPECTED_CELLS),
    ("IPython", text_of(top(metadata={"language_info": {"name": "IPython"}})), "IPython", EXPECTED_CELLS),
]


@pytest.mark.parametrize("text, language, cells", [pytest.param(*row[1:], id=row[0]) for row in ACCEPTED])
def test_loose_notebooks_read_to_their_cells(text, language, cells):
    notebook = read_notebook(text, "nb.ipynb")

    assert cells_of(notebook) == [repr(cell) for cell in cells]
    assert notebook.language == language and notebook.path == "nb.ipynb"


def nbformat_3(cells) -> str:
    return json.dumps({"nbformat": 3, "nbformat_minor": 0, "metadata": {"name": "old"}, "worksheets": [{"metadata": {}, "cells": cells}]})


V3_CELLS = [
    {"cell_type": "heading", "level": 2, "metadata": {}, "source": ["Load data"]},
    {"cell_type": "code", "collapsed": False, "input": ["x = 1\n", "y = x + 1"], "language": "python", "metadata": {"tags": ["t"]}, "outputs": [], "prompt_number": 4},
    {"cell_type": "markdown", "metadata": {}, "source": "Some text"},
]


def test_an_nbformat_3_notebook_is_upgraded():
    notebook = read_notebook(nbformat_3(V3_CELLS), "old.ipynb")

    assert cells_of(notebook) == [
        repr((0, 0, "markdown", "## Load data", (), None)),
        repr((1, 1, "code", "x = 1\ny = x + 1", ("t",), 4)),
        repr((2, 0, "markdown", "Some text", (), None)),
    ]


@pytest.mark.parametrize(
    "text, message",
    [
        (nbformat_3([{"input": "x = 1"}]), "old.ipynb: not a valid notebook: cannot upgrade it to nbformat 4: The notebook is invalid and is missing an expected key: cell_type"),
        (nbformat_3([{"cell_type": "code", "input": 3, "metadata": {}, "outputs": []}]), "old.ipynb: not a valid notebook: cell 1: source must be a string or a list of strings, not the number 3"),
        (json.dumps({"nbformat": 3, "nbformat_minor": 0, "metadata": {}, "worksheets": 3}), "old.ipynb: not a valid notebook: cannot upgrade it to nbformat 4: 'int' object is not iterable"),
    ],
    ids=["cell without a type", "upgraded source a number", "worksheets a number"],
)
def test_an_old_notebook_nbformat_cannot_upgrade_or_we_refuse_is_one_line(text, message):
    with pytest.raises(NotebookError) as raised:
        read_notebook(text, "old.ipynb")

    assert str(raised.value) == message


def test_nbformat_4_is_read_without_nbformat(monkeypatch):
    monkeypatch.setitem(sys.modules, "nbformat", None)  # `import nbformat` now fails

    notebook = read_notebook(text_of(lambda notebook: None), "nb.ipynb")
    with pytest.raises(NotebookError) as raised:
        read_notebook(nbformat_3(V3_CELLS), "old.ipynb")

    assert cells_of(notebook) == [repr(cell) for cell in EXPECTED_CELLS]
    assert str(raised.value) == "old.ipynb: reading notebooks older than nbformat 4 needs nbformat: pip install nbformat"


# --- the same Notebook as nbformat's reading gives ----------------------------------------------------


class Refused(Exception):
    """nbformat found the notebook invalid."""


def read_by_nbformat(text: str, path: str) -> Notebook:
    """The Notebook as the reader built it from nbformat's reading and validation, with its checks of the
    language and the code (what it did before it read JSON itself). Refused when nbformat refuses."""
    import nbformat

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            notebook = nbformat.convert(nbformat.reader.reads(text), 4)
            nbformat.validate(notebook)
    except Exception as error:
        raise Refused(str(error)) from None
    kernel, info = notebook.metadata.get("kernelspec", {}), notebook.metadata.get("language_info", {})
    language = str(kernel.get("language") or info.get("name") or "python")
    if language.lower() not in ("python", "python2", "python3", "ipython", "ipython2", "ipython3", "pyspark", ""):
        raise NotebookError(path, "not a Python notebook")
    numbers = iter(range(1, len(notebook.cells) + 1))
    cells = tuple(
        Cell(
            index=index,
            number=next(numbers) if c.cell_type == "code" else 0,
            kind=c.cell_type,
            source=c.source,
            tags=tuple(c.metadata.get("tags", ())),
            execution_count=c.get("execution_count") if c.cell_type == "code" else None,
        )
        for index, c in enumerate(notebook.cells)
    )
    if not any(c.kind == "code" and c.source.strip() for c in cells):
        raise NotebookError(path, "no code cells")
    return Notebook(path=path, cells=cells, language=language)


def outcome(read, text: str):
    """The Notebook read (as its repr, which tells 1 from True), or the start of the NotebookError's message, or Refused."""
    try:
        return repr(read(text, "nb.ipynb"))
    except NotebookError as error:
        assert "\n" not in str(error) and len(str(error)) < 200
        return error.message.split(":")[0]
    except Refused:
        return Refused


@pytest.mark.parametrize("path", REPOSITORY_NOTEBOOKS, ids=lambda path: str(path.relative_to(ROOT)))
def test_repository_notebooks_read_as_nbformat_reads_them(path):
    text = path.read_text(encoding="utf-8")

    assert repr(read_notebook(text, path.name)) == repr(read_by_nbformat(text, path.name))


def test_the_repository_has_notebooks_to_compare():
    assert len(REPOSITORY_NOTEBOOKS) >= 10


lines = st.text(st.sampled_from("ab =:#%!'\"\\{}\t\n\u00e9\U0001f600"), max_size=12)
sources = st.one_of(lines, st.lists(lines, max_size=4))
tags = st.lists(st.text(st.sampled_from("abc-_ "), min_size=1, max_size=5), max_size=3, unique=True)
languages = st.sampled_from([None, "python", "python3", "Python", "ipython3", ""])


@st.composite
def notebooks(draw) -> str:
    """Valid nbformat 4 notebooks (by the schema of their minor version) with varied cells and metadata."""
    minor = draw(st.integers(0, 5))
    cells = []
    for index in range(draw(st.integers(1, 6))):
        kind = draw(st.sampled_from(["code", "markdown", "raw"]))
        cell = {"cell_type": kind, "metadata": {"tags": draw(tags)} if draw(st.booleans()) else {}, "source": draw(sources)}
        if kind == "code":
            cell.update(outputs=[], execution_count=draw(st.one_of(st.none(), st.integers(0, 10**6))))
        if minor >= 5:
            cell["id"] = f"c{index}"
        cells.append(cell)
    cells.append({"cell_type": "code", "metadata": {}, "source": "x = 1", "outputs": [], "execution_count": None, **({"id": "last"} if minor >= 5 else {})})
    language = draw(languages)
    metadata = {} if language is None else {"kernelspec": {"name": "k", "display_name": "K", "language": language}}
    return json.dumps({"nbformat": 4, "nbformat_minor": minor, "metadata": metadata, "cells": cells})


QUICK = settings(max_examples=60, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])


@QUICK
@given(notebooks())
def test_valid_notebooks_read_as_nbformat_reads_them(text):
    expected = outcome(read_by_nbformat, text)

    assert expected is not Refused
    assert outcome(read_notebook, text) == expected


json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(-3, 10**20), st.floats(allow_nan=False), st.text(max_size=5)),
    lambda children: st.one_of(st.lists(children, max_size=3), st.dictionaries(st.text(max_size=4), children, max_size=3)),
    max_leaves=8,
)
PLACES = [
    ("nbformat",), ("nbformat_minor",), ("metadata",), ("metadata", "kernelspec"), ("metadata", "kernelspec", "language"),
    ("metadata", "language_info"), ("cells",), ("cells", 1), ("cells", 1, "cell_type"), ("cells", 1, "source"),
    ("cells", 1, "source", 0), ("cells", 1, "metadata"), ("cells", 1, "metadata", "tags"), ("cells", 1, "metadata", "tags", 0),
    ("cells", 1, "execution_count"), ("cells", 1, "outputs"), ("cells", 0, "source"),
]


def replaced(place, value) -> str:
    notebook = valid()
    notebook["metadata"]["language_info"] = {"name": "python"}
    holder = notebook
    for key in place[:-1]:
        holder = holder[key]
    holder[place[-1]] = value
    return json.dumps(notebook)


@QUICK
@given(st.sampled_from(PLACES), json_values)
def test_any_value_anywhere_reads_as_nbformat_reads_it_or_fails_in_one_line(place, value):
    text = replaced(place, value)
    expected = outcome(read_by_nbformat, text)

    actual = outcome(read_notebook, text)

    assert actual == expected or expected is Refused


# --- through the command line ---------------------------------------------------------------------


@pytest.mark.parametrize("name", ["nesting deeper than Python reads", "integer longer than Python reads", "unknown cell_type", "tags with a number"])
def test_the_command_line_prints_the_one_line_and_exits_2(tmp_path, name):
    text, message = next((text, message) for case, text, message in BAD if case == name)
    notebook = tmp_path / "nb.ipynb"
    notebook.write_text(text, encoding="utf-8")

    result = CliRunner().invoke(main, ["convert", str(notebook)])

    assert result.exit_code == 2
    assert result.stderr == f"{notebook}: {message}\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["nb.ipynb"]
