"""One file through the stages: read → (layout) → parse → document types → rules. The batch runs this per
file; the API exposes it. It sits below both, so the batch never imports the library surface."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from checker.model import BudgetYear, ParsedFile

if TYPE_CHECKING:
    from checker.config import Config
    from checker.findings import Report
    from checker.rules.engine import Engine


def check_path(
    path: str | os.PathLike[str], config: Config | None = None, engine: Engine | None = None, *, named: bool = False
) -> Report:
    """Read, parse and validate one file. Raises InputError for a rejected file, ConfigError for bad packs.
    ``named``: the user named this file, so finding no goal sheet in it is worth a warning (PRS006)."""
    from checker.findings import Report
    from checker.rules.engine import Engine

    engine = engine or Engine(config)
    parsed = parse_path(path, year=engine.config.given_year(), named=named)
    return Report(parsed.source, tuple(engine.check_sheet(sheet) for sheet in parsed.sheets), parsed.sha256)


def parse_path(
    path: str | os.PathLike[str], *, year: BudgetYear | int | None = None, named: bool = False
) -> ParsedFile:
    """Read one file and parse every goal sheet in it. Raises InputError for a rejected file.

    ``year`` is the budget year to read every sheet under (an int counts as given by --year); without it
    each sheet's header says. ``named`` marks a file the user named (a placeholder says when it holds no
    goal sheet)."""
    from checker.doctype import with_document_types
    from checker.parse.document import parse_document
    from checker.readers import read

    given = BudgetYear(year, "option", detail="--year") if isinstance(year, int) else year
    doc = read(path)
    sheets = with_document_types(doc, parse_document(doc, budget_year=given, named=named))
    return ParsedFile(doc.source, tuple(sheets), doc.sha256)
