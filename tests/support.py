"""Helpers shared by the tests: converting a case, and checking generated code."""
from __future__ import annotations

import builtins
import pathlib
import subprocess
import sys
from typing import Dict, List

import libcst as cst
from libcst.metadata import MetadataWrapper, ScopeProvider

from nbrefactor import refactor

BUILTINS = set(dir(builtins)) | {"__file__", "__name__"}


def convert_case(notebook: pathlib.Path):
    """The Result of converting a case's notebook, named as the case folder names it."""
    return refactor(notebook.read_text(encoding="utf-8"), path=notebook.name)


def findings_text(result, path: str) -> str:
    return "".join(finding.format(path) + "\n" for finding in result.findings)


def undefined_names(source: str) -> List[str]:
    """Names the code reads that nothing binds: no assignment, import, parameter or builtin."""
    wrapper = MetadataWrapper(cst.parse_module(source))
    scopes = {scope for scope in wrapper.resolve(ScopeProvider).values() if scope is not None}
    missing = set()
    for scope in scopes:
        for access in scope.accesses:
            name = access.node.value if isinstance(access.node, cst.Name) else ""
            if name and not access.referents and name not in BUILTINS:
                missing.add(name)
    return sorted(missing)


def write_outputs(files: Dict[str, str], folder: pathlib.Path) -> None:
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")


def run_pytest(folder: pathlib.Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-rs", "-p", "no:cacheprovider", str(folder)],
        cwd=folder, capture_output=True, text=True,
    )


PYTHON_KERNEL = {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}}


def notebook_text(*cells, nbformat_minor: int = 5, metadata=None) -> str:
    """A notebook's JSON from (kind, source) or (kind, source, tags) tuples; kind is "code", "md" or "markdown".

    Cells get ids from nbformat 4.5 on, as nbformat requires; the kernel is Python unless `metadata` says otherwise.
    """
    import json

    built = []
    for index, cell in enumerate(cells):
        kind, source = cell[0], cell[1]
        entry = {"cell_type": "code" if kind == "code" else "markdown", "metadata": {}, "source": source}
        if nbformat_minor >= 5:
            entry["id"] = f"c{index}"
        if len(cell) > 2:
            entry["metadata"]["tags"] = list(cell[2])
        if kind == "code":
            entry.update(execution_count=None, outputs=[])
        built.append(entry)
    metadata = PYTHON_KERNEL if metadata is None else metadata
    return json.dumps({"cells": built, "metadata": metadata, "nbformat": 4, "nbformat_minor": nbformat_minor})


def plan_of(*cells, **settings):
    from nbrefactor.config import Settings

    return refactor(notebook_text(*cells), path="nb.ipynb", settings=Settings(**settings)).plan


def steps_by_name(plan) -> dict:
    return {step.name or step.heading: step for step in plan.steps}
