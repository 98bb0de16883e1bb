"""Runs in a child process for `convert --record`, under the notebook environment's interpreter. Modes (argv[1]):
  record SCRIPT MODULE SPEC.json OUT
                                 import the script as MODULE, wrap the named functions to record their
                                 first call (arguments before and after, globals, return value), then run
                                 the script's `if __name__ == "__main__":` block, keeping what main() held
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


def failure(where):
    """Report where the run failed (last line of stderr) and stop with exit status 3."""
    kind, error, _ = sys.exc_info()
    traceback.print_exc()
    message = str(error).strip().splitlines()[0] if str(error).strip() else ""
    sys.stderr.write(f"\nnbrefactor-failure: {where}: {kind.__name__}: {message}\n")
    sys.exit(3)


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


def main(argv):
    mode, arguments = argv[1], argv[2:]
    prepare_process()
    if mode == "store":
        return sibling("fixtures").store_from_spec(arguments[0])
    if mode == "record":
        return record(*arguments)
    raise SystemExit(f"unknown mode {mode!r}")


if __name__ == "__main__":
    main(sys.argv)
