"""Property: a program cut into sections converts to a script that ends with the same values and prints
the same as running its cells in one namespace, or the conversion says with an error finding that it may not.

Two grammars. The straight-line one binds and rebinds a few integers, mutates a list in place and reads
names bound sections back (parameters, returns, in-place effects, containers). The rich one adds what
makes conversion hard: functions and lambdas reading globals that later sections rebind, lambdas made in
loops, `global` writes, aliases of containers, names bound on one branch, loops, and prints of results.
The last section collects every value (calling the functions and lambdas), so the script must end up
holding exactly what the program computed. Printed lines that the conversion reports as removed output
are left out of the notebook's side, as a user would expect.
"""
from __future__ import annotations

import ast
import contextlib
import io
import sys

import pytest
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st

from nbrefactor import refactor
from support import notebook_text

# The edit loop runs the same programs every time and reports a failing one as found (shrinking can take
# minutes); the slow variant draws new programs and shrinks what fails.
QUICK = settings(max_examples=100, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow],
                 phases=[Phase.explicit, Phase.generate], derandomize=True)
THOROUGH = settings(max_examples=400, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])

NAMES = ("a", "b", "c", "d")
name = st.sampled_from(NAMES)
small = st.integers(min_value=-5, max_value=5)

straight = st.one_of(
    st.builds("{} = {}".format, name, small),
    st.builds("{} = {} + {}".format, name, name, name),
    st.builds("{} = {} * {}".format, name, name, small),
    st.builds("{} += {}".format, name, name),
    st.builds("items.append({})".format, name),
    st.builds("box['v'] = {} - {}".format, name, name),
    st.builds("box = {{'v': {}}}".format, name),
    st.builds("{0} = {1} if {1} > {2} else {2}".format, name, name, name),
    st.builds("for _ in range(2):\n    {} += 1".format, name),
)
rich = st.one_of(
    straight,
    st.builds("def f(x):\n    return x + {}".format, name),
    st.builds("g = lambda x: x * {}".format, name),
    st.builds("{} = f({})".format, name, name),
    st.builds("{} = g({})".format, name, name),
    st.builds("makers.append(lambda: {})".format, name),
    st.builds("makers.extend([lambda: i * {} for i in range(2)])".format, name),
    st.builds("def bump():\n    global {0}\n    {0} += 1".format, name),
    st.just("bump()"),
    st.just("alias = items"),
    st.builds("alias.append({})".format, name),
    st.builds("if {} > {}:\n    e = {}".format, name, small, name),
    st.builds("for i in range(3):\n    {} += i".format, name),
    st.builds("print({})".format, name),
    st.builds("print('{0} is', {0}, f({0}))".format, name),
    st.just("print(items, box)"),
)
STRAIGHT_START = "a, b, c, d = 1, 2, 3, 4\nitems = []\nbox = {'v': 0}"
STRAIGHT_FINAL = "result = (a, b, c, d, tuple(items), box['v'])"
RICH_START = (STRAIGHT_START + "\nalias = []\nmakers = []\ne = None\n"
              "def f(x):\n    return x + a\ng = lambda x: x * b\ndef bump():\n    global c\n    c += 1")
RICH_FINAL = ("result = (a, b, c, d, e, tuple(items), tuple(alias), box['v'], f(1), g(2), "
              "[make() for make in makers], bump() or c)\nprint(result)")


def sections(statements):
    return st.lists(st.lists(statements, min_size=1, max_size=3), min_size=1, max_size=5)


def program(parts, start: str, final: str):
    cells = [("md", "## Start"), ("code", start)]
    for number, part in enumerate(parts, start=1):
        cells += [("md", f"## Step {number} Work"), ("code", "\n".join(part))]
    return cells + [("md", "## Collect"), ("code", final)]


def run_cells(cells):
    """(result, [(code cell, first line, last line, printed text)]): the cells in one namespace, statement
    by statement, as a kernel runs them."""
    namespace: dict = {"__name__": "__main__"}
    printed = []
    code_cells = [source for kind, source in cells if kind == "code"]
    for number, source in enumerate(code_cells, start=1):
        for statement in ast.parse(source).body:
            buffer = io.StringIO()
            with contextlib.redirect_stdout(buffer):
                exec(compile(ast.Module(body=[statement], type_ignores=[]), f"<cell {number}>", "exec"), namespace)
            printed.append((number, statement.lineno, statement.end_lineno, buffer.getvalue()))
    return namespace["result"], printed


def expected_stdout(printed, changes) -> str:
    removed = [(c.cell, c.line, c.end_line or c.line) for c in changes if c.output]
    return "".join(text for cell, first, last, text in printed
                   if not any(cell == c and lo <= first and last <= hi for c, lo, hi in removed))


def run_script(source: str, state) -> tuple:
    """(result, stdout): the script run as __main__, `result` read where the conversion says it is held."""
    namespace: dict = {"__name__": "__main__"}
    held: dict = {}
    where = dict(state).get("result", "main")
    frame_name = where.split(":", 1)[1] if where.startswith("function:") else where

    def keep(frame, event, arg):
        if event == "return" and frame.f_globals is namespace and frame.f_code.co_name == frame_name:
            held.update(frame.f_locals)

    buffer = io.StringIO()
    sys.setprofile(keep)
    try:
        with contextlib.redirect_stdout(buffer):
            exec(compile(source, "train.py", "exec"), namespace)
    finally:
        sys.setprofile(None)
    return (namespace if where == "module" else held).get("result", held.get("result")), buffer.getvalue()


def check(parts, start: str, final: str) -> None:
    cells = program(parts, start, final)
    converted = refactor(notebook_text(*cells), path="nb.ipynb")
    if any(finding.severity == "error" for finding in converted.findings):
        return  # the conversion says the script may differ: nothing to hold it to
    result, printed = run_cells(cells)
    script = next(text for path, text in converted.files if not path.startswith("test_"))
    script_result, script_stdout = run_script(script, converted.state)

    assert script_result == result
    assert script_stdout == expected_stdout(printed, converted.changes)


@QUICK
@given(sections(straight))
def test_straight_line_programs_compute_and_print_the_same(parts):
    check(parts, STRAIGHT_START, STRAIGHT_FINAL)


@QUICK
@given(sections(rich))
def test_programs_with_closures_globals_and_aliases_compute_and_print_the_same(parts):
    check(parts, RICH_START, RICH_FINAL)


@pytest.mark.slow
@THOROUGH
@given(sections(rich))
# a loop's rebinding after a definite one: the section binds `d` for certain, and takes no `d`
@example([["a = 0"], ["a = 0", "a = 0"], ["items.append(a)", "d = a + a", "for _ in range(2):\n    d += 1"],
          ["def bump():\n    global a\n    a += 1"]])
# `e` bound on one path only, and a trailing print moved to main(): `e` is still passed through
@example([["a = 0", "d += c"], ["box['v'] = a - d", "if b > 4:\n    e = c", "print(c)"]])
# an inline section reads `d` through the container a function returned
@example([["a += a"], ["d = 0", "box = {'v': d}"], ["print('d is', d, f(d))"]])
# a lambda reads `b` when it runs, after the container that held it has changed: no read-through
@example([["box = {'v': b}"], ["g = lambda x: x * b"], ["box['v'] = a - a"]])
def test_many_programs_with_closures_globals_and_aliases_compute_and_print_the_same(parts):
    check(parts, RICH_START, RICH_FINAL)


def test_the_checker_catches_a_script_that_lost_a_print():
    cells = program([["a = 5", "print(a)"]], STRAIGHT_START, STRAIGHT_FINAL)
    result, printed = run_cells(cells)
    source = "def main():\n    a, b, c, d = 5, 2, 3, 4\n    items = []\n    box = {'v': 0}\n" \
             "    result = (a, b, c, d, tuple(items), box['v'])\n\nif __name__ == '__main__':\n    main()\n"

    script_result, script_stdout = run_script(source, ())

    assert script_result == result == (5, 2, 3, 4, (), 0)
    assert expected_stdout(printed, ()) == "5\n" != script_stdout
