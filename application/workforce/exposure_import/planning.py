"""The dry run of an upload: each row checked (`row_checks`), then matched with the exposures
recorded — RECORD, END or UNCHANGED — and checked against the other rows (duplicates, overlaps).
Nothing is recorded."""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date
from uuid import UUID

from application.workforce.exposure_import.model import (
    Action,
    EmployeeFacts,
    ImportPlan,
    ImportRow,
    KnownExposure,
    PlannedRow,
)
from application.workforce.exposure_import.row_checks import (
    AgentKey,
    Draft,
    agent_key_of,
    draft_of,
    refuse_future_end,
)
from application.workforce.exposure_import.sheet import Column, show_date
from application.workforce.xlsx_safety import xml_safe
from domain.workforce.health import Exposure


def plan(
    rows: Sequence[ImportRow],
    employees: Iterable[EmployeeFacts],
    exposures: Iterable[KnownExposure],
    *,
    member_id: UUID,
    today: date,
    digest: str,
) -> ImportPlan:
    """The dry run of an upload for `member_id`.

    `employees`: the member's employees — and, when the caller may know it, employees of other
    members the file names (reported as such; any other id is an unknown employee).
    `exposures`: the recorded exposures (any dates, withdrawn ones left out) of the employees
    the file names. Nothing is recorded.
    """
    people = {employee.employee_id: employee for employee in employees}
    known: dict[UUID, list[KnownExposure]] = defaultdict(list)
    for exposure in exposures:
        known[exposure.employee_id].append(exposure)
    drafts = [draft_of(row, people, member_id, today) for row in rows if row.has_exposure_data]
    _flag_duplicates(drafts)
    for draft in drafts:
        if not draft.errors:
            _match(draft, known)
        if not draft.errors:
            refuse_future_end(draft)
    _flag_overlaps(drafts, known)
    planned = tuple(_planned(draft) for draft in drafts)
    return ImportPlan(member_id, digest, planned, ignored_rows=len(rows) - len(drafts))


def _flag_duplicates(drafts: list[Draft]) -> None:
    seen: dict[tuple[UUID, AgentKey, date], int] = {}
    for draft in drafts:
        if draft.errors or draft.employee is None or draft.exposure is None:
            continue
        key = (draft.employee.employee_id, agent_key_of(draft.exposure.agent), draft.period[0])
        first = seen.setdefault(key, draft.row)
        if first != draft.row:
            draft.refuse(
                None,
                "DUPLICATE_ROW",
                f"cette exposition (même salarié, même agent, même début) figure déjà à la ligne"
                f" {first}.",
            )


def _match(draft: Draft, known: dict[UUID, list[KnownExposure]]) -> None:
    """RECORD, END or UNCHANGED: whether the row is an exposure already recorded, and what the
    row changes of it."""
    assert draft.employee is not None
    assert draft.exposure is not None
    new = draft.exposure
    matched = next(
        (
            k
            for k in known.get(draft.employee.employee_id, ())
            if agent_key_of(k.agent) == draft.agent_key and k.started_on == new.started_on
        ),
        None,
    )
    if matched is None:
        draft.action = Action.RECORD
        return
    draft.matched = matched
    changed = _changed_columns(matched, new)
    if changed:
        listed = ", ".join(f"« {c.label} »" for c in changed)
        draft.refuse(
            changed[0],
            "EXPOSURE_NOT_CHANGEABLE",
            f"cette exposition est déjà enregistrée avec d'autres valeurs ({listed}) : une"
            " exposition enregistrée ne se corrige pas par import ; retirez-la dans le portail"
            " puis déclarez-la de nouveau.",
        )
    elif matched.ended_on == new.ended_on:
        draft.action = Action.UNCHANGED
    elif matched.ended_on is None:
        draft.action, draft.last_day = Action.END, new.ended_on
    else:
        draft.refuse(
            Column.ENDED_ON,
            "EXPOSURE_ALREADY_ENDED",
            f"cette exposition a pris fin le {show_date(matched.ended_on)} : cette date ne se"
            " modifie pas par import.",
        )


def _changed_columns(recorded: KnownExposure, new: Exposure) -> list[Column]:
    changes = (
        (Column.ROUTES, set(recorded.routes) != set(new.routes)),
        (Column.DEGREE, recorded.degree != new.degree),
        (Column.HOURS_PER_WEEK, recorded.hours_per_week != new.hours_per_week),
        # as the template wrote it: a comment recorded before texts were checked comes back
        # with U+FFFD in place of what XML cannot hold
        (Column.COMMENT, (xml_safe(recorded.comment or "") or None) != new.comment),
    )
    return [column for column, changed in changes if changed]


def _flag_overlaps(drafts: list[Draft], known: dict[UUID, list[KnownExposure]]) -> None:
    """A new exposure may not overlap another exposure of the same employee to the same agent:
    a recorded one (as this file ends it), or another new one of the file."""
    ends = {
        (d.matched.employee_id, d.matched.exposure_id): d.last_day
        for d in drafts
        if d.action is Action.END and d.matched is not None
    }
    earlier: dict[tuple[UUID, AgentKey], list[Draft]] = defaultdict(list)
    for draft in drafts:
        if draft.action is not Action.RECORD or draft.employee is None:
            continue
        employee_id, key = draft.employee.employee_id, draft.agent_key
        assert key is not None
        start, end = draft.period
        for recorded in known.get(employee_id, ()):
            last = ends.get((employee_id, recorded.exposure_id), recorded.ended_on)
            if (
                agent_key_of(recorded.agent) == key
                and start <= (last or date.max)
                and (recorded.started_on <= end)
            ):
                until = "à ce jour" if last is None else f"au {show_date(last)}"
                draft.refuse(
                    Column.STARTED_ON,
                    "OVERLAPPING_EXPOSURE",
                    f"une exposition de ce salarié à cet agent est déjà enregistrée du"
                    f" {show_date(recorded.started_on)} {until} : la date de début d'une"
                    " exposition enregistrée ne se corrige pas par import ; retirez-la dans le"
                    " portail puis déclarez-la de nouveau.",
                )
                break
        for other in earlier[(employee_id, key)]:
            other_start, other_end = other.period
            if start <= other_end and other_start <= end:
                draft.refuse(
                    Column.STARTED_ON,
                    "OVERLAPPING_EXPOSURE",
                    f"cette exposition chevauche celle de la ligne {other.row} (même salarié,"
                    " même agent).",
                )
                break
        if draft.errors:
            draft.action = None
        else:
            earlier[(employee_id, key)].append(draft)


def _planned(draft: Draft) -> PlannedRow:
    employee = draft.employee
    if draft.errors or draft.action is None or employee is None:
        employee_id = None if employee is None else employee.employee_id
        return PlannedRow(draft.row, None, tuple(draft.errors), employee_id=employee_id)
    exposure = draft.exposure if draft.action is Action.RECORD else _as_exposure(draft.matched)
    assert exposure is not None
    return PlannedRow(
        draft.row,
        draft.action,
        employee_id=employee.employee_id,
        employee_version=employee.version,
        exposure=exposure,
        last_day=draft.last_day,
        summary=_summary(draft.action, employee, exposure, draft.last_day),
    )


def _as_exposure(known: KnownExposure | None) -> Exposure | None:
    if known is None:
        return None
    return Exposure(
        exposure_id=known.exposure_id,
        agent=known.agent,
        started_on=known.started_on,
        ended_on=known.ended_on,
        routes=known.routes,
        hours_per_week=known.hours_per_week,
        degree=known.degree,
        comment=known.comment,
    )


def _summary(
    action: Action, employee: EmployeeFacts, exposure: Exposure, last_day: date | None
) -> str:
    agent = exposure.agent
    what = agent.name + ("" if agent.cas_number is None else f" ({agent.cas_number})")
    since = f"depuis le {show_date(exposure.started_on)}"
    if action is Action.RECORD:
        until = "" if exposure.ended_on is None else f" au {show_date(exposure.ended_on)}"
        period = since if not until else f"du {show_date(exposure.started_on)}{until}"
        return f"{employee.display_name} : nouvelle exposition à {what} {period}."
    if action is Action.END:
        assert last_day is not None
        return (
            f"{employee.display_name} : fin de l'exposition à {what} {since}, dernier jour le"
            f" {show_date(last_day)}."
        )
    return f"{employee.display_name} : exposition à {what} {since}, déjà enregistrée."
