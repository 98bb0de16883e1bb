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
