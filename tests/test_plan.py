"""The planning passes: removal, module level, functions with their parameters and returns, names,
findings, and where final values live."""
from __future__ import annotations

import pytest

from nbrefactor.naming import module_name
from nbrefactor.sections import heading_of
from support import plan_of


def step_of(plan, name_or_heading_words):
    """The step whose heading, in snake_case, is the given words (names may change with the naming rules)."""
    wanted = name_or_heading_words.replace("_", " ")
    return next(s for s in plan.steps if s.heading.lower() == wanted or s.name == name_or_heading_words)


def codes(plan):
    return sorted(f.code for f in plan.findings)


def removed(plan):
    return [change.original for change in plan.changes if change.rule.startswith(("exploratory", "unused after"))]


# --- removal --------------------------------------------------------------------------------------


def test_inspections_go_and_results_stay():
    plan = plan_of(
        ("code", "import pandas as pd\ndf = pd.DataFrame({'a': [1, 2]})"),
        ("code", "print(df.shape)\ndf.describe()\ndf.head()"),
        ("code", "total = df['a'].sum()\nprint(total)"),
    )
    assert removed(plan) == ["print(df.shape)", "df.describe()", "df.head()"]
    outputs = {c.original: c.output for c in plan.changes}
    assert outputs["print(df.shape)"] and not outputs["df.head()"]


def test_an_assignment_read_only_by_removed_displays_goes_with_them():
    plan = plan_of(("code", "import pandas as pd\ndf = pd.DataFrame({'a': [1]})\nshape = df.shape\nshape"), ("code", "kept = 1"))
    assert removed(plan) == ["shape = df.shape", "shape"]
    state = dict(plan.state)
    assert state["shape"] == "removed" and state["kept"] == "main"


def test_an_assignment_nobody_reads_stays():
    plan = plan_of(("code", "import pandas as pd\ndf = pd.DataFrame({'a': [1]})\nshape = df.shape"))
    assert removed(plan) == []


def test_prints_after_stdout_is_replaced_stay():
    plan = plan_of(("code", "import sys\nimport pandas as pd\ndf = pd.DataFrame()\nprint(df.shape)\nsys.stdout = open('log.txt', 'w')\nprint(df.shape)"))
    assert removed(plan) == ["print(df.shape)"]


def test_plots_go_unless_a_kept_statement_uses_the_figure():
    plan = plan_of(
        ("code", "import matplotlib.pyplot as plt\nxs = [1, 2]"),
        ("code", "plt.plot(xs)\nplt.title('a')"),
        ("code", "fig, ax = plt.subplots()\nax.plot(xs)\nfig.savefig('f.png')"),
        ("code", "plt.plot(xs)\nplt.show()"),
    )
    assert removed(plan) == ["plt.plot(xs)", "plt.title('a')", "plt.plot(xs)", "plt.show()"]
    body = [s.code for step in plan.steps for s in step.body]
    assert body[-4:] == ["fig, ax = plt.subplots()", "ax.plot(xs)", "fig.savefig('f.png')", 'plt.close("all")']


def test_a_plot_that_draws_random_numbers_stays():
    plan = plan_of(("code", "import numpy as np\nimport matplotlib.pyplot as plt\nnp.random.seed(0)"), ("code", "plt.hist(np.random.randn(5))"), ("code", "x = np.random.rand()"))
    assert removed(plan) == []


# --- module level ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "cells, reason",
    [
        (["import sys\nsys.path.append('lib')", "import json"], "changes the environment or sys.path"),
        (["import os\nos.environ['X'] = '1'", "import json"], "changes the environment or sys.path"),
        (["from math import pi", "pi = 3", "print(pi)"], "'pi' is also bound by cell 2"),
        (["time = 5", "import time\nprint(time.time())"], "'time' is also bound by cell 1"),
        (["print(json)", "import json\nprint(json.dumps(1))"], "'json' is read before it"),
        (["print('a')", "import mylocalmodule"], "it is not a package nbrefactor knows"),
    ],
)
def test_imports_stay_in_place_when_something_earlier_can_change_them(cells, reason):
    plan = plan_of(*[("code", c) for c in cells])
    messages = [f.message for f in plan.findings if f.code == "NB202"]
    assert len(messages) == 1 and reason in messages[0]


def test_imports_move_to_module_level_and_repeated_imports_merge():
    plan = plan_of(("code", "import numpy as np\nx = np.zeros(2)"), ("code", "import numpy as np\ny = np.ones(2)"))
    assert [s.code for s in plan.imports] == ["import numpy as np", "import numpy as np"]
    assert codes(plan) == []


def test_side_effect_and_dotted_imports_are_kept_even_unused():
    plan = plan_of(("code", "import os.path\nfrom sklearn.experimental import enable_iterative_imputer\nimport json"), ("code", "p = os.path.join('a', 'b')"))
    assert [s.code for s in plan.imports] == ["import os.path", "from sklearn.experimental import enable_iterative_imputer"]


def test_functions_and_constants_move_to_module_level_when_their_definition_is_pure():
    plan = plan_of(
        ("code", "import os\nDATA = os.path.join('data', 'x.csv')\nscale = 2"),
        ("code", "def load(path=DATA):\n    return path * scale"),
        ("code", "value = load()"),
    )
    assert [s.code.split("\n")[0] for s in plan.definitions] == ["DATA = os.path.join('data', 'x.csv')", "scale = 2", "def load(path=DATA):"]


@pytest.mark.parametrize(
    "cells, reason",
    [
        (["import numpy as np\nnp.random.seed(0)", "class Noise:\n    offset = np.random.rand()"], "defining it runs code with effects"),
        (["import numpy as np\nnp.random.seed(0)", "def f(x=np.random.rand()):\n    return x"], "defining it runs code with effects"),
        (["def f():\n    return 1", "def f():\n    return 2"], "is bound more than once"),
        (["k = compute()", "def f(x, k=k):\n    return x * k"], "its definition reads 'k'"),
    ],
)
def test_definitions_stay_in_place_with_a_reason(cells, reason):
    plan = plan_of(*[("code", c) for c in cells])
    assert any(f.code == "NB203" and reason in f.message for f in plan.findings)


def test_names_functions_read_late_stay_module_globals():
    plan = plan_of(
        ("code", "def area(r):\n    return rate * r"),
        ("md", "## One"), ("code", "rate = 2\nfirst = area(1)\nprint(first)"),
        ("md", "## Two"), ("code", "rate = 3\nsecond = area(1)\nprint(second)"),
    )
    assert "rate" in plan.globals_ or any("rate" in s.globals_ for s in plan.steps)
    assert dict(plan.state)["rate"] == "module"


def test_introspection_keeps_the_code_at_module_level():
    plan = plan_of(("md", "## A"), ("code", "x = 1\nif 'x' in globals():\n    y = x + 1"), ("md", "## B"), ("code", "z = y * 2\nprint(z)"))
    assert plan.module_mode and "NB205" in codes(plan)


# --- functions, parameters, returns ---------------------------------------------------------------


def test_parameters_in_binding_order_then_settings_and_returns_what_later_sections_read():
    plan = plan_of(
        ("md", "## Load"), ("code", "b = [1]\na = [2]"),
        ("md", "## Fit Model"), ("code", "# settings\nalpha = 0.5\nargs = {'k': 2}\nmodel = [x * alpha * args['k'] for x in a + b]\nprint(model)"),
        ("md", "## Use"), ("code", "total = sum(model)\nprint(total)"),
    )
    fit = step_of(plan, "fit_model")
    assert fit.params == ("b", "a", "args")
    assert fit.returns == ("model",)
    assert [s.code for s in fit.settings] == ["args = {'k': 2}"]
    assert [s.code for s in fit.after] == ["print(model)"]


def test_a_section_that_rebinds_a_parameter_returns_it():
    plan = plan_of(
        ("md", "## Load"), ("code", "xs = [3, 1, 2]\nprint(xs)"),
        ("md", "## Sort Values"), ("code", "xs = sorted(xs)\nlabel = 'sorted'\nxs = [label, *xs]\nn = len(xs)"),
        ("md", "## Use"), ("code", "print(xs, n)"),
    )
    step = step_of(plan, "sort_values")
    assert (step.params, step.returns) == (("xs",), ("xs", "n"))


def test_a_self_contained_section_with_real_work_becomes_a_function_returning_its_result():
    plan = plan_of(
        ("md", "## Evaluate"), ("code", "a = 3\nb = 4\nc = (a * a + b * b) ** 0.5\nscore = round(c, 2)\nprint(score)"),
        ("md", "## Other"), ("code", "z = 1\nprint(z)"),
    )
    step = step_of(plan, "evaluate")
    assert (step.params, step.returns, [s.code for s in step.after]) == ((), ("score",), ["print(score)"])


def test_short_sources_and_sinks_stay_inline():
    plan = plan_of(
        ("md", "## Load Data"), ("code", "xs = [1, 2, 3]"),
        ("md", "## Transform Values"), ("code", "ys = [x * 2 for x in xs]\nys = [y + 1 for y in ys]\nmean = sum(ys) / len(ys)\nys = [y - mean for y in ys]"),
        ("md", "## Save Results"), ("code", "with open('out.txt', 'w') as handle:\n    handle.write(str(ys))"),
    )
    assert [(s.heading, s.inline) for s in plan.steps] == [("Load Data", True), ("Transform Values", False), ("Save Results", True)]


@pytest.mark.parametrize(
    "code, reason",
    [
        ("if flag:\n    extra = 1\nn = 2\nm = 3\nk = 4", "'extra' is bound only on some paths and read later"),
        ("del items\nn = 2\nm = 3\nk = 4\nextra = 1", "it deletes 'items'"),
    ],
)
def test_sections_a_function_would_change_stay_inline_with_a_finding(code, reason):
    plan = plan_of(
        ("md", "## Start"), ("code", "flag = False\nitems = [1]\nprint(flag, items)"),
        ("md", "## Change Things"), ("code", code),
        ("md", "## End"), ("code", "print(extra, n)"),
    )
    step = next(s for s in plan.steps if s.heading == "Change Things")
    assert step.inline
    assert any(f.code == "NB201" and reason in f.message for f in plan.findings)


def test_values_are_read_through_the_container_that_holds_them():
    plan = plan_of(
        ("md", "## Split"), ("code", "a, b = [1], [2]\ndata = {'train': {'x': a}, 'test': {'x': b}}\nprint(len(a))\nc = 1"),
        ("md", "## Fit Model"), ("code", "model = sum(data['train']['x'])\nscore = model + sum(b)\nscore = score * 2\nprint(score)"),
    )
    fit = step_of(plan, "fit_model")
    assert fit.params == ("data",)
    assert dict(fit.substitutions) == {"b": 'data["test"]["x"]'}


def test_no_read_through_a_container_that_was_changed():
    plan = plan_of(
        ("md", "## Split"), ("code", "a, b = [1], [2]\ndata = {'train': {'x': a}, 'test': {'x': b}}\nnormalise(data)\nc = 1"),
        ("md", "## Fit Model"), ("code", "model = sum(data['train']['x'])\nscore = model + sum(b)\nscore = score * 2\nprint(score)"),
    )
    assert step_of(plan, "fit_model").substitutions == ()


def test_notebooks_without_headings_stay_in_the_entry_point():
    plan = plan_of(("code", "x = 1\ny = x + 1\nz = y * 2\nw = z - 1\nprint(w)"))
    assert all(step.inline for step in plan.steps)


def test_a_notebook_main_does_not_collide_with_the_entry_point():
    plan = plan_of(("code", "def main():\n    return 1"), ("code", "print(main())"))
    assert plan.entry == "run_pipeline"
    assert dict(plan.state)["main"] == "module"


# --- names and findings ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "markdown, heading, text, level",
    [
        ("## Load Data", "Load Data", "", 2),
        ("# Title\n\nIntro\n\n## Load Data\nReads the file.", "Load Data", "Reads the file.", 2),
        ("Just text", "", "Just text", 0),
        ("```\n# not a heading\n```", "", "```\n# not a heading\n```", 0),
        ("Load Data\n=========\nText", "Load Data", "Text", 1),
    ],
)
def test_heading_of_markdown(markdown, heading, text, level):
    assert heading_of(markdown) == (heading, text, level)


@pytest.mark.parametrize(
    "kind, path, name",
    [
        ("train", "x.ipynb", "train"),
        ("script", "notebooks/01 Data Prep.ipynb", "data_prep"),
        ("script", "ch04.ipynb", "ch04"),
        ("script", "CamelCaseName.ipynb", "camel_case_name"),
        ("script", "123.ipynb", "notebook"),
        ("script", "class.ipynb", "class_"),
    ],
)
def test_module_names(kind, path, name):
    assert module_name(kind, path) == name


@pytest.mark.parametrize(
    "cells, expected",
    [
        ([("code", "y = x + 1")], ["NB101"]),
        ([("code", "y = x + 1"), ("code", "x = 1")], ["NB102"]),
        ([("code", "fig, ax = plt.subplots()\nax.plot([1])")], ["NB101"]),
        ([("code", "import matplotlib.pyplot as plt\nfig, ax = plt.subplots()\nax.plot([1])\nfig.savefig('a.png')")], []),
        ([("code", "for i in range(3):\n    total = i\n    print(total)")], []),
    ],
)
def test_name_findings_have_no_false_positives(cells, expected):
    assert codes(plan_of(*cells)) == expected


def test_every_literal_of_a_parameters_cell_is_a_setting():
    plan = plan_of(
        ("md", "## Train Model"), ("code", "lr, epochs = 0.1, 3\nbase = 2", ("parameters",)),
        ("code", "scaled = lr / base\nsteps = [scaled] * epochs\nprint(steps)"),
    )
    step = step_of(plan, "train_model")
    assert step.params == ("lr", "epochs", "base")
    assert [s.code for s in step.settings] == ["lr, epochs = 0.1, 3", "base = 2"]


def test_a_cell_whose_saved_outputs_show_an_error_keeps_everything():
    import json

    from nbrefactor import refactor
    from support import notebook_text

    raw = json.loads(notebook_text(("code", "d = {}\nprint(len(d))"), ("code", "d['missing']\nprint('after')")))
    raw["cells"][1]["outputs"] = [{"output_type": "error", "ename": "KeyError", "evalue": "'missing'", "traceback": []}]
    plan = refactor(json.dumps(raw), path="nb.ipynb").plan
    assert removed(plan) == ["print(len(d))"]
    assert [(f.cell, f.code) for f in plan.findings] == [(2, "NB307")]
    assert "KeyError" in plan.findings[0].message


def test_a_cell_directive_accepts_findings_on_purpose():
    plan = plan_of(("code", "value = 1"), ("code", "# nbrefactor: skip\nvalue = 2"), ("code", "# nbrefactor: ignore=NB101\nprint(value, missing)"))
    assert [(f.cell, f.code) for f in plan.findings] == [(2, "NB308")]
    plan = plan_of(("code", "value = 1"), ("code", "# nbrefactor: skip, ignore=NB308\nvalue = 2"), ("code", "print(value)"))
    assert plan.findings == ()


@pytest.mark.parametrize(
    "cells, expected_codes, module_mode",
    [
        ([("md", "## A"), ("code", "x = 1\nprint(x)"), ("md", "## B"), ("code", "global x\ny = x + 1\nz = y * 2\nw = z + 1\nprint(w)")], [], False),
        ([("code", "try:\n    from math import *\nexcept ImportError:\n    pass\nprint(pi)")], ["NB205", "NB402"], True),
        ([("code", "x = 1\nif x:\n    global y\n    y = 2\nprint(y)")], ["NB205"], True),
    ],
)
def test_statements_a_function_cannot_hold_keep_a_faithful_form(cells, expected_codes, module_mode):
    from nbrefactor import refactor
    from support import notebook_text

    result = refactor(notebook_text(*cells), path="nb.ipynb")
    assert codes(result.plan) == expected_codes
    assert result.plan.module_mode == module_mode
    compile(result.files[0][1], "nb.py", "exec")


def test_a_value_that_may_survive_a_later_conditional_rebinding_is_kept():
    plan = plan_of(("code", "import numpy as np\nq5 = np.hstack(([1], [2]))\nq5"), ("code", "try:\n    q5 = np.hstack(([1], [[2]]))\nexcept ValueError:\n    pass"))
    assert removed(plan) == ["q5"]


def test_plotting_what_a_method_computes_first_is_kept():
    plan = plan_of(("code", "import pandas as pd\nfit = make()\nfit.forecast(8).rename('f').plot(legend=True)"))
    assert removed(plan) == []


def test_a_removed_rebinding_leaves_the_final_value_uncompared():
    plan = plan_of(("code", "import numpy as np\nD = np.array([1])\nnp.diag(D)"), ("code", "D = np.array([2])\nE = D * 2\nprint(E)"), ("code", "D = np.array([3])\nnp.trace(D)"))
    assert dict(plan.state)["D"] == "removed"
