"""What convert, --check, --diff and explain never do: run code from a template or from git's
configuration, write outside the output folder or over an input, or lose a file in --record and
--report; and generated files that embed a path or name always compile."""
from __future__ import annotations

import ast
import os
import shutil
import stat
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


CLEAN = notebook_text(("markdown", "# Load"), ("code", "x = 1"), ("markdown", "# Use"), ("code", "y = x + 1"))
GIT = shutil.which("git")


def run(*args):
    return cli_runner().invoke(main, [str(a) for a in args])


@pytest.fixture
def folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "nb.ipynb").write_text(CLEAN, encoding="utf-8")
    return tmp_path


def tree(folder: Path) -> dict:
    return {p.relative_to(folder).as_posix(): p.read_bytes() if p.is_file() and not p.is_symlink() else None for p in sorted(folder.rglob("*"))}


# --- templates run nothing -------------------------------------------------------------------------

ESCAPES = [
    "{{ cycler.__init__.__globals__.os.system('touch ran') }}",
    "{{ lipsum.__globals__['os'].system('touch ran') }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{% set x = namespace() %}{{ x.__init__.__globals__ }}",
    "{{ range.__self__.__import__('os').system('touch ran') }}",
]


@pytest.mark.parametrize("template", ESCAPES)
@pytest.mark.parametrize("command", [["convert"], ["convert", "--check"], ["convert", "--diff"], ["explain"]])
def test_a_template_cannot_run_python(folder, template, command):
    (folder / "tpl").mkdir()
    (folder / "tpl" / "script.py.j2").write_text(template)
    (folder / "pyproject.toml").write_text('[tool.nbrefactor]\ntemplate-dir = "tpl"\n')
    before = tree(folder)

    result = run(*command, "nb.ipynb")

    assert result.exit_code == 2
    assert len(result.stderr.splitlines()) == 1 and result.stderr.startswith("tpl/script.py.j2: ")
    assert tree(folder) == before


def test_configuration_above_the_repository_is_not_read(tmp_path, monkeypatch):
    (tmp_path / "pyproject.toml").write_text('[tool.nbrefactor]\nname = "from_above"\n')
    project = tmp_path / "project"
    (project / ".git").mkdir(parents=True)
    (project / "nb.ipynb").write_text(CLEAN)
    monkeypatch.chdir(project)

    assert run("convert", "nb.ipynb").exit_code == 0
    assert (project / "nb.py").exists() and not (project / "from_above.py").exists()


# --- git runs nothing the repository configures ------------------------------------------------------

def git(*args, cwd):
    subprocess.run([GIT, *args], cwd=cwd, check=True, capture_output=True)


@pytest.fixture
def hostile_repository(folder):
    """A repository whose configuration would run commands if git status or a filter ran."""
    git("init", "-q", cwd=folder)
    hooks = folder / "hooks"
    hooks.mkdir()
    for hook in ("post-index-change", "pre-commit"):
        (hooks / hook).write_text(f"#!/bin/sh\ntouch {folder}/hook-ran\n")
        (hooks / hook).chmod(0o755)
    settings = {
        "core.fsmonitor": f"touch {folder}/fsmonitor-ran; echo",
        "core.hooksPath": str(hooks),
        "filter.evil.clean": f"touch {folder}/filter-ran; cat",
        "filter.evil.smudge": "cat",
        "diff.external": f"touch {folder}/diff-ran",
        "core.pager": f"touch {folder}/pager-ran; cat",
    }
    for key, value in settings.items():
        git("config", key, value, cwd=folder)
    (folder / ".gitattributes").write_text("*.py filter=evil diff=evil\n")
    git("config", "diff.evil.textconv", f"touch {folder}/textconv-ran; cat", cwd=folder)
    return folder


def markers(folder):
    return sorted(p.name for p in folder.iterdir() if p.name.endswith("-ran"))


@pytest.mark.slow  # runs git
@pytest.mark.skipif(GIT is None, reason="git is not installed")
def test_the_git_add_hint_runs_nothing_the_repository_configures(hostile_repository):
    first = run("convert", "nb.ipynb")
    subprocess.run([GIT, "-c", "core.fsmonitor=false", "-c", "core.hooksPath=/dev/null", "-c", "filter.evil.clean=cat", "add", "nb.py"], cwd=hostile_repository, check=True, capture_output=True)
    for marker in hostile_repository.glob("*-ran"):
        marker.unlink()
    (hostile_repository / "test_nb.py").unlink()

    second = run("convert", "nb.ipynb")

    assert "hint: stage the generated files with: git add nb.py test_nb.py" in first.stderr
    assert second.stderr.splitlines()[-1] == "hint: stage the generated files with: git add test_nb.py"
    assert markers(hostile_repository) == []


@pytest.mark.slow  # runs git
@pytest.mark.skipif(GIT is None, reason="git is not installed")
@pytest.mark.parametrize("flag", ["--check", "--diff"])
def test_check_and_diff_never_start_git(folder, monkeypatch, flag):
    git("init", "-q", cwd=folder)
    run("convert", "nb.ipynb")
    (folder / "nb.ipynb").write_text(CLEAN.replace("x + 1", "x + 2"))
    calls = []
    real = subprocess.run
    monkeypatch.setattr(subprocess, "run", lambda command, *a, **k: calls.append(command) or real(command, *a, **k))

    result = run("convert", flag, "nb.ipynb")

    assert result.exit_code == 1
    assert calls == []


# --- --report goes through the writer ----------------------------------------------------------------

def report_over_the_notebook(folder):
    return ["--report", "nb.ipynb"], 2, "is an input"


def report_through_a_link(folder):
    (folder / "outside").mkdir()
    (folder / "link").symlink_to(folder / "outside")
    return ["--report", "link/review.md"], 2, "a symbolic link"


def report_on_a_linked_file(folder):
    (folder / "elsewhere.md").write_text("mine\n")
    (folder / "review.md").symlink_to(folder / "elsewhere.md")
    return ["--report", "review.md"], 1, "refusing to overwrite review.md: a symbolic link"


def report_outside(folder):
    return ["--report", "../review.md"], 2, "inside the current folder or an output folder"


def report_under_check(folder):
    return ["--check", "--report", "review.md"], 1, "review.md: not written under --check or --diff"


def report_when_the_conversion_refuses(folder):
    run("convert", "nb.ipynb")
    (folder / "nb.py").write_text("print('mine')\n")
    return ["--report", "review.md"], 1, "refusing to overwrite nb.py"


def report_over_my_notes(folder):
    (folder / "review.md").write_text("# my notes\n")
    return ["--report", "review.md"], 1, "refusing to overwrite review.md: not generated by nbrefactor"


@pytest.mark.parametrize(
    "make",
    [report_over_the_notebook, report_through_a_link, report_on_a_linked_file, report_outside, report_under_check, report_when_the_conversion_refuses, report_over_my_notes],
)
def test_the_report_is_written_only_where_and_when_outputs_are(folder, make):
    arguments, status, message = make(folder)
    before = tree(folder)
    outside = tree(folder.parent / "outside") if (folder.parent / "outside").exists() else None

    result = run("convert", *arguments, "nb.ipynb")

    assert result.exit_code == status, result.stderr
    assert message in result.stderr
    assert not (folder / "outside" / "review.md").exists() and not (folder.parent / "review.md").exists()
    assert tree(folder) == before
    assert outside is None or tree(folder.parent / "outside") == outside


def test_the_report_lands_beside_the_outputs_and_is_replaced_next_time(folder):
    first = run("convert", "-o", "out", "--report", "out/review.md", "nb.ipynb")
    (folder / "nb.ipynb").write_text(CLEAN.replace("# Use", "# Use it"))
    second = run("convert", "-o", "out", "--report", "out/review.md", "nb.ipynb")

    assert (first.exit_code, second.exit_code) == (0, 0), second.stderr
    assert (folder / "out" / "review.md").read_text().startswith("## nbrefactor: `nb.ipynb` -> `nb.py`")
    assert "wrote out/review.md" in second.stderr


# --- --record protects what it would replace ----------------------------------------------------------

MARKING = notebook_text(("markdown", "# Mark"), ("code", "open('script-ran', 'w').write('x')\nvalue = 1"), ("markdown", "# Use"), ("code", "result = value + 1"))


def hand_edited_recorded_test(folder):
    (folder / "test_nb_recorded.py").write_text("def test_mine():\n    assert True\n")
    return 1, "refusing to overwrite test_nb_recorded.py: not generated by nbrefactor"


def fixtures_without_recorded_test(folder):
    return 1, "fixtures/nb: not generated by nbrefactor"


def symlinked_fixtures(folder):
    shutil.rmtree(folder / "fixtures")
    (folder / "elsewhere").mkdir()
    (folder / "fixtures").symlink_to(folder / "elsewhere")
    return 2, "fixtures: a symbolic link"


@pytest.mark.parametrize("make", [hand_edited_recorded_test, fixtures_without_recorded_test, symlinked_fixtures])
def test_record_refuses_before_running_anything_and_loses_nothing(folder, make):
    (folder / "nb.ipynb").write_text(MARKING)
    run("convert", "nb.ipynb")
    (folder / "fixtures" / "nb" / "split").mkdir(parents=True)
    (folder / "fixtures" / "nb" / "split" / "values.json").write_bytes(b"{\r\n}")
    status, message = make(folder)
    before = tree(folder)

    result = run("convert", "--record", "nb.ipynb")

    assert result.exit_code == status, result.stderr
    assert message in result.stderr
    assert tree(folder) == before
    assert not (folder / "script-ran").exists()


@pytest.mark.slow
@pytest.mark.parametrize("name", ['we"ird', "it's", "back\\slash", 'x"); import os; os.system("touch pwned"); ("', "new\nline"])
def test_recorded_tests_embed_any_folder_name_safely(tmp_path, name):
    notebook_folder = tmp_path / name
    notebook_folder.mkdir()
    notebook = notebook_folder / "nb.ipynb"
    notebook.write_text(notebook_text(("markdown", "# Double"), ("code", "x = 2"), ("markdown", "# Use"), ("code", "y = x * 2")))

    result = cli_runner().invoke(main, ["convert", "--record", "--record-timeout", "120", "-o", str(tmp_path / "out"), str(notebook)])

    assert result.exit_code == 0, result.stderr
    recorded = (tmp_path / "out" / "test_nb_recorded.py").read_text()
    compile(recorded, "test_nb_recorded.py", "exec")
    ran = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "test_nb_recorded.py"], cwd=tmp_path / "out", capture_output=True, text=True)
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert not list(tmp_path.rglob("pwned"))


# --- generated files embed notebook names safely -------------------------------------------------------

# (notebook file name, the module it becomes: its words in snake_case, a backslash read as a folder separator)
NAMES = [
    ('nb""";import os;os.system("touch pwned");""".ipynb', "nb_import_os_os_system_touch_pwned"),
    ("new\nline.ipynb", "new_line"),
    ("back\\slash.ipynb", "slash"),
    ("quote'.ipynb", "quote"),
    ("caf\udce9.ipynb", "caf"),
]


@pytest.mark.parametrize("name, module", NAMES, ids=["docstring-injection", "newline", "backslash", "quote", "not-utf8"])
def test_any_notebook_file_name_gives_compiling_outputs_that_name_it(folder, name, module):
    notebook = folder / name
    notebook.write_text(CLEAN)

    result = run("convert", "--check", name), run("convert", name), run("convert", "--check", name)

    assert [r.exit_code for r in result] == [1, 0, 0], result[1].stderr
    assert sorted(p.name for p in folder.glob("*.py")) == [f"{module}.py", f"test_{module}.py"]
    for produced in (f"{module}.py", f"test_{module}.py"):
        text = (folder / produced).read_text(encoding="utf-8", errors="surrogateescape")
        tree_ = ast.parse(text)
        assert all(isinstance(node, (ast.Import, ast.ImportFrom, ast.FunctionDef, ast.Expr, ast.If, ast.Assign)) for node in tree_.body)
        assert len(text.split("\n", 1)[0].splitlines()) == 1
    assert not list(folder.rglob("pwned"))


def test_an_unreadable_notebook_is_a_one_line_error(folder, monkeypatch):
    real = os.open

    def refuse(path, *args, **kwargs):
        if str(path).endswith("nb.ipynb"):
            raise PermissionError(13, "Permission denied")
        return real(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", refuse)

    result = run("convert", "nb.ipynb")

    assert (result.exit_code, result.stderr) == (2, "nb.ipynb: cannot read: Permission denied\n")


@pytest.mark.slow
@pytest.mark.skipif(os.geteuid() != 0 or shutil.which("setpriv") is None, reason="needs root to drop privileges")
def test_an_unreadable_notebook_as_another_user(folder):
    (folder / "nb.ipynb").chmod(0)
    folder.chmod(folder.stat().st_mode | stat.S_IXOTH | stat.S_IROTH)
    as_nobody = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", sys.executable]
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    importable = subprocess.run([*as_nobody, "-c", "import click, nbrefactor.cli"], cwd=folder, capture_output=True, env=env)
    if importable.returncode:
        pytest.skip("this environment's packages are not readable by another user")
    done = subprocess.run([*as_nobody, "-m", "nbrefactor", "convert", "--check", "nb.ipynb"], cwd=folder, capture_output=True, text=True, env=env)
    assert (done.returncode, done.stderr) == (2, "nb.ipynb: cannot read: Permission denied\n")
