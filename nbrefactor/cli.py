"""The command line: a thin layer over `nbrefactor.refactor` that reads notebooks and writes files."""
from __future__ import annotations

import gc
import sys
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Sequence, Tuple

import click

from . import __version__


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="nbrefactor")
def main() -> None:
    """Turn Jupyter notebooks into production scripts with functions and tests."""


def run() -> None:
    """The `nbrefactor` process. It is short-lived and builds large syntax trees, which the cyclic
    garbage collector would rescan again and again for little memory back, so it is switched off."""
    gc.disable()
    quiet_dependency_warnings()
    main()


def quiet_dependency_warnings() -> None:
    """Deprecation notices from the libraries nbrefactor imports are not the user's to act on, and would
    break the one-line messages hooks and editors read."""
    for category in (DeprecationWarning, PendingDeprecationWarning):
        warnings.simplefilter("ignore", category)


@main.command()
@click.argument("notebooks", nargs=-1, required=True, type=click.Path())
@click.option("-o", "--output-dir", help="Folder for the generated files (default: the notebook's folder).")
@click.option("--kind", type=click.Choice(["auto", "train", "score"]), default=None, help="Script to produce; auto detects scoring notebooks.")
@click.option("--name", default=None, help="Output module name (default: train or score).")
@click.option("--strict", is_flag=True, default=None, help="Exit 1 when there are findings.")
@click.option("--check", is_flag=True, help="Write nothing; exit 1 if any output is missing, stale or edited.")
@click.option("--diff", is_flag=True, help="Write nothing; print a unified diff of what would change.")
@click.option("--force", is_flag=True, help="Overwrite generated files edited by hand, and files nbrefactor did not write.")
@click.option("--template-dir", type=click.Path(file_okay=False), default=None, help="Folder whose templates replace the defaults by name.")
@click.option("--report", "report_file", type=click.Path(dir_okay=False), default=None, help="Also write a Markdown review of the conversion, for a pull request.")
@click.option("--fail-on-write", is_flag=True, help="Exit 1 when a file was written (pre-commit notices changes to tracked files only).")
@click.option("--record", is_flag=True, help="EXECUTES the generated script (twice, in the notebook's folder, writing what it writes) and records each function's first call as fixtures and tests in test_<name>_recorded.py.")
@click.option("--record-timeout", type=float, default=600, show_default=True, help="Seconds each recording run may take.")
@click.option("--python", "python", default=sys.executable, show_default="this Python", help="Interpreter that runs the script for --record.")
@click.pass_context
def convert(ctx: click.Context, notebooks: Sequence[str], check: bool, diff: bool, force: bool, report_file, fail_on_write: bool, record: bool, record_timeout: float, python: str, **flags) -> None:
    """Convert NOTEBOOKS into scripts and tests. Never runs notebook code, unless --record asks to run the script."""
    from .model import NotebookError
    from .writer import WriteError

    try:
        if check and not (diff or report_file or flags.get("strict")) and _all_up_to_date(notebooks, flags):
            ctx.exit(0)
        converted = [_convert_one(path, flags) for path in notebooks]
        planned = _survey(converted)
        if report_file:
            _write_review(report_file, converted)
    except (NotebookError, WriteError) as error:
        click.echo(f"error: {error}" if isinstance(error, WriteError) else str(error), err=True)
        ctx.exit(2)
    strict = bool(flags.get("strict"))
    status = _report(converted, planned, check=check, diff=diff, force=force, strict=strict, fail_on_write=fail_on_write)
    if record and status == 0 and not (check or diff):
        status = _record(converted, python, record_timeout, force)
    ctx.exit(status)


def _record(converted, python: str, timeout: float, force: bool) -> int:
    from .record import record_all

    return record_all(converted, python=python, timeout=timeout, force=force, echo=lambda line: click.echo(line, err=True))


@main.command()
@click.argument("notebook", type=click.Path())
@click.option("--kind", type=click.Choice(["auto", "train", "score"]), default=None, help="Script to produce; auto detects scoring notebooks.")
@click.option("--timeout", type=float, default=600, show_default=True, help="Seconds each run may take.")
@click.option("--python", "python", default=sys.executable, show_default="this Python", help="Interpreter of the notebook's kernel and of the script.")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True, help="json: one JSON document on stdout.")
@click.pass_context
def verify(ctx: click.Context, notebook: str, timeout: float, python: str, kind, output_format: str) -> None:
    """EXECUTES NOTEBOOK (twice, in a Jupyter kernel, magics included) and its conversion (as a script),
    each in a fresh copy of the notebook's folder, and compares exit status, stdout, files written and
    final values; what differs between the notebook's own two runs is compared by type and shape only.
    Exit 0 when equivalent, 1 when different, 2 when it cannot run or cannot tell."""
    from .verify import main as verify_main

    output, to_stderr, status = verify_main(Path(notebook), python=python, timeout=timeout, flags={"kind": kind}, output_format=output_format)
    click.echo(output, nl=False, err=to_stderr)
    ctx.exit(status)


@main.command()
@click.argument("notebooks", nargs=-1, required=True, type=click.Path())
@click.option("--kind", type=click.Choice(["auto", "train", "score"]), default=None, help="Script to produce; auto detects scoring notebooks.")
@click.option("--name", default=None, help="Output module name (default: train or score).")
@click.pass_context
def explain(ctx: click.Context, notebooks: Sequence[str], **flags) -> None:
    """Print a Markdown review of how NOTEBOOKS convert: functions, lifted settings, removals, findings. Writes nothing."""
    from .model import NotebookError

    try:
        converted = [_convert_one(path, flags) for path in notebooks]
    except NotebookError as error:
        click.echo(str(error), err=True)
        ctx.exit(2)
    click.echo(_review(converted), nl=False)


def _review(converted) -> str:
    from .report import review

    return review([(str(notebook), result) for notebook, result, _ in converted])


def _write_review(path: str, converted) -> None:
    from .writer import WriteError

    try:
        Path(path).write_text(_review(converted), encoding="utf-8")
    except OSError as error:
        raise WriteError(f"{path}: cannot write: {error.strerror or error}")


def _settings(notebook: Path, flags: Dict):
    from .config import settings_for

    return settings_for(notebook, flags)


@dataclass(frozen=True)
class _Source:
    """One notebook as read from disk, with the settings and output folder that apply to it."""

    notebook: Path
    text: str
    settings: object
    output_dir: Path
    label: str  # the notebook's path as seen from the output folder


def _source(path: str, flags: Dict) -> _Source:
    from .config import relative_posix
    from .textnotebook import read_notebook_file

    notebook = Path(path)
    text = read_notebook_file(notebook)
    settings = _settings(notebook, flags)
    output_dir = Path(settings.output_dir or notebook.parent)
    return _Source(notebook, text, settings, output_dir, relative_posix(notebook, output_dir))


def _all_up_to_date(notebooks: Sequence[str], flags: Dict) -> bool:
    """--check's fast path: each notebook's script and test already carry its current source digest.

    The digest covers code, markdown, tags, settings and nbrefactor's version, so such files are what a
    conversion would write; findings are not repeated. In any doubt the notebooks are converted.
    """
    from .pipeline import source_digest

    for path in notebooks:
        source = _source(path, flags)
        digest = source_digest(source.text, source.settings)
        modules = [source.settings.name] if source.settings.name else ["train", "score"]
        current = [
            module for module in modules
            if all(_is_current(source.output_dir / name, source.label, digest) for name in (f"{module}.py", f"test_{module}.py"))
        ]
        if len(current) != 1 or source.settings.template_dir:
            return False
    return True


def _is_current(path: Path, label: str, digest: str) -> bool:
    """True for a generated file, unedited, whose header names this notebook and this source digest."""
    from .render import parse_header, with_header

    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    header = parse_header(text)
    first_line = with_header("", label, digest).split("\n", 1)[0]
    return header is not None and header["body_ok"] == "True" and header.get("source") == digest and text.startswith(first_line + "\n")


def _convert_one(path: str, flags: Dict):
    """Read one notebook and convert it: (notebook path, Result, output folder)."""
    from .pipeline import refactor

    source = _source(path, flags)
    result = refactor(source.text, path=path, settings=source.settings, source_label=source.label)
    return source.notebook, result, source.output_dir


def _survey(converted):
    from .writer import WriteError, survey

    owners: Dict[Path, Path] = {}
    outputs: List[Tuple[Path, str]] = []
    for notebook, result, output_dir in converted:
        for name, text in result.files:
            target = output_dir / name
            key = target.resolve()
            if key == notebook.resolve():
                raise WriteError(f"{notebook} would be overwritten by its own {name}; choose another --name or -o")
            if key in owners and owners[key] != notebook:
                raise WriteError(f"{owners[key]} and {notebook} would both write {target}; separate them with --name or -o")
            owners[key] = notebook
            outputs.append((target, text))
    return survey(outputs)


def _report(converted, planned, *, check: bool, diff: bool, force: bool, strict: bool, fail_on_write: bool = False) -> int:
    from .writer import UNCHANGED, WriteError, unified_diff, write_all

    findings = [f.format(str(notebook)) for notebook, result, _ in converted for f in result.findings]
    for line in findings:
        click.echo(line, err=True)
    changed = [item for item in planned if item.state != UNCHANGED]
    if diff:
        for item in changed:
            click.echo(unified_diff(item, item.path.as_posix()), nl=False)
    if check or diff:
        for item in changed:
            click.echo(f"would change {item.path} ({item.state})", err=True)
        return 1 if changed or (strict and findings) else 0
    blocked = [item for item in changed if item.blocked and not force]
    if blocked:
        for item in blocked:
            click.echo(f"refusing to overwrite {item.path}: {item.state}; use --force to replace it", err=True)
        return 1
    try:
        write_all(changed)
    except WriteError as error:
        click.echo(f"error: {error}", err=True)
        return 2
    for item in changed:
        click.echo(f"wrote {item.path}", err=True)
    _hint_git_add([item.path for item in planned])
    return 1 if (strict and findings) or (fail_on_write and changed) else 0


def _hint_git_add(paths: List[Path]) -> None:
    from .githint import git_add_hint

    hint = git_add_hint(paths)
    if hint:
        click.echo(hint, err=True)


if __name__ == "__main__":  # pragma: no cover
    run()
