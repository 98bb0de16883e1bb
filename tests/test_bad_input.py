"""Bad input through the command line: one located line on stderr, exit 2, no traceback, nothing written.

Each case builds its input in a fresh folder and runs `nbrefactor convert` both in-process (click's
runner) and as a real `python -m nbrefactor` process, so the exit status and stderr are the ones a
pre-commit hook sees. A second table holds awkward input that must convert normally.
"""
from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from support import notebook_text

from nbrefactor.cli import main


def cli_runner() -> CliRunner:
    """A runner that keeps stderr apart (click < 8.2 mixes it into stdout unless told)."""
    try:
        return CliRunner(mix_stderr=False)
    except TypeError:  # click >= 8.2 keeps stderr apart already
        return CliRunner()


def write_text(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


GOOD = notebook_text(*[("markdown", "# Load"), ("code", "x = 1"), ("markdown", "# Use"), ("code", "y = x + 1")])
# A notebook that fits a model: converted through train.py.j2, the template the template cases replace.
TRAINING = notebook_text(
    ("markdown", "# Load"),
    ("code", "from sklearn.linear_model import LinearRegression\nx = [[1], [2]]"),
    ("markdown", "# Fit"),
    ("code", "model = LinearRegression().fit(x, [1, 2])"),
)


def truncated_json(folder):
    return [str(write_text(folder, "nb.ipynb", GOOD[: len(GOOD) // 2]))], "not valid JSON"


def malformed_json(folder):
    return [str(write_text(folder, "nb.ipynb", GOOD.replace('"cells":', '"cells" ', 1)))], "not valid JSON"


def json_not_a_notebook(folder):
    return [str(write_text(folder, "nb.ipynb", json.dumps({"name": "x", "values": [1, 2]})))], "not a Jupyter notebook"


def json_list(folder):
    return [str(write_text(folder, "nb.ipynb", "[1, 2, 3]"))], "not a Jupyter notebook"


def wrong_schema(folder):
    broken = json.loads(GOOD)
    broken["cells"][1]["source"] = {"not": "text"}
    return [str(write_text(folder, "nb.ipynb", json.dumps(broken)))], "not a valid notebook"


def unknown_major_version(folder):
    future = dict(json.loads(GOOD), nbformat=9)
    return [str(write_text(folder, "nb.ipynb", json.dumps(future)))], "not a valid notebook"


def not_utf8(folder):
    path = folder / "nb.ipynb"
    path.write_bytes(GOOD.replace("x = 1", "x = 'caf\u00e9'").encode("latin-1"))
    return [str(path)], "not UTF-8"


def a_directory(folder):
    (folder / "nb.ipynb").mkdir()
    return [str(folder / "nb.ipynb")], "is a directory"


def a_missing_path(folder):
    return [str(folder / "missing.ipynb")], "no such file"


def r_kernel(folder):
    metadata = {"kernelspec": {"name": "ir", "display_name": "R", "language": "R"}}
    text = notebook_text(*[("code", "x <- c(1, 2)\nsummary(x)")], metadata=metadata)
    return [str(write_text(folder, "nb.ipynb", text))], "not a Python notebook"


def julia_kernel(folder):
    metadata = {"kernelspec": {"name": "julia-1.9", "display_name": "Julia 1.9", "language": "julia"}}
    text = notebook_text(*[("code", "x = [1, 2]\nprintln(sum(x))")], metadata=metadata)
    return [str(write_text(folder, "nb.ipynb", text))], "not a Python notebook"


def julia_language_info_only(folder):
    metadata = {"language_info": {"name": "julia"}}
    return [str(write_text(folder, "nb.ipynb", notebook_text(*[("code", "x = 1")], metadata=metadata)))], "not a Python notebook"


def empty_notebook(folder):
    return [str(write_text(folder, "nb.ipynb", notebook_text()))], "no code cells"


def markdown_only(folder):
    text = notebook_text(*[("markdown", "# Title\n\nJust prose."), ("markdown", "## More\n\ntext")])
    return [str(write_text(folder, "nb.ipynb", text))], "no code cells"


def blank_code_cells(folder):
    text = notebook_text(*[("markdown", "# Title"), ("code", ""), ("code", "  \n\n")])
    return [str(write_text(folder, "nb.ipynb", text))], "no code cells"


def syntax_error(folder):
    text = notebook_text(*[("code", "x = 1"), ("markdown", "# Fit"), ("code", "y = 2\nif x\n    y = 3")])
    return [str(write_text(folder, "nb.ipynb", text))], "nb.ipynb:cell_2:2:5: syntax error"


def syntax_error_after_a_magic(folder):
    text = notebook_text(*[("code", "%matplotlib inline\nx = (1,\ny = 2")])
    return [str(write_text(folder, "nb.ipynb", text))], "nb.ipynb:cell_1:2:5: syntax error"


def one_function_name_for_two_sections(folder):
    cells = [("markdown", "# Load"), ("code", "# nbrefactor: function=load\nx = 1"), ("markdown", "# Use"),
             ("code", "# nbrefactor: function=load\ny = x + 1\nprint(y)")]
    return [str(write_text(folder, "nb.ipynb", notebook_text(*cells)))], "nb.ipynb:cell_2:1:1: function name 'load' is given to two sections"


def python2_print(folder):
    text = notebook_text(*[("code", "x = 1"), ("code", "x = 2\nprint x")])
    return [str(write_text(folder, "nb.ipynb", text))], "nb.ipynb:cell_2:2:1: syntax error"


def output_folder_is_a_file(folder):
    notebook = write_text(folder, "nb.ipynb", GOOD)
    write_text(folder, "out", "a file, not a folder")
    return [str(notebook), "-o", str(folder / "out")], "out: not a folder"


def output_folder_under_a_file(folder):
    notebook = write_text(folder, "nb.ipynb", GOOD)
    write_text(folder, "out", "a file, not a folder")
    return [str(notebook), "-o", str(folder / "out" / "sub")], "sub: not a folder"


def read_only_output_folder(folder):
    notebook = write_text(folder, "nb.ipynb", GOOD)
    (folder / "out").mkdir()
    (folder / "out").chmod(0o500)
    return [str(notebook), "-o", str(folder / "out")], "cannot write"


def one_bad_among_good(folder):
    good = write_text(folder, "good.ipynb", GOOD)
    bad = write_text(folder, "bad.ipynb", GOOD[:40])
    return [str(good), str(bad)], "bad.ipynb: not valid JSON"


def fifo_notebook(folder):
    os.mkfifo(folder / "nb.ipynb")
    return [str(folder / "nb.ipynb")], "not a regular file"


def fifo_output(folder, *flags):
    notebook = write_text(folder, "nb.ipynb", GOOD)
    os.mkfifo(folder / "nb.py")
    return [*flags, str(notebook)], "nb.py: not a regular file"


def fifo_output_under_check(folder):
    return fifo_output(folder, "--check")


def a_device(folder):
    return ["/dev/zero"], "not a regular file"


def a_sparse_2gb_file(folder):
    with open(folder / "nb.ipynb", "wb") as stream:
        stream.truncate(2 * 1024**3)
    return [str(folder / "nb.ipynb")], "over the 100 MB limit"


def deep_json(folder):
    text = '{"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": ' + "[" * 100_000 + "]" * 100_000 + "}"
    return [str(write_text(folder, "nb.ipynb", text))], "nb.ipynb"


def huge_json_integer(folder):
    text = GOOD.replace('"metadata": {', '"metadata": {"big": ' + "9" * 5000 + ", ", 1)
    return [str(write_text(folder, "nb.ipynb", text))], "nb.ipynb"


def unknown_cell_type(folder):
    broken = json.loads(GOOD)
    broken["cells"][1]["cell_type"] = "weird" * 30_000
    return [str(write_text(folder, "nb.ipynb", json.dumps(broken)))], "not a valid notebook"


def minor_version_as_text(folder):
    return [str(write_text(folder, "nb.ipynb", json.dumps(dict(json.loads(GOOD), nbformat_minor="4"))))], "not a valid notebook"


def with_config(text):
    def case(folder):
        write_text(folder, "pyproject.toml", text)
        return [str(write_text(folder, "nb.ipynb", GOOD))], "pyproject.toml: "
    case.__name__ = "config_" + "_".join(text.split()[:4])[:40]
    return case


def with_template(text, expected):
    def case(folder):
        (folder / "tpl").mkdir()
        if isinstance(text, bytes):
            (folder / "tpl" / "train.py.j2").write_bytes(text)
        elif text.startswith("->"):
            (folder / "tpl" / "train.py.j2").symlink_to(text[2:])
        else:
            write_text(folder / "tpl", "train.py.j2", text)
        return ["--template-dir", str(folder / "tpl"), str(write_text(folder, "nb.ipynb", TRAINING))], expected
    case.__name__ = "template_" + expected.split(":")[0].replace(" ", "_")
    return case


def missing_template_dir(folder):
    return ["--template-dir", str(folder / "nope"), str(write_text(folder, "nb.ipynb", GOOD))], "no such folder"


def with_name(name, expected):
    def case(folder):
        return ["--name", name, str(write_text(folder, "nb.ipynb", GOOD))], expected
    case.__name__ = "name_" + expected.split()[0] + "_" + str(len(name))
    return case


CONFIG_CASES = [
    with_config("tool = 5\n"),
    with_config('[tool.nbrefactor]\noutput-dir = "a\\u0000b"\n'),
    with_config('[tool.nbrefactor]\noutput-dir = "' + "a" * 5000 + '"\n'),
    with_config("[tool.nbrefactor]\npure-methods = " + "[" * 5000 + "]" * 5000 + "\n"),
    with_config('[tool.nbrefactor]\nname = "class"\n'),
    with_config('[tool.nbrefactor.functions]\n"Use" = "\ufb01t"\n'),
    with_config('[tool.nbrefactor]\nignore = ["NB999"]\n'),
    with_config('[tool.nbrefactor]\ntemplate-dir = "/etc"\n'),
    with_config('[tool.nbrefactor]\nkind = 10000000000000000000000\n'),
]
TEMPLATE_CASES = [
    with_template("{% if %}\n", "template syntax error"),
    with_template('{% extends "script.py.j2" %}{% block entry %}{{ nothing }}{% endblock %}\n', "template error: 'nothing' is undefined"),
    with_template('{% extends "missing.j2" %}\n', "template not found"),
    with_template('{% extends "script.py.j2" %}{% block entry %}def (:{% endblock %}\n', "renders code that does not compile"),
    with_template("{{ ''.__class__.__mro__[1].__subclasses__() }}\n", "template error: access to attribute '__class__'"),
    with_template("->/etc/passwd", "template not found"),
    with_template(b"\xff\xfe{{ x }}", "cannot read template"),
]
NAME_CASES = [
    with_name("a-b", "must be a Python identifier"),
    with_name("class", "is a Python keyword"),
    with_name("x #/../../escaped", "must be a Python identifier"),
    with_name("\uff4d\uff41\uff49\uff4e", "is not in NFKC form"),
    with_name("\ufb01le", "is not in NFKC form"),
    with_name("n" * 300, "is longer than 100 characters"),
]

ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
BAD_INPUTS = [
    truncated_json,
    malformed_json,
    json_not_a_notebook,
    json_list,
    wrong_schema,
    unknown_major_version,
    not_utf8,
    a_directory,
    a_missing_path,
    r_kernel,
    julia_kernel,
    julia_language_info_only,
    empty_notebook,
    markdown_only,
    blank_code_cells,
    syntax_error,
    syntax_error_after_a_magic,
    one_function_name_for_two_sections,
    python2_print,
    output_folder_is_a_file,
    output_folder_under_a_file,
    pytest.param(read_only_output_folder, marks=pytest.mark.skipif(ROOT, reason="root writes anywhere")),
    one_bad_among_good,
    fifo_notebook,
    fifo_output,
    fifo_output_under_check,
    a_device,
    a_sparse_2gb_file,
    deep_json,
    huge_json_integer,
    unknown_cell_type,
    minor_version_as_text,
    missing_template_dir,
    *CONFIG_CASES,
    *TEMPLATE_CASES,
    *NAME_CASES,
]


def run_in_process(arguments, folder: Path):
    result = cli_runner().invoke(main, ["convert", *arguments])
    return result.exit_code, result.stderr


def run_as_process(arguments, folder: Path):
    completed = subprocess.run(
        [sys.executable, "-m", "nbrefactor", "convert", *arguments],
        cwd=folder,
        capture_output=True,
        text=True,
        env=dict(os.environ, PYTHONWARNINGS="default"),
        timeout=120,
        preexec_fn=_limit_memory,
    )
    return completed.returncode, completed.stderr


def _limit_memory():
    """1.5 GB of address space: a notebook read whole (the 2 GB sparse file) would fail with MemoryError."""
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (1536 * 1024**2, 1536 * 1024**2))


def snapshot(folder: Path) -> dict:
    """Every path under `folder` with its size and modification time."""
    return {str(p.relative_to(folder)): (p.is_dir(), p.is_file() and p.stat().st_size, p.stat().st_mtime_ns) for p in folder.rglob("*")}


SUBPROCESS = pytest.param(run_as_process, marks=pytest.mark.slow, id="subprocess")


@pytest.mark.slow
@pytest.mark.parametrize("run", [pytest.param(run_in_process, id="in-process"), SUBPROCESS])
@pytest.mark.parametrize("make_case", BAD_INPUTS, ids=lambda case: getattr(case, "__name__", None))
def test_bad_input_gives_one_located_line_and_exit_2(tmp_path, make_case, run):
    arguments, expected = make_case(tmp_path)
    before = snapshot(tmp_path)

    status, stderr = run(arguments, tmp_path)

    lines = stderr.splitlines()
    assert status == 2, stderr
    assert len(lines) == 1, stderr
    assert "Traceback" not in stderr
    assert expected in lines[0]
    assert _names_an_input(lines[0], arguments)
    assert snapshot(tmp_path) == before


def _names_an_input(line: str, arguments) -> bool:
    """The message starts with the notebook, option or configuration file it is about, or names the
    output or template file it could not use."""
    paths = [argument for argument in arguments if not argument.startswith("-")] + ["--name", "--template-dir", "pyproject.toml"]
    outputs = [str(Path(path).with_suffix(".py")) for path in paths]
    named = paths + outputs
    return any(line.startswith(path) or f"{path}:" in line for path in named) or line.split(":")[0].endswith((".j2", "pyproject.toml"))


# --- awkward input that converts -------------------------------------------------------------------

AWKWARD_TEXTS = [
    'three """ double quotes',
    "three ''' single quotes",
    'ends with a quote "',
    "ends with a backslash \\",
    "a backslash-n \\n and \\N{BULLET} and \\x00 written out",
    "{{ jinja expression }} and {% if x %}block{% endif %} and {# comment #}",
    "raw block {% raw %} {{ x }} {% endraw %}",
    '"""\nall of them \'\'\' \\ {{ }} {% %}\n"""',
    "tab\tand a form feed \x0c and a bell \x07",
]


def awkward_notebook(text: str) -> str:
    """A notebook whose middle section becomes a function documented by `text` and headed by it."""
    heading = " ".join(text.split()) or "Awkward"
    return notebook_text(
        ("markdown", "# Load"),
        ("code", "x = 1"),
        ("markdown", f"## Step {heading}\n\n{text}"),
        ("code", "y = x + 1"),
        ("markdown", "## Report"),
        ("code", "z = y * 2\nprint(z)"),
    )


@pytest.mark.parametrize("text", AWKWARD_TEXTS)
def test_awkward_markdown_gives_compiling_code_with_the_docstring(tmp_path, text):
    notebook = write_text(tmp_path, "nb.ipynb", awkward_notebook(text))

    result = cli_runner().invoke(main, ["convert", str(notebook)])

    assert result.exit_code == 0, result.stderr
    script = (tmp_path / "nb.py").read_text(encoding="utf-8")
    compile((tmp_path / "test_nb.py").read_text(encoding="utf-8"), "test_nb.py", "exec")
    docstrings = [ast.get_docstring(node) for node in ast.walk(ast.parse(script)) if isinstance(node, ast.FunctionDef)]
    assert _expected_doc(text) in docstrings


def _expected_doc(text: str) -> str:
    """Each text is one short paragraph: the docstring is its words on one line, every character kept."""
    return " ".join(text.split())


def nbformat_3_notebook() -> str:
    worksheet = {
        "metadata": {},
        "cells": [
            {"cell_type": "heading", "level": 1, "metadata": {}, "source": ["Load data"]},
            {"cell_type": "code", "collapsed": False, "input": ["x = 1\n", "y = x + 1"], "language": "python", "metadata": {}, "outputs": []},
            {"cell_type": "markdown", "metadata": {}, "source": "## Double it"},
            {"cell_type": "code", "collapsed": False, "input": "z = y * 2\nprint(z)", "language": "python", "metadata": {}, "outputs": []},
        ],
    }
    return json.dumps({"nbformat": 3, "nbformat_minor": 0, "metadata": {"name": "old"}, "worksheets": [worksheet]})


def cells_without_ids() -> str:
    """nbformat 4.5 requires cell ids; notebooks saved by older tools often lack them."""
    notebook = json.loads(notebook_text(*[("code", "x = 1"), ("markdown", "# Next"), ("code", "y = x")], nbformat_minor=5))
    for cell in notebook["cells"]:
        del cell["id"]
    return json.dumps(notebook)


@pytest.mark.parametrize(
    "text, expected",
    [
        (nbformat_3_notebook(), "def make_double_it(y):"),
        (notebook_text(*[("code", "x = 1"), ("markdown", "# Next"), ("code", "y = x")], nbformat_minor=0), "y = x"),
        (cells_without_ids(), "y = x"),
    ],
    ids=["nbformat-3", "nbformat-4.0", "4.5-without-cell-ids"],
)
@pytest.mark.slow
def test_old_and_loose_notebooks_convert_quietly(tmp_path, text, expected):
    notebook = write_text(tmp_path, "nb.ipynb", text)

    status, stderr = run_as_process([str(notebook)], tmp_path)

    assert status == 0, stderr
    assert "Warning" not in stderr
    assert expected in (tmp_path / "nb.py").read_text(encoding="utf-8")


@pytest.mark.slow
def test_converting_runs_nothing_from_the_notebook(tmp_path):
    marker = tmp_path / "ran"
    cells = [
        ("code", f"open({str(marker / 'open')!r}, 'w').write('x')"),
        ("code", f"import os\nos.makedirs({str(marker)!r}, exist_ok=True)\nos.system('touch {marker}/system')"),
        ("code", f"!mkdir -p {marker} && touch {marker}/shell"),
        ("code", f"files = !touch {marker}/captured"),
        ("code", f"%%bash\nmkdir -p {marker}\ntouch {marker}/bash"),
        ("code", f"%%writefile {marker}/writefile.txt\nhello"),
        ("code", f"import subprocess\nsubprocess.run(['touch', {str(tmp_path / 'ran_subprocess')!r}])"),
        ("code", f"%cd {tmp_path}\n%env NBREFACTOR_RAN=1\n!pip install {marker}/nothing"),
    ]
    notebook = write_text(tmp_path, "nb.ipynb", notebook_text(*cells))

    status, stderr = run_as_process([str(notebook)], tmp_path)

    assert status == 0, stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["nb.ipynb", "nb.py", "test_nb.py"]


@pytest.mark.slow
def test_syntax_warnings_are_findings_in_the_notebook_never_python_warnings(tmp_path):
    notebook = write_text(tmp_path, "nb.ipynb", notebook_text(("code", "x = [1]\nassert (x, 1)\ny = '\\\\d'")))

    status, stderr = run_as_process([str(notebook)], tmp_path)

    assert status == 0, stderr
    assert "SyntaxWarning" not in stderr and "nb.py" not in stderr.split("wrote")[0]
    assert "nb.ipynb:cell_1:2:1: NB404 syntax warning: assertion is always true" in stderr
