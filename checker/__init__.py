"""jixiao: parse, validate and review 项目支出绩效目标表 (project performance-goal sheets).

Public API (imported lazily so that ``import checker`` stays cheap):
``parse_value``, ``parse_path``, ``check_path``, ``GoalSheet``, ``Value``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from checker.api import parse_path
    from checker.model import GoalSheet, Indicator, ParsedFile, Value, ValueKind
    from checker.parse.values import parse_value

_EXPORTS = {
    "parse_value": "checker.parse.values",
    "parse_path": "checker.api",
    "ParsedFile": "checker.model",
    "check_path": "checker.api",
    "GoalSheet": "checker.model",
    "Indicator": "checker.model",
    "Value": "checker.model",
    "ValueKind": "checker.model",
}

__all__ = ["GoalSheet", "Indicator", "ParsedFile", "Value", "ValueKind", "parse_path", "parse_value"]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'checker' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module), name)
