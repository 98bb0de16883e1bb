"""The words nbrefactor.naming knows: which are verbs, which nouns name an action, which say nothing.

Kept as data, apart from the rules that use them. A word missing here is read as a noun; adding a
word changes names only for headings that contain it. Every word is lower case ASCII; hyphenated
compounds are written with an underscore (`cross_validation`), as headings are read.
"""

# Verbs a heading starts with (base form). `-ing` forms are found from these (`visualizing`).
VERBS = frozenset("""
    access add adjust aggregate align analyse analyze annotate append apply assemble assess
    assign augment average balance bin binarize build calculate calibrate cast change check
    choose classify clean cluster collect combine compare compose compute concatenate condense
    configure construct convert copy correct count create cross_validate customize decode
    decompose define deploy derive describe detect determine differentiate discover display
    divide download draw drop embed encode engineer estimate evaluate examine experiment explain
    explore export extract fetch fill filter find fine_tune fit flatten forecast format generate
    get group handle identify illustrate import impute infer initialize insert inspect install
    integrate interpolate interpret introduce invert investigate iterate join keep label learn
    list load look make manipulate map mask measure merge minimize modify monitor motivate
    multiply normalise normalize optimise optimize order organize parse partition persist pick
    pivot plot predict prepare preprocess print process produce project prune query read rebuild
    record reduce refine regularize remove rename render reorder repeat replace report resample
    rescale reshape resize restore retrain review rotate run sample save scale score search
    select separate serialize set setup shift show shuffle simplify simulate slice smooth solve
    sort specify split stack standardise standardize store summarise summarize take tokenize
    track train transform translate transpose tune unstack update upload upsample use validate
    vary vectorize verify view visualise visualize wrangle write
""".split())

# Nouns that name an action: the heading's verb when one of them heads it (`Model evaluation`).
NOMINALISATIONS = {
    "addition": "add", "aggregation": "aggregate", "analysis": "analyze", "application": "apply",
    "assessment": "assess", "augmentation": "augment", "calculation": "calculate",
    "calibration": "calibrate", "classification": "classify", "comparison": "compare",
    "computation": "compute", "concatenation": "concatenate", "configuration": "configure",
    "construction": "construct", "conversion": "convert", "creation": "create",
    "cross_validation": "cross_validate", "decomposition": "decompose", "definition": "define",
    "deployment": "deploy", "description": "describe", "detection": "detect",
    "differentiation": "differentiate", "discovery": "discover", "estimation": "estimate",
    "evaluation": "evaluate", "exploration": "explore", "extraction": "extract", "fit": "fit",
    "generation": "generate", "illustration": "illustrate", "imputation": "impute",
    "initialization": "initialize", "inspection": "inspect", "installation": "install",
    "integration": "integrate", "interpolation": "interpolate", "inverse": "invert",
    "inversion": "invert", "manipulation": "manipulate", "measurement": "measure",
    "multiplication": "multiply", "normalization": "normalize", "optimization": "optimize",
    "persistence": "persist", "prediction": "predict", "preparation": "prepare",
    "projection": "project", "reduction": "reduce", "regularization": "regularize",
    "representation": "represent", "rotation": "rotate", "selection": "select",
    "separation": "separate", "simulation": "simulate", "split": "split",
    "standardization": "standardize", "summary": "summarize", "transformation": "transform",
    "transpose": "transpose", "validation": "validate", "visualisation": "visualize",
    "visualization": "visualize",
}

# Verbs given to a heading of nouns, by its last noun (`Report` -> `make_report`).
NOUN_VERBS = {
    "arima": "fit", "bayes": "fit", "boosting": "fit", "classifier": "fit", "classifiers": "fit",
    "curve": "plot", "curves": "plot", "descent": "run", "estimator": "fit", "forest": "fit",
    "histogram": "plot", "histograms": "plot", "knn": "fit", "mixture": "fit", "mixtures": "fit",
    "model": "fit", "models": "fit", "net": "fit", "network": "train", "pipeline": "build",
    "pipelines": "build", "regression": "fit", "regressor": "fit", "report": "make",
    "results": "show", "search": "run", "squares": "fit", "svm": "fit", "test": "run",
    "tests": "run", "tree": "fit", "trees": "fit",
}

# Technique names whose last word would otherwise be read as an action (`Exponential smoothing` is not
# `smooth_exponential`), with the verb they take.
COMPOUND_NOUNS = {
    "early stopping": "use", "exponential smoothing": "fit", "machine learning": "use",
    "missing data": "handle", "missing values": "handle", "principal component analysis": "run",
}

# Whole headings with an idiomatic name.
PHRASES = {
    "exploratory data analysis": "explore_data",
    "train test split": "split_data",
    "train validation split": "split_data",
}

# `-ing` words that, directly before a noun, describe it (`Learning Curves`, `Training Set`).
MODIFIER_GERUNDS = frozenset("learning missing moving rolling training testing working".split())

# Nouns that read better plural as the object of an action (`Feature engineering` -> `engineer_features`).
PLURAL_OBJECTS = {
    "anomaly": "anomalies", "character": "characters", "column": "columns", "feature": "features",
    "hyperparameter": "hyperparameters", "image": "images", "label": "labels",
    "outlier": "outliers", "parameter": "parameters", "prediction": "predictions", "row": "rows",
    "type": "types", "value": "values", "variable": "variables", "word": "words",
}

# Adjectives that say how, not what: dropped when they would be an action's only object.
VAGUE_ADJECTIVES = frozenset("""
    additional advanced basic better brief detailed different extra final first full further general
    initial main more multiple new optional other quick second short simple third various
""".split())

# Headings that say nothing about what the code does: the section is named from what it computes.
NON_DESCRIPTIVE = frozenset("""
    appendix basics conclusion conclusions contents discussion extra intro introduction material
    misc miscellaneous notes outline overview preamble reading references remainder setup
    solution solutions summary table todo versions
""".split())
# Words dropped from a heading that has others (`Classification Example` -> `classify`).
EXAMPLES = frozenset("example examples".split())
# Words that leave the naming to the heading's next clause (`A Simple Example: the Iris Dataset`).
FILLERS = frozenset("""
    example examples exercise exercises further going hint modeling modelling note question questions
    recap tip
""".split())

# Words dropped where they open a heading: `Let's explore the data`, `How to train a model`.
OPENERS = frozenset("finally here how let lets now s then to us we".split())
# Words that open a question heading (`What is machine learning?`): such a heading names nothing.
QUESTION_WORDS = frozenset("what why how which who when where whom whose is are does do can should".split())
# Labels of a remark (`Note: you can skip this`): such a heading names nothing.
REMARKS = frozenset("aside hint note tip".split())
# Labels before a colon or a number (`Exercise 3:`, `Step 2.`): dropped.
LABELS = frozenset("""
    aside bonus chapter example exercise hint lab lesson note optional part question quick recap
    section solution step task tip
""".split())

ARTICLES = frozenset("a an the".split())
DETERMINERS = ARTICLES | frozenset("""
    all another any both each every few her his its many most much my our several some that their
    these this those your
""".split())
# Words that make a heading a statement (`The KDE is a distribution`) rather than an instruction.
STATEMENT_VERBS = frozenset("is are was were has have".split())
PREPOSITIONS = frozenset("""
    about above across after against along among around as at based before behind below beneath beside
    between beyond by despite down during except for from in inside into like near of off on onto out
    outside over per since through throughout to toward towards under until up upon using via with
    within without
""".split())
CONJUNCTIONS = frozenset("and or but nor so yet than then".split())
COMPARISONS = frozenset("vs versus".split())
# Prepositions after which a noun heading's first noun is what gets converted (`Sex into numeric`).
CONVERSIONS = frozenset(["into"])

# Pre-modifiers of an action noun ending so are adjectives, not its object (`Spectral clustering`),
# except for the nouns listed.
ADJECTIVE_ENDINGS = ("al", "ic", "ive", "ous", "ar", "ary", "ful", "less", "able", "ible")
NOUNS_LIKE_ADJECTIVES = frozenset("""
    animal interval journal material potential signal survival table terminal total trial tutorial
    variable
""".split())

# Spellings joined into one word before a heading is read.
JOINED = {"cross validat": "cross-validat", "fine tun": "fine-tun"}

# What a section does, by how the name of the function its last statement calls begins: the verb of
# a section with no usable heading, and of a heading of nouns the tables give no verb.
CALL_VERBS = (
    ("read", "load"), ("load", "load"), ("open", "load"), ("fetch", "load"), ("download", "load"),
    ("fit", "fit"), ("train", "train"), ("predict", "predict"), ("plot", "plot"), ("subplot", "plot"),
    ("figure", "plot"), ("scatter", "plot"), ("hist", "plot"), ("imshow", "plot"), ("split", "split"),
    ("merge", "merge"), ("concat", "merge"), ("score", "score"), ("save", "save"), ("to_", "save"),
    ("dump", "save"), ("write", "save"),
)

# Words that are nouns as often as verbs: read as a verb at the start of a heading only before an
# article or a break (`Sample the data` but `Sample weights`, `List comprehensions`).
NOUN_OR_VERB = frozenset("""
    average bin change count display experiment group label list map mask order process project
    query record report review sample score search set slice sort test view
""".split())


# Verbs tried, in this order, for a section whose natural name, the names from what it binds and its
# `_again` form are taken (a heading repeated three times, a star-import name), before a number is added.
OTHER_VERBS = ("make", "compute", "show", "build", "get", "find", "explore", "use", "try", "check")
