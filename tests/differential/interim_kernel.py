"""Run a notebook in a real Jupyter kernel (nbclient + ipykernel) in a fresh folder, and a script with
`python` in another: what each printed (stdout, attributed to the cell and line that printed it), how it
ended, and the digests of the final values of the names it bound.

Kernels are started ahead of use by `KernelPool`, each in its own fresh folder and used for one notebook
only, so a kernel's start-up overlaps other work instead of adding to it.
"""
from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional, Tuple

HERE = Path(__file__).resolve().parent
DIGEST_MODULE = HERE / "statedigest.py"
SCRIPT_RUNNER = HERE / "interim_scriptrun.py"
CELL_TIMEOUT = 60
IGNORED_PARTS = {"__pycache__", ".ipynb_checkpoints"}

# Installed silently before the first cell (no history, no names in the notebook's namespace): stdout
# writes are recorded with the line of the cell's top-level statement that made them.
PREAMBLE = r"""
def _nbdiff_install(sources):
    import sys, types
    probe = types.ModuleType("_nbdiff_probe")
    probe.segments = []
    probe.names_before = set(get_ipython().user_ns)
    probe.cell, probe.next = 0, 0
    shell = get_ipython()

    def pre_run_cell(info):
        if probe.next < len(sources) and info.raw_cell == sources[probe.next][1]:
            probe.cell = sources[probe.next][0]
            probe.next += 1

    shell.events.register("pre_run_cell", pre_run_cell)

    def cell_line():
        frame = sys._getframe(2)
        line = 0
        while frame is not None:
            caller = frame.f_back
            if caller is not None and caller.f_code.co_name == "run_code" and "interactiveshell" in caller.f_code.co_filename:
                line = frame.f_lineno
            frame = caller
        return line

    class Attributing:
        def __init__(self, stream):
            self._stream = stream

        def write(self, text):
            probe.segments.append((probe.cell, cell_line(), text))
            return self._stream.write(text)

        def __getattr__(self, name):
            return getattr(self._stream, name)

    probe.stream = Attributing(sys.stdout)
    sys.stdout = probe.stream
    sys.modules["_nbdiff_probe"] = probe
_nbdiff_install(%r)
del _nbdiff_install
"""

DUMP = r"""
def _nbdiff_dump(path, digest_path):
    import importlib.util, json, sys
    probe = sys.modules["_nbdiff_probe"]
    spec = importlib.util.spec_from_file_location("_nbdiff_statedigest", digest_path)
    digest = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(digest)
    namespace = get_ipython().user_ns
    values = {name: value for name, value in namespace.items() if name not in probe.names_before}
    with open(path, "w") as handle:
        json.dump({"segments": probe.segments, "state": digest.digest_values(values)}, handle)
_nbdiff_dump(%r, %r)
del _nbdiff_dump
"""


def run_environment() -> Dict[str, str]:
    """The environment both runs get: fixed string hashing and file dates, matplotlib's own defaults."""
    env = dict(os.environ)
    env.pop("MPLBACKEND", None)
    env.update(PYTHONHASHSEED="0", SOURCE_DATE_EPOCH="0", PYDEVD_DISABLE_FILE_VALIDATION="1")
    return env


@dataclass
class Run:
    """What one run of a notebook or a script did."""

    ok: bool
    error: str = ""  # exception type name when it failed
    failed_cell: int = 0  # code cell number (from 1) that failed; 0 for scripts or success
    stdout: str = ""
    segments: List[Tuple[int, int, str]] = field(default_factory=list)  # (code cell, line, text)
    state: Dict[str, list] = field(default_factory=dict)
    holders: Dict[str, Dict[str, list]] = field(default_factory=dict)  # script: where -> name -> digest
    files: Dict[str, Optional[str]] = field(default_factory=dict)  # created or changed (digest), deleted (None)
    seconds: float = 0.0
    stderr: str = ""


class KernelPool:
    """Kernels started ahead of use, each in a fresh folder of its own, each used for one notebook."""

    def __init__(self, ahead: int = 1):
        self.ahead = ahead
        self.waiting: List[Tuple[object, Path]] = []

    def take(self) -> Tuple[object, Path]:
        while len(self.waiting) <= self.ahead:
            self.waiting.append(_start_kernel())
        return self.waiting.pop(0)

    def close(self) -> None:
        for manager, _ in self.waiting:
            _shutdown(manager)
        self.waiting = []


def _start_kernel():
    from jupyter_client.manager import AsyncKernelManager
    from nbclient.util import run_sync

    folder = Path(tempfile.mkdtemp(prefix="nbdiff-nb-"))
    manager = AsyncKernelManager(kernel_name="python3")
    run_sync(manager.start_kernel)(cwd=str(folder), env=run_environment(),
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return manager, folder


def _shutdown(manager) -> None:
    from nbclient.util import run_sync

    run_sync(manager.shutdown_kernel)(now=True)


def run_notebook(notebook_text: str, pool: KernelPool, inputs: List[Tuple[Path, str]]) -> Tuple[Run, Path]:
    """Run every code cell in a pre-started kernel, in order, stopping at the first error."""
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    manager, folder = pool.take()
    place_inputs(folder, inputs)
    (folder / "notebook.ipynb").write_text(notebook_text, encoding="utf-8")
    before = snapshot(folder)
    notebook = nbformat.reads(notebook_text, as_version=4)
    client = NotebookClient(notebook, km=manager, timeout=CELL_TIMEOUT, allow_errors=False)
    started = time.perf_counter()
    result = Run(ok=True)
    dumps = tempfile.TemporaryDirectory(prefix="nbdiff-dump-")
    dump = Path(dumps.name) / "dump.json"
    with client.setup_kernel(cwd=str(folder)):
        numbers = _code_cell_numbers(notebook)
        sources = [(numbers[i], cell.source) for i, cell in enumerate(notebook.cells) if i in numbers and cell.source.strip()]
        _hidden(client, PREAMBLE % (sources,))
        for index, cell in enumerate(notebook.cells):
            try:
                client.execute_cell(cell, index)
            except CellExecutionError as error:
                result.ok, result.error, result.failed_cell = False, error.ename, numbers[index]
                break
        _hidden(client, DUMP % (str(dump), str(DIGEST_MODULE)))
    _shutdown(manager)
    result.files = changed_files(before, snapshot(folder))
    result.seconds = time.perf_counter() - started
    captured = json.loads(dump.read_text()) if dump.exists() else {"segments": [], "state": {}}
    dumps.cleanup()
    result.segments = [tuple(segment) for segment in captured["segments"]]
    result.stdout = "".join(out.get("text", "") for cell in notebook.cells if cell.cell_type == "code"
                            for out in cell.get("outputs", []) if out.get("output_type") == "stream" and out.get("name") == "stdout")
    result.state = captured["state"] if result.ok else {}
    return result, folder


def _hidden(client, code: str) -> None:
    """Run code in the kernel silently and without history: no execution count, no output, no `_`."""
    from nbclient.util import run_sync

    async def execute():
        reply = await client.async_wait_for_reply(client.kc.execute(code, silent=True, store_history=False))
        if reply is None or reply["content"]["status"] != "ok":
            raise RuntimeError(f"the harness's own code failed in the kernel: {reply and reply['content']}")

    run_sync(execute)()


def _code_cell_numbers(notebook) -> Dict[int, int]:
    numbers, count = {}, 0
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type == "code":
            count += 1
            numbers[index] = count
    return numbers


def place_inputs(folder: Path, inputs: List[Tuple[Path, str]]) -> None:
    for source, relative in inputs:
        target = folder / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(source.read_bytes())


def run_script(folder: Path, script: str, holders: List[str], timeout: float = 120) -> Run:
    """`python SCRIPT` in `folder`, through a runner that digests the values named in `holders`."""
    with tempfile.TemporaryDirectory(prefix="nbdiff-dump-") as dumps:
        return _run_script(folder, script, holders, timeout, Path(dumps) / "dump.json")


def _run_script(folder: Path, script: str, holders: List[str], timeout: float, dump: Path) -> Run:
    command = [sys.executable, str(SCRIPT_RUNNER), script, str(dump), json.dumps(holders)]
    before = snapshot(folder)
    started = time.perf_counter()
    try:
        done = subprocess.run(command, cwd=folder, capture_output=True, text=True, timeout=timeout, env=run_environment())
    except subprocess.TimeoutExpired as expired:
        return Run(ok=False, error="Timeout", stdout=_text(expired.stdout), stderr=_text(expired.stderr), seconds=timeout)
    captured = json.loads(dump.read_text()) if dump.exists() else {"holders": {}, "error": ""}
    return Run(ok=done.returncode == 0, error=captured.get("error", "") if done.returncode else "",
               stdout=done.stdout, stderr=done.stderr, holders=captured.get("holders", {}),
               seconds=time.perf_counter() - started, files=changed_files(before, snapshot(folder)))


def snapshot(folder: Path) -> Dict[str, str]:
    found = {}
    for root, dirs, files in os.walk(folder):
        dirs[:] = [d for d in dirs if d not in IGNORED_PARTS]
        for name in files:
            path = Path(root) / name
            try:
                found[path.relative_to(folder).as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()[:20]
            except OSError:
                found[path.relative_to(folder).as_posix()] = "unreadable"
    return found

def changed_files(before: Dict[str, str], after: Dict[str, str]) -> Dict[str, Optional[str]]:
    """Files created or changed (by digest) and deleted (None) between two snapshots."""
    changes: Dict[str, Optional[str]] = {path: digest for path, digest in after.items() if before.get(path) != digest}
    changes.update({path: None for path in before if path not in after})
    return changes


def _text(data) -> str:
    return data.decode("utf-8", "replace") if isinstance(data, bytes) else (data or "")
