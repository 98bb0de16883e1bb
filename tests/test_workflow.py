"""The workflow around convert: severities drive the exit status, findings can be silenced on purpose,
many notebooks are all processed, JSON output follows its schema, and --check gives convert's verdict."""
from __future__ import annotations

import json
import os
import shutil
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

SCHEMA = Path(__file__).resolve().parent.parent / "nbrefactor" / "output.schema.json"
UNDEFINED = notebook_text(("markdown", "# Fit"), ("code", "x = 1"), ("markdown", "# Use"), ("code", "y = reg + x"))
STAR = notebook_text(("code", "from math import *"), ("markdown", "# Use"), ("code", "y = sqrt(4)"))
CLEAN = notebook_text(("markdown", "# Load"), ("code", "x = 1"), ("markdown", "# Use"), ("code", "y = x + 1"))
# A notebook that fits a model: written to train.py, whatever the notebook's file is called.
TRAINING = notebook_text(
    ("markdown", "# Load"),
    ("code", "from sklearn.linear_model import Ridge\nx = [[1], [2]]"),
    ("markdown", "# Fit"),
    ("code", "model = Ridge(alpha=1.0).fit(x, [1, 2])"),
)


def run(*args, cwd=None):
    return cli_runner().invoke(main, [str(a) for a in args])


@pytest.fixture
def folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return tmp_path


def write(folder: Path, name: str, text: str) -> str:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return name


# --- severities ------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "notebook, flags, status, printed",
    [
        (UNDEFINED, [], 1, "nb.ipynb:cell_2:1:5: NB101 undefined name 'reg'"),
        (UNDEFINED, ["--strict"], 1, "NB101 undefined name 'reg'"),
        (STAR, [], 0, "NB402"),
        (STAR, ["--strict"], 1, "NB402 star import"),
        (CLEAN, ["--strict"], 0, ""),
    ],
    ids=["error", "error-strict", "warning", "warning-strict", "clean"],
)
@pytest.mark.parametrize("command", [[], ["--check"], ["--fail-on-write"]], ids=["convert", "check", "hook"])
def test_errors_fail_every_run_and_warnings_only_with_strict(folder, notebook, flags, status, printed, command):
    write(folder, "nb.ipynb", notebook)
    run("convert", *flags, "nb.ipynb")  # first conversion: the outputs exist from now on

    again = run("convert", *command, *flags, "nb.ipynb")

    assert again.exit_code == status, again.stderr
    assert printed in again.stderr
    if status and printed:
        assert ("ignore = [" in again.stderr) == ("NB" in printed)


def test_the_hint_says_how_to_silence_and_config_ignore_does(folder):
    write(folder, "nb.ipynb", UNDEFINED)
    failing = run("convert", "nb.ipynb")
    write(folder, "pyproject.toml", '[tool.nbrefactor.notebooks."nb.ipynb"]\nignore = ["NB101"]\n')

    silenced, verbose = run("convert", "nb.ipynb"), run("convert", "-v", "nb.ipynb")

    assert failing.exit_code == 1
    assert 'ignore = ["NB101"] under [tool.nbrefactor] in pyproject.toml' in failing.stderr
    assert '[tool.nbrefactor.notebooks."nb.ipynb"]' in failing.stderr
    assert (silenced.exit_code, silenced.stderr) == (0, "")
    assert "NB101 undefined name 'reg' (ignored)" in verbose.stderr


def test_the_hinted_table_matches_a_notebook_in_a_subfolder_written_elsewhere(folder):
    (folder / ".git").mkdir()
    write(folder, "notebooks/nb.ipynb", UNDEFINED)
    failing = run("convert", "notebooks/nb.ipynb", "-o", "scripts")
    table = failing.stderr.split("(or under ", 1)[1].split(" for this notebook only", 1)[0]
    write(folder, "pyproject.toml", f'{table}\nignore = ["NB101"]\n')

    silenced = run("convert", "notebooks/nb.ipynb", "-o", "scripts")

    assert table == '[tool.nbrefactor.notebooks."notebooks/nb.ipynb"]'
    assert (silenced.exit_code, silenced.stderr) == (0, "")


# --- --check gives convert's verdict -----------------------------------------------------------------

def rerun(notebook):
    for count, cell in enumerate(c for c in notebook["cells"] if c["cell_type"] == "code"):
        cell.update(execution_count=count + 7, outputs=[{"output_type": "stream", "name": "stdout", "text": ["hi\n"]}])
        cell["metadata"].update(collapsed=False, execution={"iopub.status.busy": "2026-01-01"})
    notebook["metadata"]["language_info"] = {"name": "python", "version": "3.12.0"}


def bad_output(notebook):
    notebook["cells"][1]["outputs"] = [{"output_type": "stream", "name": "stdout"}]


def bad_count(notebook):
    notebook["cells"][1]["execution_count"] = "seven"


def bad_cell_metadata(notebook):
    notebook["cells"][1]["metadata"]["collapsed"] = "yes"


def bad_kernelspec(notebook):
    notebook["metadata"]["kernelspec"] = {"name": 5}


def minor_as_text(notebook):
    notebook["nbformat_minor"] = "5"


def extra_key(notebook):
    notebook["cells"][1]["outputs"] = [{"output_type": "stream", "name": "stdout", "text": "x", "extra": 1}]


def bad_source(notebook):
    notebook["cells"][1]["source"] = 5


def bad_tags(notebook):
    notebook["cells"][1]["metadata"]["tags"] = [1]


def outputs_not_a_list(notebook):
    notebook["cells"][1]["outputs"] = {"output_type": "stream"}


def duplicate_ids(notebook):
    notebook["cells"][1]["id"] = notebook["cells"][0]["id"]


# The reader checks what the conversion reads (cell kinds, sources, tags, execution counts, the list of
# outputs) and leaves the rest (an output's fields, metadata it does not read) to the tools that use it:
# --check must refuse what the reader refuses and accept what it accepts.
@pytest.mark.parametrize(
    "change, status",
    [
        (rerun, 0),
        (bad_output, 0),
        (bad_count, 2),
        (bad_cell_metadata, 0),
        (bad_kernelspec, 0),
        (minor_as_text, 2),
        (extra_key, 0),
        (duplicate_ids, 0),
        (bad_source, 2),
        (bad_tags, 2),
        (outputs_not_a_list, 2),
    ],
)
def test_check_gives_the_verdict_convert_gives(folder, change, status):
    write(folder, "nb.ipynb", CLEAN)
    assert run("convert", "nb.ipynb").exit_code == 0
    notebook = json.loads((folder / "nb.ipynb").read_text())
    change(notebook)
    write(folder, "nb.ipynb", json.dumps(notebook))

    checked = run("convert", "--check", "nb.ipynb")
    converted = run("convert", "nb.ipynb")

    assert (checked.exit_code, converted.exit_code) == (status, status), checked.stderr + converted.stderr
    assert checked.stderr == converted.stderr


def test_a_file_owned_by_another_notebook_is_refused_in_a_later_call(folder):
    write(folder, "a.ipynb", TRAINING)
    write(folder, "b.ipynb", TRAINING.replace("alpha=1.0", "alpha=2.0"))
    assert run("convert", "a.ipynb").exit_code == 0
    before = (folder / "train.py").read_bytes()

    hook, check = run("convert", "b.ipynb"), run("convert", "--check", "b.ipynb")

    assert hook.exit_code == 1
    assert "refusing to overwrite train.py: owned by a.ipynb; use --force to replace it" in hook.stderr
    assert "would change train.py (owned by a.ipynb)" in check.stderr
    assert (folder / "train.py").read_bytes() == before
    assert run("convert", "--force", "b.ipynb").exit_code == 0


# --- many notebooks ----------------------------------------------------------------------------------

def test_every_notebook_is_processed_and_the_worst_status_wins(folder):
    write(folder, "good/nb.ipynb", CLEAN)
    write(folder, "findings/nb.ipynb", UNDEFINED)
    write(folder, "bad1/nb.ipynb", "{")
    write(folder, "bad2/nb.ipynb", "[]")

    result = run("convert", "good/nb.ipynb", "bad1/nb.ipynb", "findings/nb.ipynb", "bad2/nb.ipynb")

    lines = result.stderr.splitlines()
    assert result.exit_code == 2
    assert lines[0].startswith("bad1/nb.ipynb: not valid JSON")
    assert lines[1].startswith("bad2/nb.ipynb: not a Jupyter notebook")
    assert "findings/nb.ipynb:cell_2:1:5: NB101 undefined name 'reg'" in lines
    assert not list(folder.rglob("*.py")), "nothing is written when any notebook is bad input"


@pytest.mark.parametrize(
    "flag, expected",
    [
        ("--quiet", ["nb.ipynb:cell_2:1:5: NB101 undefined name 'reg'", "hint: errors mean"]),
        ("", ["nb.ipynb:cell_2:1:5: NB101 undefined name 'reg'", "hint: errors mean", "wrote nb.py", "wrote test_nb.py"]),
        ("--verbose", ["nb.ipynb:cell_2:1:5: NB101 undefined name 'reg'", "hint: errors mean", "wrote nb.py", "wrote test_nb.py"]),
    ],
)
def test_quiet_and_verbose(folder, flag, expected):
    write(folder, "nb.ipynb", UNDEFINED)

    result = run("convert", *([flag] if flag else []), "nb.ipynb")

    lines = result.stderr.splitlines()
    assert len(lines) == len(expected) and all(line.startswith(start) for line, start in zip(lines, expected))


def test_verbose_tells_what_is_unchanged(folder):
    write(folder, "nb.ipynb", CLEAN)
    run("convert", "nb.ipynb")

    result = run("convert", "--verbose", "nb.ipynb")

    assert result.stderr.splitlines() == ["unchanged nb.py", "unchanged test_nb.py"]


# --- JSON ---------------------------------------------------------------------------------------------

def validate(document):
    jsonschema = pytest.importorskip("jsonschema")
    jsonschema.validate(document, json.loads(SCHEMA.read_text()))


@pytest.mark.parametrize(
    "arguments, status",
    [
        (["convert", "nb.ipynb", "bad.ipynb"], 2),
        (["convert", "nb.ipynb"], 1),
        (["convert", "--check", "nb.ipynb"], 1),
        (["explain", "nb.ipynb"], 0),
        (["explain", "nb.ipynb", "bad.ipynb"], 2),
        (["verify", "bad.ipynb"], 2),
    ],
)
def test_json_output_is_one_document_that_follows_the_schema(folder, arguments, status):
    write(folder, "nb.ipynb", UNDEFINED.replace("x = 1", "x = 1\\nprint(x)"))
    write(folder, "bad.ipynb", "{")

    result = run(*arguments[:1], "--format", "json", *arguments[1:])

    document = json.loads(result.stdout)
    validate(document)
    assert result.stderr == ""
    assert (document["exit_status"], result.exit_code) == (status, status)
    finding = {"path": "nb.ipynb", "cell": 2, "line": 1, "col": 5, "code": "NB101", "severity": "error", "message": "undefined name 'reg'", "ignored": False}
    assert finding in document["findings"] or arguments[0] == "verify"
    if "bad.ipynb" in arguments:
        assert [error["path"] for error in document["errors"]] == ["bad.ipynb"]


def test_json_lists_files_with_their_status_and_the_removed_statements(folder):
    write(folder, "nb.ipynb", CLEAN.replace("y = x + 1", "y = x + 1\\nprint(y)\\ny"))
    written = json.loads(run("convert", "--format", "json", "nb.ipynb").stdout)
    write(folder, "nb.py", (folder / "nb.py").read_text() + "# mine\n")
    refused = json.loads(run("convert", "--format", "json", "nb.ipynb").stdout)

    assert [(f["path"], f["status"]) for f in written["files"]] == [("nb.py", "written"), ("test_nb.py", "written")]
    assert ("nb.py", "refused", "edited by hand") in [(f["path"], f["status"], f["reason"]) for f in refused["files"]]
    removed = [change for change in written["changes"] if change["removed"]]
    assert removed and all(change["path"] == "nb.ipynb" and change["cell"] for change in removed)


# --- the fast path imports nothing heavy ------------------------------------------------------------

PROBE = """
import sys
from nbrefactor.cli import main
try:
    main(sys.argv[1:], standalone_mode=False)
finally:
    print(sorted(m for m in ("libcst", "nbformat", "jinja2", "nbconvert") if m in sys.modules))
"""


@pytest.mark.slow
@pytest.mark.parametrize("flags", [["--check"], ["--fail-on-write"], []])
def test_the_hook_answers_current_outputs_without_heavy_imports(folder, flags):
    write(folder, "nb.ipynb", CLEAN)
    run("convert", "nb.ipynb")

    done = subprocess.run([sys.executable, "-c", PROBE, "convert", *flags, "nb.ipynb"], cwd=folder, capture_output=True, text=True)

    assert done.stdout.strip().splitlines()[-1] == "[]", done.stderr


# --- a progress bar on a terminal only ---------------------------------------------------------------

@pytest.mark.slow
def test_a_progress_bar_appears_on_a_terminal_and_never_in_a_pipe(folder):
    import pty

    names = [write(folder, f"n{i}/nb.ipynb", CLEAN) for i in range(5)]
    piped = subprocess.run([sys.executable, "-m", "nbrefactor", "convert", *names], cwd=folder, capture_output=True, text=True)
    for name in names:
        shutil.rmtree(folder / Path(name).parent / "__pycache__", ignore_errors=True)
        for produced in ("nb.py", "test_nb.py"):
            (folder / Path(name).parent / produced).unlink()
    leader, follower = pty.openpty()
    terminal = subprocess.run([sys.executable, "-m", "nbrefactor", "convert", *names], cwd=folder, stdin=follower, stdout=follower, stderr=follower)
    os.close(follower)
    shown = _read_all(leader)

    assert piped.returncode == 0 and terminal.returncode == 0
    assert "converting" not in piped.stderr
    assert "converting" in shown and "5/5" in shown


def _read_all(descriptor) -> str:
    chunks = []
    while True:
        try:
            chunk = os.read(descriptor, 4096)
        except OSError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    return b"".join(chunks).decode("utf-8", "replace")
