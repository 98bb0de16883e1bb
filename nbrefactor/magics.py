"""IPython syntax -> plain Python, one code cell at a time, each change recorded.

A notebook cell is not Python: IPython reads it first. This module reads a cell as IPython 8 and 9 do
(`IPython.core.inputtransformer2`, then the prefilter for one-line cells), and replaces each piece of
IPython syntax with Python that does what IPython did, from the tables below. Where no faithful form
exists, the nearest form is kept with a finding (NB301; NB302 for reads of IPython's history; NB303
for a cell left out).

How IPython reads a cell:
1. Leading blank lines go, and the indentation common to all lines is removed (`textwrap.dedent`).
2. A first line starting with `%%` makes the cell a cell magic: the rest of that line holds its
   arguments, the other lines its body.
3. Each logical line (brackets and strings join physical lines) is then read in order: one ending in
   `?` asks for help; one whose first token is `%`, `!`, `!!`, `?`, `??`, `,`, `;` or `/` runs a line
   magic, a shell command, help or a call; `target = %magic` and `target = !command` assign one. A
   backslash at the end of such a line continues it. Nothing inside brackets or strings is touched.
4. Only if the cell is then one line: a magic's name without `%` runs that magic (automagic), unless
   the name is bound in the namespace, a builtin or a keyword, or the rest of the line starts with
   `=` or `,`.
Line magic arguments, shell commands and cell magic header lines then have `{expression}` and
`$name` replaced by their values; if any of them fails to evaluate, the text is used as written.

The rewritten cell keeps its line count, so positions still point into the notebook. Imports the
rewritten code needs are named in `CodeCell.imports`, the runtime helpers it calls (nbrefactor.runtime)
in `CodeCell.helpers`; nothing is appended to the cell's text.
"""
from __future__ import annotations

import ast
import builtins
import keyword
import re
import shlex
import string
import textwrap
import tokenize
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import PurePath
from typing import Callable, Dict, Iterator, List, Optional, Sequence, Set, Tuple

from . import runtime
from .findings import CODES
from .model import Cell, Change, CodeCell, Finding

NO_FORM = "NB301"
HISTORY = "NB302"
LEFT_OUT = "NB303"
BAD_DIRECTIVE = "NB405"

# ---------------------------------------------------------------------------------------------------
# Tables: what IPython knows, and what each magic becomes
# ---------------------------------------------------------------------------------------------------

# Line magics of an IPython 9 kernel (core, ipykernel and the posix shell aliases): the names automagic
# can run without `%`.
KERNEL_LINE_MAGICS = frozenset("""
    alias alias_magic autoawait autocall automagic autosave bookmark cat cd clear code_wrap colors conda
    config connect_info cp debug dhist dirs doctest_mode ed edit env gui hist history killbgscripts ldir
    less lf lk ll load load_ext loadpy logoff logon logstart logstate logstop ls lsmagic lx macro magic
    mamba man matplotlib micromamba mkdir more mv notebook page pastebin pdb pdef pdoc pfile pinfo pinfo2
    pip popd pprint precision prun psearch psource pushd pwd pycat pylab qtconsole quickref recall rehashx
    reload_ext rep rerun reset reset_selective rm rmdir run save sc set_env store subshell sx system tb
    time timeit unalias unload_ext uv who who_ls whos xdel xmode
""".split())

# Line magics that extensions add when `%load_ext` loads them.
EXTENSION_MAGICS: Dict[str, Tuple[str, ...]] = {
    "autoreload": ("autoreload", "aimport"),
    "memory_profiler": ("memit", "mprun"),
    "line_profiler": ("lprun",),
    "watermark": ("watermark",),
    "version_information": ("version_information",),
    "sql": ("sql",),
    "dotenv": ("dotenv",),
    "tensorboard": ("tensorboard",),
}

# Shell aliases IPython defines on posix: `%ls x` runs `ls -F --color x`; `%l` stands for the arguments.
SHELL_ALIASES: Dict[str, str] = {
    "mkdir": "mkdir", "rmdir": "rmdir", "mv": "mv", "rm": "rm", "cp": "cp", "cat": "cat",
    "ls": "ls -F --color", "ll": "ls -F -o --color", "lf": "ls -F -o --color %l | grep ^-",
    "lk": "ls -F -o --color %l | grep ^l", "ldir": "ls -F -o --color %l | grep /$",
    "lx": "ls -F -o --color %l | grep ^-..x",
}

SHOWS, PRINTS, CONFIGURES, SETS_OR_PRINTS = "shows", "prints", "configures", "sets or prints"

# Line magics that only show something (a value, a pager, a display), print about the session, or
# configure IPython itself: the line goes. What they may write to stdout in the notebook is marked as
# removed output: PRINTS always, SETS_OR_PRINTS when given no setting (or `-l`), checked in a kernel.
DROPPED_LINE_MAGICS: Dict[str, str] = {
    **dict.fromkeys("pinfo pinfo2 psearch pdoc pfile pycat page less more man magic quickref lsmagic who_ls "
                    "pwd dirs load loadpy tb version_information tensorboard".split(), SHOWS),
    **dict.fromkeys("who whos history hist dhist connect_info autosave killbgscripts subshell clear logstate "
                    "watermark doctest_mode pprint xmode pdb logon logoff logstop unload_ext pdef psource ed "
                    "edit".split(), PRINTS),
    **dict.fromkeys("load_ext reload_ext autoreload aimport colors gui qtconsole".split(), CONFIGURES),
    **dict.fromkeys("config autoawait bookmark".split(), SETS_OR_PRINTS),
}

# Line magics with no faithful form in a script: the line goes, with a finding that says why.
UNFAITHFUL_LINE_MAGICS: Dict[str, Tuple[str, str]] = {
    "store": (NO_FORM, "%store keeps values in IPython's database, which a script cannot read"),
    "reset": (NO_FORM, "%reset clears the notebook's namespace"),
    "reset_selective": (NO_FORM, "%reset_selective clears names from the notebook's namespace"),
    "alias": (NO_FORM, "%alias defines a shell alias that later cells may call"),
    "unalias": (NO_FORM, "%unalias removes a shell alias"),
    "alias_magic": (NO_FORM, "%alias_magic defines a magic that later cells may call"),
    "rehashx": (NO_FORM, "%rehashx makes every program on PATH callable without `!`"),
    "pushd": (NO_FORM, "%pushd changes the working folder through IPython's folder stack"),
    "popd": (NO_FORM, "%popd changes the working folder through IPython's folder stack"),
    "code_wrap": (NO_FORM, "%code_wrap changes how later cells run"),
    "sc": (NO_FORM, "%sc is IPython's old shell capture"),
    "logstart": (NO_FORM, "%logstart logs the session's input to a file"),
    "pastebin": (HISTORY, "%pastebin uploads cells from IPython's input history"),
    "macro": (HISTORY, "%macro builds code from IPython's input history"),
    "recall": (HISTORY, "%recall reads IPython's input history"),
    "rerun": (HISTORY, "%rerun runs cells again from IPython's input history"),
    "rep": (HISTORY, "%rep reads IPython's input history"),
    "save": (HISTORY, "%save writes cells from IPython's input history to a file"),
    "notebook": (HISTORY, "%notebook writes IPython's input history to a notebook"),
    "dotenv": (NO_FORM, "%dotenv loads a .env file into the environment"),
    "sql": (NO_FORM, "%sql runs SQL through the ipython-sql extension"),
}

CAPTURE_FLAGS = frozenset({"--no-stdout", "--no-stderr", "--no-display"})

# Cell magics whose body is shown by the front end and never runs: the cell goes.
DISPLAY_CELL_MAGICS = frozenset("html HTML javascript js latex markdown svg SVG".split())

# Programs the `%%bash`-style cell magics run: `%%python` runs `python` from PATH, as IPython does.
SCRIPT_CELL_MAGICS = frozenset("bash sh python python2 python3 pypy perl ruby".split())

# Shell commands that only show something: `!ls data` goes (its output is marked as removed output)
# when the command has no redirection, pipe or other shell syntax that could do more.
DISPLAY_COMMANDS = frozenset("""
    ls ll dir pwd cat head tail wc du df free nvidia-smi which whoami hostname uname lscpu nproc tree
    file stat date uptime printenv md5sum sha256sum
""".split())
SHELL_SYNTAX = re.compile(r"[|&;<>()`\n]|\$\(")
STDOUT_REDIRECTION = re.compile(r"sys\.stdout\s*=(?!=)|redirect_stdout|capture_output")

PACKAGE_MANAGERS = frozenset("pip pip3 conda mamba micromamba uv".split())
PIP_DISPLAY_COMMANDS = frozenset("list freeze show check config cache debug index inspect search help --version -V"
                                 .split())
OPTIONS_WITH_VALUES = frozenset("""-r --requirement -c --constraint -e --editable -i --index-url --extra-index-url
    -f --find-links -t --target --prefix --root --src --python --channel -n --name -p""".split())

# Calls that cannot change anything and draw no random numbers, for `%timeit` statements IPython may
# run any number of times: a statement made only of these, names, constants and operators is dropped.
PURE_CALLS = frozenset("""
    abs bin bool chr complex divmod float hash hex id int isinstance issubclass len oct ord pow range repr
    round str type
    math.sqrt math.exp math.log math.log2 math.log10 math.sin math.cos math.tan math.floor math.ceil
    math.factorial math.gcd math.hypot math.pow math.fabs math.comb math.perm math.isclose
    numpy.add numpy.subtract numpy.multiply numpy.divide numpy.power numpy.dot numpy.matmul numpy.inner
    numpy.outer numpy.sum numpy.mean numpy.std numpy.var numpy.min numpy.max numpy.argmin numpy.argmax
    numpy.sqrt numpy.exp numpy.log numpy.abs numpy.sort numpy.argsort numpy.cumsum numpy.prod
    numpy.median numpy.percentile numpy.quantile numpy.where numpy.unique numpy.concatenate numpy.stack
    numpy.vstack numpy.hstack numpy.array numpy.asarray numpy.zeros numpy.ones numpy.arange
    numpy.linspace numpy.einsum numpy.transpose numpy.reshape numpy.allclose numpy.array_equal
    numpy.linalg.norm numpy.linalg.inv numpy.linalg.solve numpy.linalg.det
""".split())
# Of those, the ones that iterate over an argument: a name given to them could be an iterator.
ITERATING_CALLS = frozenset("all any dict enumerate frozenset list max min reversed set sorted sum tuple zip".split())

# What IPython keeps in the namespace about its own history.
HISTORY_NAME = re.compile(r"^(?:_{1,3}|_i{1,3}|_i\d+|_\d+|_ih|_oh|_dh|In|Out)$")
HISTORY_READ = re.compile(r"(?<![\w.])(?:_{1,3}|_i{1,3}|_i?\d+|_ih|_oh|_dh|In|Out)(?!\w)")
DISPLAY_HISTORY = frozenset({"_", "__", "___"})  # rebound after every cell that shows a value

# IPython's SList (what `x = !command` gives) has these beyond a list; its `sort` returns a new list.
SLIST_ONLY = frozenset("fields get_list get_nlstr get_paths get_spstr grep l list n nlstr p paths s spstr sort".split())

LOOP_NAMES = ("_", "_repeat", "_timeit_repeat")
ESCAPES = frozenset("!?%,;/")
DOUBLE_ESCAPES = ("!!", "??")
DIRECTIVE = re.compile(r"^\s*#\s*nbrefactor\s*:\s*(.*?)\s*$")
SIMPLE_ASSIGNMENT = re.compile(r"^([A-Za-z_]\w*)\s*(?::[^=]*)?=(?!=)")
HELP_TARGET = re.compile(r"(%{0,2}(?!\d)[\w*]+(?:\.(?!\d)[\w*]+|\[-?[0-9]+\])*)(\?\??)$")
CELL_MAGIC_HELP = re.compile(r"%%\w+\?")
MAY_HOLD_SYNTAX = re.compile(r"^[ \t]*[!%?,;/]|=[ \t]*[!%]|\?[ \t]*$", re.M)
POSSIBLY_SYNTAX = re.compile(r"^\s*[!%?,;/]|.*=\s*[!%]|.*\?\s*$")
BINDING_GUESS = re.compile(r"(?:^\s*|\bfor\s+|\bas\s+|\bdef\s+|\bclass\s+|\bimport\s+)"
                           r"([^\W\d]\w*)(?=\s*(?:=(?!=)|\bin\b|[,:(]|$))")
LINE_SPLIT = re.compile(r"^(\s*)(%{0,2}[\w.*]*)(.*)$", re.S)
DOLLAR = re.compile(r"(.*?)\$(\$?[\w.]+)(?=(?:[^']*'[^']*')*[^']*$)")
IDENTIFIER = re.compile(r"[^\W\d]\w*")
BUILTIN_NAMES = frozenset(dir(builtins)) - {"_"}
STRING_TOKENS = tuple(getattr(tokenize, name) for name in ("STRING", "FSTRING_MIDDLE", "FSTRING_END")
                      if hasattr(tokenize, name))
MATCH_CAPTURES = tuple(getattr(ast, name) for name in ("MatchAs", "MatchStar") if hasattr(ast, name))


# ---------------------------------------------------------------------------------------------------
# What the notebook and its earlier cells tell about the namespace a cell runs in
# ---------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Notebook:
    """Facts about the whole notebook that every cell's rewrite needs."""

    names: Counter  # identifiers in all the notebook's code, with their counts
    helpers: Dict[str, str]  # runtime helper key -> its name in the script
    loop_name: str
    reads_exit_code: bool
    redirects_stdout: bool  # some code points sys.stdout elsewhere: what a command shows may land in a file
    module_names: Dict[str, str]  # module -> the name that refers to it in rewritten code

    @classmethod
    def of(cls, cells: Sequence[Cell]) -> "Notebook":
        names = Counter(name for cell in cells for name in IDENTIFIER.findall(cell.source))
        taken = set(names) | BUILTIN_NAMES | set(keyword.kwlist)
        modules = {"os": "os" if not _rebinds("os", cells) else runtime.choose_name(("os_module",), taken)}
        redirects = any(STDOUT_REDIRECTION.search(cell.source) for cell in cells)
        return cls(names, runtime.choose_names(taken), runtime.choose_name(LOOP_NAMES, taken),
                   "_exit_code" in names, redirects, modules)


def _rebinds(module: str, cells: Sequence[Cell]) -> bool:
    """Whether notebook code binds `module`'s name to something other than the module."""
    binding = re.compile(rf"(?<![\w.]){module}\s*=(?!=)|(?:def|class|as|for)\s+{module}\b")
    return any(binding.search(cell.source) for cell in cells)


class Namespace:
    """What the cells run so far bound, as IPython's namespace holds it when the next cell starts.

    The rewritten cells are read (parsed) only when a later cell asks about a name: most cells never do.
    """

    def __init__(self) -> None:
        self.automagic = True
        self.magics: Set[str] = set(KERNEL_LINE_MAGICS)
        self.tracked: Set[str] = set()  # every name some cell bound to an SList or a %%capture result
        self._bound: Set[str] = set()
        self._modules: Dict[str, str] = {}  # name -> module it was imported as
        self._open = False  # a star import or %run may have bound names no scan can see
        self._shell_lists: Set[str] = set()  # names holding `!command` output (an SList in IPython)
        self._captures: Set[str] = set()  # names holding a `%%capture` result
        self._pending: List[Tuple[str, Set[str], Set[str]]] = []  # (python, its SList names, its captures)

    def learn(self, python: str, shell_lists: Set[str] = frozenset(), captures: Set[str] = frozenset()) -> None:
        """A cell ran: its names count from the next cell on."""
        self._pending.append((python, set(shell_lists), set(captures)))
        self.tracked.update(shell_lists, captures)

    def assume_unseen_names(self) -> None:
        self._open = True

    @property
    def bound(self) -> Set[str]:
        return self._settled()._bound

    @property
    def modules(self) -> Dict[str, str]:
        return self._settled()._modules

    @property
    def open(self) -> bool:
        return self._settled()._open

    @property
    def shell_lists(self) -> Set[str]:
        return self._settled()._shell_lists

    @property
    def captures(self) -> Set[str]:
        return self._settled()._captures

    def shadows(self, name: str) -> bool:
        """Whether a name hides a magic from automagic: bound, a builtin or a keyword (IPython's rule)."""
        return name in BUILTIN_NAMES or keyword.iskeyword(name) or name in self.bound

    def _settled(self) -> "Namespace":
        pending, self._pending = self._pending, []
        for python, shell_lists, captures in pending:
            self._read(python, shell_lists, captures)
        return self

    def _read(self, python: str, shell_lists: Set[str], captures: Set[str]) -> None:
        tree = _parse(python)
        if tree is None:
            self._bound.update(m.group(1) for m in map(SIMPLE_ASSIGNMENT.match, python.split("\n")) if m)
            return
        bindings = list(_bindings(tree, module_level=True))
        for name, how in bindings:
            if how == "delete":
                self._bound.discard(name)
            elif how == "star":
                self._open = True
            else:
                self._bound.add(name)
            if how.startswith("import:"):
                self._modules[name] = how[len("import:") :]
        rebound = {name for name, how in bindings if how == "bind"}
        self._shell_lists = (self._shell_lists - rebound) | shell_lists
        self._captures = (self._captures - rebound) | captures


def normalise_all(cells: Sequence[Cell]) -> Tuple[CodeCell, ...]:
    """Plain Python for each code cell, in order: each cell is read with the names earlier cells bound."""
    notebook = Notebook.of(cells)
    namespace = Namespace()
    return tuple(normalise(cell, namespace, notebook) for cell in cells)


def normalise(cell: Cell, namespace: Optional[Namespace] = None, notebook: Optional[Notebook] = None) -> CodeCell:
    """Plain Python for one code cell, or a left-out cell with a finding.

    `namespace` (updated in place) carries what earlier cells bound; `notebook` the facts about all
    cells. Without a namespace, earlier cells are unknown: a name this cell does not bind may exist,
    and what depends on it comes with a finding. `normalise_all` reads every cell in its context.
    """
    if namespace is None:
        namespace = Namespace()
        namespace.assume_unseen_names()
    notebook = Notebook.of([cell]) if notebook is None else notebook
    rewriter = CellRewriter(cell, namespace, notebook)
    result = rewriter.run()
    if result.left_out:
        namespace.learn("\n".join(f"{name} = None" for name in result.left_out_names))
    else:
        namespace.learn(result.python, rewriter.new_shell_lists, rewriter.new_captures)
    return result


# ---------------------------------------------------------------------------------------------------
# Finding IPython syntax, as IPython's static transforms find it
# ---------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Special:
    """One piece of IPython syntax, at the lines where IPython finds it (counted from 0)."""

    line: int
    end: int  # last line it takes (backslash continuations)
    prefix: str  # the text before it on its first line: indentation, or `target = `
    escape: str  # "%", "!", "!!", "?", "??", ",", ";" or "/"
    content: str  # the text after the escape, continued lines joined as IPython joins them
    assigned: bool = False

    @property
    def indent(self) -> str:
        return self.prefix[: len(self.prefix) - len(self.prefix.lstrip())]

    @property
    def text(self) -> str:
        return self.escape + self.content


def clean(lines: Sequence[str]) -> Tuple[List[str], str]:
    """IPython's first step: leading blank lines go (kept here as empty lines, to keep positions) and
    the common indentation is removed. Returns the lines and the indentation removed."""
    first = next((number for number, line in enumerate(lines) if line.strip()), None)
    if first is None:
        return [""] * len(lines), ""
    if not any(line[:1] in (" ", "\t") for line in lines[first:]):
        return [""] * first + list(lines[first:]), ""
    dedented = textwrap.dedent("\n".join(lines[first:]) + "\n").split("\n")[:-1]
    return [""] * first + dedented, lines[first][: len(lines[first]) - len(dedented[0])]


def find_specials(lines: Sequence[str]) -> List[Special]:
    """The IPython syntax in cleaned lines, in order. Lines inside brackets and strings are Python.

    Each logical line is tokenized on its own, from its first line: IPython tokenizes the whole cell
    again after each piece it transforms, which reads the same wherever the cell is valid Python
    once transformed."""
    if not MAY_HOLD_SYNTAX.search("\n".join(lines)):
        return []
    found: List[Special] = []
    number = 0
    while number < len(lines):
        tokens, last = _logical_line(lines, number)
        special = _special_in(tokens, lines)
        if special:
            found.append(special)
        number = (special.end if special else last) + 1
    return found


def _logical_line(lines: Sequence[str], start: int) -> Tuple[List[tokenize.TokenInfo], int]:
    """The tokens of the logical line that starts at `lines[start]` (rows counted from the cell's
    first line), and the index of its last line."""
    feed = iter([line + "\n" for line in lines[start:]])
    tokens: List[tokenize.TokenInfo] = []
    depth = 0
    try:
        for token in tokenize.generate_tokens(lambda: next(feed, "")):
            token = token._replace(start=(token.start[0] + start, token.start[1]),
                                   end=(token.end[0] + start, token.end[1]))
            tokens.append(token)
            if token.type == tokenize.NEWLINE or (token.type == tokenize.NL and depth <= 0):
                return tokens, token.start[0] - 1
            if token.type == tokenize.OP and token.string in ("(", "[", "{"):
                depth += 1
            elif token.type == tokenize.OP and token.string in (")", "]", "}") and depth:
                depth -= 1
    except (tokenize.TokenError, SyntaxError):
        pass
    return tokens, len(lines) - 1


def _special_in(tokens: List[tokenize.TokenInfo], lines: Sequence[str]) -> Optional[Special]:
    """The syntax IPython transforms in one logical line: the earliest candidate that applies."""
    first = next((t for t in tokens if t.type not in (tokenize.INDENT, tokenize.DEDENT, tokenize.NL)), None)
    if first is None:
        return None
    candidates = []
    if len(tokens) > 2 and tokens[-2].string == "?":
        candidates.append((first.start, 5, _help_special))
    if first.string in ESCAPES:
        candidates.append((first.start, 10, _escaped_special))
    assignment = _assignment_start(tokens)
    if assignment:
        candidates.append((assignment, 10, _assigned_special))
    for position, _, read in sorted(candidates, key=lambda candidate: candidate[:2]):
        special = read(lines, tokens, position)
        if special:
            return special
    return None


def _help_special(lines, tokens, position) -> Optional[Special]:
    first_line, question_line = position[0] - 1, tokens[-2].start[0] - 1
    piece = "\n".join(lines[first_line : question_line + 1])
    match = HELP_TARGET.search(piece[position[1] :])
    if not match:
        return None
    return Special(first_line, question_line, piece[: position[1]], match.group(2), match.group(1))


def _escaped_special(lines, tokens, position) -> Optional[Special]:
    line = position[0] - 1
    end = _continued_end(lines, line)
    text = _joined(lines, line, position[1], end)
    escape = text[:2] if text[:2] in DOUBLE_ESCAPES else text[:1]
    if escape == "/" and not text[1:].partition(" ")[0]:
        return None  # IPython: "/" must be followed by a callable name
    return Special(line, end, lines[line][: position[1]], escape, text[len(escape) :])


def _assigned_special(lines, tokens, position) -> Special:
    line = position[0] - 1
    end = _continued_end(lines, line)
    text = _joined(lines, line, position[1], end)
    return Special(line, end, lines[line][: position[1]], text[0], text[1:], assigned=True)


def _assignment_start(tokens: List[tokenize.TokenInfo]) -> Optional[Tuple[int, int]]:
    """Where `%magic` or `!command` starts after the line's first top-level `=`, if it does."""
    depth = 0
    for index, token in enumerate(tokens):
        if token.string == "=" and depth == 0:
            break
        if token.string in ("(", "[", "{"):
            depth += 1
        elif token.string in (")", "]", "}") and depth:
            depth -= 1
    else:
        return None
    rest = tokens[index + 1 :]
    if len(rest) >= 2 and rest[0].string == "%" and rest[1].type == tokenize.NAME:
        return rest[0].start
    if tokens[index].line.strip().startswith("="):
        return None
    bang = next((t for t in rest if not (t.type == tokenize.ERRORTOKEN and t.string.isspace())), None)
    return bang.start if bang is not None and bang.string == "!" else None


def _continued_end(lines: Sequence[str], line: int) -> int:
    end = line
    while lines[end].endswith("\\") and end + 1 < len(lines):
        end += 1
    return end


def _joined(lines: Sequence[str], line: int, col: int, end: int) -> str:
    """A magic continued with backslashes, as one line: each backslash becomes a space."""
    parts = [lines[line][col:]] + list(lines[line + 1 : end + 1])
    return " ".join([part.rstrip()[:-1] for part in parts[:-1]] + [parts[-1].rstrip()])


# ---------------------------------------------------------------------------------------------------
# Expansion of `{expression}` and `$name`, decided where the notebook makes it certain
# ---------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Expansion:
    """A magic's argument text after IPython's expansion: `python` is an expression for the string."""

    python: str
    static: Optional[str]  # the string itself, when it does not depend on the namespace

    @property
    def dynamic(self) -> bool:
        return self.static is None


def dollar_fields(text: str) -> Optional[List[Tuple[str, Optional[str], Optional[str]]]]:
    """IPython's reading of a text to expand: (literal, expression or None, conversion) parts, or None
    when the text is not a valid format string (then IPython leaves it as written)."""
    try:
        items = list(string.Formatter().parse(text))
    except ValueError:
        return None
    parts = []
    for literal, field_name, spec, conversion in items:
        position, pending = 0, ""
        for match in DOLLAR.finditer(literal):
            before, name = match.group(1), match.group(2)
            if name.startswith("$"):
                pending += before + name
            else:
                parts.append((pending + before, name, None))
                pending = ""
            position = match.end()
        expression = None if field_name is None else field_name + (":" + spec if spec else "")
        parts.append((pending + literal[position:], expression, conversion))
    return parts


def _string_literal(text: str) -> str:
    return repr(text)


def _is_name(expression: str) -> bool:
    return expression.strip().isidentifier() and not keyword.iskeyword(expression.strip())


def _fstring(parts: Sequence[Tuple[str, Optional[str], Optional[str]]]) -> str:
    """Python for the expanded text: an f-string, or `str.format` when an expression cannot sit in one."""
    parts = [(literal, None if e is None else _embeddable(e), c) for literal, e, c in parts]
    expressions = [expression for _, expression, _ in parts if expression is not None]
    quote = next((q for q in '"\'' if not any(q in e for e in expressions)), None)
    if quote is None or any(c in e for e in expressions for c in "\\#\n{}"):
        template = "".join(_escaped(literal, '"', True) + _field(e and "", c) for literal, e, c in parts)
        arguments = ", ".join(f"({e})" for _, e, _ in parts if e is not None)
        return f'"{template}".format({arguments})'
    body = "".join(_escaped(literal, quote, True) + _field(e and _in_fstring(e), c) for literal, e, c in parts)
    return f"f{quote}{body}{quote}"


def _field(expression: Optional[str], conversion: Optional[str]) -> str:
    """`{expression!conversion}` of a format string; nothing for a part without a field."""
    return "" if expression is None else "{" + expression + (f"!{conversion}" if conversion else "") + "}"


def _embeddable(expression: str) -> str:
    """An expression's text fit to sit inside other code: without comments or line breaks."""
    expression = expression.strip()
    if any(char in expression for char in "#\\\n"):
        return ast.unparse(ast.parse(expression.lstrip(" \t"), mode="eval"))
    return expression


def _in_fstring(expression: str) -> str:
    expression = expression.strip()
    return f"({expression})" if any(c in expression for c in ":!=") or "lambda" in expression else expression


def _escaped(text: str, quote: str, braces: bool = False) -> str:
    """`text` as the inside of a string literal delimited by `quote`."""
    out = []
    for char in text:
        if char in ("\\", quote):
            out.append("\\" + char)
        elif braces and char in "{}":
            out.append(char * 2)
        elif char == "\t" or char.isprintable():
            out.append(char)
        else:
            out.append(repr(char)[1:-1])
    return "".join(out)


# ---------------------------------------------------------------------------------------------------
# Rewriting a cell
# ---------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Magic:
    """A line magic (or shell command) as found: where it is and what it says."""

    name: str
    args: str
    special: Special
    line: int  # in the cell, from 1

    @property
    def original(self) -> str:
        return (self.special.prefix.strip() + " " + self.special.text).strip()

    @property
    def target(self) -> str:
        """`x = ` of `x = %magic`, without indentation."""
        return self.special.prefix.lstrip() if self.special.assigned else ""

    @property
    def col(self) -> int:
        return len(self.special.prefix) + 1


@dataclass(frozen=True)
class Rewrite:
    """What a magic becomes: the Python (empty to remove it) and the rule, for the change record."""

    code: str
    rule: str
    output: bool = False  # what was removed printed to stdout in the notebook


@dataclass
class CellRewrite:
    """What a cell magic becomes: its header line and its body lines."""

    header: str
    body: List[str]
    rule: str
    output: bool = False
    left_out: bool = False
    header_only: bool = False  # only the header line changed: the body runs as written


class CellRewriter:
    """Rewrites one cell, accumulating what changed, what was found and what the new code needs."""

    def __init__(self, cell: Cell, namespace: Namespace, notebook: Notebook):
        self.cell = cell
        self.namespace = namespace
        self.notebook = notebook
        self.changes: List[Change] = []
        self.findings: List[Finding] = []
        self.directives: List[str] = []
        self.requirements: List[str] = []
        self.imports: Set[str] = set()
        self.helpers: Set[str] = set()
        self.view: List[str] = []
        self._known: Optional[Set[str]] = None
        self.new_shell_lists: Set[str] = set()
        self.new_captures: Set[str] = set()
        self.capturing = 0  # inside a %%capture body: what is printed there is collected, not shown
        self.left_out = False

    # -- the result ----------------------------------------------------------------------------------

    def run(self) -> CodeCell:
        source = self.cell.source.replace("\r\n", "\n").replace("\r", "\n")
        lines = source.split("\n")
        view, tail = (lines[:-1], [""]) if source.endswith("\n") else (lines, [])
        view = self.take_directives(view)
        if self.left_out:
            return self.left_out_result(view)
        self.view = view
        python = self.rewrite(view, 0)
        if self.left_out:
            return self.left_out_result(view)
        python = self.ipython_calls(python)
        self.check_reads("\n".join(python))
        return self.result("\n".join(python + tail))

    def result(self, python: str) -> CodeCell:
        return CodeCell(
            cell=self.cell,
            python=python,
            changes=tuple(self.changes),
            findings=tuple(self.findings),
            directives=tuple(self.directives),
            requirements=tuple(dict.fromkeys(self.requirements)),
            left_out=self.left_out,
            imports=tuple(sorted(self.imports)),
            helpers=tuple(sorted(self.helpers)),
        )

    def left_out_result(self, lines: List[str]) -> CodeCell:
        """No code, but the names its lines seem to assign, so a later read of one can be explained."""
        self.left_out = True
        self.imports.clear()
        self.helpers.clear()
        names = (match.group(1) for match in map(SIMPLE_ASSIGNMENT.match, lines) if match)
        return replace(self.result(""), left_out_names=tuple(dict.fromkeys(names)))

    @property
    def known(self) -> Set[str]:
        """Names this cell binds anywhere, for expansions: read once, when first asked."""
        if self._known is None:
            self._known = _guess_bound(self.view)
        return self._known

    # -- records -------------------------------------------------------------------------------------

    def change(self, line: int, rule: str, original: str, replacement: str = "", end_line: int = 0,
               output: bool = False) -> None:
        end_line = end_line if end_line > line else 0
        change = Change(self.cell.number, line, rule, original.strip(), replacement.strip(), end_line, output)
        self.changes.append(change)

    def finding(self, line: int, col: int, code: str, message: str) -> None:
        self.findings.append(Finding(self.cell.number, line, col, message, code))

    def helper(self, key: str) -> str:
        name = self.notebook.helpers[key]
        self.helpers.add(name)
        return name

    def module(self, module: str) -> str:
        name = self.notebook.module_names.get(module, module)
        self.imports.add(f"import {module}" if name == module else f"import {module} as {name}")
        return name

    # -- directives ----------------------------------------------------------------------------------

    def take_directives(self, lines: List[str]) -> List[str]:
        """`# nbrefactor: ...` comment lines at the top of a cell, and tags, become directives."""
        lines = list(lines)
        for tag in self.cell.tags:
            if tag.startswith("nbrefactor:"):
                self.add_directives(tag.split(":", 1)[1], 1)
            elif tag == "parameters":
                self.directives.append("parameters")
        for number, line in enumerate(lines):
            match = DIRECTIVE.match(line)
            if match:
                self.add_directives(match.group(1), number + 1)
                lines[number] = ""
            elif line.strip():
                break
        if "skip" in self.directives:
            self.left_out = True
            self.change(1, "skip directive", "cell left out")
            self.finding(1, 1, "NB308", "cell left out by a skip directive: the script does not run it (add ignore=NB308 to the directive to accept that)")
        return lines

    def add_directives(self, text: str, line: int) -> None:
        for directive in _directive_parts(text):
            problem = _directive_problem(directive)
            if problem:
                self.finding(line, 1, BAD_DIRECTIVE, problem)
            else:
                self.directives.append(directive)

    # -- lines ---------------------------------------------------------------------------------------

    def rewrite(self, lines: Sequence[str], offset: int, inline: bool = False) -> List[str]:
        """Rewrite lines that IPython reads as one cell (a code cell, or a cell magic's body)."""
        cleaned, margin = clean(lines)
        first = next((n for n, line in enumerate(cleaned) if line.strip()), None)
        if first is None:
            return cleaned
        if margin:
            self.change(offset + first + 1, "common indentation removed, as IPython does", margin + cleaned[first],
                        cleaned[first])
        if cleaned[first].startswith("%%") and not CELL_MAGIC_HELP.match(cleaned[first]):
            return self.cell_magic(cleaned, first, offset)
        specials = find_specials(cleaned) or self.automagic(cleaned, first, offset, inline)
        out = list(cleaned)
        for special in specials:
            out[special.line] = self.translate(special, offset)
            out[special.line + 1 : special.end + 1] = [""] * (special.end - special.line)
        return out

    def inline(self, statement: str, line: int) -> str:
        """A one-line statement inside a magic (`%time stmt`), read as IPython reads a one-line cell."""
        return self.rewrite([statement], line - 1, inline=True)[0]

    def automagic(self, lines: List[str], first: int, offset: int, inline: bool) -> List[Special]:
        """A one-line cell whose first word names a magic runs that magic, as IPython's prefilter decides.

        A statement inside a line magic (`%time ls`) is read when it runs: names the cell bound
        before it count too."""
        if first != len(lines) - 1 or not self.namespace.automagic:
            return []
        indent, word, rest = LINE_SPLIT.match(lines[first]).groups()
        if word not in self.namespace.magics or rest.lstrip()[:1] in ("=", ","):
            return []
        head = word.split(".", 1)[0]
        if self.namespace.shadows(head) or (inline and head in self.known):
            return []
        if self.namespace.open and rest.lstrip().startswith("(") and _parse(lines[first]) is not None:
            return []  # `load(path)` after `from numpy import *`: a call of what the star import bound
        if self.namespace.open:
            self.finding(offset + first + 1, 1, NO_FORM, f"`{word}` runs the %{word} magic unless an earlier "
                                                         "cell, star import or %run bound that name; read as the magic")
        return [Special(first, first, indent, "%", word + " " + rest.lstrip())]

    def translate(self, special: Special, offset: int) -> str:
        """The line that replaces a piece of IPython syntax, its change recorded."""
        line = offset + special.line + 1
        if special.assigned and special.escape == "!":
            magic = Magic("!", special.content, special, line)
            rewrite = _assigned_shell(self, magic)
        elif special.escape == "%":
            name, _, args = special.content.partition(" ")
            magic = Magic(name, args, special, line)
            table = ASSIGNED_MAGICS if special.assigned else LINE_MAGICS
            rewrite = table.get(name, _unknown_magic)(self, magic)
        else:
            magic = Magic(special.escape, special.content, special, line)
            rewrite = ESCAPE_HANDLERS[special.escape](self, magic)
        end = offset + special.end + 1
        if rewrite.output and self.capturing:
            self.finding(line, magic.col, NO_FORM, f"`{magic.original}` printed into what %%capture collects in "
                                                   "the notebook; that text is missing here")
        self.change(line, rewrite.rule, magic.original, rewrite.code, end, rewrite.output)
        return special.indent + rewrite.code if rewrite.code else _blank(special.indent)

    # -- cell magics ---------------------------------------------------------------------------------

    def cell_magic(self, lines: List[str], first: int, offset: int) -> List[str]:
        name, _, args = lines[first][2:].rstrip().partition(" ")
        magic = Magic(name, args, Special(first, first, "", "%%", lines[first][2:]), offset + first + 1)
        handler = CELL_MAGICS.get(name, _unknown_cell_magic)
        body = lines[first + 1 :]
        result = handler(self, magic, body, offset + first + 1)
        end = magic.line if result.header_only else offset + len(lines)
        original = "%%" + lines[first][2:].rstrip()
        self.change(magic.line, result.rule, original, result.header, end, result.output)
        if result.left_out:
            self.left_out = True
        return lines[:first] + [result.header] + result.body

    # -- expansion -----------------------------------------------------------------------------------

    def expand(self, text: str, magic: Magic) -> Expansion:
        """The text after IPython's `{expression}` / `$name` expansion, decided from the names bound."""
        parts = dollar_fields(text)
        if parts is None:
            return Expansion(_string_literal(text), text)
        fields = [(e, c) for _, e, c in parts if e is not None]
        if not fields:
            literal = "".join(literal for literal, _, _ in parts)
            return Expansion(_string_literal(literal), literal)
        verdict = min((self.field_verdict(e, c) for e, c in fields), key=VERDICTS.index)
        if verdict == "fails":
            return Expansion(_string_literal(text), text)
        if verdict == "history":
            self.finding(magic.line, magic.col, HISTORY, f"`{text.strip()}` expands names from IPython's "
                                                        "history; the text is kept as written")
            return Expansion(_string_literal(text), text)
        if verdict == "unsure":
            self.finding(magic.line, magic.col, NO_FORM, f"`{text.strip()}` names something no earlier cell "
                         "visibly binds (a star import or %run may); the text is kept as written, "
                         "as IPython keeps it then")
            return Expansion(_string_literal(text), text)
        python = _fstring(parts)
        if all(_is_name(expression) for expression, _ in fields):
            return Expansion(python, None)
        return Expansion(f"{self.helper('expand')}({text!r}, lambda: {python})", None)

    def expand_words(self, text: str, magic: Magic) -> List[str]:
        """Python for each shell-like word of a magic's arguments, IPython having expanded the whole text."""
        whole = self.expand(text, magic)
        if not whole.dynamic:
            return [repr(word) for word, _ in _split_words(whole.static)]
        return [self.expand(word, magic).python for word, _ in _split_words(text)]

    def field_verdict(self, expression: str, conversion: Optional[str]) -> str:
        """Whether IPython's evaluation of one field succeeds: "ok", "fails", "unsure" or "history"."""
        if conversion not in (None, "r", "s", "a"):
            return "fails"
        try:
            tree = ast.parse(expression.lstrip(" \t"), mode="eval")
        except SyntaxError:
            return "fails"
        verdicts = [self.name_verdict(name) for name in _free_names(tree)]
        return min(verdicts, key=VERDICTS.index) if verdicts else "ok"

    def name_verdict(self, name: str) -> str:
        if name in self.namespace.bound or name in self.known or name in BUILTIN_NAMES:
            return "ok"
        if HISTORY_NAME.match(name) or name in ("get_ipython", "exit", "quit", "_exit_code"):
            return "history"
        return "unsure" if self.namespace.open else "fails"

    # -- get_ipython() calls and reads of IPython's state --------------------------------------------

    def ipython_calls(self, lines: List[str]) -> List[str]:
        """`get_ipython().system(...)` and friends, written out by hand or by a converter, as magics."""
        if not any("get_ipython" in line for line in lines):
            return lines
        tree = _parse("\n".join(lines))
        if tree is None:
            return lines
        out, rewritten = list(lines), set()
        for node in ast.walk(tree):
            special = _ipython_call_special(node, lines)
            if special is not None:
                out[special.line] = self.translate(special, 0)
                rewritten.add(special.line + 1)
        for node in ast.walk(tree):
            if isinstance(node, ast.Name) and node.id == "get_ipython" and node.lineno not in rewritten:
                self.finding(node.lineno, node.col_offset + 1, NO_FORM,
                             "get_ipython() exists only inside IPython; the line is kept as written")
        return out

    def check_reads(self, python: str) -> None:
        """Findings for reads of IPython's history and of what an SList or %%capture result has beyond a script's."""
        names = self.namespace.tracked | self.new_shell_lists | self.new_captures
        tracked = any(re.search(rf"(?<![\w.]){re.escape(name)}\s*\.", python) for name in names)
        history = HISTORY_READ.search(python)
        tree = _parse(python) if tracked or history else None
        if tree is None:
            return
        if history:
            self.check_history_reads(tree)
        if tracked:
            self.check_attributes(tree)

    def check_history_reads(self, tree: ast.Module) -> None:
        bound_here = _names_bound_in(tree)
        for node, name in _history_reads(tree):
            earlier = name in bound_here if name in DISPLAY_HISTORY else name in bound_here | self.namespace.bound
            if not earlier:
                self.finding(node.lineno, node.col_offset + 1, HISTORY,
                             f"`{name}` reads IPython's input/output history, which a script does not have")

    def check_attributes(self, tree: ast.Module) -> None:
        lists = self.namespace.shell_lists | self.new_shell_lists
        captures = self.namespace.captures | self.new_captures
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
                self.check_attribute(node, node.value.id, lists, captures)

    def check_attribute(self, node: ast.Attribute, name: str, lists: Set[str], captures: Set[str]) -> None:
        if name in lists and node.attr in SLIST_ONLY:
            self.finding(node.lineno, node.col_offset + 1, NO_FORM,
                         f"`{name}.{node.attr}`: `{name}` holds `!command` output, an SList in IPython and a "
                         f"plain list here; `.{node.attr}` "
                         + ("sorts differently" if node.attr == "sort" else "does not exist"))
        if name in captures and node.attr == "outputs":
            self.finding(node.lineno, node.col_offset + 1, NO_FORM,
                         f"`{name}.outputs`: rich display outputs captured by %%capture have no counterpart "
                         "in a script")


VERDICTS = ("fails", "history", "unsure", "ok")


def _blank(indent: str) -> str:
    """A removed magic inside a block becomes `pass`, so the block keeps a statement; at top level, a blank line."""
    return indent + "pass" if indent else ""


# ---------------------------------------------------------------------------------------------------
# Shell commands: `!command`, `!!command`, `x = !command`, `%sx`, aliases
# ---------------------------------------------------------------------------------------------------

def _shell(rw: CellRewriter, magic: Magic) -> Rewrite:
    """`!command`: the command runs through the shell, its output written to stdout as in the notebook."""
    return _shell_command(rw, magic, magic.args.lstrip())


def _shell_command(rw: CellRewriter, magic: Magic, command: str) -> Rewrite:
    words = _words(command)
    if _manager_words(words):
        return _package_command(rw, magic, _manager_words(words))
    if _only_shows(rw, magic, command, words):
        return Rewrite("", f"shell command `{words[0]}` only shows something; dropped", output=True)
    call = f"{rw.helper('shell')}({rw.expand(command, magic).python})"
    if rw.notebook.reads_exit_code:
        return Rewrite(f"_exit_code = {call}", "shell command run; its exit status kept in _exit_code as IPython does")
    return Rewrite(call, "shell command run, its output written to stdout")


def _only_shows(rw: CellRewriter, magic: Magic, command: str, words: List[str]) -> bool:
    """A command from DISPLAY_COMMANDS whose output goes to the screen: a statement of its own at the
    top of a cell, no shell syntax, and no code in the notebook that sends sys.stdout elsewhere."""
    return (bool(words) and words[0] in DISPLAY_COMMANDS and not SHELL_SYNTAX.search(command)
            and not magic.special.indent and not rw.capturing and not rw.notebook.redirects_stdout)


def _shell_capture(rw: CellRewriter, magic: Magic) -> Rewrite:
    """`!!command` and `%sx command`: the command runs; IPython only displays the list of its output lines."""
    command = magic.args.lstrip()
    words = _words(command)
    if words and words[0] in DISPLAY_COMMANDS and not SHELL_SYNTAX.search(command):
        return Rewrite("", f"shell capture of `{words[0]}` only shows something; dropped")
    return Rewrite(f"{rw.helper('shell_lines')}({rw.expand(command, magic).python})",
                   "shell command run, its output captured; the display of its lines dropped")


def _assigned_shell(rw: CellRewriter, magic: Magic) -> Rewrite:
    """`x = !command` and `x = %sx command`: the output lines, as a list (IPython's is an SList)."""
    rw.new_shell_lists.update(_target_names(magic.target))
    value = f"{rw.helper('shell_lines')}({rw.expand(magic.args.lstrip(), magic).python})"
    return Rewrite(magic.target + value, "shell output captured as a list of lines")


def _alias(rw: CellRewriter, magic: Magic) -> Rewrite:
    """`%ls x`, `%mkdir d`, `rm -f f`: IPython's shell aliases run their command."""
    command = SHELL_ALIASES[magic.name]
    rest = magic.args.strip()
    command = command.replace("%l", rest) if "%l" in command else f"{command} {rest}".strip()
    return _shell_command(rw, magic, command)


def _words(command: str) -> List[str]:
    try:
        return shlex.split(command)
    except ValueError:
        return command.split()


# ---------------------------------------------------------------------------------------------------
# Package installs
# ---------------------------------------------------------------------------------------------------

def _package_magic(rw: CellRewriter, magic: Magic) -> Rewrite:
    """`%pip ...`, `%conda ...`: IPython runs the package manager for the kernel's environment."""
    return _package_command(rw, magic, _manager_words([magic.name] + _words(magic.args)))


def _package_command(rw: CellRewriter, magic: Magic, words: List[str]) -> Rewrite:
    """An install becomes requirements; a listing goes; other package-manager changes have no form."""
    manager, rest = words[0], words[1:]
    subcommand = next((word for word in rest if not word.startswith("-") or word in ("--version", "-V")), "")
    if subcommand == "install":
        packages = _packages(rest[rest.index("install") + 1 :])
        rw.requirements.extend(packages)
        return Rewrite("", f"{manager} install dropped; packages listed as requirements", output=True)
    if subcommand in PIP_DISPLAY_COMMANDS or (manager != "pip" and subcommand in ("info", "list", "env")):
        return Rewrite("", f"{manager} {subcommand} only shows something; dropped", output=True)
    rw.finding(magic.line, magic.col, NO_FORM, f"`{magic.original}` changes the environment the notebook runs "
                                               "in; a script cannot; removed")
    return Rewrite("", f"{manager} {subcommand} removed", output=True)


def _manager_words(words: List[str]) -> List[str]:
    """The words from the package manager on (`pip install x` of `python -m pip install x`), or []."""
    if words and PurePath(words[0]).name in PACKAGE_MANAGERS:
        if words[0] == "uv" and words[1:2] == ["pip"]:
            return words[1:]
        return [PurePath(words[0]).name] + words[1:]
    if len(words) > 2 and words[1] == "-m" and words[2] in ("pip", "pip3", "conda"):
        return words[2:]
    return []


def _packages(words: List[str]) -> List[str]:
    packages, skip_next = [], False
    for word in words:
        if skip_next:
            skip_next = False
        elif word in OPTIONS_WITH_VALUES:
            skip_next = True
        elif not word.startswith("-") and "{" not in word and "$" not in word:
            packages.append(word)
    return packages


# ---------------------------------------------------------------------------------------------------
# Line magics
# ---------------------------------------------------------------------------------------------------

def _time(rw: CellRewriter, magic: Magic) -> Rewrite:
    """`%time statement`: the statement runs; the timing print goes."""
    statement = _without_no_raise_error(rw, magic)
    if not statement:
        return Rewrite("", "%time without a statement dropped", output=True)
    return Rewrite(rw.inline(statement, magic.line), "%time: statement kept, its timing print dropped", output=True)


def _time_value(rw: CellRewriter, magic: Magic) -> Rewrite:
    """`x = %time expression`: x gets the expression's value (None for a statement)."""
    statement = _without_no_raise_error(rw, magic)
    code = rw.inline(statement, magic.line) if statement else ""
    if _is_expression(code):
        return Rewrite(magic.target + code, "%time: value kept, its timing print dropped", output=True)
    assignment = magic.target.rstrip().rstrip("=").rstrip() + " = None"
    return Rewrite(f"{code}; {assignment}" if code else assignment, "%time: statement kept, its value is None",
                   output=True)


def _without_no_raise_error(rw: CellRewriter, magic: Magic) -> str:
    statement = magic.args.strip()
    if statement.startswith("--no-raise-error"):
        rw.finding(magic.line, magic.col, NO_FORM, "%time --no-raise-error hides an exception of the statement; "
                                                   "the statement is kept and an exception stops the script")
        statement = statement[len("--no-raise-error") :].strip()
    return statement


def _timeit(rw: CellRewriter, magic: Magic) -> Rewrite:
    """`%timeit [-n N -r R] statement`: the statement runs N*R times; without -n, IPython picks N."""
    try:
        options, statement = getopt_options(magic.args, "n:r:tcp:qov:")
    except ValueError as error:
        return _no_form(rw, magic, f"IPython refuses this %timeit ({error})")
    if not statement.strip():
        return Rewrite("", "%timeit without a statement dropped")
    if "o" in options or "v" in options:
        rw.finding(magic.line, magic.col, NO_FORM, "%timeit -o/-v gives timing results, which a script "
                                                   "does not measure")
    return _repeated(rw, magic, rw.inline(statement.strip(), magic.line), options)


def _repeated(rw: CellRewriter, magic: Magic, code: str, options: Dict[str, str]) -> Rewrite:
    """The code `%timeit` times, run as many times as IPython runs it, or dropped when it changes nothing."""
    shown = "q" not in options
    code = _timed_code(rw, magic, code)
    if not code or _is_pure(code, rw.namespace):
        return Rewrite("", "%timeit of an expression that changes nothing dropped", output=shown)
    if "n" not in options:
        rw.finding(magic.line, magic.col, NO_FORM, "IPython chooses at run time how many times %timeit runs "
                                                   "the statement; it runs once here")
        return Rewrite(code, "%timeit: statement run once", output=shown)
    try:
        count = int(options["n"]) * int(options.get("r", "7"))
    except ValueError:
        return _no_form(rw, magic, "IPython refuses this %timeit (its -n or -r is not a number)")
    loop = rw.notebook.loop_name
    return Rewrite(f"for {loop} in range({count}): {code}", f"%timeit: statement run {count} times, as IPython runs it",
                   output=shown)


def _timed_code(rw: CellRewriter, magic: Magic, code: str) -> str:
    """IPython runs a timed statement inside a function: the names it assigns stay local there."""
    tree = _parse(code)
    if tree is None:
        return code
    bound = _names_bound_in(tree, module_level=True)
    if not bound:
        return code
    value = _value_only(code, tree, bound)
    if value is not None:
        return value
    used = _used_elsewhere(rw, bound, code)
    if used:
        rw.finding(magic.line, magic.col, NO_FORM, f"{', '.join(used)}: IPython keeps names %timeit assigns "
                                                   "local to its timing function; here they are assigned")
    return code


def _used_elsewhere(rw: CellRewriter, names: Set[str], code: str) -> List[str]:
    """Of `names`, those the notebook's code mentions outside `code`."""
    here = Counter(IDENTIFIER.findall(code))
    return sorted(name for name in names if rw.notebook.names[name] > here[name])


def _value_only(code: str, tree: ast.Module, bound: Set[str]) -> Optional[str]:
    """For `name = expression` that does not read `name`: the expression alone (IPython binds no name;
    unpacking into several names is kept, as it may consume an iterator)."""
    if len(tree.body) != 1 or not isinstance(tree.body[0], ast.Assign):
        return None
    statement = tree.body[0]
    if not all(isinstance(target, ast.Name) for target in statement.targets) or _free_names(statement.value) & bound:
        return None
    return ast.get_source_segment(code, statement.value)


def _env(rw: CellRewriter, magic: Magic) -> Rewrite:
    """`%env`, `%env NAME` show something; `%env NAME=value` / `%env NAME value` set a variable."""
    if not magic.args.strip():
        return Rewrite("", "%env: display of the environment dropped")
    separator = "=" if "=" in magic.args else " "
    if len(magic.args.split(separator)) == 1:
        return Rewrite("", "%env NAME: display of the value dropped")
    return _set_env(rw, magic)


def _set_env(rw: CellRewriter, magic: Magic) -> Rewrite:
    """`%set_env NAME=value`: sets the variable and prints `env: NAME=value`, as IPython does."""
    separator = "=" if "=" in magic.args else " "
    name, found, value = magic.args.partition(separator)
    name = name.strip()
    if not found or not name or re.search(r"\s", name) or "{" in name or "$" in name:
        return _no_form(rw, magic, "IPython refuses this %env or expands its name at run time")
    value = rw.expand(value.strip(), magic).python
    return Rewrite(f"{rw.helper('set_env')}({name!r}, {value})", "%env NAME=value: variable set")


def _cd(rw: CellRewriter, magic: Magic) -> Rewrite:
    """`%cd folder`: the working folder changes and is printed, as IPython does; `-q` keeps it quiet."""
    args = magic.args.strip()
    if re.match(r"^-\d+$|^--|^-$", args) or args.startswith("-b"):
        return _no_form(rw, magic, "%cd to a folder from IPython's history or bookmarks")
    quiet = bool(re.match(r"^-q(\s|$)", args))
    path = args[2:].strip() if quiet else args
    expansion = rw.expand(_unquoted(path), magic)
    arguments = [] if not path else [expansion.python if expansion.dynamic else repr(" ".join(_words(path)))]
    arguments += ["quiet=True"] if quiet else []
    return Rewrite(f"{rw.helper('change_dir')}({', '.join(arguments)})", "%cd: working folder changed and printed")


def _run(rw: CellRewriter, magic: Magic) -> Rewrite:
    """`%run file.py args`: the file runs as a script and the names it binds join the notebook's."""
    try:
        options, rest = getopt_options(magic.args, "nidtN:b:pD:l:rs:T:em:G")
    except ValueError as error:
        return _no_form(rw, magic, f"IPython refuses this %run ({error})")
    words = _split_words(rest)
    if "m" in options or not words or words[0][0].endswith((".ipynb", ".ipy")):
        return _no_form(rw, magic, "%run of a module or notebook has no script form")
    for letters, why in (("i", "runs the file in the notebook's namespace; here in its own, names merged back"),
                         ("tN", "times the run"), ("pdDbTlrs", "profiles or debugs the run")):
        if set(letters) & set(options):
            rw.finding(magic.line, magic.col, NO_FORM, f"%run -{'/-'.join(sorted(set(letters) & set(options)))} "
                                                       f"{why}; the file runs once, plainly")
    if "G" not in options and any(not quoted and re.search(r"[*?\[]", word) for word, quoted in words[1:]):
        rw.finding(magic.line, magic.col, NO_FORM, "%run expands wildcards in its arguments; they are passed "
                                                   "as written")
    arguments = rw.expand_words(rest, magic)
    if "n" in options:
        arguments.append(f"run_name={PurePath(words[0][0]).stem!r}")
    if "e" in options:
        arguments.append("exit_ignore=True")
    rw.namespace.assume_unseen_names()
    return Rewrite(f"globals().update({rw.helper('run_script')}({', '.join(arguments)}))",
                   "%run: file run as a script, its names added to the notebook's")


def _sx(rw: CellRewriter, magic: Magic) -> Rewrite:
    return _shell_capture(rw, magic)


def _precision(rw: CellRewriter, magic: Magic) -> Rewrite:
    """`%precision N` also sets numpy's print precision when numpy is imported; a format string does not."""
    value = magic.args.strip()
    if "%" in value:
        return Rewrite("", "%precision with a format string changes only IPython's display; dropped")
    if value and not value.isdigit():
        return _no_form(rw, magic, "IPython refuses this %precision")
    return Rewrite(f"{rw.helper('numpy_precision')}({value})",
                   "%precision: numpy's print precision set as IPython sets it")


def _pylab(rw: CellRewriter, magic: Magic) -> Rewrite:
    """`%pylab`: the imports IPython runs (numpy, matplotlib, and by default everything from both)."""
    imports = "import numpy; import matplotlib; from matplotlib import pylab, mlab, pyplot; np = numpy; plt = pyplot"
    if "--no-import-all" not in magic.args:
        imports += "; from matplotlib.pylab import *; from numpy import *"
        rw.namespace.assume_unseen_names()
    return Rewrite(imports, "%pylab: its imports written out; the backend setting dropped", output=True)


def _matplotlib(rw: CellRewriter, magic: Magic) -> Rewrite:
    prints = not magic.args.strip() or magic.args.split()[0] in ("-l", "--list")
    return Rewrite("", "%matplotlib configures IPython's plotting backend; dropped", output=prints)


def _xdel(rw: CellRewriter, magic: Magic) -> Rewrite:
    """`%xdel name` deletes a name; IPython only prints an error when the name is not bound."""
    names = magic.args.split()
    if len(names) == 1 and names[0].isidentifier() and (names[0] in rw.namespace.bound or names[0] in rw.known):
        return Rewrite(f"del {names[0]}", "%xdel: name deleted")
    return _no_form(rw, magic, "%xdel of a name no cell visibly binds (IPython prints an error and goes on)")


def _automagic(rw: CellRewriter, magic: Magic) -> Rewrite:
    """`%automagic [on|off]`: whether later one-line cells can run magics without `%`."""
    value = magic.args.strip().lower()
    rw.namespace.automagic = (not rw.namespace.automagic) if not value else value in ("1", "on", "true")
    return Rewrite("", "%automagic switches how IPython reads later cells (followed here); dropped", output=True)


def _autocall(rw: CellRewriter, magic: Magic) -> Rewrite:
    if magic.args.strip() not in ("0", "off", "False"):
        rw.finding(magic.line, magic.col, NO_FORM, "%autocall lets later cells call functions without "
                                                   "parentheses; later cells are read as plain Python")
    return Rewrite("", "%autocall dropped", output=True)


def _load_ext(rw: CellRewriter, magic: Magic) -> Rewrite:
    for extension in magic.args.split():
        rw.namespace.magics.update(EXTENSION_MAGICS.get(extension, ()))
    return Rewrite("", "%load_ext loads IPython extensions (magics); dropped")


def _statement_magic(rw: CellRewriter, magic: Magic, spec: str, prints: bool) -> Rewrite:
    """A profiling magic (`%prun`, `%lprun -f f stmt`): the statement runs once, as under the profiler."""
    try:
        options, statement = getopt_options(magic.args, spec)
    except ValueError as error:
        return _no_form(rw, magic, f"IPython refuses this %{magic.name} ({error})")
    if set(options) & set("TDr") and magic.name in ("prun", "memit"):
        rw.finding(magic.line, magic.col, NO_FORM, f"%{magic.name} options that write files or repeat the "
                                                   "statement are not followed; the statement runs once")
    code = rw.inline(statement.strip(), magic.line) if statement.strip() else ""
    return Rewrite(code, f"%{magic.name}: statement kept, its report dropped", output=prints)


def _debug(rw: CellRewriter, magic: Magic) -> Rewrite:
    if not magic.args.strip():
        return Rewrite("", "%debug opens IPython's post-mortem debugger; dropped", output=True)
    rw.finding(magic.line, magic.col, NO_FORM, "%debug runs the statement under the debugger; here it just runs")
    return Rewrite(rw.inline(magic.args.strip(), magic.line), "%debug: statement kept")


def _pwd_value(rw: CellRewriter, magic: Magic) -> Rewrite:
    return Rewrite(f"{magic.target}{rw.module('os')}.getcwd()", "x = %pwd: the working folder")


def _env_value(rw: CellRewriter, magic: Magic) -> Rewrite:
    name = magic.args.strip()
    if name.isidentifier() or re.match(r"^[\w.-]+$", name):
        return Rewrite(f"{magic.target}{rw.module('os')}.environ[{name!r}]", "x = %env NAME: the variable's value")
    return _no_form(rw, magic, "the value of this %env has no script form")


DROPPED_WHY = {SHOWS: "only shows something", PRINTS: "only prints about the session",
               CONFIGURES: "only configures IPython", SETS_OR_PRINTS: "only configures IPython or prints its settings"}


def _dropped(rw: CellRewriter, magic: Magic) -> Rewrite:
    why = DROPPED_LINE_MAGICS[magic.name]
    prints = why == PRINTS or (why == SETS_OR_PRINTS and magic.args.split()[:1] in ([], ["-l"]))
    return Rewrite("", f"%{magic.name} {DROPPED_WHY[why]}; dropped", output=prints)


def _unfaithful(rw: CellRewriter, magic: Magic) -> Rewrite:
    code, why = UNFAITHFUL_LINE_MAGICS[magic.name]
    rw.finding(magic.line, magic.col, code, f"{why}; removed")
    return Rewrite("", "removed: no script form")


def _unknown_magic(rw: CellRewriter, magic: Magic) -> Rewrite:
    if magic.name.startswith("%"):
        return _no_form(rw, magic, f"%{magic.name} is a cell magic below the cell's first line, which IPython refuses")
    if magic.special.assigned:
        return _no_form(rw, magic, f"the value of %{magic.name} has no script form")
    return _no_form(rw, magic, f"%{magic.name} is not a magic nbrefactor knows")


def _no_form(rw: CellRewriter, magic: Magic, why: str) -> Rewrite:
    rw.finding(magic.line, magic.col, NO_FORM, f"{why}; `{magic.original}` removed")
    return Rewrite("", "removed: no script form")


def _help(rw: CellRewriter, magic: Magic) -> Rewrite:
    return Rewrite("", "help request dropped")


def _quote_call(rw: CellRewriter, magic: Magic) -> Rewrite:
    """`,f a b` is IPython's `f("a", "b")`."""
    name, _, args = magic.args.partition(" ")
    return Rewrite('{}("{}")'.format(name, '", "'.join(args.split())), "autocall escape `,` written as a call")


def _quote_all_call(rw: CellRewriter, magic: Magic) -> Rewrite:
    """`;f a b` is IPython's `f("a b")`."""
    name, _, args = magic.args.partition(" ")
    return Rewrite(f'{name}("{args}")', "autocall escape `;` written as a call")


def _paren_call(rw: CellRewriter, magic: Magic) -> Rewrite:
    """`/f a b` is IPython's `f(a, b)`."""
    name, _, args = magic.args.partition(" ")
    return Rewrite(f"{name}({', '.join(args.split())})", "autocall escape `/` written as a call")


def _table(handler: Callable, names: Sequence[str]) -> Dict[str, Callable]:
    return {name: handler for name in names}


LINE_MAGICS: Dict[str, Callable[[CellRewriter, Magic], Rewrite]] = {
    **_table(_dropped, tuple(DROPPED_LINE_MAGICS)),
    **_table(_unfaithful, tuple(UNFAITHFUL_LINE_MAGICS)),
    **_table(_alias, tuple(SHELL_ALIASES)),
    **_table(_package_magic, tuple(PACKAGE_MANAGERS)),
    "time": _time,
    "timeit": _timeit,
    "env": _env,
    "set_env": _set_env,
    "cd": _cd,
    "run": _run,
    "sx": _sx,
    "system": _sx,
    "precision": _precision,
    "pylab": _pylab,
    "matplotlib": _matplotlib,
    "xdel": _xdel,
    "automagic": _automagic,
    "autocall": _autocall,
    "load_ext": _load_ext,
    "reload_ext": _load_ext,
    "prun": lambda rw, magic: _statement_magic(rw, magic, "l:rs:T:D:q", True),
    "lprun": lambda rw, magic: _statement_magic(rw, magic, "f:m:D:T:rsu:z", True),
    "mprun": lambda rw, magic: _statement_magic(rw, magic, "f:T:c", True),
    "memit": lambda rw, magic: _statement_magic(rw, magic, "r:t:fio:cq", True),
    "debug": _debug,
}

ASSIGNED_MAGICS: Dict[str, Callable[[CellRewriter, Magic], Rewrite]] = {
    "sx": _assigned_shell,
    "system": _assigned_shell,
    "time": _time_value,
    "pwd": _pwd_value,
    "env": _env_value,
}

ESCAPE_HANDLERS: Dict[str, Callable[[CellRewriter, Magic], Rewrite]] = {
    "!": _shell,
    "!!": _shell_capture,
    "?": _help,
    "??": _help,
    ",": _quote_call,
    ";": _quote_all_call,
    "/": _paren_call,
}


# ---------------------------------------------------------------------------------------------------
# Cell magics
# ---------------------------------------------------------------------------------------------------

def _time_cell(rw: CellRewriter, magic: Magic, body: List[str], offset: int) -> CellRewrite:
    """`%%time`: the body runs as a cell; the timing print goes."""
    if magic.args.strip():
        rw.finding(magic.line, 1, NO_FORM, "IPython refuses a statement after %%time; the body is kept")
    return CellRewrite("", rw.rewrite(body, offset), "%%time: body kept, its timing print dropped", output=True,
                       header_only=True)


def _timeit_cell(rw: CellRewriter, magic: Magic, body: List[str], offset: int) -> CellRewrite:
    """`%%timeit [-n N -r R] [setup]`: setup R times, body N*R times; without -n, IPython picks N."""
    try:
        options, setup = getopt_options(magic.args, "n:r:tcp:qov:")
    except ValueError as error:
        rw.finding(magic.line, 1, NO_FORM, f"IPython refuses this %%timeit ({error}); the body runs once")
        options, setup = {}, ""
    shown = "q" not in options
    code = rw.rewrite(body, offset)
    setup_code = rw.inline(setup.strip(), magic.line) if setup.strip() else ""
    statements = "\n".join(code)
    if not setup_code and (_is_pure(statements, rw.namespace) or _no_statements(statements)):
        return CellRewrite("", [""] * len(code), "%%timeit of code that changes nothing dropped", output=shown)
    if "n" in options and not setup_code:
        try:
            count = int(options["n"]) * int(options.get("r", "7"))
        except ValueError:
            count = 0
        if count:
            _timeit_leaks(rw, magic, statements)
            header = f"for {rw.notebook.loop_name} in range({count}):"
            return CellRewrite(header, _indented(code), f"%%timeit: body run {count} times in a loop; "
                                                        "its lines indented", output=shown)
    rw.finding(magic.line, 1, NO_FORM, "IPython runs a %%timeit body (and its setup line) a number of times "
                                       "it picks at run time; here they run once")
    return CellRewrite(setup_code, code, "%%timeit: setup and body run once", output=shown)


def _timeit_leaks(rw: CellRewriter, magic: Magic, statements: str) -> None:
    tree = _parse(statements)
    if tree is None:
        return
    used = _used_elsewhere(rw, _names_bound_in(tree, module_level=True), statements)
    if used:
        rw.finding(magic.line, 1, NO_FORM, f"{', '.join(used)}: IPython keeps names %%timeit assigns local to "
                                           "its timing function; here they are assigned")


def _capture_cell(rw: CellRewriter, magic: Magic, body: List[str], offset: int) -> CellRewrite:
    """`%%capture [--no-stdout] [--no-stderr] [name]`: the body runs with its output collected."""
    words = magic.args.split()
    names = [word for word in words if not word.startswith("-")]
    if len(names) > 1 or not all(n.isidentifier() for n in names) or set(words) - set(names) - CAPTURE_FLAGS:
        rw.finding(magic.line, 1, NO_FORM, "IPython refuses this %%capture; the cell is left out")
        return CellRewrite("", [""] * len(body), "%%capture refused", left_out=True)
    flags = [f"{stream}=False" for stream in ("stdout", "stderr") if f"--no-{stream}" in words]
    name = names[0] if names else ""
    if name and _ends_with_semicolon("\n".join(body)):
        if name in rw.namespace.bound:
            rw.finding(magic.line, 1, NO_FORM, f"a %%capture body ending in `;` deletes `{name}` in IPython; "
                                               "here it keeps its old value")
        name = ""
    header = f"with {rw.helper('capture')}({', '.join(flags)})" + (f" as {name}:" if name else ":")
    if name:
        rw.new_captures.add(name)
    rw.capturing += 1
    code = rw.rewrite(body, offset)
    rw.capturing -= 1
    if _no_statements("\n".join(code)):
        header += " pass"
    return CellRewrite(header, _indented(code), "%%capture: body run in a `with` block that collects its "
                                                "output; its lines indented")


def _writefile_cell(rw: CellRewriter, magic: Magic, body: List[str], offset: int) -> CellRewrite:
    """`%%writefile [-a] path`: the body's text is written to the file at this point, with IPython's message."""
    words = _split_words(magic.args)
    append = any(word in ("-a", "--append") for word, _ in words)
    paths = [word for word, _ in words if word not in ("-a", "--append")]
    if len(paths) != 1:
        rw.finding(magic.line, 1, NO_FORM, "IPython refuses this %%writefile; the cell is left out")
        return CellRewrite("", [""] * len(body), "%%writefile refused", left_out=True)
    path = paths[0][1:-1] if re.match(r"^('.*'|\".*\")$", paths[0]) else paths[0]
    head = f"{rw.helper('write_file')}({rw.expand(path, magic).python}, "
    lines = _call_over_lines(head, body, ", append=True)" if append else ")")
    return CellRewrite(lines[0], lines[1:], "%%writefile: the cell's text written to the file at this point")


def _script_cell(rw: CellRewriter, magic: Magic, body: List[str], offset: int) -> CellRewrite:
    """`%%bash`, `%%sh`, `%%python`...: the body is the program's standard input."""
    return _run_script_cell(rw, magic, body, magic.name + " " + magic.args)


def _any_script_cell(rw: CellRewriter, magic: Magic, body: List[str], offset: int) -> CellRewrite:
    """`%%script program args`: the body is the program's standard input."""
    return _run_script_cell(rw, magic, body, magic.args)


def _run_script_cell(rw: CellRewriter, magic: Magic, body: List[str], command: str) -> CellRewrite:
    options, argv = _script_options([word for word, _ in _split_words(command)])
    if "--bg" in options or "--proc" in options:
        rw.finding(magic.line, 1, NO_FORM, f"%%{magic.name} --bg/--proc runs in the background; here it runs "
                                           "to its end")
    if not argv:
        rw.finding(magic.line, 1, NO_FORM, f"%%{magic.name} names no program; the cell is left out")
        return CellRewrite("", [""] * len(body), f"%%{magic.name} refused", left_out=True)
    captured = [stream for stream in ("out", "err") if options.get("--" + stream)]
    target = {(): "", ("out",): "{out} = ", ("err",): "{err} = ", ("out", "err"): "{out}, {err} = "}[tuple(captured)]
    index = {1: f"[{('out', 'err').index(captured[0])}]"}.get(len(captured), "") if captured else ""
    extra = [f"capture_std{stream}=True" for stream in captured]
    extra += ["raise_error=False"] if "--no-raise-error" in options else []
    program = "[" + ", ".join(rw.expand(word, magic).python for word in argv) + "]"
    head = target.format(out=options.get("--out"), err=options.get("--err")) + f"{rw.helper('cell_script')}({program}, "
    lines = _call_over_lines(head, body, "".join(", " + e for e in extra) + ")" + index)
    return CellRewrite(lines[0], lines[1:], f"%%{magic.name}: the body run by {argv[0]}, its output written out")


def _script_options(words: List[str]) -> Tuple[Dict[str, str], List[str]]:
    """The options IPython's `%%script` takes (`--out name`, `--bg`...) and the program's own words."""
    options: Dict[str, str] = {}
    argv: List[str] = []
    iterator = iter(words)
    for word in iterator:
        if word in ("--out", "--err", "--proc"):
            options[word] = next(iterator, "")
        elif word in ("--bg", "--no-raise-error"):
            options[word] = ""
        else:
            argv.append(word)
    return options, argv


def _sx_cell(rw: CellRewriter, magic: Magic, body: List[str], offset: int) -> CellRewrite:
    """`%%sx [--out name]` (also `%%!`, `%%system`): the body runs as a shell script; IPython shows its lines."""
    match = re.search(r"--out[= ]\s*(\w+)", magic.args)
    name = match.group(1) if match else ""
    if name:
        rw.new_shell_lists.add(name)
    head = f"{name + ' = ' if name else ''}{rw.helper('shell_lines')}("
    lines = _call_over_lines(head, body, ")")
    return CellRewrite(lines[0], lines[1:], f"%%{magic.name}: the body run by the shell, its output captured")


def _display_cell(rw: CellRewriter, magic: Magic, body: List[str], offset: int) -> CellRewrite:
    return CellRewrite("", [""] * len(body), f"%%{magic.name} only shows its body; cell dropped")


def _kept_body_cell(rw: CellRewriter, magic: Magic, body: List[str], offset: int) -> CellRewrite:
    """`%%prun`, `%%debug`: the body runs as a cell, without the profiler or debugger."""
    if magic.name == "debug":
        rw.finding(magic.line, 1, NO_FORM, "%%debug runs the body under the debugger; here it just runs")
    return CellRewrite("", rw.rewrite(body, offset), f"%%{magic.name}: body kept, its tool dropped", output=True)


def _unknown_cell_magic(rw: CellRewriter, magic: Magic, body: List[str], offset: int) -> CellRewrite:
    rw.finding(magic.line, 1, LEFT_OUT, f"%%{magic.name}: its body is not Python and has no script form; cell left out")
    return CellRewrite("", [""] * len(body), f"%%{magic.name}: cell left out", left_out=True)


CELL_MAGICS: Dict[str, Callable[[CellRewriter, Magic, List[str], int], CellRewrite]] = {
    **_table(_display_cell, tuple(DISPLAY_CELL_MAGICS)),
    **_table(_script_cell, tuple(SCRIPT_CELL_MAGICS)),
    **_table(_sx_cell, ("!", "sx", "system")),
    **_table(_kept_body_cell, ("prun", "debug")),
    "time": _time_cell,
    "timeit": _timeit_cell,
    "capture": _capture_cell,
    "writefile": _writefile_cell,
    "file": _writefile_cell,
    "script": _any_script_cell,
}


def _call_over_lines(head: str, body: List[str], tail: str) -> List[str]:
    """`head + <the body's text as a string> + tail`, laid over the header line and the body's lines:
    a triple-quoted literal whose lines are the body's own when the text allows, else a one-line
    literal (and blank lines). The text is the body's lines, each ended by a newline, as IPython has it."""
    text = "".join(line + "\n" for line in body)
    quote = next((q for q in ('"""', "'''") if q not in text), None)
    if body and quote and "\\" not in text and all(line.replace("\t", "").isprintable() for line in body):
        return [head + quote + "\\"] + body[:-1] + [body[-1] + "\\n" + quote + tail]
    return [head + repr(text) + tail] + [""] * len(body)


def _indented(lines: List[str]) -> List[str]:
    """Lines moved into a block: each line that starts a line of code is indented; lines inside a
    multi-line string stay as they are."""
    unit = "\t" if any(line.startswith("\t") for line in lines) else "    "
    inside = _lines_inside_strings("\n".join(lines))
    return [line if not line.strip() or number in inside else unit + line for number, line in enumerate(lines)]


def _lines_inside_strings(text: str) -> Set[int]:
    """Lines (from 0) that continue a string begun on an earlier line."""
    inside: Set[int] = set()
    try:
        for token in tokenize.generate_tokens(iter(text.splitlines(keepends=True)).__next__):
            if token.type in STRING_TOKENS:
                inside.update(range(token.start[0], token.end[0]))
    except (tokenize.TokenError, SyntaxError, StopIteration):
        pass
    return inside


def _ends_with_semicolon(text: str) -> bool:
    """IPython's test of a cell's last token (a `;` silences it)."""
    try:
        tokens = list(tokenize.generate_tokens(iter((text + "\n").splitlines(keepends=True)).__next__))
    except (tokenize.TokenError, SyntaxError, StopIteration):
        return False
    for token in reversed(tokens):
        if token.type not in (tokenize.ENDMARKER, tokenize.NL, tokenize.NEWLINE, tokenize.COMMENT):
            return token.type == tokenize.OP and token.string == ";"
    return False


# ---------------------------------------------------------------------------------------------------
# Options, words and small readings of Python
# ---------------------------------------------------------------------------------------------------

def getopt_options(text: str, spec: str) -> Tuple[Dict[str, str], str]:
    """Leading getopt-style options (`-n 5 -q rest`), as IPython's parse_options reads them, and the
    text after them. Raises ValueError for an option the spec does not have."""
    valued = {letter for letter, colon in zip(spec, spec[1:] + " ") if colon == ":"}
    known = set(spec.replace(":", ""))
    options: Dict[str, str] = {}
    rest = text.lstrip()
    while rest.startswith("-") and len(rest) > 1:
        word, _, after = rest.partition(" ")
        rest = after.lstrip()
        if word == "--":
            break
        for index, letter in enumerate(word[1:], 1):
            if letter not in known:
                raise ValueError(f"option -{letter} not recognized")
            if letter in valued:
                value = word[index + 1 :]
                if not value:
                    value, _, after = rest.partition(" ")
                    rest = after.lstrip()
                if not value:
                    raise ValueError(f"option -{letter} requires an argument")
                options[letter] = value
                break
            options[letter] = ""
    return options, rest


def _split_words(text: str) -> List[Tuple[str, bool]]:
    """Shell-like words of a magic's arguments, keeping `{expression}` fields whole: (word, quoted)."""
    words: List[Tuple[str, bool]] = []
    word, quoted, quote, depth = "", False, "", 0
    for char in text:
        if quote:
            if char == quote:
                quote = ""
            else:
                word += char
        elif char in "'\"" and not depth:
            quote, quoted = char, True
        elif char.isspace() and not depth:
            if word or quoted:
                words.append((word, quoted))
            word, quoted = "", False
        else:
            depth += (char == "{") - (char == "}" and depth > 0)
            word += char
    if word or quoted:
        words.append((word, quoted))
    return words


def _unquoted(text: str) -> str:
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"":
        return text[1:-1]
    return text


def _parse(text: str) -> Optional[ast.Module]:
    try:
        return ast.parse(text)
    except (SyntaxError, ValueError):
        return None


def _is_expression(code: str) -> bool:
    tree = _parse(code)
    return tree is not None and len(tree.body) == 1 and isinstance(tree.body[0], ast.Expr)


def _no_statements(code: str) -> bool:
    """Python with nothing to run: blank lines and comments only."""
    tree = _parse(code)
    return tree is not None and not tree.body


def _target_names(target: str) -> Set[str]:
    tree = _parse(target.rstrip().rstrip("=") + " = None")
    return _names_bound_in(tree, module_level=True) if tree else set()


def _guess_bound(lines: Sequence[str]) -> Set[str]:
    """Names a cell's lines bind, read before its IPython syntax is rewritten: lines that may hold
    that syntax become `pass`; if the rest is still not Python, assignments found line by line."""
    guess = [line[: len(line) - len(line.lstrip())] + "pass" if POSSIBLY_SYNTAX.match(line) else line for line in lines]
    tree = _parse("\n".join(guess))
    if tree is not None:
        return _names_bound_in(tree)
    return {match.group(1) for line in lines for match in BINDING_GUESS.finditer(line)}


def _free_names(node: ast.AST) -> Set[str]:
    """Names an expression reads from outside it (not those its comprehensions and lambdas bind)."""
    loads = {n.id for n in ast.walk(node) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}
    inner = {n.id for n in ast.walk(node) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
    inner |= {a.arg for n in ast.walk(node) if isinstance(n, ast.Lambda) for a in ast.walk(n.args)
              if isinstance(a, ast.arg)}
    return loads - inner


def _names_bound_in(tree: Optional[ast.AST], module_level: bool = False) -> Set[str]:
    """Names a piece of code binds: everywhere in it, or (`module_level`) only in its own scope."""
    if tree is None:
        return set()
    return {name for name, how in _bindings(tree, module_level) if how not in ("delete", "star")}


def _bindings(tree: ast.AST, module_level: bool) -> Iterator[Tuple[str, str]]:
    """(name, how) for each binding: how is "bind", "delete", "star" or "import:<what it imports>"."""
    for node in _scope_walk(tree) if module_level else ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
            yield node.id, "bind" if isinstance(node.ctx, ast.Store) else "delete"
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            yield node.name, "bind"
        elif isinstance(node, ast.Global):
            yield from ((name, "bind") for name in node.names)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            yield from _import_bindings(node)
        elif isinstance(node, ast.arg) or (isinstance(node, MATCH_CAPTURES) and node.name):
            yield getattr(node, "arg", None) or node.name, "bind"


def _import_bindings(node) -> Iterator[Tuple[str, str]]:
    for alias in node.names:
        if alias.name == "*":
            yield "*", "star"
        elif isinstance(node, ast.ImportFrom):
            yield alias.asname or alias.name, f"import:{node.module or ''}.{alias.name}"
        elif alias.asname:
            yield alias.asname, f"import:{alias.name}"
        else:
            yield alias.name.split(".")[0], f"import:{alias.name.split('.')[0]}"


def _scope_walk(tree: ast.AST) -> Iterator[ast.AST]:
    """The nodes of a module's own scope: not inside functions, lambdas, classes or comprehensions,
    but with their names, the `global` statements in them and walrus targets in comprehensions."""
    stack = [tree]
    while stack:
        node = stack.pop()
        yield node
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                yield child
                yield from (n for n in ast.walk(child) if isinstance(n, ast.Global))
            elif isinstance(child, (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)):
                yield from (n.target for n in ast.walk(child) if isinstance(n, ast.NamedExpr))
            elif not isinstance(child, ast.Lambda):
                stack.append(child)


def _history_reads(tree: ast.Module) -> Iterator[Tuple[ast.Name, str]]:
    """Reads of IPython's history names that no enclosing function, lambda or comprehension binds."""
    def visit(node: ast.AST, local: Set[str]) -> Iterator[Tuple[ast.Name, str]]:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ListComp, ast.SetComp,
                             ast.DictComp, ast.GeneratorExp)):
            local = local | _names_bound_in(node) - {getattr(node, "name", None)}
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load) and HISTORY_NAME.match(node.id):
            if node.id not in local:
                yield node, node.id
        for child in ast.iter_child_nodes(node):
            yield from visit(child, local)

    yield from visit(tree, set())


def _is_pure(code: str, namespace: Namespace) -> bool:
    """Whether code only computes values from names and constants, with calls from PURE_CALLS."""
    tree = _parse(code)
    if tree is None or not tree.body:
        return False
    return all(isinstance(s, ast.Pass) or (isinstance(s, ast.Expr) and _pure(s.value, namespace)) for s in tree.body)


def _pure(node: ast.AST, namespace: Namespace) -> bool:
    if isinstance(node, (ast.Constant, ast.Name)):
        return True
    if isinstance(node, (ast.BinOp, ast.UnaryOp, ast.BoolOp, ast.Compare, ast.Tuple, ast.List, ast.Set, ast.Dict,
                         ast.IfExp, ast.Slice)):
        return all(_pure(child, namespace) for child in ast.iter_child_nodes(node) if isinstance(child, ast.expr))
    if isinstance(node, (ast.ListComp, ast.SetComp, ast.GeneratorExp)):
        return all(_fresh(g.iter, namespace) and all(_pure(i, namespace) for i in g.ifs) for g in node.generators) \
            and _pure(node.elt, namespace)
    if isinstance(node, ast.Attribute):
        return _qualified(node, namespace) is not None
    if isinstance(node, ast.Call):
        name = _qualified(node.func, namespace)
        arguments = list(node.args) + [k.value for k in node.keywords]
        if name in ITERATING_CALLS:
            return all(_fresh(a, namespace) for a in arguments)
        return (name in PURE_CALLS and all(k.arg != "out" for k in node.keywords)
                and all(_pure(a, namespace) for a in arguments))
    return False


def _fresh(node: ast.AST, namespace: Namespace) -> bool:
    """A pure value that is not a name: iterating over it consumes nothing the notebook holds."""
    return not isinstance(node, (ast.Name, ast.Attribute)) and _pure(node, namespace)


def _qualified(node: ast.AST, namespace: Namespace) -> Optional[str]:
    """`np.linalg.norm` -> "numpy.linalg.norm" through the notebook's imports; builtins by name."""
    if isinstance(node, ast.Name):
        if node.id in namespace.modules:
            return namespace.modules[node.id]
        return node.id if node.id not in namespace.bound and node.id in BUILTIN_NAMES else None
    if isinstance(node, ast.Attribute):
        base = _qualified(node.value, namespace)
        return f"{base}.{node.attr}" if base and base not in BUILTIN_NAMES else None
    return None


def _ipython_call_special(node: ast.AST, lines: Sequence[str]) -> Optional[Special]:
    """`get_ipython().system("ls")`, alone on its line, as the IPython syntax it stands for."""
    if not isinstance(node, (ast.Expr, ast.Assign)) or not isinstance(node.value, ast.Call):
        return None
    call = node.value
    if not _is_ipython_method(call.func) or node.lineno != node.end_lineno or call.keywords:
        return None
    if not all(isinstance(a, ast.Constant) and isinstance(a.value, str) for a in call.args):
        return None
    line = lines[node.lineno - 1]
    if line[node.end_col_offset :].strip()[:1] not in ("", "#"):
        return None
    assigned = isinstance(node, ast.Assign)
    syntax = _ipython_call_syntax(call.func.attr, [a.value for a in call.args], assigned)
    if syntax is None:
        return None
    prefix = line[: (call.col_offset if assigned else node.col_offset)]
    return Special(node.lineno - 1, node.lineno - 1, prefix, syntax[0], syntax[1], assigned)


def _ipython_call_syntax(method: str, values: List[str], assigned: bool) -> Optional[Tuple[str, str]]:
    """(escape, content) of the IPython syntax a `get_ipython()` method call stands for."""
    if method == "system" and len(values) == 1 and not assigned:
        return "!", values[0]
    if method == "getoutput" and len(values) == 1:
        return ("!" if assigned else "!!"), values[0]
    if method == "run_line_magic" and len(values) == 2:
        return "%", f"{values[0]} {values[1]}"
    if method == "magic" and len(values) == 1:
        return "%", values[0]
    return None


def _is_ipython_method(func: ast.AST) -> bool:
    return (isinstance(func, ast.Attribute) and isinstance(func.value, ast.Call) and not func.value.args
            and isinstance(func.value.func, ast.Name) and func.value.func.id == "get_ipython")


# ---------------------------------------------------------------------------------------------------
# Directives and what a cell teaches about the namespace
# ---------------------------------------------------------------------------------------------------

def _directive_parts(text: str) -> List[str]:
    """`skip, function=load, ignore=NB101,NB204` -> ["skip", "function=load", "ignore=NB101,NB204"]."""
    parts: List[str] = []
    for part in (p.strip() for p in text.split(",")):
        if re.match(r"^NB\d{3}$", part) and parts and parts[-1].startswith("ignore="):
            parts[-1] += "," + part
        elif part:
            parts.append(re.sub(r"\s*=\s*", "=", part, count=1))
    return parts


def _directive_problem(directive: str) -> str:
    key, _, value = directive.partition("=")
    if directive in ("skip", "parameters"):
        return ""
    if key == "function":
        if value.isidentifier() and not keyword.iskeyword(value):
            return ""
        return f"nbrefactor directive `{directive}`: `{value}` is not a valid function name; ignored"
    if key == "ignore":
        unknown = [code for code in value.split(",") if code not in CODES]
        if not unknown:
            return ""
        return f"nbrefactor directive `{directive}`: unknown finding codes {', '.join(unknown)}; ignored"
    return f"unknown nbrefactor directive `{directive}`; ignored"
