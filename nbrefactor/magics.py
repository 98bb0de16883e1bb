"""IPython syntax -> plain Python: magics, shell escapes and help lines, each change recorded.

Replacements keep the cell's line count, so every later position still points at the notebook.
Imports a rewrite needs (`os`, `subprocess`) are appended after the cell's last line.
"""
from __future__ import annotations

import re
from dataclasses import replace
import shlex
from typing import List, Optional, Tuple

from .model import Cell, Change, CodeCell, Finding

DROPPED_LINE_MAGICS = {
    "matplotlib", "load_ext", "reload_ext", "unload_ext", "autoreload", "aimport", "config",
    "precision", "xmode", "pdb", "who", "whos", "who_ls", "history", "hist", "pwd", "ls", "lsmagic",
    "pinfo", "pinfo2", "psearch", "pdef", "pdoc", "psource", "pfile", "magic", "quickref", "reset",
    "reset_selective", "store", "notebook", "qtconsole", "colors", "automagic", "autocall",
    "doctest_mode", "alias", "unalias", "rehashx", "page", "pprint", "tb", "debug", "recall",
    "rerun", "save", "logstart", "logstop", "logon", "logoff", "logstate", "clear", "cls", "dhist",
    "dirs", "bookmark", "killbgscripts", "connect_info", "qtconsole", "gui", "sx", "system",
    "watermark", "version_information", "memit", "mprun", "lprun", "prun", "code_wrap", "dotnet",
}
PACKAGE_MANAGERS = {"pip", "pip3", "conda", "mamba", "micromamba", "uv"}
SHELL_ALIASES = {"ls", "ll", "lf", "lk", "lx", "ldir", "cat", "cp", "mv", "rm", "rmdir", "mkdir", "less", "man", "clear"}
AUTOMAGIC_NAMES = DROPPED_LINE_MAGICS | PACKAGE_MANAGERS | SHELL_ALIASES | {"cd", "env", "set_env", "time", "timeit"}
DISPLAY_ONLY_WORDS = {"ls", "ll", "pwd", "who", "whos", "who_ls", "lsmagic", "history", "dhist", "dirs", "env"}
UNWRAPPED_CELL_MAGICS = {"time", "timeit", "capture", "prun"}
TIMING_LINE_MAGICS = {"time", "timeit"}
DIRECTIVE = re.compile(r"^\s*#\s*nbrefactor\s*:\s*(.*?)\s*$")
ASSIGNED_MAGIC = re.compile(r"^(\s*)([A-Za-z_][\w\.\s,\[\]\(\)]*?)\s*=\s*([!%])(.*)$")
HELP_LINE = re.compile(r"^\s*(\?\??[\w\.\[\]\(\)]+|[\w\.\[\]\(\)]+\?\??)\s*$")
SIMPLE_ASSIGNMENT = re.compile(r"^([A-Za-z_]\w*)\s*(?::[^=]*)?=(?!=)")
TIMEIT_OPTION = re.compile(r"^(\s*-[nrtcpqo]\s*(\d+)?\s*)+")


def normalise(cell: Cell) -> CodeCell:
    """Plain Python for one code cell, or a left-out cell with a finding."""
    lines = cell.source.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    state = _State(cell)
    lines = state.take_directives(lines)
    if state.left_out:
        return state.left_out_result(lines)
    first = _first_code_line(lines)
    if first is not None and lines[first].lstrip().startswith("%%"):
        lines = state.cell_magic(lines, first)
        if state.left_out:
            return state.left_out_result(lines)
    lines = state.line_magics(lines)
    if state.imports:
        lines += sorted(f"import {module}" for module in state.imports)
    return state.result("\n".join(lines))


def _first_code_line(lines: List[str]) -> Optional[int]:
    for number, line in enumerate(lines):
        stripped = line.strip()
        if stripped and not stripped.startswith("#"):
            return number
    return None


class _State:
    """Accumulates what normalising one cell changed, found and needs."""

    def __init__(self, cell: Cell):
        self.cell = cell
        self.changes: List[Change] = []
        self.findings: List[Finding] = []
        self.directives: List[str] = []
        self.requirements: List[str] = []
        self.imports: set = set()
        self.left_out = False

    def result(self, python: str) -> CodeCell:
        return CodeCell(
            cell=self.cell,
            python=python,
            changes=tuple(self.changes),
            findings=tuple(self.findings),
            directives=tuple(self.directives),
            requirements=tuple(self.requirements),
            left_out=self.left_out,
        )

    def left_out_result(self, lines: List[str]) -> CodeCell:
        """No code, but the names its lines seem to assign, so a later read of one can be explained."""
        names = (match.group(1) for match in map(SIMPLE_ASSIGNMENT.match, lines) if match)
        return replace(self.result(""), left_out_names=tuple(dict.fromkeys(names)))

    def change(self, line: int, rule: str, original: str, replacement: str = "") -> None:
        self.changes.append(Change(self.cell.number, line, rule, original.strip(), replacement.strip()))

    def finding(self, line: int, message: str, col: int = 1) -> None:
        self.findings.append(Finding(self.cell.number, line, col, message))

    def take_directives(self, lines: List[str]) -> List[str]:
        """`# nbrefactor: skip, function=name` lines at the top of a cell, and tags, become directives."""
        self.directives.extend(tag.split(":", 1)[1].strip() for tag in self.cell.tags if tag.startswith("nbrefactor:"))
        if "parameters" in self.cell.tags:
            self.directives.append("parameters")
        for number, line in enumerate(lines):
            match = DIRECTIVE.match(line)
            if match:
                self.directives.extend(part.strip() for part in match.group(1).split(",") if part.strip())
                lines[number] = ""
            elif line.strip():
                break
        if "skip" in self.directives:
            self.left_out = True
            self.change(1, "skip directive", "cell left out")
        return lines

    def cell_magic(self, lines: List[str], first: int) -> List[str]:
        header = lines[first].strip()
        name = header[2:].split(None, 1)[0] if len(header) > 2 else ""
        if name in UNWRAPPED_CELL_MAGICS:
            self.change(first + 1, f"cell magic %%{name} unwrapped", header)
            lines[first] = ""
            return lines
        self.left_out = True
        self.finding(first + 1, f"cell magic %%{name} is not Python; cell left out")
        return lines

    def line_magics(self, lines: List[str]) -> List[str]:
        """Rewrite the magic lines that start a statement; lines inside brackets or strings stay Python."""
        output = list(lines)
        tracker = _StatementStarts()
        number = 0
        while number < len(lines):
            magic = tracker.at_start and _is_magic(lines[number])
            end = number
            while magic and lines[end].rstrip().endswith("\\") and end + 1 < len(lines):
                end += 1
            if magic:
                text = " ".join(line.rstrip().rstrip("\\") for line in lines[number : end + 1])
                output[number] = self.rewrite_line(text, number + 1)
                for extra in range(number + 1, end + 1):
                    output[extra] = _blank(_indent_of(lines[number]))
            else:
                tracker.feed(lines[number])
            number = end + 1
        return output

    def rewrite_line(self, text: str, line: int) -> str:
        indent = _indent_of(text)
        stripped = text.strip()
        if _is_automagic(text):
            return self.automagic(stripped, indent, line)
        assigned = ASSIGNED_MAGIC.match(text)
        if assigned and not stripped.startswith(("%", "!")):
            return self.assigned_magic(assigned, line)
        if HELP_LINE.match(text) and "?" in stripped:
            self.change(line, "help request dropped", stripped)
            return _blank(indent)
        if stripped.startswith("!"):
            return self.shell_line(stripped[1:].strip(), indent, line)
        return self.line_magic(stripped[1:], indent, line)

    def automagic(self, stripped: str, indent: str, line: int) -> str:
        """`ls data/` or `pwd` typed without `%`: IPython runs the magic or the shell alias."""
        word = stripped.split(None, 1)[0]
        if word in SHELL_ALIASES:
            return self.shell_line(stripped, indent, line)
        return self.line_magic(stripped, indent, line)

    def line_magic(self, body: str, indent: str, line: int) -> str:
        name, _, arguments = body.partition(" ")
        arguments = arguments.strip()
        if name in TIMING_LINE_MAGICS:
            statement = TIMEIT_OPTION.sub("", arguments) if name == "timeit" else arguments
            self.change(line, f"%{name} unwrapped", "%" + body, statement)
            return indent + statement if statement else _blank(indent)
        if name in {"env", "set_env"}:
            return self.env_magic(arguments, indent, line, body)
        if name == "cd":
            self.imports.add("os")
            replacement = f"os.chdir({_quote(arguments)})"
            self.change(line, "%cd rewritten", "%" + body, replacement)
            return indent + replacement
        if name in PACKAGE_MANAGERS:
            return self.install_line(name + " " + arguments, indent, line, "%" + body)
        if name in DROPPED_LINE_MAGICS:
            self.change(line, f"%{name} dropped", "%" + body)
            return _blank(indent)
        self.finding(line, f"unsupported magic %{name} removed", len(indent) + 1)
        self.change(line, f"unsupported magic %{name} removed", "%" + body)
        return _blank(indent)

    def env_magic(self, arguments: str, indent: str, line: int, original: str) -> str:
        key, separator, value = arguments.partition("=")
        if not separator:
            key, _, value = arguments.partition(" ")
        if not key.strip() or not value.strip():
            self.change(line, "%env without a value dropped", "%" + original)
            return _blank(indent)
        self.imports.add("os")
        replacement = f"os.environ[{_quote(key.strip())}] = {_quote(value.strip())}"
        self.change(line, "%env rewritten", "%" + original, replacement)
        return indent + replacement

    def shell_line(self, command: str, indent: str, line: int) -> str:
        words = command.split()
        if words and words[0] in PACKAGE_MANAGERS | {"python", "python3"} and "install" in words:
            return self.install_line(command, indent, line, "!" + command)
        self.change(line, "shell command removed", "!" + command)
        if words and words[0] not in {"ls", "pwd", "echo", "cat", "head", "tail", "nvidia-smi", "which", "du", "df"}:
            self.finding(line, f"shell command removed: !{command}", len(indent) + 1)
        return _blank(indent)

    def install_line(self, command: str, indent: str, line: int, original: str) -> str:
        self.requirements.extend(_packages(command))
        self.change(line, "package install removed; listed as a requirement", original)
        return _blank(indent)

    def assigned_magic(self, match, line: int) -> str:
        indent, target, sigil, body = match.group(1), match.group(2).strip(), match.group(3), match.group(4).strip()
        if sigil == "!":
            self.imports.add("subprocess")
            replacement = (
                f"{target} = subprocess.run({_quote(body)}, shell=True, capture_output=True, text=True)"
                ".stdout.splitlines()"
            )
            self.change(line, "shell capture rewritten", f"{target} = !{body}", replacement)
            return indent + replacement
        name, _, arguments = body.partition(" ")
        if name == "time":
            self.change(line, "%time unwrapped", f"{target} = %{body}", f"{target} = {arguments}")
            return f"{indent}{target} = {arguments.strip()}"
        self.finding(line, f"the value of magic %{name} cannot be converted; line removed", len(indent) + 1)
        self.change(line, f"assigned magic %{name} removed", f"{target} = %{body}")
        return _blank(indent)


def _is_magic(line: str) -> bool:
    stripped = line.strip()
    if not stripped or stripped.startswith("#"):
        return False
    if _is_automagic(line):
        return True
    if stripped[0] in "%!" and not stripped.startswith(("!=", "%=")):
        return True
    if stripped.endswith("?") or stripped.startswith("?"):
        return bool(HELP_LINE.match(line))
    match = ASSIGNED_MAGIC.match(line)
    return bool(match) and not match.group(4).startswith("=")


def _is_automagic(line: str) -> bool:
    """A magic or shell alias written without `%`, as IPython's automagic allows.

    Only lines that are not Python qualify (`cd data`, `cat notes.txt`), shell aliases given options
    (`ls -la`), and bare words whose magic only shows something (`pwd`, `ls`): dropping those is safe
    even when the word is a variable, whose value the line would only display.
    """
    stripped = line.strip()
    word = stripped.split(None, 1)[0] if stripped else ""
    if word not in AUTOMAGIC_NAMES:
        return False
    if stripped == word:
        return word in DISPLAY_ONLY_WORDS
    rest = stripped[len(word):].lstrip()
    if rest.startswith("=") and not rest.startswith("=="):
        return False
    if word in SHELL_ALIASES and rest.startswith("-"):
        return True  # `ls -la` parses as a subtraction, but IPython runs the alias
    return not _parses(stripped)


def _parses(text: str) -> bool:
    import ast

    try:
        ast.parse(text)
    except (SyntaxError, ValueError):
        return False
    return True


class _StatementStarts:
    """Follows brackets, strings and backslashes over lines, to tell where a new statement may start."""

    def __init__(self):
        self.depth = 0
        self.open_quote = ""  # the triple quote of a string still open at the end of a line
        self.continued = False

    @property
    def at_start(self) -> bool:
        return self.depth == 0 and not self.open_quote and not self.continued

    def feed(self, line: str) -> None:
        position = 0
        if self.open_quote:
            position = self._close_string(line, 0, self.open_quote)
        while 0 <= position < len(line):
            char = line[position]
            if char == "#":
                break
            if char in "'\"":
                quote = char * 3 if line.startswith(char * 3, position) else char
                position = self._close_string(line, position + len(quote), quote)
                continue
            if char in "([{":
                self.depth += 1
            elif char in ")]}":
                self.depth = max(0, self.depth - 1)
            position += 1
        self.continued = not self.open_quote and _code_part(line).endswith("\\")

    def _close_string(self, line: str, position: int, quote: str) -> int:
        """Where scanning resumes after the string that opened before `position`; -1 at the line's end."""
        while position < len(line):
            if line[position] == "\\":
                position += 2
            elif line.startswith(quote, position):
                self.open_quote = ""
                return position + len(quote)
            else:
                position += 1
        self.open_quote = quote if len(quote) == 3 else ""
        return -1


def _code_part(line: str) -> str:
    """The line without a trailing comment, roughly: enough to see a continuation backslash."""
    return line.rstrip() if "#" not in line else line.split("#", 1)[0].rstrip()


def _indent_of(line: str) -> str:
    return line[: len(line) - len(line.lstrip())]


def _blank(indent: str) -> str:
    """An indented magic becomes `pass`, so its block keeps a statement; a top-level one, a blank line."""
    return indent + "pass" if indent else ""


def _quote(text: str) -> str:
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"":
        text = text[1:-1]
    return repr(text)


def _packages(command: str) -> Tuple[str, ...]:
    try:
        words = shlex.split(command)
    except ValueError:
        words = command.split()
    if "install" not in words:
        return ()
    packages, skip_next = [], False
    for word in words[words.index("install") + 1 :]:
        if skip_next:
            skip_next = False
        elif word in {"-r", "--requirement", "-c", "--constraint", "-e", "--editable", "-i", "--index-url", "-c"}:
            skip_next = True
        elif not word.startswith("-"):
            packages.append(word)
    return tuple(packages)
