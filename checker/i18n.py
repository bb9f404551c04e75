"""User-facing words in zh-CN first, English available (``--lang en``)."""

from __future__ import annotations

from typing import Literal

Lang = Literal["zh", "en"]

_WORDS: dict[str, tuple[str, str]] = {
    "project": ("项目", "Project"),
    "funding": ("资金", "Funding"),
    "goals": ("年度目标", "Goals"),
    "indicators": ("绩效指标", "Indicators"),
    "no_sheets": ("未找到绩效目标表", "no goal sheet found"),
    "unread": ("（未识别）", "(unread)"),
    "budget_year": ("预算年度", "Budget year"),
    "not_found": ("未识别", "not found"),
    "from_option": ("来自", "from"),
    "from_config": ("来自配置文件", "from the config"),
    "from_header": ("来自表头", "from the header"),
    "not_set": ("（未填）", "(not set)"),
    "line": ("行", "line"),
    "quantitative": ("定量", "quantitative"),
    "qualitative": ("定性", "qualitative"),
    "range": ("区间", "range"),
    "empty": ("空", "empty"),
    "unparsed": ("无法解析", "unparsed"),
    "not_applicable": ("不适用", "not applicable"),
    "unknown_unit": ("未知单位", "unknown unit"),
    "placed_by_name": ("按名称归入", "placed by name; written under"),
    "internal_error": ("内部错误（程序缺陷），崩溃报告已保存", "internal error (a bug); crash report saved to"),
    "total": ("总额", "total"),
}


def t(key: str, lang: Lang = "zh") -> str:
    zh, en = _WORDS[key]
    return zh if lang == "zh" else en
