"""What calls do, as data: the knowledge behind every decision to remove, move or keep code.

Calls are looked up by the qualified name they resolve to through the notebook's imports
(`np.random.seed` -> `numpy.random.seed`), never by the name alone. A call that no table row matches
may do anything (UNKNOWN): it is kept where it is, and nothing moves across it that it could see.
Methods are looked up by name only where the receiver is data (not a module, not an instance of a
class the notebook defines); only the few listed there count as free of effects.

Assumptions the tables make (documented in the README): a library call does not change `sys.path`,
the environment or the working folder unless a row says so; importing a module has no effect on the
notebook's values unless IMPORT_EFFECTS lists it; attribute access and subscripts of library objects
have no effects (notebook classes and `defaultdict`s are checked separately).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, FrozenSet, Optional, Tuple

# Effect tags
STDOUT = "stdout"  # writes to standard output
DISPLAY = "display"  # shows a value in the notebook's rich output; nothing on standard output
FILES = "files"  # writes, moves or deletes files
OUTSIDE = "outside"  # reads files, the clock, the environment or the network: the value may differ between runs
RANDOM = "random"  # draws from (or reseeds) a global random generator
PLOT = "plot"  # draws on matplotlib's current figure, or on the figure objects it is given
ENVIRONMENT = "environment"  # changes what a later import finds: sys.path, os.environ, the working folder, modules
STATE = "state"  # changes other global state of a library (print options, warnings filters, styles, logging)
MUTATES = "mutates"  # changes its receiver or one of its arguments in place
INTROSPECTION = "introspection"  # reads or writes the caller's namespace (globals(), exec, frames)
REDIRECT = "redirect"  # replaces sys.stdout: later prints go somewhere else
CHECKS = "checks"  # raises for some of the values it is given: running it is a check (serialising)
CALLS_ARGUMENTS = "calls"  # calls the functions it is given (their effects count)
UNKNOWN = "unknown"  # anything may happen

PURE: FrozenSet[str] = frozenset()
EVERYTHING = frozenset({UNKNOWN})


@dataclass(frozen=True)
class Rule:
    """The effects of one function; `seed` names the keyword that makes a random draw reproducible and
    private (`random_state=0`), `keyword_effects` effects that a given keyword adds (`bootstrap=`)."""

    effects: FrozenSet[str]
    seed: str = ""
    keyword_effects: Tuple[Tuple[str, FrozenSet[str]], ...] = ()


def _rule(*tags: str, seed: str = "", **keyword_effects: Tuple[str, ...]) -> Rule:
    return Rule(frozenset(tags), seed, tuple((k, frozenset(v)) for k, v in sorted(keyword_effects.items())))


# Functions by qualified name. A name ending in "*" is a prefix: the longest matching prefix wins,
# and an exact name beats any prefix.
FUNCTIONS: Dict[str, Rule] = {
    # builtins
    **{f"builtins.{name}": _rule() for name in (
        "abs", "all", "any", "ascii", "bin", "bool", "bytearray", "bytes", "callable", "chr", "complex",
        "dict", "divmod", "enumerate", "filter", "float", "format", "frozenset", "hasattr", "hash", "hex",
        "id", "int", "isinstance", "issubclass", "iter", "len", "list", "map", "max", "min", "object",
        "oct", "ord", "pow", "range", "repr", "reversed", "round", "set", "slice", "sorted", "str", "sum",
        "tuple", "type", "zip", "getattr", "dir", "vars",
    )},
    "builtins.print": _rule(STDOUT),
    "builtins.display": _rule(DISPLAY),
    "builtins.open": _rule(OUTSIDE, FILES),
    "builtins.input": _rule(UNKNOWN),
    "builtins.next": _rule(MUTATES),
    "builtins.setattr": _rule(MUTATES),
    "builtins.delattr": _rule(MUTATES),
    "builtins.globals": _rule(INTROSPECTION),
    "builtins.locals": _rule(INTROSPECTION),
    "builtins.exec": _rule(INTROSPECTION, UNKNOWN),
    "builtins.eval": _rule(INTROSPECTION, UNKNOWN),
    "builtins.compile": _rule(),
    "builtins.__import__": _rule(ENVIRONMENT, UNKNOWN),
    "builtins.exit": _rule(UNKNOWN),
    "builtins.quit": _rule(UNKNOWN),
    "IPython.display.display": _rule(DISPLAY),
    "IPython.display.*": _rule(),
    "IPython.core.display.display": _rule(DISPLAY),
    "pprint.pprint": _rule(STDOUT),
    "pprint.pp": _rule(STDOUT),
    "pprint.pformat": _rule(),
    # standard library
    "math.*": _rule(),
    "cmath.*": _rule(),
    "statistics.*": _rule(),
    "operator.*": _rule(),
    "operator.setitem": _rule(MUTATES),
    "operator.delitem": _rule(MUTATES),
    **{f"operator.{name}": _rule(MUTATES) for name in (
        "iadd", "iand", "iconcat", "ifloordiv", "ilshift", "imatmul", "imod", "imul", "ior", "ipow", "irshift",
        "isub", "itruediv", "ixor")},
    "struct.pack_into": _rule(MUTATES),
    "collections.Counter.*": _rule(MUTATES),  # unbound methods (`Counter.update(c, ...)`) change their first argument
    "collections.deque.*": _rule(MUTATES),
    "collections.OrderedDict.*": _rule(MUTATES),
    "collections.defaultdict.*": _rule(MUTATES),
    "string.*": _rule(),
    "re.*": _rule(),
    "json.dumps": _rule(CHECKS),
    "json.loads": _rule(CHECKS),
    "json.dump": _rule(FILES, MUTATES),
    "json.load": _rule(OUTSIDE, MUTATES),
    "textwrap.*": _rule(),
    "itertools.*": _rule(),
    "functools.partial": _rule(),
    "functools.reduce": _rule(CALLS_ARGUMENTS),
    "functools.wraps": _rule(),
    "collections.*": _rule(),
    "copy.copy": _rule(),
    "copy.deepcopy": _rule(),
    "decimal.Decimal": _rule(),
    "fractions.Fraction": _rule(),
    "datetime.date": _rule(),
    "datetime.datetime": _rule(),
    "datetime.timedelta": _rule(),
    "datetime.time": _rule(),
    "datetime.timezone": _rule(),
    "datetime.date.today": _rule(OUTSIDE),
    "datetime.datetime.now": _rule(OUTSIDE),
    "datetime.datetime.today": _rule(OUTSIDE),
    "datetime.datetime.utcnow": _rule(OUTSIDE),
    "datetime.datetime.strptime": _rule(),
    "datetime.datetime.fromisoformat": _rule(),
    "time.*": _rule(OUTSIDE),
    "time.sleep": _rule(OUTSIDE),
    "random.*": _rule(RANDOM),
    "random.Random": _rule(),
    "random.SystemRandom": _rule(OUTSIDE),
    "secrets.*": _rule(OUTSIDE),
    "uuid.*": _rule(OUTSIDE),
    "typing.*": _rule(),
    "dataclasses.dataclass": _rule(),
    "dataclasses.field": _rule(),
    "dataclasses.asdict": _rule(),
    "dataclasses.astuple": _rule(),
    "enum.*": _rule(),
    "abc.*": _rule(),
    "os.path.join": _rule(),
    "os.path.basename": _rule(),
    "os.path.dirname": _rule(),
    "os.path.split": _rule(),
    "os.path.splitext": _rule(),
    "os.path.normpath": _rule(),
    "os.path.normcase": _rule(),
    "os.path.isabs": _rule(),
    "os.path.commonpath": _rule(),
    "os.path.commonprefix": _rule(),
    "os.path.*": _rule(OUTSIDE),
    "os.sep": _rule(),
    "os.getcwd": _rule(OUTSIDE),
    "os.listdir": _rule(OUTSIDE),
    "os.scandir": _rule(OUTSIDE),
    "os.walk": _rule(OUTSIDE),
    "os.getenv": _rule(OUTSIDE),
    "os.environ.get": _rule(OUTSIDE),
    "os.environ.copy": _rule(OUTSIDE),
    "os.environ.setdefault": _rule(ENVIRONMENT),
    "os.environ.update": _rule(ENVIRONMENT),
    "os.environ.pop": _rule(ENVIRONMENT),
    "os.cpu_count": _rule(OUTSIDE),
    "os.stat": _rule(OUTSIDE),
    "os.chdir": _rule(ENVIRONMENT),
    "os.putenv": _rule(ENVIRONMENT),
    "os.unsetenv": _rule(ENVIRONMENT),
    "os.*": _rule(FILES, OUTSIDE),
    "os.system": _rule(UNKNOWN),
    "os.fspath": _rule(),
    "pathlib.Path": _rule(),
    "pathlib.PurePath": _rule(),
    "pathlib.PurePosixPath": _rule(),
    "pathlib.Path.cwd": _rule(OUTSIDE),
    "pathlib.Path.home": _rule(OUTSIDE),
    "shutil.which": _rule(OUTSIDE),
    "shutil.*": _rule(FILES),
    "glob.*": _rule(OUTSIDE),
    "fnmatch.*": _rule(),
    "tempfile.*": _rule(FILES, OUTSIDE),
    "sys.path.append": _rule(ENVIRONMENT),
    "sys.path.insert": _rule(ENVIRONMENT),
    "sys.path.extend": _rule(ENVIRONMENT),
    "sys.path.remove": _rule(ENVIRONMENT),
    "sys.path.pop": _rule(ENVIRONMENT),
    "sys.getsizeof": _rule(),
    "sys.getrecursionlimit": _rule(),
    "sys.setrecursionlimit": _rule(STATE),
    "sys.exit": _rule(UNKNOWN),
    "sys._getframe": _rule(INTROSPECTION),
    "sys.stdout.write": _rule(STDOUT),
    "sys.stdout.flush": _rule(STDOUT),
    "inspect.currentframe": _rule(INTROSPECTION),
    "inspect.stack": _rule(INTROSPECTION),
    "inspect.getsource": _rule(OUTSIDE),
    "inspect.signature": _rule(),
    "importlib.*": _rule(ENVIRONMENT, UNKNOWN),
    "site.*": _rule(ENVIRONMENT),
    "runpy.*": _rule(ENVIRONMENT, UNKNOWN),
    "warnings.*": _rule(STATE),
    "logging.getLogger": _rule(STATE),
    "logging.*": _rule(STATE, FILES),
    "contextlib.redirect_stdout": _rule(STATE),
    "contextlib.redirect_stderr": _rule(STATE),
    "contextlib.suppress": _rule(),
    "contextlib.contextmanager": _rule(),
    "io.StringIO": _rule(),
    "io.BytesIO": _rule(),
    "pickle.dumps": _rule(CHECKS),
    "pickle.loads": _rule(CHECKS),
    "pickle.dump": _rule(FILES, MUTATES),
    "pickle.load": _rule(OUTSIDE, MUTATES),
    "hashlib.*": _rule(),
    "base64.*": _rule(),
    "struct.*": _rule(),
    "csv.reader": _rule(OUTSIDE),
    "csv.writer": _rule(FILES),
    "urllib.request.*": _rule(OUTSIDE, FILES),
    "subprocess.*": _rule(UNKNOWN),
    "threading.*": _rule(UNKNOWN),
    "multiprocessing.*": _rule(UNKNOWN),
    "asyncio.*": _rule(UNKNOWN),
    # nbrefactor's own helpers for translated magics (nbrefactor.runtime), by key
    "nbrefactor.runtime.shell": _rule(UNKNOWN, FILES, OUTSIDE, STDOUT),
    "nbrefactor.runtime.shell_lines": _rule(UNKNOWN, FILES, OUTSIDE),
    "nbrefactor.runtime.cell_script": _rule(UNKNOWN, FILES, OUTSIDE, STDOUT),
    "nbrefactor.runtime.capture": _rule(STATE),
    "nbrefactor.runtime.write_file": _rule(FILES, STDOUT),
    "nbrefactor.runtime.change_dir": _rule(ENVIRONMENT, STDOUT),
    "nbrefactor.runtime.set_env": _rule(ENVIRONMENT, STDOUT),
    "nbrefactor.runtime.run_script": _rule(ENVIRONMENT, UNKNOWN, INTROSPECTION),
    "nbrefactor.runtime.expand": _rule(CALLS_ARGUMENTS),
    "nbrefactor.runtime.numpy_precision": _rule(STATE),
    # numpy
    "numpy.*": _rule(),
    "numpy.random.*": _rule(RANDOM),
    "numpy.random.default_rng": _rule(OUTSIDE, seed="seed"),
    "numpy.random.RandomState": _rule(OUTSIDE, seed="seed"),
    "numpy.random.Generator": _rule(),
    "numpy.random.PCG64": _rule(OUTSIDE, seed="seed"),
    "numpy.random.SeedSequence": _rule(OUTSIDE, seed="entropy"),
    "numpy.save": _rule(FILES),
    "numpy.savez": _rule(FILES),
    "numpy.savez_compressed": _rule(FILES),
    "numpy.savetxt": _rule(FILES),
    "numpy.load": _rule(OUTSIDE),
    "numpy.loadtxt": _rule(OUTSIDE),
    "numpy.genfromtxt": _rule(OUTSIDE),
    "numpy.fromfile": _rule(OUTSIDE),
    "numpy.memmap": _rule(OUTSIDE, FILES),
    "numpy.set_printoptions": _rule(STATE),
    "numpy.printoptions": _rule(STATE),
    "numpy.seterr": _rule(STATE),
    "numpy.errstate": _rule(STATE),
    "numpy.copyto": _rule(MUTATES),
    "numpy.put": _rule(MUTATES),
    "numpy.place": _rule(MUTATES),
    "numpy.putmask": _rule(MUTATES),
    "numpy.fill_diagonal": _rule(MUTATES),
    "numpy.vectorize": _rule(CALLS_ARGUMENTS),
    "numpy.apply_along_axis": _rule(CALLS_ARGUMENTS),
    "numpy.frompyfunc": _rule(CALLS_ARGUMENTS),
    "numpy.info": _rule(STDOUT),
    "numpy.put_along_axis": _rule(MUTATES),
    "numpy.seterrcall": _rule(STATE),
    "numpy.setbufsize": _rule(STATE),
    "numpy.testing.*": _rule(CHECKS),
    "numpy.ndarray.*": _rule(MUTATES),  # unbound methods (`np.ndarray.sort(a)`) work on their first argument
    **{f"numpy.{ufunc}.at": _rule(MUTATES) for ufunc in ("add", "subtract", "multiply", "divide", "maximum", "minimum", "negative", "power")},
    # pandas
    "pandas.*": _rule(),
    "pandas.read_*": _rule(OUTSIDE),
    "pandas.ExcelFile": _rule(OUTSIDE),
    "pandas.ExcelWriter": _rule(FILES),
    "pandas.HDFStore": _rule(OUTSIDE, FILES),
    "pandas.set_option": _rule(STATE),
    "pandas.reset_option": _rule(STATE),
    "pandas.option_context": _rule(STATE),
    "pandas.options.*": _rule(STATE),
    "pandas.plotting.*": _rule(PLOT),
    "pandas.api.extensions.*": _rule(STATE),
    "pandas.to_pickle": _rule(FILES),
    "pandas.describe_option": _rule(STDOUT),
    "pandas.testing.*": _rule(CHECKS),
    # matplotlib and friends
    "matplotlib.use": _rule(ENVIRONMENT),
    "matplotlib.rc": _rule(STATE),
    "matplotlib.rcdefaults": _rule(STATE),
    "matplotlib.rc_file_defaults": _rule(STATE),
    "matplotlib.image.imsave": _rule(FILES),
    "matplotlib.image.imread": _rule(OUTSIDE),
    "matplotlib.pyplot.rcdefaults": _rule(STATE),
    "matplotlib.pyplot.rc_context": _rule(STATE),
    "matplotlib.rcParams.update": _rule(STATE),
    "matplotlib.style.use": _rule(STATE),
    "matplotlib.pyplot.*": _rule(PLOT),
    "matplotlib.pyplot.savefig": _rule(PLOT, FILES),
    "matplotlib.pyplot.imsave": _rule(FILES),
    "matplotlib.pyplot.imread": _rule(OUTSIDE),
    "matplotlib.pyplot.style.use": _rule(STATE),
    "matplotlib.pyplot.rc": _rule(STATE),
    "matplotlib.pyplot.rcParams.update": _rule(STATE),
    "matplotlib.pyplot.xkcd": _rule(STATE),
    "matplotlib.pyplot.ion": _rule(STATE),
    "matplotlib.pyplot.ioff": _rule(STATE),
    "matplotlib.pyplot.switch_backend": _rule(ENVIRONMENT),
    "matplotlib.pyplot.boxplot": _rule(PLOT, bootstrap=(RANDOM,)),
    "matplotlib.animation.*": _rule(PLOT),
    "matplotlib.*": _rule(PLOT),
    "mpl_toolkits.*": _rule(PLOT),
    "seaborn.*": _rule(PLOT),
    "seaborn.set": _rule(STATE),
    "seaborn.set_theme": _rule(STATE),
    "seaborn.set_style": _rule(STATE),
    "seaborn.set_context": _rule(STATE),
    "seaborn.set_palette": _rule(STATE),
    "seaborn.load_dataset": _rule(OUTSIDE),
    "seaborn.color_palette": _rule(),
    # scikit-learn: estimators only store their parameters; functions that shuffle take random_state
    "sklearn.*": _rule(UNKNOWN),
    "sklearn.metrics.*": _rule(),
    "sklearn.preprocessing.*": _rule(),
    "sklearn.linear_model.*": _rule(),
    "sklearn.tree.*": _rule(),
    "sklearn.ensemble.*": _rule(),
    "sklearn.svm.*": _rule(),
    "sklearn.neighbors.*": _rule(),
    "sklearn.naive_bayes.*": _rule(),
    "sklearn.cluster.*": _rule(),
    "sklearn.decomposition.*": _rule(),
    "sklearn.pipeline.*": _rule(),
    "sklearn.compose.*": _rule(),
    "sklearn.impute.*": _rule(),
    "sklearn.dummy.*": _rule(),
    "sklearn.base.clone": _rule(),
    # splitters that shuffle draw from the global generator when they split, unless random_state is a literal
    "sklearn.model_selection.KFold": _rule(seed="random_state", shuffle=(RANDOM,)),
    "sklearn.model_selection.StratifiedKFold": _rule(seed="random_state", shuffle=(RANDOM,)),
    "sklearn.model_selection.ShuffleSplit": _rule(RANDOM, seed="random_state"),
    "sklearn.model_selection.StratifiedShuffleSplit": _rule(RANDOM, seed="random_state"),
    "sklearn.model_selection.GridSearchCV": _rule(),
    "sklearn.model_selection.RandomizedSearchCV": _rule(),
    "sklearn.model_selection.train_test_split": _rule(RANDOM, seed="random_state"),
    "sklearn.utils.shuffle": _rule(RANDOM, seed="random_state"),
    "sklearn.datasets.load_*": _rule(OUTSIDE),
    "sklearn.datasets.make_*": _rule(RANDOM, seed="random_state"),
    "sklearn.datasets.fetch_*": _rule(OUTSIDE, FILES),
    "sklearn.cluster.kmeans_plusplus": _rule(RANDOM, seed="random_state"),
    "sklearn.metrics.silhouette_score": _rule(seed="random_state", sample_size=(RANDOM,)),
    "joblib.dump": _rule(FILES),
    "joblib.load": _rule(OUTSIDE),
    "scipy.*": _rule(),
    "scipy.stats.*": _rule(),
    "statsmodels.*": _rule(),
    "statsmodels.graphics.*": _rule(PLOT, jitter=(RANDOM,)),
    "statsmodels.api.graphics.*": _rule(PLOT, jitter=(RANDOM,)),
    "statsmodels.datasets.*": _rule(OUTSIDE),
    "statsmodels.api.datasets.*": _rule(OUTSIDE),
    "statsmodels.tsa.arima_process.*": _rule(RANDOM),
    "statsmodels.api.tsa.arma_generate_sample": _rule(RANDOM),
}

# Methods, by name, on receivers that are data (not modules, not instances of notebook classes).
# INSPECTION: shows something about a value; removable where its result is only displayed or printed.
INSPECTION_METHODS = frozenset(
    """head tail describe info value_counts nunique unique isnull isna notnull notna memory_usage keys
    dtypes""".split()
)
# PURE: computes a new value from the receiver, changes nothing, draws nothing (with no output-target
# argument and without `inplace=True`).
PURE_METHODS = frozenset(
    """head tail describe value_counts nunique unique isnull isna notnull notna memory_usage keys values
    items sum mean median std var min max count corr cov nlargest nsmallest idxmax idxmin quantile skew
    kurt kurtosis any all round abs cumsum cumprod prod argmax argmin argsort sort_values sort_index
    reset_index set_index drop dropna fillna astype copy rename merge pivot pivot_table melt transpose
    tolist to_numpy to_frame to_dict to_list reshape ravel flatten item select_dtypes groupby agg
    aggregate first last mode duplicated drop_duplicates diff pct_change shift rank isin between clip
    nonzero dot where mask filter get_params conf_int summary summary2 lower upper strip lstrip rstrip
    startswith endswith split rsplit title capitalize zfill ljust rjust center find rfind count_nonzero
    squeeze explode stack unstack""".split()
)
# `info()` and `to_string()` print or return text; they are pure only without an output argument.
PRINTING_METHODS = frozenset({"info"})
# Attributes that only describe a value.
INSPECTION_ATTRIBUTES = frozenset({"shape", "dtypes", "dtype", "columns", "index", "ndim", "size", "nbytes", "T"})
# Keywords through which a call writes into an object or a file instead of returning a value.
OUTPUT_KEYWORDS = frozenset(
    {"out", "buf", "file", "path_or_buf", "excel_writer", "filepath", "fname", "f", "path", "filename", "inplace"}
)
# Methods that draw from a global random generator whatever their receiver.
RANDOM_METHODS = frozenset({"rvs", "sample", "shuffle", "permutation", "random", "randn", "randint", "choice"})
# Method names that draw on a figure when the receiver is data (pandas plotting).
PLOT_METHODS = frozenset({"plot", "hist", "boxplot", "scatter", "bar", "barh", "pie", "kde", "density", "area", "imshow"})
# Methods of figures, axes and animations that write files; every other method of theirs draws.
FIGURE_OUTPUT_METHODS = frozenset({"savefig", "save", "to_html", "to_jshtml", "tofile", "write_image", "write_html", "print_figure", "print_png"})
# pyplot calls that read the current figure's state: the plotting before them in a cell is needed.
FIGURE_READERS = frozenset({"savefig", "gcf", "gca", "get_fignums", "get_figlabels", "imsave"})

# Builtins that call these methods of their argument: a notebook class defining one makes the builtin
# run notebook code.
# Methods Jupyter calls to show a value: a notebook class defining one runs code when shown.
DISPLAY_HOOKS = frozenset({
    "__repr__", "_repr_pretty_", "_ipython_display_", "_repr_mimebundle_", "_repr_html_", "_repr_markdown_",
    "_repr_latex_", "_repr_svg_", "_repr_png_", "_repr_jpeg_", "_repr_json_", "_repr_javascript_", "_repr_pdf_",
})

BUILTIN_DUNDERS: Dict[str, Tuple[str, ...]] = {
    "len": ("__len__",),
    "str": ("__str__", "__repr__"),
    "repr": ("__repr__",),
    "ascii": ("__repr__",),
    "getattr": ("__getattr__", "__getattribute__"),
    "hasattr": ("__getattr__", "__getattribute__"),
    "print": ("__str__", "__repr__"),
    "format": ("__format__", "__str__", "__repr__"),
    "bool": ("__bool__", "__len__"),
    "hash": ("__hash__",),
    "iter": ("__iter__",),
    "list": ("__iter__", "__len__"),
    "tuple": ("__iter__", "__len__"),
    "sorted": ("__iter__", "__lt__"),
    "min": ("__iter__", "__lt__"),
    "max": ("__iter__", "__gt__"),
    "sum": ("__iter__", "__add__", "__radd__"),
    "abs": ("__abs__",),
    "round": ("__round__",),
    "int": ("__int__", "__index__"),
    "float": ("__float__",),
}
# numpy functions (ufuncs) by how many positional arguments they read: one more is the `out` array.
POSITIONAL_OUT: Dict[str, int] = {
    **{f"numpy.{name}": 2 for name in (
        "add", "subtract", "multiply", "divide", "true_divide", "floor_divide", "power", "mod", "remainder",
        "maximum", "minimum", "fmax", "fmin", "logical_and", "logical_or", "logical_xor", "bitwise_and",
        "bitwise_or", "bitwise_xor", "left_shift", "right_shift", "arctan2", "hypot", "copysign", "greater",
        "greater_equal", "less", "less_equal", "equal", "not_equal", "matmul", "dot")},
    **{f"numpy.{name}": 1 for name in (
        "negative", "positive", "absolute", "abs", "fabs", "sqrt", "square", "cbrt", "exp", "exp2", "expm1",
        "log", "log2", "log10", "log1p", "sin", "cos", "tan", "arcsin", "arccos", "arctan", "sinh", "cosh",
        "tanh", "floor", "ceil", "trunc", "rint", "sign", "reciprocal", "logical_not", "invert", "isnan",
        "isinf", "isfinite", "degrees", "radians", "deg2rad", "rad2deg")},
    "numpy.clip": 3,
    "numpy.cumsum": 3,
    "numpy.around": 2,
    "numpy.round": 2,
}
# Array methods likewise (`a.clip(0, 1, a)` writes into `a`).
METHOD_POSITIONAL_OUT: Dict[str, int] = {"clip": 2, "cumsum": 2, "round": 1, "take": 2, "choose": 1}

# Builtins that consume an iterator they are given (a generator is empty afterwards).
CONSUMING_BUILTINS = frozenset({"list", "tuple", "set", "frozenset", "dict", "sorted", "sum", "min", "max", "any", "all", "next"})

# Module attributes whose assignment (`os.environ["X"] = ...`) has more effect than a name's rebinding.
MODULE_TARGETS: Tuple[Tuple[str, str], ...] = (
    ("os.environ", ENVIRONMENT),
    ("sys.path", ENVIRONMENT),
    ("sys.modules", ENVIRONMENT),
    ("sys.stdout", REDIRECT),
    ("sys.stderr", STATE),
)

# Calls whose result is consumed by iterating: an existing iterator passed to them is used up.
ITERATOR_FACTORIES = frozenset(
    {"builtins.iter", "builtins.map", "builtins.filter", "builtins.zip", "builtins.enumerate", "builtins.reversed", "builtins.open"}
)

# Modules whose import changes other modules or the notebook's state: never dropped or moved.
IMPORT_EFFECTS = ("sklearn.experimental", "this", "antigravity", "tqdm.pandas", "pandas_profiling", "matplotlib.pyplot")
# Imports whose position matters to them: what runs before them can change what they do.
IMPORT_SENSITIVE = ("matplotlib.pyplot", "pylab")

# Calls that behave differently in a Jupyter kernel than in a script.
KERNEL_DIFFERENCES: Dict[str, str] = {
    "sys.exit": "sys.exit() stops a notebook with an error, and ends a script with the exit status it is given",
    "builtins.exit": "exit() asks IPython to end the kernel; in a script it ends the program with status 0",
    "builtins.quit": "quit() asks IPython to end the kernel; in a script it ends the program with status 0",
    "os._exit": "os._exit() kills the kernel; in a script it ends the program",
    "asyncio.run": "asyncio.run() fails in a notebook, whose event loop is already running; in a script it runs",
    "atexit.register": "atexit functions run when the kernel shuts down in a notebook, and when a script ends",
    "threading.active_count": "a Jupyter kernel runs threads of its own; a script starts with one",
    "threading.enumerate": "a Jupyter kernel runs threads of its own; a script starts with one",
    "matplotlib.get_backend": "a notebook draws with the inline backend; a script with a non-interactive one",
    "matplotlib.pyplot.get_backend": "a notebook draws with the inline backend; a script with a non-interactive one",
}
# Values a Jupyter kernel holds otherwise than a script does.
KERNEL_VALUES: Dict[str, str] = {
    "sys.argv": "sys.argv holds the kernel's own command line in a notebook, and the script's arguments in a script",
    "sys.ps1": "sys.ps1 exists in an interactive kernel, not in a script",
    "__doc__": "__doc__ is IPython's module description in a notebook, and None in the script",
}
# Names whose reading means the code looks at its own module's namespace.
INTROSPECTION_NAMES = frozenset({"sys.modules", "__main__"})

# Methods that fit a model: a notebook calling one trains (its script is train.py).
TRAINING_METHODS = frozenset({"fit", "fit_transform", "fit_predict", "partial_fit", "train", "fit_generator"})

# Names IPython provides in a notebook's namespace that a script does not have.
IPYTHON_NAMES = frozenset({"get_ipython", "In", "Out", "_", "__", "___", "_i", "_ii", "_iii", "_oh", "_ih", "_dh", "exit", "quit"})


def lookup(qualified: str, extra: Optional[Dict[str, Rule]] = None) -> Optional[Rule]:
    """The rule for a qualified function name: exact entry, else the longest prefix entry, else None."""
    tables = (extra or {}, FUNCTIONS)
    for table in tables:
        if qualified in table:
            return table[qualified]
    best, best_length = None, -1
    for table in tables:
        for key, rule in table.items():
            if key.endswith("*") and qualified.startswith(key[:-1]) and len(key) > best_length:
                best, best_length = rule, len(key)
    return best
