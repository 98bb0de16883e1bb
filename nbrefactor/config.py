"""Settings, frozen: defaults, then `[tool.nbrefactor]` (pyproject.toml) or `[nbrefactor]` (setup.cfg), then flags.

The configuration is found by walking up from a notebook's folder: the first `pyproject.toml` with a
`[tool.nbrefactor]` table, or `setup.cfg` with an `[nbrefactor]` section, wins. The search stops at the top of
the repository (a folder holding `.git` or `.hg`), so no file above a project steers it. Paths in it
are relative to the file that holds them and must stay inside the project (that repository, or the
file's own folder outside one). Per-notebook tables (`[tool.nbrefactor.notebooks."PATTERN"]`, or
`[nbrefactor:PATTERN]` in setup.cfg) apply to notebooks whose path, relative to that file, matches.
"""
from __future__ import annotations

import fnmatch
import hashlib
import keyword
import os
import unicodedata
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Dict, Optional, Tuple

from .model import NotebookError

KINDS = ("auto", "train", "score", "script")
FORMATTERS = ("black", "ruff")
TEXT_KEYS = ("output_dir", "kind", "name", "template_dir", "format")
PATH_KEYS = ("output_dir", "template_dir")
LIST_KEYS = ("pure_methods", "disabled_rules", "ignore")
TABLE_KEYS = ("functions",)
BOOL_KEYS = ("requirements",)
NOTEBOOK_KEYS = TEXT_KEYS + LIST_KEYS + TABLE_KEYS + BOOL_KEYS
PROJECT_KEYS = NOTEBOOK_KEYS + ("notebooks",)
REPOSITORY_MARKERS = (".git", ".hg")
CONFIG_LIMIT = 1000 * 1000  # bytes: a configuration file is small
MAX_TEXT = 1000  # characters in one value
MAX_ITEMS = 1000  # entries in one list or table
MAX_NAME = 100  # characters in a module or function name


@dataclass(frozen=True)
class Settings:
    kind: str = "auto"
    output_dir: Optional[str] = None
    name: str = ""
    names: Tuple[Tuple[str, str], ...] = ()  # heading -> function name
    pure_methods: Tuple[str, ...] = ()  # more methods known not to change their receiver
    disabled_rules: Tuple[str, ...] = ()  # exploratory rules to switch off: display, print, plot
    template_dir: Optional[str] = None
    strict: bool = False
    ignore: Tuple[str, ...] = ()  # finding codes silenced on purpose
    requirements: bool = False  # also write requirements-<module>.txt
    format: str = ""  # "black" or "ruff": the generated Python is formatted by it

    @property
    def rules(self):
        from .rules import Knowledge

        return Knowledge().with_extra(self.pure_methods, self.disabled_rules)

    def plan_options(self):
        from .plan import Options

        return Options(kind=self.kind, names=self.names, output_name=self.name)

    def digest_fields(self) -> dict:
        """The settings that change what is generated (not where it goes, nor how strict the run is).

        A template folder counts by its content, not its path, so the digest is the same on every machine.
        """
        chosen = {f.name: getattr(self, f.name) for f in fields(self) if f.name not in ("output_dir", "strict", "ignore")}
        chosen["template_dir"] = folder_digest(self.template_dir) if self.template_dir else None
        for key in ("requirements", "format"):  # off, the digest stays what it was before the setting existed
            if not chosen[key]:
                del chosen[key]
        return chosen

    def merged(self, **overrides) -> "Settings":
        return replace(self, **{key: value for key, value in overrides.items() if value not in (None, (), "")})


def folder_digest(folder: str) -> str:
    """A digest of the names and contents of every file under `folder` ("" when it does not exist)."""
    root = Path(folder)
    if not root.is_dir():
        return ""
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        digest.update(path.relative_to(root).as_posix().encode("utf-8") + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


class ConfigError(NotebookError):
    """A configuration file nbrefactor cannot use; the message names the file and the key."""


@dataclass(frozen=True)
class Config:
    """The nbrefactor section of one configuration file, with keys in snake_case."""

    path: Path
    project: Dict[str, object]
    notebooks: Tuple[Tuple[str, Dict[str, object]], ...] = field(default=())

    def values_for(self, notebook: Path) -> Dict[str, object]:
        """Project-wide values, overridden by every per-notebook table whose pattern matches."""
        relative = relative_posix(notebook, self.path.parent)
        values = dict(self.project)
        for pattern, table in self.notebooks:
            if fnmatch.fnmatchcase(relative, pattern):
                functions = {**values.get("functions", {}), **table.get("functions", {})}
                values.update(table, functions=functions)
        return values

    def _inside(self, values: Dict[str, object], key: str) -> Path:
        """The configured folder, which must lie inside the project the configuration belongs to."""
        path = self.path.parent / str(values[key])
        root = project_root(self.path.parent)
        real = os.path.realpath(path)
        if os.path.isabs(str(values[key])) or not (real == str(root) or real.startswith(str(root) + os.sep)):
            raise ConfigError(_shown(self.path), f"'{key}' must name a folder inside the project ({_shown(root)})")
        return path

    def settings_for(self, notebook: Path) -> Settings:
        values = self.values_for(notebook)
        return Settings().merged(
            kind=values.get("kind"),
            name=values.get("name"),
            output_dir=_shown(self._inside(values, "output_dir")) if "output_dir" in values else None,
            template_dir=str(self._inside(values, "template_dir")) if "template_dir" in values else None,
            names=tuple(values.get("functions", {}).items()),
            pure_methods=tuple(values.get("pure_methods", ())),
            disabled_rules=tuple(values.get("disabled_rules", ())),
            ignore=tuple(values.get("ignore", ())),
            requirements=values.get("requirements"),
            format=values.get("format"),
        )


def settings_for(notebook: Path, flags: Dict[str, object]) -> Settings:
    """The settings for one notebook: its configuration file (if any), then the flags given."""
    check_flags(flags)
    config = find_config(notebook.resolve().parent)
    base = config.settings_for(notebook) if config else Settings()
    return base.merged(**flags)


def check_flags(flags: Dict[str, object]) -> None:
    """ConfigError, naming the option, for a command-line value nbrefactor cannot use."""
    for key in ("name", "output_dir", "template_dir"):
        value = flags.get(key)
        problem = _value_problem(key, value) if value else ""
        if problem:
            raise ConfigError("--" + key.replace("_", "-"), problem)


def find_config(folder: Path) -> Optional[Config]:
    """The first configuration file with an nbrefactor section, from `folder` up to the project's top."""
    for directory in _folders_up_to_project_root(folder):
        for name, reader in (("pyproject.toml", _read_pyproject), ("setup.cfg", _read_setup_cfg)):
            candidate = directory / name
            if candidate.is_file():
                config = reader(candidate)
                if config is not None:
                    return config
    return None


def _folders_up_to_project_root(folder: Path):
    for directory in (folder, *folder.parents):
        yield directory
        if any((directory / marker).exists() for marker in REPOSITORY_MARKERS):
            return


def project_root(folder: Path) -> Path:
    """The top of the repository holding `folder`, or `folder` itself outside a repository."""
    real = Path(os.path.realpath(folder))
    for directory in (real, *real.parents):
        if any((directory / marker).exists() for marker in REPOSITORY_MARKERS):
            return directory
    return real


def _config_text(path: Path) -> str:
    from .textnotebook import FileReadError, read_regular_file

    try:
        return read_regular_file(path, CONFIG_LIMIT).decode("utf-8")
    except FileReadError as error:
        raise ConfigError(_shown(path), str(error)) from None
    except UnicodeDecodeError as error:
        raise ConfigError(_shown(path), f"not UTF-8 text (byte {error.start})") from None


def _read_pyproject(path: Path) -> Optional[Config]:
    import tomllib

    try:
        document = tomllib.loads(_config_text(path))
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(_shown(path), f"not valid TOML: {error}") from None
    except RecursionError:
        raise ConfigError(_shown(path), "not usable TOML: values nested too deeply") from None
    except ValueError as error:  # an integer too long for Python to read
        raise ConfigError(_shown(path), f"not usable TOML: {_one_line(str(error))[:120]}") from None
    tool = document.get("tool", {})
    if not isinstance(tool, dict):
        raise ConfigError(_shown(path), "'tool' must be a table")
    table = tool.get("nbrefactor")
    if table is None:
        return None
    project = _checked(path, "[tool.nbrefactor]", _snake_keys(_table(path, "[tool.nbrefactor]", table)), PROJECT_KEYS)
    patterns = _table(path, "[tool.nbrefactor.notebooks]", project.pop("notebooks", {}))
    notebooks = tuple((pattern, _notebook_table(path, pattern, values)) for pattern, values in patterns.items())
    return Config(path, project, notebooks)


def _notebook_table(path: Path, pattern: str, values: object) -> Dict[str, object]:
    section = f"[tool.nbrefactor.notebooks.{_short(pattern)}]"
    return _checked(path, section, _snake_keys(_table(path, section, values)), NOTEBOOK_KEYS)


def _read_setup_cfg(path: Path) -> Optional[Config]:
    import configparser

    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read_string(_config_text(path), source=str(path))
    except configparser.Error as error:
        raise ConfigError(_shown(path), f"cannot read: {_one_line(str(error))}") from None
    names = [name for name in parser.sections() if name == "nbrefactor" or name.startswith("nbrefactor:")]
    if not names:
        return None
    tables = {name: _cfg_values(dict(parser.items(name))) for name in names}
    project = _checked(path, "[nbrefactor]", tables.pop("nbrefactor", {}), NOTEBOOK_KEYS)
    notebooks = tuple(
        (name.split(":", 1)[1].strip(), _checked(path, f"[{_short(name)[1:-1]}]", values, NOTEBOOK_KEYS)) for name, values in tables.items()
    )
    return Config(path, project, notebooks)


def _cfg_values(raw: Dict[str, str]) -> Dict[str, object]:
    """setup.cfg text -> typed values: lists split on commas and lines, `heading = name` lines for functions."""
    values: Dict[str, object] = {}
    for key, text in _snake_keys(raw).items():
        if key in LIST_KEYS:
            values[key] = [item.strip() for item in text.replace(",", "\n").splitlines() if item.strip()]
        elif key in TABLE_KEYS:
            pairs = [line.rpartition("=") for line in text.splitlines() if line.strip()]
            values[key] = {heading.strip(): name.strip() for heading, _, name in pairs}
        elif key in BOOL_KEYS:
            values[key] = {"true": True, "false": False}.get(text.strip().lower(), text.strip())
        else:
            values[key] = text.strip()
    return values


def _snake_keys(table: Dict[str, object]) -> Dict[str, object]:
    return {key.replace("-", "_"): value for key, value in table.items()}


def _table(path: Path, where: str, value: object) -> Dict[str, object]:
    if not isinstance(value, dict):
        raise ConfigError(_shown(path), f"{where} must be a table")
    return dict(value)


def _checked(path: Path, section: str, values: Dict[str, object], allowed: Tuple[str, ...]) -> Dict[str, object]:
    """`values` after checking every key is known and every value has the right type."""
    for key, value in values.items():
        if key not in allowed:
            raise ConfigError(_shown(path), f"unknown key {_short(key)} in {section}")
        problem = _value_problem(key, value)
        if problem:
            raise ConfigError(_shown(path), f"'{key}' in {section} {problem}")
    return values


def _value_problem(key: str, value: object) -> str:
    """What is wrong with one configuration value, or ""."""
    from .findings import CODES
    from .rules import RULES

    if key in TEXT_KEYS:
        return _text_problem(value) or _choice_problem(key, value)
    if key in LIST_KEYS:
        if not (isinstance(value, list) and len(value) <= MAX_ITEMS and all(isinstance(item, str) and not _text_problem(item) for item in value)):
            return f"must be a list of at most {MAX_ITEMS} short strings"
        allowed = {"disabled_rules": RULES, "ignore": CODES}.get(key)
        if allowed is not None and not set(value) <= set(allowed):
            return f"may only name {', '.join(allowed)}"
    if key in TABLE_KEYS:
        return _name_table_problem(value)
    if key in BOOL_KEYS and not isinstance(value, bool):
        return "must be true or false"
    return ""


def _text_problem(value: object) -> str:
    if not isinstance(value, str) or not value:
        return "must be a non-empty string"
    if len(value) > MAX_TEXT:
        return f"is longer than {MAX_TEXT} characters"
    if "\0" in value or not value.isprintable():
        return "holds a control character"
    return ""


def _choice_problem(key: str, value: str) -> str:
    if key == "kind" and value not in KINDS:
        return f"must be one of {', '.join(KINDS)}"
    if key == "format" and value not in FORMATTERS:
        return f"must be one of {', '.join(FORMATTERS)}"
    if key == "name":
        return name_problem(value)
    return ""


def name_problem(name: str) -> str:
    """Why `name` cannot name a module or function, or "". Names must read the same after Python's
    NFKC normalisation of identifiers (`ｍａｉｎ` would be `main`, `ﬁle` would be `file`): such names
    are refused rather than silently changed, so the file written and the name imported agree."""
    if len(name) > MAX_NAME:
        return f"is longer than {MAX_NAME} characters"
    normal = unicodedata.normalize("NFKC", name)
    if normal != name:
        return f"is not in NFKC form (Python reads it as {normal!r}); write {normal!r}"
    if not name.isidentifier():
        return "must be a Python identifier: letters, digits and _, not starting with a digit"
    if keyword.iskeyword(name):
        return "is a Python keyword"
    return ""


def _name_table_problem(value: object) -> str:
    if not isinstance(value, dict) or len(value) > MAX_ITEMS:
        return f"must map at most {MAX_ITEMS} headings to function names"
    for heading, name in value.items():
        problem = _text_problem(name) or name_problem(name) if isinstance(name, str) else "must be a string"
        if _text_problem(heading) or problem:
            return f"maps {_short(heading)} to a bad function name: {problem or 'the heading ' + _text_problem(heading)}"
    return ""


def _short(text: object) -> str:
    shown = repr(text)
    return shown if len(shown) <= 60 else shown[:57] + "..."


def _one_line(text: str) -> str:
    return " ".join(text.split())[:300]


def relative_posix(path: Path, folder: Path) -> str:
    """`path` as seen from `folder`, with forward slashes; its name alone when no relative path exists."""
    try:
        return Path(os.path.relpath(path.resolve(), folder.resolve())).as_posix()
    except ValueError:
        return path.name


def _shown(path: Path) -> str:
    """`path` relative to the working folder when it is under it, for short messages."""
    path = Path(os.path.normpath(path))
    try:
        return path.relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return str(path)
