"""Offline checks of Factur-X invoices, for the tests: the CII XML against the Factur-X EN 16931
XSD, then against the EN 16931 and the French (BR-FR, FR CTC) schematrons, all shipped inside
the `factur-x` package (the schematrons compiled to XSLT).

The schematrons run with saxonche in a subprocess — SaxonC's runtime stays out of the test
process —, one run for a batch of documents, compiling each stylesheet once. Run as a script,
this module is that subprocess: `python tests/einvoice.py FILE.xml…` prints, as JSON, for each
file and stylesheet, how many rules fired and every failed assertion or successful report.
"""

import json
import subprocess
import sys
from collections.abc import Mapping
from importlib.resources import files
from pathlib import Path
from typing import Any

from facturx import xml_check_xsd
from lxml import etree

SHIPPED = files("facturx") / "xsd_and_schematron"
SCHEMATRONS = {
    "EN 16931": SHIPPED / "facturx-en16931" / "FACTUR-X_EN16931.xslt",
    "BR-FR": SHIPPED / "cii-schematron-fr-ctc" / "BR-FR-Flux2-Schematron-CII.xslt",
}
SVRL = {"svrl": "http://purl.oclc.org/dsdl/svrl"}

Findings = dict[str, dict[str, Any]]
"""Per stylesheet: `fired` (rules that applied) and `failures` (id and text of each)."""


def check_xsd(xml: bytes) -> None:
    xml_check_xsd(xml, flavor="factur-x", level="en16931")


def schematron_findings(documents: Mapping[str, bytes], folder: Path) -> dict[str, Findings]:
    """The findings of both schematrons on each document (by name), from one subprocess."""
    paths = []
    for name, xml in documents.items():
        path = folder / f"{name}.xml"
        path.write_bytes(xml)
        paths.append(str(path))
    ran = subprocess.run(
        [sys.executable, __file__, *paths], capture_output=True, text=True, check=True, timeout=120
    )
    by_path: dict[str, Findings] = json.loads(ran.stdout)
    return {name: by_path[path] for name, path in zip(documents, paths, strict=True)}


def _run(paths: list[str]) -> dict[str, Findings]:
    from saxonche import PySaxonProcessor

    with PySaxonProcessor(license=False) as saxon:
        compiler = saxon.new_xslt30_processor()
        stylesheets = {
            name: compiler.compile_stylesheet(stylesheet_file=str(path))
            for name, path in SCHEMATRONS.items()
        }
        findings: dict[str, Findings] = {path: {} for path in paths}
        for path in paths:
            for name, stylesheet in stylesheets.items():
                report = etree.fromstring(stylesheet.transform_to_string(source_file=path).encode())
                failures = report.xpath(
                    "//svrl:failed-assert | //svrl:successful-report", namespaces=SVRL
                )
                findings[path][name] = {
                    "fired": len(report.xpath("//svrl:fired-rule", namespaces=SVRL)),
                    "failures": [
                        f"{failure.get('id')}: "
                        + " ".join(failure.xpath("string(svrl:text)", namespaces=SVRL).split())
                        for failure in failures
                    ],
                }
    return findings


if __name__ == "__main__":
    print(json.dumps(_run(sys.argv[1:])))
