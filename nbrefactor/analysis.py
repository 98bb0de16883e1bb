"""Python code cells -> Statements with Facts: what each top-level statement reads, binds and changes.

libcst's ScopeProvider resolves names through nested scopes; it counts `df['Y'] = 1` and
`model.fit(X)` as reads only, so mutation is added here, as are display-only ("exploratory") rules.
"""
from __future__ import annotations

import bisect
from typing import Dict, Iterable, List, Optional, Sequence, Set, Tuple

import libcst as cst
from libcst.metadata import (
    BuiltinScope,
    ClassScope,
    FunctionScope,
    GlobalScope,
    MetadataWrapper,
    ParentNodeProvider,
    PositionProvider,
    ScopeProvider,
)

from .model import CodeCell, Facts, NotebookError, Statement
from .rules import ExploratoryRules

CONDITIONAL = (cst.If, cst.For, cst.While, cst.Try, cst.IfExp, cst.BooleanOperation, cst.Match)
COMPREHENSIONS = (cst.ListComp, cst.SetComp, cst.DictComp, cst.GeneratorExp)
try:
    CONDITIONAL = CONDITIONAL + (cst.TryStar,)
except AttributeError:  # older libcst
    pass


def analyse(cells: Sequence[CodeCell], path: str, rules: ExploratoryRules) -> Tuple[Tuple[Statement, ...], ...]:
    """Statements of each cell, in cell order; raises NotebookError at the first syntax error."""
    modules = [_parse(cell, path) for cell in cells]
    plot_names = rules.plot_names | _plotting_aliases(modules, rules)
    return tuple(
        _statements(cell, module, rules, plot_names) if module is not None else ()
        for cell, module in zip(cells, modules)
    )


def _parse(cell: CodeCell, path: str) -> Optional[cst.Module]:
    if cell.left_out or not cell.python.strip():
        return None
    try:
        return cst.parse_module(cell.python)
    except cst.ParserSyntaxError as error:
        message = str(error).strip().splitlines()[0]
        raise NotebookError(path, f"syntax error: {message}", cell.cell.number, error.raw_line, error.raw_column + 1)
    except (RecursionError, ValueError) as error:
        raise NotebookError(path, f"cannot parse: {error}", cell.cell.number, 1, 1)


def _plotting_aliases(modules: Iterable[Optional[cst.Module]], rules: ExploratoryRules) -> Set[str]:
    """Names bound by importing a plotting library anywhere in the notebook."""
    aliases = set()
    for module in modules:
        for statement in module.body if module is not None else ():
            for small in getattr(statement, "body", ()) if isinstance(statement, cst.SimpleStatementLine) else ():
                aliases |= _plot_import_names(small, rules.plot_modules)
    return aliases


def _plot_import_names(small: cst.CSTNode, plot_modules: frozenset) -> Set[str]:
    names = set()
    if isinstance(small, cst.Import):
        for alias in small.names:
            module = _dotted(alias.name)
            if module.split(".")[0] in plot_modules:
                names.add(_alias_name(alias) if alias.asname else module.split(".")[0])
    elif isinstance(small, cst.ImportFrom) and small.module is not None:
        if _dotted(small.module).split(".")[0] in plot_modules and not isinstance(small.names, cst.ImportStar):
            names |= {_alias_name(alias) for alias in small.names}
    return names


def _alias_name(alias: cst.ImportAlias) -> str:
    if alias.asname is not None:
        return _dotted(alias.asname.name)
    return _dotted(alias.name).split(".")[0]


def _dotted(node: cst.CSTNode) -> str:
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        return _dotted(node.value) + "." + node.attr.value
    return ""


def _statements(cell: CodeCell, module: cst.Module, rules: ExploratoryRules, plot_names: Set[str]):
    wrapper = MetadataWrapper(module, unsafe_skip_copy=True)
    scopes = wrapper.resolve(ScopeProvider)
    positions = wrapper.resolve(PositionProvider)
    parents = wrapper.resolve(ParentNodeProvider)
    body = list(module.body)
    starts = [positions[statement].start.line for statement in body]
    collected = [_Collector() for _ in body]

    def owner(node: cst.CSTNode) -> _Collector:
        return collected[bisect.bisect_right(starts, positions[node].start.line) - 1]

    for scope in {scope for scope in scopes.values() if scope is not None}:
        for access in scope.accesses:
            if isinstance(access.node, cst.Name) and _is_global(access):
                where = positions[access.node].start
                owner(access.node).read(access.node.value, _inside_def(scope), where.line, where.column + 1)
    global_scope = scopes[module]
    for assignment in global_scope.assignments:
        if hasattr(assignment, "node") and assignment.node in positions:
            owner(assignment.node).bind(assignment.name, _binding_context(assignment.node, parents))
    statements = [
        _statement(cell, module, statement, collector, positions, rules, plot_names)
        for statement, collector in zip(body, collected)
    ]
    if statements and module.header:
        first = statements[0]
        node = first.node.with_changes(leading_lines=tuple(module.header) + tuple(first.node.leading_lines))
        statements[0] = Statement(node=node, facts=first.facts, code=first.code)
    return tuple(statements)


def _is_global(access) -> bool:
    """True when the name resolves to the notebook's namespace (or to nothing, or to a builtin)."""
    return all(isinstance(ref.scope, (GlobalScope, BuiltinScope)) for ref in access.referents)


def _inside_def(scope) -> bool:
    while scope is not None and not isinstance(scope, GlobalScope):
        if isinstance(scope, FunctionScope) and isinstance(scope.node, cst.FunctionDef):
            return True
        scope = scope.parent
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
        if isinstance(parent, CONDITIONAL) or isinstance(parent, COMPREHENSIONS):
            context = "maybe"
        child, parent = parent, parents.get(parent)
    return context


class _Collector:
    """Reads and binds of one top-level statement, in source order."""

    def __init__(self):
        self.reads: List[Tuple[str, int, int]] = []
        self.deferred: List[str] = []
        self.binds: Dict[str, str] = {}

    def read(self, name: str, deferred: bool, line: int, col: int) -> None:
        if deferred:
            self.deferred.append(name)
        else:
            self.reads.append((name, line, col))

    def bind(self, name: str, context: str) -> None:
        order = {"definite": 0, "maybe": 1, "deferred": 2}
        if name not in self.binds or order[context] < order[self.binds[name]]:
            self.binds[name] = context


def _statement(cell, module, node, collector, positions, rules, plot_names) -> Statement:
    start = positions[node].start
    reads = sorted(collector.reads, key=lambda read: (read[1], read[2]))
    kind = _kind(node)
    facts = Facts(
        cell=cell.cell.number,
        line=start.line,
        col=start.column + 1,
        kind=kind,
        reads=_unique(name for name, _, _ in reads),
        deferred_reads=_unique(collector.deferred),
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
        plotting=_mentions(node, plot_names),
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
        if any(isinstance(small, cst.ImportFrom) and _dotted(small.module or cst.Name("x")) == "__future__" for small in node.body):
            return "future"
        return "import"
    return "statement"


def _has_star_import(node: cst.CSTNode) -> bool:
    return any(isinstance(small, cst.ImportFrom) and isinstance(small.names, cst.ImportStar) for small in node.body)


def root_name(node: cst.CSTNode) -> str:
    """`df` for `df['a'].values[0]`, `df.loc[...]`, `df.x.y()`; "" when there is no plain root."""
    while True:
        if isinstance(node, cst.Name):
            return node.value
        if isinstance(node, (cst.Attribute, cst.Subscript)):
            node = node.value
        elif isinstance(node, cst.Call):
            node = node.func
        else:
            return ""


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
