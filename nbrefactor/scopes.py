"""One top-level statement -> the notebook names it reads, binds, deletes and calls, from `ast`.

A scope-aware walk in evaluation order. Names resolve as Python resolves them: a name read inside a
function, lambda or generator expression is a notebook global only when no enclosing function binds
it, and it is read later, when the body runs ("deferred"); class bodies and list, set and dict
comprehensions run at once. A read is "exposed" when it may see a value from before the statement
(nothing earlier in the statement bound the name on every path), which is what a function made from
the statement's section must receive as a parameter.
"""
from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import Dict, Iterable, List, Optional, Set, Tuple

FUNCTION_NODES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)
COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)
SCOPE_NODES = FUNCTION_NODES + (ast.ClassDef,) + COMPREHENSIONS
CONSTANT_NAMES = frozenset({"True", "False", "None", "__debug__"})
HIDDEN_READ_METHODS = frozenset({"query", "eval"})  # pandas resolves `@name` in these strings


@dataclass
class CallSite:
    """A call in a statement: its node, whether it runs later (inside a function body), the global
    name its receiver chain starts from, and the global names passed to it as arguments."""

    node: ast.Call
    deferred: bool
    receiver: str = ""
    arguments: Tuple[str, ...] = ()
    owner: str = ""  # the notebook function whose body holds it ("" at top level)
    nested: bool = False  # inside a function defined within the owner: it runs only if that one is called


@dataclass
class Scan:
    """What one top-level statement does to notebook-level names."""

    reads: List[Tuple[str, int, int]] = field(default_factory=list)  # exposed immediate reads (name, line, col)
    all_reads: Set[str] = field(default_factory=set)  # every immediate read
    deferred_reads: Dict[str, Set[str]] = field(default_factory=dict)  # name -> functions ("" for lambdas) whose body reads it
    binds: List[str] = field(default_factory=list)  # bound on every path, in order
    maybe_binds: List[str] = field(default_factory=list)  # bound on some paths only
    deletes: List[str] = field(default_factory=list)
    global_writes: Dict[str, Set[str]] = field(default_factory=dict)  # name -> functions rebinding it via `global`
    targets: List[str] = field(default_factory=list)  # roots of subscript and attribute targets (`df` in `df['a'] = 1`)
    target_nodes: List[ast.AST] = field(default_factory=list)  # those targets themselves
    deferred_targets: Dict[str, Set[str]] = field(default_factory=dict)  # name -> functions changing it in place
    mutating_functions: Set[str] = field(default_factory=set)  # functions whose body changes any object in place
    calls: List[CallSite] = field(default_factory=list)
    awaits: bool = False
    top_level_exit: Optional[Tuple[str, int, int]] = None  # a `return`/`yield` outside any function
    functions: Dict[str, "ast.AST"] = field(default_factory=dict)  # notebook functions and classes defined here
    hidden_reads: List[Tuple[str, int, int]] = field(default_factory=list)  # `@x` in df.query("a > @x")


@dataclass
class _Scope:
    kind: str  # "module", "function", "class", "comprehension"
    names: Set[str] = field(default_factory=set)  # names local to the scope
    declared_global: Set[str] = field(default_factory=set)
    deferred: bool = False
    owner: str = ""
    assigned: Set[str] = field(default_factory=set)  # class bodies: names bound so far, which reads see


def scan(statement: ast.stmt) -> Scan:
    walker = _Walker()
    walker.visit(statement)
    return walker.result


class _Walker(ast.NodeVisitor):
    """Visits nodes in evaluation order, keeping a stack of scopes and, at module level, the names the
    statement has definitely bound so far (`bound`) and how deep in conditional code it is."""

    def __init__(self):
        self.result = Scan()
        self.stack: List[_Scope] = [_Scope("module")]
        self.bound: Set[str] = set()
        self.conditional = 0

    # --- where names resolve --------------------------------------------------------------------

    @property
    def scope(self) -> _Scope:
        return self.stack[-1]

    def _nested(self) -> bool:
        """Code of a function defined inside a notebook function (or a lambda inside one)."""
        return sum(scope.kind == "function" for scope in self.stack) > 1

    def _is_global(self, name: str, reading: bool = True) -> bool:
        """A class body reads its own names only once bound (else the global), and binds its own names;
        functions nested in a class do not see the class's names."""
        for depth, scope in enumerate(reversed(self.stack)):
            if scope.kind == "module" or name in scope.declared_global:
                return True
            if scope.kind == "class":
                if depth == 0 and name in (scope.assigned if reading else scope.names):
                    return False
                continue
            if name in scope.names:
                return False
        return True

    def _read(self, name: str, node: ast.AST) -> None:
        if name in CONSTANT_NAMES or not self._is_global(name):
            return
        if self.scope.deferred:
            self.result.deferred_reads.setdefault(name, set()).add(self.scope.owner)
            return
        self.result.all_reads.add(name)
        if name not in self.bound:
            self.result.reads.append((name, node.lineno, node.col_offset + 1))

    def _bind(self, name: str) -> None:
        if self.scope.kind == "class":
            self.scope.assigned.add(name)
        if not self._is_global(name, reading=False):
            return
        if self.scope.deferred:
            self.result.global_writes.setdefault(name, set()).add(self.scope.owner)
            return
        if self.conditional or self.scope.kind != "module":
            self.result.maybe_binds.append(name)
        else:
            self.result.binds.append(name)
        self.bound.add(name)

    def _delete(self, name: str, node: ast.AST) -> None:
        self._read(name, node)
        if self._is_global(name) and not self.scope.deferred:
            self.result.deletes.append(name)
            self.bound.discard(name)

    # --- names and targets ----------------------------------------------------------------------

    def visit_Name(self, node: ast.Name) -> None:
        if isinstance(node.ctx, ast.Load):
            self._read(node.id, node)
        elif isinstance(node.ctx, ast.Store):
            self._bind(node.id)
        else:
            self._delete(node.id, node)

    def _target(self, node: ast.AST) -> None:
        """An assignment target: names are bound; `a[k]`/`a.b` read and change `a`."""
        if isinstance(node, ast.Name):
            self._bind(node.id)
        elif isinstance(node, (ast.Tuple, ast.List)):
            for element in node.elts:
                self._target(element)
        elif isinstance(node, ast.Starred):
            self._target(node.value)
        else:
            self.visit(node)
            root = root_name(node)
            if self.scope.deferred and not self._nested():
                self.result.mutating_functions.add(self.scope.owner)
            if not root or not self._is_global(root):
                return
            if self.scope.deferred:
                self.result.deferred_targets.setdefault(root, set()).add(self.scope.owner)
            else:
                self.result.targets.append(root)
                self.result.target_nodes.append(node)

    def visit_Assign(self, node: ast.Assign) -> None:
        self.visit(node.value)
        for target in node.targets:
            self._target(target)

    def visit_AugAssign(self, node: ast.AugAssign) -> None:
        if isinstance(node.target, ast.Name):
            self._read(node.target.id, node.target)
        self.visit(node.value)
        self._target(node.target)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        if node.value is not None:
            self.visit(node.value)
        if self.scope.kind in ("module", "class"):
            self.visit(node.annotation)
        if node.value is not None or not isinstance(node.target, ast.Name):
            self._target(node.target)

    def visit_NamedExpr(self, node: ast.NamedExpr) -> None:
        self.visit(node.value)
        index = len(self.stack) - 1
        while self.stack[index].kind == "comprehension":
            index -= 1
        saved, self.stack = self.stack, self.stack[: index + 1]
        self._target(node.target)
        self.stack = saved

    def visit_Delete(self, node: ast.Delete) -> None:
        for target in node.targets:
            if isinstance(target, ast.Name):
                self._delete(target.id, target)
            else:
                self._target(target)

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            self._bind(alias.asname or alias.name.split(".")[0])

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        for alias in node.names:
            if alias.name != "*":
                self._bind(alias.asname or alias.name)

    def visit_Global(self, node: ast.Global) -> None:
        self.scope.declared_global.update(node.names)

    # --- control flow: what is bound on every path ---------------------------------------------

    def _branches(self, *bodies: Iterable[ast.AST]) -> None:
        before, results = set(self.bound), []
        self.conditional += 1
        for body in bodies:
            self.bound = set(before)
            for child in body:
                self.visit(child)
            results.append(self.bound)
        self.conditional -= 1
        self.bound = before | set.intersection(*results) if results else before

    def visit_If(self, node: ast.If) -> None:
        self.visit(node.test)
        self._branches(node.body, node.orelse)

    def visit_IfExp(self, node: ast.IfExp) -> None:
        self.visit(node.test)
        self._branches([node.body], [node.orelse])

    def visit_BoolOp(self, node: ast.BoolOp) -> None:
        self.visit(node.values[0])
        self._branches(node.values[1:], [])

    def _loop(self, body: List[ast.AST]) -> None:
        before = set(self.bound)
        self.conditional += 1
        for child in body:
            self.visit(child)
        self.conditional -= 1
        self.bound = before

    def visit_For(self, node: ast.For) -> None:
        self.visit(node.iter)
        self._loop([node.target] + node.body + node.orelse)


    def visit_While(self, node: ast.While) -> None:
        self.visit(node.test)
        self._loop(node.body + node.orelse)

    def visit_Try(self, node: ast.Try) -> None:
        before = set(self.bound)
        self.conditional += 1
        for child in node.body + node.handlers + node.orelse:
            self.visit(child)
        self.conditional -= 1
        self.bound = set(before)
        for child in node.finalbody:
            self.visit(child)

    visit_TryStar = visit_Try

    def visit_ExceptHandler(self, node: ast.ExceptHandler) -> None:
        if node.type is not None:
            self.visit(node.type)
        if node.name:
            self._bind(node.name)
        for child in node.body:
            self.visit(child)
        if node.name and self._is_global(node.name) and not self.scope.deferred:
            self.result.deletes.append(node.name)

    def visit_With(self, node: ast.With) -> None:
        for item in node.items:
            self.visit(item.context_expr)
            if item.optional_vars is not None:
                self._target(item.optional_vars)
        for child in node.body:
            self.visit(child)


    def visit_Match(self, node) -> None:
        self.visit(node.subject)
        self._branches(*[[case] for case in node.cases])

    def visit_match_case(self, node) -> None:
        self.visit(node.pattern)
        if node.guard is not None:
            self.visit(node.guard)
        for child in node.body:
            self.visit(child)

    def visit_MatchAs(self, node) -> None:
        if node.pattern is not None:
            self.visit(node.pattern)
        if node.name:
            self._bind(node.name)

    def visit_MatchStar(self, node) -> None:
        if node.name:
            self._bind(node.name)

    def visit_MatchMapping(self, node) -> None:
        for key in node.keys:
            self.visit(key)
        for pattern in node.patterns:
            self.visit(pattern)
        if node.rest:
            self._bind(node.rest)

    # --- statements that leave the notebook's top level -----------------------------------------

    def _exit(self, keyword: str, node: ast.AST) -> None:
        if not any(scope.kind == "function" for scope in self.stack) and self.result.top_level_exit is None:
            self.result.top_level_exit = (keyword, node.lineno, node.col_offset + 1)

    def visit_Return(self, node: ast.Return) -> None:
        self._exit("return", node)
        self.generic_visit(node)

    def visit_Yield(self, node: ast.Yield) -> None:
        self._exit("yield", node)
        self.generic_visit(node)

    def visit_YieldFrom(self, node: ast.YieldFrom) -> None:
        self._exit("yield", node)
        self.generic_visit(node)

    def visit_Await(self, node: ast.AST) -> None:
        """`await`, `async for` and `async with` outside any function: the entry point must be async."""
        if not any(scope.kind == "function" for scope in self.stack):
            self.result.awaits = True
        if isinstance(node, ast.AsyncFor):
            self.visit_For(node)
        elif isinstance(node, ast.AsyncWith):
            self.visit_With(node)
        else:
            self.generic_visit(node)

    # --- calls ----------------------------------------------------------------------------------

    def visit_Call(self, node: ast.Call) -> None:
        self.generic_visit(node)
        receiver = root_name(node.func) if isinstance(node.func, (ast.Attribute, ast.Subscript, ast.Call)) else ""
        receiver = receiver if receiver and self._is_global(receiver) else ""
        arguments = tuple(
            value.id for value in call_values(node)
            if isinstance(value, ast.Name) and self._is_global(value.id)
        )
        self.result.calls.append(CallSite(node, self.scope.deferred, receiver, arguments, self.scope.owner, self._nested()))
        if isinstance(node.func, ast.Attribute) and node.func.attr in HIDDEN_READ_METHODS:
            self._hidden_reads(node)

    def _hidden_reads(self, node: ast.Call) -> None:
        import re

        for value in call_values(node):
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                for match in re.finditer(r"@([A-Za-z_]\w*)", value.value):
                    self.result.hidden_reads.append((match.group(1), value.lineno, value.col_offset + 1))
                    self._read(match.group(1), value)

    # --- new scopes -----------------------------------------------------------------------------

    def _definition_time(self, node) -> None:
        """Decorators, defaults and annotations run where the function is defined."""
        for decorator in node.decorator_list:
            self.visit(decorator)
        arguments = node.args
        for default in list(arguments.defaults) + [d for d in arguments.kw_defaults if d is not None]:
            self.visit(default)
        for argument in _all_arguments(arguments):
            if argument.annotation is not None:
                self.visit(argument.annotation)
        if getattr(node, "returns", None) is not None:
            self.visit(node.returns)

    def visit_FunctionDef(self, node) -> None:
        self._definition_time(node)
        if not self.scope.deferred and self.scope.kind == "module":
            self.result.functions[node.name] = node
        owner = node.name if self.scope.kind == "module" else self.scope.owner
        self._function_body(node.args, node.body, owner)
        self._bind(node.name)

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_Lambda(self, node: ast.Lambda) -> None:
        arguments = node.args
        for default in list(arguments.defaults) + [d for d in arguments.kw_defaults if d is not None]:
            self.visit(default)
        self._function_body(arguments, [node.body], self.scope.owner)

    def _function_body(self, arguments: ast.arguments, body: List[ast.AST], owner: str) -> None:
        names = {argument.arg for argument in _all_arguments(arguments)}
        declared = set()
        names |= local_names(body, declared)
        scope = _Scope("function", names - declared, declared, deferred=True, owner=owner)
        self._inside(scope, body)

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        for child in node.decorator_list + node.bases + [k.value for k in node.keywords]:
            self.visit(child)
        if not self.scope.deferred and self.scope.kind == "module":
            self.result.functions[node.name] = node
        owner = node.name if self.scope.kind == "module" else self.scope.owner
        declared: Set[str] = set()
        names = local_names(node.body, declared)
        scope = _Scope("class", names - declared, declared, deferred=self.scope.deferred, owner=owner)
        self.stack.append(scope)
        for child in node.body:
            self.visit(child)
        self.stack.pop()
        self._bind(node.name)

    def _comprehension(self, node, elements: List[ast.AST]) -> None:
        generators = node.generators
        self.visit(generators[0].iter)
        deferred = self.scope.deferred or isinstance(node, ast.GeneratorExp)
        targets = {name.id for g in generators for name in ast.walk(g.target) if isinstance(name, ast.Name)}
        scope = _Scope("comprehension", targets, set(), deferred=deferred, owner=self.scope.owner)
        self.stack.append(scope)
        self.conditional += 1
        for index, generator in enumerate(generators):
            if index:
                self.visit(generator.iter)
            for condition in generator.ifs:
                self.visit(condition)
        for element in elements:
            self.visit(element)
        self.conditional -= 1
        self.stack.pop()

    def visit_ListComp(self, node) -> None:
        self._comprehension(node, [node.elt])

    visit_SetComp = visit_GeneratorExp = visit_ListComp

    def visit_DictComp(self, node: ast.DictComp) -> None:
        self._comprehension(node, [node.key, node.value])

    def _inside(self, scope: _Scope, body: List[ast.AST]) -> None:
        saved_bound, saved_conditional = self.bound, self.conditional
        self.stack.append(scope)
        for child in body:
            self.visit(child)
        self.stack.pop()
        self.bound, self.conditional = saved_bound, saved_conditional


def local_names(body: Iterable[ast.AST], declared: Set[str]) -> Set[str]:
    """Names a function body (or class body) binds in its own scope; `global`/`nonlocal` names go to
    `declared`. Nested scopes are not entered, except for walrus targets, which bind here."""
    names: Set[str] = set()
    pending = list(body)
    while pending:
        node = pending.pop()
        if isinstance(node, (ast.Global, ast.Nonlocal)):
            declared.update(node.names)
        elif isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
            names.add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
            pending.extend(node.decorator_list)
            continue
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names.update(a.asname or a.name.split(".")[0] for a in node.names if a.name != "*")
        elif isinstance(node, ast.ExceptHandler) and node.name:
            names.add(node.name)
        elif type(node).__name__ in ("MatchAs", "MatchStar") and getattr(node, "name", None):
            names.add(node.name)
        elif type(node).__name__ == "MatchMapping" and getattr(node, "rest", None):
            names.add(node.rest)
        if isinstance(node, ast.Lambda):
            continue
        if isinstance(node, COMPREHENSIONS):
            pending.extend(n.target for n in ast.walk(node) if isinstance(n, ast.NamedExpr))
            continue
        pending.extend(ast.iter_child_nodes(node))
    return names


def _all_arguments(arguments: ast.arguments) -> List[ast.arg]:
    every = list(getattr(arguments, "posonlyargs", [])) + list(arguments.args) + list(arguments.kwonlyargs)
    every += [a for a in (arguments.vararg, arguments.kwarg) if a is not None]
    return every


def root_name(node: ast.AST) -> str:
    """`df` for `df['a'].values[0]`, `df.loc[...]`, `df.x.y()`; "" when there is no plain root."""
    while isinstance(node, (ast.Attribute, ast.Subscript, ast.Call, ast.Starred)):
        node = node.func if isinstance(node, ast.Call) else node.value
    return node.id if isinstance(node, ast.Name) else ""


def dotted_name(node: ast.AST) -> str:
    """`np.random.seed` for a chain of attributes on a name; "" for anything else."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return ""
    parts.append(node.id)
    return ".".join(reversed(parts))


def call_values(node: ast.Call) -> List[ast.AST]:
    """The argument expressions of a call, positional and keyword, stars unwrapped."""
    values = [arg.value if isinstance(arg, ast.Starred) else arg for arg in node.args]
    return values + [keyword.value for keyword in node.keywords]


_Walker.visit_AsyncFor = _Walker.visit_Await
_Walker.visit_AsyncWith = _Walker.visit_Await
