"""Indicator frameworks as data (rules/frameworks/*.yaml): names, aliases, parents, required 二级."""

from __future__ import annotations

from functools import cache
from typing import Any

from checker.frozen import frozen
from checker.model import GoalSheet
from checker.resources import shipped_yaml
from checker.text import label_key, loose_key


@cache
def framework_ids() -> tuple[str, ...]:
    """Every shipped indicator framework: one file ``rules/frameworks/fw<id>.yaml`` each (the folder's other
    files are the form's vocabulary and the facts' lexicon). Adding a framework is adding its file."""
    from checker.resources import data_dir

    return tuple(p.stem for p in sorted((data_dir("rules") / "frameworks").glob("fw*.yaml")))


@frozen
class Framework:
    """One indicator tree: which 一级 exist and which 二级 sit under each."""

    id: str
    title_zh: str
    title_en: str
    label_zh: str  # what a message calls the tree: 2015 版指标体系, never the id fw2015
    label_en: str
    source: str
    level1: tuple[str, ...]
    children: tuple[tuple[str, tuple[str, ...]], ...]
    required_level1: tuple[str, ...]
    required_level2: tuple[tuple[str, tuple[str, ...]], ...]
    cost_level2: tuple[str, ...]
    level1_aliases: tuple[tuple[str, str], ...]
    level2_aliases: tuple[tuple[str, str], ...]

    def children_of(self, level1: str) -> tuple[str, ...]:
        return dict(self.children).get(level1, ())

    def parent_of(self, level2: str) -> str | None:
        for parent, kids in self.children:
            if level2 in kids:
                return parent
        return None


def _build(data: dict[str, Any]) -> Framework:
    children, l1_alias, l2_alias = [], [], []
    for l1 in data["level1"]:
        kids = tuple(item["name"] for item in l1.get("level2", []))
        children.append((l1["name"], kids))
        for alias in [l1["name"], *l1.get("aliases", [])]:
            l1_alias.append((label_key(alias), l1["name"]))
        for item in l1.get("level2", []):
            for alias in [item["name"], *item.get("aliases", [])]:
                l2_alias.append((label_key(alias), item["name"]))
    return Framework(
        id=data["id"],
        title_zh=data["title"]["zh"],
        title_en=data["title"]["en"],
        label_zh=data["label"]["zh"],
        label_en=data["label"]["en"],
        source=data["source"],
        level1=tuple(name for name, _ in children),
        children=tuple(children),
        required_level1=tuple(data.get("required_level1", [])),
        required_level2=tuple((k, tuple(v)) for k, v in data.get("required_level2", {}).items()),
        cost_level2=tuple(data.get("cost_level2", [])),
        level1_aliases=tuple(l1_alias),
        level2_aliases=tuple(l2_alias),
    )


@cache
def framework(fw_id: str) -> Framework:
    return _build(shipped_yaml(f"frameworks/{fw_id}.yaml"))


@frozen
class Names:
    """The union of every framework's names, for parsing before a framework is chosen."""

    level1: dict[str, str]
    level2: dict[str, str]
    parents: dict[str, frozenset[str]]

    def canon_level1(self, text: str) -> str | None:
        return self.level1.get(label_key(text)) or self.level1.get(loose_key(text))

    def canon_level2(self, text: str) -> str | None:
        return self.level2.get(label_key(text)) or self.level2.get(loose_key(text))

    def split_combined(self, text: str) -> tuple[str, str] | None:
        """``产出数量指标`` (一级 and 二级 written in one cell) → (产出指标, 数量指标)."""
        key = loose_key(text)
        for alias, canon1 in self.level1.items():
            if key.startswith(alias) and len(key) > len(alias):
                canon2 = self.level2.get(key[len(alias) :])
                if canon2 is not None and canon1 in self.parents.get(canon2, ()):
                    return canon1, canon2
        return None


@cache
def names() -> Names:
    level1: dict[str, str] = {}
    level2: dict[str, str] = {}
    parents: dict[str, set[str]] = {}
    for fw_id in framework_ids():
        fw = framework(fw_id)
        level1.update(fw.level1_aliases)
        level2.update(fw.level2_aliases)
        for parent, kids in fw.children:
            for kid in kids:
                parents.setdefault(kid, set()).add(parent)
    return Names(level1, level2, {k: frozenset(v) for k, v in parents.items()})


def detect_framework(sheet: GoalSheet) -> str:
    """The framework a sheet is written in: the one whose own 一级 (one no other framework has: 成本指标 is
    2021's) the sheet uses, else the framework file marked ``default: true`` (2015, still most provinces')."""
    level1s = {ind.level1 for ind in sheet.indicators} | {l1 for l1, _ in sheet.groups}
    for fw_id, own in _distinctive_level1():
        if level1s & own:
            return fw_id
    return _default_framework()


@cache
def _distinctive_level1() -> tuple[tuple[str, frozenset[str]], ...]:
    trees = {fw_id: frozenset(framework(fw_id).level1) for fw_id in framework_ids()}
    return tuple(
        (fw_id, own - frozenset().union(*(other for o, other in trees.items() if o != fw_id)))
        for fw_id, own in trees.items()
    )


@cache
def _default_framework() -> str:
    marked = [fw_id for fw_id in framework_ids() if shipped_yaml(f"frameworks/{fw_id}.yaml").get("default")]
    if len(marked) != 1:
        raise LookupError(f"exactly one framework file must say default: true, found {marked}")
    return marked[0]
