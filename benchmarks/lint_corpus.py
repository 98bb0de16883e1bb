"""What a linter says about the converted corpus, against a flat export of the same notebooks.

Usage (from the repository root, with ruff installed):

    python benchmarks/lint_corpus.py [--source CHECKOUT] [--only TEXT]

Each notebook of the corpus is converted (by this checkout's nbrefactor, or the one in `--source`) and
its script checked with `ruff check --select F821,F811,F841`: undefined names, redefinitions of unused
names, and local variables assigned but never used. The same checks run on a flat export (the code
cells, magics turned into Python by the same converter, one after the other): an undefined name or a
redefinition the flat export also has is the notebook's own, not the conversion's. Prints one row per
notebook and the totals; `--source` runs an older checkout for a before/after comparison.
"""
from __future__ import annotations

import argparse
import csv
import json
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple

REPO_ROOT = Path(__file__).resolve().parent.parent
CORPUS = REPO_ROOT.parent / "shared" / "corpus"
RULES = "F821,F811,F841"
RUFF = shutil.which("ruff") or str(Path(sys.executable).with_name("ruff"))


def notebooks(corpus: Path, only: str) -> List[Tuple[str, Path]]:
    with open(corpus / "manifest.tsv", newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    return [(row["id"], corpus / row["repo"].replace("/", "__") / row["path"]) for row in rows if only in row["id"]]


def converted(notebook: Path) -> Optional[Tuple[str, str]]:
    """(script, flat export) for one notebook, or None when it does not convert."""
    from nbrefactor import refactor
    from nbrefactor.model import NotebookError

    text = notebook.read_text(encoding="utf-8")
    try:
        result = refactor(text, path=notebook.name)
    except NotebookError:
        return None
    return result.files[0][1], flat_export(text, notebook.name)


def flat_export(text: str, path: str) -> str:
    from nbrefactor import magics
    from nbrefactor.reader import read_notebook

    code_cells = read_notebook(text, path).code_cells
    if hasattr(magics, "normalise_all"):
        cells = magics.normalise_all(code_cells)
    else:  # an older checkout normalises one cell at a time
        cells = [magics.normalise(cell) for cell in code_cells]
    return "\n\n".join(cell.python for cell in cells if not cell.left_out)


def findings(source: str) -> Counter:
    """(rule, name) -> count of ruff's findings on `source`."""
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / "script.py"
        path.write_text(source, encoding="utf-8")
        completed = subprocess.run(
            [RUFF, "check", "--isolated", "--select", RULES, "--output-format", "json", str(path)],
            capture_output=True, text=True,
        )
    reported = json.loads(completed.stdout or "[]")
    return Counter((item["code"], _name(item["message"])) for item in reported)


def _name(message: str) -> str:
    parts = message.split("`")
    return parts[1] if len(parts) > 1 else message


def measure(notebook: Path) -> Optional[Dict[str, int]]:
    pair = converted(notebook)
    if pair is None:
        return None
    script, flat = (findings(text) for text in pair)
    added = script - flat
    return {
        "F821 added": sum(n for (rule, _), n in added.items() if rule == "F821"),
        "F811 added": sum(n for (rule, _), n in added.items() if rule == "F811"),
        "F841": sum(n for (rule, _), n in script.items() if rule == "F841"),
    }


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--source", type=Path, help="the nbrefactor checkout to measure (default: this one)")
    parser.add_argument("--only", default="", help="notebooks whose id contains this text")
    arguments = parser.parse_args(argv)
    sys.path.insert(0, str((arguments.source or REPO_ROOT).resolve()))
    totals: Counter = Counter()
    print(f"{'notebook':<90} F821+  F811+  F841")
    for name, notebook in notebooks(CORPUS, arguments.only):
        counts = measure(notebook)
        if counts is None:
            print(f"{name:<90} (does not convert)")
            continue
        totals.update(counts)
        print(f"{name:<90} {counts['F821 added']:>5}  {counts['F811 added']:>5}  {counts['F841']:>4}")
    print(f"{'total':<90} {totals['F821 added']:>5}  {totals['F811 added']:>5}  {totals['F841']:>4}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
