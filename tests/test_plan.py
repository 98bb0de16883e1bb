"""The plan pass: sections, function names, parameters, returns, settings and findings."""
from __future__ import annotations

import pytest

from nbrefactor.plan import function_name, heading_of
from support import plan_of, steps_by_name


@pytest.mark.parametrize(
    "heading, name",
    [
        ("Split Data into Training and Validation Sets", "split_data"),
        ("Train Model on Training Set", "train_model"),
        ("Validate Model on Validation Set", "validate_model"),
        ("Load Data", "load_data"),
        ("1. Clean the data", "clean_the_data"),
        ("Step 2: Fit model", "fit_model"),
        ("**Feature** `engineering` for [ages](http://x)", "feature_engineering"),
        ("With everything together", "everything_together"),
        ("Compute very many long words here now", "compute_very_many_long"),
        ("3D plots", "step_3d_plots"),
        ("¿¡!", ""),
    ],
)
def test_function_name_from_heading(heading, name):
    assert function_name(heading) == name


@pytest.mark.parametrize(
    "markdown, heading, text",
    [
        ("## Load Data", "Load Data", ""),
        ("# Title\n\nIntro\n\n## Load Data\nReads the file.", "Load Data", "Reads the file."),
        ("Just text", "", "Just text"),
        ("```\n# not a heading\n```", "", "```\n# not a heading\n```"),
        ("### Save *Model* ###", "Save Model", ""),
    ],
)
def test_heading_of_markdown(markdown, heading, text):
    assert heading_of(markdown) == (heading, text)


def test_parameters_come_from_earlier_sections_then_settings():
    plan = plan_of(
        ("md", "## Load"), ("code", "data = [1, 2]"),
        ("md", "## Fit Model"), ("code", "# settings\nalpha = 0.5\nmodel = [d * alpha for d in data]"),
        ("md", "## Use"), ("code", "total = sum(model)"),
    )
    fit = steps_by_name(plan)["fit_model"]
    assert fit.params == ("data", "alpha")
    assert fit.returns == ("model",)
    assert [s.facts.binds for s in fit.settings] == [("alpha",)]


def test_rebinding_a_parameter_returns_it():
    plan = plan_of(
        ("md", "## Load"), ("code", "xs = [3, 1]"),
        ("md", "## Sort"), ("code", "xs = sorted(xs)"),
        ("md", "## Use"), ("code", "first = xs[0]\nfirst"),
    )
    assert steps_by_name(plan)["sort"].returns == ("xs",)


def test_in_place_mutation_is_not_returned():
    plan = plan_of(
        ("md", "## Load"), ("code", "xs = [3, 1]"),
        ("md", "## Grow"), ("code", "xs.append(5)\nsize = len(xs)"),
        ("md", "## Use"), ("code", "ratio = size / len(xs)\nratio"),
    )
    grow = steps_by_name(plan)["grow"]
    assert grow.params == ("xs",)
    assert grow.returns == ("size",)


def test_sections_without_inputs_or_results_stay_inline_in_main():
    plan = plan_of(
        ("md", "## Load"), ("code", "xs = [3, 1]"),
        ("md", "## Save"), ("code", "open('out.txt', 'w').write(str(xs))"),
    )
    assert [step.role for step in plan.steps] == ["inline", "inline"]


def test_value_is_read_through_the_container_that_holds_it():
    plan = plan_of(
        ("md", "## Split"), ("code", "a, b = 1, 2\nparts = {'left': {'value': a}, 'right': b}"),
        ("md", "## Combine"), ("code", "both = parts['right'] + a\nboth"),
    )
    combine = steps_by_name(plan)["combine"]
    assert combine.params == ("parts",)
    assert combine.substitutions == (("a", "parts['left']['value']"),)


def test_value_rebound_after_its_container_is_threaded_instead():
    plan = plan_of(
        ("md", "## Split"), ("code", "a = 1\nparts = {'value': a}\na = 5"),
        ("md", "## Combine"), ("code", "both = parts['value'] + a\nboth"),
    )
    combine = steps_by_name(plan)["combine"]
    assert combine.params == ("parts", "a")
    assert combine.substitutions == ()


def test_directive_names_the_function():
    plan = plan_of(
        ("md", "## Load"), ("code", "xs = [1]"),
        ("md", "## Validate Model"), ("code", "# nbrefactor: function=get_model_metrics\nscore = len(xs)\nscore"),
    )
    assert "get_model_metrics" in steps_by_name(plan)


def test_tag_skips_a_cell():
    plan = plan_of(("code", "xs = [1]"), ("code", "print(undefined)", ["nbrefactor:skip"]))
    assert plan.findings == ()
    assert any(change.rule == "skip directive" for change in plan.changes)


def test_function_names_never_clash_with_notebook_names():
    plan = plan_of(
        ("md", "## Load"), ("code", "xs = [1]\nscale = 2"),
        ("md", "## Scale"), ("code", "ys = [x * scale for x in xs]\nys"),
    )
    assert "scale_2" in steps_by_name(plan)


@pytest.mark.parametrize(
    "cells, message",
    [
        ((("code", "y = missing + 1"),), "cell_1:1:5: undefined name 'missing'"),
        ((("code", "y = x + 1"), ("code", "x = 1")), "cell_1:1:5: name 'x' is read before any cell binds it"),
        ((("code", "from os.path import *\nz = join('a', 'b')"),), "cell_1:1:1: star import"),
        ((("code", "display(sorted([2, 1]))"),), "cell_1:1:1: 'display' exists only inside Jupyter"),
    ],
)
def test_findings_are_located(cells, message):
    findings = [finding.format("nb") for finding in plan_of(*cells).findings]
    assert any(message in finding for finding in findings), findings


def test_execution_counts_out_of_order_are_reported():
    import json

    from nbrefactor import refactor
    from support import notebook_text

    raw = json.loads(notebook_text(("code", "a = 1"), ("code", "b = a")))
    raw["cells"][0]["execution_count"], raw["cells"][1]["execution_count"] = 5, 2
    findings = refactor(json.dumps(raw), path="nb.ipynb").findings
    assert [f.format("nb") for f in findings] == ["nb:cell_2:1:1: cells ran out of order (execution count 2 after 5)"]


def test_only_used_imports_are_kept():
    plan = plan_of(("code", "import os\nimport sys\nimport json"), ("code", "print(sys.argv)\nvalue = json.dumps(1)"))
    assert [s.code.strip() for s in plan.imports] == ["import json"]


def test_exploratory_statements_are_removed_and_recorded():
    plan = plan_of(("code", "xs = [1, 2]\nxs\nprint(len(xs))\nxs.append(3)"))
    rules = [(change.line, change.rule) for change in plan.changes]
    assert rules == [(2, "exploratory: display"), (3, "exploratory: print")]
    assert [s.code.strip() for s in plan.steps[0].body] == ["xs = [1, 2]", "xs.append(3)"]


def test_plotting_is_kept_when_a_figure_is_saved():
    cells = (("code", "import matplotlib.pyplot as plt\nplt.plot([1, 2])\nplt.savefig('f.png')"),)
    assert [c.rule for c in plan_of(*cells).changes] == []
    assert [c.rule for c in plan_of(("code", "import matplotlib.pyplot as plt\nplt.plot([1, 2])\nplt.show()")).changes] == [
        "exploratory: plot",
        "exploratory: plot",
    ]


def test_undefined_name_in_a_removed_display_statement_is_still_reported():
    findings = [f.format("nb") for f in plan_of(("code", "count = 1\nprint(cnt)")).findings]
    assert findings == ["nb:cell_1:2:7: undefined name 'cnt'"]


def test_a_name_bound_only_in_a_left_out_cell_is_explained():
    findings = [f.format("nb") for f in plan_of(("code", "%%capture\nx = 1"), ("code", "%%writefile f.py\ny = 2"), ("code", "z = y + x")).findings]
    assert findings == [
        "nb:cell_2:1:1: cell magic %%writefile is not Python; cell left out",
        "nb:cell_3:1:5: name 'y' is bound only in cell 2, which was left out",
    ]


def test_a_function_body_may_read_a_name_a_later_cell_binds():
    plan = plan_of(("code", "def double():\n    return base * 2"), ("code", "base = 3"), ("code", "result = double()"))
    assert plan.findings[0].message.startswith("'double' reads notebook variables (base)")
    assert len(plan.findings) == 1


@pytest.mark.parametrize(
    "source, kept",
    [
        ("import matplotlib.pyplot as plt\nfig, ax = plt.subplots()\nax.plot([1, 2])\nplt.show()", []),
        (
            "import matplotlib.pyplot as plt\nfig, ax = plt.subplots()\nax.plot([1, 2])\nlimits = ax.get_xlim()\nwidth = limits[1] - limits[0]",
            ["fig, ax = plt.subplots()", "limits = ax.get_xlim()", "width = limits[1] - limits[0]"],
        ),
        ("import matplotlib.pyplot as plt\nfig, ax = plt.subplots()\nax.plot([1, 2])\nfig.savefig('a.png')", ["fig, ax = plt.subplots()", "ax.plot([1, 2])", "fig.savefig('a.png')"]),
    ],
)
def test_figures_nothing_else_uses_are_removed_with_their_plots(source, kept):
    plan = plan_of(("code", source))
    body = [s.code.strip() for step in plan.steps for s in step.body]
    assert [line for line in body if not line.endswith('.close("all")')] == kept
