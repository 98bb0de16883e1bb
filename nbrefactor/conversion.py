"""The file loop behind the commands: read every notebook, answer from the headers when its outputs are
current, convert the rest, decide every write through the one writer, and tell `Messages` what happened.

Writes are all or none across the notebooks of one call: when any notebook is bad input, or any output
is protected, nothing is written and every problem is reported.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple

from .config import ConfigError, Settings
from .model import NotebookError
from .pipeline import output_names

FLAG_KEYS = ("output_dir", "kind", "name", "strict", "template_dir", "requirements")
SILENCE_HINT = (
    "hint: errors mean the script would fail or differ from the notebook; to accept {codes} on purpose, add "
    'ignore = [{quoted}] under [tool.nbrefactor] in pyproject.toml (or under [tool.nbrefactor.notebooks."{notebook}"] for this notebook only)'
)


@dataclass(frozen=True)
class Mode:
    """How `convert` was asked to run."""

    flags: Dict[str, object]
    check: bool = False
    diff: bool = False
    force: bool = False
    fail_on_write: bool = False
    record: bool = False
    report: Optional[str] = None
    record_timeout: float = 600
    python: str = ""

    @classmethod
    def from_options(cls, options: Dict[str, object]) -> "Mode":
        flags = {key: options.pop(key) for key in FLAG_KEYS}
        return cls(flags=flags, report=options.pop("report_file"), **options)

    @property
    def writes(self) -> bool:
        return not (self.check or self.diff)


@dataclass(frozen=True)
class Source:
    """One notebook as read from disk, with the settings and output folder that apply to it."""

    notebook: Path
    text: str
    settings: Settings
    output_dir: Path
    label: str  # the notebook's path as seen from the output folder

    @property
    def name(self) -> str:
        return str(self.notebook)


@dataclass
class Converted:
    """A notebook's conversion, or (result None) the codes its current outputs' headers record."""

    source: Source
    result: object
    codes: Tuple[str, ...]
    module: str
    digest: str = ""


@dataclass
class Planned:
    notebook: str
    items: list = field(default_factory=list)


def convert_all(notebooks: Sequence[str], mode: Mode, messages) -> None:
    sources = read_sources(notebooks, mode.flags, messages)
    if sources is None:
        return
    fast = not (mode.report or mode.record or messages.json or messages.verbose)
    with messages.progress(sources, "converting") as progress:
        converted = [done for done in (_converted(source, fast, messages) for source in progress) if done]
    tell_findings(converted, messages)
    planned = plan_writes(converted, mode, messages)
    if messages.status < 2 and apply(planned, mode, messages) and mode.record:
        from .record import record_all

        record_all([c for c in converted if c.result is not None], mode, messages)
    _tell_notebooks(sources, converted, messages)


def _tell_notebooks(sources: Sequence[Source], converted: Sequence[Converted], messages) -> None:
    done = {c.source.name: c for c in converted}
    errors = {entry["path"]: entry["message"] for entry in messages.document["errors"]}
    for path in dict.fromkeys([*(s.name for s in sources), *errors]):
        entry = done.get(path)
        status = "error" if path in errors else "up-to-date" if entry and entry.result is None else "converted"
        kind = entry.result.plan.kind if entry and entry.result is not None else None
        module = entry.module if entry else None
        told = {"path": path, "status": status, "module": module, "kind": kind, "error": errors.get(path)}
        if entry and entry.result is not None:
            told["requirements"] = list(entry.result.plan.requirements)  # what `pip install` lines asked for
        messages.document["notebooks"].append(told)


def read_sources(notebooks: Sequence[str], flags: Dict[str, object], messages) -> Optional[List[Source]]:
    """Every notebook that can be read, with its settings; None when the flags themselves are unusable."""
    from .config import check_flags

    try:
        check_flags(flags)
    except ConfigError as error:
        messages.error(error.path, str(error))
        return None
    sources = []
    for path in notebooks:
        try:
            sources.append(_source(path, flags))
        except NotebookError as error:
            messages.error(path, str(error))
    return sources


def _source(path: str, flags: Dict[str, object]) -> Source:
    from .config import relative_posix, settings_for
    from .textnotebook import read_notebook_file

    notebook = Path(path)
    text = read_notebook_file(notebook)
    settings = settings_for(notebook, flags)
    output_dir = Path(settings.output_dir or notebook.parent)
    return Source(notebook, text, settings, output_dir, relative_posix(notebook, output_dir))


def _converted(source: Source, fast: bool, messages) -> Optional[Converted]:
    from .uptodate import source_digest

    digest = source_digest(source.text, source.settings)
    current = from_headers(source, digest) if fast else None
    if current:
        shown = [code for code in current.codes if code not in source.settings.ignore]
        if shown:
            messages.say(f"{source.name}: up to date; its conversion reported {', '.join(shown)} (nbrefactor explain shows where)", level=1)
        return current
    return full_conversion(source, digest, messages)


def from_headers(source: Source, digest: str) -> Optional[Converted]:
    """The notebook's outputs, when their headers show them current and nothing recorded fails the run."""
    from .naming import module_name
    from .uptodate import current_codes, failing, plainly_valid

    try:
        if not plainly_valid(json.loads(source.text)):
            return None
    except (ValueError, RecursionError):
        return None
    modules = [source.settings.name] if source.settings.name else ["train", "score", module_name("script", source.name)]
    outputs = {m: [source.output_dir / name for name in output_names(m, source.settings)] for m in modules}
    found = [(m, current_codes(outputs[m], source.label, digest)) for m in modules]
    found = [(module, codes) for module, codes in found if codes is not None]
    if len(found) != 1 or failing(found[0][1], source.settings.ignore, source.settings.strict):
        return None
    return Converted(source, None, found[0][1], found[0][0], digest)


def full_conversion(source: Source, digest: str, messages) -> Optional[Converted]:
    from .pipeline import refactor

    try:
        result = refactor(source.text, path=source.name, settings=source.settings, source_label=source.label, digest=digest)
    except NotebookError as error:
        messages.error(source.name, str(error))
        return None
    except RecursionError:
        messages.error(source.name, f"{source.name}: nested too deeply to convert")
        return None
    except Exception as error:  # a defect in nbrefactor: one line for hooks and editors, details with --verbose
        _internal_error(source, error, messages)
        return None
    codes = tuple(sorted({finding.code or "unknown" for finding in result.findings}))
    return Converted(source, result, codes, result.plan.output_name, digest)


def _internal_error(source: Source, error: Exception, messages) -> None:
    import traceback

    first = (str(error).strip().splitlines() or [""])[0]
    messages.error(source.name, f"{source.name}: internal error, please report it: {type(error).__name__}: {first}")
    messages.say("".join(traceback.format_exception(type(error), error, error.__traceback__)).rstrip(), level=2)


def tell_findings(converted: Sequence[Converted], messages) -> None:
    """Print each finding (ignored ones only with --verbose); errors, and warnings with --strict, fail the run."""
    failing_codes: Dict[str, List[str]] = {}
    for done in converted:
        if done.result is None:
            continue
        settings = done.source.settings
        for finding in done.result.findings:
            ignored = finding.code in settings.ignore
            fails = not ignored and (finding.severity == "error" or bool(settings.strict))
            _tell_finding(done.source, finding, ignored, fails, messages)
            if fails:
                failing_codes.setdefault(_config_key(done.source.notebook), []).append(finding.code)
    _hint_silencing(failing_codes, messages)


def _config_key(notebook: Path) -> str:
    """The notebook's path as a per-notebook table matches it: from the folder of the configuration
    file that applies, or from the project's top when there is none yet."""
    from .config import find_config, project_root, relative_posix

    try:
        config = find_config(notebook.parent)
    except ConfigError:
        config = None
    return relative_posix(notebook, config.path.parent if config else project_root(notebook.parent))


def _tell_finding(source: Source, finding, ignored: bool, fails: bool, messages) -> None:
    line = finding.format(source.name)
    messages.say(line + (" (ignored)" if ignored else ""), level=2 if ignored else 0 if fails else 1)
    messages.document["findings"].append(finding_json(source.name, finding, ignored))
    if fails:
        messages.fail(1)


def finding_json(path: str, finding, ignored: bool) -> dict:
    return {
        "path": path, "cell": finding.cell, "line": finding.line, "col": finding.col, "code": finding.code,
        "severity": finding.severity, "message": finding.message, "ignored": ignored,
    }


def _hint_silencing(failing_codes: Dict[str, List[str]], messages) -> None:
    for notebook, codes in list(failing_codes.items())[:1]:
        unique = sorted(set(codes))
        quoted = ", ".join(f'"{code}"' for code in unique)
        messages.say(SILENCE_HINT.format(codes=", ".join(unique), quoted=quoted, notebook=notebook), level=0)


def plan_writes(converted: Sequence[Converted], mode: Mode, messages) -> List[Tuple[str, object]]:
    """(notebook, writer.Planned) for every output of every notebook; errors for forbidden targets."""
    from .writer import WriteError, survey

    inputs = [done.source.notebook for done in converted]
    planned: List[Tuple[str, object]] = []
    for done, outputs in _outputs_by_notebook(converted, messages):
        if done.result is None:
            planned += [(done.source.name, unchanged(output.path)) for output in outputs]
            continue
        try:
            planned += [(done.source.name, item) for item in survey(outputs, inputs)]
        except WriteError as error:
            messages.error(done.source.name, str(error))
    if mode.report:
        planned += _report_planned(converted, mode, messages, inputs)
    _record_changes(converted, messages)
    return planned


def unchanged(path: Path):
    from .writer import UNCHANGED, Planned

    return Planned(path, None, UNCHANGED)


def _outputs_by_notebook(converted: Sequence[Converted], messages):
    """Each notebook with its outputs; a target two notebooks would write is an error for the second."""
    import os

    owners: Dict[str, str] = {}
    for done in converted:
        outputs = generated_outputs(done)
        clash = next((o for o in outputs if owners.get(os.path.realpath(o.path), done.source.name) != done.source.name), None)
        if clash is not None:
            other = owners[os.path.realpath(clash.path)]
            messages.error(done.source.name, f"{other} and {done.source.name} would both write {clash.path}; separate them with --name or -o")
            continue
        owners.update({os.path.realpath(o.path): done.source.name for o in outputs})
        yield done, outputs


def generated_outputs(done: Converted) -> list:
    """The files a conversion writes, with the full header: label, digest and findings codes."""
    from .writer import Output

    source = done.source
    if done.result is None:
        names = [f"{done.module}.py", f"test_{done.module}.py"]
        return [Output(source.output_dir / name, None, source.output_dir, source.label) for name in names]
    return [
        Output.code(source.output_dir / name, text, source.output_dir, source.label)
        for name, text in done.result.files
    ]


def _report_planned(converted: Sequence[Converted], mode: Mode, messages, inputs) -> List[Tuple[str, object]]:
    import os

    from .writer import REPORT, Output, WriteError, survey

    if not mode.writes:
        messages.say(f"{mode.report}: not written under --check or --diff", level=1)
        return []
    path = Path(os.path.normpath(mode.report))
    roots = [Path(os.path.normpath(r)) for r in [Path.cwd() if path.is_absolute() else "."] + [d.source.output_dir for d in converted]]
    roots += [Path(os.path.abspath(r)) for r in roots]
    root = next((r for r in roots if _lexically_inside(path, r)), None)
    if root is None:
        messages.error(mode.report, f"{mode.report}: --report must name a file inside the current folder or an output folder")
        return []
    try:
        return [("--report", item) for item in survey([Output(path, review(converted).encode("utf-8"), root, kind=REPORT)], inputs)]
    except WriteError as error:
        messages.error(mode.report, str(error))
        return []


def _lexically_inside(path: Path, root: Path) -> bool:
    if ".." in path.parts or path == root or path.is_absolute() != root.is_absolute():
        return False
    return root in path.parents or root == Path(".")


def review(converted: Sequence[Converted]) -> str:
    from .report import review as markdown

    return markdown([(done.source.name, done.result) for done in converted if done.result is not None])


def _record_changes(converted: Sequence[Converted], messages) -> None:
    from .report import is_removal

    for done in converted:
        for change in done.result.changes if done.result is not None else ():
            messages.document["changes"].append(change_json(done.source.name, change, is_removal(change)))


def change_json(path: str, change, removed: bool) -> dict:
    return {
        "path": path, "cell": change.cell, "line": change.line, "end_line": change.end_line or change.line,
        "rule": change.rule, "original": change.original, "replacement": change.replacement,
        "removed": removed, "output": change.output,
    }


def apply(planned: Sequence[Tuple[str, object]], mode: Mode, messages) -> bool:
    """Write (or, under --check/--diff, show) what changes; True when the outputs were written as planned."""
    from .writer import UNCHANGED

    changed = [(notebook, item) for notebook, item in planned if item.state != UNCHANGED]
    for notebook, item in planned:
        if item.state == UNCHANGED:
            _tell_file(messages, notebook, item, "unchanged", f"unchanged {item.path}", 2)
    if not mode.writes:
        _show_changes(changed, mode, messages)
        return False
    blocked = [] if mode.force else [(notebook, item) for notebook, item in changed if item.blocked]
    if blocked:
        _refuse(changed, blocked, messages)
        return False
    return _write(changed, planned, mode, messages)


def _show_changes(changed, mode: Mode, messages) -> None:
    from .writer import unified_diff

    for notebook, item in changed:
        _tell_file(messages, notebook, item, "would-change", f"would change {item.path} ({item.state})", 0)
        if mode.diff:
            messages.stdout.append(unified_diff(item, item.path.as_posix()))
    if changed:
        messages.fail(1)


def _refuse(changed, blocked, messages) -> None:
    for notebook, item in changed:
        if (notebook, item) in blocked:
            _tell_file(messages, notebook, item, "refused", f"refusing to overwrite {item.path}: {item.state}; use --force to replace it", 0)
        else:
            _tell_file(messages, notebook, item, "would-change", "", 2)
    messages.fail(1)


def _write(changed, planned, mode: Mode, messages) -> bool:
    from .writer import WriteError, write_all

    try:
        write_all([item for _, item in changed])
    except WriteError as error:
        messages.error(changed[0][0], str(error))
        return False
    for notebook, item in changed:
        _tell_file(messages, notebook, item, "written", f"wrote {item.path}", 1)
    if mode.fail_on_write and changed:
        messages.fail(1)
    _hint_git_add([item.path for notebook, item in planned if notebook != "--report"], messages)
    return True


def _tell_file(messages, notebook: str, item, status: str, line: str, level: int) -> None:
    if line:
        messages.say(line, level=level)
    reason = "" if status == "unchanged" else item.state
    messages.document["files"].append({"path": str(item.path), "notebook": notebook, "status": status, "reason": reason})


def _hint_git_add(paths: List[Path], messages) -> None:
    if messages.json or messages.quiet:
        return
    from .githint import git_add_hint

    hint = git_add_hint(paths)
    if hint:
        messages.say(hint, level=1)


def explain_all(notebooks: Sequence[str], flags: Dict[str, object], messages) -> None:
    """The Markdown review (or its JSON) of each notebook that converts; an error line for each that does not."""
    sources = read_sources(notebooks, {**dict.fromkeys(FLAG_KEYS), **flags}, messages) or []
    converted = [done for done in (full_conversion(s, "", messages) for s in sources) if done]
    if not messages.json:
        messages.stdout.append(review(converted))
        return
    for done in converted:
        for finding in done.result.findings:
            messages.document["findings"].append(finding_json(done.source.name, finding, finding.code in done.source.settings.ignore))
    _record_changes(converted, messages)
    messages.document["sections"] = [section for done in converted for section in _sections(done)]
    messages.document["notebooks"] = [_notebook_json(done) for done in converted]


def _notebook_json(done: Converted) -> dict:
    plan = done.result.plan
    return {"path": done.source.name, "status": "converted", "module": plan.output_name, "kind": plan.kind, "error": None,
            "requirements": list(plan.requirements)}


def _sections(done: Converted) -> List[dict]:
    from .report import section_rows

    return [{"path": done.source.name, "cells": list(cells), "heading": heading, "becomes": becomes} for cells, heading, becomes in section_rows(done.result)]


def verify_all(notebooks: Sequence[str], flags: Dict[str, object], python: str, timeout: float, messages) -> None:
    """Verify each notebook in turn; the exit status is the worst report's (0, 1 or 2)."""
    from .verify import verify_notebook

    with messages.progress(list(notebooks), "verifying", always=True) as progress:
        for notebook in progress:
            report = verify_notebook(Path(notebook), python=python, timeout=timeout, flags=flags)
            messages.document["notebooks"].append({"path": notebook, "status": "verified", "comparison": report.document()})
            if report.verdict == "cannot run":
                messages.error(notebook, report.reason)
                continue
            messages.stdout.append(report.text())
            messages.fail(report.exit_status)
