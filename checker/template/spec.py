"""What the template shows, from data: the framework's tree, the pack's thresholds, the template's words."""

from __future__ import annotations

import datetime as dt
from typing import Any

from checker.errors import ConfigError
from checker.frozen import frozen

DEFAULT_FRAMEWORK = "fw2015"  # still the tree most provinces' forms use (rules/frameworks/fw2015.yaml)


@frozen
class Example:
    """A good indicator for one 二级, split the way the form's columns hold it."""

    name: str
    comparator: str
    value: str
    unit: str
    hint: str

    @property
    def written(self) -> str:
        """The value as one cell would hold it: ≥500人次, 12月31日前完成."""
        comparator = "" if self.comparator == "定性" else self.comparator
        return f"{comparator}{self.value}{self.unit}"


@frozen
class Level2:
    level1: str
    name: str
    required: bool
    example: Example


@frozen
class TemplateSpec:
    framework: str
    framework_label: str
    pack: str
    year: int
    projects: int
    level1: tuple[str, ...]
    level2: tuple[Level2, ...]
    data: dict[str, Any]  # templates/goal-sheet.yaml, for the words and the look

    def children(self, level1: str) -> tuple[str, ...]:
        return tuple(l2.name for l2 in self.level2 if l2.level1 == level1)


def _pack_floor(pack: str) -> tuple[str, int]:
    """The pack's framework (None: not forced) and its satisfaction floor (SAT002 min_percent)."""
    from checker.rules.loader import load_shipped, resolve, shipped_packs

    if pack not in shipped_packs():
        raise ConfigError("--pack", "", f"no shipped pack {pack!r} (known: {', '.join(sorted(shipped_packs()))})")
    rules, framework = resolve(load_shipped(pack))
    sat = rules.get("SAT002")
    floor = int(sat.options.get("min_percent", 90)) if sat is not None and sat.enabled else 90
    return framework or "", floor


def build_spec(
    framework: str | None = None, pack: str | None = None, projects: int = 1, year: int | None = None
) -> TemplateSpec:
    """The template for ``framework`` (default: the pack's, else fw2015) under ``pack`` (default: the framework's)."""
    from checker.config import canonical_framework
    from checker.frameworks import framework as load_framework
    from checker.resources import data_dir, yaml_load

    if framework is not None:
        framework = canonical_framework(framework, "--framework")
        if framework == "auto":  # a template has to be one tree or the other
            framework = None
    if not 1 <= projects <= 50:
        raise ConfigError("--projects", "", f"{projects} is not between 1 and 50")
    forced, floor = _pack_floor(pack or framework or DEFAULT_FRAMEWORK)
    if framework and forced and forced != framework:
        raise ConfigError("--pack", "", f"pack {pack!r} is for {forced}, not {framework}")
    fw = load_framework(framework or forced or DEFAULT_FRAMEWORK)
    data: dict[str, Any] = yaml_load(data_dir("templates") / "goal-sheet.yaml")
    words = {"floor": floor, "satisfaction": max(floor, 90)}
    level2: list[Level2] = []
    required = dict(fw.required_level2)
    for level1, kids in fw.children:
        for kid in kids:
            raw = data["examples"].get(kid)
            if raw is None:
                raise ConfigError("templates/goal-sheet.yaml", f"$.examples.{kid}", "no example for this 二级")
            example = Example(**{k: str(v).format(**words) for k, v in raw.items()})
            level2.append(Level2(level1, kid, kid in required.get(level1, ()), example))
    return TemplateSpec(
        framework=fw.id,
        framework_label=fw.label_zh,
        pack=pack or fw.id,
        year=year or dt.date.today().year + 1,  # goal sheets are written the year before they apply
        projects=projects,
        level1=fw.level1,
        level2=tuple(level2),
        data=data,
    )
