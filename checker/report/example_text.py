"""A rule's example as a sentence a reviewer reads (the 规则 sheet of the review workbook), not the pack's
data notation: ``示例表：没有年度目标`` rather than ``示例表 + {"goals": []}``."""

from __future__ import annotations

from typing import Any

FRAMEWORKS = {"fw2015": "2015 版指标体系", "fw2021": "2021 版指标体系"}


def _plain(value: Any) -> str:
    """Any example value in words: lists joined with 、, mappings as 键：值, nothing as 无."""
    if value is None or value in ("", [], {}):
        return "无"
    if isinstance(value, dict):
        return "、".join(f"{k}：{_plain(v)}" for k, v in value.items())
    if isinstance(value, list | tuple):
        return "、".join(_plain(v) for v in value)
    if isinstance(value, bool):
        return "是" if value else "否"
    return str(value)


def indicator(ind: dict[str, Any]) -> str:
    where = " › ".join(str(ind[k]) for k in ("level1", "level2") if ind.get(k))
    value = ind.get("value") or "（空）"
    text = f"「{ind.get('name') or '（无名称）'}」" + (f"（{where}）" if where else "") + f"为 {value}"
    if ind.get("written_level1"):
        text += f"，写在「{ind['written_level1']}」下"
    return text


def _funding(funding: dict[str, Any] | None) -> str:
    if funding is None:
        return "没有资金总额"
    if funding.get("total") is None:
        raw = funding.get("total_raw")
        return f"资金总额写作「{raw}」" if raw else "资金总额未填"
    unit = funding.get("unit")
    text = f"资金总额 {funding['total']} " + (unit if unit else "（未注明金额单位）")
    sources = funding.get("sources") or {}
    return text + (f"（{'、'.join(f'{k} {v}' for k, v in sources.items())}）" if sources else "")


def _disclosure(disclosure: dict[str, Any]) -> str:
    lines = disclosure.get("lines")
    if isinstance(lines, list):
        listed = "、".join(f"「{d.get('name', '')}」{d.get('amount', '')} 万元" for d in lines if isinstance(d, dict))
        rest = {k: v for k, v in disclosure.items() if k != "lines"}
        return f"预算公开文件列有 {listed}" + (f"；{_plain(rest)}" if rest else "")
    return f"预算公开文件：{_plain(disclosure)}"


def _change(key: str, value: Any) -> str:
    if key in ("indicators", "add_indicators"):
        items = [indicator(i) for i in value or []]
        if key == "indicators":
            return "指标只有 " + "；".join(items) if items else "没有绩效指标"
        return "另有指标 " + "；".join(items)
    if key == "goals":
        return f"年度目标为「{_plain(value)}」" if value else "没有年度目标"
    if key == "funding":
        return _funding(value)
    if key == "project":
        return f"项目名称为「{value}」" if value else "项目名称为空"
    if key == "texts":
        return "；".join(f"{k}为「{_plain(v)}」" for k, v in value.items()) if value else "没有文字说明"
    if key == "disclosure":
        return _disclosure(value) if isinstance(value, dict) else f"预算公开文件：{_plain(value)}"
    if key == "problems":
        texts = [p.get("text", _plain(p)) if isinstance(p, dict) else _plain(p) for p in value or []]
        return f"读表时发现：{'；'.join(texts)}" if texts else "读表时没有发现问题"
    if key == "document_type":
        return f"文件是{value}"
    if key == "header":
        return f"表头：{_plain(value)}" if value else "表头未填单位等信息"
    if key == "source_kind":
        return f"取自 {value} 文件"
    if key == "unread":
        return "未能读出指标" if value else "已读出指标"
    return f"{key}：{_plain(value)}"


def _sheet(changes: dict[str, Any]) -> str:
    if not changes:
        return "完整的示例表"
    return "示例表中" + "；".join(_change(k, v) for k, v in changes.items())


def describe(example: dict[str, Any]) -> str:
    """One example of a rule (pack data) as one sentence."""
    if "indicator" in example:
        text = "指标" + indicator(example["indicator"])
    elif "run" in example:
        sheets = (_sheet(s).removeprefix("示例表中") for s in example["run"])
        text = "同一批次中：" + "；".join(f"第 {i} 张表：{s}" for i, s in enumerate(sheets, 1))
    else:
        text = _sheet(dict(example.get("sheet") or {}))
    extras = []
    if "framework" in example:
        extras.append(f"按{FRAMEWORKS.get(example['framework'], example['framework'])}")
    if "options" in example:
        extras.append("规则选项 " + "、".join(f"{k} = {_plain(v)}" for k, v in example["options"].items()))
    return text + (f"（{'；'.join(extras)}）" if extras else "")
