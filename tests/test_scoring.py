"""Scoring notebooks: recognised by what they do, split into init() and run()."""
from __future__ import annotations

import pytest

from support import plan_of


@pytest.mark.parametrize(
    "code, kind",
    [
        ("import joblib\nm = joblib.load('m.pkl')\np = m.predict([[1]])", "score"),
        ("import pickle\nm = pickle.load(open('m.pkl', 'rb'))\np = m.predict_proba([[1]])", "score"),
        ("import joblib\nm = joblib.load('m.pkl')\nm.fit([[1]], [1])\np = m.predict([[1]])", "train"),
        ("import joblib\nm = joblib.load('m.pkl')", "script"),
        ("xs = [1]\nys = [x * 2 for x in xs]", "script"),
    ],
)
def test_kind_is_detected_from_what_the_notebook_does(code, kind):
    assert plan_of(("code", code)).kind == kind


def test_kind_flag_overrides_detection():
    assert plan_of(("code", "xs = [1]"), kind="score").kind == "score"


def test_literal_inputs_become_run_parameters_in_order():
    plan = plan_of(
        ("code", "import json\nimport joblib"),
        ("md", "## Load Model"), ("code", "model = joblib.load('m.pkl')"),
        ("md", "## Prepare"), ("code", "raw = '[[1]]'\nrows = json.loads(raw)"),
        ("md", "## Score"), ("code", "headers = {}\nout = model.predict(rows)\nprint('Result', out)"),
    )
    init, run = plan.steps
    assert (init.name, run.name) == ("init", "run")
    assert run.params == ("raw", "headers")
    assert plan.globals_ == ("model",)
    assert run.return_expression == '{"result": out.tolist() if hasattr(out, "tolist") else out}'
    assert [statement.code for statement in run.body][-1] == "print('Result', out)"  # run() prints as the notebook did
    assert run.after == ()
    assert [statement.code for statement in plan.sample] == ["raw = '[[1]]'", "headers = {}"]  # the sample call only calls


def test_result_not_from_a_predictor_is_converted_only_when_it_can_be():
    plan = plan_of(
        ("code", "import joblib"),
        ("md", "## Load"), ("code", "model = joblib.load('m.pkl')"),
        ("md", "## Score"), ("code", "rows = [[1]]\nout = list(model.predict(rows))\nout"),
    )
    assert plan.steps[1].return_expression == '{"result": out.tolist() if hasattr(out, "tolist") else out}'
