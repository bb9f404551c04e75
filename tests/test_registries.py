"""The explicit registries: the reader table (content, then name), frameworks discovered from their files,
and the schemas' framework enums kept in step with them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from checker.errors import InputError
from checker.forms import forms
from checker.frameworks import detect_framework, framework, framework_ids
from checker.model import GoalSheet, Indicator, Location, Value, ValueKind
from checker.readers import READERS, SUFFIXES, choose
from checker.vocabulary import APPLICATION

ROOT = Path(__file__).resolve().parent.parent
SCHEMAS = ROOT / "checker" / "schemas"

ZIP_WORKBOOK = b"PK\x03\x04" + b"\0" * 30 + b"xl/workbook.xml"
ZIP_WORD = b"PK\x03\x04" + b"\0" * 30 + b"word/document.xml"
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64
PDF = b"%PDF-1.7\n"
HTML = b"<html><body><table><tr><td>x</td></tr></table></body></html>"
TEXT = "项目名称\t办公楼维修\n".encode()


@pytest.mark.parametrize(
    ("data", "suffix", "kind"),
    [
        (ZIP_WORKBOOK, ".xlsx", "xlsx"),
        (ZIP_WORKBOOK, ".docx", "docx"),  # the name decides between the two package kinds
        (ZIP_WORD, ".zip", "docx"),  # an unnamed package holding a Word body
        (ZIP_WORD, ".xlsx", "xlsx"),
        (PDF, ".txt", "pdf"),  # content beats the name
        (b"\n" * 100 + PDF, ".pdf", "pdf"),  # a header within the first kilobyte
        (OLE, ".xls", "xls"),
        (HTML, ".xls", "html"),  # the "Excel" export that is a web page
        (HTML, ".txt", "html"),
        (b"<p>no table</p>", ".htm", "html"),
        (TEXT, ".txt", "text"),
        (TEXT, ".tsv", "text"),
    ],
)
def test_the_reader_is_chosen_by_content_then_name(data: bytes, suffix: str, kind: str) -> None:
    assert choose(data, suffix, "f" + suffix).kind == kind


@pytest.mark.parametrize("suffix", [".xlsx", ".xlsm", ".xls", ".docx", ".pdf"])
def test_a_binary_name_on_other_bytes_is_refused_not_read_as_text(suffix: str) -> None:
    with pytest.raises(InputError):
        choose(TEXT, suffix, "f" + suffix)


def test_every_suffix_has_a_reader_that_loads() -> None:
    assert {s for r in READERS for s in r.suffixes} == SUFFIXES
    for reader in READERS:
        assert callable(reader.load()), reader.kind
    assert READERS[-1].claims(b"anything", ".whatever")  # the last entry takes any text


def test_frameworks_are_the_fw_files_and_exactly_one_is_the_default() -> None:
    files = sorted(p.stem for p in (ROOT / "rules" / "frameworks").glob("fw*.yaml"))
    assert list(framework_ids()) == files and len(files) >= 2
    assert [f for f in files if framework(f).level1]  # each is a tree


def _sheet(*level1: str) -> GoalSheet:
    value = Value("≥1个", ValueKind.QUANTITATIVE)
    inds = tuple(Indicator(l1, "数量指标", f"指标{i}", value, Location("t", 1)) for i, l1 in enumerate(level1))
    return GoalSheet("项目", Location("t", 1), indicators=inds)


def test_detection_follows_the_framework_files() -> None:
    assert detect_framework(_sheet("产出指标", "效益指标")) == "fw2015"  # the default
    assert detect_framework(_sheet("产出指标", "成本指标")) == "fw2021"  # a 一级 only 2021 has
    assert detect_framework(_sheet()) == "fw2015"


def _enums(node: object) -> list[list[str]]:
    """Every enum in a schema that lists a framework id."""
    found = []
    if isinstance(node, dict):
        enum = node.get("enum")
        if isinstance(enum, list) and any(isinstance(e, str) and e.startswith("fw20") for e in enum):
            found.append(enum)
        for value in node.values():
            found += _enums(value)
    elif isinstance(node, list):
        for value in node:
            found += _enums(value)
    return found


@pytest.mark.parametrize("name", sorted(p.name for p in SCHEMAS.glob("*.schema.json")))
def test_schema_framework_enums_list_every_framework(name: str) -> None:
    for enum in _enums(json.loads((SCHEMAS / name).read_text(encoding="utf-8"))):
        assert {e for e in enum if e.startswith("fw")} == set(framework_ids()), (name, enum)


def _document_type_enums(node: object) -> list[list[str]]:
    """Every enum in a schema that lists 申报表 (the document types)."""
    found = []
    if isinstance(node, dict):
        enum = node.get("enum")
        if isinstance(enum, list) and APPLICATION in enum:
            found.append(enum)
        for value in node.values():
            found += _document_type_enums(value)
    elif isinstance(node, list):
        for value in node:
            found += _document_type_enums(value)
    return found


@pytest.mark.parametrize("name", ["facts.schema.json", "rulepack.schema.json"])
def test_schema_document_type_enums_list_every_form_type(name: str) -> None:
    """A document type is a form's in rules/frameworks/forms.yaml; the schemas that name types list them all."""
    typed = {t for form in forms().forms for t in form.document_types}
    enums = _document_type_enums(json.loads((SCHEMAS / name).read_text(encoding="utf-8")))
    assert enums
    for enum in enums:
        assert set(enum) == typed, (name, enum)


def test_every_output_format_renders_and_is_offered_by_the_cli() -> None:
    from checker import api
    from checker.cli import check
    from checker.output import SUFFIXES as OUTPUT_SUFFIXES
    from checker.report import FORMATS, RenderOptions, render_run

    run, _ = api.run_check([str(ROOT / "examples")])
    for name, fmt in FORMATS.items():
        text = render_run(run, name, RenderOptions())
        assert text.strip() and text == fmt.render(run, RenderOptions()), name
        assert name in OUTPUT_SUFFIXES, f"-o for {name} needs its extensions in checker/output.py SUFFIXES"
    import inspect

    default = inspect.signature(check).parameters["fmt"].default
    assert default in FORMATS
