"""`python -m nbrefactor` is the console script: same commands, same output, same exit codes."""
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from nbrefactor import __version__

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "diabetes" / "diabetes_training.ipynb"


def _run_module(*args, cwd):
    return subprocess.run([sys.executable, "-m", "nbrefactor", *args], capture_output=True, text=True, cwd=cwd)


@pytest.mark.slow
def test_version(tmp_path):
    completed = _run_module("--version", cwd=tmp_path)

    assert completed.returncode == 0
    assert completed.stdout == f"nbrefactor, version {__version__}\n"


@pytest.mark.slow
@pytest.mark.parametrize(
    "args, exit_code",
    [
        (["convert", "--check", "diabetes_training.ipynb"], 1),
        (["convert", "missing.ipynb"], 2),
        (["convert", "--kind", "neither", "diabetes_training.ipynb"], 2),
    ],
)
def test_exit_codes_propagate(tmp_path, args, exit_code):
    shutil.copy(EXAMPLE, tmp_path)

    completed = _run_module(*args, cwd=tmp_path)

    assert completed.returncode == exit_code, completed.stderr
    assert "Traceback" not in completed.stderr


@pytest.mark.slow
def test_writes_the_same_files_as_the_console_script_and_exits_0(tmp_path):
    console_script = shutil.which("nbrefactor", path=str(Path(sys.executable).parent))
    if console_script is None:
        pytest.skip("the nbrefactor console script is not installed beside this interpreter")
    for folder, command in (("module", [sys.executable, "-m", "nbrefactor"]), ("script", [console_script])):
        (tmp_path / folder).mkdir()
        shutil.copy(EXAMPLE, tmp_path / folder)
        subprocess.run([*command, "convert", "diabetes_training.ipynb"], cwd=tmp_path / folder, check=True)

    for name in ("train.py", "test_train.py"):
        assert (tmp_path / "module" / name).read_bytes() == (tmp_path / "script" / name).read_bytes()


@pytest.mark.slow
def test_the_process_keeps_dependency_deprecations_off_stderr():
    code = (
        "import warnings\n"
        "from nbrefactor.cli import quiet_dependency_warnings\n"
        "quiet_dependency_warnings()\n"
        "warnings.warn('old API', DeprecationWarning)\n"
        "warnings.warn('soon old', PendingDeprecationWarning)\n"
        "warnings.warn('still shown', UserWarning)\n"
    )
    completed = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=dict(os.environ, PYTHONWARNINGS="default")
    )
    assert "old API" not in completed.stderr and "soon old" not in completed.stderr
    assert "still shown" in completed.stderr
