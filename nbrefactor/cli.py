"""The command line: a thin layer over `nbrefactor.refactor` that reads notebooks and writes files.

Every notebook given is processed and every problem reported; the exit status is the worst: 0 success,
1 when findings fail the run (errors always, warnings with --strict), a check finds a stale output or
a file is protected, 2 for bad input. Messages are collected while the notebooks are processed and
printed at the end, as lines on stderr or as one JSON document on stdout (`--format json`).
"""
from __future__ import annotations

import gc
import sys
import warnings
from dataclasses import dataclass, field
from typing import Dict, List, Sequence

import click

from . import __version__

FEW_NOTEBOOKS = 3  # a progress bar appears, on a terminal, for more notebooks than this
FORMATS = click.Choice(["text", "json"])
KINDS = click.Choice(["auto", "train", "score", "script"])


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="nbrefactor")
def main() -> None:
    """Turn Jupyter notebooks into production scripts with functions and tests."""


def run() -> None:
    """The `nbrefactor` process. It is short-lived and builds large syntax trees, which the cyclic
    garbage collector would rescan again and again for little memory back, so it is switched off."""
    gc.disable()
    quiet_dependency_warnings()
    try:
        main()
    except KeyboardInterrupt:
        click.echo("nbrefactor: interrupted", err=True)
        sys.exit(130)


def quiet_dependency_warnings() -> None:
    """Deprecation notices from the libraries nbrefactor imports are not the user's to act on, and would
    break the one-line messages hooks and editors read."""
    for category in (DeprecationWarning, PendingDeprecationWarning):
        warnings.simplefilter("ignore", category)


def safe(text: str) -> str:
    """`text` printable on any terminal: bytes of non-UTF-8 file names shown as replacement characters."""
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


MAX_MESSAGE = 500  # characters of one error line


def one_line(message: str) -> str:
    """An error as one line of reasonable length: an editor or hook reads one line per problem."""
    flat = " ".join(message.split())
    return flat if len(flat) <= MAX_MESSAGE else flat[: MAX_MESSAGE - 3] + "..."


@dataclass
class Messages:
    """What a command has to say, printed once at the end as text lines or as one JSON document."""

    command: str
    json: bool = False
    quiet: bool = False
    verbose: bool = False
    status: int = 0
    lines: List[str] = field(default_factory=list)  # stderr, in order
    stdout: List[str] = field(default_factory=list)
    document: Dict[str, list] = field(default_factory=lambda: {key: [] for key in ("notebooks", "files", "findings", "changes", "errors")})

    def fail(self, status: int) -> None:
        self.status = max(self.status, status)

    def error(self, path: str, message: str) -> None:
        self.fail(2)
        message = one_line(message)
        self.lines.append(message)
        self.document["errors"].append({"path": safe(path), "message": safe(message)})

    def say(self, line: str, *, level: int = 1) -> None:
        """A line for the reader: level 0 always, 1 unless --quiet, 2 only with --verbose."""
        if level == 0 or (level == 1 and not self.quiet) or (level == 2 and self.verbose):
            self.lines.append(line)

    def finish(self) -> int:
        if self.json:
            import json

            document = {"nbrefactor": __version__, "schema": 1, "command": self.command, "exit_status": self.status, **self.document}
            click.echo(json.dumps(document, indent=2, ensure_ascii=False).encode("utf-8", "surrogateescape").decode("utf-8", "replace"))
            return self.status
        for text in self.stdout:
            click.echo(safe(text), nl=False)
        for line in self.lines:
            click.echo(safe(line), err=True)
        return self.status

    def progress(self, items: Sequence, label: str, always: bool = False):
        """click's progress bar over `items` on a terminal, for many items (or `always`); else the items."""
        if self.json or self.quiet or not sys.stderr.isatty() or not (always or len(items) > FEW_NOTEBOOKS):
            return _Plain(items)
        return click.progressbar(items, label=label, file=sys.stderr, show_pos=True, item_show_func=lambda item: str(item or "")[-40:])


class _Plain:
    def __init__(self, items):
        self.items = items

    def __enter__(self):
        return self.items

    def __exit__(self, *exc):
        return False


def common_options(function):
    for option in reversed(
        [
            click.option("--format", "output_format", type=FORMATS, default="text", show_default=True, help="text lines on stderr, or one JSON document on stdout."),
            click.option("-q", "--quiet", is_flag=True, help="Print only what fails the run."),
            click.option("-v", "--verbose", is_flag=True, help="Also print unchanged files, up-to-date notebooks and ignored findings."),
        ]
    ):
        function = option(function)
    return function


@main.command()
@click.argument("notebooks", nargs=-1, required=True)
@click.option("-o", "--output-dir", help="Folder for the generated files (default: the notebook's folder).")
@click.option("--kind", type=KINDS, default=None, help="Script to produce; auto detects scoring notebooks.")
@click.option("--name", default=None, help="Output module name, a Python identifier (default: train or score).")
@click.option("--strict", is_flag=True, default=None, help="Exit 1 on warnings too (errors always fail).")
@click.option("--check", is_flag=True, help="Write nothing; exit 1 if any output is missing, stale or edited, or errors are found.")
@click.option("--diff", is_flag=True, help="Write nothing; print a unified diff of what would change.")
@click.option("--force", is_flag=True, help="Overwrite generated files edited by hand, owned by another notebook, or not written by nbrefactor.")
@click.option("--template-dir", default=None, help="Folder whose templates replace the defaults by name.")
@click.option("--requirements", is_flag=True, default=None, help="Also write requirements-<name>.txt: the notebook's pip installs, then the distributions of the script's imports.")
@click.option("--report", "report_file", default=None, help="Also write a Markdown review of the conversion (inside the current or the output folder).")
@click.option("--fail-on-write", is_flag=True, help="Exit 1 when a file was written (pre-commit notices changes to tracked files only).")
@click.option("--record", is_flag=True, help="EXECUTES the generated script (twice, in the notebook's folder, writing what it writes) and records each function's first call as fixtures and tests in test_<name>_recorded.py.")
@click.option("--record-timeout", type=float, default=600, show_default=True, help="Seconds each recording run may take.")
@click.option("--python", "python", default=sys.executable, show_default="this Python", help="Interpreter that runs the script for --record.")
@common_options
@click.pass_context
def convert(ctx: click.Context, notebooks: Sequence[str], output_format: str, quiet: bool, verbose: bool, **options) -> None:
    """Convert NOTEBOOKS into scripts and tests. Never runs notebook code, unless --record asks to run the script."""
    from .conversion import Mode, convert_all

    messages = Messages("convert", output_format == "json", quiet, verbose)
    mode = Mode.from_options(options)
    convert_all(notebooks, mode, messages)
    ctx.exit(messages.finish())


@main.command()
@click.argument("notebooks", nargs=-1, required=True)
@click.option("--kind", type=KINDS, default=None, help="Script to produce; auto detects scoring notebooks.")
@click.option("--timeout", type=float, default=600, show_default=True, help="Seconds each run may take.")
@click.option("--python", "python", default=sys.executable, show_default="this Python", help="Interpreter of the notebook's kernel and of the script.")
@common_options
@click.pass_context
def verify(ctx: click.Context, notebooks: Sequence[str], timeout: float, python: str, kind, output_format: str, quiet: bool, verbose: bool) -> None:
    """EXECUTES each notebook (twice, in a Jupyter kernel, magics included) and its conversion (as a
    script), each in a fresh copy of the notebook's folder, and compares exit status, stdout, files
    written and final values; what differs between the notebook's own two runs is compared by type and
    shape only. Exit 0 when equivalent, 1 when different, 2 when it cannot run or cannot tell."""
    from .conversion import verify_all

    messages = Messages("verify", output_format == "json", quiet, verbose)
    verify_all(notebooks, {"kind": kind}, python, timeout, messages)
    ctx.exit(messages.finish())


@main.command()
@click.argument("notebooks", nargs=-1, required=True)
@click.option("--kind", type=KINDS, default=None, help="Script to produce; auto detects scoring notebooks.")
@click.option("--name", default=None, help="Output module name (default: train or score).")
@common_options
@click.pass_context
def explain(ctx: click.Context, notebooks: Sequence[str], output_format: str, quiet: bool, verbose: bool, **flags) -> None:
    """Print a Markdown review of how NOTEBOOKS convert: functions, lifted settings, removals, findings. Writes nothing."""
    from .conversion import explain_all

    messages = Messages("explain", output_format == "json", quiet, verbose)
    explain_all(notebooks, flags, messages)
    ctx.exit(messages.finish())


if __name__ == "__main__":  # pragma: no cover
    run()
