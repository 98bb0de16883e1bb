"""The codegen pass: docstrings that hold any markdown, substitutions, and the shape of functions."""
from __future__ import annotations

import ast
import inspect

import libcst as cst
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nbrefactor.codegen import Substitute, docstring_literal


def _docstring_of(literal: str) -> str:
    source = f"def f():\n    {literal}\n"
    return inspect.cleandoc(ast.get_docstring(ast.parse(source).body[0], clean=False))


@pytest.mark.parametrize(
    "text",
    ['Say """hi"""', "It's '''quoted'''", "back\\slash \\n not a newline", "ends with a quote\"", "{{ jinja }} {% if %}", "line one\n\n  indented two"],
)
def test_docstring_holds_awkward_markdown(text):
    assert _docstring_of(docstring_literal(text, "    ")) == inspect.cleandoc(text)


def _raw_docstring_of(literal: str) -> str:
    source = f"def f():\n    {literal}\n"
    raw = ast.get_docstring(ast.parse(source).body[0], clean=False)
    first, *rest = raw.split("\n")
    return "\n".join([first] + [line[4:] if line.startswith("    ") else line for line in rest]).rstrip(" ").rstrip("\n")


@settings(max_examples=300, deadline=None)
@given(st.text(st.characters(blacklist_categories=("Cs",)), max_size=60))
def test_docstring_of_any_text_compiles_and_round_trips(text):
    lines = text.strip().replace("\r\n", "\n").replace("\r", "\n").split("\n")
    expected = "\n".join(line.rstrip() for line in lines)
    assert _raw_docstring_of(docstring_literal(text, "    ")) == expected


@pytest.mark.parametrize(
    "before, after",
    [
        ("x = y_test + 1", 'x = data["y"] + 1'),
        ("f(y_test=y_test)", 'f(y_test=data["y"])'),
        ("z = obj.y_test", "z = obj.y_test"),
        ("g = lambda y_test: y_test", "g = lambda y_test: y_test"),
    ],
)
def test_substitution_replaces_reads_only(before, after):
    module = cst.parse_module(before).visit(Substitute({"y_test": 'data["y"]'}))
    assert module.code == after
