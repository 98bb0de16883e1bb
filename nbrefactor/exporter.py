"""`jupyter nbconvert --to nbrefactor`: the same conversion as `nbrefactor convert`, as an nbconvert exporter.

Registered under the `nbconvert.exporters` entry point, which also puts it in JupyterLab's
*File > Save and Export Notebook As* menu. The script is the exporter's output; the test module
travels in `resources["outputs"]`, which nbconvert's files writer saves beside the script (and
JupyterLab's download bundles into a zip). Only this module imports nbconvert.
"""
from __future__ import annotations

import os
from pathlib import Path

from nbconvert.exporters import Exporter
from nbconvert.utils.exceptions import ConversionException
from traitlets import Unicode, default


class NbrefactorExporter(Exporter):
    """Convert a notebook into a production script (train.py or score.py) and its pytest module."""

    export_from_notebook = "nbrefactor script (train.py / score.py)"
    output_mimetype = "text/x-python"

    kind = Unicode("", help="Script to produce: auto, train or score (default: as configured, else auto).").tag(config=True)
    script_name = Unicode("", help="Output module name (default: as configured, else train or score).").tag(config=True)

    @default("file_extension")
    def _file_extension_default(self) -> str:
        return ".py"

    def from_notebook_node(self, nb, resources=None, **kw):
        notebook, resources = super().from_notebook_node(nb, resources, **kw)
        result, files = self._refactor(notebook, resources)
        for finding in result.findings:
            self.log.warning("%s", finding.format(_source_name(resources)))
        script = files.pop(f"{result.plan.output_name}.py")
        _name_output_after_module(resources, result.plan.output_name)
        for name, text in files.items():
            _attach_beside_script(resources, name, text)
        return script, resources

    def _refactor(self, notebook, resources):
        """Convert with the settings the CLI would use (the project's configuration, then this
        exporter's); the Result and its files with the headers the CLI writes."""
        import nbformat

        from .config import settings_for
        from .model import NotebookError
        from .pipeline import refactor

        path = os.path.join(resources.get("metadata", {}).get("path", ""), _source_name(resources))
        label = _source_name(resources)
        try:
            settings = settings_for(Path(path), {"kind": self.kind or None, "name": self.script_name or None})
            text = nbformat.writes(notebook)
            result = refactor(text, path=path, settings=settings, source_label=label)
        except NotebookError as error:
            raise ConversionException(str(error)) from None
        return result, dict(result.files)


def _source_name(resources) -> str:
    """The notebook's file name: nbconvert passes only its stem, and the files it reads are `.ipynb`."""
    return (resources.get("metadata", {}).get("name") or "notebook") + ".ipynb"


def _name_output_after_module(resources, module: str) -> None:
    """Write `train.py` rather than `<notebook>.py`, unless the user chose a name with `--output`."""
    if resources.get("unique_key") in (None, resources.get("metadata", {}).get("name")):
        resources["unique_key"] = module


def _attach_beside_script(resources, name: str, text: str) -> None:
    """Add an extra output; nbconvert's files writer puts `outputs` in its build folder, next to the
    script. The name carries a folder ("./") because the writer creates the folder of each output, and
    an empty one (a notebook converted from its own folder) fails."""
    resources.setdefault("outputs", {})[f"./{name}"] = text.encode("utf-8")
    resources["output_files_dir"] = "."
