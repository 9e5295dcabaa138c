"""`--format junit`: one testsuite per rendered file, one testcase per problem (or one passing
testcase for a clean file), for CI systems that show test reports."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from itertools import groupby

from infraforge.check.result import ValidationResult
from infraforge.errors import Diagnostic, Severity

CLEAN_CASE = "valid"


def render_junit(result: ValidationResult) -> str:
    suites = ET.Element("testsuites", name="infraforge validate", time="0")
    by_file = {path: list(items) for path, items in
               groupby(result.diagnostics, key=lambda d: d.position.file)}
    paths = [f.path for f in result.files] + sorted(set(by_file) - {f.path for f in result.files})
    tests = failures = 0
    for path in paths:
        suite = _suite(suites, path, by_file.get(path, []))
        tests += int(suite.get("tests", "0"))
        failures += int(suite.get("failures", "0"))
    suites.set("tests", str(tests))
    suites.set("failures", str(failures))
    suites.set("errors", "0")
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, "unicode") + "\n"


def _suite(parent: ET.Element, path: str, diagnostics: list[Diagnostic]) -> ET.Element:
    suite = ET.SubElement(parent, "testsuite", name=path)
    failures = 0
    for d in diagnostics:
        case = ET.SubElement(suite, "testcase", name=f"{d.rule} at line {d.position.line}",
                             classname=path, time="0")
        if d.severity is Severity.ERROR:
            failures += 1
            failure = ET.SubElement(case, "failure", message=d.message, type=d.rule)
            failure.text = d.format()
        else:
            ET.SubElement(case, "system-out").text = f"{d.severity.value}: {d.format()}"
    if not diagnostics:
        ET.SubElement(suite, "testcase", name=CLEAN_CASE, classname=path, time="0")
    for key, value in (("tests", max(len(diagnostics), 1)), ("failures", failures),
                       ("errors", 0), ("skipped", 0)):
        suite.set(key, str(value))
    suite.set("time", "0")
    return suite
