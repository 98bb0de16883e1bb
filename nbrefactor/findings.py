"""The findings nbrefactor reports, as data: each code has a severity and a title.

*error*: the script would fail, or would do something other than the notebook did (an undefined name,
a construct that has no faithful conversion and was kept in its nearest form). *warning*: the script
does what the notebook did, but a transformation was not applied, or something deserves a look.
Errors fail `convert` and the hooks; `--strict` fails on warnings too.
"""
from __future__ import annotations

from typing import Dict, Tuple

ERROR = "error"
WARNING = "warning"
SEVERITIES = (ERROR, WARNING)

CODES: Dict[str, Tuple[str, str]] = {
    # Names
    "NB101": (ERROR, "undefined name"),
    "NB102": (ERROR, "name read before any cell binds it"),
    "NB103": (ERROR, "name bound only in a left-out cell"),
    "NB104": (ERROR, "function name given by a directive shadows a name the script uses"),
    # Faithful fallbacks: the script does what the notebook did, in a plainer shape than usual
    "NB201": (WARNING, "section kept inline in the entry point"),
    "NB202": (WARNING, "import kept in place"),
    "NB203": (WARNING, "definition kept in place"),
    "NB204": (WARNING, "name kept as a module global"),
    "NB205": (WARNING, "code kept at module level"),
    # No faithful conversion: the nearest form was kept, and the script may differ
    "NB301": (ERROR, "magic or shell syntax without a faithful Python form"),
    "NB302": (ERROR, "reads IPython's input or output history"),
    "NB303": (ERROR, "cell left out"),
    "NB308": (ERROR, "cell left out by a skip directive"),
    "NB305": (WARNING, "scoring: value shared between init() and run() changes per call"),
    "NB306": (ERROR, "behaves differently in a notebook than in a script"),
    "NB307": (ERROR, "cell stopped with an error when the notebook was last run"),
    # Shape and hygiene
    "NB401": (WARNING, "long function"),
    "NB402": (WARNING, "star import"),
    "NB403": (WARNING, "cells ran out of order"),
    "NB404": (WARNING, "syntax warning in a cell"),
    "NB405": (WARNING, "directive not understood"),
}


def severity(code: str) -> str:
    return CODES.get(code, (WARNING, ""))[0]


def title(code: str) -> str:
    return CODES.get(code, (WARNING, ""))[1]
