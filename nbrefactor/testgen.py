"""Plan -> the values the test templates lay out; the templates decide nothing.

The plain test module has a real import test, a `test_main` that runs the script in a copy of the
notebook's folder, and for each generated function a skipped stub that states its contract as the
notebook used it: parameter and result types seen in the notebook (the calls that bound them, the
outputs saved with it), what the function changes or prints, and the assertion that fits each type.
Everything is computed from the plan and the notebook's text: nothing is run and no file is read.
Text from the notebook reaches the test code only as `repr` literals.
"""
from __future__ import annotations

import ast
import builtins
import re
from typing import Dict, Iterable, Iterator, List, Optional, Sequence, Set, Tuple

from . import effects as E
from .fixtures import MAIN_KEY
from .model import CodeCell, Plan, Shown, Statement, Step
from .scoring import model_files
from .scopes import dotted_name

BUILTIN_NAMES = frozenset(dir(builtins))
FRAME, SERIES, ARRAY = "pandas.DataFrame", "pandas.Series", "numpy.ndarray"
UNKNOWN_TYPE = ""
SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda, ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)

# The assertion a stub suggests for a value of each type: (import it needs, assertion).
ASSERTIONS: Dict[str, Tuple[str, str]] = {
    FRAME: ("from pandas.testing import assert_frame_equal", "assert_frame_equal({actual}, {expected})"),
    SERIES: ("from pandas.testing import assert_series_equal", "assert_series_equal({actual}, {expected})"),
    ARRAY: ("from numpy.testing import assert_allclose", "assert_allclose({actual}, {expected})"),
}
PLAIN_ASSERTION = ("", "assert {actual} == {expected}")

# What a call returns, by the qualified name it resolves to; a key ending in "*" is a prefix (the
# longest wins, an exact key beats any prefix). A call to a class (a CapWords name) returns an instance.
CALL_TYPES: Dict[str, str] = {
    "pandas.read_*": FRAME,
    "pandas.read_pickle": UNKNOWN_TYPE,
    "pandas.merge": FRAME,
    "pandas.get_dummies": FRAME,
    "pandas.pivot_table": FRAME,
    "pandas.crosstab": FRAME,
    **{f"numpy.{name}": ARRAY for name in (
        "array asarray zeros ones empty full arange linspace logspace eye identity concatenate stack vstack "
        "hstack column_stack zeros_like ones_like full_like loadtxt genfromtxt"
    ).split()},
    "numpy.random.rand": ARRAY,
    "numpy.random.randn": ARRAY,
    **{f"builtins.{name}": name for name in ("dict", "list", "tuple", "set", "str", "int", "float", "bool")},
    "builtins.sorted": "list",
    "builtins.len": "int",
}
# Methods that return a value of their receiver's type, by receiver type.
SAME_TYPE_METHODS: Dict[str, Set[str]] = {
    FRAME: set("copy dropna fillna drop rename sort_values sort_index astype head tail sample query assign "
               "drop_duplicates replace abs round clip".split()),
    SERIES: set("copy dropna fillna drop rename sort_values sort_index astype head tail sample "
                "drop_duplicates replace abs round clip".split()),
    ARRAY: set("copy reshape ravel flatten astype round clip".split()),
}
# Expressions that display a value of their receiver's type: `df.head()`.
SAME_TYPE_DISPLAYS = {"head", "tail", "sample", "copy"}
PUBLIC_TYPES = {"pandas.core.frame.DataFrame": FRAME, "pandas.core.series.Series": SERIES}
LITERAL_TYPES = {ast.Dict: "dict", ast.DictComp: "dict", ast.List: "list", ast.ListComp: "list",
                 ast.Tuple: "tuple", ast.Set: "set", ast.SetComp: "set", ast.JoinedStr: "str"}
CLASS_TEXT = re.compile(r"^<class '([\w.]+)'>")
SERIES_FOOTER = re.compile(r"^(Name: .*, )?(Length: \d+, )?dtype: \S+$")

# Text that names a file: not a URL, not inline data; a name with an extension, or folders without spaces.
PATH_LIKE = re.compile(r"^(?!.*://)(?![\s{\[<])(?:[^\n]*\.[A-Za-z0-9]{1,8}|[^\s]*/[^\s]*)$")
PATH_BUILDERS = {"os.path.join", "pathlib.Path", "pathlib.PurePath", "pathlib.PosixPath", "pathlib.WindowsPath"}
PATH_READ_METHODS = {"read_text", "read_bytes", "open"}
PATH_WRITE_METHODS = {"write_text", "write_bytes", "mkdir", "touch"}
# Writers that add a suffix to the name they are given: `np.save("a", x)` writes a.npy.
WRITE_SUFFIXES = {"numpy.save": ".npy", "numpy.savez": ".npz", "numpy.savez_compressed": ".npz"}
WRITE_METHOD_NAMES = {"savefig", "save", "dump", "to_csv", "to_excel", "to_json", "to_parquet", "to_pickle",
                      "to_feather", "to_hdf", "to_html", "to_latex", "to_markdown", "to_stata", "tofile"}
# Folders a test does not copy when it copies the notebook's folder: version control, caches, environments.
NOT_COPIED = (".git", ".hg", ".svn", "__pycache__", ".ipynb_checkpoints", ".pytest_cache", ".mypy_cache",
              ".ruff_cache", ".tox", ".nox", ".venv", "venv", "node_modules")
# Findings that name a variable the script reads but never binds: running it stops with a NameError there.
UNBOUND_CODES = ("NB101", "NB102", "NB103")
# What a stub's contract says of a function whose body has an effect.
EFFECT_NOTES = (
    (E.STDOUT, "prints to standard output"),
    (E.FILES, "writes files (call it after monkeypatch.chdir(tmp_path))"),
    (E.PLOT, "draws figures"),
    (E.RANDOM, "draws unseeded random numbers: its results change from run to run"),
)
FIXED_TESTS = {"test_importing_the_script_runs_no_code", "test_main", "test_run_scores_the_sample_request_as_json"}
TEST_MODULE_NAMES = {"ast", "importlib", "json", "os", "pathlib", "pytest", "shutil", "subprocess", "sys"}


def test_values(plan: Plan, module: str, cells: Sequence[CodeCell] = (), source_label: str = "") -> dict:
    """The values of `test_script.py.j2` for the plan's script `<module>.py`.

    `cells` (the notebook's, normalised) give the types seen in the notebook; `source_label` is the notebook's path as seen
    from the folder the tests are written to (its name alone when they sit beside it).
    """
    from .codegen import docstring_literal

    label = source_label or plan.source.replace("\\", "/").rsplit("/", 1)[-1]
    scoring = plan.kind == "score"
    types = value_types(cells)
    steps = [step for step in plan.steps if not step.inline]
    alias = _module_alias(module, steps)
    packages = third_party_modules(plan)
    unbound = _unbound_names(plan, label)
    return {
        "docstring": docstring_literal(_module_doc(module, label, scoring), ""),
        "module": module,
        "alias": alias,
        "script": repr(f"{module}.py"),
        "scoring": scoring,
        "third_party": repr(packages),
        "needs_packages": bool(packages),
        "constants": repr(sorted(_constant_names(plan))),
        "runs_main": not scoring,
        "notebook_folder": repr(label.rsplit("/", 1)[0] if "/" in label else "."),
        **_input_values(input_files(plan)),
        "not_copied": repr(NOT_COPIED),
        "unbound": repr(unbound),
        "expects_name_error": bool(unbound),
        "tests": [_stub(step, alias, types) for step in steps],
        "sample": [statement.code.strip() for statement in plan.sample],
        "run_call": _run_call(plan) if scoring else "",
        "model_files": repr(list(model_files(plan.steps[0]))) if scoring else "[]",
    }


def _input_values(inputs: List[str]) -> dict:
    """The input files, those among them outside the notebook's folder (`../data/x.csv`, copied beside
    the copy of the folder), and the folders to nest that copy in so that they stay inside the test's
    temporary folder."""
    outside = [path for path in inputs if path.replace("\\", "/").startswith("../")]
    levels = max((_levels_up(path) for path in outside), default=0)
    return {
        "input_files": repr(inputs),
        "outside_inputs": repr(outside) if outside else "",
        "folders_above": repr(["above"] * max(levels - 1, 0)),
    }


def _levels_up(path: str) -> int:
    parts = path.replace("\\", "/").split("/")
    return next((index for index, part in enumerate(parts) if part != ".."), len(parts))


def _module_doc(module: str, label: str, scoring: bool) -> str:
    import textwrap

    ready = "the test of init() and run() on the notebook's sample request" if scoring else "test_main (the script run in a copy of the notebook's folder)"
    body = (
        f"The import test and {ready} are ready to run. Each test_<function> is a stub that states the "
        "function's contract as the notebook used it: replace each `...` with a small value of the type "
        "noted beside it, then remove the skip mark."
    )
    return f"Tests for {module}.py, generated by nbrefactor from {label}.\n\n" + textwrap.fill(body, width=100)


def third_party_modules(plan: Plan) -> List[str]:
    """Top-level packages the script imports that do not come with Python: the tests skip when one is
    not installed, and fail when one is installed but its import fails."""
    from .imports import is_stdlib

    packages = []
    for statement in _script_statements(plan):
        if statement.facts.kind != "import":
            continue
        for node in statement.node:
            packages += _imported_packages(node)
    return [name for name in dict.fromkeys(packages) if not is_stdlib(name) and name != "__future__"]


def _imported_packages(node: ast.AST) -> List[str]:
    if isinstance(node, ast.Import):
        return [alias.name.split(".")[0] for alias in node.names]
    if isinstance(node, ast.ImportFrom) and not node.level and node.module:
        return [node.module.split(".")[0]]
    return []


def _script_statements(plan: Plan) -> List[Statement]:
    """Every statement the script runs, in its order: imports, module level, then each step."""
    statements = list(plan.imports) + list(plan.definitions)
    for step in plan.steps:
        statements += list(step.settings) + list(step.body) + list(step.after)
    return statements


def _constant_names(plan: Plan) -> Set[str]:
    return {name for s in plan.definitions if s.facts.kind == "statement" for name in s.facts.binds}


def _unbound_names(plan: Plan, label: str) -> List[Tuple[str, str]]:
    """(name, finding) for each name the script reads but no statement binds."""
    found = []
    for finding in plan.findings:
        quoted = re.search(r"'([A-Za-z_]\w*)'", finding.message)
        if finding.code in UNBOUND_CODES and quoted:
            found.append((quoted.group(1), finding.format(label)))
    return found


def _run_call(plan: Plan) -> str:
    run = next(step for step in plan.steps if step.role == "run")
    return f"{run.name}({', '.join(run.params)})"


def _module_alias(module: str, steps: Sequence[Step]) -> str:
    """The name the tests import the script under: its own, unless a test's local name would shadow it."""
    taken = set(TEST_MODULE_NAMES)
    for step in steps:
        taken |= set(step.params) | set(step.returns) | {_expected_name(n) for n in step.params + step.returns}
    return module if module not in taken else f"{module}_script"


# --- stubs --------------------------------------------------------------------------------------------


def _stub(step: Step, alias: str, types: Dict[str, Tuple[str, str]]) -> dict:
    """One function's skipped test: its contract as comments, then Arrange / Act / Assert lines."""
    checks = _checks(step, alias, types)
    printed = _prints(step)
    fill = list(step.params) + [check[1] for check in checks] + (["expected_output"] if printed else [])
    call = f"{alias}.{step.name}({', '.join(step.params)})"
    return {
        "name": step.name if f"test_{step.name}" not in FIXED_TESTS else f"{step.name}_function",
        "reason": repr(_fill_reason(step, fill)),
        "fixtures": "capsys" if printed else "",
        "contract": _contract(step, types, checks),
        "imports": sorted({ASSERTIONS.get(check[2], PLAIN_ASSERTION)[0] for check in checks} - {""}),
        "arrange": _arrange(step, alias, types, checks, printed),
        "call": f"{', '.join(step.returns)} = {call}" if step.returns else call,
        "asserts": _asserts(step, checks, printed),
    }


def _checks(step: Step, alias: str, types: Dict[str, Tuple[str, str]]) -> List[Tuple[str, str, str, str]]:
    """(actual expression, expected name, type, what the expected value is) for each value the function
    gives back or changes."""
    taken = set(step.params) | set(step.returns)
    returned = f"what {step.name} returns for these inputs"
    changed = [name for name in changed_parameters(step) if name not in step.returns]
    checks = [(name, _expected_name(name, "", taken), _type_of(name, types), returned) for name in step.returns]
    checks += [(name, _expected_name(name, "_after", taken), _type_of(name, types), f"what {name} holds after the call") for name in changed]
    checks += [(f"{alias}.{name}", _expected_name(name, "", taken), _type_of(name, types), f"what the call sets {alias}.{name} to") for name in step.globals_]
    return checks


def _expected_name(name: str, suffix: str = "", taken: Set[str] = frozenset()) -> str:
    """`expected_<name><suffix>`, made longer until it is none of the test's other local names."""
    expected = f"expected_{name}{suffix}"
    while expected in taken:
        expected += "_value"
    return expected


def _type_of(name: str, types: Dict[str, Tuple[str, str]]) -> str:
    return types.get(name, (UNKNOWN_TYPE, ""))[0]


def changed_parameters(step: Step) -> List[str]:
    """Parameters the function surely changes in place (`df["y"] = ...`, `inplace=True`) while the name
    still holds the argument; a call the effect table does not know may change them too, unsaid."""
    holding = set(step.params)
    changed: List[str] = []
    for statement in step.body:
        if E.UNKNOWN not in statement.facts.effects:
            changed += [n for n in statement.facts.mutates if n in holding and n not in changed]
        holding -= set(statement.facts.binds) | set(statement.facts.maybe_binds)
    return [name for name in step.params if name in changed]


def _prints(step: Step) -> bool:
    return any(E.STDOUT in statement.facts.effects for statement in step.body)


def _fill_reason(step: Step, fill: Sequence[str]) -> str:
    if not fill:
        return f"stub: {step.name}() takes no inputs and gives nothing back; assert on what it should do, then remove this mark"
    return f"stub: fill in {', '.join(fill)} (each `...`), then remove this mark"


def _contract(step: Step, types, checks) -> List[str]:
    heading = f"section {step.heading!r}" if step.heading else "the code before the first heading"
    signature = f"{step.name}({', '.join(step.params)})" + (f" -> {', '.join(step.returns)}" if step.returns else "")
    lines = [f"Contract, as the notebook used it ({heading}):", f"    {signature}"]
    lines += [f"    {name}: {_described(name, types)}" for name in step.params]
    lines += [f"    returns {name}: {_described(name, types)}" for name in step.returns]
    lines += [f"    changes {name} in place" for name in changed_parameters(step)]
    lines += [f"    sets the module global {name}: {_described(name, types)}" for name in step.globals_]
    if not step.returns:
        lines.append("    returns nothing")
    effects = set().union(*(statement.facts.effects for statement in step.body))
    lines += [f"    {note}" for effect, note in EFFECT_NOTES if effect in effects]
    return lines


def _described(name: str, types: Dict[str, Tuple[str, str]]) -> str:
    kind, where = types.get(name, (UNKNOWN_TYPE, ""))
    return f"{kind} ({where})" if kind else "type not seen in the notebook"


def _arrange(step: Step, alias: str, types, checks, printed: bool) -> List[str]:
    lines = [f"{alias}.init()  # run() scores with what init() loads"] if step.role == "run" else []
    lines += [f"{name} = ...  # {_type_of(name, types) or 'a small value like the one the notebook used'}" for name in step.params]
    lines += [f"{expected} = ...  # {meaning}{_kind_note(kind)}" for _, expected, kind, meaning in checks]
    if printed:
        lines.append("expected_output = ...  # the text it should print")
    return lines or [f"# {step.name}() takes no inputs"]


def _kind_note(kind: str) -> str:
    return f" ({kind})" if kind else ""


def _asserts(step: Step, checks, printed: bool) -> List[str]:
    lines = [ASSERTIONS.get(kind, PLAIN_ASSERTION)[1].format(actual=actual, expected=expected) for actual, expected, kind, _ in checks]
    if printed:
        lines.append("assert capsys.readouterr().out == expected_output")
    return lines or [f"# {step.name}() gives nothing back: assert on what it should do"]


# --- types seen in the notebook -----------------------------------------------------------------------


def value_types(cells: Sequence[CodeCell]) -> Dict[str, Tuple[str, str]]:
    """Name -> (type, where it was seen) for the notebook's top-level names of known type.

    Types come from the expressions that bind a name (`pd.read_csv(...)` -> pandas.DataFrame, a dict
    literal -> dict) and from the outputs saved with the notebook (a displayed DataFrame, an array's repr).
    A name bound where its type is unknown, or seen with two types, has none.
    """
    bindings: Dict[str, List[Optional[Tuple[str, str]]]] = {}
    imports: Dict[str, str] = {}
    for number, tree, outputs in _code_cells(cells):
        for node in tree.body:
            _note_import(node, imports)
            for name, value in _bindings(node):
                kind = _expression_type(value, imports, bindings) if value is not None else UNKNOWN_TYPE
                bindings.setdefault(name, []).append((kind, f"bound in code cell {number}") if kind else None)
        for name, kind in _shown_types(tree, outputs):
            _note_shown(bindings.setdefault(name, []), kind, f"shown in code cell {number}")
    return {name: seen[0] for name, seen in bindings.items() if _one_type(seen)}


def _one_type(seen: List[Optional[Tuple[str, str]]]) -> bool:
    return bool(seen) and None not in seen and len({kind for kind, _ in seen}) == 1


def _note_shown(seen: List[Optional[Tuple[str, str]]], kind: str, where: str) -> None:
    """A shown type completes the name's latest binding when its type was unknown, and conflicts otherwise."""
    if not seen or seen[-1] is None:
        seen[-1:] = [(kind, where)]
    elif seen[-1][0] != kind:
        seen.append((kind, where))


def _code_cells(cells: Sequence[CodeCell]) -> Iterator[Tuple[int, ast.Module, Tuple[Shown, ...]]]:
    """(code cell number, parsed plain Python, saved outputs) for each code cell that parses."""
    for cell in cells:
        try:
            tree = ast.parse(cell.python)
        except (SyntaxError, ValueError):
            continue
        yield cell.cell.number, tree, cell.cell.shown


def _note_import(node: ast.AST, imports: Dict[str, str]) -> None:
    if isinstance(node, ast.Import):
        for alias in node.names:
            imports[alias.asname or alias.name.split(".")[0]] = alias.name if alias.asname else alias.name.split(".")[0]
    elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
        imports.update({a.asname or a.name: f"{node.module}.{a.name}" for a in node.names if a.name != "*"})


def _bindings(statement: ast.stmt) -> Iterator[Tuple[str, Optional[ast.AST]]]:
    """(name, value expression or None when not a plain assignment) for each name the statement binds
    in the notebook's namespace (not inside functions, classes or comprehensions)."""
    if isinstance(statement, ast.Assign) and len(statement.targets) == 1 and isinstance(statement.targets[0], ast.Name):
        yield statement.targets[0].id, statement.value
        return
    if isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name) and statement.value is not None:
        yield statement.target.id, statement.value
        return
    if isinstance(statement, SCOPES):
        return
    for node in _outside_scopes(statement):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store) and not _augmented(statement, node):
            yield node.id, None


def _augmented(statement: ast.stmt, node: ast.Name) -> bool:
    """`total += 1` keeps the type of `total`."""
    return isinstance(statement, ast.AugAssign) and statement.target is node


def _outside_scopes(node: ast.AST) -> Iterator[ast.AST]:
    pending = [node]
    while pending:
        current = pending.pop()
        yield current
        if not isinstance(current, SCOPES):
            pending.extend(ast.iter_child_nodes(current))


def _expression_type(node: ast.AST, imports: Dict[str, str], bindings) -> str:
    """The type of the value an expression gives, where the tables or literals tell it; "" otherwise."""
    if isinstance(node, ast.Constant):
        return type(node.value).__name__ if isinstance(node.value, (bool, int, float, str)) else UNKNOWN_TYPE
    if type(node) in LITERAL_TYPES:
        return LITERAL_TYPES[type(node)]
    if isinstance(node, ast.Name):
        seen = bindings.get(node.id, [])
        return seen[-1][0] if seen and seen[-1] else UNKNOWN_TYPE
    if isinstance(node, ast.Call):
        return _call_type(node, imports, bindings)
    receiver = _expression_type(node.value, imports, bindings) if isinstance(node, (ast.Attribute, ast.Subscript)) else ""
    if isinstance(node, ast.Attribute) and node.attr == "values" and receiver in (FRAME, SERIES):
        return ARRAY
    if isinstance(node, ast.Subscript) and receiver == FRAME:
        column = node.slice
        return SERIES if isinstance(column, ast.Constant) and isinstance(column.value, str) else FRAME if isinstance(column, ast.List) else ""
    return UNKNOWN_TYPE


def _call_type(node: ast.Call, imports: Dict[str, str], bindings) -> str:
    qualified = _qualified(node.func, imports)
    if qualified:
        return _lookup_type(qualified)
    if isinstance(node.func, ast.Attribute):
        receiver = _expression_type(node.func.value, imports, bindings)
        if node.func.attr in SAME_TYPE_METHODS.get(receiver, ()):
            return receiver
        if node.func.attr == "to_numpy" and receiver in (FRAME, SERIES):
            return ARRAY
    return UNKNOWN_TYPE


def _qualified(node: ast.AST, imports: Dict[str, str]) -> str:
    """`pandas.read_csv` for `pd.read_csv` when pd is pandas; `builtins.open` for `open`; "" otherwise."""
    dotted = dotted_name(node)
    root, _, rest = dotted.partition(".")
    if root in imports:
        return imports[root] + ("." + rest if rest else "")
    return f"builtins.{dotted}" if dotted in BUILTIN_NAMES else ""


def _lookup_type(qualified: str) -> str:
    """The type a call returns: CALL_TYPES (exact, else the longest prefix), else a class's own name."""
    if qualified in CALL_TYPES:
        return CALL_TYPES[qualified]
    prefixes = [key for key in CALL_TYPES if key.endswith("*") and qualified.startswith(key[:-1])]
    if prefixes:
        return CALL_TYPES[max(prefixes, key=len)]
    last = qualified.rsplit(".", 1)[-1]
    return _public_type(qualified) if last[:1].isupper() and not last.isupper() else UNKNOWN_TYPE


def _public_type(qualified: str) -> str:
    """`pandas.DataFrame` for `pandas.core.frame.DataFrame`; private modules left out; builtins bare."""
    if qualified in PUBLIC_TYPES:
        return PUBLIC_TYPES[qualified]
    public = ".".join(part for part in qualified.split(".") if not part.startswith("_"))
    return public[len("builtins."):] if public.startswith("builtins.") else public


def _shown_types(tree: ast.Module, outputs: Sequence[Shown]) -> Iterator[Tuple[str, str]]:
    """(name, type) for a cell that ends by showing a name (`df`, `df.head()`, `type(df)`, `df.info()`)."""
    last = tree.body[-1] if tree.body else None
    shown = _shown_name(last.value) if isinstance(last, ast.Expr) else None
    if shown is None:
        return
    name, how = shown
    kind = _class_in_output(outputs) if how == "type" else _result_type(outputs)
    if kind:
        yield name, kind


def _shown_name(node: ast.AST) -> Optional[Tuple[str, str]]:
    """(name, "value") for an expression whose result has the name's type; (name, "type") for one that
    shows the name's class; None for anything else."""
    if isinstance(node, ast.Name):
        return node.id, "value"
    if not isinstance(node, ast.Call) or len(node.args) > 1:
        return None
    function, argument = node.func, node.args[0] if node.args else None
    if isinstance(function, ast.Attribute) and isinstance(function.value, ast.Name):
        if function.attr in SAME_TYPE_DISPLAYS:
            return function.value.id, "value"
        return (function.value.id, "type") if function.attr == "info" and argument is None else None
    if isinstance(function, ast.Name) and function.id == "type" and isinstance(argument, ast.Name):
        return argument.id, "type"
    if isinstance(function, ast.Name) and function.id == "print" and isinstance(argument, ast.Call):
        inner = _shown_name(argument)
        return inner if inner and inner[1] == "type" and isinstance(argument.func, ast.Name) else None
    return None


def _result_type(outputs: Sequence[Shown]) -> str:
    for output in outputs:
        if output.kind == "execute_result":
            return FRAME if output.dataframe else _text_type(output.text)
    return UNKNOWN_TYPE


def _class_in_output(outputs: Sequence[Shown]) -> str:
    """The class a cell printed (`<class 'pandas.core.frame.DataFrame'>`) or showed (`type(df)`)."""
    for output in outputs:
        first = output.text.strip().split("\n", 1)[0]
        found = CLASS_TEXT.match(first) or re.fullmatch(r"([A-Za-z_][\w.]*)", first)
        if found:
            return _public_type(found.group(1))
    return UNKNOWN_TYPE


def _text_type(text: str) -> str:
    """The type a plain-text repr shows: a Series by its dtype footer, an array, a literal's type."""
    text = text.strip()
    if not text:
        return UNKNOWN_TYPE
    if SERIES_FOOTER.match(text.rsplit("\n", 1)[-1]):
        return SERIES
    try:
        node = ast.parse(text, mode="eval").body
    except (SyntaxError, ValueError):
        return UNKNOWN_TYPE
    if isinstance(node, ast.Call) and dotted_name(node.func) in ("array", "np.array"):
        return ARRAY
    if isinstance(node, ast.Call) and dotted_name(node.func).startswith("np."):
        return "numpy." + dotted_name(node.func)[3:]
    return _expression_type(node, {}, {}) if not isinstance(node, ast.Name) else UNKNOWN_TYPE


# --- files the script reads ---------------------------------------------------------------------------


def input_files(plan: Plan) -> List[str]:
    """Paths (as written) of the files the script reads and does not write itself: string literals, or
    names bound once to them, given to a call the effect table says reads from outside, or to `open`
    for reading. The generated test_main checks they exist before it runs the script."""
    statements = _script_statements(plan)
    imports = {name: qualified for s in statements for name, qualified in s.facts.imported}
    paths = _path_names(statements, imports)
    reads: List[str] = []
    writes: Set[str] = set()
    for statement in statements:
        for node, in_function in _nodes(statement):
            if isinstance(node, ast.Call):
                use, found = _file_use(node, imports, {} if in_function else paths)
                if use == "read":
                    reads += found
                writes.update(found if use == "write" else [])
    return [path for path in dict.fromkeys(reads) if path not in writes]


def _nodes(statement: Statement) -> Iterator[Tuple[ast.AST, bool]]:
    """Every node of the statement, and whether it sits inside a function (where names are not the
    notebook's)."""
    pending = [(node, False) for node in statement.node]
    while pending:
        node, inside = pending.pop()
        yield node, inside
        inside = inside or isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))
        pending.extend((child, inside) for child in ast.iter_child_nodes(node))


def _path_names(statements: Sequence[Statement], imports: Dict[str, str]) -> Dict[str, str]:
    """Names bound once, at the notebook's level, to a path the code spells out."""
    values: Dict[str, str] = {}
    counts: Dict[str, int] = {}
    for statement in statements:
        for node in statement.node:
            for name, value in _bindings(node):
                counts[name] = counts.get(name, 0) + 1
                values[name] = _path_value(value, imports, values) if value is not None else ""
    return {name: value for name, value in values.items() if value and counts[name] == 1}


def _path_value(node: ast.AST, imports: Dict[str, str], paths: Dict[str, str]) -> str:
    """The text of a path built from literals: "data/x.csv" for `os.path.join("data", "x.csv")`."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.Name):
        return paths.get(node.id, "")
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
        parts = [_path_value(side, imports, paths) for side in (node.left, node.right)]
        return "/".join(parts) if all(parts) else ""
    if isinstance(node, ast.Call) and _qualified(node.func, imports) in PATH_BUILDERS and node.args and not node.keywords:
        parts = [_path_value(argument, imports, paths) for argument in node.args]
        return "/".join(parts) if all(parts) else ""
    return ""


def _file_use(node: ast.Call, imports: Dict[str, str], paths: Dict[str, str]) -> Tuple[str, List[str]]:
    """("read" or "write", the paths it names) for a call that reads or writes files; ("", []) otherwise."""
    qualified = _qualified(node.func, imports)
    arguments = list(node.args) + [keyword.value for keyword in node.keywords]
    if qualified in ("builtins.open", "io.open"):
        mode = node.args[1] if len(node.args) > 1 else next((k.value for k in node.keywords if k.arg == "mode"), None)
        writing = isinstance(mode, ast.Constant) and isinstance(mode.value, str) and any(c in mode.value for c in "wax+")
        return ("write" if writing else "read"), _paths(arguments[:1], imports, paths)
    if qualified:
        rule = E.lookup(qualified)
        effects = rule.effects if rule else frozenset()
        use = "write" if E.FILES in effects else "read" if E.OUTSIDE in effects else ""
        return use, _paths(arguments, imports, paths, WRITE_SUFFIXES.get(qualified, "")) if use else []
    if isinstance(node.func, ast.Attribute):
        return _method_file_use(node.func, arguments, imports, paths)
    return "", []


def _method_file_use(function: ast.Attribute, arguments, imports, paths) -> Tuple[str, List[str]]:
    """`Path("x.txt").read_text()` reads x.txt; `df.to_csv("out.csv")` writes out.csv."""
    receiver = _paths([function.value], imports, paths) if isinstance(function.value, (ast.Call, ast.BinOp)) else []
    if receiver and function.attr in PATH_READ_METHODS:
        return "read", receiver
    if receiver and function.attr in PATH_WRITE_METHODS:
        return "write", receiver
    if function.attr in WRITE_METHOD_NAMES:
        return "write", _paths(arguments, imports, paths)
    return "", []


def _paths(nodes: Iterable[ast.AST], imports: Dict[str, str], paths: Dict[str, str], suffix: str = "") -> List[str]:
    values = [_path_value(node, imports, paths) for node in nodes]
    values = [value if value.endswith(suffix) else value + suffix for value in values if value]
    return [value for value in values if PATH_LIKE.match(value)]
def recorded_test_module(plan: Plan, module: str, report: dict, script_text: str, *, notebook_folder: str, fixtures: str) -> str:
    """The text of `test_<module>_recorded.py`: one test per function from what `--record` stored."""
    from .render import parse_header, render_template, template_environment, with_header

    steps = [step for step in plan.steps if not step.inline]
    taken = {name for step in steps for name in step.params + plan.globals_ + step.returns}
    alias = module if module not in taken else f"{module}_module"
    scoring = plan.kind == "score"
    values = {
        "module": module,
        "alias": alias,
        "source": plan.source.replace("\\", "/").rsplit("/", 1)[-1],
        "requires": third_party_modules(plan),
        "requires_literal": repr(third_party_modules(plan)),
        "notebook_folder": notebook_folder,
        "fixtures": fixtures,
        "model_files": list(model_files(plan.steps[0])) if scoring else [],
        "tests": [_recorded(step, report.get(step.name, {}), alias, taken) for step in steps],
        "main": _recorded_main(report[MAIN_KEY]) if MAIN_KEY in report else None,
        "helper_imports": _helpers()[0],
        "helpers": _helpers()[1],
    }
    text = render_template(template_environment(None), "test_recorded.py.j2", **values)
    first_line = script_text.split("\n", 1)[0]
    header = parse_header(script_text) or {}
    label = first_line[len("# Generated by nbrefactor from "):].split(": edit the notebook")[0]
    return with_header(text, label, header.get("source", ""))


def _recorded(step: Step, entry: dict, alias: str, taken) -> dict:
    """What one recorded test does: its arrange, act and assert lines come from the recorded entry."""
    status = entry.get("status", "skip")
    result = step.returns[0] if len(step.returns) == 1 else "returned"
    expected = "expected" if "expected" not in taken else "expected_value"
    checks = entry.get("checks", [])
    return {
        "name": step.name,
        "status": status,
        "reason": entry.get("reason", f"{step.name} was not recorded"),
        "reason_literal": repr(entry.get("reason", f"{step.name} was not recorded")),
        "params": entry.get("params", list(step.params)),
        "globals": entry.get("globals", []),
        "after": entry.get("after", []),
        "globals_after": entry.get("globals_after", []),
        "call": f"{alias}.{step.name}({', '.join(entry.get('params', step.params))})",
        "result": result,
        "expected": expected,
        "checks": checks,
        "notes": entry.get("notes", []),
        "needs_model_files": step.role == "init",
        "compares_return": any(check["kind"] in ("same", "summary", "shape", "predicts") for check in checks),
    }


def _recorded_main(entry: dict) -> dict:
    """What the recorded test of main() checks: each held value by value or by type and shape, with why."""
    checks = [dict(check, literal=repr(check["name"])) for check in entry.get("checks", [])]
    return {
        "status": entry["status"],
        "reason_literal": repr(entry.get("reason", "")),
        "checks": checks,
        "notes": entry.get("notes", []),
        "outputs": entry.get("outputs", []),
        "writes": [{"literal": repr(path), "message": repr(f"main() did not write {path}")} for path in entry.get("writes", [])],
    }


def _helpers() -> tuple:
    """(import lines, code) of nbrefactor.checks, which recorded tests carry so they run without nbrefactor."""
    import ast
    from pathlib import Path

    source = (Path(__file__).resolve().parent / "checks.py").read_text(encoding="utf-8")
    tree = ast.parse(source)
    body = tree.body[1:] if isinstance(tree.body[0], ast.Expr) else tree.body
    imports = [node for node in body if isinstance(node, (ast.Import, ast.ImportFrom))]
    lines = source.splitlines()
    code_start = max(node.end_lineno for node in imports)
    return [ast.unparse(node) for node in imports], "\n".join(lines[code_start:]).strip("\n")
