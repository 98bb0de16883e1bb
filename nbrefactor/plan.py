"""Statements -> Plan: every decision of the conversion, from the facts alone; nothing is rendered.

The passes, in order: sections from headings; removal of exploratory code nothing needs
(nbrefactor.removal); what moves to module level and which names stay module globals
(nbrefactor.toplevel); functions, parameters and returns (nbrefactor.flow); names; findings; and
where the script ends up holding each notebook name's final value.
"""
from __future__ import annotations

import builtins
import unicodedata
from dataclasses import dataclass, replace
from typing import Dict, List, Optional, Sequence, Set, Tuple

from . import effects as E
from .analysis import Analysis
from .flow import FlowInput, Work, plan_steps
from .model import Change, CodeCell, Finding, Notebook, NotebookError, Plan, Section, Statement, Step
from .removal import Removal, close_figures, pyplot_alias, sweep
from . import naming
from .naming import Candidate
from .rules import Knowledge
from .scoring import is_scoring, plan_scoring
from .sections import build_sections, parameter_cells
from .toplevel import TopLevel, top_level

BUILTIN_NAMES = frozenset(dir(builtins)) | {"__file__", "__name__", "__builtins__", "__doc__"}
ENTRY_NAMES = ("main", "run_pipeline", "run_notebook", "main_entry")


@dataclass(frozen=True)
class Options:
    """The settings the plan depends on."""

    kind: str = "auto"  # "train", "score", "script" or "auto"
    names: Tuple[Tuple[str, str], ...] = ()  # heading -> function name
    output_name: str = ""


@dataclass
class Prepared:
    """The passes every kind of script shares: sections, removal, figures, module level."""

    notebook: Notebook
    cells: Sequence[CodeCell]
    analysis: Analysis
    sections: List[Section]
    flat: List[Statement]  # every statement, in notebook order
    removal: Removal
    kept: List[Statement]  # the statements that stay, with figure closes added
    figure_changes: List[Change]
    top: TopLevel
    notebook_names: Set[str]


def make_plan(notebook: Notebook, cells: Sequence[CodeCell], analysis: Analysis, options: Options = Options(), knowledge: Knowledge = Knowledge()) -> Plan:
    sections = build_sections(notebook, cells, analysis.statements, dict(options.names))
    kind = _kind(options.kind, [s for section in sections for s in section.statements])
    if kind == "score":
        return plan_scoring(notebook, cells, analysis, sections, options, knowledge)
    prepared = prepare(notebook, cells, analysis, sections, knowledge)
    if prepared.top.module_mode is not None:
        return _module_mode_plan(prepared, kind, options)
    top = prepared.top
    entry = _entry_name(prepared.notebook_names)
    flow_input = FlowInput(
        _works(prepared), prepared.kept, top.module_names, top.shared, top.closure_reads,
        prepared.notebook_names, _has_headings(sections), parameter_cells(cells),
    )
    steps, findings = plan_steps(flow_input)
    taken = prepared.notebook_names | top.module_names | BUILTIN_NAMES | {entry} | star_import_names(prepared.kept)
    steps, naming_findings = name_functions(steps, taken, notebook.path)
    findings = list(findings) + naming_findings
    main_statements = [s for step in steps for s in (step.body if step.inline else ()) + step.settings + step.after]
    findings += _global_findings(prepared, steps, main_statements)
    return assemble_plan(
        prepared, steps, kind=kind, findings=findings, options=options, entry=entry,
        globals_=tuple(n for n in _binds_in(main_statements) if n in top.shared),
        state=_state(prepared, steps, entry),
    )


def prepare(notebook: Notebook, cells: Sequence[CodeCell], analysis: Analysis, sections: List[Section], knowledge: Knowledge) -> Prepared:
    flat = [s for section in sections for s in section.statements]
    failed = frozenset(cell.cell.number for cell in cells if cell.cell.error)
    removal = sweep(flat, knowledge.enabled, _section_ends(sections), failed)
    kept, figure_changes = close_figures(flat, removal.removed, pyplot_alias(flat))
    names = {n for s in flat for n in _bound_names(s)}
    top = top_level(kept)
    return Prepared(notebook, cells, analysis, sections, flat, removal, _comments_follow_code(kept, top), figure_changes, top, names)


def _section_ends(sections: Sequence[Section]) -> frozenset:
    """Positions (in notebook order) of each section's last statement."""
    ends, position = set(), -1
    for section in sections:
        position += len(section.statements)
        ends.add(position)
    return frozenset(ends)


def _comments_follow_code(kept: List[Statement], top: TopLevel) -> List[Statement]:
    """A comment above an import that moves to the top, directly followed by code that stays, belongs
    to that code (`# Python >= 3.5 is required` / `import sys` / `assert sys.version_info ...`)."""
    kept = list(kept)
    moved = set(top.imports) | set(top.unused_imports)
    for position in sorted(moved):
        after = position + 1
        comments = tuple(line for line in kept[position].leading if line.strip())
        if not comments or after >= len(kept) or after in top.moved:
            continue
        following = kept[after]
        if following.facts.cell == kept[position].facts.cell and not following.leading:
            kept[position] = replace(kept[position], leading=())
            kept[after] = replace(following, leading=comments)
    return kept


def assemble_plan(prepared: Prepared, steps: Sequence[Step], *, kind: str, findings: Sequence[Finding], options: Options, state, entry: str = "main", globals_: Tuple[str, ...] = (), sample=()) -> Plan:
    cells, top = prepared.cells, prepared.top
    every_finding = (
        list(prepared.analysis.findings) + [f for cell in cells for f in cell.findings] + top.findings + list(findings)
        + _name_findings(prepared.kept, cells) + _order_findings(prepared.notebook) + _star_findings(prepared.kept)
        + _error_findings(cells)
    )
    changes = [c for cell in cells for c in cell.changes] + list(prepared.removal.changes) + prepared.figure_changes + top.changes
    main_statements = [s for step in steps for s in (step.body if step.inline else ()) + step.settings + step.after]
    return Plan(
        kind=kind,
        source=prepared.notebook.path,
        imports=tuple(prepared.kept[p] for p in top.imports),
        definitions=tuple(prepared.kept[p] for p in top.definitions),
        steps=tuple(steps),
        findings=_sorted_findings(_not_ignored(every_finding, cells)),
        changes=tuple(sorted(changes, key=lambda c: (c.cell, c.line))),
        requirements=tuple(dict.fromkeys(r for cell in cells for r in cell.requirements)),
        globals_=globals_,
        sample=tuple(sample),
        output_name=options.output_name or naming.module_name(kind, prepared.notebook.path),
        entry=entry,
        module_mode=top.module_mode is not None,
        asynchronous=any(s.facts.awaits for s in main_statements),
        helpers=tuple(dict.fromkeys(h for cell in cells for h in cell.helpers)),
        extra_imports=tuple(dict.fromkeys(i for cell in cells for i in cell.imports)),
        state=state,
    )


def _kind(requested: str, statements: Sequence[Statement]) -> str:
    if requested in ("train", "score", "script"):
        return requested
    if is_scoring(statements):
        return "score"
    return "train" if any(s.facts.trains for s in statements) else "script"


def _has_headings(sections: Sequence[Section]) -> bool:
    return any(section.heading for section in sections)


def _bound_names(statement: Statement) -> Set[str]:
    facts = statement.facts
    return set(facts.binds) | set(facts.maybe_binds) | set(facts.global_writes) | set(facts.deletes)


def _binds_in(statements: Sequence[Statement]) -> List[str]:
    return list(dict.fromkeys(n for s in statements for n in list(s.facts.binds) + list(s.facts.maybe_binds)))


def _entry_name(taken: Set[str]) -> str:
    return next(name for name in ENTRY_NAMES if name not in taken)


def _works(prepared: Prepared) -> List[Work]:
    """Each section's statements that run in the entry point, as positions into `kept`."""
    sections, top = prepared.sections, prepared.top
    section_of = {(s.facts.cell, s.facts.line): i for i, section in enumerate(sections) for s in section.statements}
    works = [Work(section, [], _tail_shows(section)) for section in sections]
    current = 0
    for position, statement in enumerate(prepared.kept):
        current = section_of.get((statement.facts.cell, statement.facts.line), current)
        if position not in top.moved:
            works[current].statements.append((position, statement))
    return [w for w in works if w.statements]


def _tail_shows(section: Section) -> Tuple[str, ...]:
    """Names the section's last statement shows as results: `print(metrics)` or a final `metrics`."""
    for statement in reversed(section.statements):
        facts = statement.facts
        if facts.kind != "statement":
            continue
        if facts.inspection:
            return ()
        return facts.shows
    return ()


# --- names ----------------------------------------------------------------------------------------


def name_functions(steps: Sequence[Step], taken: Set[str], path: str = "") -> Tuple[List[Step], List[Finding]]:
    """Names for the steps that became functions (nbrefactor.naming), and a finding for an explicit
    name that shadows a name the script uses. Two sections given the same name are bad input."""
    functions = [step for step in steps if not step.inline]
    _refuse_a_name_given_twice(functions, path)
    candidates = [Candidate(step.heading, step.name, _bound_in(step), _last_call(step)) for step in functions]
    names = iter(naming.name_functions(candidates, taken))
    named = [step if step.inline else replace(step, name=next(names)) for step in steps]
    findings = [
        Finding(step.body[0].facts.cell, 1, 1, f"function name '{step.name}' shadows a name the script uses", "NB104")
        for step in functions if step.name and unicodedata.normalize("NFKC", step.name) in taken
    ]
    return named, findings


def _refuse_a_name_given_twice(functions: Sequence[Step], path: str) -> None:
    first_cell: Dict[str, int] = {}
    for step in functions:
        if not step.name:
            continue
        cell = (step.body or step.settings)[0].facts.cell
        name = unicodedata.normalize("NFKC", step.name)
        if name in first_cell:
            message = f"function name '{step.name}' is given to two sections (code cells {first_cell[name]} and {cell})"
            raise NotebookError(path, message, cell, 1, 1)
        first_cell[name] = cell


def _bound_in(step: Step) -> Tuple[str, ...]:
    """What the section binds, its returned values last: naming reads the last as what it computes."""
    return tuple(n for n in _binds_in(step.body) if n not in step.returns) + tuple(step.returns)


def _last_call(step: Step) -> str:
    """The dotted name of the last call the section makes (`pd.read_csv`), for naming it."""
    return next((s.facts.last_call for s in reversed(step.body) if s.facts.last_call), "")


def star_import_names(statements: Sequence[Statement]) -> Set[str]:
    """Names the notebook's star imports bind, for the modules nbrefactor knows."""
    names: Set[str] = set()
    for statement in statements:
        for node in statement.node if statement.facts.star_import else ():
            module = getattr(node, "module", "") or ""
            names |= set(naming.STAR_IMPORT_NAMES.get(module, ()))
    return names


# --- findings -------------------------------------------------------------------------------------


def _name_findings(kept: Sequence[Statement], cells: Sequence[CodeCell]) -> List[Finding]:
    """Reads of names that no earlier statement binds: the notebook itself would fail there."""
    left_out = {name: cell.cell.number for cell in cells for name in cell.left_out_names}
    bound: Set[str] = {name for cell in cells for name in cell.helpers}
    every = {n for s in kept for n in _bound_names(s)}
    star = False
    findings = []
    for statement in kept:
        facts = statement.facts
        for name, line, col in facts.read_positions:
            if name in bound or name in BUILTIN_NAMES or name in E.IPYTHON_NAMES or star or name == "display":
                continue
            findings.append(Finding(facts.cell, line, col, _undefined_message(name, every, left_out), _undefined_code(name, every, left_out)))
            bound.add(name)
        bound |= _bound_names(statement)
        star = star or facts.star_import or E.INTROSPECTION in facts.effects  # names may appear by any name
    return findings


def _undefined_message(name: str, every: Set[str], left_out: Dict[str, int]) -> str:
    if name in left_out and name not in every:
        return f"name '{name}' is bound only in cell {left_out[name]}, which was left out"
    if name in every:
        return f"name '{name}' is read before any cell binds it"
    return f"undefined name '{name}'"


def _undefined_code(name: str, every: Set[str], left_out: Dict[str, int]) -> str:
    if name in left_out and name not in every:
        return "NB103"
    return "NB102" if name in every else "NB101"


def _error_findings(cells: Sequence[CodeCell]) -> List[Finding]:
    """Cells whose saved outputs show an error: the notebook stopped there; so will the script."""
    return [
        Finding(cell.cell.number, 1, 1, f"this cell stopped with {cell.cell.error} when the notebook was last run; nothing in it was removed, so the script stops there too", "NB307")
        for cell in cells if cell.cell.error
    ]


def _order_findings(notebook: Notebook) -> List[Finding]:
    last: Optional[int] = None
    for cell in notebook.code_cells:
        count = cell.execution_count
        if count is None:
            continue
        if last is not None and count <= last:
            return [Finding(cell.number, 1, 1, f"cells ran out of order (execution count {count} after {last})", "NB403")]
        last = count
    return []


def _star_findings(kept: Sequence[Statement]) -> List[Finding]:
    return [
        Finding(s.facts.cell, s.facts.line, s.facts.col, "star import: the names it binds cannot be checked", "NB402")
        for s in kept if s.facts.star_import
    ]


def _global_findings(prepared: Prepared, steps: Sequence[Step], main_statements: Sequence[Statement]) -> List[Finding]:
    """Where the script declares a name `global`, say why: once per name, at its first binding."""
    declared = [(s, name) for s in main_statements for name in _binds_in([s]) if name in prepared.top.shared]
    declared += [(s, name) for step in steps for s in step.body for name in _binds_in([s]) if name in step.globals_]
    findings, seen = [], set()
    for statement, name in sorted(declared, key=lambda pair: (pair[0].facts.cell, pair[0].facts.line)):
        if name not in seen:
            seen.add(name)
            facts = statement.facts
            reason = prepared.top.shared_reasons.get(name, "")
            findings.append(Finding(facts.cell, facts.line, facts.col, f"'{name}' stays a module global ({reason}): the functions that bind it declare it global", "NB204"))
    return findings


def _not_ignored(findings: Sequence[Finding], cells: Sequence[CodeCell]) -> List[Finding]:
    """Findings less those a cell's `# nbrefactor: ignore=NB101,NB308` directive accepts on purpose."""
    ignored = {
        cell.cell.number: {code.strip() for d in cell.directives if d.startswith("ignore=") for code in d[len("ignore="):].split(",")}
        for cell in cells
    }
    return [f for f in findings if f.code not in ignored.get(f.cell, ())]


def _sorted_findings(findings: Sequence[Finding]) -> Tuple[Finding, ...]:
    return tuple(sorted(set(findings), key=lambda f: (f.cell, f.line, f.col, f.code, f.message)))


# --- where final values live ----------------------------------------------------------------------


def _state(prepared: Prepared, steps: Sequence[Step], entry: str) -> Tuple[Tuple[str, str], ...]:
    """Where the script holds each name's final value: "main" is the entry point, whatever its name."""
    top = prepared.top
    main = "main" if entry == "main" else f"function:{entry}"
    place: Dict[Tuple[int, int], str] = {_key(prepared.kept[p]): "module" for p in list(top.imports) + list(top.definitions)}
    for step in steps:
        for statement in step.body:
            place[_key(statement)] = main if step.inline else f"function:{step.name}"
        for statement in step.settings + step.after:
            place[_key(statement)] = main
    returned = {(step.name, n) for step in steps if not step.inline for n in step.returns}
    unused = {_key(prepared.kept[p]) for p in top.unused_imports}
    last: Dict[str, str] = {}
    for position, statement in enumerate(prepared.flat):
        where = "removed" if position in prepared.removal.removed else place.get(_key(statement), main)
        dropped = _key(statement) in unused or where == "removed"
        for name in _bound_names(statement):
            if dropped:
                last[name] = "removed"
            elif name in top.shared or name in top.module_names:
                last[name] = "module"
            elif where.startswith("function:") and (where[len("function:"):], name) in returned:
                last[name] = main
            else:
                last[name] = where
    return tuple(sorted(last.items()))


def _key(statement: Statement) -> Tuple[int, int]:
    return statement.facts.cell, statement.facts.line


def _module_mode_plan(prepared: Prepared, kind: str, options: Options) -> Plan:
    """Everything runs at module level under the `__main__` guard, in notebook order: the notebook
    reads or writes its own namespace (globals(), exec, %run), which a function's locals cannot be."""
    top = prepared.top
    reason = top.module_mode.facts
    message = (
        "a star import that must stay where it is" if reason.star_import
        else "a `global` statement inside a block" if reason.declares_global
        else "the notebook reads or writes its own namespace here (globals(), locals(), exec, eval or %run)"
    ) + ": the script runs its code at module level, under the __main__ guard"
    finding = Finding(reason.cell, reason.line, reason.col, message, "NB205")
    body = tuple(s for p, s in enumerate(prepared.kept) if p not in top.moved)
    removed = prepared.removal.removed
    state = {n: "removed" if p in removed else "module" for p, s in enumerate(prepared.flat) for n in _bound_names(s)}
    return assemble_plan(
        prepared, [Step("", "", "", (), (), body, role="inline")], kind=kind, findings=[finding], options=options,
        entry="", state=tuple(sorted(state.items())),
    )
