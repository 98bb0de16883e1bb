"""Cells -> Sections: the code under each markdown heading, with the heading's text and directives."""
from __future__ import annotations

import re
from dataclasses import replace
from typing import Dict, List, Sequence, Tuple

from .model import CodeCell, Notebook, Section, Statement

HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
SETEXT = re.compile(r"^\s{0,3}(=+|-+)\s*$")


def heading_of(markdown: str) -> Tuple[str, str, int]:
    """The last heading of a markdown cell, the text under it and its level; ("", text, 0) without one."""
    lines = markdown.replace("\r\n", "\n").split("\n")
    heading, start, level, fenced = "", 0, 0, False
    for number, line in enumerate(lines):
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
        match = None if fenced else HEADING.match(line)
        if match:
            heading, start, level = plain_text(match.group(2)), number + 1, len(match.group(1))
        elif not fenced and number and SETEXT.match(line) and lines[number - 1].strip() and not HEADING.match(lines[number - 1]):
            heading, start, level = plain_text(lines[number - 1]), number + 1, 1 if "=" in line else 2
    return heading, "\n".join(lines[start:]).strip(), level


def plain_text(markdown: str) -> str:
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", markdown)
    text = re.sub(r"<[^>]+>", "", text)
    return re.sub(r"[*_`]+", "", text).strip()


def build_sections(notebook: Notebook, cells: Sequence[CodeCell], statements, names: Dict[str, str]) -> List[Section]:
    """Sections in notebook order; code before the first heading forms a section without a heading."""
    by_index = {cell.cell.index: (cell, stmts) for cell, stmts in zip(cells, statements)}
    sections: List[Section] = [Section(heading="", doc="", statements=())]
    for cell in notebook.cells:
        if cell.kind == "markdown":
            heading, text, level = heading_of(cell.source)
            if heading:
                sections.append(Section(heading, text, (), names.get(heading, ""), level=level))
            elif text and not sections[-1].statements:
                sections[-1] = replace(sections[-1], doc=(sections[-1].doc + "\n\n" + text).strip())
        elif cell.index in by_index:
            code_cell, stmts = by_index[cell.index]
            sections[-1] = _add_cell(sections[-1], code_cell, stmts)
    return [section for section in sections if section.statements]


def _add_cell(section: Section, cell: CodeCell, statements: Tuple[Statement, ...]) -> Section:
    name = section.function_name
    for directive in cell.directives:
        key, _, value = directive.partition("=")
        if key.strip() in ("function", "name") and value.strip().isidentifier():
            name = value.strip()
    return replace(
        section,
        statements=section.statements + statements,
        function_name=name,
        first_cell=section.first_cell or cell.cell.number,
    )


def parameter_cells(cells: Sequence[CodeCell]) -> frozenset:
    """Numbers of the cells tagged `parameters` (papermill's convention)."""
    return frozenset(cell.cell.number for cell in cells if "parameters" in cell.directives)
