"""Finding and reading `[tool.nbrefactor]` / `[nbrefactor]`, and how its values become settings."""
from pathlib import Path

import pytest

from nbrefactor.config import ConfigError, Settings, find_config, settings_for


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def notebook(tmp_path, monkeypatch):
    """A notebook two folders below the project root, which is the working folder."""
    monkeypatch.chdir(tmp_path)
    return write(tmp_path / "analysis" / "deep" / "model.ipynb", "{}")


def test_no_config_gives_the_defaults_and_the_flags(notebook):
    assert settings_for(notebook, {"kind": "train", "name": None}) == Settings(kind="train")


def test_pyproject_is_found_from_the_notebook_upwards(notebook, tmp_path):
    write(tmp_path / "pyproject.toml", '[tool.nbrefactor]\nkind = "score"\nname = "predict"\n')

    settings = settings_for(notebook, {})

    assert (settings.kind, settings.name) == ("score", "predict")


def test_the_nearest_file_with_the_section_wins(notebook, tmp_path):
    write(tmp_path / "pyproject.toml", '[tool.nbrefactor]\nname = "outer"\n')
    write(tmp_path / "analysis" / "setup.cfg", "[nbrefactor]\nname = inner\n")
    write(tmp_path / "analysis" / "deep" / "pyproject.toml", '[tool.black]\nline-length = 100\n')

    config = find_config(notebook.parent)

    assert config.path == tmp_path / "analysis" / "setup.cfg"
    assert settings_for(notebook, {}).name == "inner"


def test_pyproject_comes_before_setup_cfg_in_one_folder(notebook, tmp_path):
    write(tmp_path / "pyproject.toml", '[tool.nbrefactor]\nname = "from_toml"\n')
    write(tmp_path / "setup.cfg", "[nbrefactor]\nname = from_cfg\n")

    assert settings_for(notebook, {}).name == "from_toml"


def test_flags_win_over_the_config(notebook, tmp_path):
    write(tmp_path / "pyproject.toml", '[tool.nbrefactor]\nkind = "score"\noutput-dir = "src"\n')

    settings = settings_for(notebook, {"kind": "train", "output_dir": "elsewhere", "name": None})

    assert (settings.kind, settings.output_dir) == ("train", "elsewhere")


def test_paths_are_relative_to_the_config_file(notebook, tmp_path):
    (tmp_path / ".git").mkdir()
    write(tmp_path / "analysis" / "pyproject.toml", '[tool.nbrefactor]\noutput-dir = "../src"\ntemplate-dir = "templates"\n')

    settings = settings_for(notebook, {})

    assert settings.output_dir == "src"
    assert Path(settings.template_dir) == tmp_path / "analysis" / "templates"


def test_all_keys_from_pyproject(notebook, tmp_path):
    write(
        tmp_path / "pyproject.toml",
        "[tool.nbrefactor]\n"
        'pure-methods = ["summarize", "peek"]\n'
        'disabled-rules = ["plot"]\n'
        "[tool.nbrefactor.functions]\n"
        '"Load Data" = "load_data"\n'
        '"Train Model on Training Set" = "fit_model"\n',
    )

    settings = settings_for(notebook, {})

    assert settings.names == (("Load Data", "load_data"), ("Train Model on Training Set", "fit_model"))
    assert settings.pure_methods == ("summarize", "peek")
    assert settings.disabled_rules == ("plot",)
    assert "summarize" in settings.rules.pure_methods
    assert settings.rules.enabled == ("display", "print")


def test_all_keys_from_setup_cfg(notebook, tmp_path):
    write(
        tmp_path / "setup.cfg",
        "[nbrefactor]\n"
        "pure-methods = summarize, peek\n"
        "disabled-rules =\n    print\n    plot\n"
        "functions =\n    Load Data = load_data\n    Train Model on Training Set = fit_model\n",
    )

    settings = settings_for(notebook, {})

    assert settings.names == (("Load Data", "load_data"), ("Train Model on Training Set", "fit_model"))
    assert settings.pure_methods == ("summarize", "peek")
    assert settings.disabled_rules == ("print", "plot")


def test_per_notebook_tables_apply_to_matching_notebooks(notebook, tmp_path):
    write(
        tmp_path / "pyproject.toml",
        '[tool.nbrefactor]\nkind = "train"\n'
        '[tool.nbrefactor.functions]\n"Load Data" = "load_data"\n'
        '[tool.nbrefactor.notebooks."analysis/*/model.ipynb"]\nname = "model"\n'
        '[tool.nbrefactor.notebooks."analysis/*/model.ipynb".functions]\n"Score" = "score_rows"\n'
        '[tool.nbrefactor.notebooks."other.ipynb"]\nname = "other"\n',
    )

    settings = settings_for(notebook, {})

    assert (settings.kind, settings.name) == ("train", "model")
    assert dict(settings.names) == {"Load Data": "load_data", "Score": "score_rows"}


def test_per_notebook_sections_in_setup_cfg(notebook, tmp_path):
    write(tmp_path / "setup.cfg", "[nbrefactor]\nkind = train\n[nbrefactor:analysis/deep/model.ipynb]\nkind = score\n")

    assert settings_for(notebook, {}).kind == "score"


@pytest.mark.parametrize(
    "file, text, message",
    [
        ("pyproject.toml", '[tool.nbrefactor]\noutput = "src"\n', "pyproject.toml: unknown key 'output' in [tool.nbrefactor]"),
        ("setup.cfg", "[nbrefactor]\nfunction-names = x\n", "setup.cfg: unknown key 'function_names' in [nbrefactor]"),
        (
            "pyproject.toml",
            '[tool.nbrefactor.notebooks."a.ipynb"]\nnotebooks = "b"\n',
            "pyproject.toml: unknown key 'notebooks' in [tool.nbrefactor.notebooks.'a.ipynb']",
        ),
        ("setup.cfg", "[nbrefactor:a.ipynb]\nstyle = x\n", "setup.cfg: unknown key 'style' in [nbrefactor:a.ipynb]"),
        ("pyproject.toml", '[tool.nbrefactor]\nkind = "predict"\n', "pyproject.toml: 'kind' in [tool.nbrefactor] must be one of auto, train, score"),
        ("pyproject.toml", '[tool.nbrefactor]\nname = "my-script"\n', "pyproject.toml: 'name' in [tool.nbrefactor] must be a Python identifier"),
        ("pyproject.toml", '[tool.nbrefactor]\nname = "class"\n', "pyproject.toml: 'name' in [tool.nbrefactor] is a Python keyword"),
        ("pyproject.toml", '[tool.nbrefactor]\nname = "\uff4d\uff41\uff49\uff4e"\n', "pyproject.toml: 'name' in [tool.nbrefactor] is not in NFKC form (Python reads it as 'main')"),
        ("pyproject.toml", '[tool.nbrefactor]\npure-methods = "peek"\n', "pyproject.toml: 'pure_methods' in [tool.nbrefactor] must be a list of at most 1000 short strings"),
        ("setup.cfg", "[nbrefactor]\ndisabled-rules = loops\n", "setup.cfg: 'disabled_rules' in [nbrefactor] may only name display, print, plot"),
        ("pyproject.toml", '[tool.nbrefactor]\nignore = ["NB1"]\n', "pyproject.toml: 'ignore' in [tool.nbrefactor] may only name NB101"),
        ("pyproject.toml", '[tool.nbrefactor.functions]\n"Load Data" = "load data"\n', "pyproject.toml: 'functions' in [tool.nbrefactor] maps 'Load Data' to a bad function name: must be a Python identifier"),
        ("pyproject.toml", '[tool.nbrefactor.functions]\n"Fit" = "\ufb01t"\n', "pyproject.toml: 'functions' in [tool.nbrefactor] maps 'Fit' to a bad function name: is not in NFKC form"),
        ("pyproject.toml", '[tool.nbrefactor.functions]\n"Fit" = "def"\n', "pyproject.toml: 'functions' in [tool.nbrefactor] maps 'Fit' to a bad function name: is a Python keyword"),
        ("pyproject.toml", "[tool.nbrefactor\n", "pyproject.toml: not valid TOML: "),
        ("pyproject.toml", "tool = 5\n", "pyproject.toml: 'tool' must be a table"),
        ("pyproject.toml", '[tool.nbrefactor]\noutput-dir = "a\\u0000b"\n', "pyproject.toml: 'output_dir' in [tool.nbrefactor] holds a control character"),
        ("pyproject.toml", '[tool.nbrefactor]\noutput-dir = "' + "a" * 2000 + '"\n', "pyproject.toml: 'output_dir' in [tool.nbrefactor] is longer than 1000 characters"),
        ("pyproject.toml", "[tool.nbrefactor]\npure-methods = " + "[" * 3000 + "]" * 3000 + "\n", "pyproject.toml: not usable TOML: values nested too deeply"),
        ("pyproject.toml", "[tool.nbrefactor]\npure-methods = [" + '"a", ' * 1001 + "]\n", "pyproject.toml: 'pure_methods' in [tool.nbrefactor] must be a list of at most 1000"),
        ("pyproject.toml", "[tool.nbrefactor]\nkind = 1" + "0" * 5000 + "\n", "pyproject.toml: not usable TOML: Exceeds the limit"),
        ("pyproject.toml", '[tool.nbrefactor]\noutput-dir = "/elsewhere"\n', "pyproject.toml: 'output_dir' must name a folder inside the project"),
        ("pyproject.toml", '[tool.nbrefactor]\ntemplate-dir = "../../.."\n', "pyproject.toml: 'template_dir' must name a folder inside the project"),
        ("pyproject.toml", "# padding\n" * 200_000, "pyproject.toml: is 2 MB, over the 1 MB limit"),
    ],
)
def test_bad_config_is_an_error_naming_the_file(notebook, tmp_path, file, text, message):
    write(tmp_path / file, text)

    with pytest.raises(ConfigError) as raised:
        settings_for(notebook, {})

    assert str(raised.value).startswith(message)
    assert "\n" not in str(raised.value) and len(str(raised.value)) < 400


def test_the_digest_counts_a_template_folder_by_content_not_path(tmp_path):
    for folder in ("one", "two", "three"):
        write(tmp_path / folder / "train.py.j2", '{% extends "script.py.j2" %}\n')
    write(tmp_path / "three" / "train.py.j2", '{% extends "script.py.j2" %}\n{# changed #}\n')

    one, two, three = (Settings(template_dir=str(tmp_path / name)).digest_fields() for name in ("one", "two", "three"))

    assert one == two
    assert one != three


def test_the_digest_ignores_where_outputs_go_and_strictness():
    assert Settings(output_dir="a", strict=True).digest_fields() == Settings().digest_fields()
    assert Settings(name="score").digest_fields() != Settings().digest_fields()
