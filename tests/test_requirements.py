"""requirements-<module>.txt from a notebook's `!pip install` lines and its third-party imports."""
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nbrefactor import requirements
from nbrefactor.requirements import environment_distributions, pip_requirements, requirements_txt

# (install line, requirements, notes about what was left out)
PIP_LINES = [
    ("!pip install pandas", ["pandas"], []),
    ("%pip install -q numpy pandas==2.2", ["numpy", "pandas==2.2"], []),
    ("!pip3 install --upgrade scikit-learn", ["scikit-learn"], []),
    ("!python -m pip install -U seaborn", ["seaborn"], []),
    ("!{sys.executable} -m pip install tqdm", ["tqdm"], []),
    ("!pip --quiet install joblib", ["joblib"], []),
    ('!pip install "scikit-learn >= 1.0, <2"', ["scikit-learn>=1.0,<2"], []),
    ("!pip install Foo_Bar[extra,other]~=1.2", ["Foo_Bar[extra,other]~=1.2"], []),
    ("!pip install \"tomli; python_version < '3.11'\"", ["tomli; python_version < '3.11'"], []),
    ("!pip install pkg@https://example.org/pkg.whl", ["pkg @ https://example.org/pkg.whl"], []),
    # options and their values are never packages
    ("!pip install -r requirements.txt xgboost", ["xgboost"], ["-r requirements.txt"]),
    ("!pip install --requirement=dev.txt", [], ["--requirement dev.txt"]),
    ("!pip install -e . lightgbm", ["lightgbm"], ["-e ."]),
    ("!pip install -i https://pypi.example/simple --extra-index-url https://x/simple torch", ["torch"], []),
    ("!pip install --target ./libs --no-deps -qU plotly", ["plotly"], []),
    ("!pip install -c constraints.txt polars", ["polars"], ["-c constraints.txt"]),
    # paths, URLs and variables are named in a comment
    ("!pip install ./local_pkg", [], ["./local_pkg"]),
    ("!pip install git+https://github.com/owner/repo.git", [], ["git+https://github.com/owner/repo.git"]),
    ("!pip install $PACKAGE {extra}", [], ["$PACKAGE", "{extra}"]),
    # shell around the install
    ("!cd tmp && pip install requests; ls", ["requests"], []),
    ("!pip install rich  # pretty output", ["rich"], []),
    # an unquoted specifier is what the notebook meant, though a shell reads `>` as a redirection
    ("!pip install pandas>=1.0", ["pandas>=1.0"], []),
    # not an install
    ("!pip show numpy", [], []),
    ("!pip uninstall -y numpy", [], []),
    ("!conda install numpy", [], []),
    ("!echo pip install numpy", [], []),
    ('!pip install "unclosed', [], ['!pip install "unclosed (could not be parsed)']),
]


@pytest.mark.parametrize("line, specs, notes", PIP_LINES)
def test_pip_requirements(line, specs, notes):
    assert pip_requirements(line) == (specs, notes)


DISTRIBUTIONS = {
    "sklearn": ["scikit-learn"],
    "numpy": ["numpy"],
    "yaml": ["PyYAML"],
    "google": ["protobuf", "google-auth", "google-auth"],
    "mylib": ["my-lib"],
}

# (pip lines, imported modules, requirements.txt)
CASES = [
    ([], [], ""),
    # imports mapped to distributions, standard library skipped, sorted by normalised name
    ([], ["sklearn.model_selection", "numpy", "os", "json", "yaml"], "numpy\nPyYAML\nscikit-learn\n"),
    # a pinned pip line wins over the import's unpinned name, whatever the spelling
    (["!pip install Scikit_Learn==1.5"], ["sklearn"], "Scikit_Learn==1.5\n"),
    # the last request of a package wins, as when the cells ran
    (["!pip install numpy==1.26", "!pip install -U numpy"], [], "numpy\n"),
    (["!pip install numpy", "!pip install 'numpy<2'"], ["numpy"], "numpy<2\n"),
    # no pins the notebook did not write
    ([], ["numpy"], "numpy\n"),
    # the environment lacks the module: the table of well-known names, else a comment
    ([], ["cv2", "PIL", "mystery"], "opencv-python\nPillow\n# mystery: imported, but no known distribution provides it\n"),
    # a module several distributions provide is not guessed
    ([], ["google.protobuf"], "# google: imported; provided by several distributions: google-auth, protobuf\n"),
    # a module the pip lines already name is not reported as unknown
    (["!pip install mystery"], ["mystery"], "mystery\n"),
    # installing pip itself is not a requirement of the script
    (["!pip install --upgrade pip wheel"], [], "wheel\n"),
    # what was left out is named
    (
        ["!pip install -r extra.txt", "!pip install ./here"],
        ["mylib"],
        "my-lib\n# not included: pip install -r extra.txt\n# not included: pip install ./here\n",
    ),
]


@pytest.mark.parametrize("pip_lines, modules, expected", CASES)
def test_requirements_txt(pip_lines, modules, expected):
    assert requirements_txt(pip_lines, modules, DISTRIBUTIONS) == expected


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.sampled_from(["!pip install numpy", "!pip install pandas==2.2 numpy", "%pip install -q Seaborn",
                              "!pip install -r r.txt", "!pip install seaborn>=0.13"]), max_size=5),
    st.lists(st.sampled_from(["numpy", "sklearn", "os", "pandas", "mystery", "yaml.loader", "google"]), max_size=6),
)
def test_sorted_unique_and_order_free_for_imports(pip_lines, modules):
    text = requirements_txt(pip_lines, modules, DISTRIBUTIONS)
    names = [line.split("=")[0].split(">")[0].lower() for line in text.splitlines() if not line.startswith("#")]
    assert names == sorted(set(names), key=lambda name: name.replace("_", "-"))
    assert requirements_txt(pip_lines, list(reversed(modules)), DISTRIBUTIONS) == text
    assert text == "" or text.endswith("\n")


def test_the_environment_is_read_only_by_default(monkeypatch):
    monkeypatch.setattr(requirements, "environment_distributions", lambda: {"numpy": ["numpy-from-env"]})
    assert requirements_txt([], ["numpy"]) == "numpy-from-env\n"
    assert requirements_txt([], ["numpy"], {}) == "numpy\n"


def test_environment_distributions_reads_installed_metadata():
    assert "pytest" in environment_distributions()["pytest"]


# --- convert --requirements / `requirements = true` ------------------------------------------------

import json  # noqa: E402

from click.testing import CliRunner  # noqa: E402
from support import notebook_text  # noqa: E402

from nbrefactor.cli import main  # noqa: E402

INSTALLING = notebook_text(
    ("code", "!pip install -q 'xgboost>=2' pip\nimport json\nimport numpy as np"),
    ("markdown", "# Use"),
    ("code", "x = np.ones(2)\nprint(json.dumps(x.tolist()))"),
)


def _convert(folder, *args):
    """convert, run in `folder` (the fixture made it the current folder)."""
    return CliRunner().invoke(main, ["convert", *args], catch_exceptions=False)


@pytest.fixture
def project(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".git").mkdir()
    (tmp_path / "nb.ipynb").write_text(INSTALLING, encoding="utf-8")
    return tmp_path


def _requirement_lines(path):
    return [line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]


def test_the_flag_writes_the_installs_and_the_imported_distributions(project):
    done = _convert(project, "--requirements", "nb.ipynb")
    again = _convert(project, "--requirements", "--check", "nb.ipynb")

    assert done.exit_code == 0, done.output
    assert _requirement_lines(project / "requirements-nb.txt") == ["numpy", "xgboost>=2"]
    assert again.exit_code == 0, again.output


def test_without_the_flag_no_requirements_file_is_written(project):
    assert _convert(project, "nb.ipynb").exit_code == 0
    assert not (project / "requirements-nb.txt").exists()


def test_the_configuration_key_asks_for_it_too_and_a_file_a_person_wrote_is_kept(project):
    (project / "pyproject.toml").write_text("[tool.nbrefactor]\nrequirements = true\n", encoding="utf-8")
    (project / "requirements-nb.txt").write_text("numpy==1.0\n", encoding="utf-8")

    refused = _convert(project, "nb.ipynb")
    forced = _convert(project, "--force", "nb.ipynb")

    assert refused.exit_code == 1
    assert "requirements-nb.txt" in refused.output
    assert _requirement_lines(project / "requirements-nb.txt") == ["numpy", "xgboost>=2"]
    assert forced.exit_code == 0


def test_a_configured_value_that_is_not_a_boolean_is_refused(project):
    (project / "pyproject.toml").write_text('[tool.nbrefactor]\nrequirements = "yes"\n', encoding="utf-8")

    done = _convert(project, "nb.ipynb")

    assert done.exit_code == 2
    assert "'requirements' in [tool.nbrefactor] must be true or false" in done.output


def test_json_lists_the_requirements_file(project):
    done = _convert(project, "--requirements", "--format", "json", "nb.ipynb")

    assert "requirements-nb.txt" in [f["path"] for f in json.loads(done.stdout)["files"]]
