"""Plan + original libcst nodes -> source of each generated function and of main.

Statements are moved as nodes, so comments, string layout and formatting inside them survive;
only indentation and blank lines between statements are normalised.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, List, Sequence, Tuple

import libcst as cst

from .model import Plan, Statement, Step

INDENT = "    "


@dataclass(frozen=True)
class Code:
    """Source text for the module's parts, ready for a template to assemble."""

    imports: Tuple[str, ...]
    definitions: Tuple[str, ...]
    functions: Tuple[str, ...]
    main: str  # main() for a training script; "" for a scoring script
    sample: str = ""  # the `__main__` block of a scoring script


def generate(plan: Plan) -> Code:
    functions = tuple(function_source(step, plan.globals_) for step in plan.steps if not step.inline)
    scoring = plan.kind == "score"
    return Code(
        imports=tuple(_top_level(s) for s in plan.imports),
        definitions=tuple(_top_level(s) for s in plan.definitions),
        functions=functions,
        main="" if scoring else _render_function("main", (), "", _main_body(plan.steps)),
        sample=_sample_block(plan) if scoring else "",
    )


def function_source(step: Step, globals_: Sequence[str] = ()) -> str:
    body = _statements(step.body, dict(step.substitutions))
    if step.role == "init" and globals_:
        body.insert(0, cst.parse_statement("global " + ", ".join(globals_)))
    if step.return_expression:
        body.append(cst.parse_statement("return " + step.return_expression))
    elif step.returns:
        body.append(cst.parse_statement("return " + ", ".join(step.returns)))
    return _render_function(step.name, step.params, step.doc, body)


def _sample_block(plan: Plan) -> str:
    """`if __name__ == "__main__":` init(), run() on the notebook's literal request, and its output."""
    run = next(step for step in plan.steps if step.role == "run")
    body = [cst.parse_statement("init()")] + _statements(plan.sample, {})
    body.append(cst.parse_statement(f"prediction = {run.name}({', '.join(run.params)})"))
    if plan.sample_print:
        body.append(cst.parse_statement(plan.sample_print))
    guard = cst.If(test=cst.parse_expression('__name__ == "__main__"'), body=cst.IndentedBlock(body=body))
    return cst.Module(body=[guard], default_indent=INDENT).code.strip("\n") + "\n"


def _main_body(steps: Sequence[Step]) -> List[cst.BaseStatement]:
    body: List[cst.BaseStatement] = []
    for step in steps:
        part = _statements(step.settings, {})
        if step.inline:
            part += _statements(step.body, dict(step.substitutions))
        else:
            part.append(cst.parse_statement(call_source(step)))
        body += _with_heading(part, step.heading, first=not body)
    return body


def call_source(step: Step) -> str:
    call = f"{step.name}({', '.join(step.params)})"
    return f"{', '.join(step.returns)} = {call}" if step.returns else call


def _with_heading(part: List[cst.BaseStatement], heading: str, first: bool) -> List[cst.BaseStatement]:
    if not part:
        return part
    lines = [] if first else [cst.EmptyLine()]
    if heading:
        lines.append(cst.EmptyLine(comment=cst.Comment("# " + " ".join(heading.split()))))
    leading = tuple(lines) + tuple(_without_leading_blanks(part[0].leading_lines))
    return [part[0].with_changes(leading_lines=leading)] + part[1:]


def _statements(statements: Sequence[Statement], substitutions: Dict[str, str]) -> List[cst.BaseStatement]:
    nodes: List[cst.BaseStatement] = []
    previous_cell = None
    for statement in statements:
        node = statement.node
        if substitutions:
            node = node.visit(Substitute(substitutions))
        leading = list(_squeeze_blanks(node.leading_lines))
        if not nodes:
            leading = _without_leading_blanks(leading)
        elif statement.facts.cell != previous_cell and (not leading or leading[0].comment is not None):
            leading = [cst.EmptyLine()] + leading
        nodes.append(node.with_changes(leading_lines=tuple(leading)))
        previous_cell = statement.facts.cell
    return nodes


def _without_leading_blanks(lines) -> list:
    lines = list(lines)
    while lines and lines[0].comment is None:
        lines.pop(0)
    return lines


def _squeeze_blanks(lines):
    """At most one blank line in a row; no blank line right after a comment that introduces code."""
    previous_blank = False
    for line in lines:
        blank = line.comment is None
        if not (blank and previous_blank):
            yield line.with_changes(indent=True, whitespace=cst.SimpleWhitespace(""))
        previous_blank = blank


def _render_function(name: str, params: Sequence[str], doc: str, body: List[cst.BaseStatement]) -> str:
    statements: List[cst.BaseStatement] = []
    if doc:
        statements.append(cst.SimpleStatementLine([cst.Expr(cst.SimpleString(docstring_literal(doc, INDENT)))]))
    statements += body or [cst.SimpleStatementLine([cst.Pass()])]
    function = cst.FunctionDef(
        name=cst.Name(name),
        params=cst.Parameters(params=[cst.Param(cst.Name(p)) for p in params]),
        body=cst.IndentedBlock(body=statements),
    )
    return cst.Module(body=[function], default_indent=INDENT).code.strip("\n") + "\n"


def _top_level(statement: Statement) -> str:
    node = statement.node.with_changes(leading_lines=_without_leading_blanks(statement.node.leading_lines))
    return cst.Module(body=[node], default_indent=INDENT).code.strip("\n") + "\n"


def docstring_literal(text: str, indent: str) -> str:
    """A triple-quoted literal holding `text` exactly, whatever quotes or backslashes it contains."""
    text = "\n".join(line.rstrip() for line in _lines(text.strip()))
    escaped = text.replace("\\", "\\\\")
    if '"""' in escaped or escaped.endswith('"'):
        escaped = escaped.replace('"', '\\"')
    escaped = "".join(_escape_control(ch) for ch in escaped)
    lines = escaped.split("\n")
    if len(lines) == 1:
        return f'"""{lines[0]}"""'
    body = "\n".join((indent + line) if line else "" for line in lines[1:])
    return f'"""{lines[0]}\n{body}\n{indent}"""'


def _lines(text: str) -> List[str]:
    """Lines split at newlines only: other separators (form feed, \\x1e) stay characters of the text."""
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def _escape_control(ch: str) -> str:
    if ch in "\n\t" or (ch.isprintable() and ch not in "\u2028\u2029\x85"):
        return ch
    code = ord(ch)
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


class Substitute(cst.CSTTransformer):
    """Replaces reads of a name with an expression (`y_test` -> `data["y"]`).

    Inside a lambda, function or comprehension that binds the same name, the name is left alone.
    """

    def __init__(self, substitutions: Dict[str, str]):
        self.expressions = {name: cst.parse_expression(code) for name, code in substitutions.items()}
        self.skip: set = set()
        self.shadowed: List[set] = []

    def visit_Attribute(self, node: cst.Attribute) -> None:
        self.skip.add(id(node.attr))

    def visit_Arg(self, node: cst.Arg) -> None:
        if node.keyword is not None:
            self.skip.add(id(node.keyword))

    def visit_Lambda(self, node: cst.Lambda) -> None:
        self.shadowed.append(_parameter_names(node.params))

    def leave_Lambda(self, original: cst.Lambda, updated: cst.Lambda) -> cst.Lambda:
        self.shadowed.pop()
        return updated

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.shadowed.append(_parameter_names(node.params))

    def leave_FunctionDef(self, original: cst.FunctionDef, updated: cst.FunctionDef) -> cst.FunctionDef:
        self.shadowed.pop()
        return updated

    def visit_CompFor(self, node: cst.CompFor) -> None:
        self.shadowed.append({n.value for n in _names_in(node.target)})

    def leave_CompFor(self, original: cst.CompFor, updated: cst.CompFor) -> cst.CompFor:
        self.shadowed.pop()
        return updated

    def visit_Param(self, node: cst.Param) -> None:
        self.skip.add(id(node.name))

    def leave_Name(self, original: cst.Name, updated: cst.Name) -> cst.BaseExpression:
        name = original.value
        if name in self.expressions and id(original) not in self.skip and not any(name in s for s in self.shadowed):
            return self.expressions[name]
        return updated


def _parameter_names(parameters: cst.Parameters) -> set:
    every = list(parameters.params) + list(parameters.kwonly_params) + list(parameters.posonly_params)
    for star in (parameters.star_arg, parameters.star_kwarg):
        if isinstance(star, cst.Param):
            every.append(star)
    return {param.name.value for param in every}


def _names_in(target: cst.CSTNode) -> List[cst.Name]:
    if isinstance(target, cst.Name):
        return [target]
    if isinstance(target, (cst.Tuple, cst.List)):
        return [name for element in target.elements for name in _names_in(element.value)]
    if isinstance(target, cst.StarredElement):
        return _names_in(target.value)
    return []
