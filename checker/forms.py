"""Which form a goal sheet is written on and which fields that form has (rules/frameworks/forms.yaml).

Rules that ask for a field (FEAS001's 保证措施, STR001's 年度目标, the 指标解释 and long-term columns) ask
only where the form has the field; the forms and their fields are data, so a province's form is a YAML
entry, not a special case in a rule.
"""

from __future__ import annotations

from functools import cache

from checker.frozen import frozen
from checker.model import GoalSheet
from checker.resources import shipped_yaml

# The parts of a sheet every form names the same way: a sheet that printed them has the field.
FUNDING, GOALS, INDICATORS = "年度资金总额", "年度目标", "绩效指标"


@frozen
class Form:
    """A form a sheet is written on (rules/frameworks/forms.yaml) and the fields it has."""

    id: str
    label_zh: str
    label_en: str
    document_types: frozenset[str]
    fields: frozenset[str]
    printed: frozenset[str] = frozenset()
    min_printed: int = 0
    excerpt: bool = False  # the document quotes part of a sheet: what it leaves out is not missing

    def fits(self, document_type: str, printed: frozenset[str]) -> bool:
        return document_type in self.document_types and len(self.printed & printed) >= self.min_printed


@frozen
class Forms:
    """Every known form, in the order they are tried."""

    forms: tuple[Form, ...]
    columns: dict[str, str]  # column role → field name

    def printed_fields(self, sheet: GoalSheet) -> frozenset[str]:
        """The fields the sheet shows: header labels, text fields, indicator columns and the parts it has."""
        parts = ((FUNDING, sheet.funding is not None), (GOALS, bool(sheet.goals)), (INDICATORS, bool(sheet.indicators)))
        return frozenset(
            [name for name, _ in sheet.header]
            + [name for name, _ in sheet.texts]
            + [self.columns[role] for role in sheet.columns if role in self.columns]
            + [name for name, present in parts if present]
        )

    def form_of(self, document_type: str, printed: frozenset[str]) -> Form | None:
        return next((f for f in self.forms if f.fits(document_type, printed)), None)


@cache
def forms() -> Forms:
    data = shipped_yaml("frameworks/forms.yaml")
    return Forms(
        forms=tuple(
            Form(
                id=f["id"],
                label_zh=f["label"]["zh"],
                label_en=f["label"]["en"],
                document_types=frozenset(f["document_types"]),
                fields=frozenset(f["fields"]),
                printed=frozenset(f.get("printed", ())),
                min_printed=int(f.get("min_printed", 0)),
                excerpt=bool(f.get("excerpt", False)),
            )
            for f in data["forms"]
        ),
        columns=dict(data["columns"]),
    )


@frozen
class SheetForm:
    """A sheet's form (None when no entry fits its document type) and the fields the rules may ask for."""

    form: Form | None
    fields: frozenset[str]
    printed: frozenset[str]

    def has(self, name: str) -> bool:
        return name in self.fields


def sheet_form(sheet: GoalSheet, document_type: str) -> SheetForm:
    known = forms()
    printed = known.printed_fields(sheet)
    form = known.form_of(document_type, printed)
    return SheetForm(form, printed | (form.fields if form else frozenset()), printed)
