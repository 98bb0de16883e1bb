"""Which generated files git has not staged yet, as a `git add` hint; silent outside a git work tree.

git runs only `ls-files`, which reads the index and starts nothing the repository configures (no
hooks, filters, textconv or diff drivers), with the file-system monitor switched off, no pager and no
optional locks; the work-tree side is hashed here, the way git hashes a blob, so nothing a repository
sets up can run a command. A clean filter or line-ending conversion can make a staged file look
unstaged: the hint then names one file too many, which is harmless.
"""
from __future__ import annotations

import hashlib
import os
import shlex
import subprocess
from pathlib import Path
from typing import Dict, List, Optional, Sequence

SAFE_GIT = ("git", "--no-pager", "-c", "core.fsmonitor=false", "-c", "core.untrackedCache=false", "-c", "core.hooksPath=/dev/null")
SAFE_ENVIRONMENT = {"GIT_OPTIONAL_LOCKS": "0", "GIT_TERMINAL_PROMPT": "0", "GIT_CONFIG_NOSYSTEM": "1", "GIT_EXTERNAL_DIFF": "", "GIT_PAGER": "cat"}


def git_add_hint(paths: Sequence[Path]) -> str:
    """`hint: git add ...` naming those of `paths` that are untracked or have unstaged changes, else ""."""
    unstaged = unstaged_paths(paths)
    if not unstaged:
        return ""
    return "hint: stage the generated files with: git add " + " ".join(shlex.quote(_shown(path)) for path in unstaged)


def unstaged_paths(paths: Sequence[Path]) -> List[Path]:
    """The paths that are not in git's index with their current content; [] when git cannot tell."""
    existing = [path for path in paths if path.is_file()]
    if not existing or not _inside_work_tree(existing[0].resolve().parent):
        return []
    staged = _index_entries(existing)
    if staged is None:
        return []
    return [path for path in existing if staged.get(str(path.resolve())) != _blob_id(path, len(next(iter(staged.values()), "0" * 40)))]


def _index_entries(paths: Sequence[Path]) -> Optional[Dict[str, str]]:
    """Absolute path -> object id of the staged version, for those of `paths` that are in the index."""
    folder = paths[0].resolve().parent
    command = [*SAFE_GIT, "ls-files", "-z", "--stage", "--", *(str(p.resolve()) for p in paths)]
    try:
        listed = subprocess.run(command, cwd=folder, capture_output=True, check=True, env={**os.environ, **SAFE_ENVIRONMENT}, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return None
    entries = {}
    for entry in os.fsdecode(listed.stdout).split("\0"):
        fields, _, name = entry.partition("\t")
        if name and len(fields.split()) == 3 and fields.split()[2] == "0":
            entries[str((folder / name).resolve())] = fields.split()[1]
    return entries


def _blob_id(path: Path, length: int) -> str:
    """The id git gives the file's content as a blob (SHA-1, or SHA-256 in repositories that use it)."""
    data = path.read_bytes()
    digest = hashlib.sha256 if length == 64 else hashlib.sha1
    return digest(b"blob %d\0" % len(data) + data).hexdigest()


def _inside_work_tree(folder: Path) -> bool:
    """A `.git` in `folder` or above: the cheap test that saves starting git for files outside a repository."""
    return any((directory / ".git").exists() for directory in (folder, *folder.parents))


def _shown(path: Path) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:
        return str(path)
