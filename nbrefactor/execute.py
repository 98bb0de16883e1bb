"""The one place nbrefactor executes notebook and script code (used by `verify` and by tests).

API
---
``fresh_copy(source, target) -> Path``
    A writable copy of the folder `source` at `target` (which must not exist): regular files and
    folders are copied; a symbolic link is copied as the content of its target (a link that loops back
    into a folder being copied raises CopyError); FIFOs, sockets and devices are skipped, and so are
    dangling links and the folders in ``NOT_COPIED``. The copy holds no links, so nothing run in it can
    write into `source`. Raises ``CopyError`` (a NotebookError: one line naming the entry).

``run_notebook(notebook, folder, *, python=None, timeout=600, env=None) -> Run``
    Runs the ORIGINAL notebook (a path, JSON text or an nbformat node; magics included, nothing
    rewritten) top to bottom in a real Jupyter kernel (nbclient + ipykernel), with the working folder
    `folder` (pass a fresh copy), `MPLBACKEND=Agg`, and the kernel's interpreter `python` (default: this
    one; it needs ipykernel). `timeout` bounds the whole run, in seconds. `seed` (default None: left
    alone) starts the global generators of `random` and `numpy.random` from that seed, before the first
    cell (numpy's as it is first imported). A hidden probe, installed
    silently before the first cell, attributes stdout to cells and statements without touching
    execution counts or `Out`. Raises ``MissingExtra`` when nbclient is not installed here, or the
    interpreter has no ipykernel.

``run_script(script, folder, *, state=(), python=None, timeout=600, env=None) -> Run``
    Runs a generated script as ``python SCRIPT`` would (as `__main__`, its folder first on sys.path)
    with the working folder `folder`, through a small standard-library runner. `state` is
    ``Result.state``: ((name, where), ...) with where "main", "module", "function:NAME", "init", "run"
    or "removed"; each name's final value is read there. Without it, every public name of main()'s
    locals, then of the module globals. `seed` as for notebooks.

``Run`` (frozen dataclass)
    kind          "notebook" or "script"
    completed     every cell ran / the script exited with status 0
    failure       "" or one line: "cell 3: ZeroDivisionError: division by zero",
                  "exit status 1: ValueError: ...", "timed out after 60 s", "the kernel died"
    failed_cell   the code cell (counted from 1) that failed; 0 otherwise
    exit_status   the script's exit status (None when it was stopped); notebooks: 0 or 1
    stdout        all standard output text
    outputs       tuple of Output(cell, line, text): stdout attributed to the code cell and the first
                  line of the top-level statement that wrote it (print, `!cmd`, display of streams);
                  line 0 when unknown. Scripts: one Output(0, 0, stdout)
    files         {relative path: sha256} of files new or changed under `folder`
    deleted       relative paths of files the run removed
    state         {name: description} of the final values (see nbrefactor.describe)
    missing       names the script was asked for but did not hold where `state` said
    random        {"random.getstate()": ..., "numpy.random.get_state()": ...} for the modules imported
    bound_in      notebooks: {name: code cell that last bound it}
    loaded        {relative path: description} of the pickle/joblib files written, loaded in that process
    stderr        the script's standard error (notebooks: "")
    seconds       wall time of the run
    folder        the working folder it ran in

``require_kernels(python=None)``
    Raises ``MissingExtra`` unless nbclient is importable here and ipykernel in `python`.

``snapshot(folder) -> {relative path: sha256}`` and ``written(before, after)`` are the file
bookkeeping the runs use; ``describe`` (nbrefactor/describe.py) holds the descriptions and their
comparison: ``differences(left, right)``, ``uncomparable(description)``, ``same_shape(left, right)``.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import stat
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Dict, Iterable, Iterator, List, Optional, Sequence, Tuple, Union

from .model import NotebookError

HERE = Path(__file__).resolve().parent
PROBE = HERE / "probe.py"
NOT_COPIED = {".git", "__pycache__", ".ipynb_checkpoints"}
KERNEL_NAME = "nbrefactor-run"
EXTRA = 'pip install "nbrefactor[verify]"'
STARTUP_SECONDS = 60


class CopyError(NotebookError):
    """The folder cannot be copied safely."""


class MissingExtra(NotebookError):
    """nbclient or ipykernel is missing."""


@dataclass(frozen=True)
class Output:
    cell: int
    line: int
    text: str


@dataclass(frozen=True)
class Run:
    kind: str
    completed: bool
    failure: str = ""
    failed_cell: int = 0
    exit_status: Optional[int] = 0
    stdout: str = ""
    outputs: Tuple[Output, ...] = ()
    files: Dict[str, str] = field(default_factory=dict)
    deleted: Tuple[str, ...] = ()
    state: Dict[str, dict] = field(default_factory=dict)
    missing: Tuple[str, ...] = ()
    random: Dict[str, dict] = field(default_factory=dict)
    bound_in: Dict[str, int] = field(default_factory=dict)
    loaded: Dict[str, dict] = field(default_factory=dict)
    stderr: str = ""
    seconds: float = 0.0
    folder: str = ""


# ----------------------------------------------------------------------------- copies

def fresh_copy(source: Path, target: Path) -> Path:
    """See the module docstring."""
    source, target = Path(source), Path(target)
    if target.resolve().is_relative_to(source.resolve()):
        raise CopyError(str(target), f"cannot copy {source} into itself")
    _copy_folder(source, target, (source.resolve(),))
    return target


def _copy_folder(folder: Path, target: Path, ancestors: Tuple[Path, ...]) -> None:
    target.mkdir(parents=True)
    for entry in _entries(folder):
        if entry.name not in NOT_COPIED:
            _copy_entry(entry, target / entry.name, ancestors)


def _entries(folder: Path) -> List[Path]:
    try:
        return sorted(folder.iterdir(), key=lambda path: path.name)
    except OSError as error:
        raise CopyError(str(folder), f"cannot read this folder: {error.strerror or error}")


def _copy_entry(entry: Path, destination: Path, ancestors: Tuple[Path, ...]) -> None:
    """A link is followed (its target's content is copied); only regular files and folders are copied."""
    try:
        mode = os.stat(entry).st_mode
    except OSError:
        return  # a dangling link: nothing to read
    if stat.S_ISDIR(mode):
        resolved = entry.resolve()
        if resolved in ancestors:
            raise CopyError(str(entry), "a link to a folder that contains it: cannot copy its content")
        _copy_folder(entry, destination, ancestors + (resolved,))
    elif stat.S_ISREG(mode):
        try:
            shutil.copyfile(entry, destination)
        except OSError as error:
            raise CopyError(str(entry), f"cannot copy: {error.strerror or error}")
        os.chmod(destination, 0o644)


# ------------------------------------------------------------------------------ files

def snapshot(folder: Path) -> Dict[str, str]:
    """{relative path: sha256} of every regular file under `folder` (caches and version control left out)."""
    return {path.relative_to(folder).as_posix(): file_digest(path) for path in files_under(folder)}


def files_under(folder: Path) -> Iterator[Path]:
    for root, dirs, names in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if d not in NOT_COPIED)
        for name in sorted(names):
            path = Path(root) / name
            if path.is_file() and not path.is_symlink():
                yield path


def file_digest(path: Path) -> str:
    hasher = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            hasher.update(block)
    return hasher.hexdigest()


def written(before: Dict[str, str], after: Dict[str, str]) -> Tuple[Dict[str, str], Tuple[str, ...]]:
    """(files new or changed, files removed)."""
    changed = {path: digest for path, digest in after.items() if before.get(path) != digest}
    return changed, tuple(sorted(set(before) - set(after)))


def pickles(digests: Dict[str, str]) -> Dict[str, str]:
    return {path: digest for path, digest in digests.items() if path.lower().endswith((".pkl", ".pickle", ".joblib", ".sav", ".pck"))}


def child_environment(env: Optional[Dict[str, str]]) -> Dict[str, str]:
    """No windows for plots, no bytecode files in the folder, one string-hash seed (unless `env` says)."""
    return {**os.environ, "MPLBACKEND": "Agg", "PYTHONDONTWRITEBYTECODE": "1", "PYTHONHASHSEED": "0", **(env or {})}


# ------------------------------------------------------------- the recorder (convert --record)

CAPTURE = HERE / "capture.py"


def run_child(python: str, arguments: Sequence[str], folder: Path, timeout: float, extra_environment: Optional[Dict[str, str]] = None) -> str:
    """Run capture.py (the recorder of `convert --record`) in `folder`; "" on success, else why it failed."""
    completed, failure = _run_process([python, str(CAPTURE), *arguments], Path(folder), timeout, extra_environment)
    if completed is None or completed.returncode == 0:
        return failure
    return failure_line(completed.stderr) or f"exit status {completed.returncode}"


def failure_line(stderr: str) -> str:
    """The recorder's own account of a failure (a "nbrefactor-failure: " line), else the last line."""
    marked = [line for line in stderr.splitlines() if line.startswith("nbrefactor-failure: ")]
    return marked[-1][len("nbrefactor-failure: "):] if marked else last_line(stderr)


# ---------------------------------------------------------------------------- scripts

def run_script(script: Path, folder: Path, *, state: Iterable[Tuple[str, str]] = (), python: Optional[str] = None,
               timeout: float = 600, env: Optional[Dict[str, str]] = None, seed: Optional[int] = None) -> Run:
    """See the module docstring."""
    folder = Path(folder)
    before = snapshot(folder)
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="nbrefactor-script-") as scratch:
        spec = {"script": str(Path(script).resolve()), "out": str(Path(scratch) / "report.json"), "state": dict(state), "before": pickles(before), "seed": seed}
        (Path(scratch) / "spec.json").write_text(json.dumps(spec), encoding="utf-8")
        completed, failure = _run_process([python or sys.executable, str(PROBE), str(Path(scratch) / "spec.json")], folder, timeout, env)
        report = _read_report(Path(spec["out"]))
    run = _script_run(completed, failure, report, before, snapshot(folder), time.monotonic() - started)
    return replace(run, folder=str(folder))


def _run_process(command: Sequence[str], folder: Path, timeout: float, env) -> Tuple[Optional[subprocess.CompletedProcess], str]:
    try:
        return subprocess.run(command, cwd=folder, env=child_environment(env), stdin=subprocess.DEVNULL,
                              capture_output=True, text=True, errors="replace", timeout=timeout), ""
    except subprocess.TimeoutExpired:
        return None, f"timed out after {timeout:g} s"
    except OSError as error:
        return None, f"cannot start {command[0]}: {error.strerror or error}"


def _read_report(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _script_run(completed, failure: str, report: dict, before, after, seconds: float) -> Run:
    files, deleted = written(before, after)
    status = completed.returncode if completed else None
    if completed and status != 0:
        failure = f"exit status {status}" + (f": {last_line(completed.stderr)}" if last_line(completed.stderr) else "")
    stdout = completed.stdout if completed else ""
    return Run(
        kind="script", completed=status == 0, failure=failure, exit_status=status, stdout=stdout,
        outputs=(Output(0, 0, stdout),) if stdout else (), files=files, deleted=deleted,
        state=report.get("state", {}), missing=tuple(report.get("missing", ())), random=report.get("random", {}),
        loaded=report.get("loaded", {}), stderr=completed.stderr if completed else "", seconds=seconds,
    )


def last_line(text: str) -> str:
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    return lines[-1][:300] if lines else ""


# --------------------------------------------------------------------------- notebooks

def run_notebook(notebook: Union[Path, str, object], folder: Path, *, python: Optional[str] = None,
                 timeout: float = 600, env: Optional[Dict[str, str]] = None, seed: Optional[int] = None) -> Run:
    """See the module docstring."""
    nbclient = _require_nbclient()
    folder = Path(folder)
    before = snapshot(folder)
    started = time.monotonic()
    for attempt in range(1, START_ATTEMPTS + 1):
        node = _notebook_node(notebook)
        with tempfile.TemporaryDirectory(prefix="nbrefactor-kernel-") as scratch:
            session = _KernelSession(nbclient, node, folder, Path(scratch), python or sys.executable, started + timeout, env, seed)
            failure, failed_cell = session.run(before)
            report = _read_report(Path(scratch) / "report.json")
        if not (PORT_TAKEN in failure and failed_cell == 0 and snapshot(folder) == before) or attempt == START_ATTEMPTS:
            break
    run = _notebook_run(node, failure, failed_cell, report, before, snapshot(folder), time.monotonic() - started, timeout)
    return replace(run, folder=str(folder))


START_ATTEMPTS = 3
# jupyter_client picks free ports, then the kernel binds them: a kernel starting at the same moment can
# take one in between. The kernel then never started, nothing ran, and starting again is safe.
PORT_TAKEN = "Address already in use"


def require_kernels(python: Optional[str] = None) -> None:
    """MissingExtra unless notebooks can run here: nbclient in this process, ipykernel in `python`."""
    _require_nbclient()
    completed, failure = _run_process([python or sys.executable, "-c", "import ipykernel"], Path.cwd(), STARTUP_SECONDS, None)
    if failure or completed.returncode != 0:
        reason = failure or last_line(completed.stderr)
        raise MissingExtra(python or sys.executable, f"cannot start a Jupyter kernel ({reason}): {EXTRA}")


def _require_nbclient():
    try:
        import nbclient
    except ImportError:
        raise MissingExtra("nbclient", f"running notebooks needs nbclient and ipykernel: {EXTRA}")
    return nbclient


def _notebook_node(notebook):
    """An nbformat node from a path, JSON text or a dict; NotebookError when it is not a notebook."""
    import nbformat

    label = str(notebook) if isinstance(notebook, Path) else "notebook"
    try:
        if isinstance(notebook, dict):
            return nbformat.from_dict(notebook)
        text = Path(notebook).read_text(encoding="utf-8") if isinstance(notebook, Path) else notebook
        return nbformat.reads(text, as_version=4)
    except Exception as error:  # nbformat and json raise several unrelated types
        raise NotebookError(label, f"not a notebook: {_first_line(str(error)) or type(error).__name__}")


def code_cells(node) -> Iterator[Tuple[int, int, object]]:
    """(index among all cells, code cell number from 1, cell) for each code cell."""
    number = 0
    for index, cell in enumerate(node.cells):
        if cell.cell_type == "code":
            number += 1
            yield index, number, cell


class _KernelSession:
    """One kernel, one notebook: start, probe, run every cell, report, shut down."""

    def __init__(self, nbclient, node, folder: Path, scratch: Path, python: str, deadline: float, env, seed):
        self.nbclient, self.node, self.folder, self.scratch, self.seed = nbclient, node, folder, scratch, seed
        self.deadline = deadline
        self.client = nbclient.NotebookClient(
            node, km=_kernel_manager(python, scratch), timeout=self.remaining(), timeout_func=lambda cell: self.remaining(),
            startup_timeout=max(1, min(STARTUP_SECONDS, int(self.remaining()) or 1)), force_raise_errors=True,
            skip_cells_with_tag="\0", record_timing=False, shutdown_kernel="immediate", extra_arguments=["--HistoryManager.hist_file=:memory:"],
        )
        self.env = child_environment(env)

    def remaining(self) -> int:
        return max(1, int(self.deadline - time.monotonic() + 0.999))

    def run(self, before: Dict[str, str]) -> Tuple[str, int]:
        """("" or why the run failed, the failing code cell or 0)."""
        try:
            with open(self.scratch / "kernel.log", "w") as log, \
                    self.client.setup_kernel(cwd=str(self.folder), env=self.env, cleanup_kc=True, stdout=log, stderr=log):
                self.silent(_install_source(self.node, self.seed))
                failure, cell = self.cells()
                if cell >= 0:  # the kernel is alive and idle
                    self.silent(_finish_source(self.scratch / "report.json", pickles(before)))
                return failure, cell
        except MissingExtra:
            raise
        except Exception as error:
            return _kernel_failure(error, self.scratch / "kernel.log"), 0
        finally:
            _cancel_pending_tasks()

    def cells(self) -> Tuple[str, int]:
        errors = self.nbclient.exceptions
        for index, number, cell in code_cells(self.node):
            try:
                self.client.execute_cell(cell, index)
            except errors.CellExecutionError as error:
                return f"cell {number}: {error.ename}: {_first_line(error.evalue)}".rstrip(": "), number
            except (errors.CellTimeoutError, TimeoutError):
                return f"cell {number}: timed out", -number
            except errors.DeadKernelError:
                return f"cell {number}: the kernel died", -number
        return "", 0

    def silent(self, code: str) -> None:
        """Run code in the kernel without a trace in its history, counts or outputs."""
        msg_id = self.client.kc.execute(code, silent=True, store_history=False)
        reply = self.client.wait_for_reply(msg_id)
        if reply is None or reply["content"].get("status") != "ok":
            content = (reply or {}).get("content", {})
            if content.get("ename") == "ModuleNotFoundError":
                raise MissingExtra("kernel", f"the kernel cannot load what verify needs: {content.get('evalue')}")
            raise RuntimeError(f"the kernel probe failed: {content.get('ename', 'no reply')}: {content.get('evalue', '')}")


def _cancel_pending_tasks() -> None:
    """nbclient leaves its output poller pending when a cell times out: cancel what is left on this
    thread's loop, so that nothing is reported as destroyed while pending when the loop goes."""
    import asyncio

    from jupyter_core.utils import ensure_event_loop

    loop = ensure_event_loop()
    pending = [task for task in asyncio.all_tasks(loop) if not task.done()]
    for task in pending:
        task.cancel()
    if pending:
        loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))


def _first_line(text: str) -> str:
    lines = [line for line in str(text or "").strip().splitlines() if line.strip()]
    return lines[0][:300] if lines else ""


def _kernel_failure(error: Exception, log: Path) -> str:
    text = _first_line(str(error)) or type(error).__name__
    logged = last_line(log.read_text(encoding="utf-8", errors="replace")) if log.exists() else ""
    if "No module named" in logged:
        raise MissingExtra("kernel", f"the kernel did not start ({logged}): {EXTRA}")
    return f"the kernel failed: {text}" + (f" ({logged})" if logged else "")


def _kernel_manager(python: str, scratch: Path):
    """A kernel manager for `python`, through a kernel spec written in `scratch`."""
    from jupyter_client import AsyncKernelManager
    from jupyter_client.kernelspec import KernelSpecManager

    spec_folder = scratch / "kernels" / KERNEL_NAME
    spec_folder.mkdir(parents=True)
    spec = {"argv": [python, "-m", "ipykernel_launcher", "-f", "{connection_file}"], "display_name": "nbrefactor", "language": "python"}
    (spec_folder / "kernel.json").write_text(json.dumps(spec), encoding="utf-8")
    specs = KernelSpecManager(kernel_dirs=[str(scratch / "kernels")])
    return AsyncKernelManager(kernel_name=KERNEL_NAME, kernel_spec_manager=specs)


def _bootstrap(call: str) -> str:
    """Code that loads probe.py by path in the kernel and makes one call, binding no user name."""
    return (
        "exec(compile(" + repr(
            "import importlib.util, sys\n"
            "if '_nbrefactor_probe' not in sys.modules:\n"
            f"    spec = importlib.util.spec_from_file_location('_nbrefactor_probe', {str(PROBE)!r})\n"
            "    module = importlib.util.module_from_spec(spec)\n"
            "    sys.modules['_nbrefactor_probe'] = module\n"
            "    spec.loader.exec_module(module)\n"
            f"sys.modules['_nbrefactor_probe'].{call}\n"
        ) + ", '<nbrefactor probe>', 'exec'), {'get_ipython': get_ipython})"
    )


def _install_source(node, seed: Optional[int]) -> str:
    cells = [[number, cell.source] for _, number, cell in code_cells(node) if cell.source.strip()]
    return _bootstrap(f"install_kernel_probe(get_ipython(), __import__('json').loads({json.dumps(cells)!r}), {seed!r})")


def _finish_source(out: Path, before: Dict[str, str]) -> str:
    return _bootstrap(f"finish_kernel(get_ipython(), {str(out)!r}, {before!r})")


def _notebook_run(node, failure: str, failed_cell: int, report, before, after, seconds, timeout) -> Run:
    """`failed_cell` is negative when the kernel was stopped in that cell (timeout, death)."""
    failed = abs(failed_cell)
    if failed_cell < 0 and "timed out" in failure:
        failure = f"cell {failed}: timed out after {timeout:g} s"
    outputs = _attributed_outputs(node, report.get("writes", []))
    files, deleted = written(before, after)
    return Run(
        kind="notebook", completed=not failure, failure=failure, failed_cell=failed, exit_status=1 if failure else 0,
        stdout="".join(output.text for output in outputs), outputs=outputs, files=files, deleted=deleted,
        state=report.get("state", {}), random=report.get("random", {}), bound_in=report.get("bound_in", {}),
        loaded=report.get("loaded", {}), seconds=seconds,
    )


def _attributed_outputs(node, writes) -> Tuple[Output, ...]:
    """The notebook's stdout stream, cell by cell, attributed as the probe saw it."""
    outputs = []
    for _, number, cell in code_cells(node):
        stream = "".join(output.get("text", "") for output in cell.get("outputs", ()) if output.get("output_type") == "stream" and output.get("name") == "stdout")
        outputs += _align(number, stream, [Output(*write) for write in writes if write[0] == number])
    return tuple(outputs)


def _align(cell: int, stream: str, pieces) -> Iterator[Output]:
    """The cell's stream cut into the probe's pieces, in order; text the probe did not see (written to
    the file descriptor by another process or thread) is kept with line 0."""
    position = 0
    for piece in pieces:
        found = stream.find(piece.text, position)
        if found < 0:
            continue
        if found > position:
            yield Output(cell, 0, stream[position:found])
        yield piece
        position = found + len(piece.text)
    if position < len(stream):
        yield Output(cell, 0, stream[position:])
