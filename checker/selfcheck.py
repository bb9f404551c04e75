"""``jixiao --version --verbose``: the versions and protection state an IT team needs to see (reliability D1).

Each line is ``key: value``, so a CI job can grep for ``defusedxml: active`` and fail if it is missing.
"""

from __future__ import annotations

import platform
import sys
from importlib import metadata


def _version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "not installed"


def zipfile_checks_overlap(version: tuple[int, int, int] = sys.version_info[:3]) -> bool:
    """CPython rejects overlapping zip entries (CVE-2024-0450) from 3.11.8 and 3.12.2 on."""
    return version >= (3, 12, 2) or ((3, 11, 8) <= version < (3, 12, 0))


def report() -> list[tuple[str, str]]:
    import pyexpat

    from openpyxl import xml as openpyxl_xml

    from checker import __version__
    from checker.cache import directory

    lines = [
        ("jixiao", __version__),
        ("python", f"{platform.python_version()} ({platform.python_implementation()}, {sys.platform})"),
        ("openpyxl", _version("openpyxl")),
        ("defusedxml", "active" if openpyxl_xml.DEFUSEDXML else "NOT active (OPENPYXL_DEFUSEDXML=False?)"),
        ("lxml", "in use by openpyxl" if openpyxl_xml.LXML else "not used by openpyxl"),
    ]
    if openpyxl_xml.LXML:
        from lxml import etree

        lines.append(("libxml2", ".".join(map(str, etree.LIBXML_VERSION))))
    lines += [
        ("expat", pyexpat.EXPAT_VERSION),
        ("zipfile overlap check (CVE-2024-0450)",
         "in Python" if zipfile_checks_overlap() else "not in this Python; jixiao's own check is active"),
        ("DOCTYPE / zip-bomb / cell caps", "jixiao's own pre-flight (checker/readers/guard.py), always on"),
        ("jsonschema", _version("jsonschema")),
        ("typer", _version("typer")),
        ("pint", _version("pint")),
        ("xlrd (.xls)", _version("xlrd")),
        ("python-docx (.docx)", _version("python-docx")),
        ("cache", str(directory() or "off (JIXIAO_NO_CACHE)")),
    ]  # fmt: skip
    return lines


def render() -> str:
    return "\n".join(f"{key}: {value}" for key, value in report()) + "\n"
