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
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Iterator, List, Optional, Sequence, Tuple

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
    owners: Tuple[Tuple[str, str], ...] = ()  # (name, function) where the notebook's final value of name is bound


def verify_notebook(notebook: Path, *, python: str, timeout: float, flags: Optional[Dict] = None) -> Verdict:
    return check_equivalence(notebook, convert_for_verify(notebook, flags or {}), python=python, timeout=timeout)


def convert_for_verify(notebook: Path, flags: Dict) -> Conversion:
    from .config import settings_for
    from .magics import normalise
    from .pipeline import refactor
    from .reader import read_notebook
    from .textnotebook import read_notebook_file

    text = read_notebook_file(notebook)
    result = refactor(text, path=str(notebook), settings=settings_for(notebook, flags))
    cells = [normalise(cell) for cell in read_notebook(text, str(notebook)).code_cells]
    runnable = tuple((cell.cell.number, cell.python) for cell in cells if not cell.left_out)
    plan = result.plan
    return Conversion(runnable, plan.kind, plan.output_name, result.outputs[f"{plan.output_name}.py"], final_owners(plan))


def final_owners(plan) -> Tuple[Tuple[str, str], ...]:
    """(name, function) for each name whose last binding, in notebook order, is inside a function that does
    not return it: the script's main() never holds that value, the function's frame does."""
    owners: Dict[str, str] = {}
    for step in plan.steps:
        for name in _bound(step.settings):
            owners.pop(name, None)
        kept_inside = step.role == "step"
        for name in _bound(step.body):
            if kept_inside and name not in step.returns:
                owners[name] = step.name
            else:
                owners.pop(name, None)
    return tuple(sorted(owners.items()))


def _bound(statements) -> List[str]:
    return [name for statement in statements for name in statement.facts.binds + statement.facts.maybe_binds]


def check_equivalence(notebook: Path, conversion: Conversion, *, python: str, timeout: float) -> Verdict:
    """Run the notebook's cells twice and the conversion's script once, side by side, and compare what the
    script produced with what the notebook did; what two runs of the notebook disagree on is not compared."""
    with tempfile.TemporaryDirectory(prefix="nbrefactor-verify-") as scratch:
        work = Path(scratch)
        folders = {side: _copy_folder(notebook.parent, work / side) for side in SIDES}
        before = _snapshot(folders["notebook"])
        failures = _run_all(conversion, work, folders, python, timeout)
        if failures["notebook"] or failures["again"]:
            raise VerifyError(str(notebook), f"the notebook itself does not run: {failures['notebook'] or failures['again']}")
        if failures["script"]:
            return Verdict((), (), (f"the script does not run as the notebook does: {failures['script']}",))
        values = _compare_values(work, folders, python, timeout)
        files, file_differences, file_notes = _compare_files(before, folders, work, python, timeout)
    return Verdict(
        compared=tuple(values["compared"]),
        files=tuple(files),
        differences=tuple(values["differences"] + file_differences),
        notes=tuple(values["notes"] + file_notes),
    )


SIDES = ("notebook", "again", "script")  # the notebook, the notebook once more, the script


def _copy_folder(source: Path, target: Path) -> Path:
    """A writable copy (the source may be read-only), as the notebook writes files next to itself."""
    shutil.copytree(source, target, symlinks=True, ignore=shutil.ignore_patterns(*IGNORED_FOLDERS), copy_function=shutil.copyfile)
    for root, dirs, _ in os.walk(target):
        for name in dirs:
            os.chmod(os.path.join(root, name), 0o755)
    os.chmod(target, 0o755)
    return target


def _run_all(conversion: Conversion, work: Path, folders: Dict[str, Path], python: str, timeout: float) -> Dict[str, str]:
    """Run the three sides at once; side -> "" on success, else why it failed."""
    runs = _prepare_runs(conversion, work)
    with ThreadPoolExecutor(max_workers=len(runs)) as pool:
        futures = {side: pool.submit(run_child, python, arguments, folders[side], timeout, extra) for side, (arguments, extra) in runs.items()}
    return {side: future.result() for side, future in futures.items()}


def _prepare_runs(conversion: Conversion, work: Path) -> Dict[str, Tuple[List[str], Dict[str, str]]]:
    """side -> (capture.py arguments, extra environment), with the files they read written into `work`.

    The second notebook run gets another string-hash seed, so that set order counts as run-to-run change.
    The script lives outside the folder copy, so that it is not counted among the files the run wrote.
    """
    cells = [{"number": number, "code": code} for number, code in conversion.cells]
    (work / "cells.json").write_text(json.dumps(cells), encoding="utf-8")
    (work / "generated").mkdir()
    script = work / "generated" / f"{conversion.module}.py"
    script.write_text(conversion.script, encoding="utf-8")
    spec = {"entries": ENTRIES[conversion.kind], "owners": dict(conversion.owners) if conversion.kind == "train" else {}}
    (work / "script.json").write_text(json.dumps(spec), encoding="utf-8")
    return {
        "notebook": (["notebook", str(work / "cells.json"), str(work / "notebook.pkl")], {}),
        "again": (["notebook", str(work / "cells.json"), str(work / "again.pkl")], {"PYTHONHASHSEED": "1"}),
        "script": (["script", str(script), str(work / "script.json"), str(work / "script.pkl")], {}),
    }


def _compare_values(work: Path, folders: Dict[str, Path], python: str, timeout: float) -> dict:
    captures = [str(work / f"{side}.pkl") for side in SIDES]
    failure = run_child(python, ["compare", *captures, str(work / "values.json")], folders["notebook"], timeout)
    if failure:
        return {"compared": [], "differences": [f"values could not be compared: {failure}"], "notes": []}
    report = json.loads((work / "values.json").read_text(encoding="utf-8"))
    report["differences"] = [f"value {line}" for line in report["differences"]]
    return report


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


def files_under(folder: Path) -> Iterator[Path]:
    """Every file below `folder`, leaving out caches and version control."""
    for root, dirs, names in os.walk(folder):
        dirs[:] = [d for d in dirs if d not in IGNORED_FOLDERS]
        for name in names:
            path = Path(root) / name
            if path.is_file():
                yield path


def _snapshot(folder: Path) -> Dict[str, str]:
    """Relative path -> content digest of every file in `folder`."""
    return {path.relative_to(folder).as_posix(): _digest(path) for path in files_under(folder)}


def _digest(path: Path) -> str:
    hasher = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            hasher.update(block)
    return hasher.hexdigest()


def _written(before: Dict[str, str], folder: Path) -> Dict[str, str]:
    return {path: digest for path, digest in _snapshot(folder).items() if before.get(path) != digest}


def _compare_files(before, folders, work: Path, python: str, timeout: float) -> Tuple[List[str], List[str], List[str]]:
    """(files compared, differences, notes): new or changed files, by content, loaded when bytes differ.
    A file the two notebook runs wrote differently is not compared."""
    written = {side: _written(before, folder) for side, folder in folders.items()}
    unstable = sorted(path for path, digest in written["notebook"].items() if written["again"].get(path, digest) != digest)
    for side in ("notebook", "script"):
        written[side] = {path: digest for path, digest in written[side].items() if path not in unstable}
    differences = [f"file {path}: written by the {side} only" for side, other in (("notebook", "script"), ("script", "notebook"))
                   for path in sorted(set(written[side]) - set(written[other]))]
    both = sorted(set(written["notebook"]) & set(written["script"]))
    unequal = [path for path in both if written["notebook"][path] != written["script"][path]]
    loaded, notes = _compare_loaded(unequal, folders, work, python, timeout)
    notes = [f"{path}: not compared: written differently by two runs of the notebook itself" for path in unstable] + notes
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
