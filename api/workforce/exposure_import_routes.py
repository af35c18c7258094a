"""The CMR exposure list through an Excel workbook (seed 000, step 9: « Mettre à jour les
expositions via Excel »): plain HTTP endpoints beside GraphQL, since files go up and down.

    GET  /members/{member_id}/cmr-exposures/template.xlsx                      (READ_CMR)
         200: the workbook to fill (current exposures, active employees, help).
    POST /members/{member_id}/cmr-exposures/import?dryRun=true|false           (MANAGE_WORKFORCE)
         body: the .xlsx itself (any Content-Type but multipart, e.g. the workbook's own
         `application/vnd.openxmlformats-officedocument.spreadsheetml.sheet`), or
         `multipart/form-data` with the file in the field `file`; 5 MB at most.
         dryRun=true (the default): 200 `ImportReport`, each row's action or errors, and
         `canApply`; nothing is recorded.
         dryRun=false: 200 `ImportApplied` with what was recorded; 422 `ImportReport` when
         the file has errors (nothing recorded), or 422 `ImportApplied` with `failed` when a
         command was refused half-way (sending the same file again finishes it).
         422 `FileRefused`: not a workbook, titles missing, too many rows.

Access as on `/plain/employees` and in GraphQL's guard: no session 401; the password sent by
the service still to change 403; the right missing 403 (logged in the access log); a member
outside the caller's scope 404, as an unknown one. The template and the import's answers show
health data: they are logged as health reads, with whose data it was.

The work is `application.workforce.exposure_import.ExposureImport`'s: the endpoints check the
caller, read the upload, and shape the answers.
"""

from datetime import date
from typing import Annotated, Any
from uuid import UUID

import msgspec
from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, QueryParameter
from litestar.status_codes import HTTP_200_OK

from api.plain_access import authorised_member
from api.services import Services
from api.threads import blocking
from api.workforce.exposure_import_records import exposure_import
from api.workforce.uploads import MAX_UPLOAD_BYTES, FailureReport, failure_report, import_answer
from application.workforce.exposure_import import (
    IMPORT_OPERATION,
    TEMPLATE_OPERATION,
    XLSX_MEDIA_TYPE,
    Action,
    ApplyOutcome,
    ImportPlan,
)
from domain.accounts.access import Right

MEMBER_PATH = "/members/{member_id:uuid}/cmr-exposures"


# Answers -------------------------------------------------------------------------------------


class ErrorReport(msgspec.Struct):
    column: str | None
    """The column's title in the sheet (None: the row as a whole)."""
    code: str
    message: str


class RowReport(msgspec.Struct):
    row: int
    action: Action | None
    """RECORD, END, UNCHANGED; None when the row has errors."""
    errors: list[ErrorReport]
    employee_id: UUID | None = None
    exposure_id: int | None = None
    """END, UNCHANGED: the recorded exposure's number."""
    summary: str | None = None


class ImportReport(msgspec.Struct):
    """The dry run: what each row would do, or why it cannot."""

    dry_run: bool
    can_apply: bool
    message: str
    rows: list[RowReport]
    to_record: int
    to_end: int
    unchanged: int
    ignored_rows: int


class AppliedReport(msgspec.Struct):
    row: int
    action: Action
    employee_id: UUID
    exposure_id: int
    last_day: date | None = None


class ImportApplied(msgspec.Struct):
    dry_run: bool
    message: str
    applied: list[AppliedReport]
    recorded: int
    ended: int
    unchanged: int
    failed: FailureReport | None = None


# Endpoints -----------------------------------------------------------------------------------


@get(f"{MEMBER_PATH}/template.xlsx", media_type=XLSX_MEDIA_TYPE)
async def cmr_exposure_template(
    request: Request[Any, Any, Any], services: NamedDependency[Services], member_id: FromPath[UUID]
) -> Response[bytes]:
    """The member's CMR exposures as a workbook to fill (READ_CMR)."""
    principal, member = await authorised_member(
        request, services, member_id, Right.READ_CMR, TEMPLATE_OPERATION
    )
    content = await blocking(lambda: exposure_import(services).template(principal, member_id))
    filename = f"expositions-cmr-{member.member_code}.xlsx"
    return Response(
        content,
        media_type=XLSX_MEDIA_TYPE,
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "no-store",
        },
    )


@post(f"{MEMBER_PATH}/import", status_code=HTTP_200_OK, request_max_body_size=MAX_UPLOAD_BYTES)
async def import_cmr_exposures(
    request: Request[Any, Any, Any],
    services: NamedDependency[Services],
    member_id: FromPath[UUID],
    dry_run: Annotated[bool, QueryParameter(name="dryRun")] = True,
) -> Response[Any]:
    """Dry run (the default) or application of an uploaded workbook (MANAGE_WORKFORCE)."""
    principal, _ = await authorised_member(
        request, services, member_id, Right.MANAGE_WORKFORCE, IMPORT_OPERATION
    )
    importer = exposure_import(services)
    return await import_answer(
        request,
        principal.actor,
        dry_run=dry_run,
        plan=lambda content: importer.plan(principal, member_id, content),
        report=_report,
        apply=importer.apply,
        applied=_applied,
    )


ROUTES = (cmr_exposure_template, import_cmr_exposures)


# Shaping the answers -------------------------------------------------------------------------


def _report(planned: ImportPlan, dry_run: bool) -> ImportReport:
    if planned.can_apply:
        message = "Aucune erreur : le fichier peut être enregistré."
    else:
        wrong = sum(1 for row in planned.rows if row.errors)
        message = (
            f"{wrong} ligne(s) en erreur : corrigez-les puis envoyez de nouveau le fichier ;"
            " rien n'a été enregistré."
        )
    rows = [
        RowReport(
            row=row.row,
            action=row.action,
            errors=[
                ErrorReport(None if e.column is None else e.column.label, e.code, e.message)
                for e in row.errors
            ],
            employee_id=row.employee_id,
            exposure_id=(
                None
                if row.exposure is None or row.action is Action.RECORD
                else row.exposure.exposure_id
            ),
            summary=row.summary or None,
        )
        for row in planned.rows
    ]
    return ImportReport(
        dry_run=dry_run,
        can_apply=planned.can_apply,
        message=message,
        rows=rows,
        to_record=planned.count(Action.RECORD),
        to_end=planned.count(Action.END),
        unchanged=planned.count(Action.UNCHANGED),
        ignored_rows=planned.ignored_rows,
    )


def _applied(outcome: ApplyOutcome) -> ImportApplied:
    applied = [
        AppliedReport(a.row, a.action, a.employee_id, a.exposure_id, a.last_day)
        for a in outcome.applied
    ]
    recorded = sum(1 for a in outcome.applied if a.action is Action.RECORD)
    ended = sum(1 for a in outcome.applied if a.action is Action.END)
    failure = outcome.failure
    if failure is None:
        message = f"{recorded} exposition(s) enregistrée(s), {ended} terminée(s)."
    else:
        message = (
            f"{failure.message} Les lignes précédentes ont été enregistrées ; corrigez cette"
            " ligne puis envoyez de nouveau le fichier : rien ne sera enregistré deux fois."
        )
    return ImportApplied(
        dry_run=False,
        message=message,
        applied=applied,
        recorded=recorded,
        ended=ended,
        unchanged=outcome.unchanged,
        failed=failure_report(failure),
    )
