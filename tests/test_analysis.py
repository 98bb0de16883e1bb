"""Facts about top-level statements: reads, binds, and the figure bookkeeping of plotting cells."""
from __future__ import annotations

import pytest

from nbrefactor.analysis import analyse
from nbrefactor.magics import normalise
from nbrefactor.model import Cell
from nbrefactor.rules import ExploratoryRules


def statements_of(*sources: str):
    """The analysed statements of each cell, for cells given as source text."""
    cells = [normalise(Cell(index=i, number=i + 1, kind="code", source=s)) for i, s in enumerate(sources)]
    return analyse(cells, "nb.ipynb", ExploratoryRules())


def facts_of(source: str):
    (statement,) = statements_of(source)[0]
    return statement.facts


@pytest.mark.parametrize(
    "source, reads, binds, maybe_binds",
    [
        ("try:\n    f()\nexcept ValueError as e:\n    print(e)", ("f", "ValueError", "print"), (), ()),
        ("try:\n    f()\nexcept ValueError as e:\n    err = e", ("f", "ValueError"), (), ("err",)),
        ("try:\n    x = f()\nexcept (KeyError, ValueError) as e:\n    x = 0", ("f", "KeyError", "ValueError"), (), ("x",)),
        ("with open(p) as handle:\n    text = handle.read()", ("open", "p", "handle"), ("handle", "text"), ()),
    ],
)
def test_exception_names_are_neither_read_nor_bound_by_the_statement(source, reads, binds, maybe_binds):
    facts = facts_of(source)
    assert (facts.reads, facts.binds, facts.maybe_binds) == (reads, binds, maybe_binds)


def codes(*sources: str):
    return [[statement.code.strip() for statement in cell] for cell in statements_of(*sources)]


PYPLOT = "import matplotlib.pyplot as plt"


@pytest.mark.parametrize(
    "cells, closed",
    [
        ((PYPLOT, "ax = plt.subplot(111, projection='3d')\nax.scatter(x, y, z)"), [False, True]),
        ((PYPLOT, "fig, ax = plt.subplots()"), [False, True]),
        ((PYPLOT, "plt.plot(x)"), [False, False]),
        ((PYPLOT, "plt.plot(x)", "plt.savefig('a.png')"), [False, True, True]),
        ((PYPLOT, "fig = plt.figure()\nplt.close('all')"), [False, False]),
        (("import matplotlib as mpl", "fig = mpl.figure.Figure()"), [False, False]),
        (("from matplotlib import pyplot", "fig = pyplot.figure()", "x = 1"), [False, True, False]),
    ],
)
def test_cells_that_leave_a_figure_end_by_closing_it(cells, closed):
    endings = [bool(cell) and cell[-1] in ('plt.close("all")', 'pyplot.close("all")') for cell in codes(*cells)]
    assert endings == closed


@pytest.mark.parametrize(
    "cells, removable",
    [
        ((PYPLOT, "fig, ax = plt.subplots()", "ax.set_title('t')"), "plot"),
        ((PYPLOT, "ax = df.plot()", "ax.fill_between(i, lo, hi)"), "plot"),
        ((PYPLOT, "fig = plt.figure()", "ax = fig.add_subplot(1, 1, 1)", "ax.set_xlim(0, 1)"), "plot"),
        ((PYPLOT, "ax = plt.gca()", "ax = []", "ax.append(1)"), ""),
        ((PYPLOT, "ax = make_axes()", "ax.set_title('t')"), ""),
    ],
)
def test_names_bound_to_figures_and_axes_are_plotting_names(cells, removable):
    last = statements_of(*cells)[-1][0]
    assert last.facts.exploratory == removable


@pytest.mark.parametrize(
    "source, reads, binds, maybe_binds",
    [
        ("squares = [n * n for n in numbers if n > limit]", ("numbers", "limit"), ("squares",), ()),
        ("pairs = {k: v for k, v in items}", ("items",), ("pairs",), ()),
        ("key = lambda row: row[column]", ("column",), ("key",), ()),
        ("a, *rest = values", ("values",), ("a", "rest"), ()),
        ("(x, y), z = point, 3", ("point",), ("x", "y", "z"), ()),
        ("total += step", ("total", "step"), ("total",), ()),
        ("if (n := len(items)) > 3:\n    big = True", ("len", "items"), ("n",), ("big",)),
        ("for i, row in enumerate(rows):\n    last = row", ("enumerate", "rows", "row"), (), ("i", "row", "last")),
        ("while count < 3:\n    count = count + 1", ("count",), (), ("count",)),
        ("if flag:\n    mode = 'a'\nelse:\n    mode = 'b'", ("flag",), (), ("mode",)),
        ("with open(path) as handle:\n    text = handle.read()", ("open", "path", "handle"), ("handle", "text"), ()),
        ("import numpy as np", (), ("np",), ()),
        ("from os import path as p, sep", (), ("p", "sep"), ()),
        ("sum = 0", (), ("sum",), ()),
        ("match command:\n    case [verb, obj]:\n        action = verb\n    case _:\n        action = None", ("command", "verb"), (), ("verb", "obj", "action")),
        ("del frame", ("frame",), (), ()),
        ("class Box:\n    size = default_size\n    def get(self):\n        return self.size * factor", ("default_size",), ("Box",), ()),
    ],
)
def test_reads_and_binds_through_every_construct(source, reads, binds, maybe_binds):
    facts = facts_of(source)
    assert (facts.reads, facts.binds, facts.maybe_binds) == (reads, binds, maybe_binds)


@pytest.mark.parametrize(
    "source, deferred, global_writes",
    [
        ("def f(a):\n    return a + offset", ("offset",), ()),
        ("def f():\n    def g():\n        return scale\n    return g", ("scale",), ()),
        ("def bump():\n    global counter\n    counter += 1", ("counter",), ("counter",)),
        ("def outer():\n    x = 1\n    def inner():\n        nonlocal x\n        x = 2\n    return inner", (), ()),
        ("def f(values=defaults):\n    return values", (), ()),
    ],
)
def test_function_bodies_read_later_and_say_what_they_rebind(source, deferred, global_writes):
    facts = facts_of(source)
    assert (facts.deferred_reads, facts.global_writes) == (deferred, global_writes)


def test_default_values_are_read_when_the_function_is_defined():
    assert facts_of("def f(values=defaults):\n    return values").reads == ("defaults",)


@pytest.mark.parametrize(
    "source, mutates",
    [
        ("df['Y'] = df['a'] * 2", ("df",)),
        ("model.coef_ = None", ("model",)),
        ("df.dropna(inplace=True)", ("df",)),
        ("df.head()", ()),
        ("items.append(4)", ("items",)),
        ("settings.update(extra)", ("settings",)),
        ("model.fit(X, y)", ("model",)),
        ("counts[key] += 1", ("counts",)),
        ("del cache['old']", ("cache",)),
        ("result = frame.sort_values('a')", ()),
    ],
)
def test_mutation_of_objects_in_place(source, mutates):
    assert facts_of(source).mutates == mutates


def test_a_cell_of_comments_only_owns_no_statement():
    first, second = statements_of("# just a note", "# setup\nx = 1")
    assert first == ()
    assert [s.facts.binds for s in second] == [("x",)]
    assert [s.facts.line for s in second] == [2]
