"""Loading recorded values, comparing values by type, and running an entry point in a mirrored folder:
the runtime of recorded tests (`convert --record`).

This module stands alone (standard library only; numpy and pandas imported when a value needs them):
its source is copied into every recorded test module, so those tests run without nbrefactor, and it
runs under the interpreter of the notebook's environment when the recorder stores fixtures.
"""
import json
import math
import os
import pathlib
import pickle
import re
import shutil
import sys
import types

FLOAT_TOLERANCE = 1e-9
ARRAY_TOLERANCE = 1e-7
MAX_DEPTH = 8
PREDICTORS = ("predict", "transform", "predict_proba", "decision_function")
NOT_COMPARED_MODULES = ("matplotlib", "IPython", "ipywidgets", "seaborn")  # plots and widgets: what they show
NOT_MIRRORED = ("__pycache__", ".ipynb_checkpoints", ".git", ".pytest_cache")


def load_fixture(folder, name):
    """The value stored as `name` in a fixture folder: values.json describes it, leaves may be files."""
    folder = pathlib.Path(folder)
    described = json.loads((folder / "values.json").read_text(encoding="utf-8"))
    return decode(described[name], folder)


def decode(described, folder):
    """Rebuild a value from its description (see nbrefactor.fixtures.encode)."""
    kind = described["kind"]
    if kind == "json":
        return described["value"]
    if kind == "float":
        return float(described["value"])
    if kind in ("list", "tuple"):
        items = [decode(item, folder) for item in described["items"]]
        return items if kind == "list" else tuple(items)
    if kind == "dict":
        return {key: decode(item, folder) for key, item in described["items"]}
    if kind == "npy":
        import numpy

        return numpy.load(pathlib.Path(folder) / described["file"], allow_pickle=False)
    if kind == "pickle":
        with open(pathlib.Path(folder) / described["file"], "rb") as handle:
            return pickle.load(handle)
    if kind == "summary":
        sample = described.get("sample")
        return dict(described, sample=decode(sample, folder)) if sample else described
    raise ValueError(f"cannot rebuild a {kind!r} fixture: {described.get('note', '')}")


def differences(expected, actual, where="value", depth=0, seen=None):
    """Readable differences between two values; empty when they are the same (floats within tolerance)."""
    seen = set() if seen is None else seen
    if expected is actual or depth > MAX_DEPTH or id(expected) in seen or is_not_compared(expected):
        return []
    if type(expected) is not type(actual):
        return [f"{where}: {_type_name(actual)} instead of {_type_name(expected)}"]
    for matches, compare in _COMPARERS:
        if matches(expected):
            return compare(expected, actual, where, depth, seen | {id(expected)})
    return _compare_objects(expected, actual, where, depth, seen | {id(expected)})


def is_not_compared(value):
    """Plot and widget objects: their state is drawing detail, and display cells the script drops change it."""
    return type(value).__module__.split(".")[0] in NOT_COMPARED_MODULES


def _compare_floats(expected, actual, where, depth, seen):
    if math.isnan(expected) and math.isnan(actual):
        return []
    if math.isclose(expected, actual, rel_tol=FLOAT_TOLERANCE, abs_tol=FLOAT_TOLERANCE * 1e-3):
        return []
    return [f"{where}: {actual!r} instead of {expected!r}"]


def _compare_plain(expected, actual, where, depth, seen):
    return [] if _equal(expected, actual) else [f"{where}: {_short(actual)} instead of {_short(expected)}"]


def _compare_sequences(expected, actual, where, depth, seen):
    if len(expected) != len(actual):
        return [f"{where}: {len(actual)} items instead of {len(expected)}"]
    found = []
    for index, (left, right) in enumerate(zip(expected, actual)):
        found += differences(left, right, f"{where}[{index}]", depth + 1, seen)
    return found


def _compare_dicts(expected, actual, where, depth, seen):
    missing = [k for k in expected if k not in actual]
    extra = [k for k in actual if k not in expected]
    if missing or extra:
        return [f"{where}: keys {missing} missing, {extra} unexpected"]
    found = []
    for key in expected:
        found += differences(expected[key], actual[key], f"{where}[{key!r}]", depth + 1, seen)
    return found


def _compare_arrays(expected, actual, where, depth, seen):
    import numpy

    if expected.shape != actual.shape or expected.dtype != actual.dtype:
        return [f"{where}: array {actual.shape} {actual.dtype} instead of {expected.shape} {expected.dtype}"]
    try:
        if expected.dtype.kind in "fc":
            numpy.testing.assert_allclose(actual, expected, rtol=ARRAY_TOLERANCE, atol=ARRAY_TOLERANCE * 1e-5, equal_nan=True)
        else:
            numpy.testing.assert_array_equal(actual, expected)
    except AssertionError as error:
        return [f"{where}: arrays differ: {_first_lines(error)}"]
    return []


def _compare_pandas(expected, actual, where, depth, seen):
    import pandas.testing

    check = {"DataFrame": pandas.testing.assert_frame_equal, "Series": pandas.testing.assert_series_equal}
    assert_equal = check.get(_pandas_kind(expected), pandas.testing.assert_index_equal)
    try:
        assert_equal(expected, actual, check_exact=False, rtol=ARRAY_TOLERANCE)
    except AssertionError as error:
        return [f"{where}: {type(expected).__name__} differs: {_first_lines(error)}"]
    return []


def _compare_callables(expected, actual, where, depth, seen):
    """Functions and methods by qualified name: their repr carries an address that differs between processes."""
    left, right = _qualified_name(expected), _qualified_name(actual)
    return [] if left == right else [f"{where}: {right} instead of {left}"]


def _qualified_name(value):
    owner = getattr(value, "__self__", None)
    prefix = "" if owner is None or isinstance(owner, types.ModuleType) else _type_name(owner) + "."
    if prefix:
        return prefix + getattr(value, "__name__", "")
    return f"{getattr(value, '__module__', '')}.{getattr(value, '__qualname__', getattr(value, '__name__', ''))}"


def _compare_objects(expected, actual, where, depth, seen):
    """Objects with their own equality use it; others compare parameters and public attributes."""
    if _has_equality(expected):
        equal = _equal(expected, actual)
        if equal is not None:
            return [] if equal else [f"{where}: {_short(actual)} instead of {_short(expected)}"]
    if callable(getattr(expected, "get_params", None)):
        found = differences(_params(expected), _params(actual), f"{where}.get_params()", depth + 1, seen)
        if found:
            return found
    state_expected, state_actual = _public_state(expected), _public_state(actual)
    if state_expected is None or state_actual is None:
        return _compare_reprs(expected, actual, where)
    return differences(state_expected, state_actual, f"{where}.__dict__", depth + 1, seen)


def _compare_reprs(expected, actual, where):
    left, right = scrubbed_repr(expected), scrubbed_repr(actual)
    return [] if left == right else [f"{where}: {right[:80]} instead of {left[:80]}"]


def scrubbed_repr(value):
    """repr without memory addresses, which differ between processes."""
    try:
        text = repr(value)
    except Exception as error:
        text = f"<unrepresentable {_type_name(value)}: {error}>"
    return re.sub(r" at 0x[0-9a-fA-F]+", "", text)


def _params(value):
    try:
        return value.get_params(deep=False)
    except Exception:
        return {}


def _state(value):
    try:
        state = vars(value)
    except TypeError:
        return None
    return {k: v for k, v in state.items() if not callable(v) or hasattr(v, "__dict__")}


def _public_state(value):
    """The attributes that make up an object's value: public ones, or all when none is public.

    Private attributes are often caches filled on first use (statsmodels results fill `_cache` when a
    summary is displayed), so a notebook that displays more holds more of them; but an object that keeps
    everything private (a wrapper around `_results`) is compared by what it keeps.
    """
    state = _state(value)
    if not state:
        return state
    public = {key: item for key, item in state.items() if not str(key).startswith("_")}
    return public or state


def _has_equality(value):
    return type(value).__eq__ is not object.__eq__


def _equal(expected, actual):
    try:
        return bool(expected == actual)
    except Exception:
        return None


def _is_float(value):
    return isinstance(value, float) or type(value).__module__ == "numpy" and "float" in type(value).__name__


def _is_pandas(value):
    return _pandas_kind(value) is not None


def _pandas_kind(value):
    """"DataFrame", "Series" or "Index" for pandas values and their subclasses (DatetimeIndex, ...), else None."""
    for kind in type(value).__mro__:
        if kind.__module__.split(".")[0] == "pandas" and kind.__name__ in ("DataFrame", "Series", "Index"):
            return kind.__name__
    return None


def _is_array(value):
    return type(value).__name__ == "ndarray" and type(value).__module__ == "numpy"


def _is_plain(value):
    return value is None or isinstance(value, (bool, int, complex, str, bytes, set, frozenset, range))


def _is_callable_reference(value):
    return isinstance(value, (types.FunctionType, types.MethodType, types.BuiltinFunctionType, types.BuiltinMethodType))


_COMPARERS = (
    (_is_callable_reference, _compare_callables),
    (_is_float, _compare_floats),
    (_is_plain, _compare_plain),
    (_is_array, _compare_arrays),
    (_is_pandas, _compare_pandas),
    (lambda v: isinstance(v, (list, tuple)), _compare_sequences),
    (lambda v: isinstance(v, dict), _compare_dicts),
)


def assert_same(actual, expected, where="result"):
    found = differences(expected, actual, where)
    assert not found, "\n".join(found[:20])


def assert_same_shape(actual, expected, where="result"):
    """For values that change from run to run: the same type, and the same shape, length or keys."""
    assert type(actual) is type(expected), f"{where}: {_type_name(actual)} instead of {_type_name(expected)}"
    if hasattr(expected, "shape"):
        assert actual.shape == expected.shape, f"{where}: shape {actual.shape} instead of {expected.shape}"
    elif isinstance(expected, dict):
        assert list(actual) == list(expected), f"{where}: keys {list(actual)} instead of {list(expected)}"
        for key in expected:
            assert_same_shape(actual[key], expected[key], f"{where}[{key!r}]")
    elif isinstance(expected, (list, tuple)):
        assert len(actual) == len(expected), f"{where}: {len(actual)} items instead of {len(expected)}"


def assert_predicts_alike(actual, expected, inputs, where="result"):
    """A fitted model behaves as the recorded one: the same output of its first predictor on `inputs`."""
    method = next(name for name in PREDICTORS if callable(getattr(expected, name, None)))
    found = differences(getattr(expected, method)(inputs), getattr(actual, method)(inputs), f"{where}.{method}(...)")
    assert not found, "\n".join(found[:20])


def assert_matches_summary(actual, summary, where="result"):
    """For values too large to store: type, shape and a digest of the data, as recorded."""
    assert _type_name(actual) == summary["type"], f"{where}: {_type_name(actual)} instead of {summary['type']}"
    if "shape" in summary:
        assert list(actual.shape) == summary["shape"], f"{where}: shape {actual.shape} instead of {summary['shape']}"
    if "sample" in summary:
        assert_same(_sample(actual), summary["sample"], f"{where} (sample)")


def _sample(value):
    """Every n-th element of a large array or frame, as a small array: what a summary keeps of the data."""
    import numpy

    flat = numpy.asarray(value).ravel()
    step = max(1, flat.size // 1000)
    return flat[::step][:1000]


def _type_name(value):
    kind = type(value)
    return kind.__name__ if kind.__module__ == "builtins" else f"{kind.__module__}.{kind.__qualname__}"


def _short(value):
    text = scrubbed_repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _first_lines(error):
    lines = [line.strip() for line in str(error).strip().splitlines() if line.strip()]
    return " ".join(lines[:4])[:300]


def locals_at_return(function):
    """Call `function` with no arguments; the local variables its frame held when it returned."""
    held = {}

    def keep(frame, event, arg):
        if event == "return" and frame.f_code is function.__code__:
            held.clear()
            held.update(frame.f_locals)

    previous = sys.getprofile()
    sys.setprofile(keep)
    try:
        function()
    finally:
        sys.setprofile(previous)
    return held


def mirror_folder(source, target, leave_out=()):
    """Make `target` read like `source`: each entry linked (copied where links are not allowed), except the
    files in `leave_out` (relative paths), whose folders are recreated, so that writing them changes
    `target` only."""
    left_out = {pathlib.PurePosixPath(path) for path in leave_out}
    recreated = {parent for path in left_out for parent in path.parents}
    _mirror(pathlib.Path(source), pathlib.Path(target), pathlib.PurePosixPath("."), left_out, recreated)


def _mirror(source, target, relative, left_out, recreated):
    target.mkdir(parents=True, exist_ok=True)
    for entry in sorted(source.iterdir()):
        inner = relative / entry.name
        if inner in left_out or entry.name in NOT_MIRRORED:
            continue
        if inner in recreated and entry.is_dir():
            _mirror(entry, target / entry.name, inner, left_out, recreated)
        else:
            _link(entry, target / entry.name)


def _link(entry, destination):
    try:
        os.symlink(entry.resolve(), destination, target_is_directory=entry.is_dir())
    except OSError:
        if entry.is_dir():
            shutil.copytree(entry, destination, symlinks=True)
        else:
            shutil.copyfile(entry, destination)
