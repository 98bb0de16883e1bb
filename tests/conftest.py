import pathlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
CASES = ROOT / "tests" / "cases"
EXAMPLES = ROOT / "examples"


def pytest_addoption(parser):
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="Rewrite the expected outputs of tests/cases and examples/ from the current converter.",
    )


@pytest.fixture
def update_golden(request):
    return request.config.getoption("--update-golden")
