"""Which statements go: exploratory code that nothing kept needs, decided backwards from the end.

A statement the analysis marked removable (a pure display, a print of inspections, plotting, an
assignment of a pure value) is removed only when no kept statement after it reads what it binds or
changes, and, for plotting, no kept statement later in the same cell uses the figure (Jupyter's inline
backend closes every figure when a cell ends, so figures do not outlive their cell unless named). An
assignment is removed only when its readers were all removed displays (the result a section ends by
showing, such as `metrics` alone on a line, keeps its value); a value nobody ever reads stays.
Prints stop being removable once `sys.stdout` has been replaced. Every removal is recorded.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Dict, FrozenSet, List, Sequence, Set, Tuple

from . import effects as E
from .model import Change, Facts, Statement

PYPLOT = "matplotlib.pyplot"


@dataclass(frozen=True)
class Removal:
    removed: FrozenSet[int]  # positions in notebook order
    changes: Tuple[Change, ...]


def sweep(statements: Sequence[Statement], enabled: Sequence[str], results: FrozenSet[int] = frozenset(), failed: FrozenSet[int] = frozenset()) -> Removal:
    """`results` are the positions of statements that show a section's result (its last statement):
    the values they show are kept, the display itself goes. Nothing is removed from the cells in
    `failed` (their saved outputs show an error): the script must stop where the notebook stopped."""
    candidates = _candidates(statements, set(enabled) | {"unused", "noop"}, failed)
    live: Set[str] = set()
    read_by_removed: Set[str] = set()  # names read by removed displays, prints and plots
    removed: Set[int] = set()
    cell, figure_used = None, False
    for position in reversed(range(len(statements))):
        facts = statements[position].facts
        if facts.cell != cell:
            cell, figure_used = facts.cell, False
        rule = candidates.get(position, "")
        if rule and _can_go(facts, rule, live, read_by_removed, figure_used):
            removed.add(position)
            if rule != "unused":
                read_by_removed |= set(facts.all_reads) | set(facts.reads)
            live |= set(facts.shows) if position in results and not facts.inspection else set()
            continue
        live.difference_update(facts.binds)
        # a name bound only on some paths may keep its earlier value to the end: that value is needed
        live |= set(facts.reads) | set(facts.all_reads) | set(facts.deferred_reads) | set(facts.mutates) | set(facts.maybe_binds)
        figure_used = figure_used or E.PLOT in facts.effects
    changes = tuple(_change(statements[p]) for p in sorted(removed))
    return Removal(frozenset(removed), changes)


def _candidates(statements: Sequence[Statement], enabled: Set[str], failed: FrozenSet[int]) -> Dict[int, str]:
    redirected = next((i for i, s in enumerate(statements) if E.REDIRECT in s.facts.effects), len(statements))
    found = {}
    for position, statement in enumerate(statements):
        rule = statement.facts.removable
        if rule == "print" and position > redirected:
            continue
        if rule and rule in enabled and not statement.synthetic and statement.facts.cell not in failed:
            found[position] = rule
    return found


def _can_go(facts: Facts, rule: str, live: Set[str], read_by_removed: Set[str], figure_used: bool) -> bool:
    changed = set(facts.binds) | set(facts.maybe_binds) | set(facts.mutates)
    if changed & live:
        return False
    if rule == "unused":
        return bool(set(facts.binds) & read_by_removed)
    if rule == "plot":
        return not figure_used
    return True


def _change(statement: Statement) -> Change:
    facts = statement.facts
    rule = {"unused": "unused after removal", "noop": "does nothing outside a function"}.get(facts.removable, f"exploratory: {facts.removable}")
    return Change(facts.cell, facts.line, rule, first_line(statement.code), end_line=facts.end_line, output=facts.output)


def first_line(code: str) -> str:
    lines = [line for line in code.strip().splitlines() if line.strip() and not line.strip().startswith("#")]
    return lines[0].strip() if lines else code.strip()


# --- figures that a cell leaves open -------------------------------------------------------------


def pyplot_alias(statements: Sequence[Statement]) -> str:
    """The name `matplotlib.pyplot` is imported as (`plt`), or ""."""
    for statement in statements:
        for name, qualified in statement.facts.imported:
            if qualified == PYPLOT:
                return name
    return ""


def close_figures(statements: Sequence[Statement], removed: FrozenSet[int], alias: str) -> Tuple[List[Statement], List[Change]]:
    """The kept statements, with `plt.show()` turned into `plt.close("all")`, a close appended to each cell
    that leaves a figure open, and one put before a cell that plots when code of unknown effect ran since
    the last close: what Jupyter's inline backend does, so every cell's plots start afresh."""
    kept = [s for i, s in enumerate(statements) if i not in removed]
    if not alias:
        return kept, []
    result: List[Statement] = []
    changes: List[Change] = []
    maybe_open = False
    plotting_cells = {s.facts.cell for s in kept if E.PLOT in s.facts.effects}
    for index, statement in enumerate(kept):
        starts_cell = index == 0 or kept[index - 1].facts.cell != statement.facts.cell
        if starts_cell and maybe_open and statement.facts.cell in plotting_cells:
            result.append(closing(alias, replace(statement.facts, line=statement.facts.line), ()))
            maybe_open = False
        if _is_show(statement, alias):
            statement = closing(alias, statement.facts, statement.leading)
            changes.append(Change(statement.facts.cell, statement.facts.line, "plt.show() closes the figures", f"{alias}.show()", f'{alias}.close("all")'))
        result.append(statement)
        maybe_open = maybe_open or E.UNKNOWN in statement.facts.effects
        ends_cell = index + 1 == len(kept) or kept[index + 1].facts.cell != statement.facts.cell
        if ends_cell and _leaves_figure(result, statement.facts.cell, alias):
            result.append(closing(alias, replace(statement.facts, line=statement.facts.end_line + 1), ()))
            maybe_open = False
    return result, changes


def _leaves_figure(statements: Sequence[Statement], cell: int, alias: str) -> bool:
    """A cell whose kept code plots and does not already end by closing figures."""
    in_cell = []
    for statement in reversed(statements):
        if statement.facts.cell != cell:
            break
        in_cell.append(statement)
    plots = any(E.PLOT in s.facts.effects for s in in_cell)
    return plots and not in_cell[0].code.strip().startswith(f"{alias}.close(")


def _is_show(statement: Statement, alias: str) -> bool:
    return statement.code.strip() in (f"{alias}.show()", f"{alias}.show();")


def closing(alias: str, facts: Facts, leading: Tuple[str, ...]) -> Statement:
    code = f'{alias}.close("all")'
    synthetic = Facts(
        cell=facts.cell, line=facts.line, col=1, kind="statement", end_line=facts.line,
        reads=(alias,), all_reads=(alias,), effects=frozenset({E.PLOT}),
    )
    return Statement(facts=synthetic, code=code, leading=leading, synthetic=True)
