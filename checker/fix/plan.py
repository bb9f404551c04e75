"""Which cells to change: the findings of a checked file that a mechanical rewrite answers.

A fix is proposed only where its rule fired (and is active: not suppressed, baselined or superseded), so
``--select``/``--ignore``, suppressions and the baseline decide what is fixed exactly as what is shown.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from functools import partial

from checker.findings import Report
from checker.frozen import frozen
from checker.lazyre import lazy
from checker.model import Indicator, Location, ValueKind
from checker.parse.spelling import percent_word, respell, serial_date

# Codes that a fix answers, in the order the rewrites are applied to one cell.
FIXABLE = ("VAL019", "VAL020", "VAL015", "TIME004", "VAL011")
# A cell that starts like this would be a formula to a spreadsheet the moment someone edits it.
FORMULA_START = ("=", "+", "-", "@", "＝", "＋", "－", "＠")
_BARE_NUMBER = lazy(r"^(?:[≥≤><=])?[0-9]+(?:\.[0-9]+)?$")


@frozen
class Fix:
    """One cell (or one value in a text line): what it said, what it will say, and the rules it answers."""

    location: Location
    before: str
    after: str
    codes: tuple[str, ...]
    name: str = ""  # the indicator's 三级 name (a copy of the row elsewhere is found by it)


def _percent_text(raw: str) -> str | None:
    text = raw.strip()
    return text + "%" if _BARE_NUMBER.match(text) else None


def _rewrites(
    ind: Indicator, fired: Callable[[str], bool], percent_cell: bool
) -> list[tuple[str, Callable[[str], str | None]]]:
    """(code, rewrite) for every rule that fired on this indicator and has a rewrite for it."""
    out: list[tuple[str, Callable[[str], str | None]]] = []
    na = ind.value.kind is ValueKind.NOT_APPLICABLE
    if fired("VAL020" if na else "VAL019"):
        out.append(("VAL020" if na else "VAL019", lambda t: r.text if (r := respell(t)) else None))
    if fired("VAL015"):
        out.append(("VAL015", percent_word))
    if fired("TIME004"):
        out.append(("TIME004", serial_date))
    # A number typed as text into a cell formatted as a percentage shows as 95, reads as 95 without a unit;
    # the clerk meant 95 %.
    if percent_cell and (fired("VAL011") or fired("VAL005")):
        out.append(("VAL011" if fired("VAL011") else "VAL005", _percent_text))
    return out


def _fired(at: set[tuple[str, Location]], sheet_codes: set[str], loc: Location, code: str) -> bool:
    # VAL020 is reported once per sheet; the rows it names are the not-applicable ones.
    return code in sheet_codes if code == "VAL020" else (code, loc) in at


def plan(report: Report, percent_cells: Collection[tuple[str | None, str | None]] = ()) -> list[Fix]:
    """The fixes for one checked file. ``percent_cells``: (sheet, cell) of text cells in a percent format."""
    fixes: list[Fix] = []
    for result in report.sheets:
        at: set[tuple[str, Location]] = {(f.code, f.location) for f in result.findings if f.active}
        sheet_codes = {f.code for f in result.findings if f.active}
        for ind in result.sheet.indicators:
            loc = ind.location
            if ind.value.raw == "" or (loc.cell is None and loc.line is None):
                continue
            fired = partial(_fired, at, sheet_codes, loc)
            percent = (loc.sheet, loc.cell) in percent_cells
            text, codes = ind.value.raw, list[str]()
            for code, rewrite in _rewrites(ind, fired, percent):
                new = rewrite(text)
                if new is not None and new != text:
                    text, codes = new, [*codes, code]
            if codes:
                fixes.append(Fix(loc, ind.value.raw, text, tuple(codes), ind.name))
    return fixes
