"""Notebook text -> Notebook: parsed and validated by nbformat, old versions upgraded."""
from __future__ import annotations

import json
import warnings
from typing import Tuple

from .model import Cell, Notebook, NotebookError

PYTHON_NAMES = {"python", "python2", "python3", "ipython", "ipython2", "ipython3", "pyspark", ""}


def read_notebook(text: str, path: str) -> Notebook:
    """Parse `text` as a notebook of any nbformat version; raise NotebookError when it is not one."""
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as error:
        raise NotebookError(path, f"not valid JSON: {error.msg} (line {error.lineno}, column {error.colno})")
    if not isinstance(raw, dict) or "nbformat" not in raw:
        raise NotebookError(path, "not a Jupyter notebook: no 'nbformat' field")
    notebook = _validated(text, path)
    language = _language(notebook)
    if language.lower() not in PYTHON_NAMES:
        raise NotebookError(path, f"not a Python notebook: its kernel language is {language!r}")
    cells = _cells(notebook)
    if not any(cell.kind == "code" and cell.source.strip() for cell in cells):
        raise NotebookError(path, "no code cells: nothing to convert")
    return Notebook(path=path, cells=cells, language=language or "python")


def _validated(text: str, path: str):
    """The notebook upgraded to nbformat 4 and checked against its schema.

    nbformat warns on stderr about fixable details (cells without ids in 4.5, unknown minor versions);
    they do not change the code, and a hook's output must stay one line per problem, so they are muted.
    """
    import nbformat

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            notebook = nbformat.reads(text, as_version=4)
            nbformat.validate(notebook)
    except Exception as error:  # nbformat raises several unrelated types for bad schemas
        raise NotebookError(path, f"not a valid notebook: {first_line(error)}")
    return notebook


def first_line(error: Exception) -> str:
    text = str(error).strip().splitlines()
    return text[0] if text else type(error).__name__


def _language(notebook) -> str:
    metadata = notebook.get("metadata", {})
    kernel = metadata.get("kernelspec", {}) or {}
    info = metadata.get("language_info", {}) or {}
    return str(kernel.get("language") or info.get("name") or "python")


def _cells(notebook) -> Tuple[Cell, ...]:
    cells = []
    code_number = 0
    for index, cell in enumerate(notebook.cells):
        kind = cell.get("cell_type", "raw")
        if kind == "code":
            code_number += 1
        tags = tuple(str(tag) for tag in cell.get("metadata", {}).get("tags", ()) or ())
        cells.append(
            Cell(
                index=index,
                number=code_number if kind == "code" else 0,
                kind=kind,
                source=cell.get("source", ""),
                tags=tags,
                execution_count=cell.get("execution_count") if kind == "code" else None,
            )
        )
    return tuple(cells)
