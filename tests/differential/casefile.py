"""The differential cases: small notebooks written in a percent text format, turned into notebook JSON.

A case is `cases/GROUP/NAME.py`, or a folder `cases/GROUP/NAME/` holding `notebook.py` and the input
files the notebook reads; files in `cases/GROUP/_shared/` are inputs of every case of the group. The file opens with comment lines that say what the case probes; two of them
are read as claims the harness checks:

    # expect: same       a faithful converter reproduces the run exactly, with no fallback finding
    # expect: kept       it reproduces the run exactly in the faithful fallback form, with its finding
    # expect: refused    convert exits 2 with a located one-line error
    # notebook: fails    the notebook itself stops on an error (the case is about that failure)

Cells follow, each opened by a marker line: `# %%` a code cell, `# %% [markdown]` a markdown cell whose
lines carry a `# ` prefix, `# %% [raw]` a raw cell; `tags=["parameters"]` after the marker sets the
cell's tags. Blank lines around a cell's text are not part of it.

The parser is ours rather than jupytext's because a case must reach the kernel byte for byte: jupytext
comments and uncomments magics and escapes lines of its own syntax, which is what some cases probe.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import List, Optional, Tuple

CASES = Path(__file__).resolve().parent / "cases"
MARKER = re.compile(r"^# %%(?:\s+\[(markdown|raw)\])?(?:\s+tags=(\[.*\]))?\s*$")
CLAIM = re.compile(r"^#\s*(expect|notebook):\s*(\S+)\s*$")
IMPORT = re.compile(r"^\s*(?:import|from)\s+([A-Za-z_]\w*)", re.MULTILINE)
LIBRARIES = ("numpy", "pandas", "sklearn", "matplotlib", "joblib")
EXPECTATIONS = {"same", "kept", "refused"}
NOTEBOOK_OUTCOMES = {"fails"}
KERNEL = {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
          "language_info": {"name": "python"}}


@dataclass(frozen=True)
class CellText:
    kind: str  # "code", "markdown" or "raw"
    source: str
    tags: Tuple[str, ...] = ()


@dataclass(frozen=True)
class Case:
    name: str  # GROUP/NAME
    description: str
    cells: Tuple[CellText, ...]
    expect: str = ""  # "", "same" or "refused"
    notebook_fails: bool = False
    folder: Optional[Path] = None  # input files copied beside the notebook
    shared: Optional[Path] = None  # the group's inputs, copied beside every notebook of the group

    @property
    def group(self) -> str:
        return self.name.split("/", 1)[0]

    def input_files(self) -> List[Tuple[Path, str]]:
        """(file, path relative to the notebook's folder) for every input the case needs."""
        found = {}
        for folder in (self.shared, self.folder):
            for path in sorted(folder.rglob("*")) if folder else ():
                if path.is_file() and path.name != "notebook.py" and "__pycache__" not in path.parts:
                    found[path.relative_to(folder).as_posix()] = path
        return [(path, relative) for relative, path in sorted(found.items())]


def all_cases(root: Path = CASES) -> List[Case]:
    found = [p for p in root.glob("*/*.py")] + [p for p in root.glob("*/*/notebook.py")]
    return sorted((load_case(path, root) for path in found), key=lambda case: case.name)


def load_case(path: Path, root: Path = CASES) -> Case:
    folder = path.parent if path.name == "notebook.py" else None
    name = (folder or path.with_suffix("")).relative_to(root).as_posix()
    header, cells = _split(path.read_text(encoding="utf-8"), name)
    claims = dict(match.groups() for match in map(CLAIM.match, header) if match)
    expect, outcome = claims.get("expect", ""), claims.get("notebook", "")
    if expect and expect not in EXPECTATIONS or outcome and outcome not in NOTEBOOK_OUTCOMES:
        raise ValueError(f"{name}: unknown claim in {claims}")
    description = " ".join(line.lstrip("#").strip() for line in header if not CLAIM.match(line)).strip()
    if not description or not cells:
        raise ValueError(f"{name}: a case needs a header saying what it probes, and cells")
    shared = root / name.split("/", 1)[0] / "_shared"
    return Case(name, description, tuple(cells), expect, outcome == "fails", folder, shared if shared.is_dir() else None)


def _split(text: str, name: str):
    header: List[str] = []
    cells: List[CellText] = []
    current: Optional[Tuple[str, Tuple[str, ...]]] = None
    lines: List[str] = []
    for line in text.split("\n"):
        marker = MARKER.match(line)
        if marker:
            if current:
                cells.append(_cell(current, lines, name))
            current, lines = (marker.group(1) or "code", tuple(json.loads(marker.group(2) or "[]"))), []
        elif current:
            lines.append(line)
        elif line.strip():
            header.append(line)
    if current:
        cells.append(_cell(current, lines, name))
    return header, cells


def _cell(current, lines: List[str], name: str) -> CellText:
    kind, tags = current
    source = "\n".join(lines).strip("\n")
    if kind == "markdown":
        stripped = []
        for line in source.split("\n"):
            if line and not line.startswith("#"):
                raise ValueError(f"{name}: markdown line without a '# ' prefix: {line!r}")
            stripped.append(line[2:] if line.startswith("# ") else line[1:])
        source = "\n".join(stripped)
    return CellText(kind, source, tags)


def notebook_json(case: Case) -> str:
    """The case as nbformat 4.5 JSON, validated by nbformat."""
    import nbformat

    makers = {"code": nbformat.v4.new_code_cell, "markdown": nbformat.v4.new_markdown_cell,
              "raw": nbformat.v4.new_raw_cell}
    cells = []
    for number, text in enumerate(case.cells):
        cell = makers[text.kind](text.source, id=f"cell-{number}")
        if text.tags:
            cell.metadata["tags"] = list(text.tags)
        cells.append(cell)
    notebook = nbformat.v4.new_notebook(cells=cells, metadata=KERNEL)
    nbformat.validate(notebook)
    return nbformat.writes(notebook)


def code_cell_count(case: Case) -> int:
    return sum(cell.kind == "code" for cell in case.cells)


def missing_libraries(case: Case) -> List[str]:
    """The third-party libraries the case imports that this interpreter (and so its kernel) lacks."""
    import importlib.util

    imported = {match.group(1) for cell in case.cells if cell.kind == "code" for match in IMPORT.finditer(cell.source)}
    return sorted(name for name in imported & set(LIBRARIES) if importlib.util.find_spec(name) is None)
