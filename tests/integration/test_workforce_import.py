"""Importing a workforce from a DSN or a spreadsheet: the dry run (new hires, changes, exits,
possible duplicates, every error with its row or DSN line), then apply — idempotent, and
resumable after a failure."""

import io
from datetime import UTC, date, datetime
from pathlib import Path
from uuid import UUID, uuid4

import openpyxl
import pytest

from application.members.commands import OpenBranch, RegisterMember
from application.registre import Registre
from application.requests import Request
from application.workforce.commands import HireEmployee
from application.workforce.workforce_import import (
    PLAN_HAS_ERRORS,
    Change,
    WorkforceImport,
    csv_template,
    template,
)
from domain.address import Address
from domain.calendar import SetClock
from domain.errors import RuleViolation
from domain.identifiers import Nir
from domain.workforce.employee import Employee
from domain.workforce.employment import ContractTerms, ContractType, ExitReason, Identity, Sex
from storage.settings import StoreSettings

DSN = Path(__file__).parent / "dsn"
SIRET = "73282932000017"
NOW = datetime(2025, 3, 10, 9, tzinfo=UTC)
CSV_TITLES = (
    "Nom de naissance;Prénom;Date de naissance;Sexe;NIR;Date d'embauche;Poste;Type de contrat;"
    "Date de sortie;Motif de sortie"
)


class LogRecords:
    """The member's employees, from the event log (the API and the CLI use the read model)."""

    def __init__(self, app: Registre):
        self.app = app

    def settle(self) -> None:
        pass

    def employee_ids(self, member_id: UUID) -> list[UUID]:
        hired = [n for n in self.app.select_notifications(1, 100_000) if n.topic.endswith(".Hired")]
        return [n.originator_id for n in hired if self.app.decode(n).member_id == member_id]


@pytest.fixture
def app(store: StoreSettings) -> Registre:
    application = Registre(store, clock=SetClock(NOW))
    yield application  # type: ignore[misc]
    application.close()


def a_request() -> Request:
    return Request.by(str(uuid4()), "user-1")


def a_member(app: Registre) -> UUID:
    member_id = app.handle(
        a_request(),
        RegisterMember(
            member_code="00010", declarant_number="12345678", legal_name="Fournil", siret=SIRET
        ),
    ).aggregate_id
    address = Address(("1 rue du Four",), "69002", "Lyon")
    app.handle(
        a_request(),
        OpenBranch(member_id=member_id, name="Atelier", address=address, siret="73282932000025"),
    )
    return member_id


def employees(app: Registre, member_id: UUID) -> dict[str, Employee]:
    found = app.load_many(Employee, LogRecords(app).employee_ids(member_id)).values()
    return {e.identity.first_name: e for e in found if e.identity is not None}


def test_a_dsn_dry_run_shows_the_new_hires_and_applies_them_once(app: Registre) -> None:
    member_id = a_member(app)
    service = WorkforceImport(app, LogRecords(app))
    content = (DSN / "embauches.dsn").read_bytes()

    planned = service.plan(member_id, content)

    assert planned.errors == ()
    assert [r.person.row for r in planned.rows] == [11, 22, 35]
    assert [r.changes for r in planned.rows] == [
        (Change.HIRE,),
        (Change.HIRE, Change.EXIT),
        (Change.HIRE,),
    ]
    assert employees(app, member_id) == {}

    outcome = service.apply(planned, a_request())

    assert (outcome.applied, outcome.failure) == ((11, 22, 35), None)
    hired = employees(app, member_id)
    assert set(hired) == {"Élodie", "Paul", "Inès"}
    paul, ines = hired["Paul"], hired["Inès"]
    assert paul.identity is not None
    assert paul.identity.usage_name == "LEROY"
    assert (paul.contract.closed_on, paul.contract.exit_reason) == (
        date(2025, 2, 28),
        ExitReason.RESIGNATION,
    )
    assert ines.contract.terms.contract_type is ContractType.APPRENTICESHIP
    assert ines.contract.terms.branch_code == "00010-2"  # the NIC of the branch's SIRET
    assert str(hired["Élodie"].contract.terms.pcs_code) == "554a"

    again = service.plan(member_id, content)
    assert [r.changes for r in again.rows] == [(), (), ()]
    before = app.max_notification_id()
    service.apply(planned, a_request())  # the first plan, applied again: replayed
    assert app.max_notification_id() == before


def test_every_error_of_a_dsn_is_shown_with_its_line(app: Registre) -> None:
    member_id = a_member(app)
    service = WorkforceImport(app, LogRecords(app))

    planned = service.plan(member_id, (DSN / "erreurs.dsn").read_bytes())

    found = [(e.row, e.column, e.code) for e in planned.errors]
    assert (4, "NIR", "INVALID_NIR") in found
    assert (7, "Sexe", "UNKNOWN_CHOICE") in found
    assert (8, "Date de naissance", "INVALID_DATE") in found
    assert (12, None, "DSN_LINE") in found
    assert (13, "Poste", "MISSING_VALUE") in found
    assert all("2900569" not in e.message for e in planned.errors)
    with pytest.raises(RuleViolation) as refused:
        service.apply(planned, a_request())
    assert refused.value.code == PLAN_HAS_ERRORS.code


def test_a_csv_shows_changes_exits_duplicates_and_errors_by_row(app: Registre) -> None:
    member_id = a_member(app)
    elodie = Identity("Durand", "Élodie", date(1990, 5, 17), Sex.F, nir=Nir("290056912304560"))
    app.handle(
        a_request(),
        HireEmployee(
            member_id=member_id,
            identity=elodie,
            hire_date=date(2024, 1, 2),
            terms=ContractTerms("Vendeuse", ContractType.CDI),
        ),
    )
    lines = [
        CSV_TITLES,
        "DURAND;Élodie;17/05/1990;F;290056912304560;02/01/2024;Responsable;CDI;;",
        "Durand;Élodie;17/05/1990;F;;02/01/2024;Vendeuse;CDI;;",
        "Petit;Inès;04/08/1992;F;292087505610057;01/09/2024;Vendeuse;CDD;;",
        "Roux;Lou;1992-13-01;X;123;01/09/2024;;Intérim;;",
        "Roux;Léa;04/08/1992;F;;2024-09-01;Vendeuse;CDI;28/02/2025;Démission",
    ]
    content = "\n".join(lines).encode()
    service = WorkforceImport(app, LogRecords(app))

    planned = service.plan(member_id, content)

    by_row = {r.person.row: r.changes for r in planned.rows}
    assert by_row[2] == (Change.CONTRACT,)
    assert 3 not in by_row  # the same person again: an error
    errors = {(e.row, e.column, e.code) for e in planned.errors}
    assert (4, "Fin prévue du contrat", "MISSING_CONTRACT_END") in errors
    assert {(5, "Date de naissance", "INVALID_DATE"), (5, "Sexe", "UNKNOWN_CHOICE")} <= errors
    assert {(5, "NIR", "INVALID_NIR"), (5, "Poste", "MISSING_VALUE")} <= errors
    assert by_row[6] == (Change.HIRE, Change.EXIT)

    fixed = [
        lines[0],
        lines[1],
        lines[5],
        "DURAND;Élodie;17/05/1990;F;290057505612384;01/03/2025;Vendeuse;CDI;;",
    ]
    planned = service.plan(member_id, "\n".join(fixed).encode())
    assert planned.errors == ()
    assert {r.person.row: r.changes for r in planned.rows}[4] == (Change.POSSIBLE_DUPLICATE,)

    outcome = service.apply(planned, a_request())
    assert (outcome.applied, outcome.left_out) == ((3, 2), (4,))
    assert employees(app, member_id)["Élodie"].contract.terms.job_title == "Responsable"
    confirmed = frozenset({4})
    outcome = service.apply(
        service.plan(member_id, "\n".join(fixed).encode()), a_request(), confirmed
    )
    assert outcome.applied == (4,)
    assert len(LogRecords(app).employee_ids(member_id)) == 3


def test_an_xlsx_from_the_template_is_read_like_a_csv(app: Registre) -> None:
    member_id = a_member(app)
    workbook = openpyxl.load_workbook(io.BytesIO(template()))
    sheet = workbook["Personnel"]
    titles = [c.value for c in sheet[1]]
    row = dict.fromkeys(titles)
    row |= {"Nom de naissance": "Petit", "Prénom": "Inès", "Sexe": "F", "Poste": "Vendeuse"}
    row |= {"Date de naissance": date(1992, 8, 4), "Date d'embauche": date(2024, 9, 1)}
    row |= {"Type de contrat": "CDI", "NIR": 292087505610057}
    sheet.append([row[t] for t in titles])
    out = io.BytesIO()
    workbook.save(out)
    service = WorkforceImport(app, LogRecords(app))

    planned = service.plan(member_id, out.getvalue())

    assert (planned.errors, [r.changes for r in planned.rows]) == ((), [(Change.HIRE,)])
    assert csv_template().decode("utf-8-sig").startswith("Nom de naissance;Prénom;")


def test_an_apply_that_fails_half_way_resumes_with_the_same_file(app: Registre) -> None:
    member_id = a_member(app)
    service = WorkforceImport(app, LogRecords(app))
    content = "\n".join(
        [
            CSV_TITLES,
            "Petit;Inès;04/08/1992;F;292087505610057;01/09/2024;Vendeuse;CDI;;",
            "Roux;Léa;04/08/1992;F;;01/09/2024;Vendeuse;CDI;;",
        ]
    ).encode()
    planned = service.plan(member_id, content)
    # Someone hires Léa by hand between the dry run and the apply: her row fails
    app.handle(
        a_request(),
        HireEmployee(
            member_id=member_id,
            identity=Identity("Roux", "Léa", date(1992, 8, 4), Sex.F),
            hire_date=date(2024, 9, 1),
            terms=ContractTerms("Vendeuse", ContractType.CDI),
        ),
    )

    outcome = service.apply(planned, a_request())

    assert outcome.failure is not None
    assert (outcome.failure.row, outcome.failure.code) == (3, "POSSIBLE_DUPLICATE")
    assert outcome.failure.message.startswith("Ligne 3 : ")
    resumed = service.plan(member_id, content)
    assert [r.changes for r in resumed.rows] == [(Change.HIRE,), ()]
    assert service.apply(resumed, a_request()).applied == (2,)
    assert set(employees(app, member_id)) == {"Inès", "Léa"}
