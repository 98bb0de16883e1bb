"""Result -> a Markdown review of the conversion, ready to paste into a pull request.

Pure: the text is built from what the passes recorded (plan steps, changes, findings) and nothing else.
"""
from __future__ import annotations

from typing import Iterable, List, Sequence, Tuple

from .model import Change, Finding, Plan, Result, Statement, Step, format_location

REMOVAL_RULES = ("exploratory:", "skip directive")
NONE = "None."


def review(entries: Sequence[Tuple[str, Result]]) -> str:
    """The review of several notebooks, each given as (path as the reader knows it, Result)."""
    return "\n".join(notebook_review(path, result) for path, result in entries)


def notebook_review(path: str, result: Result) -> str:
    outputs = ", ".join(_code(name) for name, _ in result.files)
    lines = [f"## nbrefactor: {_code(path)} -> {outputs}", ""]
    lines += _part("Cells and functions", _cell_map(result.plan, result.changes))
    lines += _part("Lifted settings", _lifted_settings(result.plan.steps))
    lines += _part("Removed statements", _removed(result.changes))
    lines += _part("Magics rewritten", _rewritten(result.changes))
    if result.plan.requirements:  # what the notebook's `pip install` lines asked for
        lines += _part("Requirements", [f"- `{requirement}`" for requirement in result.plan.requirements])
    lines += _part("Findings", _findings(path, result.findings))
    return "\n".join(lines)


def is_removal(change: Change) -> bool:
    return change.rule.startswith(REMOVAL_RULES)


def signature(step: Step) -> str:
    """`split_data(df) -> data`: how a function of the script is called and what it gives back."""
    returned = step.return_expression or ", ".join(step.returns) or "None"
    return f"{step.name}({', '.join(step.params)}) -> {returned}"


def _part(title: str, body: List[str]) -> List[str]:
    return [f"### {title}", ""] + (body or [NONE]) + [""]


def _cell_map(plan: Plan, changes: Sequence[Change]) -> List[str]:
    rows = _rows(plan, changes)
    return _table(("Cells", "Section", "Becomes"), [(", ".join(map(str, cells)), heading, becomes) for cells, heading, becomes in rows])


def section_rows(result: Result) -> List[Tuple[Tuple[int, ...], str, str]]:
    """(cells, heading, what they become) for each part of the script, in cell order."""
    return _rows(result.plan, result.changes)


def _rows(plan: Plan, changes: Sequence[Change]) -> List[Tuple[Tuple[int, ...], str, str]]:
    rows = []
    if plan.imports:
        rows.append((_cells(plan.imports), "", "imports at module level"))
    rows += [(_cells((statement,)), "", f"{_code(_first_line(statement.code))} at module level") for statement in plan.definitions]
    rows += [(_cells(step.body + step.settings), step.heading, _destination(step, plan.globals_)) for step in plan.steps]
    if plan.sample:
        rows.append((_cells(plan.sample), "", 'sample call under `if __name__ == "__main__":`'))
    mapped = {cell for row in rows for cell in row[0]}
    removed = sorted({change.cell for change in changes if is_removal(change)} - mapped)
    rows += [((cell,), "", "removed (see below)") for cell in removed]
    rows.sort(key=lambda row: row[0] or (0,))
    return rows


def _destination(step: Step, globals_: Sequence[str]) -> str:
    if step.inline:
        return "inline in `main()`"
    if step.role == "init" and globals_:
        return f"{_code(signature(step))}, sets global {', '.join(map(_code, globals_))}"
    return _code(signature(step))


def _cells(statements: Iterable[Statement]) -> Tuple[int, ...]:
    return tuple(sorted({statement.facts.cell for statement in statements}))


def _lifted_settings(steps: Sequence[Step]) -> List[str]:
    lines: List[str] = []
    for step in steps:
        if step.settings:
            names = ", ".join(_code(s.facts.binds[0]) for s in step.settings)
            caller = "the sample call" if step.role == "run" else "`main()`"
            lines += [f"{_code(step.name)} receives {names} from {caller}:", "", "```python"]
            for statement in step.settings:
                lines += [line.strip() for line in statement.leading if line.strip()] + [statement.code.strip()]
            lines += ["```", ""]
    return lines[:-1]


def _removed(changes: Sequence[Change]) -> List[str]:
    rows = [(f"{c.cell}:{c.line}", _code(c.original), c.rule) for c in changes if is_removal(c)]
    return _table(("Cell:line", "Statement", "Rule"), rows)


def _rewritten(changes: Sequence[Change]) -> List[str]:
    rows = [
        (f"{c.cell}:{c.line}", _code(c.original), _code(c.replacement) if c.replacement else "(removed)", c.rule)
        for c in changes
        if not is_removal(c)
    ]
    return _table(("Cell:line", "Notebook", "Script", "Rule"), rows)


def _findings(path: str, findings: Sequence[Finding]) -> List[str]:
    return [f"- {_code(format_location(path, f.cell, f.line, f.col))}: {f.message}" for f in findings]


def _table(header: Tuple[str, ...], rows: Sequence[Tuple[str, ...]]) -> List[str]:
    if not rows:
        return []
    lines = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    return lines + ["| " + " | ".join(_cell_text(cell) for cell in row) + " |" for row in rows]


def _cell_text(text: str) -> str:
    """Text that stays inside one Markdown table cell."""
    return " ".join(text.split()).replace("|", "\\|")


def _code(text: str) -> str:
    """`text` as one inline code span, fenced with more backticks than it contains."""
    flat = " ".join(text.split())
    fence = "`" * (_longest_backtick_run(flat) + 1)
    padding = " " if flat.startswith("`") or flat.endswith("`") else ""
    return f"{fence}{padding}{flat}{padding}{fence}"


def _longest_backtick_run(text: str) -> int:
    longest = current = 0
    for char in text:
        current = current + 1 if char == "`" else 0
        longest = max(longest, current)
    return longest


def _first_line(code: str) -> str:
    lines = [line for line in code.strip().splitlines() if line.strip() and not line.lstrip().startswith(("#", "@"))]
    return lines[0].rstrip(":") if lines else code.strip()
