"""Importer le personnel: a member's workforce from a DSN, CSV or XLSX file, as plain HTTP
endpoints beside GraphQL (files go up and down).

    GET  /members/{member_id}/workforce/template.xlsx | template.csv          (MANAGE_WORKFORCE)
         200: the template to fill (the titles, and the help sheet of the workbook).
    POST /members/{member_id}/workforce/import?dryRun=true|false&confirm=4,12 (MANAGE_WORKFORCE)
         body: the file itself, or `multipart/form-data` with it in the field `file`; 5 MB.
         dryRun=true (the default): 200 `WorkforceReport`, each row's changes, every error of
         every row (its row, or its DSN line), `canApply`; nothing is recorded.
         dryRun=false: 200 `WorkforceApplied`; 422 `WorkforceReport` when the file has errors
         (nothing recorded), or 422 `WorkforceApplied` with `failed` when a command was refused
         half-way (sending the same file again finishes it). `confirm`: the rows of possible
         duplicates to hire all the same; the others are left out (`leftOut`).
         422 `FileRefused`: none of the three formats, titles missing, too many rows.

Access as on the CMR exposures import (`exposure_import_routes`). The work is
`application.workforce.workforce_import.WorkforceImport`'s.
"""

from typing import Annotated, Any
from uuid import UUID

import msgspec
from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, QueryParameter
from litestar.status_codes import HTTP_200_OK, HTTP_422_UNPROCESSABLE_ENTITY

from api.plain_access import authorised_member
from api.services import Services
from api.workforce.uploads import (
    MAX_UPLOAD_BYTES,
    FailureReport,
    FileRefused,
    failure_report,
    import_answer,
)
from api.workforce.workforce_import_records import ReadModelWorkforce
from application.workforce.workforce_import import (
    CSV_MEDIA_TYPE,
    XLSX_MEDIA_TYPE,
    Change,
    ImportOutcome,
    WorkforceImport,
    WorkforcePlan,
    csv_template,
    template,
)
from domain.accounts.access import Right

MEMBER_PATH = "/members/{member_id:uuid}/workforce"
OPERATION = "importWorkforce"


class RowError(msgspec.Struct):
    row: int
    column: str | None
    code: str
    message: str


class PlannedRow(msgspec.Struct):
    row: int
    employee_id: UUID | None
    changes: list[str]


class WorkforceReport(msgspec.Struct):
    dry_run: bool
    can_apply: bool
    message: str
    counts: dict[str, int]
    rows: list[PlannedRow]
    errors: list[RowError]
    not_in_file: list[UUID]


class WorkforceApplied(msgspec.Struct):
    dry_run: bool
    message: str
    applied: list[int]
    left_out: list[int]
    failed: FailureReport | None = None


def _importer(services: Services) -> WorkforceImport:
    return WorkforceImport(services.app, ReadModelWorkforce(services.workforce, services.settle))


@get(f"{MEMBER_PATH}/template.xlsx", media_type=XLSX_MEDIA_TYPE)
async def workforce_template(
    request: Request[Any, Any, Any], services: NamedDependency[Services], member_id: FromPath[UUID]
) -> Response[bytes]:
    _, member = await authorised_member(
        request, services, member_id, Right.MANAGE_WORKFORCE, OPERATION
    )
    return _file(template(), XLSX_MEDIA_TYPE, f"personnel-{member.member_code}.xlsx")


@get(f"{MEMBER_PATH}/template.csv", media_type=CSV_MEDIA_TYPE)
async def workforce_csv_template(
    request: Request[Any, Any, Any], services: NamedDependency[Services], member_id: FromPath[UUID]
) -> Response[bytes]:
    _, member = await authorised_member(
        request, services, member_id, Right.MANAGE_WORKFORCE, OPERATION
    )
    return _file(csv_template(), CSV_MEDIA_TYPE, f"personnel-{member.member_code}.csv")


@post(f"{MEMBER_PATH}/import", status_code=HTTP_200_OK, request_max_body_size=MAX_UPLOAD_BYTES)
async def import_workforce(
    request: Request[Any, Any, Any],
    services: NamedDependency[Services],
    member_id: FromPath[UUID],
    dry_run: Annotated[bool, QueryParameter(name="dryRun")] = True,
    confirm: Annotated[str, QueryParameter(name="confirm")] = "",
) -> Response[Any]:
    principal, _ = await authorised_member(
        request, services, member_id, Right.MANAGE_WORKFORCE, OPERATION
    )
    importer = _importer(services)
    try:
        confirmed = frozenset(int(n) for n in confirm.split(",") if n.strip())
    except ValueError:
        refused = FileRefused("INVALID_CONFIRM", "confirm : des numéros de ligne, ex. 4,12.")
        return Response(refused, status_code=HTTP_422_UNPROCESSABLE_ENTITY)
    return await import_answer(
        request,
        principal.actor,
        dry_run=dry_run,
        plan=lambda content: importer.plan(member_id, content),
        report=_report,
        apply=lambda planned, command_request: importer.apply(planned, command_request, confirmed),
        applied=_applied,
    )


ROUTES = (workforce_template, workforce_csv_template, import_workforce)


def _file(content: bytes, media_type: str, filename: str) -> Response[bytes]:
    headers = {"Content-Disposition": f'attachment; filename="{filename}"'}
    return Response(content, media_type=media_type, headers=headers)


def _report(planned: WorkforcePlan, dry_run: bool) -> WorkforceReport:
    if planned.can_apply:
        message = "Aucune erreur : le fichier peut être enregistré."
    else:
        message = (
            f"{len(planned.errors)} erreur(s) : corrigez-les puis envoyez de nouveau le fichier ;"
            " rien n'a été enregistré."
        )
    counts = {change.name: planned.count(change) for change in Change}
    return WorkforceReport(
        dry_run=dry_run,
        can_apply=planned.can_apply,
        message=message,
        counts=counts | {"UNCHANGED": planned.unchanged},
        rows=[
            PlannedRow(r.person.row, r.employee_id, [c.name for c in r.changes])
            for r in planned.rows
        ],
        errors=[RowError(e.row, e.column, e.code, e.message) for e in planned.errors],
        not_in_file=list(planned.not_in_file),
    )


def _applied(outcome: ImportOutcome) -> WorkforceApplied:
    failure = outcome.failure
    if failure is None:
        message = f"{len(outcome.applied)} ligne(s) enregistrée(s)."
    else:
        message = (
            f"{failure.message} Les lignes précédentes ont été enregistrées ; envoyez de nouveau"
            " le fichier : rien ne sera enregistré deux fois."
        )
    return WorkforceApplied(
        dry_run=False,
        message=message,
        applied=list(outcome.applied),
        left_out=list(outcome.left_out),
        failed=failure_report(failure),
    )
