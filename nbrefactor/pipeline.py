"""The one pure entry point: notebook text in, generated files and findings out."""
from __future__ import annotations

from typing import List, Optional

from .config import Settings
from .model import Result

REQUIREMENTS_FILE = "requirements-{module}.txt"  # one per script: two notebooks may share a folder


def output_names(module: str, settings: Settings) -> List[str]:
    """The files a conversion writes, in order: the script, its tests, and requirements when asked for."""
    return [f"{module}.py", f"test_{module}.py"] + ([REQUIREMENTS_FILE.format(module=module)] if settings.requirements else [])


def refactor(notebook_text: str, *, path: str, settings: Settings = Settings(), source_label: Optional[str] = None, digest: str = "") -> Result:
    """Convert one notebook. `path` names it in messages; `source_label` in the generated header;
    `digest` is the notebook's source digest when the caller has computed it already."""
    from .analysis import analyse
    from .codegen import generate
    from .magics import normalise_all
    from .plan import make_plan
    from .reader import read_notebook
    from .render import check_compiles, render_template, script_values, template_environment, with_header
    from .testgen import test_values
    from .uptodate import source_digest

    notebook = read_notebook(notebook_text, path)
    digest = digest or source_digest(notebook_text, settings)  # before the analysis: its parse is freed first
    cells = normalise_all(notebook.code_cells)
    analysis = analyse(cells, path, settings.rules)
    plan = make_plan(notebook, cells, analysis, settings.plan_options(), settings.rules)
    environment = template_environment(settings.template_dir)
    label = source_label or path.replace("\\", "/").rsplit("/", 1)[-1]
    module = plan.output_name
    template = "script.py.j2" if plan.kind == "script" else f"{plan.kind}.py.j2"
    script = render_template(environment, template, **script_values(generate(plan), plan))
    tests = render_template(environment, "test_script.py.j2", **test_values(plan, module, cells=cells, source_label=label))
    codes = tuple(sorted({finding.code for finding in plan.findings}))
    names, texts = output_names(module, settings), [script, tests]
    if settings.format:
        from .formatting import formatted

        texts = [formatted(text, settings.format, path, name) for name, text in zip(names, texts)]
    if settings.requirements:
        texts.append(requirements_text(plan))
    files = tuple((name, with_header(text, label, digest, codes)) for name, text in zip(names, texts))
    for name, text in files:
        if name.endswith(".py"):
            check_compiles(text, name)
    return Result(files=files, findings=plan.findings, changes=plan.changes, plan=plan, state=plan.state)


def requirements_text(plan) -> str:
    """requirements-<module>.txt: what the notebook's `pip install` lines asked for, then the distributions of the
    third-party modules the script imports."""
    from .requirements import requirements_for
    from .testgen import third_party_modules

    return requirements_for(plan.requirements, third_party_modules(plan))
