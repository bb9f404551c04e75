"""``--format junit``: one testsuite per file, one testcase per goal sheet; active findings at or above
``--fail-on`` are failures, the rest are listed in system-out.

Streamed: each file's testsuite is serialised as it arrives (indented as ``ET.indent`` would indent it
inside the whole tree) into a spool; the root, whose attributes count every suite, is written at the end.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import TYPE_CHECKING, Any

from checker.findings import Severity
from checker.report.controls import xml_text
from checker.report.spool import TextSpool

if TYPE_CHECKING:
    from collections.abc import Callable

    from checker.results import FileOutcome, RunTail

_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'


class JunitWriter:
    def __init__(self, write: Callable[[str], Any], fail_on: str, lang: str) -> None:
        self._write = write
        self._threshold = Severity(fail_on).rank
        self._lang = lang
        self._body = TextSpool()
        self._totals = [0, 0, 0]  # tests, failures, errors

    def file(self, o: FileOutcome) -> None:
        suite = ET.Element("testsuite", name=o.path)
        tests = failures = errors = 0
        if o.error:
            case = ET.SubElement(suite, "testcase", name=o.path, classname="jixiao")
            ET.SubElement(case, "error", message=o.error)
            tests, errors = 1, 1
        for s in o.report.sheets if o.report else ():
            tests += 1
            name = s.sheet.project if not s.sheet.unread else f"(unread) {o.path}"
            case = ET.SubElement(suite, "testcase", name=name, classname=o.path)
            active = [f for f in s.findings if f.active]
            failing = [f for f in active if f.severity.rank >= self._threshold]
            if failing:
                failures += 1
                fail = ET.SubElement(case, "failure", message=f"{len(failing)} finding(s)", type="jixiao")
                fail.text = "\n".join(
                    f"{f.location.short()} {f.code} {f.severity.value} {f.text(self._lang)}" for f in failing
                )
            others = [f for f in active if f not in failing]
            if others:
                out = ET.SubElement(case, "system-out")
                out.text = "\n".join(
                    f"{f.location.short()} {f.code} {f.severity.value} {f.text(self._lang)}" for f in others
                )
        suite.set("tests", str(tests))
        suite.set("failures", str(failures))
        suite.set("errors", str(errors))
        self._totals = [self._totals[0] + tests, self._totals[1] + failures, self._totals[2] + errors]
        ET.indent(suite, level=1)
        # ElementTree writes control characters from a submitted file as they are, which no XML parser reads.
        self._body.write("\n  " + xml_text(ET.tostring(suite, encoding="unicode")))

    def end(self, _tail: RunTail) -> None:
        tests, failures, errors = self._totals
        root = ET.Element("testsuites", name="jixiao", tests=str(tests), failures=str(failures), errors=str(errors))
        if self._body.empty:
            self._body.close()
            self._write(_DECLARATION + ET.tostring(root, encoding="unicode") + "\n")
            return
        root.text = "\x00"
        head, after = ET.tostring(root, encoding="unicode").split("\x00")
        self._write(_DECLARATION + head)
        self._body.replay(self._write)
        self._write("\n" + after + "\n")

    def close(self) -> None:
        self._body.close()
