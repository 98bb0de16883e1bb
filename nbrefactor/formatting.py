"""Optional formatting of the generated Python with black or ruff (`format = "black"` in the configuration).

Off by default: the generated code keeps the notebook's own layout. When asked for, the formatter must be
installed; black is imported (it checks that the formatted code means the same), ruff runs as the `ruff
format` command of the environment nbrefactor runs in, reading the project's ruff settings as it does
from the command line. A formatter that is missing or fails is a one-line error, and nothing is written.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys

from .model import NotebookError


def formatted(text: str, tool: str, path: str, name: str) -> str:
    """`text` (the file `name` generated from the notebook `path`) as `tool` formats it."""
    if tool == "black":
        return _black(text, path)
    return _ruff(text, path, name)


def _black(text: str, path: str) -> str:
    try:
        import black
    except ImportError:
        raise NotebookError(path, "format = \"black\", but black is not installed (pip install black)") from None
    try:  # fast=False: black proves the formatted code equivalent (same AST) and stable before returning it
        return black.format_file_contents(text, fast=False, mode=black.Mode())
    except black.NothingChanged:
        return text
    except Exception as error:  # black reports code it cannot format safely with its own exceptions
        raise NotebookError(path, f"black could not format the generated code: {_first_line(error)}") from None


def _ruff(text: str, path: str, name: str) -> str:
    command = _ruff_command()
    if command is None:
        raise NotebookError(path, "format = \"ruff\", but ruff is not installed (pip install ruff)")
    done = subprocess.run([*command, "format", "--stdin-filename", name, "-"], input=text, capture_output=True,
                          text=True, encoding="utf-8", env={**os.environ, "NO_COLOR": "1"})
    if done.returncode:
        raise NotebookError(path, f"ruff could not format the generated code: {_first_line(done.stderr)}")
    return done.stdout


def _ruff_command():
    beside = os.path.join(os.path.dirname(sys.executable), "ruff")
    if os.path.isfile(beside) and os.access(beside, os.X_OK):
        return [beside]
    found = shutil.which("ruff")
    return [found] if found else None


def _first_line(error: object) -> str:
    lines = str(error).strip().splitlines()
    return lines[0] if lines else type(error).__name__
