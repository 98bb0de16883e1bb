"""nbrefactor: turn experimental Jupyter notebooks into production scripts with functions and tests."""
from __future__ import annotations

__version__ = "0.1.0"
__all__ = ["convert", "refactor", "__version__"]


def refactor(notebook_text, *, path, settings=None, source_label=None):
    """Pure conversion of notebook text; see `nbrefactor.pipeline.refactor`."""
    from .config import Settings
    from .pipeline import refactor as _refactor

    return _refactor(notebook_text, path=path, settings=settings or Settings(), source_label=source_label)


def convert(notebook_path, **settings):
    """Convert a notebook file and return the Result (files by relative path, findings); writes nothing."""
    from pathlib import Path

    from .config import Settings
    from .textnotebook import read_notebook_file

    path = Path(notebook_path)
    return refactor(read_notebook_file(path), path=str(path), settings=Settings(**settings))
