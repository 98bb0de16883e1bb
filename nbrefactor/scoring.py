"""Scoring notebooks: sections -> init() (load once, into globals) and run(inputs) (per request).

A notebook is a scoring notebook when it loads a trained model and predicts with it, and trains
nothing. Everything up to the section that loads the model runs once in `init`; the sections after
it run per request in `run`, whose parameters are the literals those sections bind (the notebook's
sample request), moved to the sample call under the `__main__` guard.
"""
from __future__ import annotations

import re
from typing import List, Optional, Sequence, Tuple

import libcst as cst

from .codegen import Substitute
from .model import Section, Statement, Step

MODEL_LOADERS = re.compile(r"\b(joblib\.load|pickle\.load|load_model|get_model_path|torch\.load|cloudpickle\.load|dill\.load)\s*\(")
PREDICTORS = ("predict", "predict_proba", "predict_log_proba", "decision_function", "transform", "score_samples")


def is_scoring(statements: Sequence[Statement]) -> bool:
    """Loads a model, calls a predictor, and fits nothing."""
    codes = [s.code for s in statements]
    loads = any(MODEL_LOADERS.search(code) for code in codes)
    predicts = any(re.search(r"\.(%s)\s*\(" % "|".join(PREDICTORS), code) for code in codes)
    fits = any(re.search(r"\.(fit|fit_transform|partial_fit|train)\s*\(", code) for code in codes)
    return loads and predicts and not fits


def scoring_steps(sections: Sequence[Section], removed: Sequence[Tuple[Statement, ...]]) -> Tuple[Step, Step, Tuple[str, ...]]:
    """(init step, run step, globals init sets for run)."""
    split = _load_section(sections) + 1
    init_body = tuple(s for section in sections[:split] for s in section.statements)
    run_body_all = tuple(s for section in sections[split:] for s in section.statements)
    inputs = tuple(s for s in run_body_all if s.facts.setting)
    run_body = tuple(s for s in run_body_all if not any(s is i for i in inputs))
    run_reads = {n for s in run_body for n in s.facts.reads}
    init_binds = [n for s in init_body for n in s.facts.binds + s.facts.maybe_binds]
    shared = tuple(dict.fromkeys(n for n in init_binds if n in run_reads))
    result = _result(run_body, [s for gone in removed[split:] for s in gone])
    init = Step("Load once", "init", "Load the model and anything else the scoring needs, once.", (), (), init_body, role="init")
    run = Step(
        heading="Score a request",
        name="run",
        doc="Score one request.",
        params=tuple(s.facts.binds[0] for s in inputs),
        returns=(result,) if result else (),
        body=run_body,
        settings=inputs,
        role="run",
    )
    return init, run, shared


def _load_section(sections: Sequence[Section]) -> int:
    for index, section in enumerate(sections):
        if any(MODEL_LOADERS.search(s.code) for s in section.statements):
            return index
    return 0


def _result(body: Sequence[Statement], removed: Sequence[Statement]) -> str:
    bound = [n for s in body for n in s.facts.binds + s.facts.maybe_binds]
    shown = [n for s in removed for n in s.facts.displays if n in bound]
    if shown:
        return shown[-1]
    return bound[-1] if bound else ""


def json_result(run: Step) -> str:
    """`{"result": result.tolist()}` when the result comes from a predictor; a safe conversion otherwise."""
    if not run.returns:
        return "None"
    name = run.returns[0]
    if any(_predicted(s, name) for s in run.body):
        return f'{{"result": {name}.tolist()}}'
    return f'{{"result": {name}.tolist() if hasattr({name}, "tolist") else {name}}}'


def _predicted(statement: Statement, name: str) -> bool:
    node = statement.node
    if not isinstance(node, cst.SimpleStatementLine) or len(node.body) != 1:
        return False
    small = node.body[0]
    if not isinstance(small, cst.Assign) or not isinstance(small.value, cst.Call):
        return False
    func = small.value.func
    targets = [t.target for t in small.targets]
    return any(isinstance(t, cst.Name) and t.value == name for t in targets) and isinstance(func, cst.Attribute) and func.attr.value in PREDICTORS


def sample_print(run: Step, removed: Sequence[Statement], variable: str) -> str:
    """How the notebook showed its result, applied to the sample call's value."""
    if not run.returns:
        return ""
    name = run.returns[0]
    for statement in reversed(removed):
        if name in statement.facts.displays and statement.code.strip().startswith("print("):
            node = statement.node.with_changes(leading_lines=()).visit(Substitute({name: variable}))
            return cst.Module(body=[node]).code.strip()
    return f"print({variable})"


def model_files(init: Step) -> Tuple[str, ...]:
    """String literals in init that look like file paths: what the generated tests need to exist."""
    found: List[str] = []
    for statement in init.body:
        for literal in re.findall(r"""(['"])([^'"\s]+\.[A-Za-z0-9]{1,8})\1""", statement.code):
            found.append(literal[1])
    return tuple(dict.fromkeys(found))
