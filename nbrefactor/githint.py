"""Which generated files git has not staged yet, as a `git add` hint; silent outside a git work tree."""
from __future__ import annotations

import os
import shlex
import subprocess
from pathlib import Path
from typing import List, Sequence


def git_add_hint(paths: Sequence[Path]) -> str:
    """`hint: git add ...` naming those of `paths` that are untracked or have unstaged changes, else ""."""
    unstaged = unstaged_paths(paths)
    if not unstaged:
        return ""
    return "hint: stage the generated files with: git add " + " ".join(shlex.quote(_shown(path)) for path in unstaged)


def unstaged_paths(paths: Sequence[Path]) -> List[Path]:
    """The paths git reports as untracked or changed in the work tree; [] when git cannot tell."""
    resolved = [path.resolve() for path in paths]
    if not resolved or not _inside_work_tree(resolved[0].parent):
        return []
    try:
        status = subprocess.run(
            ["git", "status", "--porcelain", "-z", "--untracked-files=all", "--", *map(str, resolved)],
            cwd=resolved[0].parent, capture_output=True, check=True,
        )
    except (OSError, subprocess.CalledProcessError):
        return []
    flagged = _flagged(status.stdout.decode("utf-8", "replace"))
    return [path for path, full in zip(paths, resolved) if any(full.as_posix().endswith("/" + entry) for entry in flagged)]


def _flagged(porcelain: str) -> List[str]:
    """Repository-relative paths that are untracked (`??`) or differ from the index (second column set)."""
    flagged: List[str] = []
    entries = iter(porcelain.split("\0"))
    for entry in entries:
        status, path = entry[:2], entry[3:]
        if status[:1] in ("R", "C"):
            next(entries, None)  # a rename or copy is followed by its original path
        if path and (status == "??" or status[1:] not in (" ", "?", "!")):
            flagged.append(path)
    return flagged


def _inside_work_tree(folder: Path) -> bool:
    """A `.git` in `folder` or above: the cheap test that saves starting git for files outside a repository."""
    return any((directory / ".git").exists() for directory in (folder, *folder.parents))


def _shown(path: Path) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:
        return str(path)
