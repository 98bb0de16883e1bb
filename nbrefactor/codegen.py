"""Plan + original source -> the text of each part of the script.

Statements move as their exact source lines, so comments, string layout and formatting inside them
survive; only indentation and blank lines between statements are normalised. Lines that continue a
multi-line string are never re-indented (that would change the string). The one rewrite inside a
statement, a name read through a container (`y_test` -> `data["test"]["y"]`), splices the expression
over the name's own characters at the positions `ast` gives, so nothing else in the statement changes.
"""
from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Dict, Iterable, Iterator, List, Sequence, Set, Tuple

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
    """The statement with reads of some names replaced by expressions. Only the names' own characters
    change: every other byte (comments, layout, strings) stays as written. A lambda, function or
    comprehension that binds the same name keeps its own."""
    return splice_names(statement.code, substitutions)


def splice_names(code: str, substitutions: Dict[str, str]) -> str:
    """Inside an f-string the expression is written with the other kind of quotes (Python before 3.12
    refuses the f-string's own); the result is checked against the same replacement made on the tree,
    and where they differ (or positions are off) the tree's version, written by `ast.unparse`, is used."""
    tree = ast.parse(code)
    spans = sorted(_name_spans(tree, substitutions, frozenset()), reverse=True)
    lines = [line.encode("utf-8") for line in code.split("\n")]
    quotes = _fstring_quotes(tree, lines)
    expected = _replaced(ast.parse(code), spans, substitutions)
    if any(lines[line - 1][start:end] != name.encode("utf-8") for line, start, end, name in spans):
        return ast.unparse(expected)
    for line, start, end, name in spans:  # from the last, so earlier positions stay valid
        text = substitutions[name]
        quote = quotes.get((line, start))
        if quote and quote in text:
            text = _swap_quotes(text)
        lines[line - 1] = lines[line - 1][:start] + text.encode("utf-8") + lines[line - 1][end:]
    spliced = "\n".join(line.decode("utf-8") for line in lines)
    try:
        if ast.dump(ast.parse(spliced)) == ast.dump(expected):
            return spliced
    except SyntaxError:
        pass
    return ast.unparse(expected)


def _fstring_quotes(tree: ast.AST, lines: List[bytes]) -> Dict[Tuple[int, int], str]:
    """(line, byte) of each name inside an f-string -> the quote character that delimits the f-string."""
    found = {}
    for fstring in (n for n in ast.walk(tree) if isinstance(n, ast.JoinedStr)):
        opening = lines[fstring.lineno - 1][fstring.col_offset:].decode("utf-8", "replace").lstrip("rRfFbBuU")[:1]
        for name in (n for n in ast.walk(fstring) if isinstance(n, ast.Name)):
            found[(name.lineno, name.col_offset)] = opening
    return found


def _swap_quotes(expression: str) -> str:
    return expression.translate(str.maketrans({'"': "'", "'": '"'}))


def _replaced(tree: ast.AST, spans, substitutions: Dict[str, str]) -> ast.AST:
    """The tree with the chosen names replaced by their expressions."""
    chosen = {(line, start, name) for line, start, _, name in spans}

    class Replace(ast.NodeTransformer):
        def visit_Name(self, node):
            if (node.lineno, node.col_offset, node.id) in chosen:
                return ast.parse(substitutions[node.id], mode="eval").body
            return node

    return Replace().visit(tree)


def _name_spans(node: ast.AST, substitutions: Dict[str, str], shadowed: frozenset) -> Iterator[Tuple[int, int, int, str]]:
    """(line, start byte, end byte, name) of each Name to replace under `node`."""
    if isinstance(node, ast.Name):
        if node.id in substitutions and node.id not in shadowed:
            yield node.lineno, node.col_offset, node.end_col_offset, node.id
        return
    if isinstance(node, (ast.Lambda, ast.FunctionDef, ast.AsyncFunctionDef)):
        yield from _function_spans(node, substitutions, shadowed)
    elif isinstance(node, (ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp)):
        yield from _comprehension_spans(node, substitutions, shadowed)
    else:
        for child in ast.iter_child_nodes(node):
            yield from _name_spans(child, substitutions, shadowed)


def _function_spans(node, substitutions: Dict[str, str], shadowed: frozenset):
    """Defaults, decorators and annotations are evaluated where the function is defined; the body
    sees its parameters instead of the outer names."""
    arguments = node.args
    outer = [*arguments.defaults, *(d for d in arguments.kw_defaults if d is not None)]
    if not isinstance(node, ast.Lambda):
        outer += [*node.decorator_list, *([node.returns] if node.returns else [])]
    every = [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs, *filter(None, (arguments.vararg, arguments.kwarg))]
    outer += [parameter.annotation for parameter in every if parameter.annotation is not None]
    for child in outer:
        yield from _name_spans(child, substitutions, shadowed)
    inner = shadowed | {parameter.arg for parameter in every}
    for child in (node.body if isinstance(node.body, list) else [node.body]):
        yield from _name_spans(child, substitutions, inner)


def _comprehension_spans(node, substitutions: Dict[str, str], shadowed: frozenset):
    """The first iterable is evaluated outside the comprehension; everything else sees its targets."""
    generators = node.generators
    yield from _name_spans(generators[0].iter, substitutions, shadowed)
    inner = shadowed | {n.id for g in generators for n in ast.walk(g.target) if isinstance(n, ast.Name)}
    parts = [generators[0].target, *generators[0].ifs, *generators[1:]]
    parts += [node.key, node.value] if isinstance(node, ast.DictComp) else [node.elt]
    for part in parts:
        yield from _name_spans(part, substitutions, inner)
