"""Importer le personnel : a member's workforce from a spreadsheet (CSV or XLSX, from the
template) or from its DSN (NEODeS), as a dry run first, then applied.

The modules, in the order of the work: `model` (rows, errors, plan, outcome), `tabular` (the
template, CSV and XLSX read into rows), `dsn` (a DSN read into rows), `parsing` (a row read into
a person, every error kept), `planning` (the difference with the recorded workforce: new hires,
identities and contracts changed, exits, possible duplicates), `applying` (idempotent and
resumable: request ids derived from the file's hash and the rows), `service` (what the CLI and
the API call).
"""

from application.workforce.workforce_import.applying import PLAN_HAS_ERRORS
from application.workforce.workforce_import.model import (
    Change,
    Field,
    ImportOutcome,
    PlannedRow,
    RowError,
    WorkforcePlan,
)
from application.workforce.workforce_import.service import WorkforceImport, WorkforceRecords
from application.workforce.workforce_import.tabular import (
    CSV_MEDIA_TYPE,
    XLSX_MEDIA_TYPE,
    csv_template,
    template,
)

__all__ = [
    "CSV_MEDIA_TYPE",
    "PLAN_HAS_ERRORS",
    "XLSX_MEDIA_TYPE",
    "Change",
    "Field",
    "ImportOutcome",
    "PlannedRow",
    "RowError",
    "WorkforceImport",
    "WorkforcePlan",
    "WorkforceRecords",
    "csv_template",
    "template",
]
