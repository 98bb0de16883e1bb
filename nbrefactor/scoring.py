"""Scoring notebooks: sections -> init() (load once, into module globals) and run(inputs) (per request).

A notebook is a scoring notebook when it loads a trained model and predicts with it, and trains
nothing. Everything up to the section that loads the model runs once in `init`; the sections after it
run per request in `run`, whose parameters are the literals those sections bind once (the notebook's
sample request), moved to the sample call under the `__main__` guard. `run` returns its result as
JSON-ready data (`{"result": ...}`, arrays as lists); what the notebook printed, `run` prints too.
"""
from __future__ import annotations

import re
from typing import List, Sequence, Tuple

from .model import Finding, Plan, Statement, Step
from .positions import NameIndex

MODEL_LOADERS = re.compile(r"\b(joblib\.load|pickle\.load|load_model|get_model_path|torch\.load|cloudpickle\.load|dill\.load)\s*\(")
PREDICTORS = ("predict", "predict_proba", "predict_log_proba", "decision_function", "transform", "score_samples")
FITTERS = re.compile(r"\.(fit|fit_transform|fit_predict|partial_fit|train)\s*\(")


def is_scoring(statements: Sequence[Statement]) -> bool:
    """Loads a model, then calls a predictor, and fits nothing."""
    codes = [s.code for s in statements]
    loads = [i for i, code in enumerate(codes) if MODEL_LOADERS.search(code)]
    predicts = [i for i, code in enumerate(codes) if re.search(r"\.(%s)\s*\(" % "|".join(PREDICTORS), code)]
    fits = any(FITTERS.search(code) for code in codes)
    return bool(loads) and any(p > loads[0] for p in predicts) and not fits


def plan_scoring(notebook, cells, analysis, sections, options, knowledge) -> Plan:
    from .plan import assemble_plan, prepare

    prepared = prepare(notebook, cells, analysis, sections, knowledge)
    kept, top = prepared.kept, prepared.top
    split = _split(kept)
    main = [(p, s) for p, s in enumerate(kept) if p not in top.moved]
    init_part = [s for p, s in main if p <= split]
    run_part = [s for p, s in main if p > split]
    index = NameIndex(kept)
    inputs = _inputs(kept, run_part, index)
    run_body = [s for s in run_part if not any(s is i for i in inputs)]
    result = _result(run_body)
    run_reads = {n for s in run_body for n in set(s.facts.reads) | set(s.facts.all_reads) | set(s.facts.deferred_reads)}
    init_binds = [n for s in init_part for n in s.facts.binds + s.facts.maybe_binds]
    shared = tuple(dict.fromkeys(n for n in init_binds if n in run_reads or n in top.shared))
    rebound = [n for n in shared if any(n in s.facts.binds or n in s.facts.maybe_binds for s in run_body)]
    init = Step("Load once", "init", "Load the model and anything else the scoring needs, once.", (), (), tuple(init_part), role="init", globals_=shared)
    run = Step(
        heading="Score a request", name="run", doc="Score one request.",
        params=tuple(dict.fromkeys(n for s in inputs for n in s.facts.settings)),
        returns=(result,) if result else (), body=tuple(run_body), settings=tuple(inputs), role="run",
        globals_=tuple(rebound), return_expression=json_result(result),
    )
    findings = [_rebound_finding(name, run_body) for name in rebound]
    return assemble_plan(
        prepared, [init, run], kind="score", findings=findings, globals_=shared, sample=tuple(inputs), options=options,
        state=_state(kept, prepared, init_part, run_part, inputs, shared),
    )


def _split(kept: Sequence[Statement]) -> int:
    """Position of the last statement of the section that loads the model (init ends there)."""
    for position, statement in enumerate(kept):
        if MODEL_LOADERS.search(statement.code):
            cell = statement.facts.cell
            last = position
            while last + 1 < len(kept) and kept[last + 1].facts.cell == cell:
                last += 1
            return last
    return -1


def _inputs(kept: Sequence[Statement], run_part: Sequence[Statement], index: NameIndex) -> List[Statement]:
    """Literal assignments of the request: names bound once, never read before."""
    chosen = []
    position_of = {id(s): p for p, s in enumerate(kept)}
    for statement in run_part:
        names = statement.facts.settings
        position = position_of[id(statement)]
        if names and not any(index.bound_elsewhere(n, position) or index.read_before(n, position) for n in names):
            chosen.append(statement)
    return chosen


def _result(body: Sequence[Statement]) -> str:
    bound = [n for s in body for n in s.facts.binds + s.facts.maybe_binds]
    shown = [n for s in body for n in s.facts.shows if n in bound]
    if shown:
        return shown[-1]
    return bound[-1] if bound else ""


def json_result(name: str) -> str:
    """`{"result": ...}`: an array (anything with `tolist`) as a list, anything else as it is."""
    if not name:
        return "None"
    return f'{{"result": {name}.tolist() if hasattr({name}, "tolist") else {name}}}'


def _rebound_finding(name: str, body: Sequence[Statement]) -> Finding:
    statement = next(s for s in body if name in s.facts.binds or name in s.facts.maybe_binds)
    facts = statement.facts
    return Finding(facts.cell, facts.line, facts.col, f"run() rebinds '{name}', which init() loaded: it is declared global in run(), so each call changes it", "NB305")


def _state(kept, prepared, init_part, run_part, inputs, shared) -> Tuple[Tuple[str, str], ...]:
    place = {}
    for statement in init_part:
        place[id(statement)] = "init"
    for statement in run_part:
        place[id(statement)] = "module" if any(statement is i for i in inputs) else "run"
    last = {}
    for position, statement in enumerate(prepared.flat):
        where = "removed" if position in prepared.removal.removed else place.get(id(statement), "module")
        for name in set(statement.facts.binds) | set(statement.facts.maybe_binds):
            last[name] = "module" if name in shared or name in prepared.top.module_names or name in prepared.top.shared else where
    return tuple(sorted(last.items()))


def model_files(init: Step) -> Tuple[str, ...]:
    """String literals in init that look like file paths: what the generated tests need to exist."""
    found: List[str] = []
    for statement in init.body:
        for literal in re.findall(r"""(['"])([^'"\s]+\.[A-Za-z0-9]{1,8})\1""", statement.code):
            found.append(literal[1])
    return tuple(dict.fromkeys(found))
