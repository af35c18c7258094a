"""The Registre application on both stores: idempotency, concurrency, member codes, hiring
rules, declarant numbers, erasure, and personal data kept out of storage and logs."""

import logging
import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import pytest
from stdnum.fr import nir

from application.accounts.commands import IssuePassword, NewAccount, OpenAccount
from application.credentials import hash_secret
from application.members.commands import (
    AddContact,
    CloseBranch,
    OpenBranch,
    RegisterMember,
    ReissueDeclarantNumber,
    ResumeMembership,
    SuspendMembership,
    TerminateMembership,
)
from application.registre import SNAPSHOT_INTERVAL, Registre
from application.requests import CommandResult, Request
from application.workforce.commands import (
    AmendContract,
    CorrectIdentity,
    DeclareDeterminant,
    EraseIdentity,
    HireEmployee,
    RecordExposure,
)
from domain.accounts.access import AccountKind
from domain.address import Address
from domain.contact_details import Email
from domain.errors import Conflict, InvalidValue, NotFound, RuleViolation
from domain.identifiers import CasNumber, Nir
from domain.members.member import Member
from domain.members.organisation import Contact
from domain.workforce.employee import Employee
from domain.workforce.employment import ContractTerms, ContractType, Identity, Sex
from domain.workforce.follow_up import FollowUp, FollowUpDeterminant
from domain.workforce.health import AgentKind, CmrAgent
from storage.settings import StoreSettings

MEMBER_CODE = "00010"
DECLARANT_NUMBER = "73915284"
NIR_BODY = "2900575056123"  # F, born in May 1990
NIR_NUMBER = NIR_BODY + nir.calc_check_digits(NIR_BODY)
BIRTH_NAME = "Kowalczyk"
CAS = "79-01-6"
SUBSTANCE = "Trichloréthylène"


# Helpers ------------------------------------------------------------------------------------


def a_request(user: str = "user-1", *, expected_version: int | None = None) -> Request:
    return Request.by(str(uuid4()), user, expected_version=expected_version)


def an_identity(**changes: Any) -> Identity:
    values: dict[str, Any] = {
        "birth_name": BIRTH_NAME,
        "first_name": "Marie",
        "birth_date": date(1990, 5, 12),
        "sex": Sex.F,
        "nir": Nir(NIR_NUMBER),
    }
    return Identity(**(values | changes))


def a_cdi(branch_code: str | None = None) -> ContractTerms:
    return ContractTerms("Soudeuse", ContractType.CDI, branch_code=branch_code)


def an_address() -> Address:
    return Address(lines=("12 rue des Lilas",), postal_code="69003", city="Lyon")


def a_contact(last_name: str = "Martin") -> Contact:
    return Contact(0, last_name, "Claire", email=Email("claire@martin.fr"))


def a_member(app: Registre, member_code: str = MEMBER_CODE) -> UUID:
    return app.handle(
        a_request(),
        RegisterMember(
            member_code=member_code, declarant_number=DECLARANT_NUMBER, legal_name="Martin SAS"
        ),
    ).aggregate_id


def hire(app: Registre, member_id: UUID, request: Request | None = None, **changes: Any) -> UUID:
    arguments: dict[str, Any] = {
        "member_id": member_id,
        "identity": an_identity(),
        "hire_date": date(2024, 1, 15),
        "terms": a_cdi(),
    }
    return app.handle(request or a_request(), HireEmployee(**arguments | changes)).aggregate_id


def stored_events(app: Registre) -> list[Any]:
    """Every stored event, in the order of the application log (notifications).

    `app.notification_log.select` is capped at its section size (10): read the recorder.
    """
    return list(app.recorder.select_notifications(start=1, limit=1000))


def topics(app: Registre) -> list[str]:
    return [n.topic.rpartition(":")[2] for n in stored_events(app)]


def grow_to(app: Registre, employee_id: UUID, version: int) -> None:
    """Adds recorded-then-ended CMR exposures until the employee reaches `version`."""
    employee: Employee = app.repository.get(employee_id)
    agent = CmrAgent(AgentKind.SUBSTANCE, SUBSTANCE, CasNumber(CAS))
    actor = a_request().actor
    week = 0
    while employee.version < version:
        started_on = date.fromordinal(date(2024, 2, 5).toordinal() + 7 * week)
        exposure_id = employee.record_exposure(
            agent, started_on, actor, hours_per_week=Decimal("2.5")
        )
        if employee.version < version:
            employee.end_exposure(exposure_id, started_on, actor)
        week += 1
    app.save(employee)


# Idempotency ------------------------------------------------------------------------------------


def test_a_retried_command_returns_the_first_result_and_writes_once(app: Registre) -> None:
    member_id = a_member(app)
    request = a_request()

    first = app.handle(request, AddContact(member_id=member_id, contact=a_contact()))
    again = app.handle(request, AddContact(member_id=member_id, contact=a_contact()))

    assert again == first == CommandResult(member_id, 2, 1)
    assert len(app.member(member_id).contacts) == 1
    assert topics(app) == ["Member.Registered", "Member.ContactAdded"]


def test_a_retried_registration_is_not_refused_as_a_taken_member_code(app: Registre) -> None:
    request = a_request()
    arguments: dict[str, Any] = {
        "member_code": MEMBER_CODE,
        "declarant_number": DECLARANT_NUMBER,
        "legal_name": "Martin SAS",
    }

    first = app.handle(request, RegisterMember(**arguments))
    again = app.handle(request, RegisterMember(**arguments))

    assert again == first
    assert topics(app) == ["Member.Registered"]


def test_a_retried_hire_does_not_create_a_second_employee(app: Registre) -> None:
    member_id = a_member(app)
    request = a_request()

    first = hire(app, member_id, request)
    again = hire(app, member_id, request)

    assert again == first
    assert topics(app).count("Employee.Hired") == 1


def test_a_retry_is_recognised_by_another_application_instance(
    app: Registre, open_app: Callable[[], Registre]
) -> None:
    member_id = a_member(app)
    request = a_request()
    first = app.handle(request, AddContact(member_id=member_id, contact=a_contact()))

    again = open_app().handle(request, AddContact(member_id=member_id, contact=a_contact()))

    assert again == first
    assert topics(app).count("Member.ContactAdded") == 1


FINGERPRINT_IN_A_PROCESS = """
from uuid import UUID
from application.accounts.commands import ChangeMemberUserRoles
from application.registre import Registre
from domain.accounts.access import Role
from storage.settings import StoreSettings

app = Registre(StoreSettings.from_environment())
message = ChangeMemberUserRoles(member_id=UUID(int=1), account_id=UUID(int=2), roles=set(Role))
print(app._fingerprint_of("change_member_user_roles", message))
app.close()
"""


def test_a_command_with_a_set_has_the_same_fingerprint_in_every_process(tmp_path: Path) -> None:
    """Set order follows the hash seed of each process: a retry answered by another process
    must still be recognised as the same command."""

    def fingerprint(seed: str) -> str:
        env = {**os.environ, "PYTHONHASHSEED": seed, "REGISTRE_DATA_DIR": str(tmp_path)}
        env.pop("REGISTRE_DATABASE_URL", None)
        done = subprocess.run(
            [sys.executable, "-c", FINGERPRINT_IN_A_PROCESS],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        return done.stdout.strip()

    prints = {fingerprint(seed) for seed in ("1", "2", "3", "4")}

    assert len(prints) == 1


def test_a_retry_hashing_the_same_password_again_is_the_same_command(app: Registre) -> None:
    """A password's hash is salted anew on each try, and a secret: it is left out of the
    command's fingerprint, so the retry is answered with the first result."""
    person = NewAccount(
        email=Email("alex.agent@service-sante.fr"),
        last_name="Agent",
        first_name="Alex",
        function="Gestionnaire",
    )
    opened = app.handle(a_request(), OpenAccount(person=person, kind=AccountKind.SERVICE_STAFF))
    request = a_request()
    first = app.handle(
        request, IssuePassword(account_id=opened.aggregate_id, password_hash=hash_secret("Un-1"))
    )

    again = app.handle(
        request, IssuePassword(account_id=opened.aggregate_id, password_hash=hash_secret("Un-1"))
    )

    assert again == first
    assert topics(app).count("Account.PasswordIssued") == 1


@pytest.mark.parametrize(
    "reuse",
    [
        pytest.param(
            lambda app, request, member_id: app.handle(
                request, OpenBranch(member_id=member_id, name="Atelier", address=an_address())
            ),
            id="another-command",
        ),
        pytest.param(
            lambda app, request, member_id: app.handle(
                request, AddContact(member_id=member_id, contact=a_contact("Durand"))
            ),
            id="other-arguments",
        ),
    ],
)
def test_a_request_id_cannot_be_reused_for_another_change(
    app: Registre, reuse: Callable[[Registre, Request, UUID], CommandResult]
) -> None:
    member_id = a_member(app)
    request = a_request()
    app.handle(request, AddContact(member_id=member_id, contact=a_contact()))

    with pytest.raises(InvalidValue) as refused:
        reuse(app, request, member_id)

    assert refused.value.code == "REQUEST_ID_REUSED"
    assert topics(app) == ["Member.Registered", "Member.ContactAdded"]


def test_a_request_id_of_a_refused_command_may_be_retried(app: Registre) -> None:
    member_id = a_member(app)
    request = a_request()
    with pytest.raises(RuleViolation) as refused:
        app.handle(request, ResumeMembership(member_id=member_id, effective_on=date(2024, 3, 1)))
    assert refused.value.code == "INVALID_MEMBERSHIP_STATUS"
    app.handle(
        a_request(),
        SuspendMembership(member_id=member_id, reason="Impayés", effective_on=date(2024, 2, 1)),
    )

    result = app.handle(
        request, ResumeMembership(member_id=member_id, effective_on=date(2024, 3, 1))
    )

    assert result.version == 3


# Optimistic concurrency ----------------------------------------------------------------------


def test_a_change_from_a_stale_form_is_refused_with_the_current_version(app: Registre) -> None:
    member_id = a_member(app)
    app.handle(a_request(), AddContact(member_id=member_id, contact=a_contact()))

    with pytest.raises(Conflict) as refused:
        app.handle(
            a_request(expected_version=1),
            AddContact(member_id=member_id, contact=a_contact("Durand")),
        )

    assert refused.value.current_version == 2
    assert refused.value.code == "CONFLICT"
    assert len(app.member(member_id).contacts) == 1


def test_a_change_from_an_up_to_date_form_is_accepted(app: Registre) -> None:
    member_id = a_member(app)

    result = app.handle(
        a_request(expected_version=1), AddContact(member_id=member_id, contact=a_contact())
    )

    assert result.version == 2


def test_of_two_instances_saving_the_same_version_the_second_gets_a_conflict(
    app: Registre, open_app: Callable[[], Registre]
) -> None:
    member_id = a_member(app)
    other = open_app()
    seen_by_first = app.repository.get(member_id).version
    seen_by_second = other.repository.get(member_id).version
    assert seen_by_first == seen_by_second == 1

    app.handle(
        a_request("user-1", expected_version=seen_by_first),
        AddContact(member_id=member_id, contact=a_contact()),
    )
    with pytest.raises(Conflict) as refused:
        other.handle(
            a_request("user-2", expected_version=seen_by_second),
            AddContact(member_id=member_id, contact=a_contact("Durand")),
        )
    assert refused.value.current_version == 2

    reloaded = other.repository.get(member_id)
    other.handle(
        a_request("user-2", expected_version=reloaded.version),
        AddContact(member_id=member_id, contact=a_contact("Durand")),
    )
    names = [c.last_name for c in open_app().member(member_id).contacts]
    assert names == ["MARTIN", "DURAND"]


def test_two_commands_racing_on_the_same_record_cannot_both_be_saved(
    app: Registre, open_app: Callable[[], Registre], monkeypatch: pytest.MonkeyPatch
) -> None:
    """No expected version: the second command loaded the record before the first was saved."""
    member_id = a_member(app)
    racer = open_app()
    stale = racer.repository.get(member_id)
    get = racer.repository.get
    loads: list[UUID] = []

    def stale_first(aggregate_id: UUID, **kwargs: Any) -> Any:
        loads.append(aggregate_id)
        return stale if len(loads) == 1 else get(aggregate_id, **kwargs)

    monkeypatch.setattr(racer.repository, "get", stale_first)
    app.handle(a_request("user-1"), AddContact(member_id=member_id, contact=a_contact()))

    with pytest.raises(Conflict) as refused:
        racer.handle(
            a_request("user-2"), AddContact(member_id=member_id, contact=a_contact("Durand"))
        )

    assert refused.value.current_version == 2
    assert [c.last_name for c in app.member(member_id).contacts] == ["MARTIN"]


# Members --------------------------------------------------------------------------------------


@pytest.mark.parametrize("again", [MEMBER_CODE, f" {MEMBER_CODE} "])
def test_a_member_code_is_given_once(app: Registre, again: str) -> None:
    a_member(app)

    with pytest.raises(RuleViolation) as refused:
        a_member(app, again)

    assert refused.value.code == "MEMBER_CODE_TAKEN"
    assert topics(app) == ["Member.Registered"]


def test_a_member_is_found_by_its_code(app: Registre) -> None:
    member_id = a_member(app)

    found = app.find_member(f" {MEMBER_CODE} ")

    assert found is not None
    assert found.id == member_id == Member.create_id(MEMBER_CODE)
    assert app.find_member("00011") is None


def test_an_unknown_member_is_not_found(app: Registre) -> None:
    with pytest.raises(NotFound) as refused:
        app.member(Member.create_id("99999"))

    assert refused.value.code == "MEMBER_NOT_FOUND"


def test_an_aggregate_is_found_by_its_id_and_class_and_nothing_else_is(app: Registre) -> None:
    member_id = a_member(app)
    employee_id = hire(app, member_id)

    found = app.find(Member, member_id)
    assert found is not None
    assert found.id == member_id
    assert app.find(Employee, member_id) is None  # another class's id
    assert app.find(Member, uuid4()) is None
    with pytest.raises(NotFound):
        app.load(Member, employee_id, NotFound("absent"))


# Hiring rules -----------------------------------------------------------------------------------


def test_hiring_at_an_open_branch_is_accepted(app: Registre) -> None:
    member_id = a_member(app)
    app.handle(a_request(), OpenBranch(member_id=member_id, name="Atelier", address=an_address()))

    employee_id = hire(app, member_id, terms=a_cdi("00010-2"))

    assert app.employee(employee_id).contract.terms.branch_code == "00010-2"


def test_hiring_for_a_terminated_member_is_refused(app: Registre) -> None:
    member_id = a_member(app)
    app.handle(
        a_request(),
        TerminateMembership(
            member_id=member_id, reason="Cessation d'activité", effective_on=date(2024, 1, 1)
        ),
    )

    with pytest.raises(RuleViolation) as refused:
        hire(app, member_id)

    assert refused.value.code == "MEMBERSHIP_TERMINATED"
    assert "Employee.Hired" not in topics(app)


@pytest.mark.parametrize("branch_code", ["00010-9", "00010-3", "00011-2", "00010"])
def test_hiring_at_an_unknown_or_closed_branch_is_refused(app: Registre, branch_code: str) -> None:
    member_id = a_member(app)
    app.handle(a_request(), OpenBranch(member_id=member_id, name="Atelier", address=an_address()))
    app.handle(a_request(), OpenBranch(member_id=member_id, name="Boutique", address=an_address()))
    app.handle(a_request(), CloseBranch(member_id=member_id, number=3, last_day=date(2023, 12, 31)))

    with pytest.raises(NotFound) as refused:
        hire(app, member_id, terms=a_cdi(branch_code))

    assert refused.value.code == "BRANCH_NOT_FOUND"
    assert "Employee.Hired" not in topics(app)


def test_hiring_for_an_unknown_member_is_refused(app: Registre) -> None:
    with pytest.raises(NotFound) as refused:
        hire(app, Member.create_id("99999"))

    assert refused.value.code == "MEMBER_NOT_FOUND"
    assert stored_events(app) == []


def test_moving_an_employee_to_an_unknown_branch_is_refused(app: Registre) -> None:
    member_id = a_member(app)
    employee_id = hire(app, member_id)

    with pytest.raises(NotFound) as refused:
        app.handle(
            a_request(),
            AmendContract(
                employee_id=employee_id, terms=a_cdi("00010-2"), effective_on=date(2024, 6, 1)
            ),
        )

    assert refused.value.code == "BRANCH_NOT_FOUND"
    assert app.employee(employee_id).version == 1


# Declarant number -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("member_code", "declarant_number", "accepted"),
    [
        (MEMBER_CODE, DECLARANT_NUMBER, True),
        (f" {MEMBER_CODE}", f"{DECLARANT_NUMBER} ", True),
        (MEMBER_CODE, "73915285", False),
        (MEMBER_CODE, "", False),
        ("00011", DECLARANT_NUMBER, False),
        ("not a code", DECLARANT_NUMBER, False),
    ],
)
def test_the_declarant_number_is_checked_against_the_member_code(
    app: Registre, member_code: str, declarant_number: str, accepted: bool
) -> None:
    member_id = a_member(app)

    found = app.check_declarant_number(member_code, declarant_number)

    assert (found.id if found else None) == (member_id if accepted else None)


def test_the_declarant_number_is_not_stored_in_clear(app: Registre) -> None:
    member_id = a_member(app)
    app.handle(
        a_request(), ReissueDeclarantNumber(member_id=member_id, declarant_number="48201937")
    )

    raw = b"".join(e.state for e in app.recorder.select_events(member_id))

    assert DECLARANT_NUMBER.encode() not in raw
    assert b"48201937" not in raw
    registered = next(iter(app.events.get(member_id)))
    assert DECLARANT_NUMBER not in registered.declarant_number_hash  # type: ignore[attr-defined]
    assert app.check_declarant_number(MEMBER_CODE, DECLARANT_NUMBER) is None
    assert app.check_declarant_number(MEMBER_CODE, "48201937") is not None


# Erasure ----------------------------------------------------------------------------------------


def test_an_erased_identity_reads_as_none_in_events_and_snapshots(
    app: Registre, open_app: Callable[[], Registre]
) -> None:
    member_id = a_member(app)
    employee_id = hire(app, member_id)
    app.handle(
        a_request(),
        CorrectIdentity(employee_id=employee_id, identity=an_identity(usage_name="Martin")),
    )
    app.handle(
        a_request(),
        DeclareDeterminant(
            employee_id=employee_id,
            determinant=FollowUpDeterminant.ASBESTOS,
            started_on=date(2024, 2, 1),
        ),
    )
    grow_to(app, employee_id, SNAPSHOT_INTERVAL)
    assert app.snapshots is not None
    (snapshot,) = app.snapshots.get(employee_id, desc=True, limit=1)
    assert snapshot.state["identity"] is not None  # type: ignore[attr-defined]

    app.handle(a_request(), EraseIdentity(employee_id=employee_id))

    reader = open_app()
    events = list(reader.events.get(employee_id))
    assert [type(e).__name__ for e in events][:2] == ["Hired", "IdentityCorrected"]
    assert all(getattr(e, "identity", None) is None for e in events)
    assert reader.snapshots is not None
    (snapshot,) = reader.snapshots.get(employee_id, desc=True, limit=1)
    assert snapshot.state["identity"] is None  # type: ignore[attr-defined]
    assert snapshot.state["exposures"]  # type: ignore[attr-defined]
    employee = reader.employee(employee_id)
    assert employee.identity is None
    assert app.employee(employee_id).identity is None


def test_health_data_stays_readable_after_erasure(
    app: Registre, open_app: Callable[[], Registre]
) -> None:
    member_id = a_member(app)
    employee_id = hire(app, member_id)
    app.handle(
        a_request(),
        DeclareDeterminant(
            employee_id=employee_id,
            determinant=FollowUpDeterminant.ASBESTOS,
            started_on=date(2024, 2, 1),
        ),
    )
    app.handle(
        a_request(),
        RecordExposure(
            employee_id=employee_id,
            agent=CmrAgent(AgentKind.SUBSTANCE, SUBSTANCE, CasNumber(CAS)),
            started_on=date(2024, 2, 1),
        ),
    )

    app.handle(a_request(), EraseIdentity(employee_id=employee_id))

    employee = open_app().employee(employee_id)
    assert employee.identity is None
    assert employee.follow_up_on(date(2024, 3, 1)).category is FollowUp.SIR
    (exposure,) = employee.exposures_on(date(2024, 3, 1))
    assert exposure.agent.cas_number == CasNumber(CAS)
    assert employee.contract.hire_date == date(2024, 1, 15)


def test_erasing_one_identity_leaves_the_others(
    app: Registre, open_app: Callable[[], Registre]
) -> None:
    member_id = a_member(app)
    erased = hire(app, member_id)
    kept = hire(app, member_id, identity=an_identity(first_name="Anne", nir=None))

    app.handle(a_request(), EraseIdentity(employee_id=erased))

    reader = open_app()
    assert reader.employee(erased).identity is None
    assert reader.employee(kept).identity == an_identity(first_name="Anne", nir=None).validated()


def test_an_identity_erased_by_one_instance_is_unreadable_by_the_others_once_their_keys_expire(
    app: Registre, store: StoreSettings, open_app: Callable[[], Registre]
) -> None:
    """Other processes keep a person's key in memory for `key_cache_seconds` at most."""
    member_id = a_member(app)
    employee_id = hire(app, member_id)
    other = Registre(replace(store, key_cache_seconds=0.0))
    assert next(iter(other.events.get(employee_id))).identity is not None  # type: ignore[attr-defined]

    app.handle(a_request(), EraseIdentity(employee_id=employee_id))

    try:
        assert open_app().employee(employee_id).identity is None
        hired = next(iter(other.events.get(employee_id)))
        assert hired.identity is None  # type: ignore[attr-defined]
    finally:
        other.close()


# Personal data at rest and in logs --------------------------------------------------------------


def test_personal_data_is_sealed_at_rest(app: Registre) -> None:
    member_id = a_member(app)
    employee_id = hire(app, member_id)
    app.handle(
        a_request(),
        CorrectIdentity(employee_id=employee_id, identity=an_identity(usage_name="Martin")),
    )
    app.handle(
        a_request(),
        DeclareDeterminant(
            employee_id=employee_id,
            determinant=FollowUpDeterminant.EMPLOYER_DECLARED_RISK,
            started_on=date(2024, 2, 1),
            note="Travail isolé en chambre froide",
        ),
    )
    grow_to(app, employee_id, SNAPSHOT_INTERVAL + 1)
    assert app.snapshots is not None

    raw = b"\n".join(
        [e.state for e in app.recorder.select_events(employee_id)]
        + [n.state for n in stored_events(app)]
        + [s.state for s in app.snapshots.recorder.select_events(employee_id)]
    ).lower()

    assert raw.count(b"$sealed") > SNAPSHOT_INTERVAL
    for secret in [NIR_NUMBER, NIR_BODY, BIRTH_NAME, 'martin",', CAS, SUBSTANCE, "chambre"]:
        assert secret.lower().encode() not in raw, secret
    employee = app.employee(employee_id)
    assert employee.identity is not None
    assert employee.identity.nir == Nir(NIR_NUMBER)


def test_the_nir_never_shows_in_logs_nor_errors(
    app: Registre, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    member_id = a_member(app)

    employee_id = hire(app, member_id)
    app.handle(
        a_request(),
        CorrectIdentity(employee_id=employee_id, identity=an_identity(usage_name="Martin")),
    )
    with pytest.raises(InvalidValue) as mismatch:
        hire(app, member_id, identity=an_identity(sex=Sex.M))
    with pytest.raises(InvalidValue) as malformed:
        Nir(NIR_BODY + "00")
    identity = app.employee(employee_id).identity

    assert mismatch.value.code == "NIR_MISMATCH"
    assert malformed.value.code == "INVALID_NIR"
    shown = [
        caplog.text,
        *(str(e) for e in (mismatch.value, malformed.value, malformed.value.__context__)),
        *(repr(e) for e in (mismatch.value, malformed.value)),
        repr(identity),
        str(identity),
        repr(an_identity()),
    ]
    for text in shown:
        assert NIR_BODY not in text
        assert NIR_BODY[:7] not in text.replace(" ", "")
