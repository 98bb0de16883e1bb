"""Property-based tests: generated notebooks never crash the conversion and always give compiling code.

Notebooks are built from a small grammar of statements over a few variables, mixed with IPython
magics, markdown full of quotes, backslashes and template braces, random tags, metadata and nbformat
4 minor versions. Every notebook the grammar produces is valid, so a conversion must succeed unless
no cell holds code. NBREFACTOR_FUZZ_EXAMPLES raises the number of examples (see benchmarks/README.md).
"""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from nbrefactor.config import Settings
from nbrefactor.model import NotebookError
from nbrefactor.pipeline import refactor

EXAMPLES = int(os.environ.get("NBREFACTOR_FUZZ_EXAMPLES", "120"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

VARIABLES = ("a", "b", "df", "data", "model")
names = st.sampled_from(VARIABLES)
literals = st.one_of(
    st.integers(-5, 50).map(str),
    st.sampled_from(['"text"', "'it''s'", '"""doc"""', "0.5", "None", "True", "[1, 2]", '{"alpha": 0.5}', "r'\\d+'"]),
)


@st.composite
def expressions(draw) -> str:
    shape = draw(st.integers(0, 6))
    left, right = draw(names), draw(names)
    return [
        draw(literals),
        left,
        f"{left} + {right}",
        f"len([{left}, {right}])",
        f"math.sqrt({left})",
        f"{left}[0]",
        f"f'{{{left}}} and {{{right}!r}}'",
    ][shape]


@st.composite
def statements(draw) -> str:
    target, other, value = draw(names), draw(names), draw(expressions())
    return draw(
        st.sampled_from(
            [
                f"{target} = {value}",
                f"{target} += {value}",
                f"{target}, {other} = {value}, {target}",
                f"print({target})",
                f"{target}",
                f"{target}.head()",
                f"{target}.append({value})",
                f"{target}['key'] = {value}",
                f"del {target}",
                "import math",
                "from collections import OrderedDict as od",
                f"if {target}:\n    {other} = {value}\nelse:\n    pass",
                f"for i in range({target}):\n    {other} = i + {value}",
                f"def helper_{target}(p):\n    return p + {value}",
                f"def uses_{target}():\n    return {target}",
                f"class Box_{target}:\n    size = {value}",
                f"try:\n    {target} = {value}\nexcept Exception:\n    {target} = None",
                f"{target} = [x * 2 for x in {other}]",
                f"{target} = {{'train': {other}, 'test': {value}}}",
                f"with open('f.txt') as handle:\n    {target} = handle.read()",
                f"{target} = lambda q: q + {other}",
                f"# a comment about {target}\n{target} = {value}  # trailing",
                f"def setter():\n    global {target}\n    {target} = {value}",
            ]
        )
    )


MAGICS = (
    "%matplotlib inline",
    "!pip install pandas==2.0 scikit-learn",
    "%pip install requests",
    "%time a = 1",
    "%timeit -n 3 a + 1",
    "%load_ext autoreload\n%autoreload 2",
    "!ls -la",
    "files = !ls",
    "%env MODE=test",
    "%cd /tmp",
    "a?",
    "%who",
    "%config InlineBackend.figure_format = 'retina'",
    "%unknown_magic x y",
)
CELL_MAGICS = ("%%capture\n", "%%time\n", "%%timeit -n 1\n", "%%bash\necho hi\n", "%%writefile out.txt\n", "%%html\n")


@st.composite
def code_sources(draw) -> str:
    lines = draw(st.lists(st.one_of(statements(), st.sampled_from(MAGICS)), min_size=0, max_size=5))
    prefix = draw(st.sampled_from(("",) * 6 + CELL_MAGICS + ("# nbrefactor: skip\n", "# nbrefactor: function=go\n", "# a note\n")))
    body = "\n".join(lines)
    return prefix + body + draw(st.sampled_from(("", "\n", "\n\n", "  ")))


AWKWARD = st.sampled_from(['"""', "'''", "\\", "{{ x }}", "{% if %}", "{#", "#}", '"', "'", "`", "*", "\t", "é", "%", "!", "\\n"])
words = st.lists(st.one_of(st.sampled_from(["Load", "Split", "data", "into", "Train", "model", "on", "set", "1."]), AWKWARD), max_size=6)


@st.composite
def markdown_sources(draw) -> str:
    heading = " ".join(draw(words))
    level = draw(st.integers(0, 6))
    text = " ".join(draw(words))
    fence = draw(st.sampled_from(["", "\n```python\n# not a heading\nx = 1\n```\n"]))
    first = ("#" * level + " " + heading + "\n\n") if level else ""
    return first + text + fence


TAGS = st.lists(st.sampled_from(["parameters", "nbrefactor: skip", "nbrefactor: function=fit_it", "keep", "hide-input", "x y"]), max_size=2, unique=True)
CELL_METADATA = st.fixed_dictionaries({}, optional={"collapsed": st.booleans(), "scrolled": st.booleans(), "jupyter": st.just({"source_hidden": True})})


@st.composite
def cells(draw, minor: int, number: int) -> dict:
    kind = draw(st.sampled_from(["code", "code", "code", "markdown", "raw"]))
    source = draw(code_sources() if kind == "code" else markdown_sources())
    metadata = dict(draw(CELL_METADATA))
    tags = draw(TAGS)
    if tags:
        metadata["tags"] = tags
    cell = {"cell_type": kind, "metadata": metadata, "source": _split_or_whole(draw, source)}
    if kind == "code":
        cell.update(execution_count=draw(st.one_of(st.none(), st.integers(1, 20))), outputs=[])
    if minor >= 5:
        cell["id"] = f"c{number}"
    return cell


def _split_or_whole(draw, source: str):
    """nbformat allows a cell's source as one string or as a list of lines; tools write both."""
    return source.splitlines(keepends=True) if draw(st.booleans()) else source


def plain_code_cell(source: str, tags=()) -> dict:
    return {"cell_type": "code", "metadata": {"tags": list(tags)} if tags else {}, "source": source, "execution_count": None, "outputs": []}


def plain_markdown_cell(source: str) -> dict:
    return {"cell_type": "markdown", "metadata": {}, "source": source}


NOTEBOOK_METADATA = st.fixed_dictionaries(
    {},
    optional={
        "kernelspec": st.just({"name": "python3", "display_name": "Python 3", "language": "python"}),
        "language_info": st.just({"name": "python", "version": "3.11.0"}),
        "celltoolbar": st.just("Tags"),
        "author": st.text(max_size=5),
    },
)


@st.composite
def notebooks(draw) -> str:
    minor = draw(st.integers(0, 5))
    count = draw(st.integers(1, 8))
    return json.dumps(
        {
            "nbformat": 4,
            "nbformat_minor": minor,
            "metadata": draw(NOTEBOOK_METADATA),
            "cells": [draw(cells(minor, number)) for number in range(count)],
        },
        indent=draw(st.sampled_from([None, 1])),
    )


def convert(text: str):
    """The generated files, or None when the notebook holds no code to convert."""
    try:
        return refactor(text, path="fuzz.ipynb", settings=Settings()).files
    except NotebookError as error:
        refused = "no code cells" in str(error) or "is given to two sections" in str(error)
        assert refused or not _has_code(text) or _ipython_rejects(text), str(error)
        return None


def _has_code(text: str) -> bool:
    return any(c["cell_type"] == "code" and "".join(c["source"]).strip() for c in json.loads(text)["cells"])


def _ipython_rejects(text: str) -> bool:
    """A code cell that IPython itself turns into something Python cannot compile (`a?  `: help with
    trailing blanks stays as written): the notebook fails there too, so a located refusal is right."""
    from IPython.core.inputtransformer2 import TransformerManager

    for cell in json.loads(text)["cells"]:
        source = "".join(cell["source"]) if cell["cell_type"] == "code" else ""
        body = source.split("\n", 1)[1] if source.startswith("%%") and "\n" in source else ""  # %%capture runs it as a cell
        for code in filter(None, (source, body)):
            try:
                compile(TransformerManager().transform_cell(code), "<cell>", "exec")
            except (SyntaxError, ValueError):
                return True
    return False


@pytest.mark.slow
@FUZZ
@given(notebooks())
@example(json.dumps({"nbformat": 4, "nbformat_minor": 0, "metadata": {}, "cells": [plain_code_cell("a?  ")]}))
@example(json.dumps({"nbformat": 4, "nbformat_minor": 0, "metadata": {}, "cells": [
    plain_markdown_cell("# Load"), plain_code_cell("a = 0"), plain_code_cell("%%timeit -n 1\na = 0")]}))
@example(json.dumps({"nbformat": 4, "nbformat_minor": 0, "metadata": {}, "cells": [
    plain_code_cell("a = 0", tags=["nbrefactor: function=fit_it"]), plain_markdown_cell("# Load"),
    plain_code_cell("a = 0", tags=["nbrefactor: function=fit_it"])]}))
@example(json.dumps({"nbformat": 4, "nbformat_minor": 0, "metadata": {}, "cells": [plain_code_cell("%%capture\na?  ")]}))
def test_any_notebook_converts_to_compiling_code_and_the_same_bytes_twice(text):
    files = convert(text)

    for name, source in files or ():
        compile(source, name, "exec", dont_inherit=True)
    assert convert(text) == files


RICH_NOTEBOOK = {
    "nbformat": 4,
    "nbformat_minor": 5,
    "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
    "cells": [
        {"cell_type": kind, "id": f"c{number}", "metadata": {}, "source": source, **({"outputs": [], "execution_count": None} if kind == "code" else {})}
        for number, (kind, source) in enumerate(
            [
                ("code", "import math\nfrom collections import OrderedDict as od"),
                ("markdown", "# Load data"),
                ("code", "a = 1\nb = [a, 2]\ndf = {'x': b}\nmodel = None"),
                ("markdown", "## Split data into parts\n\nWith \"quotes\" and \\ backslashes."),
                ("code", "data = {'train': b, 'test': a}\nc, d, e = a + 1, a + 2, a + 3\nf = {c, d, e}"),
                ("markdown", "## Train model on the set"),
                ("code", "args = {'alpha': 0.5}\nmodel = (data['train'], args, c, d, e, f)"),
                ("markdown", "## Validate"),
                ("code", "score = math.sqrt(len(model)) + d + e\nprint(score)"),
            ]
        )
    ],
}


@pytest.mark.slow
def test_output_does_not_depend_on_hash_seed(tmp_path):
    """Sets and dicts must not leak their order into the output: two processes, two hash seeds."""
    notebook = tmp_path / "nb.ipynb"
    notebook.write_text(json.dumps(RICH_NOTEBOOK), encoding="utf-8")
    outputs = []
    for seed in ("1", "2"):
        folder = tmp_path / f"seed{seed}"
        environment = dict(os.environ, PYTHONHASHSEED=seed)
        command = [sys.executable, "-m", "nbrefactor", "convert", str(notebook), "-o", str(folder)]
        completed = subprocess.run(command, capture_output=True, text=True, env=environment)
        assert completed.returncode == 0, completed.stderr
        outputs.append({p.name: p.read_bytes() for p in sorted(folder.iterdir())})

    assert outputs[0] == outputs[1]
    assert set(outputs[0]) == {"nb.py", "test_nb.py"}


# --- real notebooks, their code mutated --------------------------------------------------------------

from pathlib import Path  # noqa: E402

from hypothesis import assume  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
REAL_NOTEBOOKS = sorted([*ROOT.glob("examples/*/*.ipynb"), *ROOT.glob("tests/cases/*/notebook.ipynb")])
INSERTED = (
    "reg = None", "del df", "global x", "x = (yield)", "await thing()", "async def f():\n    pass", "import os, sys",
    "from math import *", "lambda: undefined_name", "print(data['train'])", "class A:\n    pass", "if True:\n    pass",
    "try:\n    import missing\nexcept ImportError:\n    pass", "with open('f') as h:\n    h.read()", "for i in range(3):\n    continue",
    "%time x = 1", "!ls", "x = 'C:\\\\Users\\\\a'", "y = r'C:\\Users\\b'", "z = '\"\"\"'", "ｍａｉｎ = 1", "ﬁt = 2",
    "def main():\n    return 0", "__name__ = 'x'", "x = [\n", "@decorator\ndef g():\n    pass",
)
# Statements that are errors or change meaning outside a function or loop: each must give compiling code
# or a located error wherever a mutation puts it.
OUT_OF_PLACE = ("nonlocal q", "return 5", "await thing()", "x = (yield)", "global x", "break")


@st.composite
def mutated_notebooks(draw, inserted=INSERTED) -> str:
    """A real notebook with one code cell's lines deleted, duplicated, swapped, re-indented or added to."""
    notebook = json.loads(draw(st.sampled_from(REAL_NOTEBOOKS)).read_text(encoding="utf-8"))
    code_cells = [cell for cell in notebook["cells"] if cell["cell_type"] == "code"]
    cell = draw(st.sampled_from(code_cells))
    lines = "".join(cell["source"]).split("\n")
    for _ in range(draw(st.integers(1, 3))):
        mutation = draw(st.sampled_from(MUTATIONS))
        lines = mutation(draw, lines, inserted) if mutation is _insert else mutation(draw, lines)
    cell["source"] = "\n".join(lines)
    return json.dumps(notebook)


def _delete(draw, lines):
    return [line for index, line in enumerate(lines) if index != draw(st.integers(0, max(len(lines) - 1, 0)))] or [""]


def _duplicate(draw, lines):
    index = draw(st.integers(0, max(len(lines) - 1, 0)))
    return lines[: index + 1] + lines[index:]


def _swap(draw, lines):
    i, j = draw(st.integers(0, len(lines) - 1)), draw(st.integers(0, len(lines) - 1))
    swapped = list(lines)
    swapped[i], swapped[j] = swapped[j], swapped[i]
    return swapped


def _indent(draw, lines):
    index = draw(st.integers(0, len(lines) - 1))
    return lines[:index] + ["    " + lines[index]] + lines[index + 1:]


def _insert(draw, lines, inserted=INSERTED):
    index = draw(st.integers(0, len(lines)))
    return lines[:index] + draw(st.sampled_from(inserted)).split("\n") + lines[index:]


def _rename(draw, lines):
    text = "\n".join(lines)
    names = sorted(set(__import__("re").findall(r"\b[a-z_][a-z_0-9]*\b", text))) or ["x"]
    old, new = draw(st.sampled_from(names)), draw(st.sampled_from(["reg", "main", "df", "data", "_", "print", "os", "ｍain"]))
    return __import__("re").sub(rf"\b{old}\b", new, text).split("\n")


MUTATIONS = (_delete, _duplicate, _swap, _indent, _insert, _rename)


@pytest.mark.slow
@FUZZ
@given(mutated_notebooks())
def test_real_notebooks_with_mutated_code_convert_to_compiling_code_or_a_located_error(text):
    converts_or_says_where(text)


@pytest.mark.slow
@settings(max_examples=30, deadline=None, database=None, suppress_health_check=list(HealthCheck))
@given(mutated_notebooks(inserted=OUT_OF_PLACE))
def test_out_of_place_statements_convert_to_compiling_code_or_a_located_error(text):
    converts_or_says_where(text)


def converts_or_says_where(text: str) -> None:
    assume(REAL_NOTEBOOKS)
    try:
        files = refactor(text, path="real.ipynb", settings=Settings()).files
    except NotebookError as error:
        assert "\n" not in str(error).strip(), str(error)
        return
    for name, source in files:
        compile(source, name, "exec", dont_inherit=True)
