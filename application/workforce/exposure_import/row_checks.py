"""The first pass of the dry run, row by row: each cell checked (errors in French, naming the
row and the column), the employee found by its id, the exposure the row describes."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from uuid import UUID

from application.workforce.exposure_import.model import (
    Action,
    EmployeeFacts,
    ImportRow,
    KnownExposure,
    RowError,
)
from application.workforce.exposure_import.sheet import (
    DEGREE_LABELS,
    ROUTE_LABELS,
    Column,
    key,
    lower_first,
    not_a_date,
    show_date,
    show_number,
    shown,
)
from domain.errors import DomainError, InvalidValue
from domain.identifiers import CasNumber
from domain.workforce.health import (
    HOURS_IN_A_WEEK,
    MAX_NOTE_LENGTH,
    AgentKind,
    CmrAgent,
    Exposure,
    ExposureDegree,
    ExposureRoute,
)

ROUTE_SEPARATORS = (",", ";", "/", "+", "\n", " et ")
ROUTE_WORDS: dict[str, ExposureRoute] = {
    key(word): route
    for route, words in {
        ExposureRoute.INHALATION: ("inhalation", "respiratoire", "voie respiratoire", "inhalée"),
        ExposureRoute.SKIN: ("cutanée", "cutané", "peau", "percutanée", "contact cutané", "skin"),
        ExposureRoute.INGESTION: ("ingestion", "orale", "digestive", "voie orale"),
    }.items()
    for word in words
}
DEGREE_WORDS: dict[str, ExposureDegree] = {
    key(word): degree
    for degree, words in {
        ExposureDegree.LOW: ("faible", "bas", "basse", "low"),
        ExposureDegree.MODERATE: ("modéré", "modérée", "moyen", "moyenne", "moderate"),
        ExposureDegree.HIGH: ("élevé", "élevée", "fort", "forte", "haut", "high"),
    }.items()
    for word in words
}


AgentKey = tuple[str, str]
"""A substance's CAS number, or a process's name (`key`)."""


def agent_key_of(agent: CmrAgent) -> AgentKey:
    if agent.cas_number is not None:
        return ("CAS", str(agent.cas_number))
    return ("PROCESS", key(agent.name))


@dataclass(slots=True)
class Draft:
    """A row being planned."""

    source: ImportRow
    errors: list[RowError] = field(default_factory=list)
    employee: EmployeeFacts | None = None
    exposure: Exposure | None = None
    """Valid when there are no errors."""
    action: Action | None = None
    matched: KnownExposure | None = None
    last_day: date | None = None
    future_end: bool = False
    """The end is after today: accepted only as recorded (the template writes planned ends)."""

    @property
    def row(self) -> int:
        return self.source.row

    def refuse(self, column: Column | None, code: str, text: str) -> None:
        where = f"Ligne {self.row}" + ("" if column is None else f", colonne « {column.label} »")
        self.errors.append(RowError(column, code, f"{where} : {text}"))

    @property
    def agent_key(self) -> AgentKey | None:
        return None if self.exposure is None else agent_key_of(self.exposure.agent)

    @property
    def period(self) -> tuple[date, date]:
        assert self.exposure is not None
        return self.exposure.started_on, self.exposure.ended_on or date.max


def draft_of(
    row: ImportRow, people: dict[UUID, EmployeeFacts], member_id: UUID, today: date
) -> Draft:
    """The row with its errors, or with the valid exposure it describes (not yet matched)."""
    draft = Draft(row)
    draft.employee = _employee(draft, people, member_id)
    agent = _agent(draft)
    started_on = _day(draft, Column.STARTED_ON, row.started_on, today, required=True)
    ended_on = _day(draft, Column.ENDED_ON, row.ended_on, date.max, required=False)
    draft.future_end = ended_on is not None and ended_on > today
    if started_on is not None and ended_on is not None and ended_on < started_on:
        draft.refuse(
            Column.ENDED_ON,
            "INVALID_PERIOD",
            f"la fin d'exposition ({show_date(ended_on)}) précède son début"
            f" ({show_date(started_on)}).",
        )
    hire = None if draft.employee is None else draft.employee.first_hire_date
    if started_on is not None and hire is not None and started_on < hire:
        draft.refuse(
            Column.STARTED_ON,
            "DATE_BEFORE_HIRE",
            f"l'exposition ne peut commencer avant l'embauche du salarié ({show_date(hire)}).",
        )
    routes = _routes(draft)
    degree = _degree(draft)
    hours = _hours(draft)
    comment = _comment(draft)
    if draft.errors or agent is None or started_on is None:
        return draft
    try:
        draft.exposure = Exposure(
            exposure_id=0,
            agent=agent,
            started_on=started_on,
            ended_on=ended_on,
            routes=routes,
            hours_per_week=hours,
            degree=degree,
            comment=comment,
        ).validated()
    except DomainError as error:  # the domain's own rules, should one escape the checks above
        draft.refuse(FIELD_COLUMNS.get(error.field or ""), error.code, lower_first(error.message))
    return draft


FIELD_COLUMNS = {
    "ended_on": Column.ENDED_ON,
    "started_on": Column.STARTED_ON,
    "hours_per_week": Column.HOURS_PER_WEEK,
    "comment": Column.COMMENT,
    "cas_number": Column.CAS_NUMBER,
}


def _employee(
    draft: Draft, people: dict[UUID, EmployeeFacts], member_id: UUID
) -> EmployeeFacts | None:
    given = draft.source.employee_id
    if given is None:
        draft.refuse(
            Column.EMPLOYEE_ID,
            "EMPLOYEE_ID_MISSING",
            "l'identifiant du salarié est obligatoire : recopiez la ligne du salarié depuis le"
            " modèle, identifiant compris.",
        )
        return None
    try:
        employee = people.get(UUID(given))
    except ValueError:
        employee = None
    if employee is None:
        draft.refuse(
            Column.EMPLOYEE_ID,
            "UNKNOWN_EMPLOYEE",
            f"l'identifiant « {shown(given)} » ne désigne aucun salarié de l'adhérent :"
            " recopiez-le depuis le modèle.",
        )
        return None
    if employee.member_id != member_id:
        draft.refuse(
            Column.EMPLOYEE_ID,
            "EMPLOYEE_OF_ANOTHER_MEMBER",
            f"l'identifiant « {given} » désigne un salarié d'un autre adhérent.",
        )
        return None
    _check_identity(draft, employee)
    return employee


def _check_identity(draft: Draft, employee: EmployeeFacts) -> None:
    """The identity columns only check the row against the employee its id names."""
    row = draft.source
    names = {key(n) for n in (employee.birth_name, employee.usage_name) if n}
    who = employee.display_name + (
        "" if employee.birth_date is None else f", né(e) le {show_date(employee.birth_date)}"
    )
    shifted = f"ne correspond pas au salarié de cet identifiant ({who}) : la ligne a-t-elle été"
    if row.birth_name is not None and names and key(row.birth_name) not in names:
        draft.refuse(
            Column.BIRTH_NAME, "IDENTITY_MISMATCH", f"« {row.birth_name} » {shifted} décalée ?"
        )
    first = employee.first_name
    if row.first_name is not None and first and key(row.first_name) != key(first):
        draft.refuse(
            Column.FIRST_NAME, "IDENTITY_MISMATCH", f"« {row.first_name} » {shifted} décalée ?"
        )
    if isinstance(row.birth_date, str):
        draft.refuse(Column.BIRTH_DATE, "INVALID_DATE", not_a_date(row.birth_date))
    elif row.birth_date is not None and employee.birth_date not in {None, row.birth_date}:
        draft.refuse(
            Column.BIRTH_DATE,
            "IDENTITY_MISMATCH",
            f"le {show_date(row.birth_date)} {shifted} décalée ?",
        )


def _agent(draft: Draft) -> CmrAgent | None:
    row = draft.source
    cas_number = None
    if row.cas_number is not None:
        try:
            cas_number = CasNumber(row.cas_number)
        except InvalidValue as error:
            draft.refuse(Column.CAS_NUMBER, "INVALID_CAS_NUMBER", lower_first(error.message))
            return None
    if row.agent_name is None:
        draft.refuse(
            Column.AGENT_NAME,
            "AGENT_NAME_MISSING",
            "le nom de la substance ou du procédé est obligatoire.",
        )
        return None
    kind = AgentKind.PROCESS if cas_number is None else AgentKind.SUBSTANCE
    return CmrAgent(kind, row.agent_name, cas_number)


def refuse_future_end(draft: Draft) -> None:
    """A future end is refused unless it is the one recorded (a template sent back as it was)."""
    assert draft.exposure is not None
    ended_on = draft.exposure.ended_on
    recorded = None if draft.matched is None else draft.matched.ended_on
    if draft.future_end and ended_on is not None and recorded != ended_on:
        draft.action = None
        draft.refuse(Column.ENDED_ON, "DATE_IN_FUTURE", _future(ended_on))


def _future(day: date) -> str:
    return (
        f"le {show_date(day)} est dans le futur : déclarez les expositions à la date où"
        " elles ont commencé ou pris fin."
    )


def _day(
    draft: Draft, column: Column, value: date | str | None, today: date, *, required: bool
) -> date | None:
    if value is None:
        if required:
            draft.refuse(column, "DATE_MISSING", "la date est obligatoire (jj/mm/aaaa).")
        return None
    if isinstance(value, str):
        draft.refuse(column, "INVALID_DATE", not_a_date(value))
        return None
    if value > today:
        draft.refuse(column, "DATE_IN_FUTURE", _future(value))
        return None
    return value


def _routes(draft: Draft) -> tuple[ExposureRoute, ...]:
    text = draft.source.routes
    if text is None:
        return ()
    for separator in ROUTE_SEPARATORS:
        text = text.replace(separator, ",")
    words = [word.strip() for word in text.split(",") if word.strip()]
    unknown = [word for word in words if key(word) not in ROUTE_WORDS]
    if unknown:
        listed = ", ".join(f"« {shown(word)} »" for word in unknown)
        accepted = ", ".join(ROUTE_LABELS.values())
        draft.refuse(
            Column.ROUTES,
            "UNKNOWN_ROUTE",
            f"voie d'exposition inconnue : {listed} (voies possibles : {accepted}).",
        )
        return ()
    return tuple(dict.fromkeys(ROUTE_WORDS[key(word)] for word in words))


def _degree(draft: Draft) -> ExposureDegree | None:
    text = draft.source.degree
    if text is None:
        return None
    degree = DEGREE_WORDS.get(key(text))
    if degree is None:
        accepted = ", ".join(DEGREE_LABELS.values())
        draft.refuse(
            Column.DEGREE,
            "UNKNOWN_DEGREE",
            f"degré d'exposition inconnu : « {shown(text)} » (degrés possibles : {accepted}).",
        )
    return degree


def _hours(draft: Draft) -> Decimal | None:
    value = draft.source.hours_per_week
    if value is None:
        return None
    if isinstance(value, str) or not 0 < value <= HOURS_IN_A_WEEK:
        text = shown(value) if isinstance(value, str) else show_number(value)
        draft.refuse(
            Column.HOURS_PER_WEEK,
            "INVALID_DURATION",
            f"« {text} » n'est pas une durée valide : un nombre d'heures par semaine supérieur"
            f" à 0 et d'au plus {HOURS_IN_A_WEEK}, par exemple 7,5.",
        )
        return None
    return value


def _comment(draft: Draft) -> str | None:
    comment = draft.source.comment
    if comment is not None and len(comment) > MAX_NOTE_LENGTH:
        draft.refuse(
            Column.COMMENT,
            "TEXT_TOO_LONG",
            f"le commentaire ne peut dépasser {MAX_NOTE_LENGTH} caractères ({len(comment)}).",
        )
        return None
    return comment
