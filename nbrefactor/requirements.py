"""`requirements.txt` for a converted notebook: what its `!pip install` lines asked for, and what it imports.

What a requirement line says, and why:

- a package named on a `pip install` line (`!pip`, `%pip`, `!python -m pip`, `pip3`) is listed as
  written there, with its version specifier and extras; no line gets a version pin the notebook did not
  write (the notebook ran with whatever was installed, and a pin guessed from the converter's
  environment would be a claim nobody checked). When the notebook installs a package twice, the last
  request wins, as it did when the cells ran;
- options are parsed so that their values are never read as packages (`-r file`, `-c file`,
  `-e path`, `-i url`, `--target dir`, ...); requirement files, editable installs, local paths and
  URLs are not merged into the list but named in a comment, so nothing is dropped silently;
- a third-party module the notebook imports is listed by its distribution's name, from the metadata of
  the environment the converter runs in (`importlib.metadata.packages_distributions()`), or, for a
  module that environment lacks, from `KNOWN_DISTRIBUTIONS`; a module found in neither is named in a
  comment at the end, not as a requirement: installing the distribution that happens to share a
  module's name is how typo-squatted packages get in;
- lines are sorted by normalised name (PEP 503) and each distribution appears once; `pip` itself,
  upgraded by many notebooks, is not a requirement of the script.
"""
import re
import shlex
from typing import Dict, Iterable, List, Mapping, Optional, Sequence, Tuple

from nbrefactor.imports import is_stdlib

# Import names whose distribution is named differently, or commonly missing from the converter's
# environment. Used only when the environment's metadata does not know the module.
KNOWN_DISTRIBUTIONS = {
    "bs4": "beautifulsoup4",
    "cv2": "opencv-python",
    "dateutil": "python-dateutil",
    "IPython": "ipython",
    "joblib": "joblib",
    "matplotlib": "matplotlib",
    "numpy": "numpy",
    "pandas": "pandas",
    "PIL": "Pillow",
    "scipy": "scipy",
    "seaborn": "seaborn",
    "skimage": "scikit-image",
    "sklearn": "scikit-learn",
    "statsmodels": "statsmodels",
    "sympy": "sympy",
    "yaml": "PyYAML",
}

# pip options followed by a value in the next word (when not written as --option=value).
_OPTIONS_WITH_VALUE = frozenset({
    "-c", "--constraint", "-e", "--editable", "-r", "--requirement", "-t", "--target", "--platform",
    "--python-version", "--implementation", "--abi", "--root", "--prefix", "--src", "--upgrade-strategy",
    "-C", "--config-settings", "--global-option", "--install-option", "--no-binary", "--only-binary",
    "--progress-bar", "--root-user-action", "--report", "-i", "--index-url", "--extra-index-url",
    "-f", "--find-links", "--log", "--proxy", "--retries", "--timeout", "--exists-action",
    "--trusted-host", "--cert", "--client-cert", "--cache-dir", "--python", "--keyring-provider",
    "--use-feature", "--use-deprecated", "--resume-retries", "--group",
})
# Options whose value is itself a source of packages: named in a comment.
_SOURCE_OPTIONS = frozenset({"-r", "--requirement", "-e", "--editable", "-c", "--constraint"})
_SHELL_OPERATORS = frozenset({"&&", "||", ";", "|", "&"})
_NAME = re.compile(r"^([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*(\[[^\]]*\])?\s*(.*)$")
_VERSION = re.compile(r"^\s*((~=|===|==|!=|<=|>=|<|>)\s*[A-Za-z0-9.*+!_-]+\s*(,\s*(?=[~=!<>])|$))*$")
# Installing the installer itself is not a requirement of the script.
_NOT_REQUIREMENTS = frozenset({"pip"})
_PIP = re.compile(r"^pip[0-9.]*$")


def requirements_txt(
    pip_lines: Iterable[str],
    imported_modules: Iterable[str],
    distributions: Optional[Mapping[str, Sequence[str]]] = None,
) -> str:
    """The text of requirements.txt ("" when there is nothing to require).

    `pip_lines`: the notebook's install lines as written (`!pip install -q pandas==2.2`).
    `imported_modules`: modules the notebook imports from outside the project (dotted names allowed;
    standard-library modules are skipped). `distributions`: module -> distributions providing it;
    by default, read from the running environment.
    """
    requested, notes = _pip_requests(pip_lines)
    return _text(requested, notes, imported_modules, distributions)


def requirements_for(specs: Iterable[str], imported_modules: Iterable[str], distributions: Optional[Mapping[str, Sequence[str]]] = None) -> str:
    """The same text from requirement specifiers already read off the install lines (`xgboost>=2`)."""
    return _text(_requests(specs), [], imported_modules, distributions)


def _text(requested: Dict[str, str], notes: List[str], imported_modules: Iterable[str], distributions) -> str:
    mapping = environment_distributions() if distributions is None else distributions
    wanted = dict(requested)
    unmapped = []
    for module in sorted({name.split(".")[0] for name in imported_modules if name and not is_stdlib(name)}):
        found = _distributions_of(module, mapping)
        if len(found) == 1:
            wanted.setdefault(_normalized(found[0]), found[0])
        elif _normalized(module) not in requested:
            unmapped.append(_unmapped_note(module, found))
    lines = [wanted[key] for key in sorted(wanted)]
    lines += [f"# not included: pip install {note}" for note in notes]
    return "".join(line + "\n" for line in lines + unmapped)


def environment_distributions() -> Mapping[str, Sequence[str]]:
    """Module -> distributions, as the running environment's installed metadata says.

    Python 3.9's importlib.metadata cannot say; there the `importlib_metadata` backport is used when
    installed, else nothing is known and KNOWN_DISTRIBUTIONS alone maps modules.
    """
    try:
        from importlib.metadata import packages_distributions
    except ImportError:
        try:
            from importlib_metadata import packages_distributions
        except ImportError:
            return {}
    return packages_distributions()


def pip_requirements(line: str) -> Tuple[List[str], List[str]]:
    """(requirement specifiers, notes about what was left out) of one `!pip install ...` line."""
    try:
        words = _shell_words(line.strip().lstrip("!%").strip())
    except ValueError:
        return [], [f"{line.strip()} (could not be parsed)"]
    specs: List[str] = []
    notes: List[str] = []
    for command in _commands(words):
        if _is_pip_install(command):
            _read_install(command[command.index("install") + 1:], specs, notes)
    return specs, notes


def _shell_words(command: str) -> List[str]:
    """Words as the shell splits them, with `;`, `&&`, `|` as words of their own (`>=` stays in its word)."""
    lexer = shlex.shlex(command, posix=True, punctuation_chars=";&|")
    lexer.whitespace_split = True
    lexer.commenters = "#"
    return list(lexer)


def _pip_requests(pip_lines: Iterable[str]) -> Tuple[Dict[str, str], List[str]]:
    """Normalised name -> the last specifier that named it; notes in order, without repeats."""
    requested: Dict[str, str] = {}
    notes: List[str] = []
    for line in pip_lines:
        specs, line_notes = pip_requirements(line)
        requested.update(_requests(specs))
        notes += [note for note in line_notes if note not in notes]
    return requested, notes


def _requests(specs: Iterable[str]) -> Dict[str, str]:
    """Normalised name -> the last specifier that named it (`pip` itself left out)."""
    requested: Dict[str, str] = {}
    for spec in specs:
        match = _NAME.match(spec)
        name = _normalized(match.group(1)) if match else ""
        if name and name not in _NOT_REQUIREMENTS:
            requested[name] = spec
    return requested


def _commands(words: List[str]) -> List[List[str]]:
    commands: List[List[str]] = [[]]
    for word in words:
        if word in _SHELL_OPERATORS:
            commands.append([])
        else:
            commands[-1].append(word)
    return commands


def _is_pip_install(command: List[str]) -> bool:
    """`pip install`, `pip3 -q install`, `python -m pip install`, `{sys.executable} -m pip install`."""
    if "install" not in command:
        return False
    head = [word for word in command[: command.index("install")] if word == "-m" or not word.startswith("-")]
    if not head or not _PIP.match(head[-1].replace("\\", "/").split("/")[-1]):
        return False
    return len(head) == 1 or head[-2] == "-m"


def _read_install(words: List[str], specs: List[str], notes: List[str]) -> None:
    index = 0
    while index < len(words):
        word = words[index]
        if word.startswith("-"):
            option, _, value = word.partition("=")
            takes_value = option in _OPTIONS_WITH_VALUE and not value
            if option in _SOURCE_OPTIONS:
                notes.append(f"{option} {value or (words[index + 1] if index + 1 < len(words) else '')}".strip())
            index += 2 if takes_value else 1
            continue
        spec = _specifier(word)
        if spec is None:
            notes.append(word)
        else:
            specs.append(spec)
        index += 1


def _specifier(word: str) -> Optional[str]:
    """The requirement as it goes in the file, or None for a path, URL or unexpanded variable."""
    match = _NAME.match(word)
    direct = match is not None and match.group(3).startswith("@")
    if match is None or (not direct and re.search(r"[/\\$]|^[.{~]|://", word)):
        return None
    name, extras, rest = match.groups()
    name += (extras or "").replace(" ", "")
    if direct:
        return f"{name} @ {rest[1:].strip()}"
    version, semicolon, marker = rest.partition(";")
    if not _VERSION.match(version):
        return None
    return name + version.replace(" ", "") + (f"; {marker.strip()}" if semicolon else "")


def _distributions_of(module: str, mapping: Mapping[str, Sequence[str]]) -> List[str]:
    found = sorted(set(mapping.get(module, ())), key=_normalized)
    if not found and module in KNOWN_DISTRIBUTIONS:
        return [KNOWN_DISTRIBUTIONS[module]]
    return found


def _unmapped_note(module: str, found: List[str]) -> str:
    if found:
        return f"# {module}: imported; provided by several distributions: {', '.join(found)}"
    return f"# {module}: imported, but no known distribution provides it"


def _normalized(name: str) -> str:
    """PEP 503: `Scikit_Learn` and `scikit-learn` are one distribution."""
    return re.sub(r"[-_.]+", "-", name).lower()
