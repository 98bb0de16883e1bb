"""Plan + original source -> the text of each part of the script.

Statements move as their exact source lines, so comments, string layout and formatting inside them
survive; only indentation and blank lines between statements are normalised. Lines that continue a
multi-line string are never re-indented (that would change the string). libcst is imported only to
rewrite the rare statement whose names are read through a container (`y_test` -> `data["test"]["y"]`).
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Dict, Iterable, List, Sequence, Set, Tuple

from .docstrings import docstring_from_markdown, docstring_literal
from .model import Plan, Statement, Step

INDENT = "    "
DOC_WIDTH = 88


@dataclass(frozen=True)
class Code:
    """Source text for the module's parts, ready for a template to assemble."""

    imports: Tuple[str, ...]
    definitions: Tuple[str, ...]
    functions: Tuple[str, ...]
    main: str  # the entry point function; "" for scoring scripts and module-level scripts
    guard: str  # the `if __name__ == "__main__":` block
    sample: str = ""  # the guard of a scoring script (same as `guard`)


def generate(plan: Plan) -> Code:
    functions = tuple(function_source(step) for step in plan.steps if not step.inline)
    helpers = _helpers(plan)
    definitions = tuple(helpers) + _module_level(plan.definitions)
    if plan.kind == "score":
        guard = _sample_block(plan)
        return Code(_import_block(plan), definitions, functions, "", guard, guard)
    if plan.module_mode:
        return Code(_import_block(plan), definitions, functions, "", _module_guard(plan))
    main = _render_function(plan.entry, (), "", _main_body(plan), globals_=plan.globals_, asynchronous=plan.asynchronous)
    call = f"asyncio.run({plan.entry}())" if plan.asynchronous else f"{plan.entry}()"
    return Code(_import_block(plan), definitions, functions, main, f'if __name__ == "__main__":\n{INDENT}{call}\n')


# --- imports ------------------------------------------------------------------------------------------


def _import_block(plan: Plan) -> Tuple[str, ...]:
    """One block, grouped and sorted as isort's black profile does, comments with their imports."""
    from .imports import import_block

    texts = ["\n".join(_comments(s.leading, "", blanks=False) + [s.code.rstrip()]) for s in plan.imports]
    block = import_block(texts + _extra_imports(plan))
    return (block.rstrip("\n") + "\n",) if block.strip() else ()


def _extra_imports(plan: Plan) -> List[str]:
    bound = {name for s in plan.imports for name, _ in s.facts.imported}
    extra = [line for line in plan.extra_imports if line.split()[-1] not in bound]
    if plan.asynchronous and "asyncio" not in bound:
        extra.append("import asyncio")
    return sorted(set(extra))


def _helpers(plan: Plan) -> List[str]:
    if not plan.helpers:
        return []
    from .runtime import helper_source

    return [helper_source(name).strip("\n") + "\n" for name in plan.helpers]


# --- functions ----------------------------------------------------------------------------------------


def function_source(step: Step) -> str:
    body = statements_text(step.body, INDENT, dict(step.substitutions))
    if step.return_expression:
        body.append(INDENT + "return " + step.return_expression)
    elif step.returns:
        body.append(INDENT + "return " + ", ".join(step.returns))
    return _render_function(step.name, step.params, step.doc, body, globals_=step.globals_)


def _render_function(name: str, params: Sequence[str], doc: str, body: List[str], globals_: Sequence[str] = (), asynchronous: bool = False) -> str:
    lines = [f"{'async ' if asynchronous else ''}def {name}({', '.join(params)}):"]
    summary = docstring_from_markdown(doc, DOC_WIDTH - len(INDENT))[0] if doc else ""
    if summary:
        lines.append(INDENT + docstring_literal(summary, INDENT))
    if globals_:
        lines.append(INDENT + "global " + ", ".join(globals_))
    lines += body or [INDENT + "pass"]
    return "\n".join(lines) + "\n"


def _main_body(plan: Plan) -> List[str]:
    lines: List[str] = []
    for step in plan.steps:
        part = statements_text(step.settings, INDENT, {})
        if step.inline:
            part += statements_text(step.body, INDENT, dict(step.substitutions), start=not part)
        else:
            part.append(INDENT + call_source(step))
        part += statements_text(step.after, INDENT, {}, start=False, same_cell=True)
        if not part:
            continue
        heading = [INDENT + "# " + _comment_text(step.heading)] if step.heading else []
        lines += ([""] if lines else []) + heading + _drop_leading_blanks(part)
    return lines


def _comment_text(text: str) -> str:
    """A heading as one comment line: whitespace runs as one space, control characters left out."""
    return " ".join("".join(ch for ch in text if ch.isprintable() or ch.isspace()).split())


def call_source(step: Step) -> str:
    call = f"{step.name}({', '.join(step.params)})"
    return f"{', '.join(step.returns)} = {call}" if step.returns else call


def _module_guard(plan: Plan) -> str:
    body = []
    for step in plan.steps:
        body += statements_text(step.body, INDENT, {}, start=not body)
    return 'if __name__ == "__main__":\n' + "\n".join(body or [INDENT + "pass"]) + "\n"


def _sample_block(plan: Plan) -> str:
    """`if __name__ == "__main__":` init(), run() on the notebook's literal request, and its output."""
    run = next(step for step in plan.steps if step.role == "run")
    lines = [INDENT + "init()"] + statements_text(plan.sample, INDENT, {})
    lines.append(INDENT + f"prediction = {run.name}({', '.join(run.params)})")
    return 'if __name__ == "__main__":\n' + "\n".join(lines) + "\n"


def _module_level(statements: Sequence[Statement]) -> Tuple[str, ...]:
    """Each function or class a part of its own; constants that follow each other one part."""
    parts: List[List[Statement]] = []
    for statement in statements:
        constant = statement.facts.kind == "statement"
        if constant and parts and parts[-1][-1].facts.kind == "statement":
            parts[-1].append(statement)
        else:
            parts.append([statement])
    return tuple("\n".join(statements_text(part, "", {})) + "\n" for part in parts)


# --- statements ---------------------------------------------------------------------------------------


def statements_text(statements: Sequence[Statement], indent: str, substitutions: Dict[str, str], start: bool = True, same_cell: bool = False) -> List[str]:
    """The statements' lines at `indent`, with their comments; a blank line where a new cell starts."""
    lines: List[str] = []
    previous_cell = None
    for statement in statements:
        leading = _comments(statement.leading, indent)
        if not lines and start:
            leading = _drop_leading_blanks(leading)
        elif previous_cell is not None and statement.facts.cell != previous_cell and (not leading or leading[0]):
            leading = [""] + leading
        elif previous_cell is None and not start and not same_cell and (not leading or leading[0]):
            leading = [""] + leading
        code = substitute(statement, substitutions) if substitutions else statement.code
        lines += leading + reindent(code, indent, set(statement.facts.string_lines)) + _comments(statement.trailing, indent, blanks=False)
        previous_cell = statement.facts.cell
    return lines


def _comments(lines: Iterable[str], indent: str, blanks: bool = True) -> List[str]:
    """Comment and blank lines, re-indented; at most one blank line in a row."""
    result: List[str] = []
    for line in lines:
        stripped = line.strip()
        if not stripped:
            if blanks and result and result[-1]:
                result.append("")
            elif blanks and not result:
                result.append("")
            continue
        result.append(indent + stripped)
    return result


def _drop_leading_blanks(lines: List[str]) -> List[str]:
    while lines and not lines[0].strip():
        lines = lines[1:]
    return lines


def reindent(code: str, indent: str, keep: Set[int]) -> List[str]:
    """Each line of `code` with `indent` in front, except the lines (1-based) in `keep`, which continue
    a string; blank lines stay empty."""
    result = []
    for number, line in enumerate(code.split("\n"), start=1):
        if number in keep:
            result.append(line)
        else:
            result.append(indent + line.rstrip() if line.strip() else "")
    return result


def substitute(statement: Statement, substitutions: Dict[str, str]) -> str:
    """The statement with reads of some names replaced by expressions (libcst keeps everything else)."""
    import libcst as cst

    module = cst.parse_module(statement.code)
    return module.visit(_substitute_class()(substitutions)).code


@functools.lru_cache(maxsize=1)
def _substitute_class():
    import libcst as cst

    class Substitute(cst.CSTTransformer):
        """Replaces reads of a name with an expression; a lambda, function or comprehension that binds
        the same name keeps its own."""

        def __init__(self, substitutions: Dict[str, str]):
            self.expressions = {name: cst.parse_expression(code) for name, code in substitutions.items()}
            self.skip: set = set()
            self.shadowed: List[set] = []

        def visit_Attribute(self, node) -> None:
            self.skip.add(id(node.attr))

        def visit_Arg(self, node) -> None:
            if node.keyword is not None:
                self.skip.add(id(node.keyword))

        def visit_Lambda(self, node) -> None:
            self.shadowed.append(_parameter_names(node.params))

        def leave_Lambda(self, original, updated):
            self.shadowed.pop()
            return updated

        def visit_FunctionDef(self, node) -> None:
            self.shadowed.append(_parameter_names(node.params))

        def leave_FunctionDef(self, original, updated):
            self.shadowed.pop()
            return updated

        def visit_CompFor(self, node) -> None:
            self.shadowed.append({n.value for n in _names_in(node.target)})

        def leave_CompFor(self, original, updated):
            self.shadowed.pop()
            return updated

        def visit_Param(self, node) -> None:
            self.skip.add(id(node.name))

        def leave_Name(self, original, updated):
            name = original.value
            if name in self.expressions and id(original) not in self.skip and not any(name in s for s in self.shadowed):
                return self.expressions[name]
            return updated

    def _parameter_names(parameters) -> set:
        every = list(parameters.params) + list(parameters.kwonly_params) + list(parameters.posonly_params)
        for star in (parameters.star_arg, parameters.star_kwarg):
            if isinstance(star, cst.Param):
                every.append(star)
        return {param.name.value for param in every}

    def _names_in(target) -> list:
        if isinstance(target, cst.Name):
            return [target]
        if isinstance(target, (cst.Tuple, cst.List)):
            return [name for element in target.elements for name in _names_in(element.value)]
        if isinstance(target, cst.StarredElement):
            return _names_in(target.value)
        return []

    return Substitute
