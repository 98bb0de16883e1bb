"""The values that flow between the passes: frozen, comparable, free of I/O."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import FrozenSet, Optional, Tuple


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
    error: str = ""  # the exception its saved outputs show, when it stopped with an error last time
    shown: Tuple["Shown", ...] = ()  # the text of its saved outputs (images and other data left out)


@dataclass(frozen=True)
class Shown:
    """One saved output of a code cell, as text: what the generated tests learn types from."""

    kind: str  # output_type: "stream", "execute_result", "display_data"
    text: str  # the stream's text, or the text/plain of a result or display
    dataframe: bool = False  # its text/html is a pandas DataFrame's table


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
    """What one top-level statement (or a line of several) does, with its place in the notebook."""

    cell: int
    line: int
    col: int
    kind: str  # "import", "future", "def" or "statement"
    end_line: int = 0
    reads: Tuple[str, ...] = ()  # names it may read from before it runs, in order of first read
    all_reads: Tuple[str, ...] = ()  # every notebook name it reads while it runs
    deferred_reads: Tuple[str, ...] = ()  # notebook names read later by the functions it defines
    binds: Tuple[str, ...] = ()  # names it binds on every path
    maybe_binds: Tuple[str, ...] = ()  # names it binds on some paths only
    deletes: Tuple[str, ...] = ()
    mutates: Tuple[str, ...] = ()  # names whose object it may change in place
    global_writes: Tuple[str, ...] = ()  # names the functions it defines (or calls) rebind through `global`
    effects: FrozenSet[str] = frozenset()  # tags from nbrefactor.effects
    removable: str = ""  # the rule that removes it when nothing kept needs it: display, print, plot, unused
    output: bool = False  # removing it drops what it printed
    inspection: bool = False  # it shows a property of a value (shape, first rows), not a result
    shows: Tuple[str, ...] = ()  # names it prints or displays as results
    settings: Tuple[str, ...] = ()  # names it binds to literals (`args = {"alpha": 0.5}`)
    containers: Tuple[Tuple[str, str, Tuple[str, ...]], ...] = ()  # (value, container, keys)
    read_positions: Tuple[Tuple[str, int, int], ...] = ()  # (name, line, col) of exposed reads
    star_import: bool = False  # `from x import *`, at its top or inside a block
    declares_global: bool = False  # a `global` statement outside any function (a no-op in a notebook)
    imported: Tuple[Tuple[str, str], ...] = ()  # (name bound, qualified module or object) for imports
    defines: Tuple[str, ...] = ()  # notebook functions and classes it defines
    definition_pure: bool = True  # defining it (decorators, defaults, bases, class body) has no effect
    body_effects: FrozenSet[str] = frozenset()  # what calling the functions it defines may do
    awaits: bool = False
    expression: bool = False  # an expression statement
    last_in_cell: bool = False
    figures: Tuple[str, ...] = ()  # names it binds to figures or axes
    string_lines: Tuple[int, ...] = ()  # lines (from 1) that begin inside a string: never re-indented
    prints: bool = False  # a lone call of print
    trains: bool = False  # calls a method that fits a model (`fit`, `fit_transform`, ...)
    last_call: str = ""  # the dotted name of the last call it makes (`pd.read_csv`)
    value: str = ""  # for a lone assignment, its value: "mutable" (list, dict, set), "tuple", "lambda" or "other"


@dataclass(frozen=True)
class Statement:
    """A top-level statement (several when they share a line) with its source and facts.

    `code` is the exact source of its lines; `leading` the comment and blank lines above it in the cell,
    `trailing` the comment lines after it when it ends its cell.
    """

    facts: Facts
    code: str = field(compare=False, default="")
    leading: Tuple[str, ...] = field(compare=False, default=())
    trailing: Tuple[str, ...] = field(compare=False, default=())
    synthetic: bool = False  # added by the conversion (a figure close at a cell's end)

    @property
    def node(self) -> tuple:
        """The statement's syntax trees, parsed again from its code each time a pass needs them (rarely):
        neither the analysis nor the statement keeps trees, so memory stays flat on long notebooks."""
        import ast

        return tuple(ast.parse(self.code).body)


@dataclass(frozen=True)
class Section:
    """The code under one markdown heading."""

    heading: str
    doc: str
    statements: Tuple[Statement, ...]
    function_name: str = ""  # an explicit name from a tag, directive or config
    first_cell: int = 0
    level: int = 0  # heading level, 1 for `#`; 0 before any heading


@dataclass(frozen=True)
class Step:
    """One section as it appears in the script: a function and its call, or code inline in the entry point."""

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
    globals_: Tuple[str, ...] = ()  # module globals the function binds
    after: Tuple[Statement, ...] = ()  # result prints moved after the call
    reason: str = ""  # why the section stays inline

    @property
    def inline(self) -> bool:
        return self.role == "inline"


@dataclass(frozen=True)
class Plan:
    kind: str  # "train", "score" or "script"
    source: str  # notebook path, as given
    imports: Tuple[Statement, ...]
    definitions: Tuple[Statement, ...]  # module level, in notebook order: constants, functions, classes
    steps: Tuple[Step, ...]
    findings: Tuple[Finding, ...]
    changes: Tuple[Change, ...]
    requirements: Tuple[str, ...] = ()
    globals_: Tuple[str, ...] = ()  # module globals the entry point (main, or init for scoring) binds
    sample: Tuple[Statement, ...] = ()  # the notebook's literal request, for the sample call
    output_name: str = "train"
    entry: str = "main"  # name of the entry point function
    module_mode: bool = False  # the code runs at module level under the `__main__` guard
    asynchronous: bool = False  # the entry point awaits
    helpers: Tuple[str, ...] = ()  # nbrefactor.runtime helpers the code calls
    extra_imports: Tuple[str, ...] = ()  # imports the rewritten magics need
    state: Tuple[Tuple[str, str], ...] = ()  # see Result.state


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
