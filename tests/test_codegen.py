"""Code generation: statements move as their source lines, re-indented without touching strings."""
from __future__ import annotations

import ast

import pytest
from support import notebook_text
from nbrefactor import refactor
from nbrefactor.codegen import splice_names


def script_of(*cells) -> str:
    return dict(refactor(notebook_text(*cells), path="nb.ipynb").files)["nb.py"]


def function_body(script: str, name: str) -> str:
    tree = ast.parse(script)
    node = next(n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == name)
    return ast.get_source_segment(script, node)


def test_multi_line_strings_keep_their_content_when_indented():
    script = script_of(
        ("md", "## Make Text"),
        ("code", 'text = """first\n  second\nthird"""\nlines = text.split("\\n")\nn = len(lines)\nwidth = max(len(x) for x in lines)\nprint(n, width)'),
    )
    namespace = {}
    exec(compile(script, "nb.py", "exec"), namespace)
    assert '    text = """first\n  second\nthird"""' in script
    assert namespace["make_text"]() == (3, 8)


def test_comments_travel_with_their_statements_and_trailing_cell_comments_stay():
    script = script_of(
        ("md", "## Compute Things"),
        ("code", "# the first value\na = 1\n\n\n# the second\nb = a + 1  # inline\nc = b * 2\nd = c - a\nprint(d)\ne = d\n# end of cell"),
    )
    body = function_body(script, "compute_things")
    assert "    # the first value\n    a = 1\n\n    # the second\n    b = a + 1  # inline" in body
    assert "    e = d\n    # end of cell\n" in script


def test_backslash_continuations_and_brackets_survive():
    script = script_of(("code", "total = 1 + \\\n    2\nvalues = [\n  1,\n  2,\n]\nprint(total, values)"))
    compile(script, "nb.py", "exec")
    assert "    total = 1 + \\\n        2" in script


# --- a name read through a container: only the name's characters change ---------------------------

READ_THROUGH = {"y_test": 'data["test"]["y"]', "X": 'd["X"]'}


@pytest.mark.parametrize("before, after", [
    ("mse = error(preds, y_test)  # é: a comment", 'mse = error(preds, data["test"]["y"])  # é: a comment'),
    ("total = (y_test +\n         X)  # kept", 'total = (data["test"]["y"] +\n         d["X"])  # kept'),
    ("f = lambda y_test: y_test + X", 'f = lambda y_test: y_test + d["X"]'),
    ("z = [y_test for y_test in X if y_test]", 'z = [y_test for y_test in d["X"] if y_test]'),
    ("w = {X: q for q in y_test}", 'w = {d["X"]: q for q in data["test"]["y"]}'),
    ("def g(a=y_test, *, y_test=1):\n    return y_test + X", 'def g(a=data["test"]["y"], *, y_test=1):\n    return y_test + d["X"]'),
    ("model.X = fit(X=1, y=y_test.y_test)", 'model.X = fit(X=1, y=data["test"]["y"].y_test)'),
    ("s = '''y_test\nX'''", "s = '''y_test\nX'''"),
    ('v = f"{y_test!r} {X}"  # kept', "v = f\"{data['test']['y']!r} {d['X']}\"  # kept"),
    ("v = f'{y_test}'", "v = f'{data[\"test\"][\"y\"]}'"),
])
def test_names_read_through_a_container_are_spliced_in_place(before, after):
    assert splice_names(before, READ_THROUGH) == after
    assert ast.dump(ast.parse(splice_names(before, READ_THROUGH))) == ast.dump(ast.parse(after))
