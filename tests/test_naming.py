"""Function names: headings read as verb-object names, collisions resolved without numbers."""
import ast
import keyword
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nbrefactor import naming
from nbrefactor.naming import MAX_WORDS, Candidate, function_name, name_functions
from nbrefactor.vocabulary import ARTICLES, CONJUNCTIONS, PREPOSITIONS

# Real headings from the notebooks of the shared corpus (statsmodels examples, Hands-On ML 2,
# scientific-python-lectures, the sklearn tutorial, Kale, Ploomber, soorgeon, LineaPy and
# ThunderStruct), copied here as text, with the name a reviewer accepts ("" = the heading names
# nothing: the section is named from what it computes).
REAL_HEADINGS = [
    ('Sloan Digital Sky Survey Classification', 'classify_sloan_digital_sky_survey'),
    ('Classification of Galaxies, Stars and Quasars based on the RD14 from the SDSS', 'classify_galaxies'),
    ('Importing Libraries', 'import_libraries'),
    ('Feature Engineering', 'engineer_features'),
    ('u, g, r, i, z', ''),
    ('Feature Scaling', 'scale_features'),
    ('Summary', ''),
    ('Note: you can ignore the rest of this notebook, it just generates many of the figures in chapter 1.', ''),
    ('Load and prepare Life satisfaction data', 'load_and_prepare_satisfaction_data'),
    ('Get the Data', 'get_data'),
    ('Download the Data', 'download_data'),
    ('Create a Test Set', 'create_test_set'),
    ('Discover and Visualize the Data to Gain Insights', 'discover_and_visualize_data'),
    ('Visualizing Geographical Data', 'visualize_geographical_data'),
    ('Looking for Correlations', 'look_for_correlations'),
    ('Experimenting with Attribute Combinations', 'experiment_with_attribute_combinations'),
    ('Prepare the Data for Machine Learning Algorithms', 'prepare_data'),
    ('Data Cleaning', 'clean_data'),
    ('Handling Text and Categorical Attributes', 'handle_text_and_categorical_attributes'),
    ('Custom Transformers', 'make_custom_transformers'),
    ('Transformation Pipelines', 'build_transformation_pipelines'),
    ('Select and Train a Model', 'select_and_train_model'),
    ('Training and Evaluating on the Training Set', 'train_and_evaluate'),
    ('Better Evaluation Using Cross-Validation', 'evaluate_using_cross_validation'),
    ('Fine-Tune Your Model', 'fine_tune_model'),
    ('Grid Search', 'run_grid_search'),
    ('Analyze the Best Models and Their Errors', 'analyze_best_models_and_errors'),
    ('Evaluate Your System on the Test Set', 'evaluate_system'),
    ('Extra material', ''),
    ('A full pipeline with both preparation and prediction', 'build_full_pipeline'),
    ('Model persistence using joblib', 'persist_model'),
    ('Exercise solutions', ''),
    ('1.', ''),
    ('Linear Regression', 'fit_linear_regression'),
    ('Mini-batch gradient descent', 'run_mini_batch_gradient_descent'),
    ('Learning Curves', 'plot_learning_curves'),
    ('Early Stopping', 'use_early_stopping'),
    ('1. to 11.', ''),
    ('12. Batch Gradient Descent with early stopping for Softmax Regression', 'run_batch_gradient_descent'),
    ('Training and Visualizing a Decision Tree', 'train_and_visualize_decision_tree'),
    ('Making Predictions', 'make_predictions'),
    ('Estimating Class Probabilities', 'estimate_class_probabilities'),
    ('1. to 6.', ''),
    ('Clustering', 'cluster'),
    ('Finding the optimal number of clusters', 'find_optimal_number_of_clusters'),
    ('Using Clustering for Image Segmentation', 'use_clustering'),
    ('Using Clustering for Preprocessing', 'use_clustering'),
    ('Spectral Clustering', 'make_spectral_clustering'),
    ('Anomaly Detection Using Gaussian Mixtures', 'detect_anomalies'),
    ('1. to 9.', ''),
    ('10. Cluster the Olivetti Faces Dataset', 'cluster_olivetti_faces_dataset'),
    ('Slope of a straight line', 'make_slope_of_straight_line'),
    ('Example: finding the derivative of $x^2$', 'find_derivative'),
    ('Power rule: $f(x)=x^r$, with $r \\neq 0$', 'make_power_rule'),
    ('Zero, unit and normalized vectors', 'make_vectors'),
    ('Matrix multiplication', 'multiply_matrix'),
    ('Geometric applications of matrix operations', 'apply_matrix_operations'),
    ('Matrix multiplication – Projection onto an axis', 'multiply_matrix'),
    ('What next?', ''),
    ('Table of Contents', ''),
    ('Handling missing data', 'handle_missing_data'),
    ('Saving & loading', 'save_and_load'),
    ('Loading', 'load'),
    ('Combining `DataFrame`s', 'combine_dataframes'),
    ('Introduction to Scikit-Learn: Machine Learning with Python', ''),
    ('A Simple Example: the Iris Dataset', 'make_iris_dataset'),
    ('Loading the Iris Data with Scikit-Learn', 'load_iris_data'),
    ('Classification Example', 'classify'),
    ('Dimensionality Reduction: PCA', 'reduce_dimensionality'),
    ('Clustering: K-means', 'cluster'),
    ('Model Validation', 'validate_model'),
    ('Loading and visualizing the digits data', 'load_and_visualize_digits_data'),
    ('Going further: Kernel Methods', 'make_kernel_methods'),
    ('Application of PCA to Digits', 'apply_pca'),
    ('Clustering: K-Means In-Depth', 'cluster'),
    ('Density Estimation: Gaussian Mixture Models', 'estimate_density'),
    ('Validating Models', 'validate_models'),
    ('Cross-Validation', 'cross_validate'),
    ('K-fold Cross-Validation', 'cross_validate_k_fold'),
    ('Illustration of the Bias-Variance Tradeoff', 'illustrate_bias_variance_tradeoff'),
    ('Character encoding', 'encode_characters'),
    ('Variables and types', 'make_variables_and_types'),
    ('Type casting', 'cast_types'),
    ('String formatting examples', 'format_string'),
    ('Adding, inserting, modifying, and removing elements from lists', 'add_elements'),
    ('File I/O', 'make_file_io'),
    ('Data processing', 'process_data'),
    ('Reshaping, resizing and stacking arrays', 'reshape_arrays'),
    ('Iterating over array elements', 'iterate_over_array_elements'),
    ('Numerical integration: quadrature', 'make_numerical_integration'),
    ('Import dependencies and load data', 'import_dependencies'),
    ('DATA PROCESSING', 'process_data'),
    ('Missing data: Cabin', 'handle_missing_data'),
    ('Sex into numeric', 'convert_sex'),
    ('Random Forest', 'fit_random_forest'),
    ('Results', 'show_results'),
    ('Some exploratory data analysis', 'explore_data'),
    ('Load', 'load'),
    ('1 Load data', 'load_data'),
    ('4 Modeling: Hyperparameter optimization via grid search', 'optimize_hyperparameters'),
    ('5 Model fit and diagnostics', 'fit_model'),
    ('6.1 Static forecasts', 'make_static_forecasts'),
    ('7 Producing and visualizing forecasts', 'produce_and_visualize_forecasts'),
    ('Predicting median house value', 'predict_median_house_value'),
    ('Train test split', 'split_data'),
    ('Random Forest Regressor', 'fit_random_forest_regressor'),
    ('Exercise: Logit vs Probit', 'compare_logit_and_probit'),
    ('Generalized Linear Model Example', 'fit_generalized_linear_model'),
    ('Aside: Binomial distribution', ''),
    ('Plot fitted values vs Pearson residuals', 'plot_fitted_values'),
    ('Histogram of standardized deviance residuals with Kernel Density Estimate overlaid', 'plot_histogram'),
    ('Simple exponential smoothing', 'fit_simple_exponential_smoothing'),
    ('Exponential smoothing', 'fit_exponential_smoothing'),
    ('Loading data', 'load_data'),
    ('Load Star98 data', 'load_star98_data'),
    ('Fit and summary', 'fit_and_summarize'),
    ('Load Scottish Parliament Voting data', 'load_scottish_parliament_voting_data'),
    ('Fit and summary (artificial data)', 'fit_and_summarize'),
    ('Load data', 'load_data'),
    ('Kernel Density Estimation', 'estimate_kernel_density'),
    ('The KDE is a distribution', ''),
    ('Ordinary Least Squares', 'fit_ordinary_least_squares'),
    ('OLS estimation', 'estimate_ols'),
    ('Joint hypothesis test', 'run_joint_hypothesis_test'),
    ('Condition number', 'make_condition_number'),
    ('statsmodels Principal Component Analysis', 'run_statsmodels_principal_component_analysis'),
    ('Box Plots', 'make_box_plots'),
    ('First plot', 'make_first_plot'),
    ('Comparing OLS and RLM', 'compare_ols_and_rlm'),
    ('Forecasting in statsmodels', 'forecast_in_statsmodels'),
    ('Forecasting', 'forecast'),
    ('Specifying the number of forecasts', 'specify_number_of_forecasts'),
    ('Prediction vs Forecasting', 'compare_prediction_and_forecasting'),
    ('Power', 'make_power'),
    ('Weighted Least Squares', 'fit_weighted_least_squares'),
    ('OLS vs. WLS', 'compare_ols_and_wls'),
    ('Feasible Weighted Least Squares (2-stage FWLS)', 'fit_feasible_weighted_least_squares'),
]


@pytest.mark.parametrize("heading, expected", REAL_HEADINGS)
def test_real_headings(heading, expected):
    assert function_name(heading) == expected


# One row per rule, before/after.
RULES = [
    # verb-object, no dangling article, preposition or conjunction
    ("Split Data into Training and Validation Sets", "split_data"),
    ("Train Model on Training Set", "train_model"),
    ("Validate Model on Validation Set", "validate_model"),
    ("Discover and Visualize the Data to Gain Insights", "discover_and_visualize_data"),
    ("Compute the mean of", "compute_mean"),
    # numbering and labels
    ("1.2 Load data", "load_data"),
    ("Step 3: Clean the data", "clean_data"),
    ("Step 3 - Clean the data", "clean_data"),
    ("iv. Plot results", "plot_results"),
    ("Part 2: Train the model", "train_model"),
    ("Exercise 4: Evaluate the model", "evaluate_model"),
    ("3)", ""),
    # nouns get a verb: nominalisation, table, default
    ("Data Cleaning", "clean_data"),
    ("Feature engineering", "engineer_features"),
    ("Report", "make_report"),
    ("Model evaluation", "evaluate_model"),
    ("Evaluation of the model", "evaluate_model"),
    ("Hyperparameter tuning", "tune_hyperparameters"),
    ("Outlier detection", "detect_outliers"),
    ("Confusion matrix", "make_confusion_matrix"),
    # a noun that is also a verb is a verb only before an article or a break
    ("Sample the data", "sample_data"),
    ("Sample weights", "make_sample_weights"),
    ("List comprehensions", "make_list_comprehensions"),
    # markup and math
    ("**Load** the [data](http://example.org)", "load_data"),
    ("Plot `df.describe()` results", "plot_df_describe_results"),
    ("Fit $y = ax + b$", "fit"),
    ("<b>Clean</b> the data", "clean_data"),
    # asides and clauses give no words to the name
    ("Load the data (from disk)", "load_data"),
    ("Missing values: Age", "handle_missing_values"),
    # openers
    ("Let's train the model", "train_model"),
    ("Now, we evaluate", "evaluate"),
    ("How to clean the data", "clean_data"),
    # comparisons and conversions
    ("Ridge vs Lasso", "compare_ridge_and_lasso"),
    ("Age into bins", "convert_age"),
    # non-ASCII: transliterated by NFKD, the rest dropped
    ("Données nettoyées", "make_donnees_nettoyees"),
    ("Ｌｏａｄ ｄａｔａ", "load_data"),
    ("📊 Plot results", "plot_results"),
    ("Évaluation du modèle", "make_evaluation_du_modele"),
    ("数据清洗", ""),
    # nothing usable
    ("", ""),
    ("   ", ""),
    ("Introduction", ""),
    ("What is a model?", ""),
    ("The model is good", ""),
    ("42", ""),
    # long headings are cut to MAX_WORDS, keeping the head noun
    ("Load the raw historical daily weather station temperature data", "load_weather_station_temperature_data"),
]


@pytest.mark.parametrize("heading, expected", RULES)
def test_rules(heading, expected):
    assert function_name(heading) == expected


def test_nouns_take_the_given_verb():
    assert function_name("Condition number", verb="compute") == "compute_condition_number"
    assert function_name("Report", verb="compute") == "make_report"


# --- name_functions ----------------------------------------------------------------------------------

NAMING = [
    # (candidates, taken, expected)
    ([Candidate("Report", binds=("report",))], {"report"}, ["make_report"]),
    (
        [Candidate("Train", binds=("model",)), Candidate("Train", binds=("forest",))],
        {"model", "forest"},
        ["train_model", "train_forest"],
    ),
    (
        [Candidate("Train Model on Training Set", binds=("model",)), Candidate("Train Model", binds=("forest",))],
        set(),
        ["train_model", "train_forest"],
    ),
    (
        [Candidate("Missing data: Cabin"), Candidate("Missing data: Age"), Candidate("Missing data: Embarked")],
        set(),
        ["handle_missing_data", "handle_missing_data_age", "handle_missing_data_embarked"],
    ),
    (
        [Candidate("Using Clustering for Image Segmentation"), Candidate("Using Clustering for Preprocessing")],
        set(),
        ["use_clustering", "use_clustering_for_preprocessing"],
    ),
    (
        [Candidate("Grid Search", binds=("param_grid", "grid_search")), Candidate("Grid Search", binds=("svm_grid",))],
        {"param_grid", "grid_search", "svm_grid"},
        ["run_grid_search", "run_svm_grid"],
    ),
    # unnamed sections: named from what they return, by what they do; never step_N
    (
        [
            Candidate(binds=("housing",), result="pd.read_csv"),
            Candidate(binds=("model", "score"), result="score"),
            Candidate(binds=("forest",), result="RandomForestRegressor"),
            Candidate(binds=("fig",), result="plt.subplots"),
            Candidate(binds=("accuracy",)),
        ],
        set(),
        ["load_housing", "compute_score", "make_forest", "plot_fig", "compute_accuracy"],
    ),
    ([Candidate("Introduction", binds=("X_train",))], set(), ["compute_x_train"]),
    ([Candidate(result="df.describe")], set(), ["run_describe"]),
    # nouns without a table verb take the section's verb
    (
        [
            Candidate("Condition number", binds=("condition_number",), result="np.linalg.cond"),
            Candidate("Sunspots Data", binds=("dta",), result="sm.datasets.sunspots.load_pandas"),
        ],
        {"condition_number", "dta"},
        ["compute_condition_number", "load_sunspots_data"],
    ),
    # explicit names win and are never taken by another section
    ([Candidate("Load data"), Candidate("Clean", name="load_data")], set(), ["load_data_again", "load_data"]),
    # taken names are never shadowed, compared after NFKC
    ([Candidate("Load data")], {"ｌｏａｄ_ｄａｔａ"}, ["load_data_again"]),
    ([Candidate("Main")], {"main"}, ["compute_section"]),
    ([Candidate("Run", binds=()), Candidate("Init")], set(), ["run_again", "make_init"]),
    ([Candidate("Plot")], {"plot"}, ["plot_again"]),
    # a numeric suffix only when nothing else tells the sections apart
    ([Candidate("Train", binds=("m",)), Candidate("Train", binds=("m",))], {"m"}, ["train_m", "train_m_again"]),
    ([Candidate(), Candidate()], set(), ["compute_section", "compute_section_again"]),
]


@pytest.mark.parametrize("candidates, taken, expected", NAMING)
def test_name_functions(candidates, taken, expected):
    assert name_functions(candidates, taken) == expected


def test_keywords_are_never_names():
    assert function_name("Import") == ""
    assert name_functions([Candidate("Import", binds=("np",)), Candidate("Import")], set()) == ["import_np", "compute_section"]


@pytest.mark.parametrize(
    "candidates, message",
    [
        ([Candidate(name="not a name")], "not a Python identifier"),
        ([Candidate(name="class")], "not a Python identifier"),
        ([Candidate(name="ﬁt"), Candidate(name="fit")], "both named"),
    ],
)
def test_bad_explicit_names(candidates, message):
    with pytest.raises(ValueError, match=message):
        name_functions(candidates, set())


# --- properties --------------------------------------------------------------------------------------

PIECES = list("abcdeilnorstuvyADLMT ,:-()?&$`*_1234567890éßﬁ") + [
    " the ", " of ", " and ", " for ", " Data", " Model", " Train", " Evaluation", " Plot", " Report", " Cleaning",
]
headings = st.lists(st.sampled_from(PIECES), max_size=20).map("".join)


@settings(max_examples=150, deadline=None)
@given(headings)
def test_names_are_short_identifiers_without_dangling_words(heading):
    name = function_name(heading)
    if not name:
        return
    words = name.split("_")
    assert name.isidentifier() and name.isascii() and not keyword.iskeyword(name)
    assert name == name.lower() and "" not in words
    assert len(words) <= MAX_WORDS
    assert words[-1] not in ARTICLES | PREPOSITIONS | CONJUNCTIONS
    assert function_name(heading) == name


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.tuples(headings, st.lists(st.sampled_from(["df", "model", "ｍｏｄｅｌ", "X_train", "é"]), max_size=3)), max_size=6),
    st.sets(st.sampled_from(["load_data", "train_model", "ｔｒａｉｎ", "make_data", "plot", "compute_section"]), max_size=4),
)
def test_names_are_distinct_and_never_shadow(sections, taken):
    candidates = [Candidate(heading, binds=tuple(binds)) for heading, binds in sections]
    names = name_functions(candidates, taken)
    normal = [unicodedata.normalize("NFKC", name) for name in names]
    assert len(set(normal)) == len(names)
    assert not set(normal) & {unicodedata.normalize("NFKC", name) for name in taken}
    assert all(name.isidentifier() and not keyword.iskeyword(name) for name in names)
    assert not any(name.startswith("step_") for name in names)
    assert name_functions(candidates, taken) == names


# --- star imports ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "module, present, absent",
    [
        ("numpy", {"sin", "array", "pi", "nan", "linspace"}, {"np", "_NoValue"}),
        ("math", {"sqrt", "pi", "inf", "floor"}, {"_"}),
        ("pylab", {"plot", "show", "figure", "sin", "linspace"}, set()),
        # pyplot has no __all__: its star import also binds the `np` it imported
        ("matplotlib.pyplot", {"plot", "subplots", "show", "np"}, {"_api"}),
        ("sympy", {"Symbol", "symbols", "sin", "diff", "integrate"}, set()),
        ("os.path", {"join", "exists", "dirname"}, set()),
        ("tkinter", {"Tk", "Button", "END"}, set()),
    ],
)
def test_star_import_names(module, present, absent):
    names = naming.STAR_IMPORT_NAMES[module]
    assert present <= names
    assert not absent & names


def test_star_import_names_are_identifiers():
    for module, names in naming.STAR_IMPORT_NAMES.items():
        assert names, module
        assert all(name.isidentifier() for name in names), module


def test_the_package_reads_no_library_for_star_names():
    source = open(naming.__file__.replace("naming.py", "star_import_names.py")).read()
    imports = [node for node in ast.walk(ast.parse(source)) if isinstance(node, (ast.Import, ast.ImportFrom))]
    assert imports == []
