"""The values that flow between the passes: frozen, comparable, free of I/O."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional, Tuple


class NotebookError(Exception):
    """Input that cannot be converted; carries the location for a one-line message."""

    def __init__(self, path: str, message: str, cell: int = 0, line: int = 0, col: int = 0):
        super().__init__(message)
        self.path = path
        self.message = message
        self.cell = cell
        self.line = line
        self.col = col

    def __str__(self) -> str:
        return format_location(self.path, self.cell, self.line, self.col) + ": " + self.message


def format_location(path: str, cell: int = 0, line: int = 0, col: int = 0) -> str:
    """`path:cell_N:LINE:COL`, leaving out the parts that are not known."""
    if not cell:
        return path
    return f"{path}:cell_{cell}:{line}:{col}"


@dataclass(frozen=True)
class Finding:
    """Something a reviewer should know about the notebook, located in a code cell.

    `code` names the kind of finding (see nbrefactor.findings), which fixes its severity.
    """

    cell: int
    line: int
    col: int
    message: str
    code: str = ""

    @property
    def severity(self) -> str:
        from .findings import severity

        return severity(self.code)

    def format(self, path: str) -> str:
        code = f"{self.code} " if self.code else ""
        return format_location(path, self.cell, self.line, self.col) + ": " + code + self.message


@dataclass(frozen=True)
class Change:
    """A statement or line the conversion removed or rewrote, and the rule that did it."""

    cell: int
    line: int
    rule: str
    original: str
    replacement: str = ""
    end_line: int = 0  # last line of the statement it removed or rewrote; 0 when it is `line`
    output: bool = False  # the removed statement wrote to standard output (an inspection print)


@dataclass(frozen=True)
class Cell:
    index: int  # position among all cells, from 0
    number: int  # position among code cells, from 1; 0 for other cells
    kind: str  # "code", "markdown" or "raw"
    source: str
    tags: Tuple[str, ...] = ()
    execution_count: Optional[int] = None


@dataclass(frozen=True)
class Notebook:
    path: str
    cells: Tuple[Cell, ...]
    language: str = "python"

    @property
    def code_cells(self) -> Tuple[Cell, ...]:
        return tuple(c for c in self.cells if c.kind == "code")


@dataclass(frozen=True)
class CodeCell:
    """A code cell after magics are normalised: plain Python, with what changed and why."""

    cell: Cell
    python: str
    changes: Tuple[Change, ...] = ()
    findings: Tuple[Finding, ...] = ()
    directives: Tuple[str, ...] = ()
    requirements: Tuple[str, ...] = ()
    left_out: bool = False
    left_out_names: Tuple[str, ...] = ()  # names a left-out cell appears to bind
    imports: Tuple[str, ...] = ()  # import statements the rewritten code needs ("import os")
    helpers: Tuple[str, ...] = ()  # names of nbrefactor.runtime helpers the rewritten code calls


@dataclass(frozen=True)
class Facts:
    """What one top-level statement does to the notebook's names."""

    cell: int
    line: int
    col: int
    kind: str  # "import", "def", "future", "statement"
    reads: Tuple[str, ...]  # global names read when the statement runs, in order of first read
    deferred_reads: Tuple[str, ...]  # global names read by function bodies it defines
    binds: Tuple[str, ...]  # global names it binds, definitely
    maybe_binds: Tuple[str, ...]  # global names it binds only on some paths
    mutates: Tuple[str, ...]  # global names whose object it may change in place
    deletes: Tuple[str, ...]
    exploratory: str = ""  # the rule that makes it display-only, or ""
    displays: Tuple[str, ...] = ()  # names whose value it only shows
    setting: bool = False  # a name bound to a literal, meant as a setting
    containers: Tuple[Tuple[str, str, Tuple[str, ...]], ...] = ()  # (value, container, keys)
    read_positions: Tuple[Tuple[str, int, int], ...] = ()  # (name, line, col) of every read
    star_import: bool = False
    global_writes: Tuple[str, ...] = ()  # names a function body rebinds through `global`
    plotting: bool = False
    figure: bool = False  # binds only figures or axes, from a plotting call (`fig, ax = plt.subplots()`)


@dataclass(frozen=True)
class Statement:
    """A top-level statement: its libcst node, its source cell and its facts."""

    node: object = field(compare=False, repr=False)
    facts: Facts
    code: str = field(compare=False, default="")


@dataclass(frozen=True)
class Section:
    """The code under one markdown heading."""

    heading: str
    doc: str
    statements: Tuple[Statement, ...]
    function_name: str = ""  # an explicit name from a tag, directive or config
    first_cell: int = 0


@dataclass(frozen=True)
class Step:
    """One section as it appears in the script: a function and its call, or code inline in main."""

    heading: str
    name: str  # function name; "" when inline
    doc: str
    params: Tuple[str, ...]
    returns: Tuple[str, ...]
    body: Tuple[Statement, ...]
    settings: Tuple[Statement, ...] = ()  # lifted into the caller
    substitutions: Tuple[Tuple[str, str], ...] = ()  # (name, container expression)
    role: str = "step"  # "step", "inline", "init" or "run"
    return_expression: str = ""  # returned instead of the names in `returns` when set

    @property
    def inline(self) -> bool:
        return self.role == "inline"


@dataclass(frozen=True)
class Plan:
    kind: str  # "train" or "score"
    source: str  # notebook path, as given
    imports: Tuple[Statement, ...]
    definitions: Tuple[Statement, ...]  # notebook-level def and class kept at module level
    steps: Tuple[Step, ...]
    findings: Tuple[Finding, ...]
    changes: Tuple[Change, ...]
    requirements: Tuple[str, ...] = ()
    globals_: Tuple[str, ...] = ()  # names init() sets for run()
    sample: Tuple[Statement, ...] = ()  # the notebook's literal request, for the sample call
    sample_print: str = ""  # how the sample call shows its result
    output_name: str = "train"


@dataclass(frozen=True)
class Result:
    """What a conversion produced: files by relative path, and what to tell the user."""

    files: Tuple[Tuple[str, str], ...]
    findings: Tuple[Finding, ...]
    changes: Tuple[Change, ...]
    plan: Optional[Plan] = field(default=None, compare=False, repr=False)
    # Where the script holds the final value of each name the notebook binds: "main" (a local of the
    # entry point), "module" (a module global), "function:NAME" (a local of that generated function,
    # as it returns), "init" / "run" for scoring scripts, or "removed" (bound only by removed code).
    state: Tuple[Tuple[str, str], ...] = ()

    @property
    def outputs(self) -> dict:
        return dict(self.files)
