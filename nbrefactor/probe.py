"""The code nbrefactor runs inside the processes it executes (see nbrefactor.execute): standard library
only, Python 3.9 syntax, loaded by path so that nothing here shadows the modules of the code it runs.

- In a Jupyter kernel, `install_kernel_probe` (run silently before the first cell) attributes every
  write to stdout to the code cell and top-level statement that made it, and notes the cell that last
  bound each name; `finish_kernel` (run silently after the last cell) writes what the run ended with.
- As a program, `python probe.py SPEC.json` runs a generated script as `__main__`, as `python SCRIPT`
  would from the folder it runs in, keeping the locals of the functions that hold the final values
  (a profile hook keeps a frame's locals as it returns), then writes the same report and exits with
  the script's exit status.

The report (JSON): {"state": {name: description}, "random": {...}, "missing": [names], "bound_in":
{name: cell}, "writes": [[cell, line, text], ...], "loaded": {relative path: description}}.
"""
import ast
import builtins
import importlib.util
import json
import os
import sys
import traceback
import types

HERE = os.path.dirname(os.path.abspath(__file__))
PICKLE_SUFFIXES = (".pkl", ".pickle", ".joblib", ".sav", ".pck")
NOT_WALKED = {"__pycache__", ".ipynb_checkpoints", ".git"}


def describer():
    """nbrefactor's describe.py, loaded from this folder under a private name."""
    key = "_nbrefactor_describe"
    if key not in sys.modules:
        spec = importlib.util.spec_from_file_location(key, os.path.join(HERE, "describe.py"))
        module = importlib.util.module_from_spec(spec)
        sys.modules[key] = module
        spec.loader.exec_module(module)
    return sys.modules[key]


def write_report(path, report):
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(report, handle, default=str)


# ----------------------------------------------------------------------------- files

def written_pickles(before):
    """Relative paths of pickle files under the working folder that are new or changed since `before`
    (relative path -> sha256)."""
    import hashlib

    found = []
    for root, dirs, names in os.walk("."):
        dirs[:] = sorted(d for d in dirs if d not in NOT_WALKED)
        for name in sorted(names):
            path = os.path.relpath(os.path.join(root, name)).replace(os.sep, "/")
            if name.lower().endswith(PICKLE_SUFFIXES) and os.path.isfile(path):
                with open(path, "rb") as handle:
                    if before.get(path) != hashlib.sha256(handle.read()).hexdigest():
                        found.append(path)
    return found


def describe_files(paths):
    """Relative path -> description of the value a pickle or joblib file holds (loaded here, where the
    classes it names exist)."""
    described = {}
    for path in paths:
        try:
            described[path] = describer().describe(load_pickled(path))
        except Exception as error:
            described[path] = {"t": "file", "nc": f"cannot be loaded: {type(error).__name__}: {error}"[:200]}
    return described


def load_pickled(path):
    if "joblib" in sys.modules or path.lower().endswith(".joblib"):
        try:
            import joblib

            return joblib.load(path)
        except ImportError:
            pass
    import pickle

    with open(path, "rb") as handle:
        return pickle.load(handle)


# ---------------------------------------------------------------------------- seeds

def seed_random_generators(seed):
    """Start Python's and numpy's global random generators from `seed`, so that code drawing from them
    without seeding draws the same numbers in every process given the same seed. numpy is seeded as
    it is first imported, not imported early (code may set up its environment before importing it)."""
    if seed is None:
        return
    import random

    random.seed(seed)
    if "numpy.random" in sys.modules:
        sys.modules["numpy.random"].seed(seed)
    else:
        sys.meta_path.insert(0, SeedOnImport(seed))


class SeedOnImport:
    """An import hook that seeds numpy.random's global generator once numpy.random is loaded."""

    def __init__(self, seed):
        self.seed = seed

    def find_spec(self, name, path=None, target=None):
        if name != "numpy.random":
            return None
        sys.meta_path.remove(self)
        spec = importlib.util.find_spec(name)
        if spec is not None and spec.loader is not None:
            spec.loader.exec_module = self.seeding(spec.loader.exec_module)
        return spec

    def seeding(self, exec_module):
        def exec_and_seed(module):
            exec_module(module)
            module.seed(self.seed)

        return exec_and_seed


# ------------------------------------------------------------------------ in a kernel

class KernelProbe:
    """Attributes stdout writes to (code cell, top-level statement line) and tracks where names are bound."""

    def __init__(self, shell, cells):
        self.shell = shell
        self.cells = cells  # [[code cell number, source], ...] in the order they will run
        self.next = 0
        self.cell = 0
        self.starts = []
        self.writes = []
        self.bound_in = {}
        self.ids = {}
        self.writing = False
        self.cell_magic = False

    def pre_run_cell(self, info):
        """A cell run by the client starts (a cell run from inside a cell keeps the outer cell)."""
        if self.next < len(self.cells) and info.raw_cell == self.cells[self.next][1]:
            self.cell = self.cells[self.next][0]
            self.next += 1
            self.cell_magic = info.raw_cell.lstrip().startswith("%%")
            body = info.raw_cell.split("\n", 1)[1] if self.cell_magic and "\n" in info.raw_cell else info.raw_cell
            self.starts = [start + self.cell_magic for start in statement_starts(self.shell.transform_cell(body))]
        self.attach(sys.stdout)

    def attach(self, stream):
        """Wrap the stream's write, once: IPython may set its own write around each cell (to keep outputs
        in its history) and restore the previous one after it, so this runs as each cell starts."""
        if not getattr(stream.write, "nbrefactor_probe", False):
            stream.write = self.wrap(stream.write)

    def post_run_cell(self, result):
        namespace = self.shell.user_ns
        for name in list(namespace):
            if self.ids.get(name) != id(namespace[name]):
                self.ids[name] = id(namespace[name])
                self.bound_in[name] = self.cell
        for name in [name for name in self.ids if name not in namespace]:
            del self.ids[name]
            self.bound_in.pop(name, None)

    def wrap(self, write):
        def attributed_write(text):
            if self.writing:  # a write from inside a write (wrappers nest when a cell runs a cell)
                return write(text)
            self.writing = True
            try:
                if text:
                    self.record(text, self.statement_line(sys._getframe(1)))
                return write(text)
            finally:
                self.writing = False

        attributed_write.nbrefactor_probe = True
        return attributed_write

    def record(self, text, line):
        if self.writes and self.writes[-1][:2] == [self.cell, line]:
            self.writes[-1][2] += text
        else:
            self.writes.append([self.cell, line, text])

    def statement_line(self, frame):
        """First line of the top-level statement running in the cell's own frame (the outermost
        `<module>` frame whose globals are the user namespace; for a cell magic such as %%time, the
        one inside it that runs the cell's body); 0 when none is on the stack."""
        lines = []
        namespace = self.shell.user_ns
        while frame is not None:
            if frame.f_code.co_name == "<module>" and frame.f_globals is namespace:
                lines.insert(0, frame.f_lineno)
            frame = frame.f_back
        if self.cell_magic:  # the magic's own output belongs to its line, 1
            lines = [line + 1 for line in lines[1:2]] or [1] * bool(lines)
        line = lines[0] if lines else 0
        return max([start for start in self.starts if start <= line], default=line) if line else 0


def statement_starts(source):
    try:
        return [node.lineno for node in ast.parse(source).body]
    except SyntaxError:
        return []


def install_kernel_probe(shell, cells, seed=None):
    """Install the probe in a running IPython kernel, before its first cell."""
    seed_random_generators(seed)
    probe = KernelProbe(shell, cells)
    shell.events.register("pre_run_cell", probe.pre_run_cell)
    shell.events.register("post_run_cell", probe.post_run_cell)
    probe.ids = {name: id(value) for name, value in shell.user_ns.items()}
    shell._nbrefactor_probe = probe
    return probe


def finish_kernel(shell, out, before):
    """Write the kernel run's report: the final state, the attributed writes, the pickles it wrote."""
    probe = shell._nbrefactor_probe
    sys.stdout.flush()
    writes = [list(write) for write in probe.writes]
    describe = describer()
    report = {
        "state": describe.describe_names(shell.user_ns, hidden=shell.user_ns_hidden),
        "random": describe.global_random_states(), "bound_in": probe.bound_in, "writes": writes,
    }
    report["loaded"] = describe_files(written_pickles(before))
    write_report(out, report)


# ------------------------------------------------------------------------- a script

class FrameKeeper:
    """A profile hook that keeps the locals of the named functions of one module as they return."""

    def __init__(self, names, module_globals):
        self.names = set(names)
        self.module_globals = module_globals
        self.held = {}

    def __call__(self, frame, event, arg):
        if event == "return" and frame.f_code.co_name in self.names and frame.f_globals is self.module_globals:
            self.held[frame.f_code.co_name] = dict(frame.f_locals)


def place_of(where):
    """The function whose frame holds a value: "main", "init", "run", "function:NAME" -> NAME."""
    return where.split(":", 1)[1] if where.startswith("function:") else where


def run_script(spec):
    """Run the script as __main__ from the working folder; keep what the report needs; return the exit status."""
    script = spec["script"]
    module = types.ModuleType("__main__")
    module.__file__ = script
    module.__builtins__ = builtins
    sys.modules["__main__"] = module
    sys.argv = [script]
    sys.path[0] = os.getcwd()  # as if the script sat in the folder it runs in, beside the notebook
    places = {place_of(where) for where in spec["state"].values() if where not in ("module", "removed")}
    keeper = FrameKeeper(places | {"main"}, module.__dict__)
    with open(script, encoding="utf-8") as handle:
        source = handle.read()
    seed_random_generators(spec.get("seed"))
    status = execute(source, script, module.__dict__, keeper)
    sys.stdout.flush()
    write_report(spec["out"], script_report(spec, keeper.held, module.__dict__))
    return status


def execute(source, filename, namespace, keeper):
    """Run the script with the profile hook on, except around its leading imports and definitions
    (a hook makes imports of large libraries twice as slow); the exit status `python SCRIPT` would have."""
    try:
        for code, quiet in chunks(source, filename):
            sys.setprofile(None if quiet else keeper)
            exec(code, namespace)
    except SystemExit as stop:
        return exit_status(stop.code)
    except BaseException:
        sys.setprofile(None)
        traceback.print_exc()
        return 1
    finally:
        sys.setprofile(None)
    return 0


QUIET = (ast.Import, ast.ImportFrom, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


def chunks(source, filename):
    """(code, quiet) for the script's top-level statements, one by one while they only import and
    define; the rest in one piece. Each statement keeps its lines, and `from __future__` imports
    apply to what follows, as in one module."""
    import __future__

    tree = ast.parse(source, filename)
    flags = 0
    for index, statement in enumerate(tree.body):
        if not isinstance(statement, QUIET):
            yield compile(ast.Module(body=tree.body[index:], type_ignores=[]), filename, "exec", flags=flags, dont_inherit=True), False
            return
        yield compile(ast.Module(body=[statement], type_ignores=[]), filename, "exec", flags=flags, dont_inherit=True), True
        if isinstance(statement, ast.ImportFrom) and statement.module == "__future__":
            flags |= sum(getattr(__future__, alias.name).compiler_flag for alias in statement.names)


def exit_status(code):
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    sys.stderr.write(f"{code}\n")
    return 1


def script_report(spec, held, module_globals):
    """The final value of each name: where the conversion says the script holds it, and for the names it
    does not list, main()'s locals, then the module's globals."""
    values = dict(module_globals, **held.get("main", {}))
    missing = []
    for name, where in spec["state"].items():
        scope = module_globals if where == "module" else held.get(place_of(where), {})
        if where == "removed" or name not in scope:
            values.pop(name, None)
            missing += [] if where == "removed" else [name]
        else:
            values[name] = scope[name]
    describe = describer()
    return {
        "state": describe.describe_names(values), "random": describe.global_random_states(), "missing": sorted(missing),
        "loaded": describe_files(written_pickles(spec.get("before", {}))),
    }


def main(argv):
    with open(argv[1], encoding="utf-8") as handle:
        spec = json.load(handle)
    return run_script(spec)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
