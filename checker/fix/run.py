"""Fix files on disk: check once, plan, write a fixed copy (or replace the file, keeping a .bak)."""

from __future__ import annotations

import os
from collections.abc import Collection
from pathlib import Path

from checker.config import Config
from checker.errors import InputError, OutputError
from checker.findings import Report
from checker.fix.plan import FIXABLE, FORMULA_START, Fix, plan
from checker.frozen import frozen
from checker.model import GoalSheet, Location
from checker.readers.raw import RawDocument

_WRITABLE = {"xlsx": (".xlsx", ".xlsm"), "text": None}
_SAY_KIND = {"xls": ".xls", "docx": ".docx", "pdf": "PDF", "html": "web page"}


@frozen
class FixResult:
    """What was fixed in one file, and where the fixed copy went (``target`` None: nothing written)."""

    source: str
    target: str | None
    applied: tuple[Fix, ...]
    skipped: tuple[tuple[Fix, str], ...]
    backup: str | None = None
    refused: str | None = None  # why no copy could be written (a format jixiao cannot write)


def sibling(path: str | os.PathLike[str]) -> Path:
    """Where ``check --fix`` writes a file's fixed copy: 申报表.xlsx → 申报表.fixed.xlsx."""
    p = Path(path)
    return p.with_name(f"{p.stem}.fixed{p.suffix}")


def _cell_texts(doc: RawDocument) -> dict[tuple[str | None, str | None], str]:
    """Each real cell's text as the reader gave it (merged copies left out)."""
    return {
        (cell.location.sheet, cell.location.cell): cell.text
        for table in doc.tables
        for row in table.rows
        for cell in row.cells
        if cell.origin is None and cell.location.cell is not None
    }


def _checked(data: bytes, path: str, config: Config | None) -> tuple[RawDocument, Report]:
    from checker.doctype import with_document_types
    from checker.parse.document import parse_document
    from checker.readers import read_data
    from checker.rules.engine import Engine

    engine = Engine(config)
    doc = read_data(data, path)
    sheets = with_document_types(doc, parse_document(doc, budget_year=engine.config.given_year(), named=True))
    return doc, Report(doc.source, tuple(engine.check_sheet(s) for s in sheets), doc.sha256)


def _copies(fixes: list[Fix], doc: RawDocument, report: Report) -> list[Fix]:
    """The same rows where a worksheet the parser did not read repeats them (a relational workbook's join
    sheet: it is recognised as the join only while its rows equal the indicator sheet's, so a fix made on
    one side only would have the join read as a second set of projects)."""
    from dataclasses import replace

    read = {i.location.sheet for s in report.sheets for i in s.sheet.indicators}
    wanted = {(f.name.strip(), f.before): f for f in fixes if f.name.strip()}
    out: list[Fix] = []
    names = {name for name, _ in wanted}
    for table in doc.tables:
        if table.name in read or table.name is None:
            continue
        for row in table.rows:
            cells = [c for c in row.cells if c.origin is None and c.location.cell is not None]
            # The name comes first in the row; the value is a cell to its right holding the old text.
            first = next((c for c in cells if c.text.strip() in names), None)
            if first is None:
                continue
            for cell in cells:
                fix = wanted.get((first.text.strip(), cell.text))
                if fix is not None and cell.column > first.column:
                    out.append(replace(fix, location=cell.location))
    return out


def _screen(fixes: list[Fix], doc: RawDocument) -> tuple[list[Fix], list[tuple[Fix, str]]]:
    keep: list[Fix] = []
    skipped: list[tuple[Fix, str]] = []
    cells = _cell_texts(doc) if doc.kind == "xlsx" else {}
    for fix in fixes:
        if fix.after.lstrip().startswith(FORMULA_START):
            skipped.append((fix, "改后会以公式符号开头 / the new value would start like a formula"))
        elif doc.kind == "xlsx" and cells.get((fix.location.sheet, fix.location.cell)) != fix.before:
            skipped.append((fix, "该值由几个单元格拼成 / the value is joined from several cells"))
        else:
            keep.append(fix)
    return keep, skipped


def fix_file(
    path: str | os.PathLike[str],
    output: str | os.PathLike[str] | None = None,
    *,
    in_place: bool = False,
    config: Config | None = None,
    active: Collection[tuple[str, Location]] | None = None,
) -> FixResult:
    """Check ``path`` and write its fixable findings fixed, into ``output`` or (``in_place``) over it.

    Raises InputError for a rejected file, OutputError when the copy cannot be written. Nothing is
    written when there is nothing to fix or the format cannot be written (``refused`` says why).
    ``active``: (code, location) of the findings a check run left active (after suppressions and the
    baseline); a fix answering anything else is not made.
    """
    from checker.fix import text as text_fix
    from checker.fix import xlsx as xlsx_fix
    from checker.readers import read_bytes

    source = str(path)
    if output is None and not in_place:
        raise OutputError(f"{source}: 请用 -o 给出修正后的文件名，或用 --in-place / give -o FIXED or --in-place")
    target = Path(source if in_place else str(output))
    writable = _WRITABLE.get("xlsx" if target.suffix.lower() in (".xlsx", ".xlsm") else "text")
    data = read_bytes(path)
    doc, report = _checked(data, source, config)
    if doc.kind == "xlsx" and target.suffix.lower() not in (writable or ()):
        raise OutputError(f"{target}: 修正后的工作簿须以 .xlsx 结尾 / the fixed workbook must end in .xlsx")
    if doc.kind == "text" and writable is not None:
        raise OutputError(f"{target}: 文本的修正结果不能以 .xlsx 命名 / a fixed text file cannot be named .xlsx")
    percent: set[tuple[str | None, str | None]] = set()
    if doc.kind == "xlsx":
        from checker.readers.guard import preflight

        # Only where a rule asked for a unit: looking up every cell's style would cost a scan of the sheet each.
        wanted = [(f.location.sheet, f.location.cell) for f in report.findings if f.code in ("VAL011", "VAL005")]
        percent = xlsx_fix.percent_text_cells(preflight(data, source).members, wanted)
    fixes, skipped = _screen(plan(report, percent), doc)
    if active is not None:
        codes = {code for code, _ in active}
        fixes = [f for f in fixes if all((c, f.location) in active or (c == "VAL020" and c in codes) for c in f.codes)]
    if not fixes:
        return FixResult(source, None, (), tuple(skipped))
    if doc.kind not in _WRITABLE:
        what = _SAY_KIND.get(doc.kind, doc.kind)
        why = f"jixiao 不能写回 {what} 文件，请按清单手工修改，或另存为 .xlsx 后再修正 / cannot write a {what} file"
        return FixResult(source, None, tuple(fixes), tuple(skipped), refused=why)
    if doc.kind == "xlsx":
        fixed, applied, more = xlsx_fix.patch(data, fixes + _copies(fixes, doc, report))
        out = fixed
    else:
        decoded = _decoded(data, source)
        encoding = text_fix.encoding_of(data, decoded)
        if encoding is None:
            why = "文本无法按原编码逐字节写回 / the text cannot be written back in its own encoding"
            return FixResult(source, None, tuple(fixes), tuple(skipped), refused=why)
        new_text, applied, more = text_fix.patch(decoded, fixes)
        out = new_text.encode(encoding)
    skipped += more
    if not applied:
        return FixResult(source, None, (), tuple(skipped))
    changed = _reads_differently(out, source, report, applied)
    if changed:
        return FixResult(source, None, tuple(applied), tuple(skipped), refused=changed)
    return _write(source, target, (out, data), (applied, skipped), in_place=in_place)


Place = tuple[str | None, str | None, int | None]


def _shape(sheets: list[GoalSheet]) -> list[tuple[str, tuple[Place, ...]]]:
    """What a file reads as, values aside: its sheets and where each indicator stands."""
    return [
        (s.project, tuple((i.location.sheet, i.location.cell, i.location.line) for i in s.indicators)) for s in sheets
    ]


def _reads_differently(out: bytes, source: str, report: Report, applied: list[Fix]) -> str | None:
    """Why the fixed copy would not read as the same sheets and rows with the new values, or None.

    A last guard: the fixes are chosen to keep every reading but the values they change; this checks it
    on the bytes about to be written rather than trusting it."""
    from checker.doctype import with_document_types
    from checker.parse.document import parse_document
    from checker.readers import read_data

    again = read_data(out, source)
    sheets = with_document_types(again, parse_document(again, budget_year=None, named=True))
    values = {(i.location.sheet, i.location.cell, i.location.line): i.value.raw for s in sheets for i in s.indicators}
    wrong = [f for f in applied if values.get((f.location.sheet, f.location.cell, f.location.line), f.after) != f.after]
    if _shape(sheets) != _shape([r.sheet for r in report.sheets]) or wrong:
        return "修正后的文件读出的表格与原文件不同，未写入 / the fixed copy would read differently; nothing written"
    return None


def _decoded(data: bytes, path: str) -> str:
    from checker.readers.text import decode

    return decode(data, path)


def _write(
    source: str,
    target: Path,
    payload: tuple[bytes, bytes],
    done: tuple[list[Fix], list[tuple[Fix, str]]],
    *,
    in_place: bool,
) -> FixResult:
    from checker.output import write_atomic

    out, data = payload
    applied, skipped = done
    backup = None
    if in_place:
        bak = Path(source + ".bak")
        write_atomic(bak, data, inputs=[source])
        backup = str(bak)
        write_atomic(target, out)  # atomic: the file is either the old bytes or the fixed ones
    else:
        write_atomic(target, out, inputs=[source])
    return FixResult(source, str(target), tuple(applied), tuple(skipped), backup)


def fix_report_paths(reports: list[Report], config: Config | None = None) -> list[FixResult]:
    """``check --fix``: a fixed copy beside each checked file that has an active fixable finding."""
    out: list[FixResult] = []
    for report in reports:
        if not any(f.active and f.code in FIXABLE for f in report.findings):
            continue
        try:
            active = {(f.code, f.location) for f in report.findings if f.active}
            out.append(fix_file(report.source, sibling(report.source), config=config, active=active))
        except InputError as exc:  # changed or vanished since it was checked: say so and go on
            out.append(FixResult(report.source, None, (), (), refused=exc.line()))
    return out
