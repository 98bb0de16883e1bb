"""The exploratory rules: which statements only show something and may be removed."""
from __future__ import annotations

import libcst as cst
import pytest

from nbrefactor.rules import ExploratoryRules

PLOT_NAMES = frozenset({"plt", "ax"})


def rule_for(line: str) -> str:
    return ExploratoryRules().classify(cst.parse_statement(line), PLOT_NAMES)


@pytest.mark.parametrize(
    "line, rule",
    [
        ("df.head()", "display"),
        ("print(df.shape)", "print"),
        ("plt.plot(x, y)", "plot"),
        ("ax.set_title('t')", "plot"),
        ("plt.gca().add_artist(circle)", "plot"),
        ("plt.gcf().set_size_inches(4, 3)", "plot"),
        ("plt.show()", "plot"),
    ],
)
def test_display_only_statements_are_removable(line, rule):
    assert rule_for(line) == rule


@pytest.mark.parametrize(
    "line",
    [
        "plt.close('all')",
        "plt.close(fig)",
        "plt.clf()",
        "ax.cla()",
        "plt.savefig('figure.png')",
        "plt.gcf().savefig('figure.png')",
        "df.dropna(inplace=True)",
        "model.fit(X, y)",
    ],
)
def test_statements_with_effects_are_kept(line):
    assert rule_for(line) == ""


@pytest.mark.parametrize(
    "source",
    [
        "plt.plot(np.random.standard_normal(50))",
        "ax.scatter(x, y + 0.1 * np.random.randn(len(y)))",
        "plt.hist(rng.normal(size=10))",
        "plt.plot(random.sample(values, 3))",
    ],
)
def test_a_plot_that_draws_random_numbers_is_kept(source):
    import libcst as cst

    from nbrefactor.rules import ExploratoryRules

    statement = cst.parse_module(source).body[0]
    assert ExploratoryRules().classify(statement, {"plt", "ax"}) == ""
