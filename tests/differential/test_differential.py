"""The differential suite: every case runs as a notebook in a real kernel and as its converted script, and
must come out `same`, `kept` (with a finding) or `refused`, never `silent` (see harness.py); and
`nbrefactor verify`, judging the same runs, must agree with the suite's comparison.

The kernel runs are slow (marked `slow`); checks of the cases themselves are fast (see test_harness.py).
Each case's two checks are neighbours in the test order, so that under xdist they usually land on the
same worker and share one run of the case (runs are kept in memory, for one pytest run only). While a case
runs, the notebook of the next case starts in the background: xdist hands each worker runs of neighbouring
tests, so it is usually this worker's next case, and its kernel's start-up is then hidden.
"""
from __future__ import annotations

import collections
import json
from concurrent.futures import ThreadPoolExecutor

import pytest

import casefile
import harness

CASES = casefile.all_cases()
GROUPS = ("exploratory", "printed", "imports", "closures", "collisions", "containers", "scope", "scoring",
          "pickling", "parameters", "magics", "toplevel")
CLI_EVERY = 20  # one case in CLI_EVERY also goes through `nbrefactor convert` in a subprocess
RUNS: dict = {}  # case name -> harness.CaseRuns, in this process, for this pytest run
AHEAD: dict = {}  # case name -> its notebook run, started ahead
PREFETCH = ThreadPoolExecutor(max_workers=1, thread_name_prefix="next-notebook")


def checks():
    for index, case in enumerate(CASES):
        for check in ("faithful", "verify"):
            yield pytest.param(index, case, check, id=f"{case.name}-{check}")


@pytest.fixture(scope="module")
def selected(request):
    """The cases this pytest run selected, in order; at the end, a notebook started ahead for nothing is
    waited for and its folder removed."""
    names = []
    for item in request.session.items:
        case = getattr(item, "callspec", None) and item.callspec.params.get("case")
        if item.originalname == "test_the_script_does_what_the_notebook_did_or_says_why_not" and case.name not in names:
            names.append(case.name)
    yield names
    for stale in AHEAD.values():
        harness.discard(stale)
    PREFETCH.shutdown(wait=True)


def runs_of(index: int, case: casefile.Case, selected) -> harness.CaseRuns:
    if case.name not in RUNS:
        RUNS.clear()  # the neighbour check has had its turn
        notebook = AHEAD.pop(case.name, None)
        for stale in AHEAD.values():
            harness.discard(stale)
        AHEAD.clear()
        following = selected[selected.index(case.name) + 1:] if case.name in selected else []
        if following:
            upcoming = next(other for other in CASES if other.name == following[0])
            AHEAD[upcoming.name] = harness.start_notebook(upcoming, PREFETCH)
        through_cli = index % CLI_EVERY == 0 or case.expect == "refused"
        RUNS[case.name] = harness.run_case(case, through_cli=through_cli, notebook=notebook)
    return RUNS[case.name]


def report(found: harness.Outcome) -> str:
    lines = [f"{found.case}: {found.classification} {found.codes} {found.refusal}"]
    return "\n".join(lines + [f"  differs: {d}" for d in found.differences] + [f"  problem: {p}" for p in found.problems])


@pytest.mark.slow
@pytest.mark.parametrize("index, case, check", list(checks()))
def test_the_script_does_what_the_notebook_did_or_says_why_not(index, case, check, selected):
    missing = casefile.missing_libraries(case)
    if missing:
        pytest.skip(f"needs {', '.join(missing)}")
    runs = runs_of(index, case, selected)
    found = harness.outcome(runs)

    if check == "faithful":
        assert found.classification not in harness.FAILURES, report(found)
        assert not found.problems, report(found)
    else:
        verdict = harness.verify_verdict(runs)
        assert harness.verdict_agrees(runs, found, verdict), f"verify says {verdict!r}\n" + report(found)


def test_there_are_enough_cases_in_every_kind():
    groups = collections.Counter(case.group for case in CASES)

    assert len(CASES) >= 170
    assert set(GROUPS) <= set(groups)
    assert min(groups[group] for group in GROUPS) >= 5, groups


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_each_case_is_a_short_valid_notebook_that_says_what_it_probes(case):
    notebook = json.loads(casefile.notebook_json(case))

    assert case.description
    assert 1 <= casefile.code_cell_count(case) <= 8
    assert [cell["cell_type"] for cell in notebook["cells"]] == [cell.kind for cell in case.cells]
