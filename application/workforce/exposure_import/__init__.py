"""Mettre à jour les expositions CMR via Excel (seed 000, étape 9; décret 2024-307).

A member's CMR exposure list goes through one workbook: `template` writes it (one row per
current exposure, one empty row per active employee without one), `read` reads an upload back
into rows, `plan` is the dry run (each row either an action or its errors, in French, naming
the row and the column), and `apply` runs the plan through the application's commands.
`ExposureImport` (`service`) is what the API calls: it gathers what the read models know of the
member's employees and exposures, logs the health data it shows, and runs these steps.

Rows are matched to employees by their id (the « Identifiant salarié » column the template
fills), and to recorded exposures by (employee, agent, start date): the agent is its CAS number
for a substance, its name for a process (no CAS number). A matched row may only add the last
day of an exposure still running; every other change of a recorded exposure is refused (it is
a correction: the exposure is withdrawn in the portal, then recorded again). A row deleted from
the file changes nothing.

`apply` runs one command per row, each under a request id derived from the upload's hash and
the row's number: a retried apply (a double click, a lost answer, a failure half-way) records
nothing twice, and sending the same file again finishes what a failure left undone.

The modules, in the order of the work: `sheet` (names, columns, words), `model` (rows, facts,
plan, outcome), `writing` (the template), `reading`, `row_checks` and `planning` (the dry
run), `applying`, `service`.
"""

from application.workforce.exposure_import.applying import PLAN_HAS_ERRORS, apply, request_id_of
from application.workforce.exposure_import.model import (
    Action,
    AppliedRow,
    ApplyOutcome,
    EmployeeFacts,
    ImportPlan,
    ImportRow,
    KnownExposure,
    PlannedRow,
    RowError,
    RowFailure,
    digest_of,
)
from application.workforce.exposure_import.planning import plan
from application.workforce.exposure_import.reading import read
from application.workforce.exposure_import.service import (
    IMPORT_OPERATION,
    TEMPLATE_OPERATION,
    ExposureImport,
    HealthReadLog,
    ImportRecords,
)
from application.workforce.exposure_import.sheet import (
    AGENTS_SHEET,
    HELP_SHEET,
    MAX_ROWS,
    SHEET,
    XLSX_MEDIA_TYPE,
    Column,
)
from application.workforce.exposure_import.writing import template

__all__ = [
    "AGENTS_SHEET",
    "HELP_SHEET",
    "IMPORT_OPERATION",
    "MAX_ROWS",
    "PLAN_HAS_ERRORS",
    "SHEET",
    "TEMPLATE_OPERATION",
    "XLSX_MEDIA_TYPE",
    "Action",
    "AppliedRow",
    "ApplyOutcome",
    "Column",
    "EmployeeFacts",
    "ExposureImport",
    "HealthReadLog",
    "ImportPlan",
    "ImportRecords",
    "ImportRow",
    "KnownExposure",
    "PlannedRow",
    "RowError",
    "RowFailure",
    "apply",
    "digest_of",
    "plan",
    "read",
    "request_id_of",
    "template",
]
