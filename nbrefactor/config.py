"""Settings, frozen: defaults, then `[tool.nbrefactor]` (pyproject.toml) or `[nbrefactor]` (setup.cfg), then flags.

The configuration is found by walking up from a notebook's folder: the first `pyproject.toml` with a
`[tool.nbrefactor]` table, or `setup.cfg` with an `[nbrefactor]` section, wins. Paths in it are relative
to the file that holds them. Per-notebook tables (`[tool.nbrefactor.notebooks."PATTERN"]`, or
`[nbrefactor:PATTERN]` in setup.cfg) apply to notebooks whose path, relative to that file, matches.
"""
from __future__ import annotations

import fnmatch
import hashlib
import os
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Dict, Optional, Tuple

from .model import NotebookError

KINDS = ("auto", "train", "score", "script")
TEXT_KEYS = ("output_dir", "kind", "name", "template_dir")
LIST_KEYS = ("pure_methods", "disabled_rules")
TABLE_KEYS = ("functions",)
NOTEBOOK_KEYS = TEXT_KEYS + LIST_KEYS + TABLE_KEYS
PROJECT_KEYS = NOTEBOOK_KEYS + ("notebooks",)


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
        chosen = {f.name: getattr(self, f.name) for f in fields(self) if f.name not in ("output_dir", "strict")}
        chosen["template_dir"] = folder_digest(self.template_dir) if self.template_dir else None
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

    def settings_for(self, notebook: Path) -> Settings:
        values = self.values_for(notebook)
        folder = self.path.parent
        return Settings().merged(
            kind=values.get("kind"),
            name=values.get("name"),
            output_dir=_shown(folder / values["output_dir"]) if "output_dir" in values else None,
            template_dir=str(folder / values["template_dir"]) if "template_dir" in values else None,
            names=tuple(values.get("functions", {}).items()),
            pure_methods=tuple(values.get("pure_methods", ())),
            disabled_rules=tuple(values.get("disabled_rules", ())),
        )


def settings_for(notebook: Path, flags: Dict[str, object]) -> Settings:
    """The settings for one notebook: its configuration file (if any), then the flags given."""
    config = find_config(notebook.resolve().parent)
    base = config.settings_for(notebook) if config else Settings()
    return base.merged(**flags)


def find_config(folder: Path) -> Optional[Config]:
    """The first configuration file with an nbrefactor section, from `folder` up to the root."""
    for directory in (folder, *folder.parents):
        for name, reader in (("pyproject.toml", _read_pyproject), ("setup.cfg", _read_setup_cfg)):
            candidate = directory / name
            if candidate.is_file():
                config = reader(candidate)
                if config is not None:
                    return config
    return None


def _read_pyproject(path: Path) -> Optional[Config]:
    try:
        import tomllib
    except ImportError:  # Python < 3.11
        import tomli as tomllib
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise ConfigError(_shown(path), f"cannot read: {error}")
    table = document.get("tool", {}).get("nbrefactor")
    if table is None:
        return None
    project = _checked(path, "[tool.nbrefactor]", _snake_keys(_table(path, "[tool.nbrefactor]", table)), PROJECT_KEYS)
    patterns = _table(path, "[tool.nbrefactor.notebooks]", project.pop("notebooks", {}))
    notebooks = tuple((pattern, _notebook_table(path, pattern, values)) for pattern, values in patterns.items())
    return Config(path, project, notebooks)


def _notebook_table(path: Path, pattern: str, values: object) -> Dict[str, object]:
    section = f'[tool.nbrefactor.notebooks."{pattern}"]'
    return _checked(path, section, _snake_keys(_table(path, section, values)), NOTEBOOK_KEYS)


def _read_setup_cfg(path: Path) -> Optional[Config]:
    import configparser

    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read_string(path.read_text(encoding="utf-8"), source=str(path))
    except (OSError, UnicodeDecodeError, configparser.Error) as error:
        raise ConfigError(_shown(path), f"cannot read: {error}")
    names = [name for name in parser.sections() if name == "nbrefactor" or name.startswith("nbrefactor:")]
    if not names:
        return None
    tables = {name: _cfg_values(dict(parser.items(name))) for name in names}
    project = _checked(path, "[nbrefactor]", tables.pop("nbrefactor", {}), NOTEBOOK_KEYS)
    notebooks = tuple(
        (name.split(":", 1)[1].strip(), _checked(path, f"[{name}]", values, NOTEBOOK_KEYS)) for name, values in tables.items()
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
            raise ConfigError(_shown(path), f"unknown key '{key}' in {section}")
        problem = _value_problem(key, value)
        if problem:
            raise ConfigError(_shown(path), f"'{key}' in {section} {problem}")
    return values


def _value_problem(key: str, value: object) -> str:
    """What is wrong with one configuration value, or ""."""
    from .rules import RULES

    if key in TEXT_KEYS and (not isinstance(value, str) or not value):
        return "must be a non-empty string"
    if key == "kind" and value not in KINDS:
        return f"must be one of {', '.join(KINDS)}"
    if key == "name" and not value.isidentifier():
        return "must be a Python module name"
    if key in LIST_KEYS and not (isinstance(value, list) and all(isinstance(item, str) for item in value)):
        return "must be a list of strings"
    if key == "disabled_rules" and not set(value) <= set(RULES):
        return f"may only name the rules {', '.join(RULES)}"
    if key in TABLE_KEYS and not _is_name_table(value):
        return "must map headings to function names"
    return ""


def _is_name_table(value: object) -> bool:
    return isinstance(value, dict) and all(isinstance(k, str) and isinstance(v, str) and v.isidentifier() for k, v in value.items())


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
