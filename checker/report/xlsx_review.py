"""``jixiao review``: the Excel review workbook reviewers work in (sheets 说明, 汇总, 问题清单, 指标明细, 规则).

Written in openpyxl write-only mode, streaming one checked file at a time, so that 10,000 sheets and
200,000 findings fit in bounded memory: each sheet's rows go to its own temporary file as they come, and
only small per-project tallies (for 汇总's charts) are kept. The look comes from templates/review.yaml.
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
from checker.report.xlsx_safe import TRIGGERS, StyleCache, clean_text, text_cell
from checker.resources import data_dir, yaml_load
from checker.results import FileOutcome
from checker.rules.loader import Rule

KIND_ZH = {"quantitative": "定量", "qualitative": "定性", "range": "区间", "empty": "空", "unparsed": "无法解析",
           "not_applicable": "不适用"}  # fmt: skip
LEVEL1_KEYS = {"产出指标": "output", "效益指标": "effect", "满意度指标": "satisfaction", "成本指标": "cost"}
UNREAD = "（未识别）"  # the project of a placeholder for a goal sheet that could not be read


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


@dataclass
class _Tallies:
    per_project: list[tuple[str, int]] = field(default_factory=list)
    by_category: Counter[str] = field(default_factory=Counter)
    totals: Counter[str] = field(default_factory=Counter)
    links: int = 0
    coverage: Coverage = field(default_factory=Coverage)


class ReviewWriter:
    """Build the workbook sheet by sheet while outcomes stream in; ``save`` writes it to a path."""

    def __init__(
        self, rules: list[Rule], previous: dict[str, Decision] | None = None, lang: str = "zh", root: str = ""
    ) -> None:
        import openpyxl
        from openpyxl.styles import Alignment, Font, PatternFill, Protection
        from openpyxl.utils.indexed_list import IndexedList

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
        self.styles = StyleCache()  # one per workbook: style arrays index this workbook's style lists
        self.inputs: list[tuple[str, str, str]] = []
        font = self.t["font"]
        # charset 134 (GB2312): where 等线 is missing the application substitutes a Chinese font, not a
        # Latin one that shows every character as a box.
        cjk = {"name": font["name"], "size": font["size"], "charset": 134, "family": 2}
        self.font = Font(**cjk)
        head = self.t["header"]
        self.head_font = Font(**cjk, bold=head["bold"], color=head["color"])
        self.head_fill = PatternFill("solid", fgColor=head["fill"])
        self.link_font = Font(**cjk, color="0563C1", underline="single")
        # Every cell wraps at its column's width, top-aligned: no row height is written (write-only mode
        # cannot), so Excel, WPS and LibreOffice size each row to its text and nothing is cut or overlaps.
        self.wrap = Alignment(wrap_text=True, vertical="top")
        self.wrap_long = self.wrap
        self.unlocked = Protection(locked=False)
        self.unlocked_fill = PatternFill("solid", fgColor=self.t["unlocked_fill"])
        self.sev_fill = {k: PatternFill("solid", fgColor=v) for k, v in self.t["severity"].items()}
        self.wb = openpyxl.Workbook(write_only=True)
        # The template's font as the workbook default, so plain (unstyled) cells show in it too; they wrap
        # by their column's style (set in _header), which is what a cell without a style of its own takes
        # in LibreOffice: styling each of 200,000 rows' cells would triple the writing time.
        self.wb._fonts = IndexedList([self.font])
        self.ws = {name: self.wb.create_sheet(name) for name in ("说明", "汇总", "问题清单", "指标明细", "规则")}
        self.lists = self.wb.create_sheet("_lists")
        self.lists.sheet_state = "hidden"
        self.chart_data = self.wb.create_sheet("图表数据")
        self.rows = dict.fromkeys(self.ws, 1)
        # Printed widths of each sheet's columns (a hidden column's text never needs a taller row).
        self.widths: dict[str, list[float | None]] = {
            name: [None if c[0] in ("fingerprint", "sha256") else float(c[-1])
                   for c in self._columns(name)]
            for name in self.ws
        }  # fmt: skip
        self.rule_rows: dict[str, int] = {}
        for name in ("汇总", "问题清单", "指标明细", "规则"):
            self._header(name)

    # -- layout helpers ---------------------------------------------------------------------------
    def _columns(self, name: str) -> list[list[Any]]:
        cols: list[list[Any]] = self.t["sheets"][name]["columns"]
        return cols

    def _header(self, name: str) -> None:
        from openpyxl.utils import get_column_letter

        ws = self.ws[name]
        cols = self._columns(name)
        for i, col in enumerate(cols, 1):
            ws.column_dimensions[get_column_letter(i)].width = col[-1]
            # write-only: column settings must be made before the first row is written
            ws.column_dimensions[get_column_letter(i)].hidden = col[0] in ("fingerprint", "sha256")
            # The column's own style too: LibreOffice gives a cell without a style its column's style.
            ws.column_dimensions[get_column_letter(i)].alignment = self.wrap
        ws.freeze_panes = "A2"
        self._print_setup(name)
        ws.print_title_rows = "1:1"
        header = [text_cell(ws, col[1], font=self.head_font, fill=self.head_fill, alignment=self.wrap) for col in cols]
        self._sized_append(ws, header, self.widths[name], 1)

    def _print_setup(self, name: str) -> None:
        """A4, fitted to the page width (the template's widths keep the print at 8 pt or more), page
        numbers in the footer; set before the first row (sheetPr is written first)."""
        ws = self.ws[name]
        setup = self.t["print"]
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.page_setup.orientation = self.t["sheets"][name].get("orientation", "landscape")
        ws.page_setup.paperSize = setup["paper"]
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        margin = setup["margin_inch"]
        ws.page_margins.left = ws.page_margins.right = margin
        ws.page_margins.top = ws.page_margins.bottom = margin + 0.2
        ws.page_margins.header = ws.page_margins.footer = 0.2
        ws.oddFooter.center.text = setup["footer_center"]
        ws.oddFooter.left.text = setup["footer_left"]
        ws.oddFooter.center.size = ws.oddFooter.left.size = ws.oddFooter.right.size = 10

    def _cell(self, name: str, value: object, **style: Any) -> Any:
        """A cell in the template's font (``style`` may override it): numbers as numbers, all else as text.

        An unstyled value that cannot be read as a formula goes in as a plain value: the workbook's
        default font is the template's, and a plain cell costs a third of a styled one to write.
        """
        ws = self.ws[name]
        if not style:
            if value is None:
                return None
            if isinstance(value, int | float) and not isinstance(value, bool):
                return value
            text = clean_text(value)
            if not text.startswith(TRIGGERS):
                return text
        style = {"font": self.font, "alignment": self.wrap, **style}
        if isinstance(value, int | float) and not isinstance(value, bool):
            from openpyxl.cell import WriteOnlyCell

            cell = WriteOnlyCell(ws, value=value)
            self.styles.apply(cell, style)
            return cell
        return text_cell(ws, "" if value is None else value, self.styles, **style)

    def _append(self, name: str, cells: list[Any]) -> int:
        self.rows[name] += 1
        self._sized_append(self.ws[name], cells, self.widths[name], self.rows[name])
        return self.rows[name]

    def _sized_append(
        self, ws: Any, cells: list[Any], widths: list[float | None], index: int, size: float | None = None
    ) -> None:
        """Append row ``index`` with the height its wrapped text needs (set for this row alone: the holder
        of row dimensions would otherwise grow with every row of a 200,000-finding workbook). ``size``: the
        row's font size when it is not the template's."""
        from checker.report.xlsx_rows import row_height

        font = self.t["font"]["size"]
        scale = (size or font) / font  # a larger font takes more of the column's width and more height
        texts = [v if isinstance(v, str) else getattr(v, "value", None) for v in cells]
        scaled = [w / scale if w else None for w in widths]
        height = row_height([t if isinstance(t, str) else None for t in texts], scaled, size or font)
        if height is None:
            ws.append(cells)
            return
        from openpyxl.worksheet.dimensions import RowDimension

        ws.row_dimensions[index] = RowDimension(ws, index=index, ht=height, customHeight=True)
        ws.append(cells)
        del ws.row_dimensions[index]

    def _link(self, cell: Any, sheet: str, row: int) -> None:
        from openpyxl.worksheet.hyperlink import Hyperlink

        if self.tally.links < self.t["max_links"]:
            self.tally.links += 1
            cell.hyperlink = Hyperlink(ref=cell.coordinate, location=f"'{sheet}'!A{row}", display=str(cell.value))

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
        from openpyxl.comments import Comment

        rows: dict[str, int] = {}
        for ind in sheet.indicators:
            v = ind.value
            # 本项目不适用此指标 with an empty value is as much 不适用 as a 不适用 value: say so, not 空.
            kind = ValueKind.NOT_APPLICABLE if is_not_applicable(ind.name, v) else v.kind
            found = flagged.get(ind.path, [])
            worst = max(found, key=lambda f: f.severity.rank).severity if found else None
            fill = {"fill": self.sev_fill[worst.zh()]} if worst else {}
            raw = self._cell("指标明细", v.raw, **fill) if found else self._cell("指标明细", v.raw)
            if found and self.tally.links < self.t["max_links"]:
                self.tally.links += 1
                note = "\n".join(f"{f.code} {f.severity.zh()}：{f.message}" for f in found)
                raw.comment = Comment(clean_text(note)[:30000], "jixiao")
            cells = [
                self._cell("指标明细", Path(path).name), self._cell("指标明细", ind.location.short()),
                self._cell("指标明细", sheet.project), self._cell("指标明细", ind.level1),
                self._cell("指标明细", ind.level2), self._cell("指标明细", ind.name), raw,
                self._cell("指标明细", v.comparator), self._cell("指标明细", json_number(v.number)),
                self._cell("指标明细", v.unit), self._cell("指标明细", json_number(v.magnitude)),
                self._cell("指标明细", v.base_unit), self._cell("指标明细", KIND_ZH[str(kind)]),
            ]  # fmt: skip
            rows.setdefault(ind.path, self._append("指标明细", cells))
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
        amount = {"number_format": self.t["amount_format"]}
        row = self._append(
            "汇总",
            [self._cell("汇总", values[c[0]], **(amount if c[0] == "funding" else {})) for c in self._columns("汇总")],
        )
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
        where_cell = self._cell("问题清单", where, font=self.link_font)
        self._link(where_cell, *target)
        code_cell = self._cell("问题清单", f.code, font=self.link_font)
        rule_row = self.rule_rows.get(f.code)
        if rule_row:
            self._link(code_cell, "规则", rule_row)
        editable = {"protection": self.unlocked, "fill": self.unlocked_fill}
        values = {
            "n": n, "where": where_cell, "project": f.project or UNREAD, "path": f.indicator_path or "（整表）",
            "raw": f.raw_value or "", "message": f.text(self.lang), "severity": f.severity.zh(),
            "code": code_cell, "suggestion": (f.suggestion if self.lang == "zh" else f.suggestion_en) or "",
            "decision": self._cell("问题清单", decision.decision, **editable),
            "comment": self._cell("问题清单", decision.comment, **editable),
            "reviewer": self._cell("问题清单", decision.reviewer, **editable),
            "date": self._cell("问题清单", decision.date, **editable), "fingerprint": f.fingerprint,
            "file": rel, "sha256": digest,
        }  # fmt: skip
        cells = [v if hasattr(v, "coordinate") else self._cell("问题清单", v) for v in
                 (values[col[0]] for col in self._columns("问题清单"))]  # fmt: skip
        self._append("问题清单", cells)

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
            self.rule_rows[rule.code] = self._append(
                "规则", [self._cell("规则", values[c[0]]) for c in self._columns("规则")]
            )

    # -- closing ------------------------------------------------------------------------------------
    def _finish_findings_sheet(self) -> None:
        from openpyxl.formatting.rule import FormulaRule
        from openpyxl.utils import get_column_letter
        from openpyxl.worksheet.datavalidation import DataValidation

        ws = self.ws["问题清单"]
        cols = [c[0] for c in self._columns("问题清单")]
        last_row = max(self.rows["问题清单"], 2)
        last_col = get_column_letter(len(cols))
        ws.auto_filter.ref = f"A1:{last_col}{last_row}"
        decision_col = get_column_letter(cols.index("decision") + 1)
        n = len(self.t["decisions"])
        dv = DataValidation(type="list", formula1=f"=_lists!$A$1:$A${n}", allow_blank=True,
                            showErrorMessage=True, errorTitle="审核结论", error="请从下拉列表中选择")  # fmt: skip
        ws.data_validations.append(dv)
        dv.add(f"{decision_col}2:{decision_col}{max(last_row, 1000)}")
        sev_col = get_column_letter(cols.index("severity") + 1)
        for word, fill in self.sev_fill.items():
            ws.conditional_formatting.add(f"{sev_col}2:{sev_col}{last_row}",
                                          FormulaRule(formula=[f'${sev_col}2="{word}"'], fill=fill))  # fmt: skip
        # The reviewer's columns print with the finding; the hidden bookkeeping columns after them do not.
        ws.print_area = f"A1:{get_column_letter(cols.index('date') + 1)}{last_row}"
        ws.protection.sheet = True
        for attr in ("autoFilter", "sort", "formatColumns", "formatRows", "selectLockedCells", "selectUnlockedCells"):
            setattr(ws.protection, attr, False)  # reviewers may still filter, sort and resize

    def _finish_summary(self) -> None:
        from openpyxl.chart import BarChart, Reference

        t = self.tally.totals
        totals = {"file": "合计", "project": f"{t['projects']} 个项目", "funding": t["funding"], "error": t["error"],
                  "warning": t["warning"], "note": t["note"]}  # fmt: skip
        amount = self.t["amount_format"]
        self._append("汇总", [self._cell("汇总", totals.get(c[0], ""), font=self.head_font, fill=self.head_fill,
                                         **({"number_format": amount} if c[0] == "funding" else {}))
                              for c in self._columns("汇总")])  # fmt: skip
        from openpyxl.utils import get_column_letter

        # The charts stand beside the table, outside its print area: the table prints at a readable size.
        width = len(self._columns("汇总"))
        beside = get_column_letter(width + 2)
        self.ws["汇总"].print_area = f"A1:{get_column_letter(width)}{self.rows['汇总']}"
        data = self.chart_data
        data.append([text_cell(data, "问题类别"), text_cell(data, "问题数")])
        categories = sorted(self.tally.by_category.items(), key=lambda kv: -kv[1])
        for name, count in categories:
            data.append([text_cell(data, name), count])
        top = sorted(self.tally.per_project, key=lambda kv: -kv[1])[:30]
        data.append([])
        start = len(categories) + 3
        data.append([text_cell(data, "项目（问题最多的 30 个）"), text_cell(data, "问题数")])
        for name, count in top:
            data.append([text_cell(data, clean_text(name)[:80]), count])  # a project name is user text
        if categories:
            chart = BarChart()
            chart.type, chart.title, chart.height, chart.width = "bar", "各类问题数量", 8, 16
            chart.add_data(Reference(data, min_col=2, min_row=1, max_row=len(categories) + 1), titles_from_data=True)
            chart.set_categories(Reference(data, min_col=1, min_row=2, max_row=len(categories) + 1))
            self.ws["汇总"].add_chart(chart, f"{beside}2")
        if top:
            chart = BarChart()
            chart.type, chart.title, chart.height, chart.width = "bar", "各项目问题数量", 10, 16
            chart.add_data(Reference(data, min_col=2, min_row=start, max_row=start + len(top)), titles_from_data=True)
            chart.set_categories(Reference(data, min_col=1, min_row=start + 1, max_row=start + len(top)))
            self.ws["汇总"].add_chart(chart, f"{beside}20")

    def _finish_intro(self, packs: str, disappeared: list[Decision]) -> None:
        ws = self.ws["说明"]
        from openpyxl.styles import Font
        from openpyxl.utils import get_column_letter

        for i, col in enumerate(self._columns("说明"), 1):
            ws.column_dimensions[get_column_letter(i)].width = col[-1]
            ws.column_dimensions[get_column_letter(i)].alignment = self.wrap
        self._print_setup("说明")
        written = 0
        head = {"font": self.head_font, "fill": self.head_fill, "alignment": self.wrap}

        def add(cells: list[Any], size: float | None = None) -> None:
            nonlocal written
            written += 1
            self._sized_append(ws, cells, self.widths["说明"], written, size)

        title = self.t["title"]
        title_font = Font(name=self.t["font"]["name"], size=title["size"], bold=title["bold"], charset=134, family=2)
        rows: list[tuple[str, str]] = [
            ("绩效目标审核表", "项目支出绩效目标表审核工作簿（jixiao 生成）"),
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
        add([text_cell(ws, rows[0][0], font=title_font, alignment=self.wrap),
             text_cell(ws, rows[0][1], font=title_font, alignment=self.wrap)], title["size"])  # fmt: skip
        for label, text in rows[1:]:
            add([text_cell(ws, label, **head),
                       text_cell(ws, text, font=self.font, alignment=self.wrap_long)])  # fmt: skip
        add([])
        add([text_cell(ws, "输入文件", **head),
                   text_cell(ws, "SHA-256 / 状态", **head)])  # fmt: skip
        for path, digest, error in self.inputs:
            add([text_cell(ws, path, font=self.font, alignment=self.wrap),
                       text_cell(ws, error or digest, font=self.font, alignment=self.wrap)])  # fmt: skip
        add([])
        label = (
            f"上一轮的审核结论中有 {len(disappeared)} 条对应的问题已不存在"
            if disappeared
            else "上一轮的审核结论均已带入"
        )
        add(
            [
                text_cell(ws, "上一轮", **head),
                text_cell(ws, label, font=self.font),
            ]
        )
        for d in disappeared:
            add([text_cell(ws, d.decision, font=self.font),
                       text_cell(ws, f"{d.project} {d.path}：{d.message}；审核意见：{d.comment}；{d.reviewer} {d.date}",
                                 font=self.font, alignment=self.wrap)])  # fmt: skip
        conflicts = getattr(self.previous_source, "conflicts", [])
        if conflicts:
            note = f"上一轮有 {len(conflicts)} 处同一文件的同一问题填了不同结论，已带入第一条，请核对"
            add([text_cell(ws, "结论冲突", **head),
                       text_cell(ws, note, font=self.font)])  # fmt: skip
            for kept, other in conflicts:
                where = f"{kept.file or '（未记录文件）'} {kept.project} {kept.path}：{kept.message}"
                text = f"{where}；带入「{kept.decision}：{kept.comment}」，未带入「{other.decision}：{other.comment}」"
                add([text_cell(ws, kept.decision, font=self.font),
                           text_cell(ws, text, font=self.font, alignment=self.wrap)])  # fmt: skip
        if self.duplicates:
            note = f"有 {len(self.duplicates)} 个文件与前面的文件逐字节相同，只检查了一次，问题列在前一个文件下"
            add([text_cell(ws, "重复文件", **head),
                       text_cell(ws, note, font=self.font, alignment=self.wrap_long)])  # fmt: skip
            for copy, first in self.duplicates:
                text = f"{relative_to(copy, self.root)} 与 {relative_to(first, self.root)} 内容相同"
                add([text_cell(ws, "", font=self.font),
                           text_cell(ws, text, font=self.font, alignment=self.wrap_long)])  # fmt: skip
        invalid = invalid_decisions(self.previous, "上一轮审核表", self.t["decisions"])
        if invalid:
            note = f"上一轮有 {len(invalid)} 处审核结论不是下拉列表中的词，已按原文带入，视为待定，请重新选择"
            add([text_cell(ws, "无效结论", **head),
                       text_cell(ws, note, font=self.font, alignment=self.wrap_long)])  # fmt: skip
            for line in invalid:
                add([text_cell(ws, "", font=self.font),
                           text_cell(ws, line.split(" / ")[0], font=self.font, alignment=self.wrap_long)])  # fmt: skip

    def save(self, path: Path, packs: str) -> list[Decision]:
        """Close every sheet and write the workbook to ``path``; returns the decisions that were not carried."""
        for word in self.t["decisions"]:
            self.lists.append([text_cell(self.lists, word)])
        # The footer names what the pages are about: the project, or how many (a printout gets separated).
        projects = [p for p, _n in self.tally.per_project]
        about = projects[0] if len(projects) == 1 else f"{len(projects)} 个项目，{len(self.inputs)} 个文件"
        for name in self.ws:
            self.ws[name].oddFooter.right.text = clean_text(about)[:60].replace("&", "&&")
        self._finish_findings_sheet()
        self._finish_summary()
        unique = {id(d): d for d in self.previous.values()}
        disappeared = [d for key, d in unique.items() if key not in self.used and d.meaningful]
        self._finish_intro(packs, disappeared)
        self.wb.save(path)
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
        _remove_sheet_files(writer)
        if not isinstance(exc, Exception):
            raise
        # openpyxl streams each sheet through a file in TMPDIR; lxml reports a full disk there as
        # SerialisationError("IO_ENOSPC"), not as an OSError.
        io = exc.strerror if isinstance(exc, OSError) else str(exc) if str(exc).startswith("IO_") else None
        if io is None:
            raise
        raise OutputError(
            f"{target}: 临时文件夹无法写入（{io}），请清理空间或设置 TMPDIR / "
            "cannot write to the temporary folder: free space or set TMPDIR"
        ) from None
    totals = {s.value: writer.tally.totals[s.value] for s in Severity}
    return count, disappeared, totals


def _remove_sheet_files(writer: ReviewWriter | None) -> None:
    """An interrupted review leaves no openpyxl temp file behind in TMPDIR."""
    import contextlib

    if writer is None:
        return
    for ws in getattr(writer.wb, "_sheets", []):
        inner = getattr(ws, "_writer", None)
        if inner is not None:
            with contextlib.suppress(Exception):
                inner.cleanup()


__all__ = ["ReviewWriter", "write_review"]
