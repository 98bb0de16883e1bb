"""Notebook text -> Notebook. nbformat 4 is read with `json` and checked by the tables below; older
versions are upgraded by nbformat first (imported only then) and checked the same way.

The checks cover what the conversion reads and the structure around it, and each failure is one short
line that names the cell by its position among all cells, from 1 ("cell 12: unknown cell_type 'foo'"),
however large the offending value. The contents of outputs, cell ids and metadata nbrefactor does not
read are not checked: they cannot change the script.
"""
from __future__ import annotations

import itertools
import json
import sys
import warnings
from typing import Callable, Iterator, NamedTuple, Tuple

from .model import Cell, Notebook, NotebookError, Shown

PYTHON_NAMES = {"python", "python2", "python3", "ipython", "ipython2", "ipython3", "pyspark", ""}
CELL_KINDS = ("code", "markdown", "raw")
UPGRADABLE_VERSIONS = (1, 2, 3)
SHOWN_CHARACTERS = 30

# A test takes a field's name and value and returns what is wrong with the value, or "".
Test = Callable[[str, object], str]


def describe(value: object) -> str:
    """A JSON value in a few words, short however large it is: `the string 'abc'`, `a list holding null`."""
    if value is None or isinstance(value, bool):
        return json.dumps(value)
    if isinstance(value, str):
        return f"the string {_shown(value)}"
    if isinstance(value, (int, float)):
        return f"the number {_shown(value)}"
    if isinstance(value, dict):
        return "an object"
    stranger = next((item for item in value if not isinstance(item, str)), "")
    if stranger == "":
        return "a list"
    return f"a list holding {'a list' if isinstance(stranger, list) else describe(stranger)}"


def _shown(value: object) -> str:
    text = repr(value)
    return text if len(text) <= SHOWN_CHARACTERS else text[: SHOWN_CHARACTERS - 3] + "..."


def _must_be(what: str, accepts: Callable[[object], bool]) -> Test:
    return lambda field, value: "" if accepts(value) else f"{field} must be {what}, not {describe(value)}"


def _is_natural(value: object) -> bool:
    return type(value) is int and value >= 0


def _is_strings(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


def _known_kind(field: str, value: object) -> str:
    if not isinstance(value, str):
        return f"{field} must be a string, not {describe(value)}"
    return "" if value in CELL_KINDS else f"unknown {field} {_shown(value)}"


OBJECT = _must_be("an object", lambda value: isinstance(value, dict))
LIST = _must_be("a list", lambda value: isinstance(value, list))
STRING = _must_be("a string", lambda value: isinstance(value, str))
STRINGS = _must_be("a list of strings", _is_strings)
TEXT = _must_be("a string or a list of strings", lambda value: isinstance(value, str) or _is_strings(value))
NATURAL = _must_be("a non-negative integer", _is_natural)
COUNT = _must_be("a non-negative integer or null", lambda value: value is None or _is_natural(value))


class Field(NamedTuple):
    """A field the reader checks: whether it must be there, its test, and the checks of the fields of its value."""

    name: str
    required: bool
    test: Test
    fields: Tuple["Field", ...] = ()


# The structure nbrefactor relies on, as a table. What it does not read (outputs' contents, cell ids,
# other metadata) is left to the tools that do.
LANGUAGE_INFO = (Field("name", False, STRING),)
NOTEBOOK_METADATA = (Field("kernelspec", False, OBJECT), Field("language_info", False, OBJECT, LANGUAGE_INFO))
NOTEBOOK = (Field("nbformat_minor", True, NATURAL), Field("metadata", True, OBJECT, NOTEBOOK_METADATA), Field("cells", True, LIST))
CELL_METADATA = (Field("tags", False, STRINGS),)
CELL = (Field("cell_type", True, _known_kind), Field("metadata", True, OBJECT, CELL_METADATA), Field("source", True, TEXT))
CODE_CELL = (Field("execution_count", False, COUNT), Field("outputs", False, LIST))


def problem(value: dict, fields: Tuple[Field, ...], prefix: str = "") -> str:
    """The first thing wrong with `value` by the table `fields` (a nested field is named `outer.inner`), or ""."""
    for field in fields:
        name = prefix + field.name
        if field.name not in value:
            if field.required:
                return f"missing field {name!r}"
            continue
        found = field.test(name, value[field.name])
        if not found and field.fields:
            found = problem(value[field.name], field.fields, name + ".")
        if found:
            return found
    return ""


def cell_problem(cell: object) -> str:
    if not isinstance(cell, dict):
        return f"must be an object, not {describe(cell)}"
    found = problem(cell, CELL)
    if not found and cell["cell_type"] == "code":
        found = problem(cell, CODE_CELL)
    return found


def notebook_problem(notebook: dict) -> str:
    """What makes `notebook` (nbformat 4) unreadable, prefixed by the cell's position when a cell does; or ""."""
    found = problem(notebook, NOTEBOOK)
    if found:
        return found
    for position, cell in enumerate(notebook["cells"], start=1):
        found = cell_problem(cell)
        if found:
            return f"cell {position}: {found}"
    return ""


def read_notebook(text: str, path: str) -> Notebook:
    """Parse `text` as a notebook of any nbformat version; raise NotebookError when it is not one."""
    raw = _parsed(text, path)
    if not isinstance(raw, dict) or "nbformat" not in raw:
        raise NotebookError(path, "not a Jupyter notebook: no 'nbformat' field")
    notebook = _version_4(raw, text, path)
    found = notebook_problem(notebook)
    if found:
        raise NotebookError(path, f"not a valid notebook: {found}")
    language = _language(notebook["metadata"])
    if not isinstance(language, str) or language.lower() not in PYTHON_NAMES:
        shown = _shown(language) if isinstance(language, str) else describe(language)
        raise NotebookError(path, f"not a Python notebook: its kernel language is {shown}")
    cells = _cells(notebook["cells"])
    if not any(cell.kind == "code" and cell.source.strip() for cell in cells):
        raise NotebookError(path, "no code cells: nothing to convert")
    return Notebook(path=path, cells=cells, language=language or "python")


def _parsed(text: str, path: str) -> object:
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise NotebookError(path, f"not valid JSON: {error.msg} (line {error.lineno}, column {error.colno})")
    except RecursionError:
        raise NotebookError(path, "cannot read the JSON: nested too deeply") from None
    except ValueError:  # Python 3.11+ refuses to read integers longer than its limit of digits
        limit = getattr(sys, "get_int_max_str_digits", lambda: 0)()
        raise NotebookError(path, f"cannot read the JSON: a number longer than {limit} digits") from None


def _version_4(raw: dict, text: str, path: str) -> dict:
    """The notebook as nbformat 4: as it is, or upgraded from an older version."""
    version = raw["nbformat"]
    if type(version) is not int:
        raise NotebookError(path, f"not a valid notebook: nbformat must be an integer, not {describe(version)}")
    if version == 4:
        return raw
    if version not in UPGRADABLE_VERSIONS:
        raise NotebookError(path, f"not a valid notebook: unsupported nbformat version {_shown(version)}")
    return _upgraded(text, path)


def _upgraded(text: str, path: str) -> dict:
    """nbformat's upgrade of an nbformat 1-3 notebook; its warnings muted, as they say nothing about the code."""
    try:
        import nbformat
    except ImportError:
        raise NotebookError(path, "reading notebooks older than nbformat 4 needs nbformat: pip install nbformat") from None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return nbformat.convert(nbformat.reader.reads(text), 4)
    except Exception as error:  # nbformat raises several unrelated types for notebooks it cannot upgrade
        raise NotebookError(path, f"not a valid notebook: cannot upgrade it to nbformat 4: {_first_words(error)}")


def first_line(error: Exception) -> str:
    text = str(error).strip().splitlines()
    return text[0] if text else type(error).__name__


def _first_words(error: Exception) -> str:
    line = first_line(error)
    return line if len(line) <= 80 else line[:77] + "..."


def _language(metadata: dict) -> object:
    """The kernel's language, as nbformat's schema leaves it: any JSON value, empty ones left out."""
    kernel = metadata.get("kernelspec", {})
    info = metadata.get("language_info", {})
    return kernel.get("language") or info.get("name") or "python"


def _cells(cells: list) -> Tuple[Cell, ...]:
    code_numbers = itertools.accumulate(int(cell["cell_type"] == "code") for cell in cells)
    return tuple(_cell(index, cell, number) for index, (cell, number) in enumerate(zip(cells, code_numbers)))


def _cell(index: int, cell: dict, code_number: int) -> Cell:
    code = cell["cell_type"] == "code"
    source = cell["source"]
    return Cell(
        index=index,
        number=code_number if code else 0,
        kind=cell["cell_type"],
        source=source if isinstance(source, str) else "".join(source),
        tags=tuple(cell["metadata"].get("tags", ())),
        execution_count=cell.get("execution_count") if code else None,
        error=_saved_error(cell) if code else "",
        shown=tuple(_saved_outputs(cell.get("outputs"))) if code else (),
    )


def _saved_outputs(outputs: object) -> Iterator[Shown]:
    for output in outputs if isinstance(outputs, list) else ():
        if not isinstance(output, dict):
            continue
        kind = output.get("output_type")
        if kind == "stream":
            yield Shown(kind, _joined(output.get("text", "")))
        elif kind in ("execute_result", "display_data") and isinstance(output.get("data"), dict):
            data = output["data"]
            yield Shown(kind, _joined(data.get("text/plain", "")), 'class="dataframe"' in _joined(data.get("text/html", "")))


def _joined(value: object) -> str:
    return "".join(map(str, value)) if isinstance(value, list) else str(value)


def _saved_error(cell: dict) -> str:
    """The exception name of an error the cell's saved outputs show ("" for none)."""
    for output in cell.get("outputs") or ():
        if isinstance(output, dict) and output.get("output_type") == "error":
            return str(output.get("ename") or "an error")[:80]
    return ""
