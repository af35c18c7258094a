"""Applying a plan: one command per row, under a request id derived from the upload, so that
nothing is recorded twice."""

import hashlib
from uuid import UUID

from application.base import RegistreApplication
from application.requests import CommandResult, Request
from application.workforce.commands import EndExposure, RecordExposure
from application.workforce.exposure_import.model import (
    Action,
    AppliedRow,
    ApplyOutcome,
    ImportPlan,
    PlannedRow,
    RowFailure,
)
from domain.errors import DomainError, RuleViolation
from domain.workforce.health import Exposure

PLAN_HAS_ERRORS = RuleViolation(
    "Le fichier comporte des erreurs : corrigez-les puis envoyez-le de nouveau, rien n'a été"
    " enregistré.",
    code="IMPORT_HAS_ERRORS",
)


def apply(plan: ImportPlan, registre: RegistreApplication, request: Request) -> ApplyOutcome:
    """Records every action of a plan without errors, in the order of the rows, as
    `request.actor`.

    Each row runs under its own request id, derived from the upload's hash and the row's
    number (`request.request_id` is not used: a retried upload has another one): a retry, or
    the same file sent again, records nothing twice. A command refused now (the records changed
    since the dry run) stops the import there: the rows before it stay recorded, and the
    outcome says which row failed.
    """
    if not plan.can_apply:
        raise PLAN_HAS_ERRORS.fresh()
    applied: list[AppliedRow] = []
    for planned in plan.rows:
        if planned.action in {None, Action.UNCHANGED}:
            continue
        try:
            applied.append(_apply_row(plan, planned, registre, request))
        except DomainError as error:
            failure = RowFailure(planned.row, error.code, f"Ligne {planned.row} : {error.message}")
            return ApplyOutcome(tuple(applied), plan.count(Action.UNCHANGED), failure)
    return ApplyOutcome(tuple(applied), plan.count(Action.UNCHANGED))


def request_id_of(plan: ImportPlan, row: int) -> str:
    """The request id of a row's command: the same for the same file, member and row."""
    upload = hashlib.sha256(f"{plan.member_id}:{plan.digest}".encode()).hexdigest()
    return f"cmr-xlsx-{upload[:40]}-{row}"


def _apply_row(
    plan: ImportPlan, planned: PlannedRow, registre: RegistreApplication, request: Request
) -> AppliedRow:
    exposure, employee_id = planned.exposure, planned.employee_id
    assert exposure is not None
    assert employee_id is not None
    request_id = request_id_of(plan, planned.row)
    if planned.action is Action.END:
        assert planned.last_day is not None
        registre.handle(
            Request(request_id, request.actor),
            EndExposure(
                employee_id=employee_id, exposure_id=exposure.exposure_id, last_day=planned.last_day
            ),
        )
        return AppliedRow(
            planned.row, Action.END, employee_id, exposure.exposure_id, planned.last_day
        )
    result = _record(registre, Request(request_id, request.actor), employee_id, exposure)
    version = planned.employee_version
    if version is not None and result.version <= version:
        # The answer to an earlier upload of this very file, whose exposure has since been
        # withdrawn (the dry run did not find it): this upload records it again.
        retry = Request(f"{request_id}-v{version}", request.actor)
        result = _record(registre, retry, employee_id, exposure)
    assert result.created_id is not None
    return AppliedRow(planned.row, Action.RECORD, employee_id, result.created_id)


def _record(
    registre: RegistreApplication, request: Request, employee_id: UUID, new: Exposure
) -> CommandResult:
    return registre.handle(
        request,
        RecordExposure(
            employee_id=employee_id,
            agent=new.agent,
            started_on=new.started_on,
            ended_on=new.ended_on,
            routes=new.routes,
            hours_per_week=new.hours_per_week,
            degree=new.degree,
            comment=new.comment,
        ),
    )
