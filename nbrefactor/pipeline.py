"""The one pure entry point: notebook text in, generated files and findings out."""
from __future__ import annotations

import hashlib
import json
from typing import Optional

from . import __version__
from .config import Settings
from .model import Result


def refactor(notebook_text: str, *, path: str, settings: Settings = Settings(), source_label: Optional[str] = None) -> Result:
    """Convert one notebook. `path` names it in messages; `source_label` in the generated header."""
    from .analysis import analyse
    from .codegen import generate
    from .magics import normalise
    from .plan import make_plan
    from .reader import read_notebook
    from .render import check_compiles, render_template, script_values, template_environment, with_header
    from .testgen import test_values

    notebook = read_notebook(notebook_text, path)
    cells = [normalise(cell) for cell in notebook.code_cells]
    analysis = analyse(cells, path, settings.rules)
    plan = make_plan(notebook, cells, analysis, settings.plan_options(), settings.rules)
    environment = template_environment(settings.template_dir)
    digest = source_digest(notebook_text, settings)
    label = source_label or path.replace("\\", "/").rsplit("/", 1)[-1]
    module = plan.output_name
    template = "script.py.j2" if plan.kind == "script" else f"{plan.kind}.py.j2"
    script = render_template(environment, template, **script_values(generate(plan), plan))
    tests = render_template(environment, "test_script.py.j2", **test_values(plan, module))
    files = ((f"{module}.py", with_header(script, label, digest)), (f"test_{module}.py", with_header(tests, label, digest)))
    for name, text in files:
        check_compiles(text, name)
    return Result(files=files, findings=plan.findings, changes=plan.changes, plan=plan, state=plan.state)


def source_digest(notebook_text: str, settings: Settings) -> str:
    """A digest of what the output depends on: code, markdown, tags and settings; not outputs or counts."""
    try:
        raw = json.loads(notebook_text)
    except ValueError:
        raw = {}
    cells = raw.get("cells", []) if isinstance(raw, dict) else []
    if not cells and isinstance(raw, dict):
        cells = [c for sheet in raw.get("worksheets", []) for c in sheet.get("cells", [])]
    essentials = [
        [c.get("cell_type"), _joined(c.get("source", c.get("input", ""))), c.get("metadata", {}).get("tags", [])]
        for c in cells
        if isinstance(c, dict)
    ]
    payload = json.dumps([__version__, settings.digest_fields(), essentials], sort_keys=True, default=str)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:16]


def _joined(source) -> str:
    return "".join(source) if isinstance(source, list) else str(source)
