"""The command line: a thin layer over `nbrefactor.refactor` that reads notebooks and writes files."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Dict, List, Sequence, Tuple

import click

from . import __version__


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="nbrefactor")
def main() -> None:
    """Turn Jupyter notebooks into production scripts with functions and tests."""


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
@click.pass_context
def convert(ctx: click.Context, notebooks: Sequence[str], check: bool, diff: bool, force: bool, **flags) -> None:
    """Convert NOTEBOOKS into scripts and tests. Never runs notebook code."""
    from .model import NotebookError
    from .writer import WriteError

    try:
        converted = [_convert_one(path, flags) for path in notebooks]
        planned = _survey(converted)
    except (NotebookError, WriteError) as error:
        click.echo(f"error: {error}" if isinstance(error, WriteError) else str(error), err=True)
        ctx.exit(2)
    ctx.exit(_report(converted, planned, check=check, diff=diff, force=force, strict=bool(flags.get("strict"))))


def _settings(notebook: Path, flags: Dict):
    from .config import Settings

    return Settings().merged(**{key: value for key, value in flags.items() if key != "output_dir"})


def _convert_one(path: str, flags: Dict):
    """Read one notebook and convert it: (notebook path, Result, output folder)."""
    from .pipeline import refactor

    notebook = Path(path)
    text = _read(notebook)
    output_dir = Path(flags.get("output_dir") or notebook.parent)
    label = _relative(notebook, output_dir)
    result = refactor(text, path=path, settings=_settings(notebook, flags), source_label=label)
    return notebook, result, output_dir


def _read(path: Path) -> str:
    from .model import NotebookError

    if path.is_dir():
        raise NotebookError(str(path), "is a directory, not a notebook")
    try:
        return path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        raise NotebookError(str(path), "no such file")
    except UnicodeDecodeError as error:
        raise NotebookError(str(path), f"not UTF-8 text (byte {error.start})")
    except OSError as error:
        raise NotebookError(str(path), f"cannot read: {error.strerror or error}")


def _relative(notebook: Path, output_dir: Path) -> str:
    import os

    try:
        return Path(os.path.relpath(notebook.resolve(), output_dir.resolve())).as_posix()
    except ValueError:
        return notebook.name


def _survey(converted):
    from .writer import WriteError, survey

    owners: Dict[Path, Path] = {}
    outputs: List[Tuple[Path, str]] = []
    for notebook, result, output_dir in converted:
        for name, text in result.files:
            target = output_dir / name
            key = target.resolve()
            if key in owners and owners[key] != notebook:
                raise WriteError(f"{owners[key]} and {notebook} would both write {target}; separate them with --name or -o")
            owners[key] = notebook
            outputs.append((target, text))
    return survey(outputs)


def _report(converted, planned, *, check: bool, diff: bool, force: bool, strict: bool) -> int:
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
    return 1 if strict and findings else 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
