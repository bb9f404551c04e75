"""``--format junit``: one testsuite per file, one testcase per goal sheet; active findings at or above
``--fail-on`` are failures, the rest are listed in system-out."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from checker.findings import Severity
from checker.report.controls import xml_text
from checker.results import RunResult


def render(run: RunResult, fail_on: str = "error") -> str:
    threshold = Severity(fail_on).rank
    root = ET.Element("testsuites", name="jixiao")
    total_tests = total_failures = total_errors = 0
    for o in run.outcomes:
        suite = ET.SubElement(root, "testsuite", name=o.path)
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
            failing = [f for f in active if f.severity.rank >= threshold]
            if failing:
                failures += 1
                body = "\n".join(
                    f"{f.location.short()} {f.code} {f.severity.value} {f.text(run.lang)}" for f in failing
                )
                fail = ET.SubElement(case, "failure", message=f"{len(failing)} finding(s)", type="jixiao")
                fail.text = body
            others = [f for f in active if f not in failing]
            if others:
                out = ET.SubElement(case, "system-out")
                out.text = "\n".join(
                    f"{f.location.short()} {f.code} {f.severity.value} {f.text(run.lang)}" for f in others
                )
        suite.set("tests", str(tests))
        suite.set("failures", str(failures))
        suite.set("errors", str(errors))
        total_tests, total_failures, total_errors = (
            total_tests + tests,
            total_failures + failures,
            total_errors + errors,
        )
    root.set("tests", str(total_tests))
    root.set("failures", str(total_failures))
    root.set("errors", str(total_errors))
    ET.indent(root)
    # ElementTree writes control characters from a submitted file as they are, which no XML parser reads.
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + xml_text(ET.tostring(root, encoding="unicode")) + "\n"
