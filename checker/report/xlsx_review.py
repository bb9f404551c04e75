"""``jixiao review``: the Excel review workbook reviewers work in (sheets 说明, 汇总, 问题清单, 指标明细, 规则).

Written with xlsxwriter in constant_memory mode, streaming one checked file at a time, so that 10,000
sheets and 200,000 findings fit in bounded memory: each sheet's rows go to its own temporary file as they
come, and only small per-project tallies (for 汇总's charts) are kept. xlsxwriter was measured against
openpyxl's write-only mode for this feature set (bench/review_bench.py, README): a style is a format made
once rather than a style copied onto each cell object. The rows themselves are written as XML by
xlsx_rowxml, a whole row at a time (xlsxwriter's cell-by-cell path was over half the writer's time);
xlsxwriter writes everything else. The look comes from templates/review.yaml.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from checker import __version__
from checker.coverage import Coverage
from checker.decisions import Decision, decision_keys, invalid_decisions, relative_to
from checker.findings import Finding, Severity, SheetResult
from checker.model import GoalSheet, ValueKind, json_number
from checker.opinion import opinion
from checker.parse.values import is_not_applicable
from checker.report.xlsx_rowxml import Cell, RowWriter, column_name
from checker.report.xlsx_safe import Styles, clean_text, to_cell
from checker.resources import data_dir, yaml_load
from checker.results import FileOutcome
from checker.rules.loader import Rule

KIND_ZH = {"quantitative": "定量", "qualitative": "定性", "range": "区间", "empty": "空", "unparsed": "无法解析",
           "not_applicable": "不适用"}  # fmt: skip
LEVEL1_KEYS = {"产出指标": "output", "效益指标": "effect", "满意度指标": "satisfaction", "成本指标": "cost"}
UNREAD = "（未识别）"  # the project of a placeholder for a goal sheet that could not be read
MAX_ROWS = 1_048_576  # rows of an Excel worksheet
# The sheets that get notes (指标明细) or charts (汇总): those are placed by the heights of the rows above
# them, so only these sheets keep a record of each tall row (RowWriter.keep_sizes).
_PLACED = frozenset({"汇总", "指标明细"})
# 问题清单's styled columns: the links, and the reviewer's columns (unlocked, shaded).
FINDING_STYLES = {"where": "link", "code": "link", "decision": "editable", "comment": "editable",
                  "reviewer": "editable", "date": "editable"}  # fmt: skip


def template() -> dict[str, Any]:
    data: dict[str, Any] = yaml_load(data_dir("templates") / "review.yaml")
    return data


def grade(counts: dict[str, int], grades: list[dict[str, Any]]) -> str:
    """The first grade whose limits hold (templates/review.yaml: grades)."""
    for entry in grades:
        if all(counts.get(key[4:], 0) <= limit for key, limit in entry.items() if key.startswith("max_")):
            return str(entry["grade"])
    return str(grades[-1]["grade"])


FRAMEWORK_ZH = {"fw2015": "2015 版", "fw2021": "2021 版"}


def indicator_counts(sheet: GoalSheet) -> Counter[str]:
    """Indicators per 一级 as the sheet's framework places them: under the 2015 framework 成本 is a 二级 of
    产出 (counted as 成本, not 产出), under 2021 a 一级 of its own. Not-applicable rows are not counted."""
    out: Counter[str] = Counter()
    for ind in sheet.indicators:
        if is_not_applicable(ind.name, ind.value):
            continue
        key = LEVEL1_KEYS.get(ind.level1 or "", "")
        if key == "output" and (ind.level2 or "").startswith("成本"):
            key = "cost"
        out[key] += 1
    return out


def _limits(entry: dict[str, Any]) -> str:
    limits = [f"{Severity(k[4:]).zh()} ≤ {v}" for k, v in entry.items() if k.startswith("max_")]
    return "、".join(limits) or "其余"


# xlsxwriter stores a width w as (7w + 5) / 7 (Calibri 11: 7 px a digit, 5 px padding): giving it w - 5/7
# stores w.
_COLUMN_PADDING = 5 / 7


@dataclass
class _Tallies:
    per_project: list[tuple[str, int]] = field(default_factory=list)
    by_category: Counter[str] = field(default_factory=Counter)
    totals: Counter[str] = field(default_factory=Counter)
    links: int = 0
    coverage: Coverage = field(default_factory=Coverage)


class SheetFull(Exception):
    """A sheet of the workbook reached Excel's row limit (the writer would drop every row after it)."""


class ReviewWriter:
    """Build the workbook sheet by sheet while outcomes stream in; ``save`` writes it to a path.

    xlsxwriter in constant_memory mode: each sheet's rows go to its own temporary file as they are written
    (xlsx_rowxml: a row's XML at once, nothing held), text is written inline, and every style is a format
    made once (``Styles``).
    """

    def __init__(
        self, rules: list[Rule], previous: dict[str, Decision] | None = None, lang: str = "zh", root: str = ""
    ) -> None:
        import xlsxwriter

        self.t = template()
        self.rules = rules
        self.duplicates: tuple[tuple[str, str], ...] = ()  # (copy, first): said in 说明
        self.previous = dict(previous or {})
        self.previous_source = previous  # read_decisions' Decisions: its conflicts go into 说明
        self.used: set[int] = set()  # ids of the carried decisions (one decision stands under several keys)
        self.root = root
        self.current = ("", "")  # (file relative to root, sha256) of the outcome being added
        self.lang = lang
        self.tally = _Tallies()
        self.inputs: list[tuple[str, str, str]] = []
        font = self.t["font"]
        # The template's font is the workbook's default, so every cell shows in it. charset 134 (GB2312):
        # where 等线 is missing the application substitutes a Chinese font, not a Latin one that shows every
        # character as a box. The file name is given at save (the atomic temporary path).
        default = {"font_name": font["name"], "font_size": font["size"], "font_charset": 134, "font_family": 2}
        import tempfile

        # Every file xlsxwriter makes (a row file per sheet, the parts while saving) goes into a folder of
        # the writer's own, removed whole: a signal between xlsxwriter creating a file and recording it
        # would otherwise leave that file in TMPDIR.
        self.tmpdir = tempfile.mkdtemp(prefix="jixiao-review-")
        options = {"constant_memory": True, "default_format_properties": default, "tmpdir": self.tmpdir}
        self.wb = xlsxwriter.Workbook(None, options)
        try:
            self._start()
        except BaseException:  # interrupted (SIGTERM, Ctrl-C) before the caller holds the writer
            self.discard()
            raise

    def _start(self) -> None:
        """The sheets, their columns, print set-up and header rows (each sheet's row file opens here)."""
        self.styles = Styles(self.wb, self._style_table())
        self.ws = {name: self.wb.add_worksheet(name) for name in ("说明", "汇总", "问题清单", "指标明细", "规则")}
        self.lists = self.wb.add_worksheet("_lists")
        self.lists.hide()
        self.chart_data = self.wb.add_worksheet("图表数据")
        # Every sheet's rows are written whole by xlsx_rowxml, not cell by cell through xlsxwriter.
        self.writers = {ws.name: RowWriter(ws, keep_sizes=ws.name in _PLACED) for ws in self.wb.worksheets()}
        self.rows = dict.fromkeys(self.ws, 0)  # rows written so far in each sheet
        # Printed widths of each sheet's columns (a hidden column's text never needs a taller row).
        self.widths: dict[str, list[float | None]] = {
            name: [None if c[0] in ("fingerprint", "sha256") else float(c[-1])
                   for c in self._columns(name)]
            for name in self.ws
        }  # fmt: skip
        self.rule_rows: dict[str, int] = {}
        for name in self.ws:
            self._layout(name)
        for name in ("汇总", "问题清单", "指标明细", "规则"):
            self._append(name, [col[1] for col in self._columns(name)], style="head")

    def discard(self) -> None:
        """Remove the writer's temporary folder: a finished, interrupted or failed review leaves nothing in
        TMPDIR."""
        import contextlib
        import shutil

        for ws in self.wb.worksheets():
            with contextlib.suppress(Exception):
                ws.row_data_fh.close()
        shutil.rmtree(self.tmpdir, ignore_errors=True)

    def _style_table(self) -> dict[str, dict[str, Any]]:
        """Every look a cell of the workbook takes (templates/review.yaml), by name. Every cell wraps at its
        column's width, top-aligned, with the row's height estimated from its text (xlsx_rows)."""
        head = self.t["header"]
        wrap: dict[str, Any] = {"text_wrap": True, "valign": "top"}
        header = {**wrap, "bold": head["bold"], "font_color": f"#{head['color']}", "bg_color": f"#{head['fill']}"}
        amount = {"num_format": self.t["amount_format"]}
        title = self.t["title"]
        styles: dict[str, dict[str, Any]] = {
            "wrap": wrap,
            "head": header,
            "head_amount": {**header, **amount},
            "amount": {**wrap, **amount},
            "link": {**wrap, "font_color": "#0563C1", "underline": 1},
            # The reviewer's columns: unlocked in the protected sheet, shaded so they are found.
            "editable": {**wrap, "locked": False, "bg_color": f"#{self.t['unlocked_fill']}"},
            "title": {**wrap, "font_size": title["size"], "bold": title["bold"]},
        }
        for word, fill in self.t["severity"].items():
            styles[f"severity:{word}"] = {**wrap, "bg_color": f"#{fill}"}
        return styles

    # -- layout helpers ---------------------------------------------------------------------------
    def _columns(self, name: str) -> list[list[Any]]:
        cols: list[list[Any]] = self.t["sheets"][name]["columns"]
        return cols

    def _layout(self, name: str) -> None:
        """Column widths, the column format a cell without a style of its own takes (wrapped), the frozen
        header row and the print set-up."""
        ws = self.ws[name]
        wrap = self.styles.get("wrap")
        for i, col in enumerate(self._columns(name)):
            # The template's widths are the file's <col width> (as openpyxl wrote them, which the print
            # sizes were fitted to); xlsxwriter adds a character's padding to what it is given.
            ws.set_column(i, i, col[-1] - _COLUMN_PADDING, wrap, {"hidden": col[0] in ("fingerprint", "sha256")})
        if name != "说明":
            ws.freeze_panes(1, 0)
            ws.repeat_rows(0)
        self._print_setup(name)

    def _print_setup(self, name: str) -> None:
        """A4, fitted to the page width (the template's widths keep the print at 8 pt or more); the footer,
        which names what the pages are about, is set at save."""
        ws = self.ws[name]
        setup = self.t["print"]
        if self.t["sheets"][name].get("orientation", "landscape") == "landscape":
            ws.set_landscape()
        else:
            ws.set_portrait()
        ws.set_paper(setup["paper"])
        ws.fit_to_pages(1, 0)
        margin = setup["margin_inch"]
        ws.set_margins(left=margin, right=margin, top=margin + 0.2, bottom=margin + 0.2)
        ws.set_header("", {"margin": 0.2})

    def _append(
        self,
        name: str,
        values: Sequence[object],
        styles: Sequence[str] | None = None,
        *,
        style: str = "",
        size: float | None = None,
    ) -> int:
        """Write a row of ``values`` to sheet ``name`` and return its 1-based number. ``styles``: one style
        name per value ("" for the column's), or ``style`` for every cell; ``size``: the row's font size when
        it is not the template's. The row gets the height its wrapped text needs."""
        from checker.report.xlsx_rows import row_height

        row = self.rows[name]
        if row >= MAX_ROWS:
            raise SheetFull(name)
        self.rows[name] = row + 1
        cells: list[Cell] = []
        texts: list[str | None] = []
        for col, value in enumerate(values):
            cell, text = to_cell(col, value, self.styles, styles[col] if styles else style)
            if cell is not None:
                cells.append(cell)
            texts.append(text)
        font = self.t["font"]["size"]
        scale = (size or font) / font  # a larger font takes more of the column's width and more height
        widths = self.widths[name] if scale == 1 else [w / scale if w else None for w in self.widths[name]]
        self.writers[name].row(row, cells, row_height(texts, widths, size or font))
        return row + 1

    def _put(self, name: str, row: int, values: Sequence[object]) -> None:
        """Write plain ``values`` as 0-based row ``row`` of a data sheet (no styles, default height)."""
        cells = [cell for cell, _ in (to_cell(col, v, self.styles) for col, v in enumerate(values)) if cell is not None]
        self.writers[name].row(row, cells)

    def _link(self, row: int, col: int, text: str, to: tuple[str, int]) -> None:
        """Make the cell at (row, col) of 问题清单 (1-based row, written already) a link to row ``to[1]`` of
        sheet ``to[0]``, within the template's cap on links and notes."""
        if self.tally.links < self.t["max_links"]:
            self.tally.links += 1
            link = f"internal:'{to[0]}'!A{to[1]}"
            ws = self.ws["问题清单"]
            # The cell went out with its row (xlsx_rowxml): xlsxwriter records only the link, as it does
            # for a table's links.
            ws.ignore_write_string = True
            try:
                ws.write_url(row - 1, col, link, None, text)
            finally:
                ws.ignore_write_string = False

    # -- streaming ----------------------------------------------------------------------------------
    def add(self, outcome: FileOutcome) -> None:
        # The reader's digest, of the bytes that were checked (hashing the file again could see a newer
        # version); a rejected file shows why it was rejected instead.
        digest = outcome.report.sha256 if outcome.report is not None else ""
        self.inputs.append((outcome.path, digest, outcome.error or ""))
        self.current = (relative_to(outcome.path, self.root), digest)
        self.tally.coverage += Coverage.of(outcome)
        if outcome.report is None:
            return
        for result in outcome.report.sheets:
            self._add_sheet(outcome.path, result)

    def _add_sheet(self, path: str, result: SheetResult) -> None:
        sheet = result.sheet
        by_indicator: dict[str, list[Finding]] = {}
        for f in result.findings:
            by_indicator.setdefault(f.indicator_path or "", []).append(f)
        rows = self._indicator_rows(path, sheet, by_indicator)
        summary_row = self._summary_row(path, sheet, result)
        for f in result.findings:
            target = rows.get(f.indicator_path or "")
            self._finding_row(f, ("指标明细", target) if target else ("汇总", summary_row))

    def _indicator_rows(self, path: str, sheet: GoalSheet, flagged: dict[str, list[Finding]]) -> dict[str, int]:
        rows: dict[str, int] = {}
        name = Path(path).name
        raw_col = [c[0] for c in self._columns("指标明细")].index("raw")
        plain = [""] * len(self._columns("指标明细"))
        ws = self.ws["指标明细"]
        for ind in sheet.indicators:
            v = ind.value
            # 本项目不适用此指标 with an empty value is as much 不适用 as a 不适用 value: say so, not 空.
            kind = ValueKind.NOT_APPLICABLE if is_not_applicable(ind.name, v) else v.kind
            found = flagged.get(ind.path, [])
            styles = plain
            if found:
                worst = max(found, key=lambda f: f.severity.rank).severity
                styles = [*plain]
                styles[raw_col] = f"severity:{worst.zh()}"
            values = [
                name, ind.location.short(), sheet.project, ind.level1, ind.level2, ind.name, v.raw, v.comparator,
                json_number(v.number), v.unit, json_number(v.magnitude), v.base_unit, KIND_ZH[str(kind)],
            ]  # fmt: skip
            row = self._append("指标明细", values, styles)
            if found and self.tally.links < self.t["max_links"]:
                self.tally.links += 1
                note = "\n".join(f"{f.code} {f.severity.zh()}：{f.message}" for f in found)
                ws.write_comment(row - 1, raw_col, clean_text(note)[:30000], {"author": "jixiao"})
            rows.setdefault(ind.path, row)
        return rows

    def _summary_row(self, path: str, sheet: GoalSheet, result: SheetResult) -> int:
        counts = Counter(f.severity.value for f in result.findings if f.active)
        # Counted as the rules count: a row declared not applicable is not an indicator.
        level1 = indicator_counts(sheet)
        grade_now = grade(dict(counts), self.t["grades"])
        status = "通过" if grade_now in self.t["pass_grades"] else "需修改"
        funding = sheet.funding.total_yuan if sheet.funding else None
        unit = sheet.header_field("实施单位") or sheet.header_field("预算单位") or sheet.header_field("主管部门") or ""
        values: dict[str, object] = {
            "file": Path(path).name, "project": sheet.project + UNREAD if sheet.unread else sheet.project, "unit": unit,
            "framework": "" if sheet.unread else FRAMEWORK_ZH.get(result.framework, result.framework),
            "funding": json_number(funding),
            "output": level1["output"], "effect": level1["effect"], "satisfaction": level1["satisfaction"],
            "cost": level1["cost"], "error": counts["error"], "warning": counts["warning"], "note": counts["note"],
            "grade": grade_now, "status": status,
            # The consolidated 审核意见 (checker/opinion.py), ready to send with the reviewer's own edits.
            "opinion": "" if sheet.unread else opinion(result, self.lang).text,
        }  # fmt: skip
        cols = self._columns("汇总")
        row = self._append("汇总", [values[c[0]] for c in cols], ["amount" if c[0] == "funding" else "" for c in cols])
        # The file beside the project: the same project name in two files is two bars, told apart.
        project = sheet.project or UNREAD
        label = f"{project[:20] + '…' if len(project) > 20 else project}（{Path(path).name}）"
        self.tally.per_project.append((label, sum(counts.values())))
        self.tally.totals.update(counts)
        self.tally.totals.update({"projects": int(not sheet.unread), "funding": int(funding or 0)})
        self.tally.totals[f"grade:{grade_now}"] += 1
        names = self.t["categories"]
        for f in result.findings:
            if f.active:
                prefix = f.code.rstrip("0123456789")
                self.tally.by_category[names.get(prefix, prefix)] += 1
        return row

    def _finding_row(self, f: Finding, target: tuple[str, int]) -> None:
        n = self.rows["问题清单"]
        rel, digest = self.current
        prior = next((self.previous[k] for k in decision_keys(f.fingerprint, rel, digest) if k in self.previous), None)
        if prior is not None:
            self.used.add(id(prior))
        decision = prior or Decision("待定")
        where = f.location.short() or "（整表）"
        values = {
            "n": n, "where": where, "project": f.project or UNREAD, "path": f.indicator_path or "（整表）",
            "raw": f.raw_value or "", "message": f.text(self.lang), "severity": f.severity.zh(),
            "code": f.code, "suggestion": (f.suggestion if self.lang == "zh" else f.suggestion_en) or "",
            "decision": decision.decision, "comment": decision.comment, "reviewer": decision.reviewer,
            "date": decision.date, "fingerprint": f.fingerprint, "file": rel, "sha256": digest,
        }  # fmt: skip
        keys = [col[0] for col in self._columns("问题清单")]
        row = self._append("问题清单", [values[k] for k in keys], [FINDING_STYLES.get(k, "") for k in keys])
        self._link(row, keys.index("where"), clean_text(where), target)
        rule_row = self.rule_rows.get(f.code)
        if rule_row:
            self._link(row, keys.index("code"), clean_text(f.code), ("规则", rule_row))

    def add_rules(self) -> None:
        from checker.report.example_text import describe

        self.rule_rows = {}
        for rule in self.rules:
            values = {
                "code": rule.code, "title": rule.title.get(self.lang), "severity": Severity(rule.severity).zh(),
                "rationale": rule.rationale.get(self.lang), "source": rule.source,
                "fail": "\n".join(f"✗ {describe(e)}" for e in rule.examples["fail"]),
                "pass": "\n".join(f"✓ {describe(e)}" for e in rule.examples["pass"]),
            }  # fmt: skip
            self.rule_rows[rule.code] = self._append("规则", [values[c[0]] for c in self._columns("规则")])

    # -- closing ------------------------------------------------------------------------------------
    def _finish_findings_sheet(self) -> None:
        ws = self.ws["问题清单"]
        cols = [c[0] for c in self._columns("问题清单")]
        last_row = max(self.rows["问题清单"], 2) - 1  # 0-based
        last_col = len(cols) - 1
        ws.autofilter(0, 0, last_row, last_col)
        decision_col = cols.index("decision")
        n = len(self.t["decisions"])
        choice = {"validate": "list", "source": f"=_lists!$A$1:$A${n}", "ignore_blank": True, "show_error": True,
                  "error_title": "审核结论", "error_message": "请从下拉列表中选择"}  # fmt: skip
        ws.data_validation(1, decision_col, max(last_row, 999), decision_col, choice)
        sev_col = cols.index("severity")
        letter = column_name(sev_col)
        for word, fill in self.t["severity"].items():
            ws.conditional_format(1, sev_col, last_row, sev_col,
                                  {"type": "formula", "criteria": f'=${letter}2="{word}"',
                                   "format": self.wb.add_format({"bg_color": f"#{fill}"})})  # fmt: skip
        # The reviewer's columns print with the finding; the hidden bookkeeping columns after them do not.
        ws.print_area(0, 0, last_row, cols.index("date"))
        # Reviewers may still filter, sort and resize.
        ws.protect("", {"autofilter": True, "sort": True, "format_columns": True, "format_rows": True})

    def _finish_summary(self) -> None:
        t = self.tally.totals
        totals = {"file": "合计", "project": f"{t['projects']} 个项目", "funding": t["funding"], "error": t["error"],
                  "warning": t["warning"], "note": t["note"]}  # fmt: skip
        cols = self._columns("汇总")
        self._append("汇总", [totals.get(c[0], "") for c in cols],
                     ["head_amount" if c[0] == "funding" else "head" for c in cols])  # fmt: skip
        # The charts stand beside the table, outside its print area: the table prints at a readable size.
        width = len(cols)
        self.ws["汇总"].print_area(0, 0, self.rows["汇总"] - 1, width - 1)
        categories = sorted(self.tally.by_category.items(), key=lambda kv: -kv[1])
        top = sorted(self.tally.per_project, key=lambda kv: -kv[1])[:30]
        start = len(categories) + 2  # 0-based row of the second table's header, after an empty row
        for at, (label, count) in enumerate([("问题类别", "问题数"), *categories]):
            self._put("图表数据", at, [label, count])
        for at, (label, count) in enumerate([("项目（问题最多的 30 个）", "问题数"), *top], start):
            self._put("图表数据", at, [clean_text(label)[:80], count])  # a project name is user text
        size = {"width": 605, "height": 302}  # 16 × 8 cm
        if categories:
            chart = self.wb.add_chart({"type": "bar"})
            chart.add_series({"name": ["图表数据", 0, 1], "categories": ["图表数据", 1, 0, len(categories), 0],
                              "values": ["图表数据", 1, 1, len(categories), 1]})  # fmt: skip
            chart.set_title({"name": "各类问题数量"})
            chart.set_size(size)
            self.ws["汇总"].insert_chart(1, width + 1, chart)
        if top:
            chart = self.wb.add_chart({"type": "bar"})
            end = start + len(top)
            chart.add_series({"name": ["图表数据", start, 1], "categories": ["图表数据", start + 1, 0, end, 0],
                              "values": ["图表数据", start + 1, 1, end, 1]})  # fmt: skip
            chart.set_title({"name": "各项目问题数量"})
            chart.set_size({**size, "height": 378})  # 16 × 10 cm
            self.ws["汇总"].insert_chart(19, width + 1, chart)

    def _finish_intro(self, packs: str, disappeared: list[Decision]) -> None:
        def add(label: str, text: str, label_style: str = "head", size: float | None = None) -> None:
            self._append("说明", [label, text], [label_style, "title" if size else "wrap"], size=size)

        rows: list[tuple[str, str]] = [
            ("生成工具", f"jixiao {__version__}；规则包：{packs}；规则 {len(self.rules)} 条"),
            ("生成时间", dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M:%S %z")),
            ("工作表", "汇总：每个项目一行，含建议等级；问题清单：每个问题一行，请在黄色列填写审核结论；"
                      "指标明细：全部解析出的指标，有问题的单元格已着色并附批注；规则：本次使用的规则及依据。"),
            ("严重程度", "错误：不符合明确要求，须修改；警告：审核中通常会指出的问题；提示：供参考的改进建议。"),
            ("如何填写", "在“问题清单”的审核结论列下拉选择：" + "、".join(self.t["decisions"]) +
                        "；选“误报”或“接受例外”时请在审核意见中写明理由；填写审核人和日期。"),
            ("如何交回", "保存本文件（不要改动隐藏的指纹列和表头），交回后运行 jixiao review … --previous 本文件，"
                        "审核结论将按问题指纹带入新一轮；jixiao import-review 本文件 可把误报/接受例外转为忽略清单。"),
            ("建议等级", "；".join(f"{g['grade']}：{_limits(g)}" for g in self.t["grades"])),
            ("读取情况", self.tally.coverage.read_line("zh").removeprefix("读取：")),
            ("预算年度", (self.tally.coverage.year_line("zh") or "：无（未读出任何项目）").split("：", 1)[1]),
            ("字体", f"{self.t['font']['name']}；没有此字体时请安装 " + "、".join(self.t["font"]["fallbacks"]) +
                    " 之一（Linux：fonts-noto-cjk），否则中文可能显示为方框。"),
        ]  # fmt: skip
        if self.tally.links >= self.t["max_links"]:
            rows.append(("链接与批注", f"为控制内存，仅前 {self.t['max_links']} 个问题附有链接和批注。"))
        add("绩效目标审核表", "项目支出绩效目标表审核工作簿（jixiao 生成）", "title", self.t["title"]["size"])
        for label, text in rows:
            add(label, text)
        self._append("说明", [])
        add("输入文件", "SHA-256 / 状态")
        for path, digest, error in self.inputs:
            add(path, error or digest, "wrap")
        self._append("说明", [])
        add("上一轮", f"上一轮的审核结论中有 {len(disappeared)} 条对应的问题已不存在" if disappeared
            else "上一轮的审核结论均已带入")  # fmt: skip
        for d in disappeared:
            add(d.decision, f"{d.project} {d.path}：{d.message}；审核意见：{d.comment}；{d.reviewer} {d.date}", "wrap")
        conflicts = getattr(self.previous_source, "conflicts", [])
        if conflicts:
            add("结论冲突", f"上一轮有 {len(conflicts)} 处同一文件的同一问题填了不同结论，已带入第一条，请核对")
            for kept, other in conflicts:
                where = f"{kept.file or '（未记录文件）'} {kept.project} {kept.path}：{kept.message}"
                add(kept.decision,
                    f"{where}；带入「{kept.decision}：{kept.comment}」，未带入「{other.decision}：{other.comment}」",
                    "wrap")  # fmt: skip
        if self.duplicates:
            add(
                "重复文件",
                f"有 {len(self.duplicates)} 个文件与前面的文件逐字节相同，只检查了一次，问题列在前一个文件下",
            )
            for copy, first in self.duplicates:
                add("", f"{relative_to(copy, self.root)} 与 {relative_to(first, self.root)} 内容相同", "wrap")
        invalid = invalid_decisions(self.previous, "上一轮审核表", self.t["decisions"])
        if invalid:
            add("无效结论", f"上一轮有 {len(invalid)} 处审核结论不是下拉列表中的词，已按原文带入，视为待定，请重新选择")
            for line in invalid:
                add("", line.split(" / ")[0], "wrap")

    def _footers(self) -> None:
        """Page numbers and the sheet's name, and what the pages are about: the project, or how many (a
        printout gets separated)."""
        setup = self.t["print"]
        projects = [p for p, _n in self.tally.per_project]
        about = projects[0] if len(projects) == 1 else f"{len(projects)} 个项目，{len(self.inputs)} 个文件"
        # A project's & would start a footer code (&G even asks for a picture): shown full-width, as text.
        about = clean_text(about)[:60].replace("&", "＆")
        # The size code takes every digit after it: a space ends it (&104 个项目 would print at 104 pt).
        footer = f"&L&10 {setup['footer_left']}&C&10 {setup['footer_center']}&R&10 {about}"
        for ws in self.ws.values():
            ws.set_footer(footer, {"margin": 0.2})

    def save(self, path: Path, packs: str) -> list[Decision]:
        """Close every sheet and write the workbook to ``path``; returns the decisions that were not carried."""
        for i, word in enumerate(self.t["decisions"]):
            self._put("_lists", i, [word])
        self._footers()
        self._finish_findings_sheet()
        self._finish_summary()
        unique = {id(d): d for d in self.previous.values()}
        disappeared = [d for key, d in unique.items() if key not in self.used and d.meaningful]
        self._finish_intro(packs, disappeared)
        for writer in self.writers.values():
            writer.close()
        from xlsxwriter.exceptions import FileCreateError

        self.wb.filename = str(path)
        try:
            self.wb.close()
        except FileCreateError as exc:  # xlsxwriter wraps the OSError; the caller says what went wrong
            raise exc.args[0] if exc.args and isinstance(exc.args[0], OSError) else OSError(str(exc)) from None
        self.discard()
        return disappeared


def write_review(outcomes: Iterable[FileOutcome], target: Path, rules: list[Rule], packs: str, *,
                 previous: dict[str, Decision] | None = None, lang: str = "zh", inputs: Iterable[str] = (),
                 root: str = "", writing: Callable[[int, bool], None] | None = None,
                 duplicates: Sequence[tuple[str, str]] = (),
                 ) -> tuple[int, list[Decision], dict[str, int]]:  # fmt: skip
    """Stream outcomes into a review workbook written atomically at ``target``; returns (findings, dropped,
    active findings by severity). ``writing(rows, saving)`` hears how far the writing has got;
    ``duplicates`` (copy, first) are inputs checked once under the first name, listed in 说明."""
    from checker.errors import OutputError
    from checker.output import atomic_path

    writer: ReviewWriter | None = None
    try:
        writer = ReviewWriter(rules, previous, lang, root)
        writer.duplicates = tuple(duplicates)
        writer.add_rules()
        count = 0
        told = 0
        for outcome in outcomes:
            writer.add(outcome)
            count += sum(len(s.findings) for s in outcome.report.sheets) if outcome.report else 0
            rows = sum(writer.rows.values())
            if writing is not None and rows - told >= 200:
                told = rows
                writing(rows, False)
        if writing is not None:
            writing(sum(writer.rows.values()), True)
        with atomic_path(target, inputs) as tmp:
            disappeared = writer.save(tmp, packs)
    except BaseException as exc:
        if writer is not None:
            writer.discard()
        if not isinstance(exc, Exception):
            raise
        if isinstance(exc, SheetFull):
            raise OutputError(
                f"{target}: 工作表「{exc}」超过 Excel 每张工作表 {MAX_ROWS:,} 行的上限，请分批审核 / "
                f"sheet {exc} would exceed Excel's {MAX_ROWS:,} rows: review the files in batches"
            ) from None
        # Each sheet's rows stream through a file in TMPDIR: a full disk there is the output's problem.
        io = exc.strerror if isinstance(exc, OSError) else None
        if io is None:
            raise
        raise OutputError(
            f"{target}: 临时文件夹无法写入（{io}），请清理空间或设置 TMPDIR / "
            "cannot write to the temporary folder: free space or set TMPDIR"
        ) from None
    totals = {s.value: writer.tally.totals[s.value] for s in Severity}
    return count, disappeared, totals


__all__ = ["ReviewWriter", "write_review"]
