"""Plan -> the values the test template needs: one test per generated function, plus an import test."""
from __future__ import annotations

from typing import List

from .model import Plan, Step


def test_values(plan: Plan, module: str) -> dict:
    return {
        "module": module,
        "source": plan.source.replace("\\", "/").rsplit("/", 1)[-1],
        "kind": plan.kind,
        "tests": [_skeleton(step) for step in plan.steps if not step.inline],
    }


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
