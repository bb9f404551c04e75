"""The list of fixes a user reads: file, cell, rule, before → after (white space made visible)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from checker.i18n import Lang

if TYPE_CHECKING:
    from checker.fix.plan import Fix
    from checker.fix.run import FixResult

_VISIBLE = str.maketrans({"\t": "⇥", "\n": "⏎", "\r": "␍", "\u3000": "□"})


def _show(text: str) -> str:
    shown = text.translate(_VISIBLE)
    # Edge spaces are what a fix removes: mark them, or "≥95% " → "≥95%" would look like no change.
    return "␣" * (len(shown) - len(shown.lstrip(" "))) + shown.strip(" ") + "␣" * (len(shown) - len(shown.rstrip(" ")))


def _line(fix: Fix) -> str:
    return f"  {fix.location.short():<12} {','.join(fix.codes):<15} 「{_show(fix.before)}」 → 「{_show(fix.after)}」"


def render(results: list[FixResult], lang: Lang = "zh") -> str:
    zh = lang == "zh"
    out: list[str] = []
    for r in results:
        if r.refused:
            fixable, unwritten = ("可修正", "未写入") if zh else ("fixable", "not written")
            out.append(f"{r.source}: {fixable} {len(r.applied)}，{unwritten}：{r.refused}")
            out.extend(_line(f) for f in r.applied)
            continue
        if r.target is None:
            out.append(f"{r.source}: {'没有可自动修正的问题' if zh else 'nothing to fix'}")
        else:
            head = f"{r.source} → {r.target}: {'已修正' if zh else 'fixed'} {len(r.applied)}"
            if r.backup:
                head += f"（{'原文件备份为' if zh else 'original kept as'} {r.backup}）"
            out.append(head)
            out.extend(_line(f) for f in r.applied)
        for fix, why in r.skipped:
            out.append(f"  {fix.location.short():<12} {'未修正' if zh else 'left'}「{_show(fix.before)}」：{why}")
    return "\n".join(out) + ("\n" if out else "")
