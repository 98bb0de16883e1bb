"""What lives at module level: imports, notebook functions and classes, constants; and which notebook
names must stay module globals.

Something moves to module level (runs before anything else in the script) only when nothing before
it in the notebook can change what it binds or does:
- an import, when no earlier statement changes the environment (`sys.path`, `os.environ`, the working
  folder), writes files a local module could come from, reads or binds its names, and no other
  statement binds its names;
- a function or class, when defining it has no effect (decorators, defaults, bases, class body), it
  is defined once, and what its definition reads is already at module level;
- a constant (an upper-case name, a name notebook functions read, or a lambda), when it is bound once
  to a pure value of module-level names that cannot change (not a list, dict or set), and never changed.
Whatever stays in place says why (a finding). Names read by notebook functions when they run, names
bound by imports or definitions kept in place, and names rebound through `global` stay module
globals: the entry point and the functions that bind them declare them `global`, so every function
sees the current value, as in the notebook.
"""
from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from typing import Dict, FrozenSet, List, Optional, Sequence, Set, Tuple

from . import effects as E
from .model import Change, Finding, Statement
from .positions import NameIndex

CONSTANT_NAME = re.compile(r"^_?[A-Z][A-Z0-9_]*$")
BUILTIN_NAMES = frozenset(dir(__import__("builtins")))
# Packages the effect table knows: importing them is assumed to have no effect on the notebook's values.
KNOWN_PACKAGES = frozenset(name.split(".")[0].rstrip("*") for name in E.FUNCTIONS) - {"builtins"}


@dataclass
class TopLevel:
    imports: List[int] = field(default_factory=list)  # positions hoisted to the import block
    unused_imports: List[int] = field(default_factory=list)  # hoisted imports nothing reads: dropped
    definitions: List[int] = field(default_factory=list)  # functions, classes and constants, in notebook order
    shared: Set[str] = field(default_factory=set)  # names that stay module globals
    shared_reasons: Dict[str, str] = field(default_factory=dict)  # why each does
    module_names: Set[str] = field(default_factory=set)  # names bound at module level
    closure_reads: Dict[int, Tuple[str, ...]] = field(default_factory=dict)  # late reads treated as reads at creation
    module_mode: Optional[Statement] = None
    findings: List[Finding] = field(default_factory=list)
    changes: List[Change] = field(default_factory=list)

    @property
    def moved(self) -> FrozenSet[int]:
        return frozenset(self.imports) | frozenset(self.unused_imports) | frozenset(self.definitions)


def top_level(statements: Sequence[Statement]) -> TopLevel:
    index = NameIndex(statements)
    result = TopLevel()
    result.module_mode = next((s for s in statements if _introspects(s)), None)
    _imports(statements, index, result)
    if result.module_mode is None:
        result.module_mode = _star_import_in_place(statements, result) or next((s for s in statements if s.facts.declares_global), None)
    if result.module_mode is None:
        _definitions(statements, index, result)
    _drop_unused_imports(statements, result)
    _shared(statements, index, result)
    return result


def _star_import_in_place(statements: Sequence[Statement], result: TopLevel) -> Optional[Statement]:
    """A star import that cannot move to the top (inside a block, or after other code): Python allows
    it only at module level, so the whole script runs there."""
    hoisted = set(result.imports)
    return next((s for p, s in enumerate(statements) if s.facts.star_import and p not in hoisted), None)


def _introspects(statement: Statement) -> bool:
    return E.INTROSPECTION in statement.facts.effects | statement.facts.body_effects


# --- imports --------------------------------------------------------------------------------------


def _imports(statements: Sequence[Statement], index: NameIndex, result: TopLevel) -> None:
    environment: Optional[Statement] = None
    files: Optional[Statement] = None
    only_imports = True
    hoisted: Dict[str, str] = {}
    acting: Optional[Statement] = None
    for position, statement in enumerate(statements):
        facts = statement.facts
        if facts.kind in ("import", "future"):
            reason = "" if facts.kind == "future" else _import_blocker(statement, position, statements, index, environment, files, only_imports, hoisted, acting)
            if reason:
                result.findings.append(Finding(facts.cell, facts.line, facts.col, f"import kept in place: {reason}", "NB202"))
            else:
                result.imports.append(position)
                result.module_names |= set(facts.binds)
                hoisted.update(facts.imported)
            continue
        only_imports = False
        if facts.effects and acting is None:
            acting = statement
        if E.ENVIRONMENT in facts.effects and environment is None:
            environment = statement
        if E.FILES in facts.effects and files is None:
            files = statement


def _import_blocker(statement, position, statements, index, environment, files, only_imports, hoisted: Dict[str, str], acting: Optional[Statement] = None) -> str:
    """Why an import cannot move to the top of the script, or "". Importing again what an earlier
    moved import bound the same way changes nothing, so it moves (and merges) too."""
    facts = statement.facts
    if facts.star_import and not only_imports:
        return "a star import binds names that cannot be checked, so it runs where it was"
    if environment is not None:
        return f"{_where(environment)} changes the environment or sys.path before it"
    modules = [qualified for _, qualified in facts.imported]
    unknown = [m for m in modules if not _known_package(m)]
    if files is not None and unknown:
        return f"{_where(files)} writes files before it, which a local module could be"
    if unknown and acting is not None:
        return f"importing {unknown[0]} may do something (it is not a package nbrefactor knows), and {_where(acting)} acts before it"
    for name, qualified in facts.imported:
        if index.read_before(name, position) and hoisted.get(name) != qualified:
            return f"'{name}' is read before it"
    for name in facts.binds:
        rebinder = next((statements[p] for p in index.binds.get(name, ()) if p != position and statements[p].facts.kind not in ("import", "future")), None)
        if rebinder is not None:
            return f"'{name}' is also bound by {_where(rebinder)}"
    return ""


def _known_package(module: str) -> bool:
    top = module.lstrip(".").split(".")[0]
    if module.startswith("."):
        return False
    return top in KNOWN_PACKAGES or top in getattr(sys, "stdlib_module_names", STDLIB_FALLBACK)


def _drop_unused_imports(statements: Sequence[Statement], result: TopLevel) -> None:
    """Hoisted imports whose names no kept code reads go, unless importing them has an effect."""
    hoisted = set(result.imports)
    read = {n for p, s in enumerate(statements) if p not in hoisted for n in _all_reads(s)}
    kept = []
    for position in result.imports:
        facts = statements[position].facts
        modules = [q for _, q in facts.imported]
        needed = facts.kind == "future" or facts.star_import or set(facts.binds) & read
        if needed or any(m.startswith(E.IMPORT_EFFECTS) or not _known_package(m) for m in modules):
            kept.append(position)
        else:
            result.unused_imports.append(position)
            result.changes.append(Change(facts.cell, facts.line, "unused import dropped", statements[position].code.strip()))
    result.imports = kept


def _all_reads(statement: Statement) -> Set[str]:
    facts = statement.facts
    return set(facts.reads) | set(facts.all_reads) | set(facts.deferred_reads)


# --- functions, classes, constants ----------------------------------------------------------------


def _definitions(statements: Sequence[Statement], index: NameIndex, result: TopLevel) -> None:
    read_by_functions = {n for s in statements if s.facts.kind == "def" for n in set(s.facts.deferred_reads) | set(s.facts.reads)}
    defined_here = {n for s in statements for n in s.facts.defines}
    package_of = {name: qualified.split(".")[0] for s in statements for name, qualified in s.facts.imported}
    changed: Set[str] = set()  # packages whose state a statement so far changed (`pd.set_option`, `mpl.rc`)
    for position, statement in enumerate(statements):
        facts = statement.facts
        if facts.effects & {E.STATE, E.ENVIRONMENT}:
            changed |= {package_of[n] for n in facts.reads if n in package_of}
        if facts.kind == "def":
            reason = _definition_blocker(statement, position, index, result.module_names)
            if reason:
                name = facts.defines[0] if facts.defines else "definition"
                result.findings.append(Finding(facts.cell, facts.line, facts.col, f"'{name}' kept where it is defined: {reason}", "NB203"))
                continue
        elif not _is_constant(statement, position, index, result.module_names, read_by_functions, defined_here):
            continue
        elif facts.value != "lambda" and changed & {package_of[n] for n in set(facts.reads) | set(facts.all_reads) if n in package_of}:
            continue  # its value comes from a library whose state an earlier statement changed
        result.definitions.append(position)
        result.module_names |= set(facts.binds)


def _definition_blocker(statement: Statement, position: int, index: NameIndex, module_names: Set[str]) -> str:
    facts = statement.facts
    if not facts.definition_pure:
        return "defining it runs code with effects (a decorator, a default value or the class body)"
    for name in facts.binds:
        if index.bound_elsewhere(name, position):
            return f"'{name}' is bound more than once"
    outside = [n for n in facts.reads if n not in module_names and n not in BUILTIN_NAMES]
    if outside:
        return "its definition reads " + ", ".join(f"'{n}'" for n in outside) + ", which the entry point computes"
    return ""


def _is_constant(statement, position, index, module_names, read_by_functions, defined_here) -> bool:
    facts = statement.facts
    if facts.kind != "statement" or len(facts.binds) != 1 or not facts.value or facts.removable != "unused":
        return False
    name = facts.binds[0]
    if facts.value == "mutable":
        return False
    if not (CONSTANT_NAME.match(name) or name in read_by_functions or facts.value == "lambda"):
        return False
    if index.bound_elsewhere(name, position) or index.mutated(name) or index.read_before(name, position):
        return False
    reads = set(facts.all_reads) | set(facts.reads)
    return all((n in module_names or n in BUILTIN_NAMES) and n not in defined_here for n in reads)


# --- names that stay module globals ---------------------------------------------------------------


def _shared(statements: Sequence[Statement], index: NameIndex, result: TopLevel) -> None:
    moved = result.moved
    reasons: Dict[str, str] = {}
    for position, statement in enumerate(statements):
        facts = statement.facts
        what = _what(statement)
        if position not in moved and facts.kind in ("import", "future", "def"):
            _because(reasons, set(facts.binds) | set(facts.maybe_binds), f"bound in place by {_where(statement)}")
        _because(reasons, facts.global_writes, f"{what} rebinds it through 'global'")
        late = [n for n in facts.deferred_reads if n not in result.module_names]
        if facts.kind == "def" or position in moved:
            _because(reasons, late, f"{what} reads it when it runs")
            continue
        rebound = [n for n in late if index.bound_after(n, position)]
        _because(reasons, rebound, f"a function made in {_where(statement)} reads it when it runs, after it is bound again")
        stable = tuple(n for n in late if n not in rebound)
        if stable:
            result.closure_reads[position] = stable
    if _star_imported(statements, result):
        _because(reasons, _read_before_bound(statements, index), "a star import may bind it before the notebook does")
    result.shared = {n for n in reasons if n not in result.module_names or reasons[n].startswith("bound in place")}
    result.shared_reasons = {n: reasons[n] for n in result.shared}


def _because(reasons: Dict[str, str], names, reason: str) -> None:
    for name in names:
        reasons.setdefault(name, reason)


def _what(statement: Statement) -> str:
    facts = statement.facts
    if facts.defines:
        return f"'{facts.defines[0]}'"
    if facts.kind in ("import", "future"):
        return f"the import in {_where(statement)}"
    return _where(statement)


def _star_imported(statements: Sequence[Statement], result: TopLevel) -> bool:
    return any(statements[p].facts.star_import for p in result.imports)


def _read_before_bound(statements: Sequence[Statement], index: NameIndex) -> Set[str]:
    """Names read before the notebook binds them: with a star import they may come from it, so the
    script must read the module global there, not a local bound later."""
    names: Set[str] = set()
    for position, statement in enumerate(statements):
        for name in statement.facts.reads:
            if not index.bound_before(name, position) and index.bound_after(name, position - 1) and name not in BUILTIN_NAMES:
                names.add(name)
    return names


def _where(statement: Statement) -> str:
    return f"cell {statement.facts.cell}, line {statement.facts.line}"


STDLIB_FALLBACK = frozenset(
    """abc argparse array ast asyncio base64 bisect builtins bz2 calendar cmath collections concurrent
    contextlib copy csv ctypes dataclasses datetime decimal difflib dis email enum errno fnmatch
    fractions functools gc getpass glob gzip hashlib heapq hmac html http importlib inspect io
    ipaddress itertools json keyword locale logging lzma math mimetypes multiprocessing numbers
    operator os pathlib pickle platform pprint queue random re secrets select shlex shutil signal
    socket sqlite3 ssl stat statistics string struct subprocess sys tarfile tempfile textwrap
    threading time timeit tkinter traceback types typing unicodedata unittest urllib uuid warnings
    weakref xml zipfile zlib""".split()
)
