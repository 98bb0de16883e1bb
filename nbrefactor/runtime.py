"""Helper functions a generated script may need: what IPython did for a magic, in plain Python.

Each helper is a table entry: the names it may take in a script (the first one no notebook code uses
wins, so a helper never shadows a notebook name) and its source, with NAME where the chosen name goes.
Helpers import what they use inside their own bodies: they need nothing at module level, and no
notebook name can shadow a module they use. `nbrefactor.magics` records, for each cell, the chosen
names of the helpers its rewritten code calls; `helper_source(name)` gives the text for a script.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Collection, Dict, Iterable, Optional, Tuple


@dataclass(frozen=True)
class Helper:
    key: str
    names: Tuple[str, ...]  # preferred names, best first; then the first one numbered: name_2, name_3...
    source: str  # the definition, with NAME where its name goes


_SHELL = '''\
def NAME(command):
    """Run a shell command as IPython's `!command` does; return its exit status.

    The command runs with the user's shell ($SHELL, else sh); its standard output and standard error,
    merged, are written to sys.stdout as they arrive, so they mix with prints in the order IPython
    shows them. A signal that ended the command gives a negative status. Programs see a pipe, not
    IPython's terminal: output meant for terminals (columns of `ls`, colours) may differ.
    """
    import codecs
    import locale
    import os
    import shutil
    import subprocess
    import sys

    if command.rstrip().endswith("&"):
        raise OSError("Background processes not supported.")
    shell = shutil.which(os.environ.get("SHELL", "sh"))
    process = subprocess.Popen(command, shell=True, executable=shell, stdin=subprocess.DEVNULL,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    decoder = codecs.getincrementaldecoder(locale.getpreferredencoding(False))("replace")
    with process.stdout:
        for chunk in iter(lambda: process.stdout.read1(65536), b""):
            sys.stdout.write(decoder.decode(chunk))
            sys.stdout.flush()
    sys.stdout.write(decoder.decode(b"", final=True))
    status = process.wait()
    return 128 - status if status > 128 else status
'''

_SHELL_LINES = '''\
def NAME(command):
    """The output lines of a shell command, standard error included, as IPython's `x = !command` gives.

    IPython returns them as an SList (a list with extra attributes such as `.n` and `.s`); this is a list.
    """
    import locale
    import os
    import subprocess
    import sys

    if command.rstrip().endswith("&"):
        raise OSError("Background processes not supported.")
    sys.stdout.flush()
    sys.stderr.flush()
    result = subprocess.run(command, shell=True, executable=os.environ.get("SHELL"), input=b"",
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    return result.stdout.decode(locale.getpreferredencoding(False), "replace").splitlines()
'''

_CELL_SCRIPT = '''\
def NAME(argv, text, capture_stdout=False, capture_stderr=False, raise_error=True):
    """Run `text` as the standard input of the program `argv`, as IPython's `%%bash` or `%%script` does.

    Its standard output and error go to sys.stdout and sys.stderr as they arrive, unless captured
    (`--out`, `--err`): returns the captured (stdout, stderr) texts. A non-zero exit raises
    CalledProcessError, as IPython does unless `--no-raise-error`; a missing program is only reported.
    """
    import codecs
    import subprocess
    import sys
    import threading

    try:
        process = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE)
    except FileNotFoundError:
        print("Couldn't find program: %r" % argv[0])
        return "", ""
    captured = {process.stdout: [] if capture_stdout else None,
                process.stderr: [] if capture_stderr else None}

    def forward(stream, sink):
        decoder = codecs.getincrementaldecoder("utf-8")("replace")
        for chunk in iter(lambda: stream.read1(65536), b""):
            if captured[stream] is None:
                sink.write(decoder.decode(chunk))
                sink.flush()
            else:
                captured[stream].append(decoder.decode(chunk))

    streams = ((process.stdout, sys.stdout), (process.stderr, sys.stderr))
    threads = [threading.Thread(target=forward, args=pair) for pair in streams]
    for thread in threads:
        thread.start()
    script = (text if text.endswith("\\n") else text + "\\n").encode("utf-8", "replace")
    try:
        process.stdin.write(script)
        process.stdin.close()
    except BrokenPipeError:
        pass
    for thread in threads:
        thread.join()
    status = process.wait()
    if raise_error and status != 0:
        raise subprocess.CalledProcessError(status or -9, script)
    return tuple("".join(captured[stream] or ()) for stream in (process.stdout, process.stderr))
'''

_CAPTURE = '''\
class NAME:
    """What IPython's `%%capture` collects: the text written to sys.stdout and sys.stderr in the block.

    Used as `with NAME() as output:`; then `output.stdout` and `output.stderr` hold the text, and
    `output.show()` writes it out again. Rich display outputs, which IPython also captures, have no
    counterpart in a script.
    """

    def __init__(self, stdout=True, stderr=True):
        import io

        self._stdout = io.StringIO() if stdout else None
        self._stderr = io.StringIO() if stderr else None
        self._saved = None

    def __enter__(self):
        import sys

        self._saved = sys.stdout, sys.stderr
        sys.stdout = self._stdout or sys.stdout
        sys.stderr = self._stderr or sys.stderr
        return self

    def __exit__(self, *exception):
        import sys

        sys.stdout, sys.stderr = self._saved
        return False

    @property
    def stdout(self):
        return self._stdout.getvalue() if self._stdout else ""

    @property
    def stderr(self):
        return self._stderr.getvalue() if self._stderr else ""

    def show(self):
        import sys

        sys.stdout.write(self.stdout)
        sys.stderr.write(self.stderr)
        sys.stdout.flush()
        sys.stderr.flush()

    __call__ = show

    def __str__(self):
        return self.stdout
'''

_WRITE_FILE = '''\
def NAME(filename, text, append=False):
    """Write a cell's text to a file as IPython's `%%writefile [-a]` does, saying what it did."""
    import os

    filename = os.path.expanduser(filename)
    if os.path.exists(filename):
        print(("Appending to %s" if append else "Overwriting %s") % filename)
    else:
        print("Writing %s" % filename)
    with open(filename, "a" if append else "w", encoding="utf-8") as file:
        file.write(text)
'''

_CHANGE_DIR = '''\
def NAME(path="~", quiet=False):
    """Change the working folder as IPython's `%cd` does.

    `~` is expanded; a folder that cannot be entered is reported, not raised; the working folder is
    printed afterwards unless quiet (`%cd -q`).
    """
    import os

    try:
        os.chdir(os.path.expanduser(path))
    except OSError as error:
        print(error)
    if not quiet:
        print(os.getcwd())
'''

_SET_ENV = '''\
def NAME(name, value):
    """Set an environment variable as IPython's `%env name=value` does (the value stripped of the
    spaces around it), printing `env: name=value`."""
    import os

    value = value.strip()
    os.environ[name] = value
    print(f"env: {name}={value}")
'''

_RUN_SCRIPT = '''\
def NAME(path, *args, run_name="__main__", exit_ignore=False):
    """Run a Python file as IPython's `%run` does; return the global names it bound.

    %run adds those names to the notebook's namespace. The file runs in a fresh module named
    `run_name`, with sys.argv set to the file and `args` (each with `~` expanded) and its folder first
    on sys.path. An exception, or sys.exit with a non-zero status, is reported on stderr and not
    raised, as %run reports it; the names bound until then are still returned.
    """
    import os
    import sys
    import traceback
    import types

    path = os.path.expanduser(path)
    if not os.path.isfile(path) and os.path.isfile(path + ".py"):
        path += ".py"
    filename = os.path.realpath(path)
    with open(filename, "rb") as file:
        code = compile(file.read(), filename, "exec")
    module = types.ModuleType(run_name)
    module.__file__ = filename
    folder = os.path.dirname(filename)
    added = folder not in sys.path
    saved = sys.argv, sys.modules.get(run_name)
    sys.argv = [path] + [os.path.expanduser(arg) for arg in args]
    sys.modules[run_name] = module
    if added:
        sys.path.insert(0, folder)
    try:
        exec(code, module.__dict__)
    except SystemExit as exit:
        if exit.code and not exit_ignore:
            traceback.print_exception(SystemExit, exit, None)
    except Exception:
        traceback.print_exc()
    finally:
        sys.argv = saved[0]
        if saved[1] is not None:
            sys.modules[run_name] = saved[1]
        if added and folder in sys.path:
            sys.path.remove(folder)
    return {name: value for name, value in vars(module).items()
            if not (name.startswith("__") and name.endswith("__"))}
'''

_EXPAND = '''\
def NAME(text, expand):
    """IPython's expansion of `{expression}` and `$name` in a magic's text: `expand()` builds the
    expanded text; if an expression in it fails, IPython keeps the text as written, and so does this."""
    try:
        return expand()
    except Exception:
        return text
'''

_NUMPY_PRECISION = '''\
def NAME(digits=8):
    """What IPython's `%precision N` changes besides its own display: numpy's print precision, when
    numpy is already imported (IPython's rule). `%precision` without a number restores numpy's 8."""
    import sys

    if "numpy" in sys.modules:
        sys.modules["numpy"].set_printoptions(precision=digits)
'''

HELPERS: Dict[str, Helper] = {
    helper.key: helper
    for helper in (
        Helper("shell", ("run_shell", "run_shell_command"), _SHELL),
        Helper("shell_lines", ("shell_lines", "shell_output_lines"), _SHELL_LINES),
        Helper("cell_script", ("run_cell_script", "run_script_text"), _CELL_SCRIPT),
        Helper("capture", ("CapturedOutput", "CapturedStreams"), _CAPTURE),
        Helper("write_file", ("write_cell_file", "write_text_file"), _WRITE_FILE),
        Helper("change_dir", ("change_dir", "change_working_dir"), _CHANGE_DIR),
        Helper("set_env", ("set_env", "set_env_var"), _SET_ENV),
        Helper("run_script", ("run_script", "run_python_file"), _RUN_SCRIPT),
        Helper("expand", ("expand_or_keep", "expand_magic_text"), _EXPAND),
        Helper("numpy_precision", ("set_numpy_precision", "set_numpy_print_precision"), _NUMPY_PRECISION),
    )
}

_NUMBERED = re.compile(r"^(?P<base>.+)_(?:[2-9]|[1-9]\d+)$")


def choose_name(preferred: Iterable[str], taken: Collection[str]) -> str:
    """The first preferred name not taken; else the first one numbered (`name_2`, `name_3`...)."""
    preferred = tuple(preferred)
    for name in preferred:
        if name not in taken:
            return name
    number = 2
    while f"{preferred[0]}_{number}" in taken:
        number += 1
    return f"{preferred[0]}_{number}"


def choose_names(taken: Collection[str]) -> Dict[str, str]:
    """A script name for every helper, none of them in `taken` (the names a notebook's code uses)."""
    return {key: choose_name(helper.names, taken) for key, helper in HELPERS.items()}


def helper_named(name: str) -> Optional[Helper]:
    """The helper a chosen name stands for, or None."""
    numbered = _NUMBERED.match(name)
    for helper in HELPERS.values():
        if name in helper.names or (numbered and numbered.group("base") == helper.names[0]):
            return helper
    return None


def helper_source(name: str) -> str:
    """The source of the helper called `name` in a script."""
    helper = helper_named(name)
    if helper is None:
        raise KeyError(name)
    return re.sub(r"\bNAME\b", name, helper.source)
