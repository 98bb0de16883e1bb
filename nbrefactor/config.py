"""Settings, frozen: defaults, then `[tool.nbrefactor]` (pyproject.toml) or `[nbrefactor]` (setup.cfg), then flags."""
from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from typing import Optional, Tuple

from .rules import ExploratoryRules

KINDS = ("auto", "train", "score")


@dataclass(frozen=True)
class Settings:
    kind: str = "auto"
    output_dir: Optional[str] = None
    name: str = ""
    names: Tuple[Tuple[str, str], ...] = ()  # heading -> function name
    pure_methods: Tuple[str, ...] = ()  # more methods known not to change their receiver
    disabled_rules: Tuple[str, ...] = ()  # exploratory rules to switch off: display, print, plot
    template_dir: Optional[str] = None
    strict: bool = False

    @property
    def rules(self) -> ExploratoryRules:
        return ExploratoryRules().with_extra(self.pure_methods, self.disabled_rules)

    def plan_options(self):
        from .plan import Options

        return Options(kind=self.kind, names=self.names, output_name=self.name)

    def digest_fields(self) -> dict:
        """The settings that change what is generated (not where it goes, nor how strict the run is)."""
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name not in ("output_dir", "strict")}

    def merged(self, **overrides) -> "Settings":
        return replace(self, **{key: value for key, value in overrides.items() if value not in (None, (), "")})
