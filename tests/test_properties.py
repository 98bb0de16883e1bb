"""Property: a straight-line program cut into sections converts to a script that computes the same values.

Programs bind and rebind a few integers, mutate a list in place and read names bound sections back,
which exercises parameters, returns, in-place effects and containers; the last section collects
every value, so the script's main() must end up holding exactly what the program computed.
"""
from __future__ import annotations

import sys

from hypothesis import given, settings
from hypothesis import strategies as st

from support import notebook_text
from nbrefactor import refactor

NAMES = ("a", "b", "c", "d")
FINAL = "result = (a, b, c, d, tuple(items), box['v'])"

name = st.sampled_from(NAMES)
small = st.integers(min_value=-5, max_value=5)
statement = st.one_of(
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
sections = st.lists(st.lists(statement, min_size=1, max_size=3), min_size=1, max_size=5)


def _program(parts):
    cells = [("md", "## Start"), ("code", "a, b, c, d = 1, 2, 3, 4\nitems = []\nbox = {'v': 0}")]
    for number, part in enumerate(parts, start=1):
        cells += [("md", f"## Step {number} Work"), ("code", "\n".join(part))]
    return cells + [("md", "## Collect"), ("code", FINAL + "\nresult")]


def _run_program(cells) -> tuple:
    namespace: dict = {}
    for kind, source in cells:
        if kind == "code":
            exec(source, namespace)
    return namespace["result"]


def _run_script(source: str) -> tuple:
    namespace: dict = {"__name__": "generated"}
    exec(compile(source, "train.py", "exec"), namespace)
    held: dict = {}

    def keep(frame, event, arg):
        if event == "return" and frame.f_code.co_name == "main" and frame.f_globals is namespace:
            held.update(frame.f_locals)

    sys.setprofile(keep)
    try:
        namespace["main"]()
    finally:
        sys.setprofile(None)
    return held["result"]


@settings(max_examples=100, deadline=None)
@given(sections)
def test_script_computes_what_the_notebook_computed(parts):
    cells = _program(parts)
    converted = refactor(notebook_text(*cells), path="nb.ipynb")
    assert converted.findings == ()
    assert _run_script(converted.outputs["train.py"]) == _run_program(cells)
