"""Python code cells -> Statements with Facts: what each top-level statement reads, binds and changes.

libcst's ScopeProvider resolves names through nested scopes; it counts `df['Y'] = 1` and
`model.fit(X)` as reads only, so mutation is added here, as are display-only ("exploratory") rules.
"""
from __future__ import annotations

import ast
import bisect
import re
from typing import Dict, Iterable, List, Optional, Sequence, Set, Tuple

import libcst as cst
from libcst.metadata import (
    BuiltinScope,
    FunctionScope,
    GlobalScope,
    MetadataWrapper,
    ParentNodeProvider,
    PositionProvider,
    ScopeProvider,
)

from .model import CodeCell, Facts, NotebookError, Statement
from .rules import FIGURE_CONSUMERS, PLOT_METHODS, ExploratoryRules, root_name

CONDITIONAL = (cst.If, cst.For, cst.While, cst.Try, cst.IfExp, cst.BooleanOperation, cst.Match)
COMPREHENSIONS = (cst.ListComp, cst.SetComp, cst.DictComp, cst.GeneratorExp)
CONSTANTS = frozenset({"True", "False", "None"})
CELLS_PER_MODULE = 50
try:
    CONDITIONAL = CONDITIONAL + (cst.TryStar,)
except AttributeError:  # older libcst
    pass


def analyse(cells: Sequence[CodeCell], path: str, rules: ExploratoryRules) -> Tuple[Tuple[Statement, ...], ...]:
    """Statements of each cell, in cell order; raises NotebookError at the first syntax error."""
    modules = [_parse(cell, path) for cell in cells]
    plot_names = rules.plot_names | _plotting_aliases(modules, rules)
    plot_names |= _figure_names(modules, plot_names)
    modules = _close_figures_per_cell(modules, rules, plot_names)
    present = [(cell, module) for cell, module in zip(cells, modules) if module is not None]
    analysed = iter(_analyse_together(present, rules, plot_names))
    return tuple(next(analysed) if module is not None else () for module in modules)


def _analyse_together(present, rules: ExploratoryRules, plot_names: Set[str]) -> List[Tuple[Statement, ...]]:
    """Resolve metadata for many cells at once: libcst's fixed cost per wrapper would dominate otherwise.

    Chunks stay small because libcst gives every read the set of all assignments of its name in the
    scope, which grows quadratically in one long module; the flow across cells is the plan's job.
    """
    analysed: List[Tuple[Statement, ...]] = []
    for start in range(0, len(present), CELLS_PER_MODULE):
        analysed += _analyse_chunk(present[start : start + CELLS_PER_MODULE], rules, plot_names)
    return analysed


def _analyse_chunk(present, rules: ExploratoryRules, plot_names: Set[str]) -> List[Tuple[Statement, ...]]:
    """The cells' code concatenated and parsed again as one module; statements go back to their cell by line.

    Each cell already parsed alone, so the concatenation parses too.
    """
    sources, offsets, lines = [], [], 0
    for _, module in present:
        code = module.code if module.code.endswith("\n") else module.code + "\n"
        offsets.append(lines)
        sources.append(code)
        lines += code.count("\n")
    combined = cst.parse_module("".join(sources))
    return _statements([cell for cell, _ in present], offsets, combined, rules, plot_names)


def _parse(cell: CodeCell, path: str) -> Optional[cst.Module]:
    if cell.left_out or not cell.python.strip():
        return None
    try:
        return cst.parse_module(cell.python)
    except cst.ParserSyntaxError as error:
        message, line, col = _python_syntax_error(cell.python) or (error.message, error.raw_line, error.raw_column + 1)
        raise NotebookError(path, f"syntax error: {message}", cell.cell.number, line, col)
    except (RecursionError, ValueError) as error:
        raise NotebookError(path, f"cannot parse: {error}", cell.cell.number, 1, 1)


def _python_syntax_error(source: str) -> Optional[Tuple[str, int, int]]:
    """Python's own message and position for code libcst rejects: they name the actual mistake."""
    try:
        compile(source, "<cell>", "exec", flags=ast.PyCF_ONLY_AST, dont_inherit=True)
    except SyntaxError as error:
        return error.msg, error.lineno or 1, error.offset or 1
    except (ValueError, RecursionError, MemoryError):
        return None
    return None


def _plotting_aliases(modules: Iterable[Optional[cst.Module]], rules: ExploratoryRules) -> Set[str]:
    """Names bound by importing a plotting library anywhere in the notebook."""
    aliases = set()
    for module in modules:
        for statement in module.body if module is not None else ():
            for small in getattr(statement, "body", ()) if isinstance(statement, cst.SimpleStatementLine) else ():
                aliases |= _plot_import_names(small, rules.plot_modules)
    return aliases


def _top_level_assignments(modules: Iterable[Optional[cst.Module]]) -> Iterable[cst.Assign]:
    for module in modules:
        for statement in module.body if module is not None else ():
            if isinstance(statement, cst.SimpleStatementLine):
                yield from (small for small in statement.body if isinstance(small, cst.Assign))


def _figure_names(modules: Sequence[Optional[cst.Module]], plot_names: Set[str]) -> Set[str]:
    """Figures and axes: names bound only from plotting calls (`fig, ax = plt.subplots()`, `ax = df.plot()`)."""
    assignments = list(_top_level_assignments(modules))
    known, figures = set(plot_names), set()
    while True:
        plotted = {name for a in assignments if _is_plotting_value(a.value, known) for name in _target_names(a)}
        other = {name for a in assignments if not _is_plotting_value(a.value, known) for name in _target_names(a)}
        found = plotted - other
        if found <= figures:
            return figures
        figures |= found
        known |= found


def _is_plotting_value(value: cst.BaseExpression, plot_names: Set[str]) -> bool:
    if not isinstance(value, cst.Call):
        return False
    if root_name(value) in plot_names:
        return True
    return isinstance(value.func, cst.Attribute) and value.func.attr.value in PLOT_METHODS


def _creates_figure(node: cst.CSTNode, plot_names: Set[str]) -> bool:
    assignment = _plain_assignment(node)
    if assignment is None or not _is_plotting_value(assignment.value, plot_names):
        return False
    names = _target_names(assignment)
    return bool(names) and all(name in plot_names for name in names)


def _plain_assignment(node: cst.CSTNode) -> Optional[cst.Assign]:
    if isinstance(node, cst.SimpleStatementLine) and len(node.body) == 1 and isinstance(node.body[0], cst.Assign):
        return node.body[0]
    return None


def _target_names(assignment: cst.Assign) -> List[str]:
    names = []
    for target in assignment.targets:
        node = target.target
        elements = [e.value for e in node.elements] if isinstance(node, (cst.Tuple, cst.List)) else [node]
        names += [e.value for e in elements if isinstance(e, cst.Name)]
    return names


def _close_figures_per_cell(modules, rules: ExploratoryRules, plot_names: Set[str]) -> List[Optional[cst.Module]]:
    """End each cell that leaves a figure behind with `plt.close("all")`, as Jupyter's inline backend does.

    In a notebook every cell starts with no current figure; a script that kept plotting code would
    otherwise draw the next plot into the previous figure (or onto a 3D axes that rejects it).
    """
    pyplot = _pyplot_alias(modules)
    if not pyplot:
        return list(modules)
    codes = [module.code if module is not None else "" for module in modules]
    saves = any(consumer in code for code in codes for consumer in FIGURE_CONSUMERS)
    closing = cst.parse_statement(f'{pyplot}.close("all")')
    named = re.compile(r"\b(%s)\b" % "|".join(map(re.escape, sorted(plot_names))))
    return [
        module.with_changes(body=tuple(module.body) + (closing,))
        if module is not None and named.search(code) and _leaves_figure(module, rules, plot_names, saves)
        else module
        for module, code in zip(modules, codes)
    ]


def _leaves_figure(module: cst.Module, rules: ExploratoryRules, plot_names: Set[str], saves: bool) -> bool:
    """A statement that plots and will be kept: all of them when figures are saved, else non-display ones."""
    if module.body and _closes_figures(module.body[-1]):
        return False
    return any(
        _kind(statement) == "statement"
        and _mentions(statement, plot_names)
        and (saves or not rules.classify(statement, plot_names))
        for statement in module.body
    )


def _closes_figures(statement: cst.CSTNode) -> bool:
    """True for a line that is exactly `plt.close("all")` (under any alias)."""
    if not isinstance(statement, cst.SimpleStatementLine) or len(statement.body) != 1:
        return False
    call = getattr(statement.body[0], "value", None)
    if not isinstance(call, cst.Call) or not isinstance(call.func, cst.Attribute) or len(call.args) != 1:
        return False
    argument = call.args[0].value
    return call.func.attr.value == "close" and isinstance(argument, cst.SimpleString) and argument.evaluated_value == "all"


def _pyplot_alias(modules: Iterable[Optional[cst.Module]]) -> str:
    """The name `matplotlib.pyplot` is imported as (`plt`), or ""."""
    for module in modules:
        for statement in module.body if module is not None else ():
            for small in statement.body if isinstance(statement, cst.SimpleStatementLine) else ():
                alias = _pyplot_import_alias(small)
                if alias:
                    return alias
    return ""


def _pyplot_import_alias(small: cst.CSTNode) -> str:
    if isinstance(small, cst.Import):
        for alias in small.names:
            if dotted_name(alias.name) == "matplotlib.pyplot" and alias.asname is not None:
                return _alias_name(alias)
    if isinstance(small, cst.ImportFrom) and small.module is not None and dotted_name(small.module) == "matplotlib":
        for alias in small.names if not isinstance(small.names, cst.ImportStar) else ():
            if dotted_name(alias.name) == "pyplot":
                return _alias_name(alias)
    return ""


def _plot_import_names(small: cst.CSTNode, plot_modules: frozenset) -> Set[str]:
    names = set()
    if isinstance(small, cst.Import):
        for alias in small.names:
            module = dotted_name(alias.name)
            if module.split(".")[0] in plot_modules:
                names.add(_alias_name(alias) if alias.asname else module.split(".")[0])
    elif isinstance(small, cst.ImportFrom) and small.module is not None:
        if dotted_name(small.module).split(".")[0] in plot_modules and not isinstance(small.names, cst.ImportStar):
            names |= {_alias_name(alias) for alias in small.names}
    return names


def _alias_name(alias: cst.ImportAlias) -> str:
    if alias.asname is not None:
        return dotted_name(alias.asname.name)
    return dotted_name(alias.name).split(".")[0]


def dotted_name(node: cst.CSTNode) -> str:
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        return dotted_name(node.value) + "." + node.attr.value
    return ""


def _statements(cells: Sequence[CodeCell], offsets: Sequence[int], module: cst.Module, rules, plot_names):
    """Statements of `module`, grouped by the cell each came from (cell i starts after line offsets[i])."""
    resolved = MetadataWrapper(module, unsafe_skip_copy=True).resolve_many([ScopeProvider, PositionProvider, ParentNodeProvider])
    scopes, positions, parents = resolved[ScopeProvider], resolved[PositionProvider], resolved[ParentNodeProvider]
    body = list(module.body)
    starts = [positions[statement].start.line for statement in body]
    collected = [_Collector() for _ in body]

    def owner(node: cst.CSTNode) -> _Collector:
        return collected[bisect.bisect_right(starts, positions[node].start.line) - 1]

    for scope in {scope for scope in scopes.values() if scope is not None}:
        for access in scope.accesses:
            node = access.node
            if not isinstance(node, cst.Name) or node.value in CONSTANTS or not _is_global(access):
                continue
            if _is_capture_pattern(node, parents):
                owner(node).bind(node.value, "deferred" if _inside_def(scope) else "maybe")
            elif not _reads_handler_name(node, parents):
                where = positions[node].start
                owner(node).read(node.value, _inside_def(scope), where.line, where.column + 1)
    global_scope = scopes[module]
    bindings = [
        a for a in global_scope.assignments
        if hasattr(a, "node") and a.node in positions and not _is_handler_name(a.node, parents)
    ]
    for assignment in sorted(bindings, key=lambda a: (positions[a.node].start.line, positions[a.node].start.column, a.name)):
        owner(assignment.node).bind(assignment.name, _binding_context(assignment.node, parents))
        _read_augmented_target(assignment.node, parents, positions, owner)
    grouped: List[List[Statement]] = [[] for _ in cells]
    for statement, collector, start in zip(body, collected, starts):
        index = bisect.bisect_left(offsets, start) - 1
        grouped[index].append(_statement(cells[index], module, statement, collector, positions, rules, plot_names, offsets[index]))
    if grouped[0] and module.header:
        first = grouped[0][0]
        node = first.node.with_changes(leading_lines=tuple(module.header) + tuple(first.node.leading_lines))
        grouped[0][0] = Statement(node=node, facts=first.facts, code=first.code)
    return [tuple(statements) for statements in grouped]


def _is_capture_pattern(node: cst.Name, parents) -> bool:
    """`verb` in `case [verb, obj]:` binds (when the case matches); the scope provider sees a read."""
    parent = parents.get(node)
    if isinstance(parent, cst.MatchAs) and parent.name is node:
        return True
    if isinstance(parent, cst.MatchStar) and parent.name is node:
        return True
    return isinstance(parent, cst.MatchMapping) and parent.rest is node


def _read_augmented_target(node: cst.CSTNode, parents, positions, owner) -> None:
    """`total += x` reads `total` too; the scope provider records only the binding."""
    parent = parents.get(node)
    if isinstance(parent, cst.AugAssign) and parent.target is node:
        where = positions[node].start
        owner(node).read(node.value, _binding_context(node, parents) == "deferred", where.line, where.column + 1)


def _is_global(access) -> bool:
    """True when the name resolves to the notebook's namespace (or to nothing, or to a builtin).

    A name resolves to one scope, so one of its referents tells which.
    """
    referent = next(iter(access.referents), None)
    return referent is None or isinstance(referent.scope, (GlobalScope, BuiltinScope))


def _inside_def(scope) -> bool:
    while scope is not None and not isinstance(scope, GlobalScope):
        if isinstance(scope, FunctionScope) and isinstance(scope.node, cst.FunctionDef):
            return True
        scope = scope.parent
    return False


def _is_handler_name(node: cst.CSTNode, parents) -> bool:
    """`e` in `except ValueError as e:`: Python deletes it when the handler ends, so nothing binds it."""
    alias = parents.get(node)
    return isinstance(alias, cst.AsName) and isinstance(parents.get(alias), cst.ExceptHandler)


def _reads_handler_name(node: cst.Name, parents) -> bool:
    """`print(e)` inside `except ValueError as e:` reads the handler's exception, not a notebook name."""
    parent = parents.get(node)
    while parent is not None:
        if isinstance(parent, cst.ExceptHandler) and isinstance(parent.name, cst.AsName):
            if isinstance(parent.name.name, cst.Name) and parent.name.name.value == node.value:
                return True
        parent = parents.get(parent)
    return False


def _binding_context(node: cst.CSTNode, parents) -> str:
    """"definite", "maybe" (on some paths only) or "deferred" (inside a function body, via `global`)."""
    context = "definite"
    child, parent = node, parents.get(node)
    while parent is not None and not isinstance(parent, cst.Module):
        if isinstance(parent, (cst.FunctionDef, cst.Lambda)) and child is not parent.name:
            if not (isinstance(parent, cst.FunctionDef) and child in parent.decorators):
                return "deferred"
        if isinstance(parent, cst.ClassDef) and child is not parent.name and child is parent.body:
            return "deferred" if context == "deferred" else context
        if (isinstance(parent, CONDITIONAL) or isinstance(parent, COMPREHENSIONS)) and not _always_runs(child, parent):
            context = "maybe"
        child, parent = parent, parents.get(parent)
    return context


def _always_runs(child: cst.CSTNode, parent: cst.CSTNode) -> bool:
    """The test of `if`/`while`, the iterable of `for` and the first operand of `and`/`or` always run."""
    if isinstance(parent, (cst.If, cst.While, cst.IfExp)):
        return child is parent.test
    if isinstance(parent, cst.For):
        return child is parent.iter
    if isinstance(parent, cst.BooleanOperation):
        return child is parent.left
    return False


class _Collector:
    """Reads and binds of one top-level statement, in source order."""

    def __init__(self):
        self.reads: List[Tuple[str, int, int]] = []
        self.deferred: List[Tuple[str, int, int]] = []
        self.binds: Dict[str, str] = {}

    def read(self, name: str, deferred: bool, line: int, col: int) -> None:
        if deferred:
            self.deferred.append((name, line, col))
        else:
            self.reads.append((name, line, col))

    def bind(self, name: str, context: str) -> None:
        order = {"definite": 0, "maybe": 1, "deferred": 2}
        if name not in self.binds or order[context] < order[self.binds[name]]:
            self.binds[name] = context


def _statement(cell, module, node, collector, positions, rules, plot_names, offset: int) -> Statement:
    start = positions[node].start
    reads = sorted(((name, line - offset, col) for name, line, col in collector.reads), key=lambda read: read[1:])
    kind = _kind(node)
    facts = Facts(
        cell=cell.cell.number,
        line=start.line - offset,
        col=start.column + 1,
        kind=kind,
        reads=_unique(name for name, _, _ in reads),
        deferred_reads=_unique(name for name, _, _ in sorted(collector.deferred, key=lambda read: read[1:])),
        binds=tuple(name for name, how in collector.binds.items() if how == "definite"),
        maybe_binds=tuple(name for name, how in collector.binds.items() if how == "maybe"),
        mutates=_unique(_mutated_names(node, rules)),
        deletes=_unique(_deleted_names(node)),
        exploratory=rules.classify(node, plot_names) if kind == "statement" else "",
        displays=rules.displayed_names(node),
        setting=_is_setting(node),
        containers=_containers(node),
        read_positions=tuple(reads),
        star_import=kind == "import" and _has_star_import(node),
        global_writes=tuple(name for name, how in collector.binds.items() if how == "deferred"),
        plotting=any(name in plot_names for name, _, _ in collector.reads + collector.deferred),
        figure=_creates_figure(node, plot_names),
    )
    return Statement(node=node, facts=facts, code=module.code_for_node(node))


def _unique(names: Iterable[str]) -> Tuple[str, ...]:
    return tuple(dict.fromkeys(names))


def _kind(node: cst.CSTNode) -> str:
    if isinstance(node, (cst.FunctionDef, cst.ClassDef)):
        return "def"
    if isinstance(node, cst.SimpleStatementLine) and all(
        isinstance(small, (cst.Import, cst.ImportFrom)) for small in node.body
    ):
        if any(isinstance(small, cst.ImportFrom) and dotted_name(small.module or cst.Name("x")) == "__future__" for small in node.body):
            return "future"
        return "import"
    return "statement"


def _has_star_import(node: cst.CSTNode) -> bool:
    return any(isinstance(small, cst.ImportFrom) and isinstance(small.names, cst.ImportStar) for small in node.body)


class _Mutations(cst.CSTVisitor):
    """Names whose objects a statement may change in place (outside function bodies)."""

    def __init__(self, rules: ExploratoryRules):
        self.rules = rules
        self.names: List[str] = []

    def visit_FunctionDef(self, node) -> bool:
        return False

    def visit_Lambda(self, node) -> bool:
        return False

    def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
        self._target(node.target)

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        self._target(node.target)

    def visit_Del(self, node: cst.Del) -> None:
        self._target(node.target)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        self._target(node.target)

    def _target(self, target: cst.CSTNode) -> None:
        if isinstance(target, (cst.Tuple, cst.List)):
            for element in target.elements:
                self._target(element.value)
        elif isinstance(target, (cst.Subscript, cst.Attribute)):
            self.names.append(root_name(target))
        elif isinstance(target, cst.StarredElement):
            self._target(target.value)

    def visit_Call(self, node: cst.Call) -> None:
        if isinstance(node.func, cst.Attribute):
            in_place = any(arg.keyword is not None and arg.keyword.value == "inplace" for arg in node.args)
            if in_place or not self.rules.is_pure_method(node.func.attr.value):
                self.names.append(root_name(node.func.value))


def _mutated_names(node: cst.CSTNode, rules: ExploratoryRules) -> List[str]:
    visitor = _Mutations(rules)
    node.visit(visitor)
    return [name for name in visitor.names if name]


def _deleted_names(node: cst.CSTNode) -> List[str]:
    names = []
    for small in node.body if isinstance(node, cst.SimpleStatementLine) else ():
        if isinstance(small, cst.Del):
            targets = small.target.elements if isinstance(small.target, cst.Tuple) else [small.target]
            for target in targets:
                value = getattr(target, "value", target)
                if isinstance(value, cst.Name):
                    names.append(value.value)
    return names


def _single_assignment(node: cst.CSTNode) -> Optional[cst.Assign]:
    if isinstance(node, cst.SimpleStatementLine) and len(node.body) == 1:
        small = node.body[0]
        if isinstance(small, cst.Assign) and len(small.targets) == 1 and isinstance(small.targets[0].target, cst.Name):
            return small
    return None


def _is_setting(node: cst.CSTNode) -> bool:
    assignment = _single_assignment(node)
    return assignment is not None and is_literal(assignment.value)


def is_literal(node: cst.CSTNode) -> bool:
    if isinstance(node, (cst.Integer, cst.Float, cst.Imaginary, cst.SimpleString)):
        return True
    if isinstance(node, cst.ConcatenatedString):
        return is_literal(node.left) and is_literal(node.right)
    if isinstance(node, cst.Name):
        return node.value in {"True", "False", "None"}
    if isinstance(node, cst.UnaryOperation):
        return isinstance(node.operator, (cst.Minus, cst.Plus)) and is_literal(node.expression)
    if isinstance(node, (cst.List, cst.Tuple, cst.Set)):
        return all(isinstance(e, cst.Element) and is_literal(e.value) for e in node.elements)
    if isinstance(node, cst.Dict):
        return all(isinstance(e, cst.DictElement) and is_literal(e.key) and is_literal(e.value) for e in node.elements)
    return False


def _containers(node: cst.CSTNode) -> Tuple[Tuple[str, str, Tuple[str, ...]], ...]:
    """For `data = {"test": {"y": y_test}}`: (("y_test", "data", ('"test"', '"y"')),)."""
    assignment = _single_assignment(node)
    if assignment is None or not isinstance(assignment.value, cst.Dict):
        return ()
    container = assignment.targets[0].target.value
    found: List[Tuple[str, str, Tuple[str, ...]]] = []

    def walk(mapping: cst.Dict, keys: Tuple[str, ...]) -> None:
        for element in mapping.elements:
            if not isinstance(element, cst.DictElement) or not isinstance(element.key, cst.SimpleString):
                continue
            path = keys + (element.key.value,)
            if isinstance(element.value, cst.Name):
                found.append((element.value.value, container, path))
            elif isinstance(element.value, cst.Dict):
                walk(element.value, path)

    walk(assignment.value, ())
    return tuple(found)


class _Mentions(cst.CSTVisitor):
    def __init__(self, names: Set[str]):
        self.names = names
        self.found = False

    def visit_Name(self, node: cst.Name) -> None:
        if node.value in self.names:
            self.found = True


def _mentions(node: cst.CSTNode, names: Set[str]) -> bool:
    visitor = _Mentions(names)
    node.visit(visitor)
    return visitor.found
