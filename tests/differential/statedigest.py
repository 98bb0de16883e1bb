"""Digests of final values, computed inside the process that holds them (a kernel, or a script's process).

Each public name gets a sha256 of its pickle bytes when the value pickles, and always a description:
the type and, recursively, the public fields or items, with memory addresses scrubbed. Two processes
agree on a name when both digests exist and are equal, or, when either value does not pickle (a
function kept local to the script's main(), a generator), when the descriptions are equal. Plot objects
are described by type only: their effect is what they save, and files are compared separately.

This file runs in the kernel and in the script's process: standard library only, no package imports.
"""
import hashlib
import io
import pickle
import re
import types

ADDRESS = re.compile(r"\b0x[0-9a-fA-F]+\b")
DEPTH = 3
ITEMS = 50


def digest_values(values):
    """{name: [pickle digest or None, description]} for the public names of `values`."""
    return {name: [pickle_digest(value), describe(value)]
            for name, value in sorted(values.items()) if not name.startswith("_")}


def pickle_digest(value):
    if _is_plot_object(value) or _is_standard_stream(value):
        return None
    try:
        return hashlib.sha256(pickle.dumps(value, protocol=4)).hexdigest()[:20]
    except Exception:
        return None


def describe(value, depth=0):
    kind = type(value)
    named = _named(value)
    if named:
        return named
    if _is_standard_stream(value):
        return "standard stream"
    if isinstance(value, (io.StringIO, io.BytesIO)):
        return f"{kind.__name__}:{value.getvalue()!r:.300}"
    if _is_plot_object(value) or depth >= DEPTH:
        return kind.__name__
    if isinstance(value, (list, tuple, set, frozenset)):
        items = sorted(map(repr, value)) if isinstance(value, (set, frozenset)) else value
        inner = [describe(item, depth + 1) for item in list(items)[:ITEMS]]
        return f"{kind.__name__}[{', '.join(inner)}]"
    if isinstance(value, dict):
        inner = [f"{key!r}: {describe(item, depth + 1)}" for key, item in list(value.items())[:ITEMS]]
        return f"{kind.__name__}{{{', '.join(inner)}}}"
    fields = getattr(value, "__dict__", None)
    if isinstance(fields, dict) and kind.__module__ not in ("builtins",):
        inner = [f"{key}={describe(item, depth + 1)}" for key, item in sorted(fields.items())
                 if not key.startswith("_")]
        return f"{kind.__name__}({', '.join(inner)})"
    return f"{kind.__name__}:{_scrubbed_repr(value)}"


def _named(value):
    """A short, address-free description of modules, classes, functions and iterators."""
    if isinstance(value, types.ModuleType):
        return f"module {value.__name__}"
    if isinstance(value, type):
        return f"class {value.__name__}"
    if isinstance(value, (types.FunctionType, types.BuiltinFunctionType, types.MethodType)):
        return f"{type(value).__name__} {getattr(value, '__name__', '?')}"
    if isinstance(value, (types.GeneratorType, types.CoroutineType, types.AsyncGeneratorType)):
        return f"{type(value).__name__} {value.__name__}"
    return ""


def _is_standard_stream(value):
    """The process's own stdout or stderr, which a kernel and a script hold in objects of different types."""
    import sys

    streams = (sys.stdout, sys.stderr, sys.__stdout__, sys.__stderr__)
    return any(value is stream for stream in streams) or type(value).__name__ in ("OutStream", "Attributing")


def _is_plot_object(value):
    return type(value).__module__.split(".")[0] in ("matplotlib", "mpl_toolkits")


def _scrubbed_repr(value):
    try:
        text = repr(value)
    except Exception as error:
        text = f"<repr failed: {type(error).__name__}>"
    return ADDRESS.sub("0x?", text)[:300]


def agree(left, right):
    """Whether two entries of digest_values name the same value."""
    if left[0] is not None and right[0] is not None:
        return left[0] == right[0]
    return left[1] == right[1]
