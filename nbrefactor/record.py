"""`nbrefactor convert --record`: run the generated script, record each function's first call, and turn
the recordings into tests with fixtures. This executes the script, in the notebook's folder (so it
reads and writes the files the notebook does); the plain conversion never runs anything.
"""
from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Tuple

from .model import NotebookError, Result
from .verify import files_under, run_child

RUNS = 2  # two runs tell values that change from run to run from those that do not


class RecordError(NotebookError):
    """The script could not be recorded: it failed, or timed out."""


@dataclass(frozen=True)
class Recording:
    test_file: Path
    text: str
    functions: Dict[str, dict]  # function name (fixtures.MAIN_KEY for main) -> what its test checks, or why it is skipped


def record_conversion(notebook: Path, result: Result, output_dir: Path, *, python: str, timeout: float) -> Recording:
    """Run the script written in `output_dir` twice in the notebook's folder; store fixtures; render the tests."""
    from .testgen import recorded_test_module

    plan = result.plan
    module = plan.output_name
    functions = [step.name for step in plan.steps if not step.inline]
    fixtures = output_dir / "fixtures" / module
    with tempfile.TemporaryDirectory(prefix="nbrefactor-record-") as scratch:
        work = Path(scratch)
        entry = "main" if plan.kind == "train" else ""
        spec = _write_json(work / "spec.json", {"functions": functions, "globals": list(plan.globals_), "entry": entry})
        recordings, written = [], []
        for run in range(1, RUNS + 1):
            before = _stamps(notebook.parent)
            recordings.append(_record_once(output_dir / f"{module}.py", module, spec, work / f"run{run}.pkl", notebook, python, timeout, run))
            written.append(written_since(before, notebook.parent))
        outputs = {"entry": entry, "outputs": sorted(set().union(*written)), "writes": sorted(set.intersection(*map(set, written)))}
        report = _store(output_dir, module, recordings, fixtures, functions, work, notebook, python, timeout, outputs)
    label = _relative(notebook.parent, output_dir)
    header = result.outputs[f"{module}.py"]
    text = recorded_test_module(plan, module, report, header, notebook_folder=label, fixtures=fixtures.relative_to(output_dir).as_posix())
    return Recording(output_dir / f"test_{module}_recorded.py", text, report)


def _write_json(path: Path, value) -> Path:
    path.write_text(json.dumps(value), encoding="utf-8")
    return path


def _record_once(script: Path, module: str, spec: Path, out: Path, notebook: Path, python: str, timeout: float, run: int) -> Path:
    """One run of the script's entry, with a different string-hash seed each time (set order may change)."""
    arguments = ["record", str(script.resolve()), module, str(spec), str(out)]
    failure = _run(python, arguments, notebook.parent, timeout, {"PYTHONHASHSEED": str(run)})
    if failure:
        raise RecordError(str(notebook), f"recording failed: {script.name} {failure}")
    return out


def _stamps(folder: Path) -> Dict[str, Tuple[int, int]]:
    """Relative path -> (modification time, size) of every file under `folder`."""
    stamps = {}
    for path in files_under(folder):
        try:
            status = path.stat()
        except OSError:
            continue
        stamps[path.relative_to(folder).as_posix()] = (status.st_mtime_ns, status.st_size)
    return stamps


def written_since(before: Dict[str, Tuple[int, int]], folder: Path) -> List[str]:
    """Files under `folder` created or changed since `before`: what the script writes, which its recorded
    test of main() must not find already there (nor overwrite in the notebook's folder)."""
    return sorted(path for path, stamp in _stamps(folder).items() if before.get(path) != stamp)


def _store(output_dir: Path, module: str, recordings, fixtures: Path, functions, work: Path, notebook: Path, python: str, timeout: float, main: dict) -> Dict[str, dict]:
    spec = {
        "script_dir": str(output_dir.resolve()), "module": module, "recordings": [str(r) for r in recordings],
        "fixtures": str(fixtures.resolve()), "functions": functions, "out": str(work / "report.json"), **main,
    }
    failure = _run(python, ["store", str(_write_json(work / "store.json", spec))], notebook.parent, timeout, {})
    if failure:
        raise RecordError(str(notebook), f"storing the recorded values failed: {failure}")
    return json.loads((work / "report.json").read_text(encoding="utf-8"))


def _run(python: str, arguments, folder: Path, timeout: float, extra: Dict[str, str]) -> str:
    failure = run_child(python, arguments, folder, timeout, extra)
    return failure.replace("timed out after", "timed out (--record-timeout) after")


def _relative(folder: Path, output_dir: Path) -> str:
    try:
        return Path(os.path.relpath(folder.resolve(), output_dir.resolve())).as_posix()
    except ValueError:
        return str(folder.resolve())


def summary(recording: Recording) -> Tuple[int, int, int]:
    """(functions whose values are checked, checked by type and shape only, skipped)."""
    statuses = [entry["status"] for entry in recording.functions.values()]
    return statuses.count("values"), statuses.count("shape"), statuses.count("skip")


def record_all(converted, *, python: str, timeout: float, force: bool, echo) -> int:
    """Record each converted notebook's script and write its recorded tests; the exit status."""
    from .writer import UNCHANGED, WriteError, survey, write_all

    for notebook, result, output_dir in converted:
        try:
            recording = record_conversion(notebook, result, output_dir, python=python, timeout=timeout)
        except RecordError as error:
            echo(str(error))
            return 1
        planned = survey([(recording.test_file, recording.text)])
        if any(item.blocked for item in planned) and not force:
            echo(f"refusing to overwrite {recording.test_file}: {planned[0].state}; use --force to replace it")
            return 1
        try:
            write_all([item for item in planned if item.state != UNCHANGED])
        except WriteError as error:
            echo(f"error: {error}")
            return 2
        checked, shaped, skipped = summary(recording)
        echo(f"recorded {recording.test_file}: {checked} checked by value, {shaped} by type and shape, {skipped} skipped")
    return 0
