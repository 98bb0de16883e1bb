"""`nbrefactor verify`: run a notebook and its conversion, each in a fresh process and a fresh copy of
the notebook's folder, and compare what they produced: the values the entry point holds and the files
written. This executes the notebook's code; `convert` never does.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple

from .model import NotebookError

CAPTURE = Path(__file__).resolve().parent / "capture.py"
IGNORED_FOLDERS = {"__pycache__", ".ipynb_checkpoints", ".git"}
ENTRIES = {"train": ["main"], "score": ["init", "run"]}


class VerifyError(NotebookError):
    """The notebook cannot be verified: it does not convert, or it fails when run as it is."""


@dataclass(frozen=True)
class Verdict:
    compared: Tuple[str, ...]  # names whose values were compared
    files: Tuple[str, ...]  # files both runs wrote, compared by content
    differences: Tuple[str, ...]
    notes: Tuple[str, ...] = ()

    @property
    def equivalent(self) -> bool:
        return not self.differences

    def format(self) -> str:
        values, files = len(self.compared), len(self.files)
        counts = f"{values} value{'s' * (values != 1)}, {files} file{'s' * (files != 1)} compared"
        lines = [f"equivalent: {counts}"] if self.equivalent else [f"not equivalent: {counts}; differences:"]
        lines += [f"  {difference}" for difference in self.differences]
        lines.append("values compared: " + (", ".join(self.compared) or "none"))
        if self.files:
            lines.append("files compared: " + ", ".join(self.files))
        lines += [f"note: {note}" for note in self.notes]
        return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class Conversion:
    """What verify needs of a conversion: the notebook's runnable cells and the generated script."""

    cells: Tuple[Tuple[int, str], ...]  # (code cell number, Python after magics are normalised)
    kind: str
    module: str
    script: str


def verify_notebook(notebook: Path, *, python: str, timeout: float, flags: Optional[Dict] = None) -> Verdict:
    return check_equivalence(notebook, convert_for_verify(notebook, flags or {}), python=python, timeout=timeout)


def convert_for_verify(notebook: Path, flags: Dict) -> Conversion:
    from .config import settings_for
    from .magics import normalise
    from .pipeline import refactor
    from .reader import read_notebook
    from .textnotebook import as_notebook_json

    try:
        text = as_notebook_json(notebook.read_bytes().decode("utf-8"), str(notebook))
    except (OSError, UnicodeDecodeError) as error:
        raise VerifyError(str(notebook), f"cannot read: {error}")
    result = refactor(text, path=str(notebook), settings=settings_for(notebook, flags))
    cells = [normalise(cell) for cell in read_notebook(text, str(notebook)).code_cells]
    runnable = tuple((cell.cell.number, cell.python) for cell in cells if not cell.left_out)
    plan = result.plan
    return Conversion(runnable, plan.kind, plan.output_name, result.outputs[f"{plan.output_name}.py"])


def check_equivalence(notebook: Path, conversion: Conversion, *, python: str, timeout: float) -> Verdict:
    """Run the notebook's cells and the conversion's script side by side and compare what they produced."""
    with tempfile.TemporaryDirectory(prefix="nbrefactor-verify-") as scratch:
        work = Path(scratch)
        folders = {side: _copy_folder(notebook.parent, work / side) for side in ("notebook", "script")}
        before = _snapshot(folders["notebook"])
        _run_notebook(conversion, work, folders["notebook"], python, timeout, str(notebook))
        script_failure = _run_script(conversion, work, folders["script"], python, timeout)
        if script_failure:
            return Verdict((), (), (script_failure,))
        values = _values_report(work)
        files, file_differences, file_notes = _compare_files(before, folders, work, python, timeout)
    return Verdict(
        compared=tuple(values["compared"]),
        files=tuple(files),
        differences=tuple(values["differences"] + file_differences),
        notes=tuple(values["notes"] + file_notes),
    )


def _copy_folder(source: Path, target: Path) -> Path:
    """A writable copy (the source may be read-only), as the notebook writes files next to itself."""
    shutil.copytree(source, target, symlinks=True, ignore=shutil.ignore_patterns(*IGNORED_FOLDERS), copy_function=shutil.copyfile)
    for root, dirs, _ in os.walk(target):
        for name in dirs:
            os.chmod(os.path.join(root, name), 0o755)
    os.chmod(target, 0o755)
    return target


def _run_notebook(conversion: Conversion, work: Path, folder: Path, python: str, timeout: float, label: str) -> None:
    cells = [{"number": number, "code": code} for number, code in conversion.cells]
    (work / "cells.json").write_text(json.dumps(cells), encoding="utf-8")
    failure = run_child(python, ["notebook", str(work / "cells.json"), str(work / "notebook.pkl")], folder, timeout)
    if failure:
        raise VerifyError(label, f"the notebook itself does not run: {failure}")


def _run_script(conversion: Conversion, work: Path, folder: Path, python: str, timeout: float) -> str:
    """Run the script and compare its values with the notebook's; "" on success.

    The script lives outside the folder copy, so that it is not counted among the files the run wrote.
    """
    (work / "generated").mkdir()
    script = work / "generated" / f"{conversion.module}.py"
    script.write_text(conversion.script, encoding="utf-8")
    (work / "entries.json").write_text(json.dumps(ENTRIES[conversion.kind]), encoding="utf-8")
    arguments = ["script", str(script), str(work / "entries.json"), str(work / "notebook.pkl"), str(work / "values.json")]
    failure = run_child(python, arguments, folder, timeout)
    return f"the script does not run as the notebook does: {failure}" if failure else ""


def run_child(python: str, arguments: Sequence[str], folder: Path, timeout: float, extra_environment: Optional[Dict[str, str]] = None) -> str:
    """Run capture.py in `folder`; "" on success, else the reason it failed."""
    try:
        completed = subprocess.run(
            [python, str(CAPTURE), *arguments], cwd=folder, env=dict(child_environment(), **(extra_environment or {})),
            stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=timeout,
        )
    except subprocess.TimeoutExpired:
        return f"timed out after {timeout:g} s"
    except OSError as error:
        return f"cannot start {python}: {error.strerror or error}"
    if completed.returncode == 0:
        return ""
    return failure_line(completed.stderr) or f"exit status {completed.returncode}"


def child_environment() -> Dict[str, str]:
    """No windows for plots, no bytecode files in the folders, and the same string hashing in every run."""
    return dict(os.environ, MPLBACKEND="Agg", PYTHONDONTWRITEBYTECODE="1", PYTHONHASHSEED="0")


def failure_line(stderr: str) -> str:
    marked = [line for line in stderr.splitlines() if line.startswith("nbrefactor-failure: ")]
    if marked:
        return marked[-1][len("nbrefactor-failure: "):]
    lines = [line for line in stderr.strip().splitlines() if line.strip()]
    return lines[-1] if lines else ""


def _values_report(work: Path) -> dict:
    report = json.loads((work / "values.json").read_text(encoding="utf-8"))
    report["differences"] = [f"value {line}" for line in report["differences"]]
    return report


def _snapshot(folder: Path) -> Dict[str, str]:
    """Relative path -> content digest of every file in `folder`."""
    digests = {}
    for root, dirs, names in os.walk(folder):
        dirs[:] = [d for d in dirs if d not in IGNORED_FOLDERS]
        for name in names:
            path = Path(root) / name
            if path.is_file():
                digests[path.relative_to(folder).as_posix()] = _digest(path)
    return digests


def _digest(path: Path) -> str:
    hasher = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            hasher.update(block)
    return hasher.hexdigest()


def _written(before: Dict[str, str], folder: Path) -> Dict[str, str]:
    return {path: digest for path, digest in _snapshot(folder).items() if before.get(path) != digest}


def _compare_files(before, folders, work: Path, python: str, timeout: float) -> Tuple[List[str], List[str], List[str]]:
    """(files compared, differences, notes): new or changed files, by content, loaded when bytes differ."""
    written = {side: _written(before, folder) for side, folder in folders.items()}
    differences = [f"file {path}: written by the {side} only" for side, other in (("notebook", "script"), ("script", "notebook"))
                   for path in sorted(set(written[side]) - set(written[other]))]
    both = sorted(set(written["notebook"]) & set(written["script"]))
    unequal = [path for path in both if written["notebook"][path] != written["script"][path]]
    loaded, notes = _compare_loaded(unequal, folders, work, python, timeout)
    return both, differences + loaded, notes


def _compare_loaded(paths: List[str], folders, work: Path, python: str, timeout: float) -> Tuple[List[str], List[str]]:
    """Files whose bytes differ may still hold equal values (pickles of equal objects): load and compare."""
    if not paths:
        return [], []
    spec = {"left": str(folders["notebook"]), "right": str(folders["script"]), "paths": paths}
    (work / "files.json").write_text(json.dumps(spec), encoding="utf-8")
    out = work / "files-report.json"
    failure = run_child(python, ["compare-files", str(work / "files.json"), str(out)], folders["notebook"], timeout)
    if failure:
        return [f"file {path}: contents differ" for path in paths], [f"files could not be loaded: {failure}"]
    report = json.loads(out.read_text(encoding="utf-8"))
    return [f"file {line}" for line in report["differences"]], report["notes"]
