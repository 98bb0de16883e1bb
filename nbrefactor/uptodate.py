"""Whether a notebook's generated files are current, answered from their headers: the fast path of
`convert` and of both pre-commit hooks, which must not parse code, analyse or render anything.

The header of each generated file records a digest of everything the conversion reads (the cells'
code, markdown, ids and tags, the notebook's format version and language, the settings that change the
output, the template files and nbrefactor's version) and the codes of the findings it reported. What
the digest leaves out (outputs other than errors, execution counts, cell and notebook metadata, which
change each time cells run) is checked here against a strict subset of the notebook schema: anything unusual sends the
notebook through the full conversion, so the verdict is always the one `convert` would give.
"""
from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Dict, Optional, Sequence, Tuple

from . import __version__

EXCLUDED_CODE_KEYS = ("outputs", "execution_count")
MIME_TYPE = re.compile(r"[a-zA-Z0-9]+/[a-zA-Z0-9\-+.]+")
CELL_TYPES = ("code", "markdown", "raw")
CELL_ID = re.compile(r"[a-zA-Z0-9_-]{1,64}")
TOP_KEYS = {"cells", "metadata", "nbformat", "nbformat_minor"}


def source_digest(notebook_text: str, settings) -> str:
    """A digest of what the conversion reads; unchanged when cells are only run again."""
    try:
        raw = json.loads(notebook_text)
    except (ValueError, RecursionError):
        raw = notebook_text
    payload = json.dumps([__version__, settings.digest_fields(), essentials(raw)], sort_keys=True, default=str)
    return hashlib.sha256(payload.encode("utf-8", "surrogateescape")).hexdigest()[:16]


def essentials(raw: object) -> object:
    """The notebook without what running cells changes; other documents as they are."""
    if not isinstance(raw, dict) or not isinstance(raw.get("cells"), list):
        return raw
    top = {key: value for key, value in raw.items() if key not in ("cells", "metadata", "nbformat_minor")}
    top["language"] = _language(raw.get("metadata"))
    top["cells"] = [_cell_essentials(cell) for cell in raw["cells"]]
    return top


def _language(metadata: object) -> object:
    """The kernel language as the reader takes it (kernelspec, then language_info, else Python)."""
    if not isinstance(metadata, dict):
        return ["invalid", metadata]
    kernel, info = metadata.get("kernelspec") or {}, metadata.get("language_info") or {}
    if not isinstance(kernel, dict) or not isinstance(info, dict):
        return ["invalid", kernel, info]
    return str(kernel.get("language") or info.get("name") or "python").lower()


def _field(table: object, key: str) -> object:
    return table.get(key) if isinstance(table, dict) else table


def _cell_essentials(cell: object) -> object:
    if not isinstance(cell, dict):
        return cell
    excluded = ("metadata", "id") + (EXCLUDED_CODE_KEYS if cell.get("cell_type") == "code" else ())
    kept = {key: value for key, value in cell.items() if key not in excluded}
    source = kept.get("source")
    if isinstance(source, list) and all(isinstance(line, str) for line in source):
        kept["source"] = "".join(source)
    kept["tags"] = _field(cell.get("metadata", {}), "tags")
    if cell.get("cell_type") == "code":
        kept["error"] = _saved_error(cell.get("outputs"))
    return kept


def _saved_error(outputs: object) -> object:
    """Whether the saved outputs show an error: the conversion keeps such a cell whole."""
    if not isinstance(outputs, list):
        return outputs
    return [_field(o, "ename") for o in outputs if isinstance(o, dict) and o.get("output_type") == "error"]


def plainly_valid(raw: object) -> bool:
    """True when the parts the digest leaves out are certainly valid nbformat 4; False when unsure."""
    if not isinstance(raw, dict) or set(raw) != TOP_KEYS or raw["nbformat"] != 4 or not isinstance(raw["cells"], list):
        return False
    minor = raw["nbformat_minor"]
    if type(minor) is not int or not 0 <= minor <= 5 or not _ids_ok(raw["cells"], minor):
        return False
    return _notebook_metadata_ok(raw["metadata"]) and all(_cell_ok(cell) for cell in raw["cells"])


def _ids_ok(cells: list, minor: int) -> bool:
    """Cell ids: unique and well formed from nbformat 4.5 on, absent before it."""
    ids = [cell.get("id") if isinstance(cell, dict) else None for cell in cells]
    if minor < 5:
        return all(cell_id is None for cell_id in ids) and all("id" not in cell for cell in cells if isinstance(cell, dict))
    return len(set(ids)) == len(ids) and all(isinstance(i, str) and CELL_ID.fullmatch(i) for i in ids)


def _notebook_metadata_ok(metadata: object) -> bool:
    if not isinstance(metadata, dict):
        return False
    kernel, info = metadata.get("kernelspec"), metadata.get("language_info")
    if kernel is not None and not (isinstance(kernel, dict) and _strings(kernel, ("name", "display_name"))):
        return False
    if info is not None and not (isinstance(info, dict) and _strings(info, ("name",))):
        return False
    return all(key not in metadata for key in ("orig_nbformat", "title", "authors"))


def _strings(table: dict, required: Sequence[str]) -> bool:
    return all(isinstance(table.get(key), str) for key in required)


CELL_METADATA = {
    "collapsed": lambda v: isinstance(v, bool),
    "scrolled": lambda v: isinstance(v, bool) or v == "auto",
    "deletable": lambda v: isinstance(v, bool),
    "editable": lambda v: isinstance(v, bool),
    "name": lambda v: isinstance(v, str),
    "format": lambda v: isinstance(v, str),
    "tags": lambda v: isinstance(v, list) and all(isinstance(t, str) and t and "," not in t for t in v) and len(set(v)) == len(v),
    "jupyter": lambda v: isinstance(v, dict) and all(isinstance(x, bool) for x in v.values()),
    "execution": lambda v: isinstance(v, dict) and all(isinstance(x, str) for x in v.values()),
}


def _cell_ok(cell: object) -> bool:
    if not isinstance(cell, dict) or cell.get("cell_type") not in CELL_TYPES:
        return False
    metadata = cell.get("metadata")
    if not isinstance(metadata, dict) or not all(CELL_METADATA.get(key, lambda v: True)(value) for key, value in metadata.items()):
        return False
    if cell["cell_type"] != "code":
        return True
    return _count_ok(cell.get("execution_count", "")) and isinstance(cell.get("outputs"), list) and all(map(_output_ok, cell["outputs"]))


def _count_ok(value: object) -> bool:
    return value is None or (type(value) is int and value >= 0)


def _text_ok(value: object) -> bool:
    return isinstance(value, str) or (isinstance(value, list) and all(isinstance(line, str) for line in value))


def _bundle_ok(value: object) -> bool:
    if not isinstance(value, dict):
        return False
    return all(MIME_TYPE.fullmatch(key) and (key.endswith("json") or _text_ok(item)) for key, item in value.items())


OUTPUTS = {  # output_type -> {field: check}; every field required except those marked optional
    "stream": {"name": lambda v: isinstance(v, str), "text": _text_ok},
    "display_data": {"data": _bundle_ok, "metadata": lambda v: isinstance(v, dict)},
    "execute_result": {"data": _bundle_ok, "metadata": lambda v: isinstance(v, dict), "execution_count": _count_ok},
    "error": {"ename": lambda v: isinstance(v, str), "evalue": lambda v: isinstance(v, str), "traceback": lambda v: isinstance(v, list) and all(isinstance(x, str) for x in v)},
}
OPTIONAL_OUTPUT_FIELDS = {"display_data": {"transient": lambda v: isinstance(v, dict)}}


def _output_ok(output: object) -> bool:
    if not isinstance(output, dict) or output.get("output_type") not in OUTPUTS:
        return False
    kind = output["output_type"]
    fields = {**OUTPUTS[kind], **OPTIONAL_OUTPUT_FIELDS.get(kind, {})}
    if not set(OUTPUTS[kind]) <= set(output) or not set(output) - {"output_type"} <= set(fields):
        return False
    return all(fields[key](value) for key, value in output.items() if key != "output_type")


def current_codes(paths: Sequence[Path], label: str, digest: str) -> Optional[Tuple[str, ...]]:
    """The findings codes recorded in the headers of `paths` when every one of them is an unedited
    file generated from this notebook (named `label`) with this digest; None otherwise."""
    from .render import escaped_label, parse_header
    from .textnotebook import FileReadError, read_regular_file

    codes = set()
    for path in paths:
        try:
            header = parse_header(read_regular_file(path, 100 * 1000 * 1000).decode("utf-8"))
        except (FileReadError, UnicodeDecodeError):
            return None
        if not _current(header, escaped_label(label), digest):
            return None
        codes.update(code for code in header["findings"].split(",") if code != "none")
    return tuple(sorted(codes))


def _current(header: Optional[Dict[str, str]], label: str, digest: str) -> bool:
    return header is not None and "findings" in header and header["body_ok"] == "True" and header.get("source") == digest and header["label"] == label


def failing(codes: Sequence[str], ignore: Sequence[str], strict: bool) -> Tuple[str, ...]:
    """The codes that fail a run: errors, and with --strict warnings too; never the ignored ones."""
    from .findings import ERROR, severity

    return tuple(code for code in codes if code not in ignore and (strict or severity(code) == ERROR))
