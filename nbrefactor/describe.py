"""Values -> plain, comparable data, and the comparison of two such descriptions.

A description is computed INSIDE the process that holds the value (a kernel, a script run), because
values of classes a notebook defines cannot be unpickled anywhere else; what crosses processes is JSON.
This module is loaded by path in those processes: standard library only at import, Python 3.9 syntax;
numpy and pandas are used only when a value is theirs.

Every description is a dict with "t" (the value's type, with `<locals>` scopes left out, so a lambda
made in a generated main() reads as one made at notebook level) and, by kind:
  "v"        the value itself (None, bool, int, float, str; floats kept so a tolerance can apply)
  "items"    described items of a list, tuple or set (sets sorted), or [key, value] pairs of a mapping
  "n", "sha", "head"      a container or string too large to keep: length, digest, first items
  "dtype", "shape", "v" / "sha", "blocks"  numpy arrays: values, or a digest and per-block float sums
  "state"    a random generator's state (get_state(), bit_generator.state, getstate())
  "fields"   an object's attributes (public ones, or all when none is public); "params", "fitted"
             for estimators (get_params() and attributes ending in "_")
  "ref"      a library function or class, by qualified name
  "code"     a notebook function's normalised bytecode digest, with "defaults", "closure", "globals"
  "nc"       not comparable, and why; "display": true for plot and widget objects
"""
import dis
import hashlib
import json
import math
import re
import sys
import types

LIMIT = 10000  # items (or characters) kept in full; larger values are digested
HEAD = 20
BLOCKS = 64
MAX_DEPTH = 24
RELATIVE = 1e-12
ABSOLUTE = 1e-12
HIDDEN_NAMES = {"In", "Out", "exit", "quit", "get_ipython"}
DISPLAY_MODULES = ("matplotlib", "IPython", "ipywidgets", "seaborn", "plotly", "bokeh", "altair", "mpl_toolkits")
REPR_TYPES = {  # types whose repr states their whole value, without addresses
    "datetime.datetime", "datetime.date", "datetime.time", "datetime.timedelta", "datetime.timezone",
    "decimal.Decimal", "fractions.Fraction", "uuid.UUID", "pathlib.PosixPath", "pathlib.WindowsPath",
    "pathlib.PurePosixPath", "pathlib.PureWindowsPath", "re.Pattern", "range", "slice", "ellipsis",
}
TYPE_ALIASES = {  # types that hold the same value as another: IPython's list of shell output lines is a list
    "IPython.utils.text.SList": "list",
}
CLASS_BOOKKEEPING = {"_abc_impl", "_abc_registry", "_abc_cache", "_abc_negative_cache", "_abc_negative_cache_version"}
PANDAS_SCALARS = {"Timestamp", "Timedelta", "Period", "Interval", "NaTType", "NAType"}  # and dtypes, offsets
PLAIN_OPS = {"RESUME", "NOP", "CACHE", "COPY_FREE_VARS", "MAKE_CELL", "PUSH_NULL", "PRECALL", "EXTENDED_ARG"}
NAME_OPS = re.compile(r"^(LOAD|STORE|DELETE)_(FAST|GLOBAL|NAME|DEREF|CLASSDEREF|CLOSURE|FAST_CHECK|FAST_AND_CLEAR)$")


# ---------------------------------------------------------------- describing values

def describe_names(namespace, names=None, hidden=None):
    """name -> description for the public, non-module names of `namespace` (or just `names`).

    `hidden` maps names to the values the environment put there (IPython's initial namespace); a
    name still bound to that same object was not bound by the notebook.
    """
    hidden = hidden or {}
    chosen = sorted(names if names is not None else namespace)
    global _shared
    _shared = {}
    try:
        return {
            name: describe(namespace[name]) for name in chosen
            if name in namespace and is_public(name, namespace[name]) and hidden.get(name, _ABSENT) is not namespace[name]
        }
    finally:
        _shared = None


_ABSENT = object()
_shared = None  # while describe_names runs: id -> (value, description) of the objects already described


def is_public(name, value):
    return not name.startswith("_") and name not in HIDDEN_NAMES and not isinstance(value, types.ModuleType)


def describe(value, depth=0, path=None):
    """The description of one value (see the module docstring). Never raises."""
    path = path if path is not None else set()
    if depth > MAX_DEPTH:
        return {"t": type_name(value), "nc": "nested too deeply"}
    if id(value) in path:
        return {"t": type_name(value), "cycle": True}
    shared = _shared.get(id(value)) if _shared is not None else None
    if shared is not None and shared[0] is value:
        return shared[1]  # an object several values hold (a model's data, a results' model) is described once
    try:
        described = _describer(value)(value, depth, path | {id(value)})
    except Exception as error:  # a property or method of the value failed: say so, do not stop the run
        described = {"t": type_name(value), "nc": f"cannot be described: {type(error).__name__}: {_first_line(error)}"}
    if _shared is not None and not isinstance(value, (int, float, str, bool, type(None))):
        _shared[id(value)] = (value, described)  # the value is kept, so that its id is not reused meanwhile
    return described


def _describer(value):
    for matches, describer in DESCRIBERS:
        if matches(value):
            return describer
    return _describe_object


def type_name(value):
    name = qualified_name(type(value))
    return TYPE_ALIASES.get(name, name)


def qualified_name(kind):
    """`module.Qualname` without `<locals>` scopes; builtins by bare name."""
    module = getattr(kind, "__module__", None) or ""
    name = _without_locals(getattr(kind, "__qualname__", None) or getattr(kind, "__name__", "?"))
    return name if module == "builtins" else f"{module}.{name}"


def _without_locals(qualname):
    return qualname.rsplit("<locals>.", 1)[-1]


def _module_root(value):
    return (getattr(type(value), "__module__", None) or "").split(".")[0]


def _first_line(error):
    text = str(error).strip().splitlines()
    return text[0][:200] if text else ""


def _digest(text):
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def canonical(description):
    """A description as one deterministic string (for digests and ordering)."""
    return json.dumps(description, sort_keys=True, default=str)


def _plain(value, depth, path):
    if isinstance(value, str) and len(value) > LIMIT:
        return {"t": "str", "n": len(value), "sha": _digest(value), "head": value[:200]}
    return {"t": type_name(value), "v": value}


def _float(value, depth, path):
    return {"t": type_name(value), "v": float(value)}


def _complex(value, depth, path):
    return {"t": type_name(value), "v": [value.real, value.imag]}


def _bytes(value, depth, path):
    data = bytes(value)
    if len(data) > LIMIT:
        return {"t": type_name(value), "n": len(data), "sha": hashlib.sha256(data).hexdigest()}
    return {"t": type_name(value), "v": data.hex()}


def _sequence(value, depth, path):
    items = list(value)
    return dict(_items(items, depth, path), t=type_name(value), **_namedtuple_fields(value))


def _namedtuple_fields(value):
    fields = getattr(type(value), "_fields", None)
    return {"names": list(fields)} if isinstance(value, tuple) and fields else {}


def _items(items, depth, path, describe_item=None):
    """{"items": [...]} or, for many items, {"n", "sha", "head"}: a digest of every item's description."""
    describe_item = describe_item or (lambda item: describe(item, depth + 1, path))
    if len(items) <= LIMIT:
        return {"items": [describe_item(item) for item in items]}
    hasher = hashlib.sha256()
    head = []
    for index, item in enumerate(items):
        described = describe_item(item)
        hasher.update(canonical(described).encode("utf-8"))
        if index < HEAD:
            head.append(described)
    return {"n": len(items), "sha": hasher.hexdigest(), "head": head}


def _set(value, depth, path):
    described = sorted((describe(item, depth + 1, path) for item in value), key=canonical)
    if len(described) > LIMIT:
        return {"t": type_name(value), "n": len(described), "sha": _digest(canonical(described)), "head": described[:HEAD]}
    return {"t": type_name(value), "items": described}


def _mapping(value, depth, path):
    pair = lambda item: [describe(item[0], depth + 1, path), describe(item[1], depth + 1, path)]  # noqa: E731
    described = dict(_items(list(value.items()), depth, path, pair), t=type_name(value))
    factory = getattr(value, "default_factory", None)
    if factory is not None:
        described["default"] = describe(factory, depth + 1, path)
    return described


def _deque(value, depth, path):
    return dict(_items(list(value), depth, path), t=type_name(value), maxlen=value.maxlen)


def _by_repr(value, depth, path):
    return {"t": type_name(value), "v": repr(value)}


def _enum(value, depth, path):
    return {"t": type_name(value), "v": value.name}


def _module(value, depth, path):
    return {"t": "module", "ref": value.__name__}


def _display(value, depth, path):
    return {"t": type_name(value), "nc": "display object (a plot or widget)", "display": True}


def _random_state(value, depth, path):
    """Python and numpy random generators by their state, never by repr (which shows no state)."""
    if hasattr(value, "bit_generator"):
        state = value.bit_generator.state
    elif hasattr(value, "get_state"):
        state = value.get_state()
    else:
        state = value.getstate()
    return {"t": type_name(value), "state": describe(state, depth + 1, path)}


def _bit_generator(value, depth, path):
    return {"t": type_name(value), "state": describe(value.state, depth + 1, path)}


def _io(value, depth, path):
    fields = {key: getattr(value, key, None) for key in ("name", "mode", "closed")}
    return {"t": type_name(value), "fields": {k: describe(v, depth + 1, path) for k, v in fields.items() if v is not None}}


def _exception(value, depth, path):
    return {"t": type_name(value), "items": [describe(arg, depth + 1, path) for arg in value.args]}


# ------------------------------------------------------------- numpy and pandas

def _numpy_scalar(value, depth, path):
    kind = value.dtype.kind
    if kind == "f":
        return {"t": type_name(value), "v": float(value)}
    if kind in "biu":
        return {"t": type_name(value), "v": value.item()}
    return {"t": type_name(value), "inner": describe(value.item(), depth + 1, path)}


def _array(value, depth, path):
    import numpy

    head = {"t": "numpy.ndarray", "dtype": str(value.dtype), "shape": list(value.shape)}
    if value.dtype.kind in "biuf":
        if value.size <= LIMIT:
            return dict(head, v=value.tolist())
        data = numpy.ascontiguousarray(value)
        head["sha"] = hashlib.sha256(data.view(numpy.uint8).reshape(-1) if data.size else b"").hexdigest()
        if value.dtype.kind == "f":
            head["blocks"] = _block_sums(data.reshape(-1).astype(numpy.float64))
        return head
    return dict(head, inner=describe(value.tolist(), depth + 1, path))


def _block_sums(flat):
    """[sum, sum of absolute values, position-weighted sum, NaN count, size] per block: a tolerant fingerprint
    of a large float array (a change anywhere moves a block's sums; a reordering moves the weighted sum)."""
    import numpy

    sums = []
    for block in numpy.array_split(flat, min(BLOCKS, max(1, flat.size))):
        weights = numpy.arange(1, block.size + 1, dtype=numpy.float64)
        finite = numpy.where(numpy.isnan(block), 0.0, block)
        sums.append([float(finite.sum()), float(numpy.abs(finite).sum()), float((finite * weights).sum()), int(numpy.isnan(block).sum()), int(block.size)])
    return sums


def _frame(value, depth, path):
    columns = [value.iloc[:, position].to_numpy() for position in range(value.shape[1])]
    return {
        "t": "pandas.DataFrame", "shape": list(value.shape), "dtypes": [str(dtype) for dtype in value.dtypes],
        "columns": _index(value.columns, depth + 1, path), "index": _index(value.index, depth + 1, path),
        "data": [describe(column, depth + 1, path) for column in columns],
    }


def _series(value, depth, path):
    return {
        "t": "pandas.Series", "shape": [len(value)], "dtype": str(value.dtype), "name": describe(value.name, depth + 1, path),
        "index": _index(value.index, depth + 1, path), "data": describe(value.to_numpy(), depth + 1, path),
    }


def _index(value, depth, path):
    """Index types by their values (a RangeIndex equals the int64 index of the same numbers, as in pandas.testing)."""
    return {
        "t": "pandas.Index", "shape": [len(value)], "dtype": str(value.dtype),
        "names": [describe(name, depth + 1, path) for name in value.names], "data": describe(value.to_numpy(), depth + 1, path),
    }


def _pandas_kind(value):
    for kind in type(value).__mro__:
        if (kind.__module__ or "").split(".")[0] == "pandas" and kind.__name__ in ("DataFrame", "Series", "Index"):
            return kind.__name__
    return ""


def _is_pandas_scalar(value):
    kind = type(value)
    return _module_root(value) == "pandas" and (
        kind.__name__ in PANDAS_SCALARS or kind.__name__.endswith("Dtype") or ".offsets" in (kind.__module__ or ""))


def _pandas_array(value, depth, path):
    """Extension arrays (Categorical, IntegerArray, ...) by their values."""
    return {"t": type_name(value), "dtype": str(getattr(value, "dtype", "")), "data": describe(value.to_numpy(), depth + 1, path)}


def _estimator(value, depth, path):
    fitted = {key: item for key, item in vars(value).items() if key.endswith("_") and not key.startswith("_")}
    return {
        "t": type_name(value), "params": describe(value.get_params(deep=False), depth + 1, path),
        "fitted": {key: describe(item, depth + 1, path) for key, item in sorted(fitted.items())},
    }


def _is_estimator(value):
    return not isinstance(value, type) and callable(getattr(value, "get_params", None)) and callable(getattr(value, "fit", None))


# -------------------------------------------------------- functions, classes, generators

def _function(value, depth, path):
    """A function by qualified name when it comes from a library; a notebook's own function by its code."""
    if not _defined_here(value):
        return {"t": "function", "ref": f"{value.__module__}.{_without_locals(value.__qualname__)}"}
    closure = dict(zip(value.__code__.co_freevars, value.__closure__ or ()))
    return {
        "t": "function", "name": _without_locals(value.__qualname__), "code": code_digest(value.__code__),
        "defaults": describe(value.__defaults__, depth + 1, path), "kwdefaults": describe(value.__kwdefaults__, depth + 1, path),
        "closure": {name: _cell(cell, depth, path) for name, cell in sorted(closure.items())},
        "globals": sorted(global_names(value.__code__)),
    }


def _defined_here(value):
    return getattr(value, "__module__", None) in ("__main__", None) or not getattr(value, "__module__", "")


def _cell(cell, depth, path):
    try:
        return describe(cell.cell_contents, depth + 1, path)
    except ValueError:
        return {"t": "cell", "v": None}


def code_digest(code):
    """A digest of what the code does: its instructions, with loads and stores of a name counted alike
    whether the name is local, global or from an enclosing function (a lambda in main() reads main's
    locals where the notebook's read globals), and with the bookkeeping instructions left out."""
    return _digest(canonical(_instructions(code)))


def _instructions(code):
    found = []
    for instruction in dis.get_instructions(code):
        if instruction.opname in PLAIN_OPS:
            continue
        matched = NAME_OPS.match(instruction.opname)
        if matched:
            found.append([matched.group(1), str(instruction.argval)])
        elif isinstance(instruction.argval, types.CodeType):
            found.append([instruction.opname, _instructions(instruction.argval)])
        else:
            found.append([instruction.opname, _argument(instruction)])
    return found


def _argument(instruction):
    if instruction.opname.startswith(("JUMP", "POP_JUMP", "FOR_ITER", "SEND", "SETUP")):
        return ""  # offsets move with the bookkeeping instructions left out
    value = instruction.argval
    return repr(value) if isinstance(value, (int, float, str, bytes, bool, type(None), tuple, frozenset)) else str(instruction.argrepr)


def global_names(code):
    """Names a function's code may read as globals (or attributes), nested code included."""
    names = set(code.co_names)
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            names |= global_names(const)
    return names


def _builtin(value, depth, path):
    owner = getattr(value, "__self__", None)
    if owner is not None and not isinstance(owner, types.ModuleType):
        return {"t": "method", "name": value.__name__, "self": describe(owner, depth + 1, path)}
    module = getattr(value, "__module__", None) or getattr(owner, "__name__", "") or ""
    return {"t": "function", "ref": f"{module}.{getattr(value, '__qualname__', value.__name__)}"}


def _is_named_callable(value):
    """Library callables that are not plain functions (numpy's array-function dispatchers, ...)."""
    return (callable(value) and not isinstance(value, type) and isinstance(getattr(value, "__qualname__", None), str)
            and isinstance(getattr(value, "__module__", None), str) and not _defined_here(value))


def _named_callable(value, depth, path):
    return {"t": "function", "ref": f"{value.__module__}.{_without_locals(value.__qualname__)}"}


def _method(value, depth, path):
    return {"t": "method", "function": describe(value.__func__, depth + 1, path), "self": describe(value.__self__, depth + 1, path)}


def _partial(value, depth, path):
    parts = (value.func, value.args, value.keywords)
    return {"t": type_name(value), "items": [describe(part, depth + 1, path) for part in parts]}


def _class(value, depth, path):
    if not _defined_here(value):
        return {"t": "class", "ref": qualified_name(value)}
    members = {key: item for key, item in vars(value).items() if not _is_dunder(key) or isinstance(item, types.FunctionType)}
    return {
        "t": "class", "name": _without_locals(value.__qualname__), "bases": [qualified_name(base) for base in value.__bases__],
        "fields": {key: describe(item, depth + 1, path) for key, item in sorted(members.items())},
    }


def _property(value, depth, path):
    """A property by the functions that get, set and delete it."""
    accessors = {"get": value.fget, "set": value.fset, "delete": value.fdel}
    return {"t": "property", "fields": {key: describe(item, depth + 1, path) for key, item in accessors.items() if item}}


def _wrapped_method(value, depth, path):
    return {"t": type_name(value), "of": describe(value.__func__, depth + 1, path)}


def _is_dunder(name):
    """Dunder class attributes are bookkeeping (__dict__, __module__, __slotnames__ that pickling caches),
    except the methods a class defines; so are the caches of abstract base classes."""
    return name.startswith("__") and name.endswith("__") or name in CLASS_BOOKKEEPING


def _generator(value, depth, path):
    """A generator by its code and where it stands: finished, or suspended at a line with these locals.
    The items it has not produced yet are not known without running it."""
    code = getattr(value, "gi_code", None) or getattr(value, "cr_code", None) or value.ag_code
    frame = getattr(value, "gi_frame", None) or getattr(value, "cr_frame", None) or getattr(value, "ag_frame", None)
    described = {"t": type_name(value), "name": _without_locals(code.co_qualname if hasattr(code, "co_qualname") else code.co_name),
                 "code": code_digest(code), "done": frame is None}
    if frame is not None:
        local = {k: v for k, v in frame.f_locals.items() if not k.startswith(".")}
        free = set(code.co_freevars)
        described["line"] = frame.f_lineno - code.co_firstlineno
        described["fields"] = {k: describe(v, depth + 1, path) for k, v in sorted(local.items()) if k not in free}
        described["closure"] = {k: describe(v, depth + 1, path) for k, v in sorted(local.items()) if k in free}
        described["globals"] = sorted(global_names(code))
    return described


# ------------------------------------------------------------------ other objects

def _describe_object(value, depth, path):
    """Fields (__dict__ and __slots__: the public ones, or all when none is public), else what pickling
    keeps of the value (__reduce_ex__), else not comparable."""
    fields = _fields(value)
    if fields:
        return {"t": type_name(value), "fields": {key: describe(item, depth + 1, path) for key, item in sorted(fields.items())}}
    try:
        reduced = value.__reduce_ex__(4)
    except Exception as error:
        return {"t": type_name(value), "nc": f"no public state, and cannot be pickled: {_first_line(error)}"}
    if isinstance(reduced, str) or not isinstance(reduced, tuple):
        return {"t": type_name(value), "v": str(reduced)}
    return {"t": type_name(value), "reduced": describe(list(reduced[1:]), depth + 1, path)}


def _fields(value):
    state = dict(getattr(value, "__dict__", None) or {})
    for kind in type(value).__mro__:
        for slot in _slots(kind):
            if hasattr(value, slot) and slot not in ("__dict__", "__weakref__"):
                state[slot] = getattr(value, slot)
    public = {key: item for key, item in state.items() if not str(key).startswith("_")}
    return public or state


def _slots(kind):
    slots = kind.__dict__.get("__slots__", ())
    return (slots,) if isinstance(slots, str) else tuple(slots)


def _is_numpy_scalar(value):
    return any(kind.__name__ == "generic" and kind.__module__ == "numpy" for kind in type(value).__mro__)


def _is_numpy(kind):
    return lambda value: _module_root(value) == "numpy" and type(value).__name__ == kind


DESCRIBERS = (  # first match wins
    (lambda v: v is None or isinstance(v, (bool, str)) or type(v) is int, _plain),
    (lambda v: type(v) is float, _float),
    (lambda v: _is_numpy_scalar(v), _numpy_scalar),
    (lambda v: _module_root(v) == "numpy" and (type(v).__name__ == "dtype" or type(v).__name__.endswith("DType")), _by_repr),
    (_is_numpy("ndarray"), _array),
    (lambda v: _module_root(v) == "numpy" and type(v).__name__ in ("RandomState", "Generator"), _random_state),
    (lambda v: _module_root(v) == "numpy" and hasattr(v, "state") and hasattr(v, "random_raw"), _bit_generator),
    (lambda v: _pandas_kind(v) == "DataFrame", _frame),
    (lambda v: _pandas_kind(v) == "Series", _series),
    (lambda v: _pandas_kind(v) == "Index", _index),
    (lambda v: isinstance(v, __import__("random").Random), _random_state),
    (lambda v: isinstance(v, int), _plain),
    (lambda v: isinstance(v, float), _float),
    (lambda v: isinstance(v, complex), _complex),
    (lambda v: isinstance(v, (bytes, bytearray, memoryview)), _bytes),
    (lambda v: isinstance(v, __import__("enum").Enum), _enum),
    (lambda v: type_name(v) in REPR_TYPES or _is_pandas_scalar(v), _by_repr),
    (lambda v: _module_root(v) == "pandas" and callable(getattr(v, "to_numpy", None)), _pandas_array),
    (lambda v: isinstance(v, types.ModuleType), _module),
    (lambda v: isinstance(v, (list, tuple)), _sequence),
    (lambda v: isinstance(v, (set, frozenset)), _set),
    (lambda v: isinstance(v, (dict, __import__("collections.abc").abc.Mapping)), _mapping),
    (lambda v: _module_root(v) in DISPLAY_MODULES, _display),
    (lambda v: type_name(v) == "collections.deque", _deque),
    (lambda v: isinstance(v, types.FunctionType), _function),
    (lambda v: isinstance(v, types.MethodType), _method),
    (lambda v: isinstance(v, (types.BuiltinFunctionType, types.BuiltinMethodType)) or type_name(v) == "numpy.ufunc", _builtin),
    (lambda v: type_name(v) == "functools.partial", _partial),
    (_is_named_callable, _named_callable),
    (lambda v: isinstance(v, type), _class),
    (lambda v: isinstance(v, property), _property),
    (lambda v: isinstance(v, (staticmethod, classmethod)), _wrapped_method),
    (lambda v: isinstance(v, (types.GeneratorType, types.CoroutineType, types.AsyncGeneratorType)), _generator),
    (lambda v: isinstance(v, BaseException), _exception),
    (lambda v: _module_root(v) in ("io", "_io") or type_name(v).startswith("_io."), _io),
    (_is_estimator, _estimator),
)


def global_random_states():
    """The state of Python's and numpy's global random generators, for the modules a run imported."""
    states = {}
    if "random" in sys.modules:
        states["random.getstate()"] = describe(sys.modules["random"].getstate())
    numpy_random = sys.modules.get("numpy.random")
    if numpy_random is not None and hasattr(numpy_random, "get_state"):
        states["numpy.random.get_state()"] = describe(numpy_random.get_state())
    return states


# ------------------------------------------------------------------ comparing descriptions

def differences(left, right, where=""):
    """[(where, left summary, right summary)] between two descriptions; empty when they agree (floats
    within a relative tolerance of 1e-12). Parts that are not comparable are left to `uncomparable`."""
    if left.get("nc") or right.get("nc"):
        return []
    if left.get("t") != right.get("t"):
        return [(where, left.get("t"), right.get("t"))]
    keys = sorted(set(left) | set(right))
    found = []
    for key in keys:
        found += _differences_at(key, left.get(key), right.get(key), left, right, where)
    return found


def _differences_at(key, left, right, left_whole, right_whole, where):
    if key == "closure":
        return _closure_differences(left or {}, right or {}, left_whole, right_whole, where)
    if key == "globals":
        return []
    if key == "blocks":
        return [] if left_whole.get("sha") == right_whole.get("sha") or _blocks_close(left, right) else [(where, "array values", "other array values")]
    if key == "sha" and "blocks" in left_whole and "blocks" in right_whole:
        return []
    if key == "code":
        return [] if left == right else [(f"{where}.code", "its code", "other code")]
    return _values_differ(left, right, f"{where}{_step(key)}")


def _step(key):
    return "" if key in ("t", "v", "items", "data", "inner", "state", "reduced", "fields") else f".{key}"


def _values_differ(left, right, where):
    """Differences between two parts of descriptions: nested descriptions, lists, or leaves."""
    if isinstance(left, dict) and isinstance(right, dict) and "t" in left and "t" in right:
        return differences(left, right, where)
    if isinstance(left, dict) and isinstance(right, dict):
        return _dicts_differ(left, right, where)
    if isinstance(left, list) and isinstance(right, list):
        return _lists_differ(left, right, where)
    return [] if _leaves_equal(left, right) else [(where, _short(left), _short(right))]


def _dicts_differ(left, right, where):
    found = [(f"{where}.{key}", _short(left.get(key, "(absent)")), _short(right.get(key, "(absent)")))
             for key in sorted(set(left) ^ set(right))]
    for key in sorted(set(left) & set(right)):
        found += _values_differ(left[key], right[key], f"{where}.{key}")
    return found


def _lists_differ(left, right, where):
    if len(left) != len(right):
        return [(where, f"{len(left)} items", f"{len(right)} items")]
    if left and _is_pair_list(left) and _is_pair_list(right):
        return _mapping_differ(left, right, where)
    found = []
    for index, (first, second) in enumerate(zip(left, right)):
        found += _values_differ(first, second, f"{where}[{index}]")
        if len(found) > HEAD:
            break
    return found


def _is_pair_list(items):
    return all(isinstance(item, list) and len(item) == 2 and isinstance(item[0], dict) and "t" in item[0] for item in items)


def _mapping_differ(left, right, where):
    """Mappings compare by key, in any order, as Python's == does."""
    right_by_key = {canonical(key): value for key, value in right}
    found = []
    for key, value in left:
        label = f"{where}[{_key_label(key)}]"
        if canonical(key) not in right_by_key:
            found.append((label, _short(value), "(absent)"))
        else:
            found += _values_differ(value, right_by_key[canonical(key)], label)
    left_keys = {canonical(key) for key, _ in left}
    found += [(f"{where}[{_key_label(key)}]", "(absent)", _short(value)) for key, value in right if canonical(key) not in left_keys]
    return found


def _key_label(key):
    return repr(key["v"]) if "v" in key else key.get("t", "?")


def _leaves_equal(left, right):
    if isinstance(left, float) or isinstance(right, float):
        return _close(left, right)
    return left == right and type(left) is type(right)


def _close(left, right):
    try:
        left, right = float(left), float(right)
    except (TypeError, ValueError):
        return False
    if math.isnan(left) or math.isnan(right):
        return math.isnan(left) and math.isnan(right)
    return math.isclose(left, right, rel_tol=RELATIVE, abs_tol=ABSOLUTE)


def _blocks_close(left, right):
    if not isinstance(left, list) or not isinstance(right, list) or len(left) != len(right):
        return False
    for first, second in zip(left, right):
        if first[3:] != second[3:]:
            return False
        size, scale = first[4], max(first[1], second[1])
        allowed = (RELATIVE * scale + ABSOLUTE * size) * 10
        if any(abs(a - b) > allowed * weight for a, b, weight in zip(first[:3], second[:3], (1, 1, size))):
            return False
    return True


def _closure_differences(left, right, left_whole, right_whole, where):
    """Closure cells compare when both functions have them; a cell on one side only is fine when the
    other side reads that name as a global (a lambda in main() closes over what the notebook's read globally)."""
    found = []
    for name in sorted(set(left) | set(right)):
        if name in left and name in right:
            found += _values_differ(left[name], right[name], f"{where}.<closure {name}>")
        elif name not in (right_whole if name in left else left_whole).get("globals", ()):
            found.append((f"{where}.<closure {name}>", "present" if name in left else "(absent)", "present" if name in right else "(absent)"))
    return found


def uncomparable(description, where=""):
    """[(where, reason)] for the parts of a description that could not be described."""
    if not isinstance(description, (dict, list)):
        return []
    if isinstance(description, list):
        return [found for index, item in enumerate(description) for found in uncomparable(item, f"{where}[{index}]")]
    if description.get("nc") and "t" in description:
        return [(where, description["nc"], bool(description.get("display")))]
    found = []
    for key, item in description.items():
        found += uncomparable(item, where + _step(key))
    return found


def same_shape(left, right):
    """For values that change from run to run: the same type, and the same shape, length or keys."""
    if left.get("t") != right.get("t"):
        return False
    for key in ("shape", "n", "dtype", "dtypes"):
        if left.get(key) != right.get(key):
            return False
    for key in ("items", "fields"):
        if isinstance(left.get(key), (list, dict)) and len(left[key]) != len(right.get(key) or ()):
            return False
    return True


def summary(description, width=60):
    """A short, readable rendering of a description, for tables."""
    text = _summary(description)
    return text if len(text) <= width else text[: width - 3] + "..."


def _summary(description):
    if not isinstance(description, dict):
        return _short(description)
    kind = description.get("t", "?")
    if "nc" in description:
        return f"<{kind}: {description['nc']}>"
    if "v" in description:
        return repr(description["v"]) if kind in ("int", "float", "str", "bool", "NoneType") else f"{kind}({description['v']!r})"
    if "shape" in description:
        return f"{kind} shape {tuple(description['shape'])}"
    if "items" in description:
        return f"{kind} of {len(description['items'])}"
    if "n" in description:
        return f"{kind} of {description['n']}"
    if "ref" in description:
        return description["ref"]
    return f"<{kind}{' ' + description['name'] if 'name' in description else ''}>"


def _short(value):
    text = value if isinstance(value, str) else canonical(value)
    return text if len(text) <= 60 else text[:57] + "..."
