"""Recorded calls -> fixture files and the checks each recorded test may make. Runs in a child process,
under the notebook environment's interpreter, beside capture.py (standard library only at import).

Each function gets a folder `fixtures/<module>/<function>/` with `values.json`, which describes every
argument, global and return value: plain data inline as JSON, numpy arrays as `.npy`, anything else
pickled (`.pickle`), values over the size cap summarised (type, shape, every n-th value).
Before a check is kept it is replayed: the function is called again on the stored arguments, and a
check that would not pass right now (a function that reads state its arguments do not carry, or
whose value changed between the two recordings) becomes a check of type and shape, with the reason.
"""
import json
import math
import os
import pickle
import shutil
import sys
import tempfile

CAP_BYTES = 5 * 1024 * 1024
MAX_ITEMS = 200
MAIN_KEY = " main"  # the recording of main()'s values; the space keeps it apart from function names


def checks():
    return sys.modules["__main__"].sibling("checks")


def encode(value, folder, stem, cap=CAP_BYTES):
    """A JSON description of `value`; its data goes inline or into files in `folder` named after `stem`."""
    if value is None or type(value) in (bool, int, str):
        return {"kind": "json", "value": value}
    if type(value) is float:
        return {"kind": "json", "value": value} if math.isfinite(value) else {"kind": "float", "value": repr(value)}
    if type(value) in (list, tuple) and len(value) <= MAX_ITEMS:
        items = [encode(item, folder, f"{stem}.{index}", cap) for index, item in enumerate(value)]
        return {"kind": type(value).__name__, "items": items}
    if type(value) is dict and len(value) <= MAX_ITEMS and all(type(key) is str for key in value):
        return {"kind": "dict", "items": [[key, encode(item, folder, f"{stem}.{key}", cap)] for key, item in value.items()]}
    if _is_plain_array(value) and value.nbytes <= cap:
        import numpy

        numpy.save(os.path.join(folder, stem + ".npy"), value, allow_pickle=False)
        return {"kind": "npy", "file": stem + ".npy"}
    return _pickled(value, folder, stem, cap)


def _pickled(value, folder, stem, cap):
    try:
        data = pickle.dumps(value, protocol=4)
    except Exception as error:
        return {"kind": "unstorable", "type": checks()._type_name(value), "note": f"cannot be stored: {error}"}
    if len(data) > cap:
        return _summary(value, folder, stem, len(data), cap)
    with open(os.path.join(folder, stem + ".pickle"), "wb") as handle:
        handle.write(data)
    return {"kind": "pickle", "file": stem + ".pickle", "type": checks()._type_name(value)}


def _summary(value, folder, stem, size, cap):
    summary = {"kind": "summary", "type": checks()._type_name(value)}
    summary["note"] = f"{size / 1e6:.1f} MB, over the {cap / 1e6:g} MB fixture cap: type, shape and a sample are kept"
    if hasattr(value, "shape"):
        summary["shape"] = list(value.shape)
        try:
            sample = checks()._sample(value)
            if sample.dtype.kind in "biuf":
                summary["sample"] = encode(sample, folder, stem + ".sample", cap)
        except Exception:
            pass
    return summary


def _is_plain_array(value):
    return type(value).__name__ == "ndarray" and type(value).__module__ == "numpy" and value.dtype.kind in "biufcSUM?"


def load_payload(item):
    if item[0] == "pickle":
        return pickle.loads(item[1])
    return Unstorable(item[1], item[2], item[3])


class Unstorable:
    """A value the recording could not carry over: its type and why."""

    def __init__(self, type_name, text, reason):
        self.type_name, self.text, self.reason = type_name, text, reason


def store_from_spec(spec_file):
    with open(spec_file, encoding="utf-8") as handle:
        spec = json.load(handle)
    sys.path.insert(0, spec["script_dir"])
    module = __import__(spec["module"])
    runs = []
    for path in spec["recordings"]:
        with open(path, "rb") as handle:
            runs.append(pickle.load(handle))
    os.makedirs(spec["fixtures"], exist_ok=True)
    report = {name: store_function(module, name, runs, spec["fixtures"]) for name in spec["functions"]}
    if spec.get("entry") == "main":
        main = store_main(module, runs, os.path.join(spec["fixtures"], "main"), spec.get("outputs", []))
        report[MAIN_KEY] = dict(main, writes=spec.get("writes", []))
    with open(spec["out"], "w", encoding="utf-8") as handle:
        json.dump(report, handle, indent=1)


def store_function(module, name, runs, fixtures):
    """Write one function's fixtures; return what its test checks, or why it is skipped."""
    first = runs[0].get(name)
    if first is None:
        return {"status": "skip", "reason": f"{name} was not called when the script ran"}
    if "error" in first or "return" not in first:
        return {"status": "skip", "reason": f"{name} raised {first.get('error', 'an error')} when the script ran"}
    inputs = {**first["args"], **{f"global {g}": v for g, v in first["globals"].items()}}
    unstorable = [key for key, item in inputs.items() if item[0] != "pickle"]
    if unstorable:
        key = unstorable[0]
        return {"status": "skip", "reason": f"{_label(key)} is a {inputs[key][1]}, which cannot be stored ({inputs[key][3]})"}
    folder = os.path.join(fixtures, name)
    os.makedirs(folder, exist_ok=True)
    return Recorded(module, name, first, runs, folder).decide()


def store_main(module, runs, folder, outputs):
    """Write the values main() held at its end; return the check each gets, or why main() is skipped."""
    first = runs[0].get(MAIN_KEY)
    if first is None:
        return {"status": "skip", "reason": "main() did not return when the script ran"}
    return RecordedMain(module, first, [run.get(MAIN_KEY, {}) for run in runs], folder, outputs).decide()


class RecordedMain:
    """What main() held at its end: stored, then checked by value, by type and shape, or not at all,
    depending on whether a value stays the same between the two recordings and when main() runs again."""

    def __init__(self, module, held, runs, folder, outputs):
        self.module, self.held, self.runs, self.folder, self.outputs = module, held, runs, folder, outputs
        self.notes = list(held.get("notes", []))

    def decide(self):
        os.makedirs(self.folder, exist_ok=True)
        described = self._stored()
        with open(os.path.join(self.folder, "values.json"), "w", encoding="utf-8") as handle:
            json.dump(described, handle, indent=1, sort_keys=True)
        try:
            again = self._run_again()
        except BaseException as error:
            return {"status": "skip", "reason": f"main() fails when it runs again in a copy of the folder: {type(error).__name__}: {error}"}
        checked = [self._check(name, again) for name in described]
        checked = [check for check in checked if check]
        result = {"status": "values", "checks": checked, "notes": self.notes, "outputs": sorted(self.outputs)}
        if not checked:
            return {"status": "skip", "reason": "no value main() holds can be checked: " + "; ".join(self.notes[:3])}
        if all(check["kind"] == "shape" for check in checked):
            result["status"] = "shape"
        return result

    def _stored(self):
        described = {}
        for name, item in self.held["held"].items():
            if item[0] != "pickle":
                self.notes.append(f"{name}: not checked: a {item[1]}, which cannot be stored ({item[3]})")
                continue
            described[name] = encode(pickle.loads(item[1]), self.folder, name)
        return described

    def _run_again(self):
        """main() once more, as the recorded test will run it: in a folder that mirrors the current one."""
        c = checks()
        here = os.getcwd()
        scratch = tempfile.mkdtemp(prefix="nbrefactor-main-")
        try:
            c.mirror_folder(here, scratch, self.outputs)
            os.chdir(scratch)
            return c.locals_at_return(self.module.main)
        finally:
            os.chdir(here)
            shutil.rmtree(scratch, ignore_errors=True)

    def _check(self, name, again):
        """{"name", "kind", "reason"}: "same" when it passes, else "shape" with the reason; None: not checked."""
        if name not in again:
            self.notes.append(f"{name}: not checked: main() does not hold it when it runs again")
            return None
        expected = checks().load_fixture(self.folder, name)
        kind = "summary" if isinstance(expected, dict) and expected.get("kind") == "summary" else "same"
        reason = self._differs_between_runs(name)
        if not reason and _passes({"kind": kind}, again[name], expected, {}):
            return {"name": name, "kind": kind, "reason": ""}
        if not reason:
            found = checks().differences(expected, again[name], name) if kind == "same" else []
            reason = "differs when main() runs again" + (f" ({found[0][:120]})" if found else "")
        if _passes({"kind": "shape"}, again[name], expected, {}):
            return {"name": name, "kind": "shape", "reason": reason}
        self.notes.append(f"{name}: not checked: {reason}, and so do its type or shape")
        return None

    def _differs_between_runs(self, name):
        items = [run.get("held", {}).get(name) for run in self.runs]
        if len(items) < 2 or items[1] is None or items[0] == items[1]:
            return ""
        found = checks().differences(load_payload(items[0]), load_payload(items[1]), name)
        return f"differed between two recording runs ({found[0][:120]})" if found else ""


def _label(key):
    return key if key.startswith("global ") else f"argument {key}"


class Recorded:
    """One function's first call: stores its values, then keeps the checks that pass on replay."""

    def __init__(self, module, name, call, runs, folder):
        self.module, self.name, self.call, self.runs, self.folder = module, name, call, runs, folder
        self.described = {}

    def decide(self):
        arguments = {k: load_payload(v) for k, v in self.call["args"].items()}
        global_values = {g: load_payload(v) for g, v in self.call["globals"].items()}
        returned = load_payload(self.call["return"])
        for key, value in [*arguments.items(), *[(f"global {g}", v) for g, v in global_values.items()], ("return", returned)]:
            if not isinstance(value, Unstorable):
                self.described[key] = encode(value, self.folder, key.replace(" ", "_"))
        too_big = [k for k, d in self.described.items() if d["kind"] == "summary" and k != "return"]
        if too_big:
            return self._skip(f"{_label(too_big[0])} is too large to store: {self.described[too_big[0]]['note']}")
        self._write()
        if isinstance(returned, Unstorable):
            return self._skip(f"the return value is a {returned.type_name}, which cannot be stored ({returned.reason})")
        return self._replayed(arguments, global_values, returned)

    def _skip(self, reason):
        return {"status": "skip", "reason": reason, "params": self.call["params"]}

    def _write(self):
        with open(os.path.join(self.folder, "values.json"), "w", encoding="utf-8") as handle:
            json.dump(self.described, handle, indent=1, sort_keys=True)

    def _replayed(self, arguments, global_values, returned):
        stored = {key: checks().load_fixture(self.folder, key) for key in self.described}
        result = {"status": "values", "params": self.call["params"], "globals": list(global_values), "checks": [], "notes": []}
        try:
            actual, inputs = self._call_again(stored)
        except Exception as error:
            return self._skip(f"calling {self.name} again on the recorded values fails: {type(error).__name__}: {error}")
        unstable = self._differs_between_runs()
        result["checks"] = self._passing_checks(actual, stored["return"], inputs, unstable)
        if unstable:
            result["status"], result["reason"] = "shape", f"its return value differed between two recording runs ({unstable})"
        elif not any(check["kind"] in ("same", "predicts", "summary") for check in result["checks"]):
            result["status"] = "shape"
            result["reason"] = "called again on the recorded arguments it returns another value: it depends on state they do not carry"
        result["after"] = self._mutated(arguments, inputs)
        result["globals_after"] = self._globals_set()
        if not result["checks"] and not result["after"] and not result["globals_after"]:
            return self._skip(f"no check of {self.name}'s return value passes when it is called again on the recorded values")
        if self.described["return"]["kind"] == "summary":
            result["notes"].append(f"the return value is summarised: {self.described['return']['note']}")
        return result

    def _globals_set(self):
        """Module globals the call bound or changed (init() loading a model): stored when a replay sets them alike."""
        kept = []
        for name, item in self.call.get("globals_after", {}).items():
            if item == self.call["globals"].get(name) or item[0] != "pickle":
                continue
            value = pickle.loads(item[1])
            if not checks().differences(value, getattr(self.module, name, None), name):
                self.described[f"global {name} after"] = encode(value, self.folder, f"global_{name}_after")
                kept.append(name)
        self._write()
        return kept

    def _call_again(self, stored):
        function = getattr(self.module, self.name)
        inputs = {key: value for key, value in stored.items() if key != "return" and not key.endswith(" after")}
        saved = {g: getattr(self.module, g[7:], None) for g in inputs if g.startswith("global ")}
        for key in saved:
            setattr(self.module, key[7:], inputs[key])
        try:
            return function(**{k: v for k, v in inputs.items() if not k.startswith("global ")}), inputs
        finally:
            for key, value in saved.items():
                setattr(self.module, key[7:], value)

    def _differs_between_runs(self):
        other = self.runs[1].get(self.name) if len(self.runs) > 1 else None
        if other is None or "return" not in other:
            return ""
        if other["return"] == self.call["return"]:
            return ""
        found = checks().differences(load_payload(self.call["return"]), load_payload(other["return"]), "return value")
        return found[0] if found else ""

    def _passing_checks(self, actual, expected, inputs, unstable):
        candidates = [{"kind": "shape"}]
        if not unstable:
            kind = "summary" if self.described["return"]["kind"] == "summary" else "same"
            candidates = [{"kind": kind}] + [{"kind": "predicts", "probe": p} for p in probes(expected, inputs)] + candidates
        kept = [check for check in candidates if _passes(check, actual, expected, inputs)]
        if any(check["kind"] != "shape" for check in kept):
            kept = [check for check in kept if check["kind"] != "shape"]
        return kept

    def _mutated(self, arguments, inputs):
        """Arguments the call changed in place (the caller sees that): stored, so the test can check them."""
        changed = []
        for key, item in self.call["after"].items():
            if item == self.call["args"].get(key) or item[0] != "pickle":
                continue
            after = pickle.loads(item[1])
            if checks().differences(arguments[key], after, key) and not checks().differences(after, inputs[key], key):
                self.described[f"{key} after"] = encode(after, self.folder, f"{key}_after")
                changed.append(key)
        self._write()
        return changed


def _passes(check, actual, expected, inputs):
    c = checks()
    try:
        if check["kind"] == "same":
            c.assert_same(actual, expected)
        elif check["kind"] == "summary":
            c.assert_matches_summary(actual, expected)
        elif check["kind"] == "predicts":
            c.assert_predicts_alike(actual, expected, eval(check["probe"], {}, dict(inputs)))
        else:
            c.assert_same_shape(actual, expected)
    except Exception:
        return False
    return True


def probes(model, inputs, limit=2):
    """Expressions for recorded 2-D inputs a fitted model can predict on, test data first."""
    if not any(callable(getattr(model, name, None)) for name in checks().PREDICTORS) or not hasattr(model, "get_params"):
        return []
    width = getattr(model, "n_features_in_", None)
    tops = {key: value for key, value in inputs.items() if key.isidentifier()}
    found = [path for path, value in _walk(tops, "") if _is_table(value) and (width is None or value.shape[1] == width)]
    found.sort(key=lambda path: "test" not in path.lower())
    return found[:limit]


def _walk(value, path, depth=0):
    if depth > 3:
        return
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(key, (str, int)):
                inner = key if not path else f"{path}[{key!r}]"
                yield inner, item
                yield from _walk(item, inner, depth + 1)
    elif isinstance(value, (list, tuple)) and path and len(value) <= 10:
        for index, item in enumerate(value):
            yield f"{path}[{index}]", item
            yield from _walk(item, f"{path}[{index}]", depth + 1)


def _is_table(value):
    shape = getattr(value, "shape", None)
    return isinstance(shape, tuple) and len(shape) == 2 and type(value).__name__ in ("ndarray", "DataFrame")
