"""The one writer: states decided by content, no person's file overwritten, nothing written outside the
output folder or through a link, and every set written all or none, under faults and signals."""
from __future__ import annotations

import ast
import errno
import os
import pathlib
import re
import signal
import subprocess
import sys

import pytest

from nbrefactor.model import NotebookError
from nbrefactor.render import check_compiles, with_header
from nbrefactor.writer import (
    DATA, EDITED, FOREIGN, LINK, NEW, REMOVED, REPORT, STALE, UNCHANGED, Output, WriteError, survey, write_all,
)

GENERATED = with_header("x = 1\n", "nb.ipynb", "abc", ())
NEWER = with_header("x = 2\n", "nb.ipynb", "def", ())
OTHERS = with_header("x = 2\n", "other.ipynb", "def", ())
LEGACY = with_header("x = 2\n", "nb.ipynb", "def")


def code(folder: pathlib.Path, name: str, text: str = GENERATED, owner: str = "nb.ipynb") -> Output:
    return Output.code(folder / name, text, folder, owner)


def leftovers(folder: pathlib.Path):
    return sorted(p.name for p in folder.rglob("*.tmp"))


def edit_line(text: str, number: int, change) -> str:
    lines = text.split("\n")
    lines[number] = change(lines[number])
    return "\n".join(lines)


@pytest.mark.parametrize(
    "existing, state",
    [
        (None, NEW),
        (GENERATED, UNCHANGED),
        (NEWER, STALE),
        (LEGACY, STALE),
        (GENERATED.replace("x = 1", "x = 10"), EDITED),
        (edit_line(NEWER, 0, lambda line: line.replace("edit the notebook", "EDIT THE NOTEBOOK")), EDITED),
        (edit_line(NEWER, 1, lambda line: line.replace("findings=none", "findings=NB101")), EDITED),
        (edit_line(NEWER, 1, lambda line: line.replace("source=def", "source=abc")), EDITED),
        (OTHERS, "owned by other.ipynb"),
        ("print('mine')\n", FOREIGN),
    ],
    ids=["missing", "same", "stale", "older-format", "body-edited", "line-1-edited", "findings-edited", "digest-edited", "other-notebook", "foreign"],
)
def test_survey_decides_by_content(tmp_path: pathlib.Path, existing, state):
    if existing is not None:
        (tmp_path / "train.py").write_text(existing)
    [planned] = survey([code(tmp_path, "train.py")])
    assert planned.state == state
    assert planned.blocked == (state in (EDITED, FOREIGN) or state.startswith("owned by"))


@pytest.mark.parametrize(
    "existing, state",
    [(None, NEW), ("## nbrefactor: `a` -> `b`\n", STALE), ("# My notes\n", FOREIGN)],
)
def test_a_report_replaces_only_an_earlier_report(tmp_path, existing, state):
    if existing is not None:
        (tmp_path / "review.md").write_text(existing)
    [planned] = survey([Output(tmp_path / "review.md", b"## nbrefactor: `nb` -> `train.py`\n", tmp_path, kind=REPORT)])
    assert planned.state == state


def make_symlinked_folder(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "fixtures").symlink_to(outside)
    return Output(tmp_path / "out" / "fixtures" / "train" / "values.json", b"{}", tmp_path / "out", kind=DATA), "a symbolic link"


def make_escape(tmp_path):
    (tmp_path / "out").mkdir()
    return Output(tmp_path / "out" / ".." / "escaped.py", b"x", tmp_path / "out"), "outside"


def make_outside(tmp_path):
    return Output(tmp_path / "elsewhere.py", b"x", tmp_path / "out"), "outside"


def make_input(tmp_path):
    (tmp_path / "nb.ipynb").write_text("{}")
    return Output(tmp_path / "nb.ipynb", b"x", tmp_path), "is an input"


def make_fifo(tmp_path):
    os.mkfifo(tmp_path / "train.py")
    return code(tmp_path, "train.py"), "not a regular file"


def make_folder_target(tmp_path):
    (tmp_path / "train.py").mkdir()
    return code(tmp_path, "train.py"), "not a regular file"


@pytest.mark.parametrize("make", [make_symlinked_folder, make_escape, make_outside, make_input, make_fifo, make_folder_target])
def test_forbidden_targets_are_errors_before_anything_is_read_or_written(tmp_path, make):
    output, message = make(tmp_path)
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))

    with pytest.raises(WriteError, match=message):
        survey([output], inputs=[tmp_path / "nb.ipynb"])

    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")) == before


def test_a_symlinked_output_is_protected_and_force_replaces_the_link_not_its_target(tmp_path):
    target = tmp_path / "precious.py"
    target.write_text("keep me\n")
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "train.py").symlink_to(target)

    planned = survey([code(tmp_path / "out", "train.py")])
    write_all(planned)

    assert planned[0].state == LINK and planned[0].blocked
    assert target.read_text() == "keep me\n"
    assert not (tmp_path / "out" / "train.py").is_symlink()


def test_a_failed_write_puts_back_every_file_already_replaced(tmp_path: pathlib.Path):
    first = tmp_path / "train.py"
    first.write_text(NEWER)
    (tmp_path / "test_train.py").mkdir()  # a folder where a file should go: replacing it fails
    planned = survey([code(tmp_path, "train.py")]) + [survey([code(tmp_path, "other.py")])[0].__class__(tmp_path / "test_train.py", b"x", STALE, b"")]

    with pytest.raises(WriteError, match="test_train.py: cannot write"):
        write_all(planned)

    assert first.read_text() == NEWER
    assert sorted(p.name for p in tmp_path.iterdir()) == ["test_train.py", "train.py"]


class Faults:
    """os.replace / os.write that fail (or signal) on chosen calls, counting only the writer's own."""

    def __init__(self, monkeypatch, fail_replace_at=0, fail_write=None, signal_after_replace=0):
        self.replaces = 0
        self.real_replace, self.real_write = os.replace, os.write
        self.fail_replace_at, self.fail_write, self.signal_after = fail_replace_at, fail_write, signal_after_replace
        monkeypatch.setattr(os, "replace", self.replace)
        monkeypatch.setattr(os, "write", self.write)

    def replace(self, source, target):
        self.replaces += 1
        if self.replaces == self.fail_replace_at:
            raise OSError(errno.EIO, "Input/output error")
        self.real_replace(source, target)
        if self.replaces == self.signal_after:
            os.kill(os.getpid(), signal.SIGINT)

    def write(self, handle, data):
        if self.fail_write and os.readlink(f"/proc/self/fd/{handle}").endswith(".tmp"):
            raise OSError(self.fail_write, os.strerror(self.fail_write))
        return self.real_write(handle, data)


CRLF_OLD = NEWER.replace("\n", "\r\n")


def three_outputs(tmp_path):
    (tmp_path / "train.py").write_bytes(CRLF_OLD.encode())
    (tmp_path / "test_train.py").write_bytes(b"# Generated by nbrefactor from nb.ipynb: edit the notebook and convert again.\r\n")
    return survey([code(tmp_path, "train.py"), code(tmp_path, "test_train.py"), code(tmp_path / "sub", "new.py")])


def snapshot(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize(
    "faults, message",
    [
        ({"fail_replace_at": 1}, "train.py: cannot write"),
        ({"fail_replace_at": 2}, "new.py: cannot write"),
        ({"fail_write": errno.ENOSPC}, "No space left on device"),
        ({"fail_write": errno.EDQUOT}, "quota exceeded"),
    ],
    ids=["first-rename", "second-rename", "disk-full", "quota"],
)
def test_faults_leave_every_file_byte_exact_and_no_temporary_file(tmp_path, monkeypatch, faults, message):
    (tmp_path / "test_train.py").write_bytes(b"keep\r\n")  # foreign: left out of the set below
    (tmp_path / "train.py").write_bytes(CRLF_OLD.encode())
    planned = survey([code(tmp_path, "train.py"), code(tmp_path / "sub", "new.py")])
    before = snapshot(tmp_path)
    Faults(monkeypatch, **faults)

    with pytest.raises(WriteError, match=message) as raised:
        write_all(planned)

    monkeypatch.undo()
    assert snapshot(tmp_path) == before
    assert leftovers(tmp_path) == [] and not (tmp_path / "sub").exists()
    assert "\n" not in str(raised.value)


def test_sigint_between_renames_waits_until_the_set_is_complete(tmp_path, monkeypatch):
    planned = three_outputs(tmp_path)
    Faults(monkeypatch, signal_after_replace=1)

    with pytest.raises(KeyboardInterrupt):
        write_all(planned)

    monkeypatch.undo()
    assert snapshot(tmp_path) == {"train.py": GENERATED.encode(), "test_train.py": GENERATED.encode(), "sub/new.py": GENERATED.encode()}
    assert leftovers(tmp_path) == []


SIGNALLED = """
import os, signal, sys, pathlib
from nbrefactor.model import NotebookError
from nbrefactor.render import check_compiles, with_header
from nbrefactor.writer import Output, survey, write_all
folder = pathlib.Path(sys.argv[1])
number = getattr(signal, sys.argv[2])
real = os.replace
calls = []
def replace(source, target):
    real(source, target)
    calls.append(target)
    if len(calls) == 1:
        os.kill(os.getpid(), number)
os.replace = replace
texts = [with_header(f"x = {i}\\n", "nb.ipynb", "abc", ()) for i in range(3)]
write_all(survey([Output.code(folder / f"f{i}.py", t, folder, "nb.ipynb") for i, t in enumerate(texts)]))
print("not reached")
"""


@pytest.mark.slow
@pytest.mark.parametrize("name, status", [("SIGTERM", -signal.SIGTERM), ("SIGINT", -signal.SIGINT)])
def test_a_signal_from_outside_lands_after_the_set_is_written(tmp_path, name, status):
    done = subprocess.run([sys.executable, "-c", SIGNALLED, str(tmp_path), name], capture_output=True, text=True)

    assert done.returncode == status, done.stderr
    assert "not reached" not in done.stdout
    assert sorted(p.name for p in tmp_path.iterdir()) == ["f0.py", "f1.py", "f2.py"]


def test_removals_are_part_of_the_set_and_come_back_on_failure(tmp_path, monkeypatch):
    (tmp_path / "fixtures").mkdir()
    (tmp_path / "fixtures" / "old.json").write_bytes(b"old\r\n")
    planned = survey([Output(tmp_path / "fixtures" / "old.json", None, tmp_path, kind=DATA), code(tmp_path, "train.py")])
    assert [item.state for item in planned] == [REMOVED, NEW]
    Faults(monkeypatch, fail_replace_at=1)

    with pytest.raises(WriteError):
        write_all(planned)

    monkeypatch.undo()
    assert (tmp_path / "fixtures" / "old.json").read_bytes() == b"old\r\n"
    assert not (tmp_path / "train.py").exists()


def test_new_files_follow_the_umask_and_replaced_files_keep_their_mode(tmp_path: pathlib.Path):
    fresh, kept = tmp_path / "train.py", tmp_path / "test_train.py"
    kept.write_text(NEWER)
    kept.chmod(0o640)
    umask = os.umask(0o022)
    try:
        write_all(survey([code(tmp_path, "train.py"), code(tmp_path, "test_train.py")]))
    finally:
        os.umask(umask)
    assert (fresh.stat().st_mode & 0o777, kept.stat().st_mode & 0o777) == (0o644, 0o640)


def test_an_output_folder_that_is_a_file_is_named(tmp_path: pathlib.Path):
    blocker = tmp_path / "out"
    blocker.write_text("")
    with pytest.raises(WriteError, match="out: not a folder"):
        write_all(survey([Output.code(blocker / "train.py", GENERATED, blocker, "nb.ipynb")]))


WRITING_MODE = set("wax+")
WRITING_FLAGS = {"O_WRONLY", "O_RDWR", "O_CREAT", "O_APPEND", "O_TRUNC"}
WRITING_CALLS = {"write_text", "write_bytes", "mkstemp", "NamedTemporaryFile"}


def _writes_files(source: str) -> bool:
    """The code calls write_text/write_bytes, makes a temporary file, calls os.write, opens a file in a
    mode that may write (a mode that is not a plain literal counts), or calls os.open with a flag that
    writes. Text inside strings and docstrings (helper sources copied into generated scripts, prose) is
    not code nbrefactor runs."""
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        name = getattr(node.func, "attr", None) or getattr(node.func, "id", "")
        on_os = getattr(getattr(node.func, "value", None), "id", "") == "os"
        if name in WRITING_CALLS or (on_os and name == "write"):
            return True
        if name == "open" and on_os:
            flags = {getattr(n, "attr", getattr(n, "id", "")) for arg in node.args[1:2] for n in ast.walk(arg)}
            if flags & WRITING_FLAGS:
                return True
        elif name in ("open", "fdopen"):
            mode = node.args[1] if len(node.args) > 1 else next((k.value for k in node.keywords if k.arg == "mode"), None)
            if mode is not None and not (isinstance(mode, ast.Constant) and not WRITING_MODE & set(str(mode.value))):
                return True
    return False


@pytest.mark.parametrize(
    "source, writes",
    [
        ("path.write_text('x')", True),
        ("open(path, 'w')", True),
        ("open(path, mode='ab')", True),
        ("open(path, 'r+')", True),
        ("open(path, 'a' if append else 'w')", True),
        ("io.open(path, 'rb')", False),
        ("os.open(path, os.O_WRONLY | os.O_CREAT)", True),
        ("os.open(path, os.O_RDONLY | getattr(os, 'O_NONBLOCK', 0))", False),
        ("os.fdopen(descriptor, 'wb')", True),
        ("handle, temporary = tempfile.mkstemp(dir=folder)", True),
        ("os.write(handle, view)", True),
        ("sys.stdout.write(text)", False),
        ("open(path)", False),
        ('"""`open(path, "w")` and friends"""', False),
        ("HELPER = '''with open(filename, \"w\") as file: file.write(text)'''", False),
    ],
)
def test_the_writer_scan_finds_code_that_writes_and_nothing_else(source, writes):
    assert _writes_files(source) is writes


def test_the_writer_module_has_no_other_writer():
    """Every output goes through writer.write_all: no other module of the package opens files to write."""
    package = pathlib.Path(__file__).resolve().parent.parent / "nbrefactor"
    allowed = {"writer.py", "fixtures.py", "capture.py", "verify.py", "checks.py", "execute.py", "probe.py", "record.py"}
    offenders = [path.name for path in package.glob("*.py") if path.name not in allowed and _writes_files(path.read_text())]
    assert offenders == []
    assert _writes_files((package / "writer.py").read_text()), "the scan must see the writer's own writes"



# --- generated code is compiled before anything is written -------------------------------------------

@pytest.mark.parametrize("text", [
    'def f():\n    return """\n\ndef not_code(:\n"""\n\n\ndef g():\n    pass\n',  # a string that looks like a definition
    "import os\n\n\n@property\ndef f(self):\n    return os\n",
])
def test_generated_code_that_compiles_passes(text):
    assert compile(text, "x.py", "exec")
    check_compiles(text, "x.py")


@pytest.mark.parametrize("text, message", [
    ("def f():\n    pass\n\n\ndef g():\n    return (\n", "(line 6)"),
    ("x = 1\n\n\ndef f():\n    nonlocal y\n", "(line 5)"),
    ("import os\n\n\ndef f():\n    pass\nfrom __future__ import annotations\n", "(line 6)"),
])
def test_generated_code_that_does_not_compile_is_located_in_the_whole_file(text, message):
    with pytest.raises(NotebookError, match=re.escape(message)):
        check_compiles(text, "x.py")
