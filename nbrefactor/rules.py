"""Which statements only show something: the exploratory rules, configurable per project.

A statement is removable only when running it cannot change anything later code uses: its value is
discarded and every part of it is a name, a literal, an attribute, a subscript or a call of a method
known not to change its receiver. Anything else, a call of an unknown function included, is kept.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Tuple

import libcst as cst

PURE_METHODS = frozenset(
    """
    head tail describe info value_counts unique nunique isnull isna notnull notna sum mean median std var
    min max count corr cov nlargest nsmallest memory_usage to_string summary summary2 keys values items
    idxmax idxmin quantile skew kurt kurtosis any all round abs groupby agg aggregate get duplicated
    select_dtypes first last mode cumsum cumprod prod argmax argmin sort_values sort_index reset_index
    set_index drop dropna fillna astype copy query rename merge join pivot pivot_table melt transpose
    tolist to_numpy to_frame to_dict to_list reshape ravel flatten item format split strip lower upper
    startswith endswith predict predict_proba decision_function score get_params conf_int pvalues
    dot nonzero where isin between clip diff pct_change rolling expanding resample shift rank
    dtypes shape columns index loc iloc at iat T ndim size nbytes
    """.split()
)
PRINT_FUNCTIONS = frozenset({"print", "display", "pprint", "pp"})
PURE_BUILTINS = frozenset({"len", "type", "repr", "str", "id", "dir", "vars", "isinstance", "hasattr", "format", "abs", "round"})
PLOT_METHODS = frozenset({"plot", "hist", "boxplot", "scatter", "bar", "barh", "pie", "imshow", "show", "legend"})
PLOT_MODULES = frozenset({"matplotlib", "seaborn", "pylab", "plotly", "bokeh", "altair"})
FIGURE_CONSUMERS = ("savefig", "write_image", "write_html", "to_file")  # calls that keep a figure
FIGURE_CLOSERS = frozenset({"close", "clf", "cla"})  # they change which figure later plots draw on
RULES = ("display", "print", "plot")
# A plot drawing its data from a random generator advances it: removing the plot would change every
# random number drawn after it.
RANDOM_CALL = re.compile(
    r"\b(random|rng|rand|randn|randint|random_sample|standard_normal|normal|uniform|choice|shuffle|"
    r"permutation|sample|poisson|binomial|exponential|multivariate_normal|integers)\s*\("
)


@dataclass(frozen=True)
class ExploratoryRules:
    enabled: Tuple[str, ...] = RULES
    pure_methods: frozenset = PURE_METHODS
    print_functions: frozenset = PRINT_FUNCTIONS
    plot_modules: frozenset = PLOT_MODULES
    plot_names: frozenset = field(default_factory=lambda: frozenset({"plt", "sns"}))

    def with_extra(self, methods=(), disabled=()) -> "ExploratoryRules":
        return ExploratoryRules(
            enabled=tuple(rule for rule in self.enabled if rule not in set(disabled)),
            pure_methods=self.pure_methods | frozenset(methods),
            print_functions=self.print_functions,
            plot_modules=self.plot_modules,
            plot_names=self.plot_names,
        )

    def is_pure_method(self, name: str) -> bool:
        return name in self.pure_methods

    def classify(self, statement: cst.CSTNode, plot_names) -> str:
        """The rule that makes `statement` display-only, or "" when it must be kept."""
        expressions = _expressions(statement)
        if not expressions:
            return ""
        verdicts = {self._classify_expression(expression, plot_names) for expression in expressions}
        if "" in verdicts:
            return ""
        for rule in RULES:
            if rule in verdicts and rule in self.enabled:
                return rule
        return ""

    def _classify_expression(self, expression: cst.BaseExpression, plot_names) -> str:
        if self.is_display(expression):
            return "display"
        if isinstance(expression, cst.Call) and self._is_print(expression):
            return "print"
        if isinstance(expression, cst.Call) and self._is_plot(expression, plot_names):
            return "plot"
        return ""

    def _is_print(self, call: cst.Call) -> bool:
        return (
            isinstance(call.func, cst.Name)
            and call.func.value in self.print_functions
            and all(arg.keyword is None or arg.keyword.value in {"sep", "end"} for arg in call.args)
            and all(self.is_display(arg.value) for arg in call.args)
        )

    def _is_plot(self, call: cst.Call, plot_names) -> bool:
        code = cst.Module([]).code_for_node(call)
        if any(consumer in code for consumer in FIGURE_CONSUMERS) or RANDOM_CALL.search(code):
            return False
        func = call.func
        if isinstance(func, cst.Attribute) and func.attr.value in FIGURE_CLOSERS:
            return False
        if root_name(func) in plot_names:
            return True
        return isinstance(func, cst.Attribute) and func.attr.value in PLOT_METHODS and self.is_display(func.value)

    def is_display(self, node: cst.CSTNode) -> bool:
        """True when evaluating `node` can change nothing (as far as these rules can tell)."""
        if isinstance(node, (cst.Name, cst.Integer, cst.Float, cst.Imaginary, cst.SimpleString, cst.Ellipsis)):
            return True
        if isinstance(node, cst.ConcatenatedString):
            return self.is_display(node.left) and self.is_display(node.right)
        if isinstance(node, cst.FormattedString):
            return all(
                self.is_display(part.expression)
                for part in node.parts
                if isinstance(part, cst.FormattedStringExpression)
            )
        if isinstance(node, cst.Attribute):
            return self.is_display(node.value)
        if isinstance(node, cst.Subscript):
            return self.is_display(node.value) and all(self._is_display_slice(s.slice) for s in node.slice)
        if isinstance(node, (cst.Tuple, cst.List)):
            return all(isinstance(e, cst.Element) and self.is_display(e.value) for e in node.elements)
        if isinstance(node, (cst.BinaryOperation, cst.Comparison, cst.UnaryOperation, cst.BooleanOperation)):
            return all(self.is_display(child) for child in node.children if isinstance(child, cst.BaseExpression))
        if isinstance(node, cst.Call):
            return self._is_pure_call(node)
        return False

    def _is_display_slice(self, part: cst.CSTNode) -> bool:
        if isinstance(part, cst.Index):
            return self.is_display(part.value)
        if isinstance(part, cst.Slice):
            return all(self.is_display(bound) for bound in (part.lower, part.upper, part.step) if bound is not None)
        return False

    def _is_pure_call(self, call: cst.Call) -> bool:
        if any(arg.keyword is not None and arg.keyword.value == "inplace" for arg in call.args):
            return False
        if not all(self.is_display(arg.value) for arg in call.args):
            return False
        if isinstance(call.func, cst.Name):
            return call.func.value in PURE_BUILTINS
        return (
            isinstance(call.func, cst.Attribute)
            and call.func.attr.value in self.pure_methods
            and self.is_display(call.func.value)
        )

    def displayed_names(self, statement: cst.CSTNode) -> Tuple[str, ...]:
        """Names a display-only statement shows: `metrics`, `print(metrics)`, `print("mse", mse)`."""
        names = []
        for expression in _expressions(statement):
            candidates = [expression]
            if isinstance(expression, cst.Call) and self._is_print(expression):
                candidates = [arg.value for arg in expression.args]
            names += [c.value for c in candidates if isinstance(c, cst.Name)]
        return tuple(names)


def _expressions(statement: cst.CSTNode) -> Tuple[cst.BaseExpression, ...]:
    """The values of a line made only of expression statements; () for anything else."""
    if not isinstance(statement, cst.SimpleStatementLine):
        return ()
    if not all(isinstance(small, cst.Expr) for small in statement.body):
        return ()
    return tuple(small.value for small in statement.body)


def root_name(node: cst.CSTNode) -> str:
    """`df` for `df['a'].values[0]`, `df.loc[...]`, `df.x.y()`; "" when there is no plain root."""
    while isinstance(node, (cst.Attribute, cst.Subscript, cst.Call)):
        node = node.func if isinstance(node, cst.Call) else node.value
    return node.value if isinstance(node, cst.Name) else ""
