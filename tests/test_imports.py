"""One import block: isort's black-profile order, duplicates merged, comments kept with their imports."""
import ast
import textwrap

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nbrefactor.imports import comments_above, import_block, is_stdlib, section


def block(*statements, **options):
    return import_block([textwrap.dedent(text).strip("\n") for text in statements], **options)


# (statements, expected block)
CASES = [
    # sections: future, standard library, third party, local, relative; straight imports before from imports
    (
        ["import sys", "import numpy as np", "from . import helpers", "from __future__ import annotations",
         "import mypkg.util", "from pandas import DataFrame", "import os"],
        """\
        from __future__ import annotations

        import os
        import sys

        import numpy as np
        from pandas import DataFrame

        import mypkg.util

        from . import helpers
        """,
    ),
    # `import os` beside `import os, shutil`: one line per module, once
    (["import os", "import os, shutil"], "import os\nimport shutil\n"),
    # the same from-import twice, and two from-imports of one module, become one line
    (["from a import b", "from a import c, b"], "from a import b, c\n"),
    # aliases are kept; `import x` and `import x as y` are different lines
    (["import numpy as np", "import numpy", "import numpy as np"], "import numpy\nimport numpy as np\n"),
    (["from a import b as c", "from a import d"], "from a import b as c\nfrom a import d\n"),
    # names: CONSTANTS, Classes, then the rest; modules case-insensitively, numbers in natural order
    (["from x import f10, f2, F1, CONST"], "from x import CONST, F1, f2, f10\n"),
    (["import a10", "import a2", "import A1"], "import A1\nimport a2\nimport a10\n"),
    # relative imports: parents first, as isort orders them
    (["from . import x", "from .. import y", "from .a import b"], "from .. import y\nfrom . import x\nfrom .a import b\n"),
    # star imports first among their module's lines
    (["from pylab import plot", "from pylab import *"], "from pylab import *\nfrom pylab import plot\n"),
    # long from-imports wrap black's way
    (
        ["from sklearn.model_selection import train_test_split, cross_val_score, GridSearchCV, RandomizedSearchCV"],
        """\
        from sklearn.model_selection import (
            GridSearchCV,
            RandomizedSearchCV,
            cross_val_score,
            train_test_split,
        )
        """,
    ),
    # parenthesised and continued statements are read, not copied
    (["from a import (b,\n    c)", "import os, \\\n    sys"], "import os\nimport sys\n\nfrom a import b, c\n"),
    # a comment above an import stays above it, with a blank line before it inside a section
    (
        ["import sys", "# paths\nimport os"],
        """\
        # paths
        import os
        import sys
        """,
    ),
    (
        ["import os", "# needed for the plots\nimport sys"],
        """\
        import os

        # needed for the plots
        import sys
        """,
    ),
    # trailing comments stay on their line; a commented from-import keeps a line of its own
    (["import os, shutil  # files"], "import os  # files\nimport shutil\n"),
    (["from a import b  # x", "from a import c  # y"], "from a import b  # x\nfrom a import c  # y\n"),
    (["from a import b  # x", "from a import c", "from a import b"], "from a import b  # x\nfrom a import c\n"),
    (["from a import b, B", "from a import b  # x"], "from a import b  # x\nfrom a import B\n"),
    (["from a import A, z  # t", "from a import m  # x"], "from a import m  # x\nfrom a import A, z  # t\n"),
    (["# c\nfrom a import b", "from a import b  # x"], "# c\nfrom a import b  # x\n"),
    # a comment above an import stays with it (isort moves it to the first line of the package)
    (["import os", "# above\nimport os.path"], "import os\n\n# above\nimport os.path\n"),
    (
        ["import os", "from os import b", "# above\nfrom os import b as c"],
        "import os\nfrom os import b\n\n# above\nfrom os import b as c\n",
    ),
    # a name imported plainly and under an alias: the plain names stay on one line (isort splits them)
    (["from os import b as c", "from os import b, sep"], "from os import b, sep\nfrom os import b as c\n"),
    (["from os import bz as y", "from os import b, c"], "from os import b, c\nfrom os import bz as y\n"),
    # duplicates keep every comment
    (["import os  # a", "import os  # b"], "import os  # a; b\n"),
    (["# one\nimport os", "# two\nimport os"], "# one\n# two\nimport os\n"),
    # a long commented from-import wraps with the comment after the parenthesis
    (
        ["from aaaaaaaaaaaaaaaaaaaaaaaaaaaaa import bbbbbbbbbbbbbbbbbbbbbbbbb, ccccccccccccccccccc  # some long comment"],
        """\
        from aaaaaaaaaaaaaaaaaaaaaaaaaaaaa import (  # some long comment
            bbbbbbbbbbbbbbbbbbbbbbbbb,
            ccccccccccccccccccc,
        )
        """,
    ),
    # several statements in one text
    (["import os; import sys"], "import os\nimport sys\n"),
    ([], ""),
]


# Where nbrefactor keeps a comment with its own statement and isort does not (see the cases above).
NOT_AS_ISORT = {
    ("import os", "# above\nimport os.path"),
    ("import os", "from os import b", "# above\nfrom os import b as c"),
    ("from os import b as c", "from os import b, sep"),
    ("from os import bz as y", "from os import b, c"),
    ("import os  # a", "import os  # b"),
    ("# one\nimport os", "# two\nimport os"),
    ("# c\nfrom a import b", "from a import b  # x"),
}


@pytest.mark.parametrize("statements, expected", CASES)
def test_import_block(statements, expected):
    assert import_block(statements, local={"mypkg"}) == textwrap.dedent(expected)


@pytest.mark.parametrize("statements, expected", [case for case in CASES if tuple(case[0]) not in NOT_AS_ISORT])
def test_cases_match_isort(statements, expected):
    isort = pytest.importorskip("isort")
    config = isort.Config(profile="black", known_first_party=["mypkg"])
    assert isort.code("\n".join(statements) + "\n", config=config).lstrip("\n") == textwrap.dedent(expected)


def test_cell_comment_left_out_by_the_caller_is_not_moved():
    # `# Python >= 3.5 is required` explains the assert that follows `import sys`: the caller keeps it
    # with the assert and passes the import alone.
    assert import_block(["import sys", "import sklearn  # >= 0.20 is required"]) == (
        "import sys\n\nimport sklearn  # >= 0.20 is required\n"
    )


def test_line_length_is_a_parameter():
    assert import_block(["from a import bb, cc"], line_length=15) == "from a import (\n    bb,\n    cc,\n)\n"


@pytest.mark.parametrize("text", ["x = 1", "import", "def f(): pass", "import os\nx = 1", "# only a comment"])
def test_not_an_import(text):
    with pytest.raises(ValueError, match="not an import statement"):
        import_block([text])


@pytest.mark.parametrize(
    "module, expected",
    [
        ("os.path", "stdlib"), ("__future__", "future"), ("numpy", "thirdparty"), ("mypkg.sub", "local"),
        (".sibling", "relative"), ("imp", "stdlib"), ("distutils", "stdlib"), ("tomllib", "stdlib"),
        ("asyncore", "stdlib"), ("sklearn", "thirdparty"), ("Zlib", "thirdparty"),
    ],
)
def test_section(module, expected):
    assert section(module, local={"mypkg"}) == expected


def test_removed_and_added_modules_are_standard_library_on_every_python():
    assert all(is_stdlib(name) for name in ("imp", "distutils", "binhex", "formatter", "tomllib", "graphlib"))


# --- the same order as isort's black profile, on generated import statements --------------------------

MODULES = ["os", "os.path", "sys", "numpy", "pandas", "a", "a.b", "aB", "a_b", "A2", "a10", "__future__", ".", "..", ".x"]
NAMES = ["b", "B", "CONST", "c2", "c10", "_private", "Foo", "bar"]


@st.composite
def import_statements(draw, comments_above=True):
    """Import statements. isort moves a comment above an import to the first line of its package
    (`# c` above `import os.path` ends up above `import os`); nbrefactor keeps it with its statement,
    so the comparison with isort leaves comments above imports out."""
    module = draw(st.sampled_from(MODULES))
    comment = draw(st.sampled_from(["", "", "  # note", "  # why"]))
    leading = draw(st.sampled_from(["", "", "# above\n"])) if comments_above else ""
    if module.startswith(".") or module == "__future__" or draw(st.booleans()):
        names = draw(st.lists(st.sampled_from(NAMES), min_size=1, max_size=4, unique=True))
        if module == "__future__":
            names = draw(st.lists(st.sampled_from(["annotations", "division"]), min_size=1, unique=True))
        if len(names) == 1 and draw(st.booleans()):
            # an alias that sorts after the plain names: isort splits the plain names around one that
            # sorts among them (see NOT_AS_ISORT)
            names = [f"zz_{names[0].lower()} as {names[0].lower()}_alias"]
        return f"{leading}from {module} import {', '.join(names)}{comment if len(names) == 1 else ''}"
    alias = draw(st.sampled_from(["", "", " as m"]))
    # one comment text for straight imports: isort keeps only the last of two different ones
    return f"{leading}import {module}{alias}{'  # note' if comment else ''}"


@settings(max_examples=30, deadline=None)
@given(st.lists(import_statements(comments_above=False), min_size=1, max_size=6))
def test_same_block_as_isort(statements):
    isort = pytest.importorskip("isort")
    expected = isort.code("\n".join(statements) + "\n", config=isort.Config(profile="black", known_first_party=[]))
    assert import_block(statements) == expected


@settings(max_examples=100, deadline=None)
@given(st.lists(import_statements(), min_size=1, max_size=8))
def test_block_is_stable_and_keeps_every_import(statements):
    once = import_block(statements)
    assert import_block(_statements(once)) == once
    assert _bound(once) == set().union(*(_bound(text) for text in statements))


def _statements(block_text):
    """The block cut back into statements, each with the comment lines above it."""
    lines = block_text.split("\n")
    cuts = [node.end_lineno for node in ast.parse(block_text).body]
    return ["\n".join(lines[start:end]) for start, end in zip([0] + cuts, cuts)]


def _bound(source):
    names = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            module = "." * getattr(node, "level", 0) + (getattr(node, "module", None) or "")
            names |= {(module, alias.name, alias.asname) for alias in node.names}
    return names


CELL = """\
# Python >= 3.5 is required
import sys
assert sys.version_info >= (3, 5)

# Common imports
import numpy as np
# files
import os

x = 1
# not above an import
y = 2
"""


@pytest.mark.parametrize(
    "line, expected",
    [
        (2, []),  # the comment explains the assert of its paragraph: it stays there
        (6, ["# Common imports"]),
        (8, ["# files"]),
        (10, []),
    ],
)
def test_comments_above(line, expected):
    assert comments_above(CELL.split("\n"), line) == expected
