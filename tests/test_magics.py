"""Normalising IPython syntax: which lines are magics, and what each becomes."""
from __future__ import annotations

import pytest

from nbrefactor.magics import normalise
from nbrefactor.model import Cell


def python_of(source: str) -> str:
    return normalise(Cell(index=0, number=1, kind="code", source=source)).python


@pytest.mark.parametrize(
    "source",
    [
        'print(\n    "rate %4.2f%%"\n    % (3.0,)\n)',
        'text = """\n%matplotlib inline\n!ls\nhelp?\n"""',
        "total = (1 +\n  2)  # a comment with (\nvalue = [\n    !flag\n]",
        "x = 1 + \\\n    % 2",
        "ls = 3\nprint(ls - 1)",
        "time.sleep(0)",
        "cd = {'a': 1}",
        "pwd = 'here'",
        "s = 'a(b'\ny = 2",
    ],
)
def test_python_that_looks_like_a_magic_is_left_alone(source):
    assert python_of(source) == source


@pytest.mark.parametrize(
    "source, python",
    [
        ("x = (1,\n     2)\n%matplotlib inline", "x = (1,\n     2)\n"),
        ('s = """(\n"""\n!pip install numpy', 's = """(\n"""\n'),
        ("ls scripts/hello-world*.py\ny = 1", "\ny = 1"),
        ("cat data.txt", ""),
        ("pwd", ""),
        ("ls = 3\nls", "ls = 3\n"),
        ("cd data", "os.chdir('data')\nimport os"),
        ("time y = f(1)", "y = f(1)"),
        ("pip install pandas", ""),
        ("if True:\n    ls -la\n", "if True:\n    pass\n"),
    ],
)
def test_magic_lines_are_rewritten(source, python):
    assert python_of(source) == python


def test_automagic_shell_alias_is_recorded_as_a_removed_shell_command():
    cell = normalise(Cell(index=0, number=1, kind="code", source="rm -rf build"))
    assert [change.rule for change in cell.changes] == ["shell command removed"]
    assert [finding.message for finding in cell.findings] == ["shell command removed: !rm -rf build"]


def test_automagic_install_lists_the_requirement():
    cell = normalise(Cell(index=0, number=1, kind="code", source="pip install pandas==1.5"))
    assert cell.requirements == ("pandas==1.5",)
