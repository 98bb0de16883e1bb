"""Statements -> Plan: sections, functions, parameters, returns, lifted settings and findings.

Every decision of the conversion is taken here, from the facts alone; nothing is rendered.
"""
from __future__ import annotations

import builtins
import keyword
import re
from dataclasses import dataclass, field, replace
from typing import Dict, List, Optional, Sequence, Set, Tuple

import libcst as cst

from .model import Cell, Change, CodeCell, Finding, Notebook, Plan, Section, Statement, Step
from .rules import FIGURE_CONSUMERS
from .scoring import is_scoring, json_result, sample_print, scoring_steps

BUILTIN_NAMES = frozenset(dir(builtins)) | {"__file__", "__name__", "__builtins__", "__doc__"}
NOTEBOOK_ONLY_NAMES = frozenset({"display", "get_ipython", "In", "Out", "_", "__", "___"})
PREPOSITIONS = frozenset(
    """about above across after against along among around as at before behind below beneath beside
    between beyond by during except for from in inside into like near of off on onto out outside over
    per since than through to toward towards under until upon via with within without using""".split()
)
HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
MAX_NAME_WORDS = 4


@dataclass(frozen=True)
class Options:
    """The settings the plan depends on."""

    kind: str = "auto"  # "train", "score" or "auto"
    names: Tuple[Tuple[str, str], ...] = ()  # heading -> function name
    output_name: str = ""


def make_plan(notebook: Notebook, cells: Sequence[CodeCell], statements: Sequence[Tuple[Statement, ...]], options: Options = Options()) -> Plan:
    sections = build_sections(notebook, cells, statements, dict(options.names))
    all_statements = [s for section in sections for s in section.statements]
    sorter = _Sorter(all_statements)
    kept_sections, removed = sorter.sort(sections)
    flow = _Flow(sorter.module_names, all_statements, sorter.star_import, _left_out_names(cells))
    steps = flow.steps(kept_sections, removed)
    steps = _name_functions(steps, flow.all_bound | sorter.module_names)
    kind = options.kind if options.kind in ("train", "score") else ("score" if is_scoring(all_statements) else "train")
    scoring = {}
    if kind == "score":
        steps, scoring = _scoring(kept_sections, removed)
    findings = _cell_findings(cells) + sorter.findings + flow.findings + _execution_order_findings(notebook)
    changes = tuple(change for cell in cells for change in cell.changes) + sorter.changes
    requirements = tuple(dict.fromkeys(r for cell in cells for r in cell.requirements))
    return Plan(
        kind=kind,
        source=notebook.path,
        imports=tuple(sorter.used_imports(steps)),
        definitions=tuple(sorter.definitions),
        steps=tuple(steps),
        findings=tuple(sorted(set(findings), key=lambda f: (f.cell, f.line, f.col, f.message))),
        changes=tuple(sorted(changes, key=lambda c: (c.cell, c.line))),
        requirements=requirements,
        output_name=options.output_name or kind,
        **scoring,
    )


def _scoring(sections: Sequence[Section], removed) -> Tuple[List[Step], dict]:
    init, run, shared = scoring_steps(sections, removed)
    run = replace(run, return_expression=json_result(run))
    shown = [s for gone in removed for s in gone]
    return [init, run], {"globals_": shared, "sample": run.settings, "sample_print": sample_print(run, shown, "prediction")}


# --- sections -------------------------------------------------------------------------------------


def heading_of(markdown: str) -> Tuple[str, str]:
    """The last heading of a markdown cell and the text under it; ("", text) without a heading."""
    lines = markdown.replace("\r\n", "\n").split("\n")
    heading, start, fenced = "", 0, False
    for number, line in enumerate(lines):
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
        match = None if fenced else HEADING.match(line)
        if match:
            heading, start = _plain_text(match.group(2)), number + 1
    return heading, "\n".join(lines[start:]).strip()


def _plain_text(markdown: str) -> str:
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", markdown)
    text = re.sub(r"<[^>]+>", "", text)
    return re.sub(r"[*_`]+", "", text).strip()


def build_sections(notebook: Notebook, cells: Sequence[CodeCell], statements, names: Dict[str, str]) -> List[Section]:
    by_index = {cell.cell.index: (cell, stmts) for cell, stmts in zip(cells, statements)}
    sections: List[Section] = [Section(heading="", doc="", statements=())]
    for cell in notebook.cells:
        if cell.kind == "markdown":
            heading, text = heading_of(cell.source)
            if heading:
                sections.append(Section(heading=heading, doc=text, statements=(), function_name=names.get(heading, "")))
            elif text and not sections[-1].statements:
                doc = (sections[-1].doc + "\n\n" + text).strip()
                sections[-1] = replace(sections[-1], doc=doc)
        elif cell.index in by_index:
            code_cell, stmts = by_index[cell.index]
            sections[-1] = _add_cell(sections[-1], code_cell, stmts)
    return [section for section in sections if section.statements]


def _add_cell(section: Section, cell: CodeCell, statements: Tuple[Statement, ...]) -> Section:
    name = section.function_name
    for directive in cell.directives:
        key, _, value = directive.partition("=")
        if key.strip() in ("function", "name") and value.strip().isidentifier():
            name = value.strip()
    if "parameters" in cell.directives:
        statements = tuple(replace(s, facts=replace(s.facts, setting=True)) if s.facts.binds else s for s in statements)
    return replace(
        section,
        statements=section.statements + statements,
        function_name=name,
        first_cell=section.first_cell or cell.cell.number,
    )


# --- module level, exploratory removal -----------------------------------------------------------


class _Sorter:
    """Moves imports and self-contained definitions to module level and removes display-only code."""

    def __init__(self, statements: Sequence[Statement]):
        self.statements = statements
        self.imports = [s for s in statements if s.facts.kind in ("future", "import")]
        self.star_import = any(s.facts.star_import for s in self.imports)
        self.import_names = {name for s in self.imports for name in s.facts.binds}
        self.module_names = set(self.import_names)
        self.definitions: List[Statement] = []
        self.findings: List[Finding] = [
            Finding(s.facts.cell, s.facts.line, s.facts.col, "star import: names it binds cannot be checked")
            for s in self.imports
            if s.facts.star_import
        ]
        self.changes: Tuple[Change, ...] = ()
        self.figures_saved = any(c in s.code for s in statements for c in FIGURE_CONSUMERS)
        self._hoist_definitions()

    def _hoist_definitions(self) -> None:
        """Definitions whose every read is module-level become module-level themselves (a fixed point)."""
        defs = [s for s in self.statements if s.facts.kind == "def"]
        bound_elsewhere = {n for s in self.statements if s.facts.kind == "statement" for n in s.facts.binds + s.facts.maybe_binds}
        defined = [n for s in defs for n in s.facts.binds]
        bound_elsewhere |= {n for n in defined if defined.count(n) > 1}  # redefined: each version runs in its place
        candidates = {id(s) for s in defs if not (set(s.facts.binds) & bound_elsewhere) and not s.facts.global_writes}
        while True:
            names = self.module_names | {n for s in defs if id(s) in candidates for n in s.facts.binds}
            keep = {id(s) for s in defs if id(s) in candidates and self._only_reads(s, names)}
            if keep == candidates:
                break
            candidates = keep
        self.definitions = [s for s in defs if id(s) in candidates]
        self.module_names |= {n for s in self.definitions for n in s.facts.binds}
        for s in defs:
            if id(s) not in candidates:
                self.findings.append(Finding(s.facts.cell, s.facts.line, s.facts.col, _kept_in_place_message(s, self.module_names)))

    def _only_reads(self, statement: Statement, names: Set[str]) -> bool:
        reads = set(statement.facts.reads) | set(statement.facts.deferred_reads)
        return all(name in names or (name in BUILTIN_NAMES and not self._bound_anywhere(name)) for name in reads)

    def _bound_anywhere(self, name: str) -> bool:
        return any(name in s.facts.binds or name in s.facts.maybe_binds for s in self.statements)

    def sort(self, sections: Sequence[Section]):
        """Sections holding only the statements that stay in functions or main, and what was removed."""
        kept, removed, changes = [], [], []
        definitions = {id(d) for d in self.definitions}
        for section in sections:
            body, gone = [], []
            for statement in section.statements:
                facts = statement.facts
                if facts.kind in ("import", "future") or id(statement) in definitions:
                    continue
                rule = self._removal_rule(statement)
                if rule:
                    gone.append(statement)
                    changes.append(Change(facts.cell, facts.line, f"exploratory: {rule}", _first_line(statement.code)))
                else:
                    body.append(statement)
            kept.append(replace(section, statements=tuple(body)))
            removed.append(tuple(gone))
        if not self.figures_saved:
            kept, removed = self._drop_idle_figures(kept, removed, changes)
        self.changes = tuple(changes)
        return kept, removed

    def _drop_idle_figures(self, kept, removed, changes):
        """Figures no kept statement draws on or reads, and closing cells that no longer plot."""
        statements = [s for section in kept for s in section.statements]
        idle = _idle_figures(statements)
        idle_ids = {id(s) for s in idle}
        still_plotting = {s.facts.cell for s in statements if s.facts.plotting and id(s) not in idle_ids and not _closes(s)}
        idle += [s for s in statements if _closes(s) and s.facts.cell not in still_plotting]
        idle_ids = {id(s) for s in idle}
        changes += [Change(s.facts.cell, s.facts.line, "exploratory: plot", _first_line(s.code)) for s in idle]
        trimmed = [replace(sec, statements=tuple(s for s in sec.statements if id(s) not in idle_ids)) for sec in kept]
        gone = [g + tuple(s for s in sec.statements if id(s) in idle_ids) for sec, g in zip(kept, removed)]
        return trimmed, gone

    def _removal_rule(self, statement: Statement) -> str:
        rule = statement.facts.exploratory
        if rule == "plot" and self.figures_saved:
            return ""
        return rule

    def used_imports(self, steps: Sequence[Step]) -> List[Statement]:
        """Imports whose names the kept code reads (star and __future__ imports always stay)."""
        used = {n for step in steps for s in step.body + step.settings for n in s.facts.reads + s.facts.deferred_reads}
        used |= {n for s in self.definitions for n in s.facts.reads + s.facts.deferred_reads}
        chosen, seen = [], set()
        for statement in self.imports:
            facts = statement.facts
            code = statement.code.strip()
            if code in seen:
                continue
            if facts.kind == "future" or facts.star_import or set(facts.binds) & used:
                chosen.append(statement)
                seen.add(code)
        return sorted(chosen, key=lambda s: s.facts.kind != "future")


def _idle_figures(statements: Sequence[Statement]) -> List[Statement]:
    """Figure statements whose names no other kept statement reads, to a fixed point along chains."""
    idle = [s for s in statements if s.facts.figure]
    while True:
        idle_ids = {id(s) for s in idle}
        read = {n for s in statements if id(s) not in idle_ids for n in s.facts.reads + s.facts.deferred_reads}
        still_idle = [s for s in idle if not set(s.facts.binds) & read]
        if len(still_idle) == len(idle):
            return idle
        idle = still_idle


def _closes(statement: Statement) -> bool:
    return statement.facts.plotting and re.search(r"\.close\(\s*['\"]all['\"]\s*\)", statement.code) is not None


def _kept_in_place_message(statement: Statement, module_names: Set[str]) -> str:
    name = statement.facts.binds[0] if statement.facts.binds else "definition"
    outside = [n for n in statement.facts.reads + statement.facts.deferred_reads if n not in module_names and n not in BUILTIN_NAMES]
    if statement.facts.global_writes:
        return f"'{name}' assigns notebook variables through 'global' ({', '.join(statement.facts.global_writes)}); kept where it is defined"
    if outside:
        return f"'{name}' reads notebook variables ({', '.join(dict.fromkeys(outside))}); kept in place as a closure and passed to the functions that call it"
    return f"'{name}' is bound again elsewhere; kept where it is defined"


def _first_line(code: str) -> str:
    lines = [line for line in code.strip().splitlines() if line.strip() and not line.strip().startswith("#")]
    return lines[0].strip() if lines else code.strip()


# --- def/use flow ----------------------------------------------------------------------------------


@dataclass
class _Draft:
    """A section while its flow is worked out."""

    section: Section
    removed: Tuple[Statement, ...]
    params: List[str] = field(default_factory=list)
    binds: List[str] = field(default_factory=list)
    substitutions: Dict[str, str] = field(default_factory=dict)


class _Flow:
    """Parameters and returns from reads and binds, in execution order."""

    def __init__(self, module_names: Set[str], statements: Sequence[Statement], star_import: bool, left_out: Dict[str, int]):
        self.module_names = module_names
        self.left_out = left_out
        self.star_import = star_import
        self.findings: List[Finding] = []
        self.all_bound = {n for s in statements for n in s.facts.binds + s.facts.maybe_binds}

    def steps(self, sections: Sequence[Section], removed: Sequence[Tuple[Statement, ...]]) -> List[Step]:
        drafts = [_Draft(section, gone) for section, gone in zip(sections, removed)]
        binder: Dict[str, int] = {}
        for index, draft in enumerate(drafts):
            self._read_section(draft, binder)
            for name in draft.binds:
                binder[name] = index
        binders = self._binders(drafts)
        self._substitute(drafts, binders)
        needed = self._needed(drafts, binders)
        functions = [self._is_function(d, needed[i]) for i, d in enumerate(drafts)]
        return [self._step(d, needed[i], functions[i]) for i, d in enumerate(drafts) if d.section.statements]

    def _read_section(self, draft: _Draft, binder: Dict[str, int]) -> None:
        local: Set[str] = set()
        maybe_local: Set[str] = set()
        for statement in draft.section.statements:
            facts = statement.facts
            deferred = facts.deferred_reads if facts.kind == "def" else ()
            own = set(facts.binds + facts.maybe_binds) if _is_compound(statement) else set()
            for name in facts.reads + deferred:
                if name in self.module_names or name in local or name in draft.params:
                    continue
                if name in binder:
                    draft.params.append(name)
                elif name in deferred and name in self.all_bound:
                    continue  # a function body reads it when called, by which time a later cell may bind it
                elif not (self._is_builtin(name) or name in maybe_local or name in own):
                    self._unbound(name, statement)
            local |= set(facts.binds)
            maybe_local |= set(facts.maybe_binds)
            for name in facts.binds + facts.maybe_binds:
                if name not in draft.binds:
                    draft.binds.append(name)
        for name in draft.binds:
            if name in binder and name not in local and name not in draft.params:
                draft.params.append(name)  # bound only on some paths: the earlier value flows through
        self._check_removed(draft, set(binder) | local | maybe_local)

    def _check_removed(self, draft: _Draft, available: Set[str]) -> None:
        """A removed display statement still tells of a name the notebook never bound."""
        for statement in draft.removed:
            for name in statement.facts.reads:
                if not (name in self.module_names or name in available or self._is_builtin(name)):
                    self._unbound(name, statement)

    def _is_builtin(self, name: str) -> bool:
        return name in BUILTIN_NAMES and name not in self.all_bound

    def _unbound(self, name: str, statement: Statement) -> None:
        if self.star_import:
            return
        line, col = next(((l, c) for n, l, c in statement.facts.read_positions if n == name), (statement.facts.line, statement.facts.col))
        if name in NOTEBOOK_ONLY_NAMES:
            message = f"'{name}' exists only inside Jupyter"
        elif name in self.all_bound:
            message = f"name '{name}' is read before any cell binds it"
        elif name in self.left_out:
            message = f"name '{name}' is bound only in cell {self.left_out[name]}, which was left out"
        else:
            message = f"undefined name '{name}'"
        self.findings.append(Finding(statement.facts.cell, line, col, message))

    def _binders(self, drafts: Sequence[_Draft]) -> List[Dict[str, int]]:
        """For each section, which earlier section last bound each of its parameters."""
        binder: Dict[str, int] = {}
        result = []
        for index, draft in enumerate(drafts):
            result.append({name: binder[name] for name in draft.params if name in binder})
            for name in draft.binds:
                binder[name] = index
        return result

    def _substitute(self, drafts: Sequence[_Draft], binders: Sequence[Dict[str, int]]) -> None:
        """Read a value through the container an earlier section built around it (`data["test"]["y"]`)."""
        for index, draft in enumerate(drafts):
            for name in list(draft.params):
                source = binders[index].get(name)
                path = self._container_path(drafts, source, index, name) if source is not None else None
                if path is None:
                    continue
                container, expression = path
                position = draft.params.index(name)
                draft.params.remove(name)
                if container not in draft.params:
                    draft.params.insert(position, container)
                    binders[index][container] = source
                draft.substitutions[name] = expression

    def _container_path(self, drafts, source: int, reader: int, name: str) -> Optional[Tuple[str, str]]:
        statements = drafts[source].section.statements
        for position, statement in enumerate(statements):
            for value, container, keys in statement.facts.containers:
                if value != name:
                    continue
                later = list(statements[position + 1 :]) + [s for d in drafts[source + 1 : reader] for s in d.section.statements]
                if not any(_touches(s, (name, container)) for s in later) and name not in drafts[reader].binds and container not in drafts[reader].binds:
                    return container, container + "".join(f"[{key}]" for key in keys)
        return None

    def _needed(self, drafts: Sequence[_Draft], binders: Sequence[Dict[str, int]]) -> List[List[str]]:
        needed: List[List[str]] = [[] for _ in drafts]
        for index, draft in enumerate(drafts):
            for name in draft.params:
                source = binders[index].get(name)
                if source is not None and name not in needed[source]:
                    needed[source].append(name)
        return [sorted(names, key=drafts[i].binds.index) for i, names in enumerate(needed)]

    def _is_function(self, draft: _Draft, needed: List[str]) -> bool:
        if draft.section.function_name:
            return True
        return bool(draft.params) and bool(needed or self._displayed_result(draft))

    def _displayed_result(self, draft: _Draft) -> Tuple[str, ...]:
        shown = [n for s in draft.removed for n in s.facts.displays if n in draft.binds]
        return (shown[-1],) if shown else ()

    def _step(self, draft: _Draft, needed: List[str], function: bool) -> Step:
        section = draft.section
        if not function:
            return Step(section.heading, "", section.doc, (), tuple(needed), section.statements, role="inline")
        settings = tuple(s for s in _settings(section.statements) if s.facts.binds[0] not in draft.params)
        setting_names = [s.facts.binds[0] for s in settings]
        body = tuple(s for s in section.statements if not any(s is t for t in settings))
        params = [n for n in draft.params if n not in setting_names] + setting_names
        returns = tuple(n for n in needed if n not in setting_names) or self._displayed_result(draft)
        return Step(
            heading=section.heading,
            name=section.function_name or "",
            doc=section.doc,
            params=tuple(params),
            returns=returns,
            body=body,
            settings=settings,
            substitutions=tuple(sorted(draft.substitutions.items())),
            role="step",
        )


def _is_compound(statement: Statement) -> bool:
    """Loops, branches and blocks may read, in a later pass or branch, what they bind themselves."""
    return isinstance(statement.node, cst.BaseCompoundStatement)


def _touches(statement: Statement, names: Tuple[str, ...]) -> bool:
    facts = statement.facts
    touched = set(facts.binds) | set(facts.maybe_binds) | set(facts.deletes) | set(facts.mutates)
    return bool(touched & set(names))


def _settings(statements: Sequence[Statement]) -> Tuple[Statement, ...]:
    """Literal assignments bound once and never changed in the section: lifted into the caller."""
    chosen = []
    for statement in statements:
        if not statement.facts.setting:
            continue
        name = statement.facts.binds[0]
        others = [s for s in statements if s is not statement]
        if not any(_touches(s, (name,)) for s in others):
            chosen.append(statement)
    return tuple(chosen)


# --- names --------------------------------------------------------------------------------------------


def function_name(heading: str) -> str:
    """`Split Data into Training and Validation Sets` -> `split_data`."""
    text = re.sub(r"^\s*(step\s*)?\d+(\.\d+)*([.):]|\s)\s*", "", heading, flags=re.IGNORECASE)
    words = re.findall(r"[A-Za-z0-9]+", text.lower())
    chosen = []
    for word in words:
        if word in PREPOSITIONS and chosen:
            break
        if word not in PREPOSITIONS:
            chosen.append(word)
        if len(chosen) == MAX_NAME_WORDS:
            break
    name = "_".join(chosen)
    if name and name[0].isdigit():
        name = "step_" + name
    return name


def _name_functions(steps: Sequence[Step], taken: Set[str]) -> List[Step]:
    used = set(taken) | {"main", "init", "run"} | BUILTIN_NAMES | set(keyword.kwlist)
    named = []
    for number, step in enumerate(steps, start=1):
        if step.inline:
            named.append(step)
            continue
        base = step.name or function_name(step.heading) or f"step_{number}"
        name = base
        suffix = 2
        while name in used:
            name = f"{base}_{suffix}"
            suffix += 1
        used.add(name)
        named.append(replace(step, name=name))
    return named


# --- notebook-level findings --------------------------------------------------------------------------


def _left_out_names(cells: Sequence[CodeCell]) -> Dict[str, int]:
    return {name: cell.cell.number for cell in cells for name in cell.left_out_names}


def _cell_findings(cells: Sequence[CodeCell]) -> List[Finding]:
    return [finding for cell in cells for finding in cell.findings]


def _execution_order_findings(notebook: Notebook) -> List[Finding]:
    last: Optional[int] = None
    for cell in notebook.code_cells:
        count = cell.execution_count
        if count is None:
            continue
        if last is not None and count <= last:
            return [Finding(cell.number, 1, 1, f"cells ran out of order (execution count {count} after {last})")]
        last = count
    return []
