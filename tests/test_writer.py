"""The writing edge: states decided by content, no person's file overwritten, all or nothing."""
from __future__ import annotations

import pathlib

import pytest

from nbrefactor.render import with_header
from nbrefactor.writer import EDITED, FOREIGN, NEW, STALE, UNCHANGED, WriteError, survey, write_all

GENERATED = with_header("x = 1\n", "nb.ipynb", "abc")
NEWER = with_header("x = 2\n", "nb.ipynb", "def")


@pytest.mark.parametrize(
    "existing, state",
    [
        (None, NEW),
        (GENERATED, UNCHANGED),
        (NEWER, STALE),
        (GENERATED.replace("x = 1", "x = 10"), EDITED),
        ("print('mine')\n", FOREIGN),
    ],
)
def test_survey_decides_by_content(tmp_path: pathlib.Path, existing, state):
    target = tmp_path / "train.py"
    if existing is not None:
        target.write_text(existing)
    [planned] = survey([(target, GENERATED)])
    assert planned.state == state
    assert planned.blocked == (state in (EDITED, FOREIGN))


def test_a_failed_write_puts_back_every_file_already_replaced(tmp_path: pathlib.Path):
    first, second = tmp_path / "train.py", tmp_path / "test_train.py"
    first.write_text(NEWER)
    second.mkdir()  # a folder where a file should go: replacing it fails
    planned = survey([(first, GENERATED)]) + [survey([(tmp_path / "other.py", GENERATED)])[0].__class__(second, GENERATED, STALE, "")]
    with pytest.raises(WriteError):
        write_all(planned)
    assert first.read_text() == NEWER
    assert sorted(p.name for p in tmp_path.iterdir()) == ["test_train.py", "train.py"]


def test_new_files_follow_the_umask_and_replaced_files_keep_their_mode(tmp_path: pathlib.Path):
    import os

    fresh, kept = tmp_path / "train.py", tmp_path / "test_train.py"
    kept.write_text(NEWER)
    kept.chmod(0o640)
    umask = os.umask(0o022)
    try:
        write_all(survey([(fresh, GENERATED), (kept, GENERATED)]))
    finally:
        os.umask(umask)
    assert (fresh.stat().st_mode & 0o777, kept.stat().st_mode & 0o777) == (0o644, 0o640)


def test_an_output_folder_that_is_a_file_is_named(tmp_path: pathlib.Path):
    blocker = tmp_path / "out"
    blocker.write_text("")
    with pytest.raises(WriteError, match="out: not a folder"):
        write_all(survey([(blocker / "train.py", GENERATED)]))
