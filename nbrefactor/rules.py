"""Judging code against the knowledge in nbrefactor.effects: what a call does, whether an expression is
free of effects, whether a statement only shows something.

A statement is removable ("exploratory") only when the tables prove that running it changes nothing a
later statement or the world could see: a pure expression whose value is only displayed, a print of
inspections (`print(df.shape)`), plotting that nothing kept reads. Everything else stays.
"""
from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import Callable, Dict, FrozenSet, Optional, Sequence, Tuple

from . import effects as E
from .scopes import call_values, dotted_name, root_name

RULES = ("display", "print", "plot")
STRING_METHODS = frozenset(
    """join format split rsplit strip lstrip rstrip lower upper title capitalize replace startswith
    endswith center ljust rjust zfill count find rfind index partition rpartition splitlines encode""".split()
)
PRINT_FUNCTIONS = frozenset({"builtins.print", "pprint.pprint", "pprint.pp"})
DISPLAY_FUNCTIONS = frozenset({"builtins.display", "IPython.display.display", "IPython.core.display.display"})
INSPECTION_BUILTINS = frozenset({"builtins.len", "builtins.type", "builtins.dir", "builtins.id", "builtins.vars"})
PRINT_KEYWORDS = frozenset({"sep", "end"})
OPERATOR_DUNDERS = frozenset(
    """__add__ __radd__ __sub__ __rsub__ __mul__ __rmul__ __truediv__ __rtruediv__ __floordiv__ __mod__
    __pow__ __matmul__ __and__ __or__ __xor__ __lshift__ __rshift__ __neg__ __pos__ __invert__ __eq__
    __ne__ __lt__ __le__ __gt__ __ge__ __contains__ __bool__""".split()
)
ATTRIBUTE_DUNDERS = frozenset({"__getattr__", "__getattribute__"})
SUBSCRIPT_DUNDERS = frozenset({"__getitem__", "__missing__", "__class_getitem__"})
FORMAT_DUNDERS = frozenset({"__format__", "__str__", "__repr__"})
ITERATION_DUNDERS = frozenset({"__iter__", "__next__", "__len__"})


@dataclass(frozen=True)
class Knowledge:
    """The tables, plus what the project's configuration adds: methods it declares pure, rules it disables."""

    pure_methods: FrozenSet[str] = E.PURE_METHODS
    functions: Tuple[Tuple[str, FrozenSet[str]], ...] = ()  # extra qualified name -> effect tags
    enabled: Tuple[str, ...] = RULES
    cache: Dict[str, Optional[E.Rule]] = field(default_factory=dict, compare=False, repr=False)

    def with_extra(self, methods=(), disabled=(), functions=()) -> "Knowledge":
        return Knowledge(
            pure_methods=self.pure_methods | frozenset(methods),
            functions=self.functions + tuple((name, frozenset(tags)) for name, tags in functions),
            enabled=tuple(rule for rule in self.enabled if rule not in set(disabled)),
        )

    def rule(self, qualified: str) -> Optional[E.Rule]:
        if qualified not in self.cache:
            extra = {name: E.Rule(tags) for name, tags in self.functions}
            self.cache[qualified] = E.lookup(qualified, extra)
        return self.cache[qualified]


class Context:
    """What judging needs to know about the notebook at one statement: where names come from."""

    def qualified(self, node: ast.AST) -> str:  # pragma: no cover - interface
        raise NotImplementedError

    def kind(self, name: str) -> str:  # "module", "data", "figure", "random", "iterator", "defaultdict", "instance", "function", "unknown"
        raise NotImplementedError

    members: FrozenSet[str] = frozenset()  # method, property and attribute names of notebook classes

    def function_effects(self, name: str) -> FrozenSet[str]:  # pragma: no cover - interface
        raise NotImplementedError

    def is_definition(self, name: str) -> bool:
        """The name is bound by a `def` the analysis has seen (its effects are its body's)."""
        return False


@dataclass
class CallJudgement:
    effects: FrozenSet[str]
    mutated: Tuple[str, ...] = ()


class Judge:
    """Judges calls and expressions in one Context with one Knowledge."""

    def __init__(self, knowledge: Knowledge, context: Context):
        self.knowledge = knowledge
        self.context = context

    # --- calls ------------------------------------------------------------------------------------

    def call(self, call: ast.Call) -> CallJudgement:
        qualified = self.context.qualified(call.func)
        if qualified.startswith("notebook."):
            tags = set(self.context.function_effects(qualified[len("notebook."):]))
        elif qualified:
            tags = set(self._function_tags(qualified, call))
        elif isinstance(call.func, ast.Attribute):
            tags = set(self._method_tags(call.func, call))
        else:
            tags = {E.UNKNOWN}
        calls_arguments = E.CALLS_ARGUMENTS in tags or E.UNKNOWN in tags or not qualified
        tags |= self._argument_tags(call, calls_arguments)
        return CallJudgement(frozenset(tags), self._mutated(call, tags))

    def _function_tags(self, qualified: str, call: ast.Call) -> FrozenSet[str]:
        rule = self.knowledge.rule(qualified)
        if rule is None:
            return frozenset({E.UNKNOWN})
        tags = set(rule.effects)
        keywords = {k.arg: k.value for k in call.keywords if k.arg}
        for keyword, extra in rule.keyword_effects:
            if _given(keywords.get(keyword)):
                tags |= extra
        if rule.seed and _literal_seed(keywords.get(rule.seed)) or rule.seed and qualified.startswith("numpy.random.") and call.args:
            tags -= {E.RANDOM, E.OUTSIDE}
        if len(call.args) > E.POSITIONAL_OUT.get(qualified, len(call.args)):
            tags.add(E.MUTATES)  # `np.add(a, 1, a)`: the extra positional argument is the output array
        if qualified.rsplit(".", 1)[-1] in E.RANDOM_METHODS and E.RANDOM not in tags and not qualified.startswith("builtins."):
            seeded = any(k.arg in ("random_state", "seed") and _literal_seed(k.value) for k in call.keywords)
            tags |= set() if seeded else {E.RANDOM}  # `scipy.stats.norm.rvs(...)`: a draw by any other name
        if qualified in ("builtins.vars", "builtins.dir") and not call.args:
            tags.add(E.INTROSPECTION)
        if qualified in PRINT_FUNCTIONS and "file" in keywords and _given(keywords["file"]):
            tags = (tags - {E.STDOUT}) | {E.FILES, E.MUTATES}
        if qualified == "builtins.open" and not _writes(call):
            tags.discard(E.FILES)
        if qualified.startswith("builtins.") and self._runs_notebook_code(qualified[len("builtins."):], call):
            tags.add(E.UNKNOWN)
        return frozenset(tags)

    def _runs_notebook_code(self, builtin: str, call: ast.Call) -> bool:
        dunders = E.BUILTIN_DUNDERS.get(builtin, ())
        if any(d in self.context.members for d in dunders):
            return True
        return builtin in E.CONSUMING_BUILTINS and any(self._may_be_iterator(v) for v in call_values(call))

    def _method_tags(self, func: ast.Attribute, call: ast.Call) -> FrozenSet[str]:
        method = func.attr
        receiver = func.value
        kind = self.context.kind(root_name(receiver)) if root_name(receiver) else "data"
        if isinstance(receiver, (ast.Constant, ast.JoinedStr)):
            return frozenset() if method in STRING_METHODS else frozenset({E.UNKNOWN})
        if kind in ("module", "instance") or method in self.context.members:
            return frozenset({E.UNKNOWN})
        if kind == "figure":
            return frozenset({E.PLOT, E.FILES} if method in E.FIGURE_OUTPUT_METHODS else {E.PLOT})
        if kind == "random":
            return frozenset({E.RANDOM})
        if method in E.PLOT_METHODS or _has_attribute(receiver, "plot"):
            return frozenset({E.PLOT})
        if method in E.RANDOM_METHODS:
            seeded = any(k.arg in ("random_state", "seed") and _literal_seed(k.value) for k in call.keywords)
            return frozenset() if seeded else frozenset({E.RANDOM, E.MUTATES})
        if len(call.args) > E.METHOD_POSITIONAL_OUT.get(method, len(call.args)):
            return frozenset({E.MUTATES})
        if method in E.PRINTING_METHODS:
            return frozenset({E.STDOUT})
        if method in self.knowledge.pure_methods:
            return frozenset()
        return frozenset({E.UNKNOWN})

    def _argument_tags(self, call: ast.Call, calls_arguments: bool) -> FrozenSet[str]:
        """Output targets and `inplace=True` write into objects; functions passed to a call that may
        call them (a method, an unknown function, a table row that says so) may run."""
        extra = set()
        for keyword in call.keywords:
            if keyword.arg in E.OUTPUT_KEYWORDS and _given(keyword.value) or keyword.arg is None and self._on_an_object(call):
                extra.add(E.MUTATES)  # `out=`, `inplace=True`, or a method given `**options` that may hold them
            elif keyword.arg == "copy" and isinstance(keyword.value, ast.Constant) and keyword.value.value is False:
                extra.add(E.MUTATES)  # `copy=False`: the function may work in the array it is given
        for value in call_values(call):
            if isinstance(value, ast.Name) and self.context.kind(value.id) == "iterator":
                extra.add(E.MUTATES)  # iterating it uses it up, whatever the function does
            if isinstance(value, ast.Lambda) and not self.pure(value.body) and calls_arguments:
                extra.add(E.UNKNOWN)
            elif isinstance(value, ast.Name) and self.context.kind(value.id) == "function":
                effects = self.context.function_effects(value.id)  # any function may call what it is given
                extra |= effects if calls_arguments or self.context.is_definition(value.id) else frozenset()
        if any(isinstance(a, ast.Starred) and self._may_be_iterator(a.value) for a in call.args):
            extra.add(E.MUTATES)
        return frozenset(extra)

    def _on_an_object(self, call: ast.Call) -> bool:
        root = root_name(call.func) if isinstance(call.func, ast.Attribute) else ""
        return bool(root) and self.context.kind(root) != "module"

    def _mutated(self, call: ast.Call, tags) -> Tuple[str, ...]:
        names = []
        receiver = root_name(call.func) if isinstance(call.func, (ast.Attribute, ast.Subscript)) else ""
        changes_all = tags & {E.MUTATES, E.UNKNOWN, E.RANDOM}
        draws_on = E.PLOT in tags and self.context.kind(receiver) == "figure"
        if receiver and self.context.kind(receiver) != "module" and (changes_all or draws_on):
            names.append(receiver)
        if E.PLOT in tags:
            names += [v.id for v in call_values(call) if isinstance(v, ast.Name) and self.context.kind(v.id) == "figure"]
        for keyword in call.keywords:
            if keyword.arg in E.OUTPUT_KEYWORDS and _given(keyword.value) and root_name(keyword.value):
                names.append(root_name(keyword.value) if keyword.arg != "inplace" else receiver)
        if changes_all & {E.MUTATES, E.UNKNOWN}:
            names += [v.id for v in call_values(call) if isinstance(v, ast.Name)]
        return tuple(dict.fromkeys(n for n in names if n))

    # --- expressions --------------------------------------------------------------------------------

    def pure(self, node: Optional[ast.AST]) -> bool:
        """True when evaluating `node` provably changes nothing and draws no random number."""
        if node is None or isinstance(node, (ast.Constant, ast.Name, ast.Lambda)):
            return True
        check = _PURITY.get(type(node))
        return bool(check and check(self, node))

    def _pure_children(self, node: ast.AST) -> bool:
        return all(self.pure(child) for child in ast.iter_child_nodes(node) if isinstance(child, ast.expr))

    def _pure_attribute(self, node: ast.Attribute) -> bool:
        if self.may_run_notebook_code(node.value, ATTRIBUTE_DUNDERS | {node.attr}):
            return False
        return self.pure(node.value)

    def _pure_subscript(self, node: ast.Subscript) -> bool:
        root = root_name(node.value)
        if root and self.context.kind(root) == "defaultdict":
            return False
        if self.may_run_notebook_code(node.value, SUBSCRIPT_DUNDERS):
            return False
        if any(isinstance(n, ast.Name) and self.context.kind(n.id) == "function" for n in ast.walk(node.slice)):
            return False  # `df.loc[select]`: indexers call a function they are given
        return self.pure(node.value) and self.pure(node.slice)

    def _pure_operation(self, node: ast.AST) -> bool:
        return not (OPERATOR_DUNDERS & self.context.members) and self._pure_children(node)

    def _pure_format(self, node: ast.JoinedStr) -> bool:
        return not (FORMAT_DUNDERS & self.context.members) and self._pure_children(node)

    def _pure_formatted(self, node: ast.FormattedValue) -> bool:
        return self.pure(node.value) and self.pure(node.format_spec)

    def _pure_container(self, node: ast.AST) -> bool:
        return all(self.pure(child) for child in ast.iter_child_nodes(node) if isinstance(child, ast.expr))

    def _pure_starred(self, node: ast.Starred) -> bool:
        return not self._may_be_iterator(node.value) and self.pure(node.value)

    def _pure_comprehension(self, node: ast.AST) -> bool:
        generators = node.generators
        if any(self._may_be_iterator(g.iter) for g in generators[:1]):
            return False
        parts = [g.iter for g in generators] + [c for g in generators for c in g.ifs]
        parts += [node.key, node.value] if isinstance(node, ast.DictComp) else [node.elt]
        return not any(isinstance(n, (ast.NamedExpr, ast.Await, ast.Yield)) for n in ast.walk(node)) and all(
            self.pure(part) for part in parts
        )

    def _pure_call(self, node: ast.Call) -> bool:
        if self.call(node).effects:
            return False
        return self.pure(node.func) if not isinstance(node.func, ast.Name) else True

    def _pure_receiver(self, node: ast.Call) -> bool:
        """What a method is called on is computed first: `fit.forecast(8).plot()` forecasts before it plots."""
        return not isinstance(node.func, ast.Attribute) or self.pure(node.func.value)

    def _pure_call_arguments(self, node: ast.Call) -> bool:
        return all(self.pure(value) for value in call_values(node))

    def may_run_notebook_code(self, receiver: ast.AST, dunders) -> bool:
        root = root_name(receiver)
        kind = self.context.kind(root) if root else "data"
        if kind == "module":
            return False
        return kind in ("instance", "unknown") and bool(set(dunders) & self.context.members) or kind == "instance"

    def _may_be_iterator(self, node: ast.AST) -> bool:
        """An existing object that iterating would consume: a named iterator, or a name of unknown origin.
        Iterators made inside the expression itself are fresh, and consuming them changes nothing."""
        return isinstance(node, ast.Name) and self.context.kind(node.id) in ("iterator", "unknown", "instance")

    # --- what a statement shows --------------------------------------------------------------------

    def inspection(self, node: ast.AST) -> bool:
        """An expression that shows a property of a value (its shape, first rows, summary), not a result."""
        if isinstance(node, ast.Attribute):
            return node.attr in E.INSPECTION_ATTRIBUTES or self.inspection(node.value)
        if isinstance(node, ast.Subscript):
            return self.inspection(node.value)
        if isinstance(node, ast.Call):
            qualified = self.context.qualified(node.func)
            if qualified in INSPECTION_BUILTINS:
                return True
            if isinstance(node.func, ast.Attribute) and not qualified:
                return node.func.attr in E.INSPECTION_METHODS or self.inspection(node.func.value)
            return False
        if isinstance(node, ast.JoinedStr):
            values = [v.value for v in node.values if isinstance(v, ast.FormattedValue)]
            return bool(values) and all(self.inspection(v) for v in values)
        return False

    def removal(self, statement: ast.stmt) -> Tuple[str, bool]:
        """(rule, prints) for a top-level expression statement that only shows something; ("", False) else."""
        if not isinstance(statement, ast.Expr):
            return "", False
        value = statement.value
        if isinstance(value, ast.Call):
            shown = self._shown_call(value)
            if shown is not None:
                return shown
        shown_by_notebook_code = self.may_run_notebook_code(value, E.DISPLAY_HOOKS)
        if self.pure(value) and _mentions_a_name(value) and not self._calls_notebook_function(value) and not shown_by_notebook_code:
            return "display", False
        judgement = self.call(value) if isinstance(value, ast.Call) else None
        plots_only = judgement is not None and E.PLOT in judgement.effects and judgement.effects <= {E.PLOT}
        if plots_only and self._pure_call_arguments(value) and self._pure_receiver(value):
            return "plot", False
        return "", False

    def _calls_notebook_function(self, node: ast.AST) -> bool:
        """A display that calls a function the notebook defined stays: the table vouches for library
        calls, and the notebook's own code may raise where the notebook stopped (`float((1, 2))`)."""
        return any(isinstance(n, ast.Call) and self.context.qualified(n.func).startswith("notebook.") for n in ast.walk(node))

    def _shown_call(self, call: ast.Call) -> Optional[Tuple[str, bool]]:
        qualified = self.context.qualified(call.func)
        if qualified in DISPLAY_FUNCTIONS:
            return ("display", False) if self._pure_call_arguments(call) else ("", False)
        if qualified in PRINT_FUNCTIONS:
            return ("print", True) if self._inspection_print(call) else ("", False)
        if isinstance(call.func, ast.Attribute) and not qualified and call.func.attr in E.PRINTING_METHODS:
            plain = not call.keywords and not call.args and self.pure(call.func.value)
            return ("print", True) if plain and not self.may_run_notebook_code(call.func.value, {"info"}) else ("", False)
        return None

    def _inspection_print(self, call: ast.Call) -> bool:
        if any(k.arg not in PRINT_KEYWORDS for k in call.keywords) or not self._pure_call_arguments(call):
            return False
        if FORMAT_DUNDERS & self.context.members:
            return False
        shown = [a for a in call.args if not (isinstance(a, ast.Constant) and isinstance(a.value, str))]
        labelled = len(shown) < len(call.args)
        return bool(shown) and all(self.inspection(a) and not (labelled and self._is_len(a)) for a in shown)

    def _is_len(self, node: ast.AST) -> bool:
        """`len(x)` after a label (`print("loaded", len(rows))`) reports a count: a result, not a look."""
        return isinstance(node, ast.Call) and self.context.qualified(node.func) == "builtins.len"

    def printed_names(self, statement: ast.stmt) -> Tuple[str, ...]:
        """Names a kept print or a display shows as results: `metrics` in `print(metrics)` or `metrics`."""
        if not isinstance(statement, ast.Expr):
            return ()
        value = statement.value
        if isinstance(value, ast.Name):
            return (value.id,)
        if isinstance(value, ast.Call) and self.context.qualified(value.func) in PRINT_FUNCTIONS | DISPLAY_FUNCTIONS:
            return tuple(a.id for a in value.args if isinstance(a, ast.Name))
        return ()


_PURITY: Dict[type, Callable[["Judge", ast.AST], bool]] = {
    ast.Attribute: Judge._pure_attribute,
    ast.Subscript: Judge._pure_subscript,
    ast.BinOp: Judge._pure_operation,
    ast.UnaryOp: Judge._pure_operation,
    ast.Compare: Judge._pure_operation,
    ast.BoolOp: Judge._pure_operation,
    ast.IfExp: Judge._pure_operation,
    ast.JoinedStr: Judge._pure_format,
    ast.FormattedValue: Judge._pure_formatted,
    ast.Tuple: Judge._pure_container,
    ast.List: Judge._pure_container,
    ast.Set: Judge._pure_container,
    ast.Dict: Judge._pure_container,
    ast.Slice: Judge._pure_container,
    ast.Starred: Judge._pure_starred,
    ast.ListComp: Judge._pure_comprehension,
    ast.SetComp: Judge._pure_comprehension,
    ast.DictComp: Judge._pure_comprehension,
    ast.GeneratorExp: Judge._pure_comprehension,
    ast.Call: lambda judge, node: judge._pure_call(node) and judge._pure_call_arguments(node),
}


def _mentions_a_name(node: ast.AST) -> bool:
    """A display of something the notebook computed, not of a literal (`{}["k"]` only fails or prints)."""
    return any(isinstance(n, ast.Name) for n in ast.walk(node)) and root_name(node) != ""


def _literal_seed(value: Optional[ast.AST]) -> bool:
    """`random_state=0` makes a draw private; a name may hold a RandomState that the draw advances."""
    return isinstance(value, ast.Constant) and isinstance(value.value, int) and not isinstance(value.value, bool)


def _given(value: Optional[ast.AST]) -> bool:
    """A keyword argument that is present and not a literal None or False."""
    return value is not None and not (isinstance(value, ast.Constant) and (value.value is None or value.value is False))


def _writes(call: ast.Call) -> bool:
    """`open(path, "w")` and friends: a mode that writes, or one that cannot be read statically."""
    mode = call.args[1] if len(call.args) > 1 else next((k.value for k in call.keywords if k.arg == "mode"), None)
    if mode is None:
        return False
    if not (isinstance(mode, ast.Constant) and isinstance(mode.value, str)):
        return True
    return any(flag in mode.value for flag in "wax+")


def _has_attribute(node: ast.AST, name: str) -> bool:
    while isinstance(node, (ast.Attribute, ast.Call, ast.Subscript)):
        if isinstance(node, ast.Attribute) and node.attr == name:
            return True
        node = node.func if isinstance(node, ast.Call) else node.value
    return False


def qualified_from(imports: Dict[str, str], node: ast.AST) -> str:
    """`numpy.random.seed` for `np.random.seed` when `np` was imported as numpy; "" when unknown."""
    dotted = dotted_name(node)
    if not dotted:
        return ""
    root, _, rest = dotted.partition(".")
    base = imports.get(root)
    if base is None:
        return ""
    return base + ("." + rest if rest else "")


def is_literal(node: ast.AST) -> bool:
    """A literal whose value reads the same in any scope: numbers, strings, containers of literals."""
    if isinstance(node, ast.Constant):
        return True
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        return is_literal(node.operand)
    if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
        return all(is_literal(e) for e in node.elts)
    if isinstance(node, ast.Dict):
        return all(k is not None and is_literal(k) and is_literal(v) for k, v in zip(node.keys, node.values))
    return False


def expressions_of(statements: Sequence[ast.stmt]) -> Tuple[ast.expr, ...]:
    return tuple(s.value for s in statements if isinstance(s, ast.Expr))
