"""Docstrings: the first paragraph under a heading as wrapped plain text, and the literal that holds it."""
import ast

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nbrefactor.docstrings import MAX_SUMMARY, docstring_from_markdown, docstring_literal, plain_text

# (markdown, docstring, rest)
CASES = [
    ("# Load the data\n\nWe read the CSV file.", "We read the CSV file.", ""),
    ("## Load\nRead it.\n\nThen clean it.", "Read it.", "Then clean it."),
    ("No heading at all.", "No heading at all.", ""),
    ("# Only a heading", "", ""),
    ("", "", ""),
    # links keep their text; images, tags and comments go; emphasis, code and math marks go
    ("Read [the docs](http://x.org) or [ref][1].", "Read the docs or ref.", ""),
    ("![logo](logo.png) A *small* **bold** `df` ~~old~~ step.", "A small bold df old step.", ""),
    ("<img src='a.png'/>\n\n<b>Bold</b> &amp; <i>more</i><br>text", "Bold & more text", ""),
    ("Compute $x^2$ and $$\\alpha$$.", "Compute x^2 and \\alpha.", ""),
    ("Keep \\*stars\\* and `a*b*c` as written<!-- hidden -->.", "Keep *stars* and a*b*c as written.", ""),
    ("snake_case_name stays, _emphasis_ goes", "snake_case_name stays, emphasis goes", ""),
    # setext headings, code blocks, tables and rules are never the docstring
    ("Title\n=====\n\nBody text.", "Body text.", ""),
    ("```python\nx = 1\n```\n\nAfter code.", "After code.", ""),
    ("    indented code\n\nProse.", "Prose.", ""),
    ("| a | b |\n|---|---|\n| 1 | 2 |\n\nProse.", "Prose.", ""),
    ("---\n\nProse.", "Prose.", ""),
    # a quote is prose; a list keeps its items
    ("> Quoted *wisdom*\n> on two lines.\n>\n> Second quote paragraph.", "Quoted wisdom on two lines.", "> Second quote paragraph."),
    ("- first *item*\n- second item\n  continued", "- first item\n- second item continued", ""),
    ("1. one\n2. two", "- one\n- two", ""),
    # the rest is the markdown that followed, as written
    ("# H\nFirst.\n\n## Sub\n\n* a\n* b", "First.", "## Sub\n\n* a\n* b"),
]


@pytest.mark.parametrize("markdown, docstring, rest", CASES)
def test_docstring_from_markdown(markdown, docstring, rest):
    assert docstring_from_markdown(markdown) == (docstring, rest)


def test_a_long_quote_becomes_a_short_wrapped_docstring():
    sentence = "This is one of the long sentences people quote from a blog post about their data. "
    quote = "\n".join("> " + sentence * 4 for _ in range(12))
    docstring, rest = docstring_from_markdown("## Why this matters\n\n" + quote + "\n\nAfter the quote.", width=84)
    lines = docstring.split("\n")
    assert len(docstring) <= MAX_SUMMARY and len(lines) <= 4
    assert len('"""' + lines[0]) <= 84 and all(len(line) <= 84 for line in lines)
    assert docstring.startswith("This is one of the long sentences") and docstring.endswith("data.")
    assert rest.startswith(sentence.strip()) and rest.endswith("After the quote.")


def test_a_long_list_keeps_the_items_that_fit():
    items = [f"- item number {index} " + "with words " * 10 for index in range(10)]
    docstring, rest = docstring_from_markdown("\n".join(items))
    kept = docstring.count("\n- ") + 1
    assert 1 <= kept < 10 and len(docstring) <= MAX_SUMMARY + 10 * kept
    assert rest.count("- item number") == 10 - kept and rest.startswith(f"- item number {kept} ")


def test_a_first_sentence_longer_than_the_summary_is_cut_at_a_word():
    words = " ".join(f"word{index}" for index in range(200))
    docstring, rest = docstring_from_markdown(words)
    assert docstring.endswith("...") and len(docstring.replace("\n", " ")) <= MAX_SUMMARY + 3
    assert " ".join(docstring[:-3].split() + rest.split()) == words


@pytest.mark.parametrize(
    "text, width, expected",
    [
        ("short", 84, "short"),
        # the first line holds the opening quotes: 19 words there, 20 on the next
        ("a " * 50, 40, "\n".join(["a " * 19, "a " * 20, "a " * 11]).replace(" \n", "\n").strip()),
        ("see https://example.org/a/very/long/path/that/is/not/broken here", 30,
         "see\nhttps://example.org/a/very/long/path/that/is/not/broken\nhere"),
    ],
)
def test_wrapping(text, width, expected):
    assert docstring_from_markdown(text, width=width)[0] == expected


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(list("ab *_`[]()#>-|!<>$\\\n.") + ["word ", "http://x.y ", "\n\n"]), max_size=80).map("".join), st.integers(30, 100))
def test_docstrings_fit_and_are_plain(markdown, width):
    docstring, rest = docstring_from_markdown(markdown, width)
    lines = docstring.split("\n") if docstring else []
    for index, line in enumerate(lines):
        room = width - (3 if index == 0 else 0)
        assert len(line) <= room or " " not in line.strip().removeprefix("- ")
    assert "\n\n" not in docstring and docstring == docstring.strip()
    assert isinstance(rest, str)


@pytest.mark.parametrize(
    "markdown, expected",
    [
        ("[a](b) ![c](d) <span>e</span>", "a e"),
        ("multi\nline   text", "multi line text"),
        ("&lt;tag&gt; &copy;", "<tag> ©"),
        ("`<b>kept</b>`", "<b>kept</b>"),
    ],
)
def test_plain_text(markdown, expected):
    assert plain_text(markdown) == expected


# --- the literal -------------------------------------------------------------------------------------

LITERALS = [
    ("Load the data.", "    ", '"""Load the data."""'),
    ("Two\nlines", "    ", '"""Two\n    lines\n    """'),
    ("Blank\n\nline", "  ", '"""Blank\n\n  line\n  """'),
    ('He said "hi"', "    ", '"""He said \\"hi\\""""'),
    ('Three """ quotes', "    ", '"""Three \\"\\"\\" quotes"""'),
    ("LaTeX \\alpha", "    ", 'r"""LaTeX \\alpha"""'),
    ("ends with \\", "    ", '"""ends with \\\\"""'),
    ("bell \x07 and \u2028 inside", "    ", '"""bell \\x07 and \\u2028 inside"""'),
    ("  spaced  \n", "    ", '"""spaced"""'),
    ("crlf\r\nline", "", '"""crlf\nline\n"""'),
]


@pytest.mark.parametrize("text, indent, expected", LITERALS)
def test_docstring_literal(text, indent, expected):
    assert docstring_literal(text, indent) == expected


def _tidied(text):
    lines = text.strip().replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(line.rstrip() for line in lines)


@settings(max_examples=300, deadline=None)
@given(st.text(), st.sampled_from(["", "    ", "\t", "        "]))
def test_literal_holds_the_text(text, indent):
    literal = docstring_literal(text, indent)
    value = ast.literal_eval(literal)
    first, *rest = value.split("\n")
    if rest:
        assert rest[-1] == indent
        rest = [line[len(indent):] if line else line for line in rest[:-1]]
    assert "\n".join([first] + rest) == _tidied(text)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(list('ab"\\\n \t') + ["'''", '"""']), max_size=20).map("".join))
def test_literal_compiles_as_a_docstring(text):
    source = "def f():\n    " + docstring_literal(text, "    ") + "\n    return 1\n"
    function = ast.parse(source).body[0]
    assert ast.get_docstring(function, clean=False) is not None
    assert len(function.body) == 2
