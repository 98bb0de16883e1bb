"""Run a generated script as `python SCRIPT` would, then digest the values it held.

    python interim_scriptrun.py SCRIPT DUMP.json '["module", "function:NAME", ...]'

The script runs as `__main__` from its own folder (sys.argv, sys.path[0] and __file__ as python sets
them). The locals of each named function are kept as it returns (the last time it returns); "module" is
the script's globals at the end. Digests go to DUMP.json; exit status, stdout and stderr are the script's.
"""
import importlib.util
import json
import os
import sys
import traceback
import types


def load_digest():
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "statedigest.py")
    spec = importlib.util.spec_from_file_location("_nbdiff_statedigest", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main():
    script, dump, wanted = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
    digest = load_digest()
    path = os.path.abspath(script)
    functions = {w.split(":", 1)[1] for w in wanted if w.startswith("function:")}
    held = {}

    def keep(frame, event, arg):
        if event == "return" and frame.f_code.co_filename == path and frame.f_code.co_name in functions:
            held[frame.f_code.co_name] = dict(frame.f_locals)

    module = types.ModuleType("__main__")
    module.__file__ = path
    module.__builtins__ = __builtins__
    sys.modules["__main__"] = module
    sys.argv = [script]
    sys.path[0] = os.path.dirname(path)
    status, error = 0, ""
    sys.setprofile(keep)
    try:
        with open(path, encoding="utf-8") as handle:
            code = compile(handle.read(), path, "exec")
        exec(code, module.__dict__)
    except SystemExit as stop:
        status = stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 1)
        if stop.code is not None and not isinstance(stop.code, int):
            print(stop.code, file=sys.stderr)
    except BaseException as failure:
        traceback.print_exc()
        status, error = 1, type(failure).__name__
    finally:
        sys.setprofile(None)
    sys.stdout.flush()
    holders = {"module": digest.digest_values(dict(module.__dict__))}
    for where in wanted:
        name = where.split(":", 1)[1] if where.startswith("function:") else ""
        if name in held:
            holders[where] = digest.digest_values(held[name])
    with open(dump, "w") as handle:
        json.dump({"holders": holders, "error": error}, handle)
    sys.exit(status)


if __name__ == "__main__":
    main()
