"""`nbrefactor verify`: run the original notebook (twice, in a Jupyter kernel) and its conversion (as
`python SCRIPT`), each in a fresh copy of the notebook's folder, and compare what a user would see:
exit status, standard output, files written and the final value of every name the notebook binds.

Verdicts: "equivalent" (exit 0), "different" (exit 1), "cannot tell" (exit 2: some values could not be
compared) and "cannot run" (exit 2: bad input, a conversion error, a notebook that fails by itself, a
missing kernel). What differs between the notebook's own two runs is nondeterministic: compared by
type and shape only. This executes the notebook's code; `convert` never does.
"""
from __future__ import annotations

import bisect
import json
import os
import re
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple

from .execute import files_under, run_child  # noqa: F401 (convert --record runs its recorder through these)
from .model import NotebookError

EXIT_STATUS = {"equivalent": 0, "different": 1, "cannot tell": 2, "cannot run": 2}
HASH_SEEDS = {"notebook": "0", "again": "1", "script": "0"}  # a second string-hash seed shows set-order changes
RANDOM_SEED = 0  # the global random generators start alike in every run: unseeded draws compare exactly
BACKENDS = {  # Jupyter's own backend closes each cell's figures (what a script must reproduce); scripts draw off-screen
    "notebook": "module://matplotlib_inline.backend_inline", "again": "module://matplotlib_inline.backend_inline", "script": "Agg",
}
MAX_ROWS = 40
NORMALISED = (  # what differs between any two runs, made alike in stdout before comparing
    (re.compile(r"^(CPU times:|Wall time:).*$", re.MULTILINE), r"\1 <time>"),  # %time
    (re.compile(r"^.* per loop \(mean ± std\. dev\. of .*\)$", re.MULTILINE), "<timeit>"),  # %timeit
)
FOLDER = "<folder>"  # each run's working folder, wherever it is named in stdout or in values
ROW_LISTS = ("differences", "not_compared", "nondeterministic", "excluded")


@dataclass(frozen=True)
class Conversion:
    """What verify needs of a conversion."""

    script_name: str
    script: str
    state: Tuple[Tuple[str, str], ...]  # (name, where the script holds its final value)
    removed_output: Tuple[Tuple[int, int, int], ...] = ()  # (cell, first line, last line) of removed prints
    errors: int = 0  # findings of severity "error"
    notebook_json: str = ""  # the notebook as read (a text notebook turned into notebook JSON)


@dataclass(frozen=True)
class Row:
    """One line of the report: a difference, or a value set aside (with the reason in `script`)."""

    kind: str  # "exit status", "stdout", "file", "value"
    name: str
    notebook: str
    script: str
    cell: Optional[int] = None


@dataclass(frozen=True)
class Report:
    verdict: str
    reason: str
    notebook: str
    script_name: str = ""
    differences: Tuple[Row, ...] = ()
    not_compared: Tuple[Row, ...] = ()
    nondeterministic: Tuple[Row, ...] = ()
    excluded: Tuple[Row, ...] = ()
    compared: Dict[str, object] = field(default_factory=dict)
    runs: Dict[str, dict] = field(default_factory=dict)

    @property
    def exit_status(self) -> int:
        return EXIT_STATUS[self.verdict]

    def text(self) -> str:
        lines = [f"{self.verdict}: {self.reason}"]
        lines += _table(self.differences, "difference")
        lines += _table(self.not_compared, "not compared")
        lines += _grouped(self.nondeterministic, lambda row: "nondeterministic (compared by type and shape only)")
        lines += _grouped(self.excluded, lambda row: f"excluded ({row.script})")
        return "\n".join(lines) + "\n"

    def document(self) -> dict:
        """The JSON document of `--format json` (its shape is in the README)."""
        document = {
            "notebook": self.notebook, "script": self.script_name, "verdict": self.verdict,
            "exit_status": self.exit_status, "reason": self.reason, "compared": self.compared,
        }
        for key in ROW_LISTS:
            document[key] = [_row_document(row) for row in getattr(self, key)]
        return dict(document, runs=self.runs)


def _grouped(rows: Sequence[Row], title) -> List[str]:
    """One line per title: "title: value a, value b, stdout"."""
    groups: Dict[str, List[str]] = {}
    for row in rows:
        groups.setdefault(title(row), []).append(f"{row.kind} {row.name}".strip())
    return [f"{heading}: {', '.join(names)}" for heading, names in groups.items()]


def _row_document(row: Row) -> dict:
    return {"kind": row.kind, "name": row.name, "notebook": row.notebook, "script": row.script, "cell": row.cell}


def _table(rows: Sequence[Row], title: str) -> List[str]:
    if not rows:
        return []
    header = ("what", "name", "notebook", "script", "cell")
    body = [(row.kind, row.name, row.notebook, row.script, str(row.cell or "")) for row in rows[:MAX_ROWS]]
    widths = [min(40, max(len(line[i]) for line in [header, *body])) for i in range(5)]
    text = [f"{title}s:" if title == "difference" else f"{title}:"]
    text += ["  " + "  ".join(cell[:40].ljust(width) for cell, width in zip(line, widths)).rstrip() for line in [header, *body]]
    return text + ([f"  ... and {len(rows) - MAX_ROWS} more"] if len(rows) > MAX_ROWS else [])


# ------------------------------------------------------------------------ entry points

def verify_notebook(notebook: Path, *, python: str, timeout: float, flags: Optional[Dict] = None) -> Report:
    """Convert, run both sides and compare; every failure becomes a "cannot run" report."""
    try:
        conversion = convert_for_verify(notebook, flags or {})
    except NotebookError as error:
        return Report("cannot run", str(error), str(notebook))
    return check_conversion(notebook, conversion, python=python, timeout=timeout)


def convert_for_verify(notebook: Path, flags: Dict) -> Conversion:
    """The notebook converted in-process; NotebookError (one line) when it cannot be."""
    from . import refactor
    from .config import settings_for
    from .textnotebook import read_notebook_file

    text = read_notebook_file(notebook)
    try:
        result = refactor(text, path=str(notebook), settings=settings_for(notebook, flags))
    except NotebookError:
        raise
    except Exception as error:  # a converter bug must not look like a verdict
        raise NotebookError(str(notebook), f"nbrefactor could not convert it: {type(error).__name__}: {error}")
    name, script = result.files[0]
    removed = tuple((c.cell, c.line, c.end_line or c.line) for c in result.changes if getattr(c, "output", False))
    errors = sum(1 for finding in result.findings if finding.severity == "error")
    return Conversion(name, script, tuple(result.state), removed, errors, text)


def check_conversion(notebook: Path, conversion: Conversion, *, python: str, timeout: float) -> Report:
    """Run the notebook twice and the script once, side by side, in fresh copies; compare."""
    from . import execute

    try:
        execute.require_kernels(python)
        with tempfile.TemporaryDirectory(prefix="nbrefactor-verify-") as scratch:
            runs = _run_all(execute, notebook, conversion, Path(scratch), python, timeout)
    except NotebookError as error:
        return Report("cannot run", str(error), str(notebook), conversion.script_name)
    return judge(notebook, conversion, runs)


def _run_all(execute, notebook: Path, conversion: Conversion, work: Path, python: str, timeout: float) -> Dict[str, object]:
    """side -> Run, the sides in parallel as far as the machine's cores allow (the notebook first). The
    script is written outside the copies, so that it is not counted among the files a run wrote."""
    script = work / "generated" / conversion.script_name
    script.parent.mkdir()
    script.write_text(conversion.script, encoding="utf-8")
    copies = {side: execute.fresh_copy(notebook.parent, work / side) for side in HASH_SEEDS}
    options = {side: dict(python=python, timeout=timeout, env={"PYTHONHASHSEED": seed, "MPLBACKEND": BACKENDS[side]}, seed=RANDOM_SEED)
               for side, seed in HASH_SEEDS.items()}

    def run(side: str):
        if side == "script":
            return execute.run_script(script, copies[side], state=conversion.state, **options[side])
        return execute.run_notebook(conversion.notebook_json or copies[side] / notebook.name, copies[side], **options[side])

    with ThreadPoolExecutor(max_workers=max(1, min(len(HASH_SEEDS), os.cpu_count() or 1))) as pool:
        futures = {side: pool.submit(run, side) for side in ("notebook", "script", "again")}
    return {side: future.result() for side, future in futures.items()}


# ---------------------------------------------------------------------------- judging

def judge(notebook: Path, conversion: Conversion, runs) -> Report:
    first, again, script = (normalised(runs[side]) for side in ("notebook", "again", "script"))
    base = Report("cannot run", "", str(notebook), conversion.script_name, runs=_run_summaries(runs))
    if not first.completed:
        fails = "does not finish in time" if "timed out" in first.failure else "itself fails"
        return replace(base, reason=f"{notebook}: the notebook {fails}: {first.failure}")
    if not again.completed:
        return replace(base, reason=f"{notebook}: the notebook fails on one of two runs: {again.failure}")
    found = Found()
    compare_exit(script, found)
    compare_stdout(first, again, script, conversion.removed_output, found)
    compare_files(first, again, script, found)
    compare_values(first, again, script, dict(conversion.state), found)
    return _verdict(replace(base, compared=found.compared), found, conversion)


def normalised(run):
    """The run with its working folder named alike, and the figures of timing lines left out."""
    def text(value: str) -> str:
        for pattern, replacement in NORMALISED:
            value = pattern.sub(replacement, value)
        return _without_folder(value, run.folder)

    outputs = tuple(replace(output, text=text(output.text)) for output in run.outputs)
    values = {key: json.loads(_without_folder(json.dumps(getattr(run, key)), run.folder, escaped=True)) for key in ("state", "loaded")}
    return replace(run, outputs=outputs, stdout=text(run.stdout), **values)


def _without_folder(text: str, folder: str, escaped: bool = False) -> str:
    if not folder:
        return text
    for form in sorted({folder, os.path.realpath(folder)}, key=len, reverse=True):
        text = text.replace(json.dumps(form)[1:-1] if escaped else form, FOLDER)
    return text


@dataclass
class Found:
    differences: List[Row] = field(default_factory=list)
    not_compared: List[Row] = field(default_factory=list)
    nondeterministic: List[Row] = field(default_factory=list)
    excluded: List[Row] = field(default_factory=list)
    compared: Dict[str, object] = field(default_factory=lambda: {"exit_status": True, "stdout": False, "files": [], "values": []})


def _verdict(report: Report, found: Found, conversion: Conversion) -> Report:
    report = replace(report, differences=tuple(found.differences), not_compared=tuple(found.not_compared),
                     nondeterministic=tuple(found.nondeterministic), excluded=tuple(found.excluded))
    warning = f"; the conversion reported {conversion.errors} error finding{'s' * (conversion.errors != 1)}" if conversion.errors else ""
    if found.differences:
        count = len(found.differences)
        return replace(report, verdict="different", reason=f"{count} difference{'s' * (count != 1)}{warning}")
    if found.not_compared:
        names = ", ".join(row.name for row in found.not_compared[:10]) + (", ..." if len(found.not_compared) > 10 else "")
        return replace(report, verdict="cannot tell", reason=f"{len(found.not_compared)} values not compared: {names}{warning}")
    values, files = len(found.compared["values"]), len(found.compared["files"])
    return replace(report, verdict="equivalent", reason=f"exit status, stdout, {values} value{'s' * (values != 1)} and {files} file{'s' * (files != 1)} compared{warning}")


def _run_summaries(runs) -> Dict[str, dict]:
    return {side: {"completed": run.completed, "failure": run.failure, "exit_status": run.exit_status, "seconds": round(run.seconds, 2)} for side, run in runs.items()}


def compare_exit(script, found: Found) -> None:
    if not script.completed:
        found.differences.append(Row("exit status", "", "all cells ran", script.failure))


# ----------------------------------------------------------------------------- stdout

def compare_stdout(first, again, script, removed: Sequence[Tuple[int, int, int]], found: Found) -> None:
    """The notebook's stdout, without what the conversion removed on purpose, against the script's."""
    expected = kept_outputs(first.outputs, removed)
    lines = _lines_with_cells(expected)
    stable = kept_outputs(again.outputs, removed)
    actual = script.stdout.splitlines()
    found.compared["stdout"] = True
    if "".join(text for _, text in stable) != "".join(text for _, text in expected):
        found.nondeterministic.append(Row("stdout", "", "differs between runs", ""))
        other = [line for line, _ in _lines_with_cells(stable)]
        _compare_lines(lines, actual, found, stable=lambda index: index < len(other) and other[index] == lines[index][0])
        return
    _compare_lines(lines, actual, found)


def kept_outputs(outputs, removed) -> List[Tuple[int, str]]:
    """(cell, text) of the outputs not written by a statement the conversion removed."""
    def dropped(output) -> bool:
        return any(output.cell == cell and output.line and first <= output.line <= last for cell, first, last in removed)

    return [(output.cell, output.text) for output in outputs if not dropped(output)]


def _lines_with_cells(outputs: List[Tuple[int, str]]) -> List[Tuple[str, int]]:
    """(line, cell) for every line of the joined text, split as the script's stdout is; a line belongs
    to the cell whose output ends it."""
    ends, cells, offset = [], [], 0
    for cell, text in outputs:
        offset += len(text)
        ends.append(offset)
        cells.append(cell)
    lines, position = [], 0
    for line in "".join(text for _, text in outputs).splitlines(keepends=True):
        position += len(line)
        lines.append((line.splitlines()[0], cells[bisect.bisect_left(ends, position)]))
    return lines


def _compare_lines(expected: List[Tuple[str, int]], actual: List[str], found: Found, stable=None) -> None:
    """The first line that differs (lines the two notebook runs disagree on, outside `stable`, are skipped)."""
    texts = [line for line, _ in expected]
    if stable is not None and len(texts) != len(actual):
        found.differences.append(Row("stdout", "lines", f"{len(texts)} lines", f"{len(actual)} lines"))
        return
    for index in range(max(len(texts), len(actual))):
        if stable is not None and not stable(index):
            continue
        left, right = _line(texts, index), _line(actual, index)
        if left != right:
            cell = expected[index][1] if index < len(expected) else None
            found.differences.append(Row("stdout", f"line {index + 1}", _short(left), _short(right), cell))
            return


def _line(lines: List[str], index: int) -> str:
    return lines[index] if index < len(lines) else "(no more output)"


def _short(text: str, width: int = 40) -> str:
    text = repr(text)[1:-1] if not isinstance(text, str) or "\r" in text else text
    return text if len(text) <= width else text[: width - 3] + "..."


# ------------------------------------------------------------------------------ files

def compare_files(first, again, script, found: Found) -> None:
    """Files written (new or changed) and removed, by content; pickles that differ in bytes by the values
    they hold; a file the two notebook runs wrote differently only by its presence."""
    for path in sorted(set(first.files) | set(script.files)):
        _compare_file(path, first, again, script, found)
    for path in sorted(set(first.deleted) ^ set(script.deleted)):
        side = "notebook" if path in first.deleted else "script"
        found.differences.append(Row("file", path, "removed" if side == "notebook" else "kept", "removed" if side == "script" else "kept"))


def _compare_file(path: str, first, again, script, found: Found) -> None:
    if path not in script.files or path not in first.files:
        found.differences.append(Row("file", path, _written(path, first), _written(path, script)))
        return
    found.compared["files"].append(path)
    if again.files.get(path) != first.files[path]:
        found.nondeterministic.append(Row("file", path, "differs between runs", ""))
        return
    if script.files[path] != first.files[path]:
        _compare_file_values(path, first, script, found)


def _written(path: str, run) -> str:
    return "written" if path in run.files else "not written"


def _compare_file_values(path: str, first, script, found: Found) -> None:
    from . import describe

    left, right = first.loaded.get(path), script.loaded.get(path)
    if left is None or right is None or left.get("nc") or right.get("nc"):
        found.differences.append(Row("file", path, "content", "other content"))
        return
    for where, expected, actual in describe.differences(left, right)[:1]:
        found.differences.append(Row("file", path + where, expected, actual))


# ----------------------------------------------------------------------------- values

def compare_values(first, again, script, state: Dict[str, str], found: Found) -> None:
    """Every public name the notebook ends with, against where the script holds it."""
    values = dict(first.state, **_seeded(first.random, again.random, script.random))
    script_values = dict(script.state, **script.random)
    for name in sorted(values):
        if state.get(name) == "removed":
            found.excluded.append(Row("value", name, "", "bound only by code the conversion removed", first.bound_in.get(name)))
            continue
        _compare_value(name, values[name], dict(again.state, **again.random).get(name), script_values.get(name), first.bound_in.get(name), found)


def _seeded(first: Dict[str, dict], again: Dict[str, dict], script: Dict[str, dict]) -> Dict[str, dict]:
    """The global random states worth comparing: those the notebook set (its two runs agree on them;
    unseeded, they say nothing) and the script's process has too."""
    from . import describe

    return {name: state for name, state in first.items()
            if name in script and name in again and not describe.differences(state, again[name])}


def _compare_value(name: str, left: dict, again: Optional[dict], right: Optional[dict], cell, found: Found) -> None:
    from . import describe

    if right is None:
        found.differences.append(Row("value", name, describe.summary(left, 40), "(not held by the script)", cell))
        return
    if again is not None and describe.differences(left, again):
        found.nondeterministic.append(Row("value", name, "differs between runs", "", cell))
        if not describe.same_shape(left, right):
            found.differences.append(Row("value", name, describe.summary(left, 40), describe.summary(right, 40), cell))
        return
    differing = describe.differences(left, right)
    set_aside = describe.uncomparable(left) + describe.uncomparable(right)
    if differing:
        where, expected, actual = differing[0]
        found.differences.append(Row("value", name + where, str(expected), str(actual), cell))
    elif set_aside and all(display for _, _, display in set_aside):
        found.excluded.append(Row("value", name, "", "display object (a plot or widget): not compared", cell))
        return
    elif set_aside:
        where, reason, _ = next(item for item in set_aside if not item[2])
        found.not_compared.append(Row("value", name + where, "", reason, cell))
    found.compared["values"].append(name)
