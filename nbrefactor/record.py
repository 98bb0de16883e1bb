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


def record_conversion(notebook: Path, result: Result, output_dir: Path, *, python: str, timeout: float, work: Path) -> Recording:
    """Run the script written in `output_dir` twice in the notebook's folder; store the fixtures in
    `work/fixtures` (the writer moves them into place); render the tests."""
    from .testgen import recorded_test_module

    plan = result.plan
    module = plan.output_name
    functions = [step.name for step in plan.steps if not step.inline]
    entry = plan.entry if plan.kind != "score" else ""
    spec = _write_json(work / "spec.json", {"functions": functions, "globals": list(plan.globals_), "entry": entry})
    recordings, written = [], []
    for run in range(1, RUNS + 1):
        before = _stamps(notebook.parent)
        recordings.append(_record_once(output_dir / f"{module}.py", module, spec, work / f"run{run}.pkl", notebook, python, timeout, run))
        written.append(written_since(before, notebook.parent))
    outputs = {"entry": entry, "outputs": sorted(set().union(*written)), "writes": sorted(set.intersection(*map(set, written)))}
    report = _store(output_dir, module, recordings, work / "fixtures", functions, work, notebook, python, timeout, outputs)
    label = _relative(notebook.parent, output_dir)
    header = result.outputs[f"{module}.py"]
    text = recorded_test_module(plan, module, report, header, notebook_folder=label, fixtures=f"fixtures/{module}")
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


def record_all(converted, mode, messages) -> None:
    """Record each converted notebook's script and write its recorded tests and fixtures, all or none
    per notebook, through the one writer: nothing is touched when the recorded test is protected."""
    with messages.progress(list(converted), "recording", always=True) as progress:
        for done in progress:
            _record_one(done, mode, messages)


def _record_one(done, mode, messages) -> None:
    from .writer import WriteError, write_all

    source = done.source
    test_file = source.output_dir / f"test_{done.module}_recorded.py"
    try:
        if _refused(_protection(done, test_file), mode, messages):
            return
        with tempfile.TemporaryDirectory(prefix="nbrefactor-record-") as scratch:
            recording = record_conversion(source.notebook, done.result, source.output_dir, python=mode.python, timeout=mode.record_timeout, work=Path(scratch))
            text = _stamped(recording.text, done)
            planned = _survey_recorded(done, test_file, text, _fixture_files(Path(scratch) / "fixtures"))
            if _refused(planned, mode, messages):
                return
            write_all(planned)
    except (RecordError, WriteError) as error:
        messages.error(source.name, str(error))
        return
    checked, shaped, skipped = summary(recording)
    messages.say(f"recorded {test_file}: {checked} checked by value, {shaped} by type and shape, {skipped} skipped", level=1)


def _stamped(text: str, done) -> str:
    from .render import check_compiles, restamped

    stamped = restamped(text, done.source.label, done.digest, done.codes)
    try:
        check_compiles(stamped, f"test_{done.module}_recorded.py")
    except NotebookError as error:
        raise RecordError(done.source.name, str(error)) from None
    return stamped


def _fixture_files(folder: Path) -> Dict[str, bytes]:
    """Relative path -> bytes of every file the recording stored."""
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()}


def _protection(done, test_file: Path):
    """Before anything runs: the recorded test as it stands, and a fixture folder with no recorded test."""
    from .writer import DATA, FOREIGN, NEW, Output, Planned, survey

    root = done.source.output_dir
    survey([Output(root / "fixtures" / done.module / "values.json", b"", root, kind=DATA)])  # a link on the way is an error
    planned = [item for item in survey([Output.code(test_file, "", root, done.source.label)]) if item.state != NEW]
    if _files_under(root / "fixtures" / done.module) and not test_file.exists():
        planned.append(Planned(root / "fixtures" / done.module, None, FOREIGN))
    return planned


def _survey_recorded(done, test_file: Path, text: str, fixtures: Dict[str, bytes]):
    """The recorded test and its fixture folder as one set: new files, changed files, files removed."""
    from .writer import DATA, Output, survey

    root = done.source.output_dir
    folder = root / "fixtures" / done.module
    stale = [p.relative_to(folder).as_posix() for p in _files_under(folder)]
    outputs = [Output.code(test_file, text, root, done.source.label)]
    outputs += [Output(folder / name, data, root, kind=DATA) for name, data in fixtures.items()]
    outputs += [Output(folder / name, None, root, kind=DATA) for name in stale if name not in fixtures]
    return survey(outputs, [done.source.notebook])


def _files_under(folder: Path) -> List[Path]:
    if folder.is_symlink() or not folder.is_dir():
        return []
    return [Path(top) / name for top, _, names in os.walk(folder) for name in names]


def _refused(planned, mode, messages) -> bool:
    blocked = [item for item in planned if item.blocked]
    if not blocked or mode.force:
        return False
    for item in blocked:
        messages.say(f"refusing to overwrite {item.path}: {item.state}; use --force to replace it", level=0)
    messages.fail(1)
    return True
