"""The differential oracle: run a case as a notebook in a real kernel and as its converted script, each in
a fresh folder, compare what a user would see, and classify the case.

Compared: how each run ended (every cell ran vs exit status 0; a failing notebook must fail in the script,
with the same exception type), stdout (the notebook's stream stdout, less what the statements the
conversion reports as removed output printed, vs the script's stdout), the files each run created,
changed or deleted (by content digest), and the final value of every public name the notebook bound,
looked up where `Result.state` says the script holds it.

Classes: `same` (all equal, no fallback finding), `kept` (all equal with an NB2xx fallback finding, or a
difference that an error-severity finding located in a cell explains), `refused` (convert stopped with
a located one-line error), `silent` (a difference and no error finding) and `crashed` (convert failed
with anything but a located refusal). Only `silent` and `crashed` are failures of the converter.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional, Tuple

import casefile
import interim_kernel as execution
import statedigest

CLASSES = ("same", "kept", "refused", "silent", "crashed")
FAILURES = ("silent", "crashed")
TIMING = re.compile(r"^(CPU times:|Wall time:).*$", re.MULTILINE)
NOTEBOOK_FILE = "notebook.ipynb"


@dataclass
class Outcome:
    case: str
    classification: str
    codes: Tuple[str, ...] = ()  # finding codes of the conversion
    differences: Tuple[str, ...] = ()  # what differed between notebook and script
    problems: Tuple[str, ...] = ()  # broken claims: expect header, notebook outcome, compile, determinism, CLI
    notebook_ok: bool = True
    refusal: str = ""
    seconds: Dict[str, float] = field(default_factory=dict)

    @property
    def failed(self) -> bool:
        return self.classification in FAILURES or bool(self.problems)


@dataclass
class Conversion:
    result: object = None
    refusal: Optional[BaseException] = None
    crash: str = ""
    problems: List[str] = field(default_factory=list)


def run_case(case: casefile.Case, pool, *, through_cli: bool = False, notebook_runs: Optional[dict] = None) -> Outcome:
    """Run, convert, run the script, compare and classify one case."""
    text = casefile.notebook_json(case)
    seconds: Dict[str, float] = {}
    notebook, notebook_files, notebook_folder = _notebook_run(case, text, pool, notebook_runs, seconds)
    started = time.perf_counter()
    conversion = convert(text)
    if through_cli:
        conversion.problems += cli_problems(text, conversion)
    seconds["convert"] = time.perf_counter() - started
    problems = conversion.problems + _notebook_claims(case, notebook)
    codes = tuple(sorted({f.code for f in conversion.result.findings})) if conversion.result else ()
    if conversion.result is None:
        classification, refusal = _refusal_class(conversion)
        problems += _expect_problems(case, classification)
        return Outcome(case.name, classification, codes, (), tuple(problems), notebook.ok, refusal, seconds)
    script, script_files, script_folder = _script_run(case, text, conversion.result, seconds)
    differences = compare(notebook, notebook_files, notebook_folder, script, script_files, script_folder, conversion.result)
    classification = classify(conversion.result, differences)
    problems += _expect_problems(case, classification)
    for folder in (script_folder, notebook_folder):
        shutil.rmtree(folder, ignore_errors=True)
    return Outcome(case.name, classification, codes, tuple(differences), tuple(problems), notebook.ok, "", seconds)


def _notebook_run(case, text, pool, cache, seconds):
    """The notebook's run, reused within one process when the same case is asked for twice."""
    if cache is not None and case.name in cache:
        return cache[case.name]
    started = time.perf_counter()
    run, folder = execution.run_notebook(text, pool, case.input_files())
    seconds["notebook"] = time.perf_counter() - started
    entry = (run, run.files, folder)
    if cache is not None:
        cache[case.name] = entry
    return entry


def convert(text: str) -> Conversion:
    from nbrefactor import refactor
    from nbrefactor.model import NotebookError

    try:
        first = refactor(text, path=NOTEBOOK_FILE)
    except NotebookError as error:
        return Conversion(refusal=error)
    except Exception:
        return Conversion(crash=traceback.format_exc(limit=-3).strip().splitlines()[-1])
    problems = [f"{name} does not compile: {error}" for name, error in _compile_errors(first.files)]
    if refactor(text, path=NOTEBOOK_FILE).files != first.files:
        problems.append("converting twice gave different bytes")
    return Conversion(result=first, problems=problems)


def _compile_errors(files):
    for name, source in files:
        if name.endswith(".py"):
            try:
                compile(source, name, "exec")
            except SyntaxError as error:
                yield name, error


def cli_problems(text: str, conversion: Conversion) -> List[str]:
    """`nbrefactor convert` in a fresh folder must agree with the in-process conversion."""
    with tempfile.TemporaryDirectory(prefix="nbdiff-cli-") as folder:
        notebook = Path(folder) / NOTEBOOK_FILE
        notebook.write_text(text, encoding="utf-8")
        out = Path(folder)
        done = subprocess.run([sys.executable, "-m", "nbrefactor", "convert", NOTEBOOK_FILE],
                              capture_output=True, text=True, cwd=folder)
        if conversion.refusal is not None:
            lines = done.stderr.strip().splitlines()
            written = sorted(p.name for p in out.iterdir() if p.name != NOTEBOOK_FILE)
            if done.returncode != 2 or len(lines) != 1 or written:
                return [f"CLI refusal: exit {done.returncode}, {len(lines)} stderr lines, files written: {written}"]
            return []
        if done.returncode not in (0, 1):
            return [f"CLI exit {done.returncode}: {done.stderr.strip()[-300:]}"]
        if conversion.result is None:
            return []
        written = {name: (out / name).read_text(encoding="utf-8") for name, _ in conversion.result.files if (out / name).exists()}
        if written != dict(conversion.result.files):
            return ["CLI wrote other files than the in-process conversion"]
    return []


def _refusal_class(conversion: Conversion) -> Tuple[str, str]:
    if conversion.refusal is None:
        return "crashed", conversion.crash
    message = str(conversion.refusal)
    located = getattr(conversion.refusal, "cell", 0) > 0 and "\n" not in message
    return ("refused" if located else "crashed"), message


def _script_run(case, text, result, seconds):
    folder = Path(tempfile.mkdtemp(prefix="nbdiff-py-"))
    execution.place_inputs(folder, case.input_files())
    (folder / NOTEBOOK_FILE).write_text(text, encoding="utf-8")
    for name, source in result.files:
        (folder / name).write_text(source, encoding="utf-8")
    script = next(name for name, _ in result.files if name.endswith(".py") and not name.startswith("test_"))
    started = time.perf_counter()
    run = execution.run_script(folder, script, holders_of(result))
    seconds["script"] = time.perf_counter() - started
    return run, run.files, folder


def holders_of(result) -> List[str]:
    """What the script runner must keep: the module's globals and the locals of the functions that hold
    final values (the entry point's among them)."""
    entry = _entry(result)
    wanted = {_holder(where, entry) for _, where in result.state if where != "removed"}
    return sorted(wanted | {_holder("main", entry), "module"})


def _entry(result) -> str:
    return getattr(result.plan, "entry", "main") or "main"


def _holder(where: str, entry: str) -> str:
    """"main" is the entry point, whatever its name; "init" and "run" are the scoring functions."""
    if where == "main":
        return f"function:{entry}"
    return f"function:{where}" if where in ("init", "run") else where


def compare(notebook, notebook_files, notebook_folder, script, script_files, script_folder, result) -> List[str]:
    differences = []
    differences += _status_differences(notebook, script)
    expected = _normalised(expected_stdout(notebook, result.changes), notebook_folder)
    actual = _normalised(script.stdout, script_folder)
    if expected != actual:
        differences.append("stdout: " + _first_difference(expected, actual))
    for path in sorted(set(notebook_files) | set(script_files)):
        if notebook_files.get(path, "absent") != script_files.get(path, "absent"):
            differences.append(f"file {path}: {_file_state(notebook_files, path)} vs {_file_state(script_files, path)}")
    if notebook.ok and script.ok:
        folders = (notebook_folder, script_folder)
        differences += _state_differences(notebook.state, script.holders, dict(result.state), _entry(result), folders)
    return differences


def _status_differences(notebook, script) -> List[str]:
    if notebook.ok and not script.ok:
        return [f"status: notebook ran, script failed ({script.error or 'exit status'})"]
    if not notebook.ok and script.ok:
        return [f"status: notebook failed ({notebook.error} in cell {notebook.failed_cell}), script exited 0"]
    if not notebook.ok and notebook.error != script.error:
        return [f"status: notebook raised {notebook.error}, script {script.error or 'exited non-zero'}"]
    return []


def expected_stdout(notebook, changes) -> str:
    """The notebook's stdout less what statements the conversion removed as output printed."""
    removed = [(c.cell, c.line, c.end_line or c.line) for c in changes if getattr(c, "output", False)]
    if not removed:
        return notebook.stdout

    def was_removed(cell, line):
        return any(cell == c and first <= line <= last for c, first, last in removed)

    if "".join(text for _, _, text in notebook.segments) == notebook.stdout:
        return "".join(text for cell, line, text in notebook.segments if not was_removed(cell, line))
    stdout = notebook.stdout
    for cell, line, text in notebook.segments:
        if was_removed(cell, line):
            stdout = stdout.replace(text, "", 1)
    return stdout


def _normalised(text: str, folder: Path) -> str:
    """Text with what differs between any two runs made alike: the run's folder, line ends written
    through a terminal (`!cmd` in a kernel), and the figures of IPython's timing lines."""
    for form in sorted({str(folder), os.path.realpath(folder)}, key=len, reverse=True):
        text = text.replace(form, "<folder>")
    return TIMING.sub(r"\1 <time>", text.replace("\r\n", "\n"))


def _first_difference(expected: str, actual: str) -> str:
    at = next((i for i, (a, b) in enumerate(zip(expected, actual)) if a != b), min(len(expected), len(actual)))
    start = max(0, at - 20)
    return f"notebook {expected[start:at + 40]!r} vs script {actual[start:at + 40]!r}"


def _file_state(files, path) -> str:
    if path not in files:
        return "untouched"
    return "deleted" if files[path] is None else f"written ({files[path][:8]})"


def _state_differences(notebook_state, holders, where_by_name, entry, folders) -> List[str]:
    differences = []
    for name, value in sorted(notebook_state.items()):
        where = where_by_name.get(name)
        if where == "removed":
            continue
        held = _lookup(holders, name, where, entry)
        if held is None:
            differences.append(f"state {name}: not held by the script ({where or 'main or module'})")
        elif not _agree(value, held, folders):
            differences.append(f"state {name}: {value[1][:60]} vs {held[1][:60]}")
    return differences


def _agree(notebook_value, script_value, folders) -> bool:
    """Digests decide, unless a description names the run's folder (a path held in the value): then
    the descriptions decide, with each folder written alike."""
    described = [_normalised(value[1], folder) for value, folder in zip((notebook_value, script_value), folders)]
    if any(text != value[1] for text, value in zip(described, (notebook_value, script_value))):
        return described[0] == described[1]
    return statedigest.agree(notebook_value, script_value)


def _lookup(holders, name, where, entry):
    """The script's digest of `name` where the conversion says it is held; the entry point, then the
    module, when it does not say; scoring functions' names may also live in the module (`global`)."""
    if not where:
        places = [_holder("main", entry), "module"]
    else:
        places = [_holder(where, entry)] + (["module"] if where in ("init", "run") else [])
    for place in places:
        if name in holders.get(place, {}):
            return holders[place][name]
    return None


def classify(result, differences) -> str:
    codes = {finding.code for finding in result.findings}
    if not differences:
        return "kept" if any(code.startswith("NB2") for code in codes) else "same"
    explained = any(finding.severity == "error" and finding.cell > 0 for finding in result.findings)
    return "kept" if explained else "silent"


def _notebook_claims(case, notebook) -> List[str]:
    if case.notebook_fails and notebook.ok:
        return ["the case says the notebook fails, but it ran"]
    if not case.notebook_fails and not notebook.ok:
        return [f"the notebook failed unexpectedly: {notebook.error} in cell {notebook.failed_cell}"]
    return []


def _expect_problems(case, classification) -> List[str]:
    if case.expect and case.expect != classification:
        return [f"expected {case.expect}, got {classification}"]
    return []
