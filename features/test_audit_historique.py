"""Audit: the workforce and the CMR list as they stood on a past day (`validOn`) and as they were
known at the end of a past day (`knownAt`), asked end to end through the GraphQL API.

The knowledge dates are made meaningful by the service's clock: « nous sommes le … » sets it,
every event is stamped with the instant of the command that decided it, read from that clock
(`domain.calendar`), and the read models take their `known_from` and `known_to` from those
timestamps, exactly as they do in production.
"""

import threading
from collections.abc import Iterator
from datetime import date, datetime, time
from pathlib import Path
from typing import Any
from uuid import UUID

import parse
import pytest
from litestar.testing import TestClient
from pytest_bdd import given, parsers, scenarios, then
from pytest_bdd import step as given_or_when

from api.services import Services
from contexts import create_app, open_services
from domain.calendar import PARIS, SYSTEM_CLOCK, SetClock
from domain.workforce.employment import ContractType, ExitReason
from domain.workforce.follow_up import FollowUp, FollowUpDeterminant
from features.steps.vocabulary import DATE, TYPES, to_date
from messaging.mailer import OutboxMailer
from storage.settings import StoreSettings
from tests.api.graphql_client import (
    REGISTER,
    a_contract,
    an_identity,
    data,
    hire,
    mutate,
    request_id,
)
from tests.api.sessions import STAFF_EMAIL, open_service_account, sign_in

scenarios("audit_historique.feature")

DECLARANT_NUMBER = "12345678"
OPENING_HOUR = time(9)
"""The portal's saisies of a day start at 9 a.m., Paris time, one second apart."""

STATUSES = {"présent": "ACTIVE", "présente": "ACTIVE", "sorti": "INACTIVE", "sortie": "INACTIVE"}
TOTAL_COLUMN = "présents"

EMPLOYEES = """
query($memberId: UUID!, $validOn: Date, $knownAt: Date) {
  employees(memberId: $memberId, validOn: $validOn, knownAt: $knownAt, first: 100) {
    edges {
      node { firstName birthName usageName status category contractType hireDate lastDay }
    }
    pageInfo { hasNextPage }
  }
}"""
HEADCOUNT = """
query($memberId: UUID!, $validOn: Date, $knownAt: Date) {
  headcount(memberId: $memberId, validOn: $validOn, knownAt: $knownAt) {
    validOn total byCategory { key count } byContractType { key count }
  }
}"""
CMR_EXPOSURES = """
query($memberId: UUID!, $validOn: Date, $knownAt: Date) {
  cmrExposures(memberId: $memberId, validOn: $validOn, knownAt: $knownAt) {
    firstName birthName usageName agentKind agentName casNumber validFrom validTo
  }
}"""
RECORD_EXPOSURE = """
mutation Record($input: RecordExposureInput!) {
  recordExposure(input: $input) {
    __typename
    ... on RecordExposureSuccess { createdId }
    ... on ValidationError { code message }
    ... on NotFoundError { code message }
    ... on ConflictError { code message }
    ... on RuleViolationError { code message }
  }
}"""


# The service's clock ---------------------------------------------------------------------------


class ScenarioClock(SetClock):
    """At `start` until a scenario says « nous sommes le … »; then that day at `opening` in
    Paris, one second later at each reading, so that the log stays in time order (a scenario
    may say the same day again, never an earlier one)."""

    def __init__(self, start: datetime, opening: time) -> None:
        super().__init__(start)
        self._opening = opening
        self._day: date | None = None
        self._lock = threading.Lock()

    def move_to(self, day: date) -> bool:
        """Whether that is a new day."""
        with self._lock:
            if day == self._day:
                return False
            if self._day is not None and day < self._day:
                pytest.fail(
                    f"On ne remonte pas le temps : nous sommes déjà le {self._day:%d/%m/%Y}"
                )
            self._day = day
            self.set(datetime.combine(day, self._opening, tzinfo=PARIS))
            return True

    def now(self) -> datetime:
        with self._lock:
            if self._day is not None:
                self.advance(seconds=1)
            return super().now()


@pytest.fixture
def clock(service_instant: datetime | None) -> ScenarioClock:
    """Run at an edge instant (`features.conftest`), the saisies of a day start at its time of
    day in Paris: in the small hours, when the UTC day is still the day before."""
    if service_instant is None:
        return ScenarioClock(SYSTEM_CLOCK.now(), OPENING_HOUR)
    return ScenarioClock(service_instant, service_instant.astimezone(PARIS).time())


@pytest.fixture
def outbox(tmp_path: Path) -> OutboxMailer:
    return OutboxMailer(tmp_path / "outbox")


@pytest.fixture
def services(
    sqlite_store: StoreSettings, clock: ScenarioClock, outbox: OutboxMailer
) -> Iterator[Services]:
    """The API's services on the scenario's clock, read models running."""
    opened = open_services(sqlite_store, run_projections=True, mailer=outbox, clock=clock)
    yield opened
    opened.close()


@pytest.fixture
def client(services: Services, outbox: OutboxMailer) -> Iterator[TestClient]:
    """The service's staff, signed in: the specs read what auditors and the service read."""
    with TestClient(create_app(services)) as test_client:
        open_service_account(services, STAFF_EMAIL)
        sign_in(test_client, outbox, STAFF_EMAIL)
        yield test_client


@pytest.fixture
def employees() -> dict[str, UUID]:
    """The employees hired in the scenario, by the name the specs give them (« Camille DURAND »)."""
    return {}


@pytest.fixture
def exposures() -> dict[tuple[str, str], int]:
    """The exposures recorded in the scenario: (employee, agent) → exposure number."""
    return {}


# Words of these specs -----------------------------------------------------------------------------


@parse.with_pattern(rf"(?:, tel(?:le)? qu'(?:il|elle) était connue? le (?:{DATE}),)?")
def _known_at(text: str) -> date | None:
    """ ", tel qu'il était connu le 14/05/2025," (knowledge at the end of that day) or nothing
    (everything recorded so far)."""
    return to_date(text.rsplit(" le ", maxsplit=1)[-1].rstrip(",")) if text else None


@parse.with_pattern("de |d'")
def _of(text: str) -> str:
    return text


def phrase(text: str) -> parsers.parse:
    return parsers.parse(
        text, extra_types={**TYPES, "KnownAt": _known_at, "Of": _of}, case_sensitive=True
    )


def french(day: str | None) -> str:
    """An ISO date of the API as the specs write it (empty when there is none)."""
    return "" if day is None else f"{date.fromisoformat(day):%d/%m/%Y}"


def iso(day: date | None) -> str | None:
    return None if day is None else day.isoformat()


def name_of(person: dict[str, Any]) -> str:
    return f"{person['firstName']} {person['usageName'] or person['birthName']}"


def employee_id(employees: dict[str, UUID], name: str) -> str:
    assert name in employees, f"{name} n'a pas été embauché(e) dans ce scénario"
    return str(employees[name])


def accepted(reply: dict[str, Any], what: str) -> None:
    """A saisie that describes the situation must have been accepted by the portal."""
    if not reply["__typename"].endswith("Success"):
        pytest.fail(f"« {what} » a été refusé : {reply.get('code')} — {reply.get('message')}")


def dates(valid_on: date, known_at: date | None) -> dict[str, str | None]:
    return {"validOn": iso(valid_on), "knownAt": iso(known_at)}


# Situation --------------------------------------------------------------------------------------


@given_or_when(phrase("nous sommes le {day:Date}"))
def today_is(clock: ScenarioClock, client: TestClient, outbox: OutboxMailer, day: date) -> None:
    """A new working day: the staff sign in again (a session lasts hours, not months)."""
    if clock.move_to(day):
        sign_in(client, outbox, STAFF_EMAIL)


@given(
    phrase("l'adhérent « {member_code} », raison sociale « {legal_name} »"),
    target_fixture="member_id",
)
def member(client: TestClient, member_code: str, legal_name: str) -> str:
    """Registered through the API: overrides, for this spec, the step of features/conftest.py,
    which calls the application directly."""
    reply = data(
        client,
        REGISTER,
        {
            "input": {
                "requestId": request_id(),
                "memberCode": member_code,
                "declarantNumber": DECLARANT_NUMBER,
                "legalName": legal_name,
            }
        },
    )["registerMember"]
    accepted(reply, "l'inscription de l'adhérent")
    registered: str = reply["aggregateId"]
    return registered


@given_or_when("l'employeur embauche :")
def hire_employees(
    client: TestClient,
    member_id: str,
    employees: dict[str, UUID],
    datatable: list[list[str]],
) -> None:
    """One "Nouveau salarié" form per row."""
    header, *rows = datatable
    for row in rows:
        cells = dict(zip(header, row, strict=True))
        birth_date = to_date(cells["naissance"])
        contract = next(t for t in ContractType if t.label == cells["contrat"])
        planned_end = to_date(cells["fin prévue"]) if cells["fin prévue"] else None
        reply = hire(
            client,
            member_id,
            hire_date=to_date(cells["embauche"]),
            terms=a_contract(contract.name, jobTitle=cells["poste"], plannedEnd=iso(planned_end)),
            identity=an_identity(
                cells["prénom"], cells["nom"], sex=cells["sexe"], birth_date=birth_date
            ),
        )
        employees[f"{cells['prénom']} {cells['nom']}"] = UUID(reply["aggregateId"])


@given_or_when(
    phrase(
        "l'employeur déclare pour {name} le déterminant « {determinant:Determinant} »"
        " à partir du {started_on:Date}"
    )
)
def declare_determinant(
    client: TestClient,
    employees: dict[str, UUID],
    name: str,
    determinant: FollowUpDeterminant,
    started_on: date,
) -> None:
    reply = mutate(
        client,
        "declareDeterminant",
        "DeclareDeterminantInput",
        {
            "employeeId": employee_id(employees, name),
            "determinant": determinant.name,
            "startedOn": iso(started_on),
        },
    )
    accepted(reply, f"la déclaration du déterminant de {name}")


@given_or_when(
    phrase(
        "l'employeur déclare pour {name} une exposition à la substance « {agent} »{cas:Cas},"
        " à partir du {started_on:Date}"
    )
)
def record_exposure(  # noqa: PLR0917
    client: TestClient,
    employees: dict[str, UUID],
    exposures: dict[tuple[str, str], int],
    name: str,
    agent: str,
    cas: str | None,
    started_on: date,
) -> None:
    reply = data(
        client,
        RECORD_EXPOSURE,
        {
            "input": {
                "requestId": request_id(),
                "employeeId": employee_id(employees, name),
                "agent": {"kind": "SUBSTANCE", "name": agent, "casNumber": cas},
                "startedOn": iso(started_on),
            }
        },
    )["recordExposure"]
    accepted(reply, f"l'exposition de {name} au {agent}")
    exposures[name, agent] = reply["createdId"]


def exposure_of(exposures: dict[tuple[str, str], int], name: str, agent: str) -> int:
    assert (name, agent) in exposures, f"aucune exposition de {name} au {agent} n'a été déclarée"
    return exposures[name, agent]


@given_or_when(
    phrase(
        "l'employeur retire l'exposition de {name} au « {agent} »,"
        " saisie par erreur : « {error_note} »"
    )
)
def withdraw_exposure(  # noqa: PLR0917
    client: TestClient,
    employees: dict[str, UUID],
    exposures: dict[tuple[str, str], int],
    name: str,
    agent: str,
    error_note: str,
) -> None:
    reply = mutate(
        client,
        "withdrawExposure",
        "WithdrawExposureInput",
        {
            "employeeId": employee_id(employees, name),
            "exposureId": exposure_of(exposures, name, agent),
            "errorNote": error_note,
        },
    )
    accepted(reply, f"le retrait de l'exposition de {name}")


@given_or_when(
    phrase(
        "l'employeur met fin à l'exposition de {name} au « {agent} »,"
        " dernier jour le {last_day:Date}"
    )
)
def end_exposure(  # noqa: PLR0917
    client: TestClient,
    employees: dict[str, UUID],
    exposures: dict[tuple[str, str], int],
    name: str,
    agent: str,
    last_day: date,
) -> None:
    reply = mutate(
        client,
        "endExposure",
        "EndExposureInput",
        {
            "employeeId": employee_id(employees, name),
            "exposureId": exposure_of(exposures, name, agent),
            "lastDay": iso(last_day),
        },
    )
    accepted(reply, f"la fin de l'exposition de {name}")


@given_or_when(
    phrase(
        "l'employeur enregistre la sortie de {name}, dernier jour le {last_day:Date},"
        " motif « {reason:ExitReason} »"
    )
)
def close_contract(
    client: TestClient,
    employees: dict[str, UUID],
    name: str,
    last_day: date,
    reason: ExitReason,
) -> None:
    reply = mutate(
        client,
        "closeContract",
        "CloseContractInput",
        {
            "employeeId": employee_id(employees, name),
            "lastDay": iso(last_day),
            "reason": reason.name,
        },
    )
    accepted(reply, f"la sortie de {name}")


CONTRACT_FORM = """
query($id: UUID!, $validOn: Date) {
  employee(id: $id, validOn: $validOn) { hireDate contractType jobTitle pcsCode branchCode lastDay }
}"""


@given_or_when(phrase("l'employeur corrige la date d'embauche {of:Of}{name} : le {hire_date:Date}"))
def correct_hire_date(  # noqa: PLR0917
    client: TestClient,
    clock: ScenarioClock,
    employees: dict[str, UUID],
    of: str,
    name: str,
    hire_date: date,
) -> None:
    """The contract form is loaded as of today and sent back with the right hire date; the
    planned end of a CDD is read back as the last day of the contract in progress."""
    person = employee_id(employees, name)
    form = data(client, CONTRACT_FORM, {"id": person, "validOn": iso(clock.today())})["employee"]
    assert form is not None, f"{name} n'a pas de contrat en cours aujourd'hui"
    terms = {
        "jobTitle": form["jobTitle"],
        "contractType": form["contractType"],
        "pcsCode": form["pcsCode"],
        "branchCode": form["branchCode"],
        "plannedEnd": form["lastDay"],
    }
    reply = mutate(
        client,
        "correctContract",
        "CorrectContractInput",
        {"employeeId": person, "hireDate": iso(hire_date), "terms": terms},
    )
    accepted(reply, f"la correction de la date d'embauche de {name}")


# What the auditor is answered ---------------------------------------------------------------


def workforce(client: TestClient, member_id: str, valid_on: date, known_at: date | None) -> Any:
    variables = {"memberId": member_id, **dates(valid_on, known_at)}
    answer = data(client, EMPLOYEES, variables)["employees"]
    assert answer["pageInfo"]["hasNextPage"] is False
    return [edge["node"] for edge in answer["edges"]]


COLUMNS = {
    "salarié": name_of,
    "statut": lambda e: e["status"],
    "suivi": lambda e: e["category"] or "",
    "contrat": lambda e: ContractType[e["contractType"]].label if e["contractType"] else "",
    "embauche": lambda e: french(e["hireDate"]),
    "dernier jour": lambda e: french(e["lastDay"]),
}
"""What a column of the effectif shows, from an employee of the API."""


@then(phrase("l'effectif au {valid_on:Date}{known_at:KnownAt} est :"))
def workforce_is(
    client: TestClient,
    member_id: str,
    valid_on: date,
    known_at: date | None,
    datatable: list[list[str]],
) -> None:
    """The employees, by name, with the columns the table shows (status: présent(e), sorti(e))."""
    header, *rows = datatable
    unknown = set(header) - set(COLUMNS)
    assert not unknown, f"colonnes inconnues : {sorted(unknown)}"
    expected = [
        [
            STATUSES[cell] if column == "statut" else cell
            for column, cell in zip(header, row, strict=True)
        ]
        for row in rows
    ]
    shown = [
        [COLUMNS[column](employee) for column in header]
        for employee in workforce(client, member_id, valid_on, known_at)
    ]
    assert shown == expected


@then(phrase("l'effectif au {valid_on:Date}{known_at:KnownAt} ne compte personne"))
def workforce_is_empty(
    client: TestClient, member_id: str, valid_on: date, known_at: date | None
) -> None:
    assert workforce(client, member_id, valid_on, known_at) == []
    counts = data(client, HEADCOUNT, {"memberId": member_id, **dates(valid_on, known_at)})
    assert counts["headcount"]["total"] == 0


@then(phrase("le décompte au {valid_on:Date}{known_at:KnownAt} est :"))
def headcount_is(
    client: TestClient,
    member_id: str,
    valid_on: date,
    known_at: date | None,
    datatable: list[list[str]],
) -> None:
    """Employees present, then by follow-up category and by contract type; a category or a
    contract type the table leaves out counts no one."""
    header, values = datatable
    counts = {column: int(value) for column, value in zip(header, values, strict=True)}
    categories = {c.value for c in FollowUp}
    contracts = {t.label: t.name for t in ContractType}
    unknown = set(counts) - categories - set(contracts) - {TOTAL_COLUMN}
    assert not unknown, f"colonnes inconnues : {sorted(unknown)}"
    answer = data(client, HEADCOUNT, {"memberId": member_id, **dates(valid_on, known_at)})
    headcount = answer["headcount"]
    assert headcount["validOn"] == iso(valid_on)
    assert {
        "présents": headcount["total"],
        "par suivi": {c["key"]: c["count"] for c in headcount["byCategory"]},
        "par contrat": {c["key"]: c["count"] for c in headcount["byContractType"]},
    } == {
        "présents": counts[TOTAL_COLUMN],
        "par suivi": {k: n for k, n in counts.items() if k in categories and n},
        "par contrat": {contracts[k]: n for k, n in counts.items() if k in contracts and n},
    }


def cmr_list(client: TestClient, member_id: str, valid_on: date, known_at: date | None) -> Any:
    variables = {"memberId": member_id, **dates(valid_on, known_at)}
    return data(client, CMR_EXPOSURES, variables)["cmrExposures"]


@then(phrase("la liste CMR au {valid_on:Date}{known_at:KnownAt} est :"))
def cmr_list_is(
    client: TestClient,
    member_id: str,
    valid_on: date,
    known_at: date | None,
    datatable: list[list[str]],
) -> None:
    """Who is on the list of the décret 2024-307, exposed to which substance, over which days."""
    header, *rows = datatable
    assert header == ["salarié", "agent", "n° CAS", "du", "au"]
    shown = [
        [
            name_of(exposure),
            exposure["agentName"],
            exposure["casNumber"] or "",
            french(exposure["validFrom"]),
            french(exposure["validTo"]),
        ]
        for exposure in cmr_list(client, member_id, valid_on, known_at)
    ]
    assert shown == rows


@then(phrase("la liste CMR au {valid_on:Date}{known_at:KnownAt} est vide"))
def cmr_list_is_empty(
    client: TestClient, member_id: str, valid_on: date, known_at: date | None
) -> None:
    assert cmr_list(client, member_id, valid_on, known_at) == []
