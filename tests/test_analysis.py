"""Facts about top-level statements, from `ast`: what each reads, binds, changes and does."""
from __future__ import annotations

import pytest
from support import notebook_text

from nbrefactor import effects as E
from nbrefactor import refactor
from nbrefactor.analysis import analyse
from nbrefactor.magics import normalise
from nbrefactor.model import Cell, NotebookError


def analysed(*sources: str):
    cells = [normalise(Cell(index=i, number=i + 1, kind="code", source=s)) for i, s in enumerate(sources)]
    return analyse(cells, "nb.ipynb")


def facts_of(*sources: str):
    """The facts of the last statement of the last cell."""
    return analysed(*sources).statements[-1][-1].facts


@pytest.mark.parametrize(
    "source, reads, binds, maybe_binds",
    [
        ("x = y + 1", ("y",), ("x",), ()),
        ("x += 1", ("x",), ("x",), ()),
        ("a, (b, *c) = f()", ("f",), ("a", "b", "c"), ()),
        ("x = 1; y = x + z", ("z",), ("x", "y"), ()),
        ("if c:\n    x = 1\nelse:\n    x = 2", ("c",), (), ("x",)),
        ("for i in xs:\n    total = total + i", ("xs", "total"), (), ("i", "total")),
        ("for dataset in combine:\n    dataset['a'] = dataset['b'] * k", ("combine", "k"), (), ("dataset",)),
        ("while n:\n    n -= 1", ("n",), (), ("n",)),
        ("with open(p) as handle:\n    text = handle.read()", ("open", "p"), ("handle", "text"), ()),
        ("try:\n    x = f()\nexcept ValueError as e:\n    x = 0", ("f", "ValueError"), (), ("x", "e")),
        ("ys = [x * k for x in xs]", ("xs", "k"), ("ys",), ()),
        ("total = sum(v for v in values if v > limit)", ("sum", "values"), ("total",), ()),
        ("found = [y for x in xs if (y := x * 2)]", ("xs",), ("found",), ("y",)),
        ("del x", ("x",), (), ()),
        ("import os.path", (), ("os",), ()),
        ("from a import b as c", (), ("c",), ()),
        ("x: int = 3", ("int",), ("x",), ()),
        ("x: int", ("int",), (), ()),
        ("match cmd:\n    case [verb, obj]:\n        action = verb", ("cmd",), (), ("verb", "obj", "action")),
        ("class A:\n    k = 1\n    j = k + w", ("w",), ("A",), ()),
        ("def f(a, b=default):\n    return a + later", ("default",), ("f",), ()),
    ],
)
def test_reads_and_binds(source, reads, binds, maybe_binds):
    facts = facts_of(source)
    assert facts.reads == reads
    assert facts.binds == binds
    assert facts.maybe_binds == maybe_binds


@pytest.mark.parametrize(
    "source, deferred",
    [
        ("def f():\n    return rate * base", ("base", "rate")),
        ("def f(rate):\n    inner = lambda: rate * scale\n    return inner()", ("scale",)),
        ("f = lambda v: v * factor", ("factor",)),
        ("gen = (v * factor for v in values)", ("factor",)),
        ("class A:\n    def m(self):\n        return k", ("k",)),
        ("def f():\n    global counter\n    counter += 1", ("counter",)),
    ],
)
def test_names_read_when_functions_run_are_deferred(source, deferred):
    assert facts_of(source).deferred_reads == deferred


def test_global_statements_in_functions_are_recorded_as_writes():
    facts = facts_of("def bump():\n    global counter\n    counter = counter + 1")
    assert facts.global_writes == ("counter",)
    assert facts.binds == ("bump",)


def test_calling_a_function_that_writes_a_global_rebinds_it():
    facts = facts_of("def bump():\n    global counter\n    counter += 1", "bump()")
    assert facts.global_writes == ("counter",)


@pytest.mark.parametrize(
    "source, mutates",
    [
        ("df['Y'] = target", ("df",)),
        ("df.loc[0, 'a'] += 1", ("df",)),
        ("del cache['k']", ("cache",)),
        ("items.append(x)", ("items", "x")),  # an unknown method may change its arguments too
        ("model.fit(X, y)", ("model", "X", "y")),
        ("df.dropna(inplace=True)", ("df",)),
        ("np.clip(a, 0, 1, out=a)", ("a",)),
        ("print(df.shape)", ()),
        ("total = df['a'].sum()", ()),
    ],
)
def test_changes_in_place(source, mutates):
    assert facts_of("import numpy as np", source).mutates == mutates


@pytest.mark.parametrize(
    "source, effects",
    [
        ("np.random.seed(0)", {E.RANDOM}),
        ("x = np.random.rand(3)", {E.RANDOM}),
        ("rng = np.random.default_rng(0)", set()),
        ("x = np.linalg.norm(v)", set()),
        ("sys.path.append('lib')", {E.ENVIRONMENT}),
        ("os.environ['MODE'] = 'x'", {E.ENVIRONMENT}),
        ("sys.stdout = open('out.txt', 'w')", {E.REDIRECT, E.FILES, E.OUTSIDE}),
        ("shutil.copy('a', 'b')", {E.FILES}),
        ("os.rename('a', 'b')", {E.FILES, E.OUTSIDE}),
        ("logging.info('x')", {E.STATE, E.FILES}),
        ("t.join()", {E.UNKNOWN}),
        ("q.get()", {E.UNKNOWN}),
        ("x = globals()['k']", {E.INTROSPECTION}),
        ("y = vars()", {E.INTROSPECTION}),
        ("y = vars(obj)", set()),
        ("plt.boxplot(data, bootstrap=200)", {E.PLOT, E.RANDOM}),
        ("X_train, X_test = train_test_split(X, random_state=0)", set()),
        ("X_train, X_test = train_test_split(X)", {E.RANDOM}),
        ("print(x, file=handle)", {E.FILES, E.MUTATES}),
        ("value = sys.modules['__main__'].x", {E.INTROSPECTION}),
        ("draws = stats.norm.rvs(size=3)", {E.RANDOM}),
        ("draws = stats.norm.rvs(size=3, random_state=1)", set()),
        ("sm.graphics.beanplot(data, jitter=True)", {E.PLOT, E.RANDOM}),
    ],
)
def test_effects_come_from_the_table_through_the_imports(source, effects):
    imports = "import os, sys, shutil, logging\nimport numpy as np\nimport matplotlib.pyplot as plt\nfrom sklearn.model_selection import train_test_split\nfrom scipy import stats\nimport statsmodels.api as sm"
    assert set(facts_of(imports, source).effects) == effects


def test_a_rebound_import_name_no_longer_resolves_to_the_module():
    assert facts_of("import numpy as np", "np = Fake()", "np.random.seed(0)").effects == frozenset({E.UNKNOWN})


def test_effects_of_notebook_functions_come_from_their_bodies():
    source = "def normalise(d):\n    d['y'] = [v / 2 for v in d['y']]"
    assert E.MUTATES in facts_of(source, "normalise(data)").effects
    assert facts_of("def double(v):\n    return v * 2", "y = double(3)").effects == frozenset()


def test_names_in_query_strings_are_reads():
    assert facts_of("low = df.query('a > @limit and b < @high')").reads == ("df", "limit", "high")


@pytest.mark.parametrize(
    "source, removable, output",
    [
        ("df.head()", "display", False),
        ("df.shape", "display", False),
        ("df['a'].value_counts()", "display", False),
        ("print(df.shape)", "print", True),
        ("print('rows', df.shape[0])", "print", True),
        ("print(len(df))", "print", True),
        ("print('loaded', len(df))", "", False),
        ("print(metrics)", "", False),
        ("print(*rows)", "", False),
        ("df.info()", "print", True),
        ("df.info(buf=buf)", "", False),
        ("df.to_string('t.txt')", "", False),
        ("shutil.copy(a, b)", "", False),
        ("{}['missing']", "", False),
        ("x = df.shape", "unused", False),
        ("plt.plot(xs)", "plot", False),
        ("plt.savefig('f.png')", "", False),
        ("plt.hist(np.random.randn(10))", "", False),
        ("to_float((1, 2))", "", False),
        ("[to_float(v) for v in df]", "", False),
    ],
)
def test_what_only_shows_something(source, removable, output):
    imports = "import shutil\nimport numpy as np\nimport matplotlib.pyplot as plt"
    helper = "def to_float(x):\n    try:\n        return float(x)\n    except ValueError:\n        return x"
    facts = facts_of(imports, "df = make()\nrows = iter([1])", helper, source)
    assert (facts.removable, facts.output) == (removable, output)


def test_a_notebook_class_with_a_display_method_name_makes_that_method_unknown():
    facts = facts_of("class Report:\n    def head(self):\n        print('side effect')", "r = Report()", "r.head()")
    assert facts.removable == ""
    assert facts_of("d = defaultdict(list)", "d['k']").removable == "display"  # unknown origin: assumed data
    assert facts_of("from collections import defaultdict\nd = defaultdict(list)", "d['k']").removable == ""


def test_units_group_statements_that_share_lines_and_keep_comments():
    (first, second), = analysed("# load\na = 1; b = 2\n\n# then\nc = a + b  # sum\n# trailing").statements
    assert first.code == "a = 1; b = 2"
    assert first.leading == ("# load",)
    assert second.code == "c = a + b  # sum"
    assert second.leading == ("", "# then")
    assert second.trailing == ("# trailing",)


@pytest.mark.parametrize(
    "source, message",
    [
        ("return 3", "'return' outside function"),
        ("x = 1\nyield x", "'yield' outside function"),
        ("break", "'break' outside loop"),
        ("def f(a, a):\n    pass", "duplicate argument 'a' in function definition"),
        ("nonlocal x", "nonlocal declaration not allowed at module level"),
        ("print 'x'", "Missing parentheses in call to 'print'"),
    ],
)
def test_code_cpython_rejects_is_refused_with_its_location(source, message):
    with pytest.raises(NotebookError) as caught:
        analysed("x = 1", source)
    assert caught.value.cell == 2
    assert message in str(caught.value)


def test_top_level_await_is_accepted():
    facts = facts_of("import asyncio", "result = await asyncio.sleep(0)")
    assert facts.awaits
    assert facts_of("async with lock:\n    pass").awaits


def test_syntax_warnings_become_located_findings():
    findings = analysed("x = 1", "pattern = '\\d+'").findings
    assert [(f.cell, f.line, f.code) for f in findings] == [(2, 1, "NB404")]


def test_kernel_only_behaviour_is_reported():
    findings = analysed("import sys", "sys.exit(0)").findings
    assert [(f.cell, f.code) for f in findings] == [(2, "NB306")]


@pytest.mark.parametrize("source, located", [
    ("import sys\nflag = len(sys.argv) > 1", (1, 2, 12)),
    ("import sys as system\nargs = system.argv[1:]", (1, 2, 8)),
    ("described = __doc__ is None", (1, 1, 13)),
])
def test_values_a_kernel_holds_otherwise_are_errors_where_read(source, located):
    text = notebook_text(("code", source))
    findings = [f for f in refactor(text, path="nb.ipynb").findings if f.code == "NB306"]
    assert [(f.cell, f.line, f.col) for f in findings] == [located]


@pytest.mark.parametrize("construct, effects", [
    ("KFold(n_splits=2, shuffle=True)", {E.RANDOM}),
    ("KFold(n_splits=2, shuffle=True, random_state=0)", set()),
    ("KFold(n_splits=2)", set()),
])
def test_a_splitter_that_shuffles_draws_when_it_splits(construct, effects):
    imports = "import numpy as np\nfrom sklearn.model_selection import KFold"
    assert set(facts_of(imports, f"kf = {construct}\nX = np.arange(6)", "list(kf.split(X))").effects) == effects
