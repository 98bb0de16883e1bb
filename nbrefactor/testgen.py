"""Plan -> the values the test template needs: one test per generated function, plus an import test."""
from __future__ import annotations

from typing import List

from .model import Plan, Step
from .scoring import model_files


def test_values(plan: Plan, module: str) -> dict:
    scoring = plan.kind == "score"
    return {
        "module": module,
        "source": plan.source.replace("\\", "/").rsplit("/", 1)[-1],
        "kind": plan.kind,
        "requires": third_party_modules(plan),
        "tests": [] if scoring else [_skeleton(step) for step in plan.steps if not step.inline],
        "sample": [_top_level_code(s) for s in plan.sample],
        "run_call": _run_call(plan) if scoring else "",
        "model_files": list(model_files(plan.steps[0])) if scoring else [],
    }


def third_party_modules(plan: Plan) -> List[str]:
    """Modules the script imports that do not come with Python: the tests skip when one is missing."""
    import sys

    stdlib = getattr(sys, "stdlib_module_names", frozenset())
    modules = []
    for statement in plan.imports:
        for module in _imported_modules(statement.node):
            if module.split(".")[0] not in stdlib and module.split(".")[0] != "__future__":
                modules.append(module)
    return list(dict.fromkeys(modules))


def _imported_modules(node) -> List[str]:
    import libcst as cst

    from .analysis import dotted_name

    modules = []
    for small in node.body:
        if isinstance(small, cst.Import):
            modules += [dotted_name(alias.name) for alias in small.names]
        elif isinstance(small, cst.ImportFrom) and small.module is not None and not small.relative:
            modules.append(dotted_name(small.module))
    return modules


def _top_level_code(statement) -> str:
    import libcst as cst

    return cst.Module(body=[statement.node.with_changes(leading_lines=())]).code.strip()


def _run_call(plan: Plan) -> str:
    run = next(step for step in plan.steps if step.role == "run")
    return f"{run.name}({', '.join(run.params)})"


def _skeleton(step: Step) -> dict:
    result = ", ".join(step.returns) if step.returns else "result"
    return {
        "name": step.name,
        "heading": step.heading,
        "params": list(step.params),
        "call": f"{step.name}({', '.join(step.params)})",
        "result": result,
        "results": list(step.returns) or ["result"],
        "reason": _reason(step),
    }


def _reason(step: Step) -> str:
    inputs = ", ".join(step.params) if step.params else "no inputs"
    outputs = ", ".join(step.returns) if step.returns else "its effect"
    return f"fill in: give {step.name} small values for {inputs}, then assert on {outputs}"


def test_names(plan: Plan) -> List[str]:
    return ["test_" + step.name for step in plan.steps if not step.inline]
