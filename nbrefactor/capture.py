"""Runs in a child process, under the notebook environment's interpreter: executes code and captures values.

Modes (argv[1]):
  notebook CELLS.json OUT        run code cells top to bottom in one namespace; pickle the names it holds
  script SCRIPT SPEC.json OUT    run a generated script as __main__; pickle, for each name, the value it
                                 finally held: in the function that bound it last (SPEC's "owners"), else
                                 in the entry points (main, or init and run), and for a scoring script
                                 its module globals
  compare NOTEBOOK.pkl AGAIN.pkl SCRIPT.pkl OUT
                                 compare the script's capture with the notebook's, leaving out names whose
                                 values differ between the two runs of the notebook; write a JSON report
  record SCRIPT MODULE SPEC.json OUT
                                 import the script as MODULE, wrap the named functions to record their
                                 first call (arguments before and after, globals, return value), then run
                                 the script's `if __name__ == "__main__":` block, keeping what main() held
  compare-files SPEC.json OUT    compare files both runs wrote whose bytes differ (pickles as values)
  store SPEC.json                write fixtures from two recordings (see nbrefactor.fixtures)

It depends on the standard library only, and loads its sibling modules by path under private names, so
that nothing here shadows the modules of the code it runs (nbrefactor has a model.py, so may a notebook).
"""
import ast
import builtins
import importlib.util
import inspect
import json
import os
import pickle
import sys
import traceback
import types

HERE = os.path.dirname(os.path.abspath(__file__))
MAX_VALUE_BYTES = 100 * 1024 * 1024


def sibling(name):
    """nbrefactor's module `name`, loaded from this folder as `_nbrefactor_<name>`."""
    key = "_nbrefactor_" + name
    if key not in sys.modules:
        spec = importlib.util.spec_from_file_location(key, os.path.join(HERE, name + ".py"))
        module = importlib.util.module_from_spec(spec)
        sys.modules[key] = module
        spec.loader.exec_module(module)
    return sys.modules[key]


def payload(value):
    """("pickle", bytes) or ("unstorable", type name, repr, reason): a value made ready to cross processes."""
    kind = type(value)
    name = kind.__name__ if kind.__module__ == "builtins" else f"{kind.__module__}.{kind.__qualname__}"
    try:
        data = pickle.dumps(value, protocol=4)
    except Exception as error:
        return ("unstorable", name, sibling("checks").scrubbed_repr(value)[:200], f"cannot be pickled: {error}")
    return ("pickle", data)


def held_values(namespace):
    """The data a namespace holds: not modules, functions, classes, private names or plot objects."""
    values, notes = {}, []
    for name, value in list(namespace.items()):
        if name.startswith("_") or isinstance(value, (types.ModuleType, types.FunctionType, type, types.BuiltinFunctionType)):
            continue
        if sibling("checks").is_not_compared(value):
            notes.append(f"{name}: a {type(value).__module__} object, not compared")
            continue
        values[name] = payload(value)
        if values[name][0] == "pickle" and len(values[name][1]) > MAX_VALUE_BYTES:
            values[name] = ("unstorable", type(value).__name__, "", "over 100 MB")
    return values, notes


def write(path, data):
    with open(path, "wb") as handle:
        pickle.dump(data, handle, protocol=4)


def prepare_process():
    """What Jupyter gives a notebook and a script run should get too: the working folder on sys.path."""
    if sys.path and os.path.abspath(sys.path[0] or ".") == HERE:
        sys.path.pop(0)
    sys.path.insert(0, os.getcwd())
    if not hasattr(builtins, "display"):
        builtins.display = lambda *values, **options: None


def run_notebook(cells_file, out):
    with open(cells_file, encoding="utf-8") as handle:
        cells = json.load(handle)
    module = types.ModuleType("__main__")
    sys.modules["__main__"] = module
    for cell in cells:
        code = compile(cell["code"], f"<cell {cell['number']}>", "exec")
        try:
            exec(code, module.__dict__)
        except BaseException:
            failure(f"notebook cell {cell['number']}")
    values, notes = held_values(module.__dict__)
    write(out, {"values": values, "notes": notes})


def failure(where):
    """Report where the run failed (last line of stderr) and stop with exit status 3."""
    kind, error, _ = sys.exc_info()
    traceback.print_exc()
    message = str(error).strip().splitlines()[0] if str(error).strip() else ""
    sys.stderr.write(f"\nnbrefactor-failure: {where}: {kind.__name__}: {message}\n")
    sys.exit(3)


def run_script(script, spec_file, out):
    """Run the script and pickle, for each name, the value the script finally held (see final_values)."""
    with open(spec_file, encoding="utf-8") as handle:
        spec = json.load(handle)
    module = types.ModuleType("__main__")
    module.__file__ = script
    sys.modules["__main__"] = module
    watched = set(spec["entries"]) | set(spec["owners"].values())
    held = {}

    def keep(frame, event, arg):
        if event == "return" and frame.f_code.co_name in watched and frame.f_globals is module.__dict__:
            held[frame.f_code.co_name] = dict(frame.f_locals)

    with open(script, encoding="utf-8") as handle:
        code = compile(handle.read(), script, "exec")
    sys.setprofile(keep)
    try:
        exec(code, module.__dict__)
    except BaseException:
        sys.setprofile(None)
        failure("script")
    sys.setprofile(None)
    values, notes = held_values(final_values(spec, held, module.__dict__))
    write(out, {"values": values, "notes": notes})


def final_values(spec, held, module_globals):
    """Name -> the value the script ended with. A function that binds a name the notebook binds last there,
    and does not return it, holds the notebook's final value; main() holds an earlier one, or none."""
    merged = {} if spec["entries"] == ["main"] else dict(module_globals)
    for name in spec["entries"]:
        merged.update(held.get(name, {}))
    for name, function in spec["owners"].items():
        if name in held.get(function, {}):
            merged[name] = held[function][name]
    return merged


def split_guard(source, filename):
    """(code of the definitions, code of the `if __name__ == "__main__":` body) of a generated script."""
    tree = ast.parse(source, filename)
    guards = [node for node in tree.body if isinstance(node, ast.If) and "__main__" in ast.unparse(node.test)]
    body = [node for node in tree.body if not any(node is guard for guard in guards)]
    entry = [statement for guard in guards for statement in guard.body]
    definitions = compile(ast.Module(body=body, type_ignores=[]), filename, "exec")
    return definitions, compile(ast.Module(body=entry, type_ignores=[]), filename, "exec")


def record(script, module_name, spec_file, out):
    with open(spec_file, encoding="utf-8") as handle:
        spec = json.load(handle)
    sys.path.insert(0, os.path.dirname(os.path.abspath(script)))
    module = types.ModuleType(module_name)
    module.__file__ = script
    sys.modules[module_name] = module
    with open(script, encoding="utf-8") as handle:
        definitions, entry = split_guard(handle.read(), script)
    exec(definitions, module.__dict__)
    calls = {}
    for name in spec["functions"]:
        if callable(module.__dict__.get(name)):
            module.__dict__[name] = recording(module.__dict__[name], calls, module.__dict__, spec["globals"])
    held = {}
    if spec.get("entry") == "main" and callable(module.__dict__.get("main")):
        sys.setprofile(keeper(module.__dict__["main"].__code__, held))
    try:
        exec(entry, module.__dict__)
    except BaseException:
        sys.setprofile(None)
        write(out, calls)
        failure("script")
    sys.setprofile(None)
    if held:
        values, notes = held_values(held)
        calls[sibling("fixtures").MAIN_KEY] = {"held": values, "notes": notes}
    write(out, calls)


def keeper(code, held):
    """A profile function that keeps the locals of `code`'s frame as it returns."""

    def keep(frame, event, arg):
        if event == "return" and frame.f_code is code:
            held.clear()
            held.update(frame.f_locals)

    return keep


def recording(function, calls, namespace, global_names):
    """`function`, wrapped to capture its first call: arguments before and after, globals, return value."""
    name = function.__name__
    signature = inspect.signature(function)

    def wrapper(*args, **kwargs):
        if name in calls:
            return function(*args, **kwargs)
        arguments = signature.bind(*args, **kwargs).arguments
        call = calls[name] = {"params": list(arguments), "args": {k: payload(v) for k, v in arguments.items()}}
        call["globals"] = {g: payload(namespace[g]) for g in global_names if g in namespace}
        try:
            returned = function(*args, **kwargs)
        except BaseException as error:
            call["error"] = f"{type(error).__name__}: {error}"
            raise
        call["return"] = payload(returned)
        call["after"] = {k: payload(v) for k, v in arguments.items()}
        call["globals_after"] = {g: payload(namespace[g]) for g in global_names if g in namespace}
        return returned

    wrapper.__wrapped__ = function
    return wrapper


def compare_runs(notebook_capture, again_capture, script_capture, out):
    """Compare the names both captures share, except those two runs of the notebook disagree on; write
    {"compared": [...], "differences": [...], "notes": [...]}."""
    left, again, right = (load_capture(path) for path in (notebook_capture, again_capture, script_capture))
    shared = [name for name in left["values"] if name in right["values"]]
    unstable = [name for name in shared if name in again["values"] and differs(left["values"][name], again["values"][name])]
    report = {"compared": [], "differences": [], "notes": sorted(set(left.get("notes", []) + right.get("notes", [])))}
    report["notes"] += [f"{name}: not compared: differs between runs of the notebook itself" for name in unstable]
    for name in shared:
        if name in unstable:
            continue
        report["compared"].append(name)
        found, note = compare_payloads(left["values"][name], right["values"][name], name)
        report["differences"] += found
        report["notes"] += [note] if note else []
    with open(out, "w", encoding="utf-8") as handle:
        json.dump(report, handle)


def load_capture(path):
    with open(path, "rb") as handle:
        return pickle.load(handle)


def differs(first, second):
    found, _ = compare_payloads(first, second, "value")
    return bool(found)


def compare_payloads(expected, actual, name):
    """(differences, note) for two payloads; values that cannot be loaded are compared by repr."""
    checks = sibling("checks")
    if expected[0] == "pickle" and actual[0] == "pickle":
        if expected[1] == actual[1]:
            return [], ""
        try:
            return checks.differences(pickle.loads(expected[1]), pickle.loads(actual[1]), name), ""
        except Exception as error:
            return [], f"{name}: not compared: cannot be loaded here ({type(error).__name__}: {error})"
    left, right = (p[2] if p[0] == "unstorable" else "" for p in (expected, actual))
    if left and right:
        return ([] if left == right else [f"{name}: {right[:80]} instead of {left[:80]}"]), f"{name}: compared by repr"
    return [], f"{name}: not compared: {(expected if expected[0] != 'pickle' else actual)[3]}"


PICKLE_SUFFIXES = (".pkl", ".pickle", ".joblib", ".sav", ".pck")


def compare_files(spec_file, out):
    """Files both runs wrote whose bytes differ: pickles are loaded and compared as values."""
    with open(spec_file, encoding="utf-8") as handle:
        spec = json.load(handle)
    report = {"differences": [], "notes": []}
    for path in spec["paths"]:
        if not path.lower().endswith(PICKLE_SUFFIXES):
            report["differences"].append(f"{path}: contents differ")
            continue
        try:
            left, right = (load_pickled(os.path.join(spec[side], path)) for side in ("left", "right"))
        except Exception as error:
            report["differences"].append(f"{path}: contents differ (cannot be loaded: {type(error).__name__})")
            continue
        report["differences"] += sibling("checks").differences(left, right, path)
        report["notes"].append(f"{path}: bytes differ, loaded values compared")
    with open(out, "w", encoding="utf-8") as handle:
        json.dump(report, handle)


def load_pickled(path):
    try:
        import joblib

        return joblib.load(path)
    except ImportError:
        with open(path, "rb") as handle:
            return pickle.load(handle)


def main(argv):
    mode, arguments = argv[1], argv[2:]
    prepare_process()
    if mode == "compare-files":
        return compare_files(*arguments)
    if mode == "store":
        return sibling("fixtures").store_from_spec(arguments[0])
    if mode == "notebook":
        return run_notebook(*arguments)
    if mode == "script":
        return run_script(*arguments)
    if mode == "compare":
        return compare_runs(*arguments)
    if mode == "record":
        return record(*arguments)
    raise SystemExit(f"unknown mode {mode!r}")


if __name__ == "__main__":
    main(sys.argv)
