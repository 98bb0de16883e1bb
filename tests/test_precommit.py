"""End to end: a project uses the hooks from a clone of this repository, as pre-commit installs them.

pre-commit builds one virtual environment for the hooks (a plain `pip install .` of the clone, with its
dependencies from PyPI), so this test needs network access the first time and takes a few seconds.
"""
import importlib.util
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "diabetes" / "diabetes_training.ipynb"
NOTEBOOK = "diabetes_training.ipynb"
NOT_SOURCE = shutil.ignore_patterns(".git", "build", "dist", "*.egg-info", "__pycache__", ".pytest_cache", ".hypothesis", ".venv", "tests")


def pre_commit_command():
    if importlib.util.find_spec("pre_commit") is not None:
        return [sys.executable, "-m", "pre_commit"]
    found = shutil.which("pre-commit")
    return [found] if found else None


pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed"),
    pytest.mark.skipif(pre_commit_command() is None, reason="pre-commit is not installed (pip install pre-commit)"),
]


def command(*args, cwd, env, expect=0):
    done = subprocess.run([str(arg) for arg in args], cwd=cwd, env=env, capture_output=True, text=True)
    assert done.returncode == expect, f"{' '.join(map(str, args))} exited {done.returncode}:\n{done.stdout}\n{done.stderr}"
    return done.stdout + done.stderr


def git_environment(tmp_path):
    environment = dict(os.environ, PRE_COMMIT_HOME=str(tmp_path / "pre-commit-home"))
    environment.update(GIT_AUTHOR_NAME="test", GIT_AUTHOR_EMAIL="test@example.com", GIT_COMMITTER_NAME="test", GIT_COMMITTER_EMAIL="test@example.com")
    return environment


def hook_repository(tmp_path, env):
    """A git repository whose one commit holds this working tree; returns (path, commit sha)."""
    source = tmp_path / "nbrefactor-source"
    shutil.copytree(ROOT, source, ignore=NOT_SOURCE)
    command("git", "init", "-q", cwd=source, env=env)
    command("git", "add", "-A", cwd=source, env=env)
    command("git", "-c", "commit.gpgsign=false", "commit", "-q", "-m", "working tree", cwd=source, env=env)
    return source, command("git", "rev-parse", "HEAD", cwd=source, env=env).strip()


def readme_snippet() -> str:
    """The `.pre-commit-config.yaml` the README shows, as written there."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    return readme.split("```yaml\n# .pre-commit-config.yaml\n", 1)[1].split("```", 1)[0]


def project_using_hooks(tmp_path, env):
    """A project configured with the README's snippet, its `repo:` naming a local clone, pinned the
    way the README says; the check hook enabled too (manual stage)."""
    source, sha = hook_repository(tmp_path, env)
    project = tmp_path / "project"
    project.mkdir()
    command("git", "init", "-q", cwd=project, env=env)
    shutil.copy(EXAMPLE, project / NOTEBOOK)
    snippet = readme_snippet()
    url = snippet.split("repo: ", 1)[1].split()[0]
    snippet = snippet.replace(url, source.as_posix()).replace("# - id: nbrefactor-check", "- id: nbrefactor-check\n        stages: [manual]")
    (project / ".pre-commit-config.yaml").write_text(snippet)
    command(*pre_commit_command(), "autoupdate", "--bleeding-edge", "--freeze", cwd=project, env=env)
    assert f"rev: {sha}" in (project / ".pre-commit-config.yaml").read_text()
    command("git", "add", "-A", cwd=project, env=env)
    return project


def edit_notebook(path, change):
    notebook = json.loads(path.read_text(encoding="utf-8"))
    for cell in notebook["cells"]:
        if cell["cell_type"] == "code":
            change(cell)
    path.write_text(json.dumps(notebook, indent=1) + "\n", encoding="utf-8")


def change_alpha(cell):
    cell["source"] = "".join(cell["source"]).replace('"alpha": 0.5', '"alpha": 0.9')


def rerun(cell):
    cell["execution_count"] = (cell["execution_count"] or 0) + 10
    cell["outputs"] = [{"output_type": "stream", "name": "stdout", "text": ["again\n"]}]


def test_hooks_regenerate_check_and_ignore_outputs(tmp_path):
    env = git_environment(tmp_path)
    project = project_using_hooks(tmp_path, env)
    hooks = pre_commit_command() + ["run", "--all-files"]
    check = pre_commit_command() + ["run", "nbrefactor-check", "--hook-stage", "manual", "--all-files"]

    first = command(*hooks, cwd=project, env=env, expect=1)
    assert (project / "train.py").is_file() and (project / "test_train.py").is_file()
    assert "git add train.py test_train.py" in first

    command("git", "add", "-A", cwd=project, env=env)
    command(*hooks, cwd=project, env=env, expect=0)
    command(*check, cwd=project, env=env, expect=0)


def _core_codes_undefined_names() -> bool:
    from nbrefactor import refactor

    text = EXAMPLE.read_text(encoding="utf-8").replace("value=reg_model", "value=reg")
    return any(f.code == "NB101" for f in refactor(text, path="nb.ipynb").findings)


@pytest.mark.skipif(not _core_codes_undefined_names(), reason="this core does not give undefined names their code yet")
def test_an_error_fails_the_hook_on_every_run(tmp_path):
    env = git_environment(tmp_path)
    project = project_using_hooks(tmp_path, env)
    edit_notebook(project / NOTEBOOK, lambda cell: cell.update(source="".join(cell["source"]).replace("value=reg_model", "value=reg")))
    command("git", "add", "-A", cwd=project, env=env)
    hooks = pre_commit_command() + ["run", "--all-files"]

    for _ in range(2):  # not only when it writes
        failed = command(*hooks, cwd=project, env=env, expect=1)
        assert "undefined name 'reg'" in failed and 'ignore = ["NB101"]' in failed
        command("git", "add", "-A", cwd=project, env=env)

    edit_notebook(project / NOTEBOOK, change_alpha)
    command("git", "add", NOTEBOOK, cwd=project, env=env)
    stale = command(*check, cwd=project, env=env, expect=1)
    assert "would change train.py (stale)" in stale
    assert '"alpha": 0.5' in (project / "train.py").read_text()
    command(*hooks, cwd=project, env=env, expect=1)
    assert '"alpha": 0.9' in (project / "train.py").read_text()

    command("git", "add", "-A", cwd=project, env=env)
    edit_notebook(project / NOTEBOOK, rerun)
    command("git", "add", NOTEBOOK, cwd=project, env=env)
    command(*hooks, cwd=project, env=env, expect=0)
    command(*check, cwd=project, env=env, expect=0)


def _core_codes_undefined_names() -> bool:
    from nbrefactor import refactor

    text = EXAMPLE.read_text(encoding="utf-8").replace("value=reg_model", "value=reg")
    return any(f.code == "NB101" for f in refactor(text, path="nb.ipynb").findings)


@pytest.mark.skipif(not _core_codes_undefined_names(), reason="this core does not give undefined names their code yet")
def test_an_error_fails_the_hook_on_every_run(tmp_path):
    env = git_environment(tmp_path)
    project = project_using_hooks(tmp_path, env)
    edit_notebook(project / NOTEBOOK, lambda cell: cell.update(source="".join(cell["source"]).replace("value=reg_model", "value=reg")))
    command("git", "add", "-A", cwd=project, env=env)
    hooks = pre_commit_command() + ["run", "--all-files"]

    for _ in range(2):  # not only when it writes
        failed = command(*hooks, cwd=project, env=env, expect=1)
        assert "undefined name 'reg'" in failed and 'ignore = ["NB101"]' in failed
        command("git", "add", "-A", cwd=project, env=env)
