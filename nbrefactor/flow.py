"""Sections -> Steps: which sections become functions, with which parameters and return values.

Def/use in execution order decides. A function takes what its section reads that an earlier section
bound (in the order the values were bound; lifted settings last) and returns what it binds that a
later section reads, plus the result it ends by printing or displaying. A section stays inline in the
entry point when a function could not do exactly what the notebook did (a name bound only on some
paths and read later, a deletion of an earlier name, an `await`), with a finding; or by choice, when
it is a short source or sink (at most SHORT statements that only load inputs or only save results),
or the notebook has no headings at all.
"""
from __future__ import annotations

import ast
import bisect
from dataclasses import dataclass, field
from typing import Callable, Dict, List, Sequence, Set, Tuple

from . import effects as E
from .model import Finding, Section, Statement, Step
from .positions import NameIndex

SHORT = 3  # a section of at most this many statements that only loads inputs or saves results stays inline
LONG = 60  # a function longer than this many lines gets a finding suggesting where to split it


@dataclass
class Work:
    """One section during planning: its statements that run in the entry point, with their positions."""

    section: Section
    statements: List[Tuple[int, Statement]]
    tail_shows: Tuple[str, ...] = ()  # names the section's last statement printed or displayed


@dataclass
class _Summary:
    exposed: List[str] = field(default_factory=list)  # names read before the section binds them
    binds: List[str] = field(default_factory=list)
    maybe: List[str] = field(default_factory=list)
    deletes: Set[str] = field(default_factory=set)
    awaits: bool = False


@dataclass
class FlowInput:
    works: List[Work]
    statements: Sequence[Statement]  # every kept statement, in notebook order (positions index it)
    module_names: Set[str]
    shared: Set[str]
    closure_reads: Dict[int, Tuple[str, ...]]
    notebook_names: Set[str]  # every name the notebook binds
    headings: bool  # the notebook has at least one heading
    parameter_cells: frozenset = frozenset()  # cells tagged `parameters`: every literal in them is a setting
    pick_shows: object = None  # callable(statement) -> names a print shows


def plan_steps(data: FlowInput) -> Tuple[List[Step], List[Finding]]:
    summaries = [_summarise(work, data) for work in data.works]
    timeline = _Timeline(summaries)
    index = NameIndex(data.statements)
    read_through = [_read_through(work, summary.exposed, _Before(timeline, i), data, index) for i, (work, summary) in enumerate(zip(data.works, summaries))]
    for summary, substitutions in zip(summaries, read_through):
        summary.exposed = _through_containers(summary.exposed, substitutions)
    timeline = _Timeline(summaries)
    steps, findings = [], []
    for i, work in enumerate(data.works):
        views = (_LiveAfter(timeline, i), _Before(timeline, i), _Before(timeline, i, maybe=True))
        step, found = _step(work, summaries[i], *views, data, index, read_through[i])
        steps.append(step)
        findings += found
    return steps, findings


class _Timeline:
    """For each name, the sections that bind, delete or read it, in order: what was bound before a
    section, and whether a value is read after one, answered by bisection (no set per section)."""

    def __init__(self, summaries: Sequence[_Summary]):
        self.states: Dict[str, List[Tuple[int, str]]] = {}  # name -> [(section, "defined"/"maybe"/"none" after it)]
        self.uses: Dict[str, List[Tuple[int, bool]]] = {}  # name -> [(section, read before bound there)]
        state: Dict[str, str] = {}
        for i, summary in enumerate(summaries):
            for name in set(summary.binds) | set(summary.maybe) | summary.deletes:
                state[name] = _next_state(state.get(name, "none"), name, summary)
                self.states.setdefault(name, []).append((i, state[name]))
            exposed = set(summary.exposed)
            for name in exposed | set(summary.binds):
                self.uses.setdefault(name, []).append((i, name in exposed))

    def state_before(self, name: str, section: int) -> str:
        events = self.states.get(name, ())
        at = bisect.bisect_left(events, (section, ""))
        return events[at - 1][1] if at else "none"

    def read_after(self, name: str, section: int) -> bool:
        events = self.uses.get(name, ())
        at = bisect.bisect_right(events, (section, True))
        return at < len(events) and events[at][1]


def _next_state(state: str, name: str, summary: _Summary) -> str:
    if name in summary.deletes:
        return "maybe"
    if name in summary.binds:
        return "defined"
    return state if state == "defined" else "maybe"


@dataclass(frozen=True)
class _Before:
    """The names bound before one section (definitely; or only on some paths, with `maybe`)."""

    timeline: _Timeline
    section: int
    maybe: bool = False

    def __contains__(self, name: str) -> bool:
        return self.timeline.state_before(name, self.section) == ("maybe" if self.maybe else "defined")


@dataclass(frozen=True)
class _LiveAfter:
    """The names some later section reads before binding them again."""

    timeline: _Timeline
    section: int

    def __contains__(self, name: str) -> bool:
        return self.timeline.read_after(name, self.section)


def _through_containers(names: List[str], substitutions: Dict[str, str]) -> List[str]:
    """The names a section reads once values are read through their containers."""
    result: List[str] = []
    for name in names:
        read = substitutions[name].split("[")[0] if name in substitutions else name
        if read not in result:
            result.append(read)
    return result


def _relevant(name: str, data: FlowInput) -> bool:
    return name in data.notebook_names and name not in data.module_names and name not in data.shared


def _summarise(work: Work, data: FlowInput) -> _Summary:
    summary = _Summary()
    bound: Set[str] = set()
    for position, statement in work.statements:
        facts = statement.facts
        for name in list(facts.reads) + list(data.closure_reads.get(position, ())):
            if _relevant(name, data) and name not in bound and name not in summary.exposed:
                summary.exposed.append(name)
        summary.binds += [n for n in facts.binds if _relevant(n, data) and n not in summary.binds]
        summary.maybe += [n for n in facts.maybe_binds if _relevant(n, data) and n not in summary.maybe and n not in bound]
        summary.deletes |= {n for n in facts.deletes if _relevant(n, data)}
        summary.awaits = summary.awaits or facts.awaits
        bound |= set(facts.binds)
        bound -= set(facts.deletes)
    summary.maybe = [n for n in summary.maybe if n not in bound]  # bound for certain by the section's end
    return summary


def _step(work, summary, live_out, before, maybe_before, data: FlowInput, index: NameIndex, substitutions: Dict[str, str]) -> Tuple[Step, List[Finding]]:
    section = work.section
    statements = [s for _, s in work.statements]
    reasons = _reasons(summary, live_out, before, maybe_before)
    settings = _settings(work, summary, data, index) if not reasons else []
    body = [s for s in statements if not any(s is t for t in settings)]
    setting_names = [n for s in settings for n in s.facts.settings]
    params = _ordered_params([n for n in summary.exposed if n in before or n in maybe_before], work, data, index)
    result = [n for n in work.tail_shows if n in summary.binds or n in summary.maybe]
    returns = list(dict.fromkeys(n for n in summary.binds + summary.maybe if n in live_out or n in result))
    returns = [n for n in returns if n not in setting_names or n in live_out]
    params += [n for n in summary.maybe if n in live_out and n in before and n not in params]
    inline = Step(section.heading, "", section.doc, (), tuple(returns), tuple(statements), role="inline",
                  substitutions=tuple(sorted(substitutions.items())))  # the timeline already reads through them
    if not data.headings or not body:
        return inline, []
    chosen = section.function_name or _worth_a_function(body, params, returns, result, bool(section.heading))
    if not chosen:
        return inline, []
    if reasons:
        first = statements[0].facts
        message = f"section '{section.heading or 'before the first heading'}' kept inline: {reasons[0]}"
        return _with_reason(inline, reasons[0]), [Finding(first.cell, first.line, first.col, message, "NB201")]
    after = _trailing_prints(body, returns, lambda n: n in before and n not in summary.binds and n not in summary.maybe, data)
    body = body[: len(body) - len(after)]
    if after:  # what only the moved prints read is no longer the function's to receive
        read = {n for s in body for n in set(s.facts.reads) | set(s.facts.all_reads) | set(s.facts.deferred_reads)}
        passed_through = set(summary.maybe)  # bound on some paths only: the caller's value is returned otherwise
        params = [n for n in params if n in read or n in passed_through or any(n in substitution for substitution in substitutions.values())]
    step = Step(
        heading=section.heading,
        name=section.function_name,
        doc=section.doc,
        params=tuple(params + [n for n in setting_names if n not in params]),
        returns=tuple(returns),
        body=tuple(body),
        settings=tuple(settings),
        substitutions=tuple(sorted(substitutions.items())),
        globals_=tuple(n for n in _binds_of(body) if n in data.shared),
        after=tuple(after),
    )
    return step, _length_findings(step)


def _with_reason(step: Step, reason: str) -> Step:
    from dataclasses import replace

    return replace(step, reason=reason)


def _reasons(summary: _Summary, live_out: Set[str], before: Set[str], maybe_before: Set[str]) -> List[str]:
    reasons = []
    if summary.awaits:
        reasons.append("it awaits, and runs in the asynchronous entry point")
    for name in summary.maybe:
        if name in live_out and name not in before and name not in summary.binds:
            reasons.append(f"'{name}' is bound only on some paths and read later")
    for name in sorted(summary.deletes):
        if name in before or name in maybe_before:
            reasons.append(f"it deletes '{name}', which an earlier section bound")
    for name in summary.exposed:
        if name in maybe_before and name not in before:
            reasons.append(f"'{name}' may be unbound when the section starts")
    return reasons


def _worth_a_function(body: Sequence[Statement], params, returns, result, headed: bool) -> bool:
    """Real work: not only settings; not a short section that only loads inputs (reads nothing from
    earlier sections, and reads from outside: files, datasets) or only shows or saves results (gives
    nothing later, and prints or writes files); and, for code before the first heading, long enough and
    giving something later code uses."""
    if all(s.facts.settings for s in body):
        return False
    if len(body) > SHORT:
        return headed or bool(returns)
    effects = set().union(*(s.facts.effects for s in body))
    source = not params and E.OUTSIDE in effects
    sink = not returns and not result and bool(effects & {E.FILES, E.STDOUT})
    return headed and not (source or sink)


def _settings(work: Work, summary: _Summary, data: FlowInput, index: NameIndex) -> List[Statement]:
    """Settings lifted into the entry point and passed in: literal containers (`args = {"alpha": 0.5}`)
    and every literal of a `parameters` cell, bound here for the first time, never read before, read
    later in this section."""
    chosen = []
    for offset, (position, statement) in enumerate(work.statements):
        names = statement.facts.settings
        if not names or any(not _relevant(n, data) for n in names) or not _is_setting(statement, data):
            continue
        if any(index.bound_before(n, position) or index.read_before(n, position) for n in names):
            continue
        later = work.statements[offset + 1 :]
        if any(n in s.facts.reads or n in s.facts.all_reads for n in names for _, s in later):
            chosen.append(statement)
    return chosen


def _is_setting(statement: Statement, data: FlowInput) -> bool:
    return statement.facts.cell in data.parameter_cells or statement.facts.value in ("mutable", "tuple")


def _ordered_params(names: List[str], work: Work, data: FlowInput, index: NameIndex) -> List[str]:
    """Parameters in the order their values were bound before the section."""
    start = work.statements[0][0]

    def last_binding(name: str) -> int:
        positions = [p for p in index.binds.get(name, ()) if p < start]
        return positions[-1] if positions else -1

    return sorted(names, key=lambda n: (last_binding(n), names.index(n)))


def _trailing_prints(body: Sequence[Statement], returns: Sequence[str], held: Callable[[str], bool], data: FlowInput) -> List[Statement]:
    """Prints that end the section and show only what it returns (or what the caller holds): they move
    after the call, so the function computes and the entry point shows, in the same order."""
    moved: List[Statement] = []
    available = set(returns) | data.module_names | data.shared | BUILTINS
    for statement in reversed(body[1:]):
        if not _is_print(statement):
            break
        reads = set(statement.facts.all_reads) - {"print"}
        if not all(name in available or held(name) for name in reads):
            break
        moved.insert(0, statement)
    return moved


def _is_print(statement: Statement) -> bool:
    return statement.facts.prints and "print" not in statement.facts.binds


def _read_through(work: Work, exposed: List[str], before: Set[str], data: FlowInput, index: NameIndex) -> Dict[str, str]:
    """Values read through the container an earlier section built (`data["test"]["y"]` for `y_test`),
    when nothing between could have changed or exposed the container or the value."""
    substitutions: Dict[str, str] = {}
    end = work.statements[-1][0]
    body_binds = {n for _, s in work.statements for n in set(s.facts.binds) | set(s.facts.maybe_binds)}
    deferred = {n for _, s in work.statements for n in s.facts.deferred_reads}  # read when a lambda or def runs, later
    for name in exposed:
        if name in deferred:
            continue
        found = index.container_of(name, work.statements[0][0]) if name in before else None
        if found is None:
            continue
        position, container, keys = found
        if container in body_binds or name in body_binds or container in data.shared or container not in before:
            continue
        if index.changed_between(container, position, end) or index.changed_between(name, position, end):
            continue
        if not _only_leaf_reads(container, data.statements[position + 1 : end + 1], data.statements[position]):
            continue
        substitutions[name] = container + "".join(f"[{key}]" for key in keys)
    return substitutions


def _only_leaf_reads(container: str, statements: Sequence[Statement], creation: Statement) -> bool:
    """Every use of `container` is a subscript chain down to a value the literal put there."""
    leaves = {keys for value, c, keys in creation.facts.containers if c == container}
    depth = {len(keys) for keys in leaves}
    for statement in statements:
        facts = statement.facts
        if container not in facts.all_reads and container not in facts.reads and container not in facts.deferred_reads:
            continue
        for node in statement.node:
            if not _leaf_uses_only(node, container, depth):
                return False
    return True


def _leaf_uses_only(tree: ast.AST, container: str, depths: Set[int]) -> bool:
    parents: Dict[int, ast.AST] = {}
    for parent in ast.walk(tree):
        for child in ast.iter_child_nodes(parent):
            parents[id(child)] = parent
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and node.id == container:
            levels, current = 0, node
            while isinstance(parents.get(id(current)), ast.Subscript) and parents[id(current)].value is current:
                current = parents[id(current)]
                levels += 1
            if levels not in depths or not isinstance(current.ctx, ast.Load):
                return False
            if isinstance(parents.get(id(current)), (ast.Attribute, ast.Call)) and _is_method_receiver(current, parents):
                return False
    return True


def _is_method_receiver(node: ast.AST, parents) -> bool:
    parent = parents.get(id(node))
    return isinstance(parent, ast.Attribute) and isinstance(parents.get(id(parent)), ast.Call) and parents[id(parent)].func is parent


def _binds_of(statements: Sequence[Statement]) -> List[str]:
    names: List[str] = []
    for statement in statements:
        facts = statement.facts
        names += [n for n in list(facts.binds) + list(facts.maybe_binds) + list(facts.global_writes) + list(facts.deletes) if n not in names]
    return names


def _length_findings(step: Step) -> List[Finding]:
    lines = sum(s.code.count("\n") + 1 for s in step.body)
    if lines <= LONG:
        return []
    cells = sorted({s.facts.cell for s in step.body})
    middle = cells[len(cells) // 2] if len(cells) > 1 else cells[0]
    first = step.body[0].facts
    hint = f"; it could be split at cell {middle}" if len(cells) > 1 else ""
    return [Finding(first.cell, first.line, first.col, f"function for section '{step.heading}' has {lines} lines{hint}", "NB401")]


BUILTINS = frozenset(dir(__import__("builtins")))
