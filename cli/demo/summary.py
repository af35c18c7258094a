"""Reading the demo member back: its summary, and the French report printed for a person."""

from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import cast
from uuid import UUID

from eventsourcing.utils import get_topic

from application.registre import Registre
from domain.members.member import Member
from domain.workforce.employee import Employee
from domain.workforce.follow_up import FollowUp

HIRED_TOPIC = f"{get_topic(Employee)}.Hired"


@dataclass(frozen=True, slots=True)
class Summary:
    """What the demo member looks like today."""

    member_code: str
    legal_name: str
    branch_codes: tuple[str, ...]
    employees: int
    active: int
    follow_up: dict[FollowUp, int]
    exposures: int
    current_exposures: int
    today: date


@dataclass(frozen=True, slots=True)
class SeedOutcome:
    """A demo member just created, with its summary; or the one found, named only (counting
    its employees would read every employee of the store at each start)."""

    member_code: str
    legal_name: str
    summary: Summary | None = None
    declarant_number: str | None = None

    @classmethod
    def found(cls, member: Member) -> "SeedOutcome":
        return cls(member.member_code, member.legal_name)


def store_is_empty(app: Registre) -> bool:
    return not app.recorder.max_notification_id()


def hired_employee_ids(app: Registre) -> list[UUID]:
    """Every employee ever hired in the store, in the order of the log."""
    log = app.notification_log
    ids: list[UUID] = []
    start: int | None = None
    while True:
        page = log.select(
            start, log.section_size, topics=[HIRED_TOPIC], inclusive_of_start=start is None
        )
        ids.extend(cast(UUID, notification.originator_id) for notification in page)
        if len(page) < log.section_size:
            return ids
        start = page[-1].id


def employees_of(app: Registre, member: Member) -> list[Employee]:
    employees = (app.employee(employee_id) for employee_id in hired_employee_ids(app))
    return [employee for employee in employees if employee.member_id == member.id]


def summarize(app: Registre, member: Member, today: date) -> Summary:
    employees = employees_of(app, member)
    active = [employee for employee in employees if employee.is_active_on(today)]
    categories = Counter(employee.follow_up_on(today).category for employee in active)
    exposures = [e for employee in employees for e in employee.exposures or () if not e.withdrawn]
    return Summary(
        member_code=member.member_code,
        legal_name=member.legal_name,
        branch_codes=tuple(branch.code(member.member_code) for branch in member.branches),
        employees=len(employees),
        active=len(active),
        follow_up={category: categories[category] for category in FollowUp},
        exposures=len(exposures),
        current_exposures=sum(1 for employee in active for _ in employee.exposures_on(today)),
        today=today,
    )


def report(outcome: SeedOutcome) -> list[str]:
    """The French lines printed for a person; never a NIR, nor any name of an employee."""
    summary = outcome.summary
    if summary is None:
        return [
            f"L'adhérent {outcome.member_code} (« {outcome.legal_name} ») existe déjà :"
            " rien n'a été créé."
        ]
    return [
        f"Adhérent de démonstration {summary.member_code} créé : « {summary.legal_name} ».",
        f"N° télédéclarant : {outcome.declarant_number} (affiché une seule fois : notez-le"
        f" pour créer le premier compte avec le code adhérent {summary.member_code}).",
        *_summary_lines(summary),
    ]


def _summary_lines(summary: Summary) -> list[str]:
    counts = summary.follow_up
    branches = ", ".join(summary.branch_codes) or "aucun"
    return [
        f"Établissements : {branches}.",
        f"Salariés : {summary.employees} enregistrés, {summary.active} actifs au"
        f" {summary.today:%d/%m/%Y}.",
        f"Suivi individuel des actifs : SI {counts[FollowUp.SI]}, SIA {counts[FollowUp.SIA]},"
        f" SIR {counts[FollowUp.SIR]}.",
        f"Expositions CMR : {summary.exposures} déclarées, {summary.current_exposures} en cours.",
    ]
