"""Code cells -> Statements with Facts, from the standard library's `ast`.

Each cell is parsed and compiled once (CPython's own errors and warnings, located in the cell), and
each top-level statement walked once for the names it reads and binds (nbrefactor.scopes). A second,
linear pass in notebook order resolves calls through the imports seen so far and judges them against
the effect tables (nbrefactor.rules): what each statement changes, and whether it only shows something.
"""
from __future__ import annotations

import ast
import warnings
from dataclasses import dataclass, replace
from typing import Dict, FrozenSet, List, Optional, Sequence, Set, Tuple

from . import effects as E
from .model import CodeCell, Facts, Finding, NotebookError, Statement
from .rules import Context, Judge, Knowledge, is_literal, qualified_from
from .scopes import Scan, dotted_name, root_name, scan

FUTURE = "__future__"


@dataclass(frozen=True)
class Analysis:
    statements: Tuple[Tuple[Statement, ...], ...]  # per code cell, in cell order
    findings: Tuple[Finding, ...]


@dataclass
class _Unit:
    """Top-level statements sharing lines, with the cell's text around them."""

    nodes: List[ast.stmt]
    start: int
    end: int
    code: str = ""
    leading: Tuple[str, ...] = ()
    trailing: Tuple[str, ...] = ()
    scan: Optional[Scan] = None
    last: bool = False


def analyse(cells: Sequence[CodeCell], path: str, knowledge: Knowledge = Knowledge()) -> Analysis:
    findings: List[Finding] = []
    resolver = _Resolver(knowledge, _class_members(cells, path), _helpers(cells))
    statements = []
    for cell in cells:  # one cell's trees at a time: they are dropped once its facts are known
        statements.append(tuple(resolver.statement(cell, unit) for unit in _parse(cell, path, findings)))
    return Analysis(tuple(statements), tuple(findings + resolver.findings))


# --- parsing ---------------------------------------------------------------------------------------


def _parse(cell: CodeCell, path: str, findings: List[Finding]) -> List[_Unit]:
    if cell.left_out or not cell.python.strip():
        return []
    number = cell.cell.number
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        tree = _compiled_tree(cell.python, path, number)
    for warning in caught:
        if issubclass(warning.category, (SyntaxWarning, DeprecationWarning)):
            findings.append(Finding(number, warning.lineno or 1, 1, f"syntax warning: {warning.message}", "NB404"))
    units = _units(tree, cell.python)
    for unit in units:
        unit.scan = scan(ast.Module(body=unit.nodes, type_ignores=[]))
        exit_ = unit.scan.top_level_exit
        if exit_:
            raise NotebookError(path, f"'{exit_[0]}' outside a function: the notebook fails here", number, exit_[1], exit_[2])
    return units


def _compiled_tree(source: str, path: str, cell: int) -> ast.Module:
    """The cell's syntax tree, after CPython has compiled it: every error CPython reports is refused here,
    located in the cell. Top-level `await` is allowed, as IPython allows it."""
    filename = f"<cell {cell}>"
    try:
        tree = ast.parse(source, filename)
        compile(tree, filename, "exec", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT, dont_inherit=True)
    except SyntaxError as error:
        raise NotebookError(path, f"syntax error: {error.msg}", cell, error.lineno or 1, error.offset or 1)
    except (RecursionError, MemoryError):
        raise NotebookError(path, "cannot parse: the code is nested too deeply", cell, 1, 1)
    except ValueError as error:
        raise NotebookError(path, f"cannot parse: {error}", cell, 1, 1)
    return tree


def _units(tree: ast.Module, source: str) -> List[_Unit]:
    lines = source.split("\n")
    units: List[_Unit] = []
    for node in tree.body:
        start = min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])])
        if units and start <= units[-1].end:
            units[-1].nodes.append(node)
            units[-1].end = max(units[-1].end, node.end_lineno or node.lineno)
        else:
            units.append(_Unit([node], start, node.end_lineno or node.lineno))
    previous_end = 0
    for unit in units:
        unit.leading = tuple(lines[previous_end : unit.start - 1])
        unit.code = "\n".join(lines[unit.start - 1 : unit.end])
        previous_end = unit.end
    if units:
        units[-1].last = True
        units[-1].trailing = tuple(line for line in lines[previous_end:] if line.strip())
    return units


def _helpers(cells: Sequence[CodeCell]) -> Dict[str, str]:
    """The runtime helpers the rewritten magics call: the name each has in the script -> its key."""
    if not any(cell.helpers for cell in cells):
        return {}
    from .runtime import helper_named

    return {name: helper_named(name).key for cell in cells for name in cell.helpers if helper_named(name)}


def _class_members(cells: Sequence[CodeCell], path: str) -> FrozenSet[str]:
    """Names of methods, properties and attributes that notebook classes define (dunders included),
    known before any statement is judged: a class defined later can still receive an earlier call."""
    members: Set[str] = set()
    for cell in cells:
        if cell.left_out or "class" not in cell.python:
            continue
        try:
            tree = ast.parse(cell.python)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            continue  # refused, located, when the cell itself is analysed
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef):
                members |= _defined_in_class(node)
    return frozenset(members)


def _defined_in_class(node: ast.ClassDef) -> Set[str]:
    names = set()
    for child in node.body:
        if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
            names.add(child.name)
        elif isinstance(child, (ast.Assign, ast.AnnAssign)):
            targets = child.targets if isinstance(child, ast.Assign) else [child.target]
            names |= {t.id for t in targets if isinstance(t, ast.Name)}
    return names


# --- resolving, in notebook order -------------------------------------------------------------------


class _Resolver(Context):
    """Walks the statements in notebook order, knowing at each one what the notebook's names are."""

    def __init__(self, knowledge: Knowledge, members: FrozenSet[str], helpers: Dict[str, str]):
        self.knowledge = knowledge
        self.members = members
        self.helpers = helpers  # name in the script -> key of the nbrefactor.runtime helper
        self.imports: Dict[str, str] = {}
        self.kinds: Dict[str, str] = {}
        self.definitions: Dict[str, Tuple[ast.AST, Scan]] = {}
        self.summaries: Dict[str, FrozenSet[str]] = {}
        self.in_progress: Set[str] = set()
        self.judge = Judge(knowledge, self)
        self.findings: List[Finding] = []

    # Context -----------------------------------------------------------------------------------

    def qualified(self, node: ast.AST) -> str:
        dotted = dotted_name(node)
        if not dotted:
            return ""
        root = dotted.split(".")[0]
        if root in self.definitions and "." not in dotted:
            return "notebook." + root
        if dotted in self.helpers and root not in self.kinds:
            return "nbrefactor.runtime." + self.helpers[dotted]
        found = qualified_from(self.imports, node)
        if found:
            return found
        if root not in self.kinds and root in BUILTINS:
            return "builtins." + dotted
        return ""

    def kind(self, name: str) -> str:
        return self.kinds.get(name, "unknown")

    def is_definition(self, name: str) -> bool:
        return name in self.definitions

    def function_effects(self, name: str) -> FrozenSet[str]:
        if name in self.summaries:
            return self.summaries[name]
        if name in self.in_progress or name not in self.definitions:
            return frozenset({E.UNKNOWN})
        self.in_progress.add(name)
        node, facts = self.definitions[name]
        tags: Set[str] = {E.UNKNOWN} if getattr(node, "decorator_list", None) else set()
        for site in facts.calls:
            if site.deferred and site.owner == name and not site.nested:
                tags |= self.judge.call(site.node).effects
        if any(name in owners for owners in facts.global_writes.values()):
            tags.add(E.MUTATES)
        if any(name in owners for owners in facts.deferred_targets.values()) or name in facts.mutating_functions:
            tags.add(E.MUTATES)
        self.in_progress.discard(name)
        self.summaries[name] = frozenset(tags)
        return self.summaries[name]

    # statements ---------------------------------------------------------------------------------

    def statement(self, cell: CodeCell, unit: _Unit) -> Statement:
        facts = self._facts(cell, unit)
        self._remember(unit, facts)
        if facts.defines:
            body = frozenset().union(*(self.function_effects(name) for name in facts.defines))
            facts = replace(facts, body_effects=body)
        return Statement(facts=facts, code=unit.code, leading=unit.leading, trailing=unit.trailing)

    def _facts(self, cell: CodeCell, unit: _Unit) -> Facts:
        found = unit.scan
        kind = _kind(unit.nodes)
        walked = [list(ast.walk(node)) for node in unit.nodes]  # each top-level node's subtree, breadth first
        every = [inner for nodes in walked for inner in nodes]
        judged = [self.judge.call(site.node) for site in found.calls if not site.deferred]
        tags = set().union(*(j.effects for j in judged)) if judged else set()
        mutated = [name for j in judged for name in j.mutated]
        target_tags, target_mutated = self._targets(found)
        tags |= target_tags | self._decorator_effects(unit.nodes)
        if self._reads_own_module(every, facts_imported=_imported(unit.nodes)):
            tags.add(E.INTROSPECTION)
        self._kernel_differences(cell, found)
        self._kernel_values(cell, every)
        self._shown_through_notebook_code(cell, unit)
        mutated += target_mutated
        removable, output = self._removal(unit, kind, frozenset(tags))
        first = unit.nodes[0]
        return Facts(
            cell=cell.cell.number,
            line=unit.start,
            col=first.col_offset + 1,
            kind=kind,
            end_line=unit.end,
            reads=_unique(name for name, _, _ in found.reads),
            all_reads=tuple(sorted(found.all_reads)),
            deferred_reads=tuple(sorted(found.deferred_reads)),
            binds=_unique(found.binds),
            maybe_binds=_unique(n for n in found.maybe_binds if n not in found.binds),
            deletes=_unique(found.deletes),
            mutates=_unique(n for n in mutated if self.kinds.get(n) != "module"),
            global_writes=_unique(sorted(found.global_writes) + self._called_global_writes(found)),
            effects=frozenset(tags),
            removable=removable,
            output=output,
            inspection=any(self.judge.inspection(e.value) for e in unit.nodes if isinstance(e, ast.Expr)),
            shows=_unique(n for node in unit.nodes for n in self.judge.printed_names(node)),
            settings=_settings(unit.nodes),
            containers=_containers(unit.nodes),
            read_positions=tuple(found.reads),
            star_import=any(isinstance(n, ast.ImportFrom) and any(a.name == "*" for a in n.names) for n in every),
            declares_global=_declares_global(unit.nodes) and not all(isinstance(n, ast.Global) for n in unit.nodes),
            imported=_imported(unit.nodes),
            defines=tuple(found.functions),
            definition_pure=kind != "def" or not tags,
            awaits=found.awaits,
            expression=all(isinstance(n, ast.Expr) for n in unit.nodes),
            last_in_cell=unit.last,
            figures=self._figures(unit.nodes),
            string_lines=_string_lines(unit, every),
            prints=_prints(unit.nodes),
            trains=any(isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and n.func.attr in E.TRAINING_METHODS for n in every),
            last_call=_last_call(walked),
            value=_value_kind(unit.nodes),
        )

    def _decorator_effects(self, nodes: Sequence[ast.stmt]) -> Set[str]:
        """Applying a decorator calls it on the function: a name is judged as that call; the result of
        a call (`@counted("sq")`) is a function nobody can see, unless the call is in the table."""
        tags: Set[str] = set()
        for node in nodes:
            for decorator in getattr(node, "decorator_list", ()):
                target = decorator.func if isinstance(decorator, ast.Call) else decorator
                qualified = self.qualified(target)
                if qualified.startswith("notebook.") and not isinstance(decorator, ast.Call):
                    tags |= self.function_effects(qualified[len("notebook."):])
                elif not qualified or qualified.startswith("notebook.") or self.knowledge.rule(qualified) is None:
                    tags.add(E.UNKNOWN)
        return tags

    def _reads_own_module(self, every: Sequence[ast.AST], facts_imported) -> bool:
        """`sys.modules[...]` or `import __main__`: the code reaches its namespace from outside."""
        if any(qualified == "__main__" for _, qualified in facts_imported):
            return True
        return any(isinstance(inner, ast.Attribute) and qualified_from(self.imports, inner) in E.INTROSPECTION_NAMES for inner in every)

    def _shown_through_notebook_code(self, cell: CodeCell, unit: _Unit) -> None:
        """Jupyter shows a cell's last value by calling its display methods; a script calls none."""
        last = unit.nodes[-1]
        hooks = sorted(E.DISPLAY_HOOKS & self.members - {"__repr__"})
        if not unit.last or not hooks or not isinstance(last, ast.Expr) or _is_call_of(last.value, "print"):
            return
        if self.judge.may_run_notebook_code(last.value, E.DISPLAY_HOOKS):
            message = f"the notebook shows this value through a method a notebook class defines ({hooks[0]}); a script does not call it"
            self.findings.append(Finding(cell.cell.number, last.lineno, last.col_offset + 1, message, "NB306"))

    def _kernel_values(self, cell: CodeCell, every: Sequence[ast.AST]) -> None:
        """Values a kernel holds otherwise than a script (`sys.argv`, the module's `__doc__`)."""
        for node in every:
            if isinstance(node, ast.Attribute):
                message = E.KERNEL_VALUES.get(qualified_from(self.imports, node))
            elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load) and node.id not in self.kinds:
                message = E.KERNEL_VALUES.get(node.id)
            else:
                message = None
            if message:
                self.findings.append(Finding(cell.cell.number, node.lineno, node.col_offset + 1, message, "NB306"))

    def _kernel_differences(self, cell: CodeCell, found: Scan) -> None:
        for site in found.calls:
            message = E.KERNEL_DIFFERENCES.get(self.qualified(site.node.func)) if not site.deferred else None
            if message:
                node = site.node
                self.findings.append(Finding(cell.cell.number, node.lineno, node.col_offset + 1, message, "NB306"))

    def _targets(self, found: Scan) -> Tuple[Set[str], List[str]]:
        """Effects of assigning into a module's attributes (`os.environ[k] = v`), and names changed in place."""
        tags: Set[str] = set()
        mutated: List[str] = []
        for root, node in zip(found.targets, found.target_nodes):
            if self.kinds.get(root) != "module":
                mutated.append(root)
                continue
            target = node.value if isinstance(node, ast.Subscript) else node
            qualified = qualified_from(self.imports, target) or qualified_from(self.imports, node)
            tags.add(next((tag for prefix, tag in E.MODULE_TARGETS if qualified.startswith(prefix)), E.STATE))
        return tags, mutated

    def _called_global_writes(self, found: Scan) -> List[str]:
        """Names that notebook functions called here rebind through `global`."""
        names: List[str] = []
        for site in found.calls:
            qualified = self.qualified(site.node.func) if not site.deferred else ""
            if qualified.startswith("notebook."):
                _, facts = self.definitions[qualified[len("notebook."):]]
                names += [n for n, owners in facts.global_writes.items() if qualified[9:] in owners]
        return names

    def _removal(self, unit: _Unit, kind: str, tags: FrozenSet[str]) -> Tuple[str, bool]:
        if kind != "statement":
            return "", False
        if all(isinstance(node, ast.Global) for node in unit.nodes):
            return "noop", False  # `global x` outside a function does nothing in a notebook
        verdicts = [self.judge.removal(node) for node in unit.nodes]
        if verdicts and all(rule for rule, _ in verdicts):
            rules = {rule for rule, _ in verdicts}
            rule = "print" if "print" in rules else "plot" if "plot" in rules else "display"
            return rule, any(output for _, output in verdicts)
        if len(unit.nodes) == 1 and isinstance(unit.nodes[0], (ast.Assign, ast.AnnAssign)):
            value = unit.nodes[0].value
            if value is not None and self.judge.pure(value) and not unit.scan.targets:
                return "unused", False
            if value is not None and tags and tags <= {E.PLOT} and not unit.scan.targets:
                return "plot", False
        return "", False

    def _figures(self, nodes: Sequence[ast.stmt]) -> Tuple[str, ...]:
        names: List[str] = []
        for node in nodes:
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call):
                if E.PLOT in self.judge.call(node.value).effects:
                    names += [n.id for t in node.targets for n in ast.walk(t) if isinstance(n, ast.Name)]
        return tuple(names)

    def _remember(self, unit: _Unit, facts: Facts) -> None:
        """Update what names mean after this statement: imports, notebook functions, kinds of values."""
        found = unit.scan
        for name in list(found.binds) + list(found.maybe_binds) + list(found.deletes):
            self.imports.pop(name, None)
            self.definitions.pop(name, None)
            self.kinds[name] = "unknown"
        for name, qualified in facts.imported:
            self.imports[name] = qualified
            self.kinds[name] = "module"
        for name, node in found.functions.items():
            self.definitions[name] = (node, found)
            self.summaries.pop(name, None)
            self.kinds[name] = "class" if isinstance(node, ast.ClassDef) else "function"
        for node in unit.nodes:
            self._remember_kinds(node)

    def _remember_kinds(self, node: ast.stmt) -> None:
        if isinstance(node, ast.Assign):
            kind = self._value_kind(node.value)
            for target in node.targets:
                for name in ast.walk(target):
                    if isinstance(name, ast.Name) and isinstance(name.ctx, ast.Store):
                        self.kinds[name.id] = kind if isinstance(target, ast.Name) or kind in ("figure", "data") else "unknown"
        elif isinstance(node, ast.AnnAssign) and node.value is not None and isinstance(node.target, ast.Name):
            self.kinds[node.target.id] = self._value_kind(node.value)

    def _value_kind(self, value: ast.AST) -> str:
        if isinstance(value, ast.Name):
            return self.kinds.get(value.id, "unknown")
        if isinstance(value, ast.GeneratorExp):
            return "iterator"
        if isinstance(value, ast.Lambda):
            return "function"
        if isinstance(value, ast.Call):
            return self._call_kind(value)
        if isinstance(value, (ast.Attribute, ast.Subscript)):
            return "data" if self.kinds.get(root_name(value), "data") == "data" else "unknown"
        if isinstance(value, (ast.Await, ast.Yield, ast.YieldFrom, ast.NamedExpr)):
            return "unknown"
        return "data"

    def _call_kind(self, call: ast.Call) -> str:
        qualified = self.qualified(call.func)
        if qualified.startswith("notebook."):
            return "instance" if self.kinds.get(qualified[9:]) == "class" else "unknown"
        if qualified == "collections.defaultdict":
            return "defaultdict"
        if qualified in E.ITERATOR_FACTORIES:
            return "iterator"
        effects = self.judge.call(call).effects
        if E.PLOT in effects:
            return "figure"
        if E.RANDOM in effects and qualified.rsplit(".", 1)[-1][:1].isupper():
            return "random"  # an object built to draw later (`KFold(shuffle=True)`): its methods draw
        if qualified.startswith(DATA_LIBRARIES) or qualified.startswith("builtins."):
            return "data"
        if not qualified and isinstance(call.func, ast.Attribute):
            receiver = self.kinds.get(root_name(call.func), "data")
            return receiver if receiver in ("data", "figure") else "unknown"
        return "unknown"


DATA_LIBRARIES = ("numpy.", "pandas.", "scipy.", "sklearn.", "statsmodels.", "math.", "statistics.", "json.", "re.", "collections.")
BUILTINS = frozenset(dir(__import__("builtins"))) | {"display"}


def _kind(nodes: Sequence[ast.stmt]) -> str:
    if all(isinstance(n, (ast.Import, ast.ImportFrom)) for n in nodes):
        if any(isinstance(n, ast.ImportFrom) and n.module == FUTURE for n in nodes):
            return "future"
        return "import"
    if len(nodes) == 1 and isinstance(nodes[0], (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return "def"
    return "statement"


def _imported(nodes: Sequence[ast.stmt]) -> Tuple[Tuple[str, str], ...]:
    """(name bound, what it stands for) for each import: `np` -> numpy, `path` -> os.path."""
    found = []
    for node in nodes:
        if isinstance(node, ast.Import):
            for alias in node.names:
                name = alias.asname or alias.name.split(".")[0]
                found.append((name, alias.name if alias.asname else name))
        elif isinstance(node, ast.ImportFrom) and not node.level:
            found += [(a.asname or a.name, f"{node.module}.{a.name}") for a in node.names if a.name != "*"]
        elif isinstance(node, ast.ImportFrom):
            found += [(a.asname or a.name, f"{'.' * node.level}{node.module or ''}.{a.name}") for a in node.names if a.name != "*"]
    return tuple(found)


def _settings(nodes: Sequence[ast.stmt]) -> Tuple[str, ...]:
    """Names a lone assignment binds to literals: `args = {...}`, `lr, epochs = 0.1, 3`."""
    if len(nodes) != 1 or not isinstance(nodes[0], ast.Assign) or len(nodes[0].targets) != 1:
        return ()
    target, value = nodes[0].targets[0], nodes[0].value
    if isinstance(target, ast.Name):
        return (target.id,) if is_literal(value) else ()
    if isinstance(target, ast.Tuple) and isinstance(value, ast.Tuple) and len(target.elts) == len(value.elts):
        pairs = list(zip(target.elts, value.elts))
        if all(isinstance(t, ast.Name) and is_literal(v) for t, v in pairs):
            return tuple(t.id for t, _ in pairs)
    return ()


def _containers(nodes: Sequence[ast.stmt]) -> Tuple[Tuple[str, str, Tuple[str, ...]], ...]:
    """For `data = {"test": {"y": y_test}}`: (("y_test", "data", ('"test"', '"y"')),)."""
    if len(nodes) != 1 or not isinstance(nodes[0], ast.Assign) or len(nodes[0].targets) != 1:
        return ()
    target, value = nodes[0].targets[0], nodes[0].value
    if not isinstance(target, ast.Name) or not isinstance(value, ast.Dict):
        return ()
    found: List[Tuple[str, str, Tuple[str, ...]]] = []

    def walk(mapping: ast.Dict, keys: Tuple[str, ...]) -> None:
        for key, item in zip(mapping.keys, mapping.values):
            if not (isinstance(key, ast.Constant) and isinstance(key.value, str)):
                continue
            path = keys + (repr(key.value).replace("'", '"') if '"' not in key.value else repr(key.value),)
            if isinstance(item, ast.Name):
                found.append((item.id, target.id, path))
            elif isinstance(item, ast.Dict):
                walk(item, path)

    walk(value, ())
    return tuple(found)


def _string_lines(unit: _Unit, every: Sequence[ast.AST]) -> Tuple[int, ...]:
    """Lines of the unit (from 1) that begin inside a string literal: re-indenting them would change it."""
    lines: Set[int] = set()
    for inner in every:
        spans = isinstance(inner, ast.JoinedStr) or isinstance(inner, ast.Constant) and isinstance(inner.value, (str, bytes))
        if spans and (inner.end_lineno or inner.lineno) > inner.lineno:
            lines.update(range(inner.lineno - unit.start + 2, inner.end_lineno - unit.start + 2))
    return tuple(sorted(lines))


def _declares_global(nodes: Sequence[ast.stmt]) -> bool:
    pending = list(nodes)
    while pending:
        node = pending.pop()
        if isinstance(node, ast.Global):
            return True
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
            pending.extend(ast.iter_child_nodes(node))
    return False


def _is_call_of(node: ast.AST, name: str) -> bool:
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == name


def _prints(nodes: Sequence[ast.stmt]) -> bool:
    return len(nodes) == 1 and isinstance(nodes[0], ast.Expr) and _is_call_of(nodes[0].value, "print")


def _last_call(walked: Sequence[Sequence[ast.AST]]) -> str:
    """The dotted name of the outermost named call of the last statement (for naming its section)."""
    for nodes in reversed(walked):
        for inner in nodes:
            if isinstance(inner, ast.Call) and dotted_name(inner.func):
                return dotted_name(inner.func)
    return ""


def _value_kind(nodes: Sequence[ast.stmt]) -> str:
    if len(nodes) != 1 or not isinstance(nodes[0], (ast.Assign, ast.AnnAssign)) or nodes[0].value is None:
        return ""
    value = nodes[0].value
    if isinstance(value, (ast.List, ast.Dict, ast.Set, ast.ListComp, ast.DictComp, ast.SetComp)):
        return "mutable"
    return {ast.Tuple: "tuple", ast.Lambda: "lambda"}.get(type(value), "other")


def _unique(names) -> Tuple[str, ...]:
    return tuple(dict.fromkeys(names))
