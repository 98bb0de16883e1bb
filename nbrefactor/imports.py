"""One import block for a generated script, ordered the way isort orders it with the black profile.

A notebook imports as it goes: `import os` in one cell, `import os, shutil` in the next, a `from`
import between two plots. The script gathers them into one block a reviewer accepts without running a
formatter over it. isort's default and black profiles order imports alike; the black profile differs
in wrapping and in a blank line before a comment, and that is the one followed here:

- sections, separated by one blank line: `from __future__`, standard library, third party, the
  project's own modules (`local`), relative imports;
- in each section `import x` lines first, then `from x import y` lines
  (`force_sort_within_sections = false`), each sorted case-insensitively with numbers in natural
  order; names inside a `from` import go CONSTANTS, Classes, then the rest (`order_by_type`);
- `import os, shutil` becomes one line per module and the same import twice one line; aliases stay
  (`import numpy as np`), `from a import b as c` keeps a line of its own (`combine_as_imports = false`);
- a `from` import longer than the line length is wrapped black's way: one name a line in
  parentheses, with a trailing comma.

Comments travel with their statement. The caller passes each statement's text with the comment lines
that belong above it, and no others; `comments_above` says which those are (a `# Python >= 3.5 is
required` above `import sys` and `assert sys.version_info ...` explains the assert and stays with it).
Comment lines end up above the line holding the statement's first name, after a blank line; trailing
comments on that line, joined with "; ". A `from` import with a trailing comment keeps its names on a
line of their own, listed before the module's other names, as isort does.

Where isort would move or drop a comment, nbrefactor keeps it with its statement: a comment above
`import os.path` stays there (isort moves it above `import os`), two different trailing comments on the
same import are both kept (isort keeps the last). And a module's plain names always share one line
(isort splits them around an aliased name that sorts among them).

The standard library is `sys.stdlib_module_names` together with a bundled list of every module
Python 3.9 to 3.14 ships (isort also uses one list for all versions), so a module is classed the same
way whichever interpreter runs the converter. Whether a package is installed never matters.
"""
import ast
import io
import re
import sys
import textwrap
import tokenize
from dataclasses import dataclass, field
from typing import Collection, Dict, Iterable, List, Optional, Sequence, Tuple

from nbrefactor.stdlib_names import STDLIB_MODULE_NAMES

SECTIONS = ("future", "stdlib", "thirdparty", "local", "relative")
STDLIB = frozenset(getattr(sys, "stdlib_module_names", ())) | STDLIB_MODULE_NAMES
LINE_LENGTH = 88
INDENT = "    "


@dataclass
class _Line:
    """One line (or one wrapped statement) of the block."""

    module: str
    straight: bool
    names: List[str] = field(default_factory=list)
    alias: Optional[str] = None
    leading: List[str] = field(default_factory=list)
    comments: List[str] = field(default_factory=list)

    def attach(self, leading: Iterable[str], comments: Iterable[str]) -> None:
        self.leading += [line for line in leading if line not in self.leading]
        self.comments += [text for text in comments if text not in self.comments]


@dataclass
class _Statement:
    nodes: List[ast.stmt]
    leading: List[str]
    comments: List[str]


def import_block(statements: Iterable[str], local: Collection[str] = (), line_length: int = LINE_LENGTH) -> str:
    """The import block for `statements` (source texts of import statements), ending in a newline.

    `local` names the project's own top-level modules. Raises ValueError for a text that is not
    made of import statements.
    """
    lines = _Lines()
    for text in statements:
        lines.add(_parse(text))
    groups = [_render_section(section_lines, line_length) for section_lines in lines.by_section(local)]
    return "\n".join(group for group in groups if group)


def comments_above(lines: Sequence[str], line: int) -> List[str]:
    """The comment lines directly above line `line` (1-based) of a cell that belong to the import there.

    They belong to it when their paragraph (the lines between blank lines) holds only comments and
    imports: `# Common imports` above `import numpy as np`. In a paragraph that also holds other code
    they describe that code and stay with it: `# Python >= 3.5 is required` above `import sys` and
    `assert sys.version_info >= (3, 5)`.
    """
    start = line - 1
    while start > 0 and lines[start - 1].lstrip().startswith("#"):
        start -= 1
    first, last = start, line - 1
    while first > 0 and lines[first - 1].strip():
        first -= 1
    while last + 1 < len(lines) and lines[last + 1].strip():
        last += 1
    paragraph = [text for text in lines[first : last + 1] if not text.lstrip().startswith("#")]
    if not _only_imports("\n".join(paragraph)):
        return []
    return [text.rstrip() for text in lines[start : line - 1]]


def _only_imports(source: str) -> bool:
    try:
        nodes = ast.parse(textwrap.dedent(source)).body
    except SyntaxError:
        return False
    return all(isinstance(node, (ast.Import, ast.ImportFrom)) for node in nodes)


def section(module: str, local: Collection[str] = ()) -> str:
    """Which section of the block `module` (as written after `import` or `from`) belongs to."""
    if module.startswith("."):
        return "relative"
    top = module.split(".")[0]
    if top == "__future__":
        return "future"
    if top in local:
        return "local"
    return "stdlib" if top in STDLIB else "thirdparty"


def is_stdlib(module: str) -> bool:
    """Whether the top-level package of `module` belongs to the standard library."""
    return module.split(".")[0] in STDLIB


# --- parsing -----------------------------------------------------------------------------------------


def _parse(text: str) -> _Statement:
    source = textwrap.dedent(text)
    try:
        nodes = ast.parse(source).body
    except SyntaxError as error:
        raise ValueError(f"not an import statement: {text.strip()!r} ({error.msg})") from None
    if not nodes or not all(isinstance(node, (ast.Import, ast.ImportFrom)) for node in nodes):
        raise ValueError(f"not an import statement: {text.strip()!r}")
    leading, comments = _comments(source, nodes[0].lineno)
    return _Statement(nodes, leading, comments)


def _comments(source: str, first_line: int) -> Tuple[List[str], List[str]]:
    """Comment lines above the statement (as written) and the texts of the comments after it starts."""
    leading, trailing = [], []
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type != tokenize.COMMENT:
            continue
        if token.start[0] < first_line:
            leading.append(token.string.rstrip())
        elif token.string.lstrip("#").strip():
            trailing.append(token.string.lstrip("#").strip())
    return leading, trailing


# --- merging -----------------------------------------------------------------------------------------


class _Lines:
    """The block's lines, keyed so that the same import written twice lands on one line."""

    def __init__(self) -> None:
        self.keyed: Dict[tuple, _Line] = {}
        self.shared: Dict[str, _Line] = {}
        self.holder: Dict[Tuple[str, str], _Line] = {}
        self.order: List[_Line] = []

    def add(self, statement: _Statement) -> None:
        placed = [line for node in statement.nodes for line in self._place(node, bool(statement.comments))]
        placed[0].attach(statement.leading, statement.comments)

    def by_section(self, local: Collection[str]) -> List[List[_Line]]:
        lines = [line for line in self.order if line.straight or line.names]
        return [[line for line in lines if section(line.module, local) == name] for name in SECTIONS]

    def _place(self, node: ast.stmt, commented: bool) -> List[_Line]:
        if isinstance(node, ast.Import):
            return [self._keyed((alias.name, alias.asname), _Line(alias.name, True, alias=alias.asname)) for alias in node.names]
        module = "." * node.level + (node.module or "")
        plain = [alias.name for alias in node.names if alias.asname is None and alias.name != "*"]
        placed = [self._keyed((module, "*"), _Line(module, False, ["*"])) for alias in node.names if alias.name == "*"]
        placed += self._place_plain(module, plain, commented) if plain else []
        placed += [
            self._keyed((module, alias.name, alias.asname), _Line(module, False, [alias.name], alias.asname))
            for alias in node.names
            if alias.asname is not None
        ]
        return placed

    def _keyed(self, key: tuple, line: _Line) -> _Line:
        if key not in self.keyed:
            self.keyed[key] = line
            self.order.append(line)
        return self.keyed[key]

    def _place_plain(self, module: str, names: List[str], commented: bool) -> List[_Line]:
        """Names go to the module's shared line; a statement with a comment takes its names to a line of its own."""
        names = list(dict.fromkeys(names))
        shared = self.shared.get(module)
        if shared is None:
            shared = self.shared[module] = _Line(module, False)
            self.order.append(shared)
        line = _Line(module, False) if commented else shared
        if commented:
            self.order.append(line)
        for name in names:
            holder = self.holder.get((module, name))
            if holder is None or (holder is shared and commented):
                if holder is not None:
                    holder.names.remove(name)
                line.names.append(name)
                self.holder[(module, name)] = line
        if commented and not shared.names:
            line.attach(shared.leading, shared.comments)
            shared.leading, shared.comments = [], []
        return [self.holder[(module, names[0])]]


# --- ordering and rendering ----------------------------------------------------------------------------


def _render_section(lines: List[_Line], line_length: int) -> str:
    ordered = sorted((line for line in lines if line.straight), key=_straight_key)
    ordered += sorted((line for line in lines if not line.straight), key=_from_key)
    out = []
    for index, line in enumerate(ordered):
        if line.leading and index:
            out.append("")
        out += line.leading
        out.append(_render(line, line_length))
    return "".join(text + "\n" for text in out)


def _render(line: _Line, line_length: int) -> str:
    comment = f"  # {'; '.join(line.comments)}" if line.comments else ""
    if line.straight:
        return f"import {line.module}" + (f" as {line.alias}" if line.alias else "") + comment
    names = [name + (f" as {line.alias}" if line.alias else "") for name in sorted(line.names, key=_name_key)]
    flat = f"from {line.module} import {', '.join(names)}"
    if len(flat + comment) <= line_length or names == ["*"]:
        return flat + comment
    body = "".join(f"{INDENT}{name},\n" for name in names)
    return f"from {line.module} import ({comment}\n{body})"


def _natural(text: str) -> tuple:
    """isort's natural order: case folded, runs of digits compared as numbers."""
    return tuple(int(part) if part.isdigit() else part for part in re.split(r"(\d+)", text.lower()))


def _module_key(module: str) -> tuple:
    """Relative modules sort as isort sorts them: `..` before `..x` before `.` before `.x`."""
    match = re.match(r"^(\.+)(.*)$", module)
    return _natural("_".join(match.groups()) if match else module)


def _name_key(name: str) -> tuple:
    kind = "A" if name.isupper() and len(name) > 1 else "B" if name[:1].isupper() else "C"
    return (kind, _natural(name))


def _straight_key(line: _Line) -> tuple:
    return (_module_key(line.module), line.alias is not None, _natural(line.alias or ""))


def _from_key(line: _Line) -> tuple:
    """Per module: the star import, then single names with a comment of their own, then the rest (as isort)."""
    first = min(line.names, key=_name_key)
    commented_name = bool(line.comments) and len(line.names) == 1 and line.alias is None
    order = (first != "*", not commented_name, _name_key(first), line.alias is not None, _natural(line.alias or ""))
    return (_module_key(line.module),) + order
