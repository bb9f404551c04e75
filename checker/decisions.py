"""The reviewers' decisions of a previous round (审核结论/审核意见 in 问题清单), read back and keyed so that
the next round's workbook carries each to the same finding of the same file.

Reading them is input, not rendering: the review workbook's writer only receives the decisions."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from checker.frozen import frozen


@frozen
class Decision:
    """A reviewer's entry in 问题清单, carried to the next round by fingerprint."""

    decision: str
    comment: str = ""
    reviewer: str = ""
    date: str = ""
    project: str = ""
    path: str = ""
    message: str = ""
    fingerprint: str = ""
    # The file the decision was made on (its path relative to the run's root folder) and its content hash:
    # the same project in two files is two findings, and a decision carries to the same file only.
    file: str = ""
    sha256: str = ""
    row: int = 0  # the row in the previous workbook's 问题清单, to point a reviewer at what they typed

    @property
    def meaningful(self) -> bool:
        return bool(self.comment or self.reviewer or self.date) or self.decision not in ("", "待定")


class Decisions(dict[str, Decision]):
    """The decisions of a previous round by key, and the ``conflicts``: two rows answering the same finding
    of the same file differently (a row copied, or two copies of one file decided apart) — the first row's
    answer is carried and both are listed in 说明, never settled silently."""

    def __init__(self) -> None:
        super().__init__()
        self.conflicts: list[tuple[Decision, Decision]] = []


def read_decisions(path: Path) -> Decisions:
    """The reviewers' entries in a previous review workbook, by fingerprint (columns found by header)."""
    from checker.errors import InputError
    from checker.readers import read

    doc = read(path)
    table = next((t for t in doc.tables if t.name == "问题清单"), None)
    if table is None or not table.rows:
        raise InputError(str(path), "not a jixiao review workbook (no 问题清单 sheet)")
    header = {c.text.strip(): c.column for c in table.rows[0].cells}
    needed = {"审核结论", "审核意见", "审核人", "日期", "指纹"}
    if not needed <= set(header):
        missing = "、".join(sorted(needed - set(header)))
        raise InputError(str(path), f"问题清单 lacks the columns {missing}", "不要删除或改动表头 / keep the header row")
    out = Decisions()
    for number, row in enumerate(table.rows[1:], 2):
        values = {name: cell.text.strip() for name, col in header.items() if (cell := row.at(col)) is not None}
        fp = values.get("指纹", "")
        found = Decision(values.get("审核结论") or "待定", values.get("审核意见", ""), values.get("审核人", ""),
                         values.get("日期", ""), values.get("项目", ""), values.get("指标路径", ""),
                         values.get("问题说明", ""), fp, values.get("文件", ""),
                         values.get("文件哈希", ""), number)  # fmt: skip
        if not fp:
            continue
        # Per file: a decision on one file's finding never answers the same finding in another file. A
        # workbook from before files were recorded keys by fingerprint alone, as it always did.
        keys = decision_keys(fp, found.file, found.sha256)[:2] if found.file or found.sha256 else (fp,)
        first = out.get(keys[0]) if keys else None
        if first is not None and first.meaningful and found.meaningful and _answer(first) != _answer(found):
            out.conflicts.append((first, found))
        for key in keys:
            if key and not (key in out and out[key].meaningful):
                out[key] = found
    # A file both moved and edited since (re-submitted into a new folder) is still found by its name, when
    # no other file of the earlier round had that name.
    files_by_name: dict[str, set[str]] = {}
    for d in out.values():
        if d.file:
            files_by_name.setdefault(Path(d.file).name, set()).add(d.file)
    for d in list(out.values()):
        name = Path(d.file).name if d.file else ""
        key = f"@{name}\x1f{d.fingerprint}"
        if name and len(files_by_name[name]) == 1 and not (key in out and out[key].meaningful):
            out[key] = d
    return out


def invalid_decisions(decisions: dict[str, Decision], where: str, words: list[str]) -> list[str]:
    """One line for each 审核结论 that is not one of ``words`` (typed over the dropdown, or pasted in): it
    is carried as written but counts as 待定, so it never becomes a suppression."""
    unique = {id(d): d for d in decisions.values()}
    bad = sorted((d for d in unique.values() if d.decision not in words), key=lambda d: d.row)
    return [
        f"{where}: 问题清单第 {d.row} 行的审核结论「{d.decision}」不是{'、'.join(words)}之一，按待定处理 / "
        f"row {d.row}: {d.decision!r} is not a decision word; taken as 待定"
        for d in bad
    ]


def _answer(d: Decision) -> tuple[str, str]:
    return d.decision, d.comment


def decision_keys(fingerprint: str, rel: str, digest: str) -> tuple[str, ...]:
    """Where a decision is looked up: by the file's relative path, then by its content (the file moved),
    then by its name (moved and edited; only names one file had), then by fingerprint alone (a workbook
    written before files were recorded)."""
    name = Path(rel).name if rel else ""
    keys = (f"{rel}\x1f{fingerprint}" if rel else "", f"#{digest}\x1f{fingerprint}" if digest else "",
            f"@{name}\x1f{fingerprint}" if name else "", fingerprint)  # fmt: skip
    return tuple(k for k in keys if k)


def relative_to(path: str, root: str) -> str:
    """``path`` relative to the run's root folder, in / form (the key a decision is carried by)."""
    import os

    full = os.path.abspath(path)
    rel = os.path.relpath(full, root) if root else os.path.basename(full)
    return Path(rel).as_posix()


def run_root(paths: Iterable[str]) -> str:
    """The folder every input lies under: decisions move with a whole submissions folder."""
    import os

    root: str | None = None
    for p in paths:  # folded one path at a time: a province's folders are never listed at once
        folder = os.path.dirname(os.path.abspath(p))
        if root is None:
            root = folder
        elif folder != root and not folder.startswith(root.rstrip(os.sep) + os.sep):
            root = os.path.commonpath((root, folder))
    return root or ""
