"""The audit trail read model on both stores: one entry per event with its actor, dates, French
summary and changes; filters and pagination; no secret (no password hash), no NIR and no frozen
copy of a declaration; erasure; rebuild.

The scenario emits every event class of every aggregate; the risk assessment, campaign and
declaration parts are those of the round-trip test (`test_event_round_trip`).
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from itertools import pairwise
from types import SimpleNamespace
from typing import Any
from uuid import UUID, uuid4

import pytest
from stdnum.fr import nir

from application.accounts.commands import (
    AddMemberUser,
    ChangeMemberUserRoles,
    ChangePassword,
    ChooseNotifications,
    CloseAccount,
    CreateFirstAccount,
    EraseAccount,
    NewAccount,
    OpenAccount,
    RecordFailedLogin,
    RecordLogin,
    RecordLogout,
    RemoveMemberUser,
    ResetPassword,
)
from application.credentials import hash_secret
from application.members.commands import (
    AddContact,
    AssignInterlocutor,
    ChangeAddress,
    ChangeAdministrativeInformation,
    ChangeBranch,
    ChangeContact,
    CloseBranch,
    DeclareSituationChange,
    OpenBranch,
    RegisterMember,
    ReissueDeclarantNumber,
    RemoveContact,
    ResumeMembership,
    RevokeSepaMandate,
    SignSepaMandate,
    SuspendMembership,
    TerminateMembership,
    UnassignInterlocutor,
)
from application.registre import Registre
from application.requests import Request
from application.retention import Retention
from application.workforce.commands import (
    AmendContract,
    CloseContract,
    CorrectContract,
    CorrectIdentity,
    DeclareDeterminant,
    EndExposure,
    EraseIdentity,
    HireEmployee,
    RecordExposure,
    RehireEmployee,
    RetractDeterminant,
    WithdrawDeterminant,
    WithdrawExposure,
)
from contexts import AGGREGATES, AUDIT_TRAIL
from domain.accounts.access import AccountKind, MemberUser, Notification, Role
from domain.accounts.account import LoginFailure, LoginMethod
from domain.address import Address, Coordinates
from domain.contact_details import Email
from domain.declaration.composed import content_hash
from domain.identifiers import CasNumber, Iban, Nir, Siret, VatNumber
from domain.members.organisation import (
    AddressKind,
    Contact,
    Interlocutor,
    SepaMandate,
    SituationChangeKind,
)
from domain.search import MAX_PAGE
from domain.workforce.employment import ContractTerms, ContractType, ExitReason, Identity, Sex
from domain.workforce.follow_up import FollowUpDeterminant
from domain.workforce.health import AgentKind, CmrAgent, ExposureRoute
from projections import audit
from projections.audit import FALLBACK_SUMMARY, AuditEntry, AuditTrailQueries
from projections.audit_changes import changes_of
from projections.model import ActiveGenerations
from projections.runner import ProjectionRunner
from projections.store import ReadStore
from storage.settings import StoreSettings
from tests.account_ids import account_id
from tests.integration.billing_scenario import every_billing_event
from tests.integration.test_event_round_trip import (
    CAMPAIGN_YEAR,
    every_campaign_and_declaration_event,
    every_catalogue_edit_event,
    every_risk_assessment_event,
)
from tests.integration.visits_scenario import every_visits_event

NIR_BODY = "2900575056123"  # F, born in May 1990
NIR_NUMBER = NIR_BODY + nir.calc_check_digits(NIR_BODY)
DECLARANT_NUMBER = "73915284"
NEW_DECLARANT_NUMBER = "51847392"
IBAN = "FR7630006000011234567890189"
SIRET = "73282932000074"
BIRTH_NAME = "Kowalczyk"
FIRST_NAME = "Ludvine"
CORRECTED_FIRST_NAME = "Ludivine"
BIRTH_DATE = date(1990, 5, 12)
ADDRESS = Address(lines=("12 rue des Lilas",), postal_code="69003", city="Lyon")
WORKSITE = Address(
    lines=("3 place Bellecour",),
    postal_code="69002",
    city="Lyon",
    coordinates=Coordinates(45.7578, 4.832),
)
PASSWORDS = ("Premier-mot-de-passe-1", "Nouveau-mot-de-passe-2", "Mot-de-passe-oublie-3")
EVERY_NOTIFICATION = ["CONVOCATIONS", "DECLARATION", "INVOICES", "SERVICE_NEWS"]


def event_classes() -> list[type]:
    """Every event an aggregate of the application can record: its nested subclasses of its
    `Event`, without the bases eventsourcing generates (`Event`, and `Created`, replaced by
    `Registered`/`Hired`/`Opened`…)."""
    return [
        value
        for aggregate in AGGREGATES
        for value in vars(aggregate).values()
        if isinstance(value, type)
        and issubclass(value, aggregate.Event)
        and value is not aggregate.Event
        and value is not vars(aggregate).get("Created")
    ]


# Scenario ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scenario:
    member_id: UUID
    employee_id: UUID
    other_member_id: UUID
    other_employee_id: UUID
    marie_id: UUID
    paul_id: UUID
    staff_id: UUID
    password_hashes: tuple[str, ...]
    assessment_id: UUID
    campaign_id: UUID
    declaration_id: UUID
    handler_id: UUID
    """The member's user the declaration was transferred to."""
    catalogue_edits_id: UUID
    """The service's edits of the catalogues."""
    billing_ids: list[UUID]
    """Billing settings, the member billed, its invoice and credit note, the two series."""
    visits_ids: list[UUID]
    """A visit centre, two professionals, the member's care team, the visit settings, the
    doctor's two days, four appointments, the employee's follow-up record, the member's
    activity summary."""


def by(user: str, on_behalf_of: UUID | None = None) -> Request:
    return Request.by(str(uuid4()), user, on_behalf_of=on_behalf_of)


def a_person(email: str, first_name: str, last_name: str) -> NewAccount:
    return NewAccount(
        email=Email(email), last_name=last_name, first_name=first_name, function="Gérante"
    )


def play_accounts(app: Registre, member_id: UUID) -> tuple[UUID, UUID, UUID, tuple[str, ...]]:
    """Every event of Account, and of the member's users: (Marie, Paul, staff, hashes)."""
    hashes = tuple(hash_secret(password) for password in PASSWORDS)
    marie = app.handle(
        by("anonymous"),
        CreateFirstAccount(
            member_code="00010",
            declarant_number=NEW_DECLARANT_NUMBER,
            person=a_person("marie.durand@exemple.fr", "Marie", "Durand"),
            third_party_declarant=False,
            password_hash=hashes[0],
        ),
    ).aggregate_id
    as_marie = str(marie)
    app.handle(
        by(as_marie),
        RecordFailedLogin(
            account_id=marie, method=LoginMethod.PASSWORD, failure=LoginFailure.WRONG_SECRET
        ),
    )
    app.handle(by(as_marie), RecordLogin(account_id=marie, method=LoginMethod.ONE_TIME_CODE))
    app.handle(by(as_marie), ChangePassword(account_id=marie, password_hash=hashes[1]))
    paul = a_person("paul.roux@exemple.fr", "Paul", "Roux")
    app.handle(
        by(as_marie),
        AddMemberUser(
            member_id=member_id,
            person=paul,
            roles=frozenset({Role.BILLING, Role.ADMIN}),
            third_party_declarant=False,
        ),
    )
    paul_id = account_id(app, paul.email)
    app.handle(
        by(as_marie),
        ChangeMemberUserRoles(
            member_id=member_id,
            account_id=paul_id,
            roles=frozenset({Role.CONVOCATION, Role.DECLARATION}),
        ),
    )
    app.handle(
        by(as_marie),
        ChooseNotifications(
            member_id=member_id,
            account_id=marie,
            notifications=frozenset({Notification.INVOICES, Notification.CONVOCATIONS}),
        ),
    )
    app.handle(by(as_marie), RemoveMemberUser(member_id=member_id, account_id=paul_id))
    app.handle(by(as_marie), RecordLogout(account_id=marie))
    app.handle(
        by(as_marie),
        RecordFailedLogin(
            account_id=marie, method=LoginMethod.ONE_TIME_CODE, failure=LoginFailure.EXPIRED_CODE
        ),
    )
    app.handle(by(as_marie), ResetPassword(account_id=marie, password_hash=hashes[2]))
    app.handle(by(as_marie), RecordLogin(account_id=marie, method=LoginMethod.PASSWORD))
    staff = app.handle(
        by("admin-1"),
        OpenAccount(
            person=a_person("luc.bernard@sante-travail.fr", "Luc", "Bernard"),
            kind=AccountKind.SERVICE_STAFF,
        ),
    ).aggregate_id
    return marie, paul_id, staff, hashes


def play(app: Registre) -> Scenario:
    """Every kind of event but `IdentityErased`, for two members; the first one declares."""
    admin = "admin-1"
    member_id = app.handle(
        by(admin),
        RegisterMember(
            member_code="00010", declarant_number=DECLARANT_NUMBER, legal_name="Boulangeries Martin"
        ),
    ).aggregate_id
    app.handle(
        by(admin),
        ChangeAdministrativeInformation(
            member_id=member_id,
            legal_name="Boulangeries Martin SAS",
            siret=Siret(SIRET),
            vat_number=VatNumber("FR44732829320"),
            has_cse=True,
        ),
    )
    app.handle(
        by(admin), ChangeAddress(member_id=member_id, kind=AddressKind.BILLING, address=ADDRESS)
    )
    # What step 1 of the declaration needs: the worksite confirmed on the map, every address.
    app.handle(
        by(admin), ChangeAddress(member_id=member_id, kind=AddressKind.WORKSITE, address=WORKSITE)
    )
    app.handle(
        by(admin), ChangeAddress(member_id=member_id, kind=AddressKind.CONVOCATION, address=ADDRESS)
    )
    app.handle(
        by(admin),
        ReissueDeclarantNumber(member_id=member_id, declarant_number=NEW_DECLARANT_NUMBER),
    )
    app.handle(
        by(admin), OpenBranch(member_id=member_id, name="Fournil Part-Dieu", address=ADDRESS)
    )
    app.handle(
        by(admin),
        ChangeBranch(
            member_id=member_id, number=2, name="Fournil de la Part-Dieu", address=ADDRESS
        ),
    )
    claire = Contact(0, "Martin", "Claire", email=Email("claire@martin.fr"))
    claire_id = app.handle(by(admin), AddContact(member_id=member_id, contact=claire)).created_id
    assert claire_id is not None
    paul = Contact(0, "Roux", "Paul", email=Email("paul@martin.fr"))
    paul_id = app.handle(by(admin), AddContact(member_id=member_id, contact=paul)).created_id
    assert paul_id is not None
    app.handle(
        by(admin),
        ChangeContact(
            member_id=member_id,
            contact=Contact(
                claire_id, "Martin", "Claire", "Gérante", email=Email("claire@martin.fr")
            ),
        ),
    )
    app.handle(
        by(admin),
        AssignInterlocutor(
            member_id=member_id, role=Interlocutor.LEGAL_REPRESENTATIVE, contact_id=claire_id
        ),
    )
    app.handle(
        by(admin),
        AssignInterlocutor(member_id=member_id, role=Interlocutor.CSE, contact_id=paul_id),
    )
    app.handle(by(admin), UnassignInterlocutor(member_id=member_id, role=Interlocutor.CSE))
    app.handle(by(admin), RemoveContact(member_id=member_id, contact_id=paul_id))
    app.handle(
        by(admin),
        DeclareSituationChange(
            member_id=member_id,
            kind=SituationChangeKind.NEW_ACTIVITY,
            description="Ouverture d'un salon de thé",
            effective_on=date(2024, 6, 1),
        ),
    )
    mandate = SepaMandate("RUM-00010-1", Iban(IBAN), date(2024, 1, 10), "Boulangeries Martin")
    app.handle(by(admin), SignSepaMandate(member_id=member_id, mandate=mandate))
    app.handle(by(admin), RevokeSepaMandate(member_id=member_id, revoked_on=date(2024, 12, 31)))
    app.handle(by(admin), CloseBranch(member_id=member_id, number=2, last_day=date(2024, 12, 31)))
    app.handle(
        by(admin),
        SuspendMembership(
            member_id=member_id, reason="Cotisation impayée", effective_on=date(2025, 1, 1)
        ),
    )
    app.handle(by(admin), ResumeMembership(member_id=member_id, effective_on=date(2025, 2, 1)))
    accounts = play_accounts(app, member_id)

    accountant = "user-7"
    identity = Identity(BIRTH_NAME, FIRST_NAME, BIRTH_DATE, Sex.F, nir=Nir(NIR_NUMBER))
    employee_id = app.handle(
        by(accountant, member_id),
        HireEmployee(
            member_id=member_id,
            identity=identity,
            hire_date=date(2024, 1, 2),
            terms=ContractTerms("Boulanger", ContractType.CDI),
        ),
    ).aggregate_id
    app.handle(
        by(admin),
        CorrectIdentity(
            employee_id=employee_id,
            identity=Identity(
                BIRTH_NAME, CORRECTED_FIRST_NAME, BIRTH_DATE, Sex.F, nir=Nir(NIR_NUMBER)
            ),
        ),
    )
    app.handle(
        by(accountant, member_id),
        AmendContract(
            employee_id=employee_id,
            terms=ContractTerms("Chef boulanger", ContractType.CDI),
            effective_on=date(2024, 9, 1),
        ),
    )
    app.handle(
        by(admin),
        CorrectContract(
            employee_id=employee_id,
            hire_date=date(2024, 1, 2),
            terms=ContractTerms("Boulanger", ContractType.CDI, trial_end=date(2024, 3, 1)),
        ),
    )
    night = app.handle(
        by(accountant, member_id),
        DeclareDeterminant(
            employee_id=employee_id,
            determinant=FollowUpDeterminant.NIGHT_WORK,
            started_on=date(2024, 2, 1),
        ),
    ).created_id
    assert night is not None
    app.handle(
        by(accountant, member_id),
        WithdrawDeterminant(
            employee_id=employee_id, determinant_id=night, last_day=date(2024, 8, 31)
        ),
    )
    handling = app.handle(
        by(accountant, member_id),
        DeclareDeterminant(
            employee_id=employee_id,
            determinant=FollowUpDeterminant.MANUAL_HANDLING_OVER_55KG,
            started_on=date(2024, 2, 1),
        ),
    ).created_id
    assert handling is not None
    app.handle(
        by(accountant, member_id),
        RetractDeterminant(
            employee_id=employee_id,
            determinant_id=handling,
            error_note="Saisi sur le mauvais salarié",
        ),
    )
    benzene = app.handle(
        by(accountant, member_id),
        RecordExposure(
            employee_id=employee_id,
            agent=CmrAgent(AgentKind.SUBSTANCE, "Benzène", CasNumber("71-43-2")),
            started_on=date(2024, 2, 1),
            routes=(ExposureRoute.INHALATION,),
            hours_per_week=Decimal("2.5"),
        ),
    ).created_id
    assert benzene is not None
    app.handle(
        by(accountant, member_id),
        EndExposure(employee_id=employee_id, exposure_id=benzene, last_day=date(2024, 6, 30)),
    )
    dust = app.handle(
        by(accountant, member_id),
        RecordExposure(
            employee_id=employee_id,
            agent=CmrAgent(AgentKind.PROCESS, "Travaux exposant aux poussières de bois"),
            started_on=date(2024, 3, 1),
        ),
    ).created_id
    assert dust is not None
    app.handle(
        by(accountant, member_id),
        WithdrawExposure(employee_id=employee_id, exposure_id=dust, error_note="Mauvais salarié"),
    )
    app.handle(
        by(accountant, member_id),
        CloseContract(
            employee_id=employee_id, last_day=date(2025, 3, 31), reason=ExitReason.RESIGNATION
        ),
    )
    app.handle(
        by(accountant, member_id),
        RehireEmployee(
            employee_id=employee_id,
            hire_date=date(2025, 9, 1),
            terms=ContractTerms("Boulanger", ContractType.CDD, planned_end=date(2026, 2, 28)),
        ),
    )
    assessment_id = every_risk_assessment_event(app, member_id, employee_id)
    declaration = every_campaign_and_declaration_event(app, member_id)
    catalogue_edits_id = every_catalogue_edit_event(app)
    billing = every_billing_event(app)
    visits = every_visits_event(app, member_id, employee_id)

    other_member_id = app.handle(
        by("admin-2"),
        RegisterMember(
            member_code="00020", declarant_number="11223344", legal_name="Transports Roux"
        ),
    ).aggregate_id
    other_employee_id = app.handle(
        by("admin-2"),
        HireEmployee(
            member_id=other_member_id,
            identity=Identity("Bernard", "Luc", date(1985, 3, 4), Sex.M),
            hire_date=date(2023, 5, 2),
            terms=ContractTerms("Chauffeur", ContractType.CDI),
        ),
    ).aggregate_id
    app.handle(
        by("admin-2"),
        TerminateMembership(
            member_id=other_member_id,
            reason="Cessation d'activité",
            effective_on=date(2025, 12, 31),
        ),
    )
    marie_id, paul_id, staff_id, password_hashes = accounts
    return Scenario(
        member_id=member_id,
        employee_id=employee_id,
        other_member_id=other_member_id,
        other_employee_id=other_employee_id,
        marie_id=marie_id,
        paul_id=paul_id,
        staff_id=staff_id,
        password_hashes=password_hashes,
        assessment_id=assessment_id,
        campaign_id=declaration.campaign_id,
        declaration_id=declaration.declaration_id,
        handler_id=declaration.handler_id,
        catalogue_edits_id=catalogue_edits_id,
        billing_ids=billing,
        visits_ids=visits,
    )


@dataclass
class Trail:
    app: Registre
    scenario: Scenario
    read_store: ReadStore
    runner: ProjectionRunner
    queries: AuditTrailQueries

    def all(self, **filters: Any) -> list[AuditEntry]:
        """Every matching entry, oldest first, read page by page."""
        entries: list[AuditEntry] = []
        after: int | None = None
        while True:
            page = self.queries.entries(**filters, after_position=after, limit=MAX_PAGE)
            entries.extend(page)
            if len(page) < MAX_PAGE:
                return entries[::-1]
            after = page[-1].position

    def raw_rows(self) -> list[tuple[Any, ...]]:
        return self.read_store.read(f"SELECT * FROM {self.queries.table('entries')}")

    def first(self, event_type: str, aggregate_id: UUID | None = None) -> AuditEntry:
        return next(
            e
            for e in self.all()
            if e.event_type == event_type and aggregate_id in {None, e.aggregate_id}
        )

    def erase(self) -> None:
        """The employee's identity erased, the account the declaration was handed to erased, the
        staff's account closed, and a worker who left in 1984 past their 40 years."""
        s = self.scenario
        self.app.handle(by("dpo-1"), EraseIdentity(employee_id=s.employee_id))
        self.app.handle(by("dpo-1"), EraseAccount(account_id=s.handler_id))
        self.app.handle(by("dpo-1"), CloseAccount(account_id=s.staff_id))
        retired = self.app.handle(
            by("admin-1"),
            HireEmployee(
                member_id=s.member_id,
                identity=Identity("Lefort", "René", date(1950, 2, 3), Sex.M),
                hire_date=date(1980, 1, 7),
                terms=ContractTerms("Fondeur", ContractType.CDI),
            ),
        ).aggregate_id
        self.app.handle(
            by("admin-1"),
            CloseContract(
                employee_id=retired, last_day=date(1984, 12, 31), reason=ExitReason.RETIREMENT
            ),
        )
        assert Retention(self.app).run().employees == 1
        self.runner.catch_up()


@pytest.fixture
def trail(app: Registre, store: StoreSettings) -> Iterator[Trail]:
    scenario = play(app)
    read_store = ReadStore.open(store)
    runner = ProjectionRunner(app, read_store, [AUDIT_TRAIL], batch_size=7)
    runner.setup()
    runner.catch_up()
    queries = AuditTrailQueries(read_store, ActiveGenerations(read_store, refresh_seconds=0))
    yield Trail(app, scenario, read_store, runner, queries)
    read_store.close()


# Summaries of every event ----------------------------------------------------------------------


def test_every_event_class_has_a_french_summary() -> None:
    names = [cls.__name__ for cls in event_classes()]

    assert len(names) == len(set(names)), "two aggregates use the same event name"
    assert set(names) == set(AUDIT_TRAIL.summaries), "every event, and only events, have a summary"


# One entry per event ---------------------------------------------------------------------------


def test_one_entry_per_event_in_log_order(trail: Trail) -> None:
    notifications = trail.app.recorder.select_notifications(start=1, limit=1000)

    entries = trail.all()

    assert [e.position for e in entries] == [n.id for n in notifications]
    assert [f"{e.aggregate_type}.{e.event_type}" for e in entries] == [
        n.topic.rpartition(":")[2] for n in notifications
    ]
    assert [(e.aggregate_id, e.aggregate_version) for e in entries] == [
        (n.originator_id, n.originator_version) for n in notifications
    ]
    assert all(b.recorded_at >= a.recorded_at for a, b in pairwise(entries))
    assert all(e.recorded_at.utcoffset() is not None for e in entries)


def test_each_entry_names_its_member(trail: Trail) -> None:
    s = trail.scenario
    expected = {
        s.member_id: s.member_id,
        s.employee_id: s.member_id,
        s.other_member_id: s.other_member_id,
        s.other_employee_id: s.other_member_id,
        s.marie_id: None,  # an account is no member's record, even a member's user's
        s.paul_id: None,
        s.staff_id: None,
        s.handler_id: None,
        s.assessment_id: s.member_id,
        s.declaration_id: s.member_id,
        s.campaign_id: None,  # a campaign is the service's, for every member
        s.catalogue_edits_id: None,  # the catalogues are the service's too
    }
    settings, billed_member, invoice, credit_note, *series, mandate_use = s.billing_ids
    expected |= {settings: None, billed_member: billed_member, invoice: billed_member}
    expected |= {credit_note: billed_member, mandate_use: billed_member}
    expected |= dict.fromkeys(series)
    centre, doctor, nurse, care_team, settings, *days_of_doctor, a, b, c, d, record, summary = (
        s.visits_ids
    )
    expected |= dict.fromkeys([centre, doctor, nurse, settings, *days_of_doctor])  # the service's
    expected |= dict.fromkeys([care_team, a, b, c, d, record, summary], s.member_id)
    claims = [e.aggregate_id for e in trail.all() if e.aggregate_type == "EmailClaim"]
    assert len(claims) == 4  # an account's claim of its e-mail is no member's record either
    expected |= dict.fromkeys(claims)
    marks = [e.aggregate_id for e in trail.all() if e.aggregate_type == "IdentityMark"]
    assert marks  # the duplicate checks of the hires: bookkeeping, in no member's trail
    expected |= dict.fromkeys(marks)

    assert {(e.aggregate_id, e.member_id) for e in trail.all()} == set(expected.items())
    users = [e for e in trail.all() if e.event_type in {"UserAdded", "UserRemoved"}]
    assert {(e.aggregate_type, e.member_id) for e in users} == {("Member", s.member_id)}


def test_declaration_and_risk_assessment_entries_are_in_the_members_trail(trail: Trail) -> None:
    s = trail.scenario
    by_type: dict[str, set[UUID | None]] = {}
    for entry in trail.all():
        by_type.setdefault(entry.aggregate_type, set()).add(entry.member_id)

    assert by_type["Declaration"] == {s.member_id}
    assert by_type["RiskAssessment"] == {s.member_id}
    assert by_type["Campaign"] == {None}
    seen_by_its_users = {e.aggregate_type for e in trail.all(member_id=s.member_id)}
    assert {
        "Member",
        "Employee",
        "Declaration",
        "RiskAssessment",
        "CareTeam",
        "Appointment",
        "FollowUpRecord",
        "ActivitySummary",
    } == seen_by_its_users
    assert trail.all(member_id=s.other_member_id, aggregate_id=s.declaration_id) == []


def test_a_restarted_runner_finds_the_member_of_an_employee_hired_before(trail: Trail) -> None:
    s = trail.scenario
    trail.app.handle(
        by("admin-2"),
        CloseContract(
            employee_id=s.other_employee_id, last_day=date(2025, 6, 30), reason=ExitReason.DEATH
        ),
    )

    restarted = ProjectionRunner(trail.app, trail.read_store, [AUDIT_TRAIL])
    restarted.setup()
    restarted.catch_up()

    closed = trail.first("ContractClosed", s.other_employee_id)
    assert closed.member_id == s.other_member_id
    assert closed.summary == "Sortie du salarié le 30/06/2025 (Décès)"


def test_actor_and_member_acted_for(trail: Trail) -> None:
    s = trail.scenario

    hired = trail.first("Hired", s.employee_id)
    corrected = trail.first("IdentityCorrected")
    registered = trail.first("Registered", s.member_id)

    assert (hired.actor, hired.on_behalf_of) == ("user-7", s.member_id)
    assert (corrected.actor, corrected.on_behalf_of) == ("admin-1", None)
    assert (registered.actor, registered.on_behalf_of) == ("admin-1", None)


def test_french_summaries(trail: Trail) -> None:
    expected = {
        "Registered": "Adhésion enregistrée : code 00010, Boulangeries Martin",
        "AddressChanged": "Adresse de facturation modifiée",
        "DeclarantNumberReissued": "Nouveau numéro de déclarant émis",
        "BranchClosed": "Établissement n° 2 fermé (dernier jour : 31/12/2024)",
        "ContactAdded": "Contact n° 1 ajouté : Claire MARTIN",
        "InterlocutorAssigned": "Représentant légal désigné : contact n° 1",
        "InterlocutorUnassigned": "Représentant du CSE : désignation retirée",
        "SituationChangeDeclared": (
            "Changement de situation déclaré : nouvelle activité à compter du 01/06/2024"
        ),
        "SepaMandateSigned": "Mandat de prélèvement SEPA signé le 10/01/2024 (RUM RUM-00010-1)",
        "MembershipSuspended": "Adhésion suspendue à compter du 01/01/2025 : Cotisation impayée",
        "Hired": "Embauche (CDI, Boulanger) le 02/01/2024",
        "IdentityCorrected": "Identité corrigée",
        "ContractAmended": "Contrat n° 1 modifié à compter du 01/09/2024 (CDI, Chef boulanger)",
        "ContractClosed": "Sortie du salarié le 31/03/2025 (Démission)",
        "Rehired": "Réembauche (CDD, Boulanger) le 01/09/2025",
        "FollowUpDeterminantDeclared": (
            "Déterminant de suivi déclaré : Travailleur de nuit à partir du 01/02/2024"
        ),
        "FollowUpDeterminantWithdrawn": "Fin du déterminant de suivi n° 1 le 31/08/2024",
        "FollowUpDeterminantRetracted": "Déterminant de suivi n° 2 retiré (saisi par erreur)",
        "CmrExposureRecorded": (
            "Exposition CMR enregistrée : Benzène (71-43-2) à partir du 01/02/2024"
        ),
        "CmrExposureEnded": "Fin de l'exposition CMR n° 1 le 30/06/2024",
        "CmrExposureWithdrawn": "Exposition CMR n° 2 retirée (saisie par erreur)",
        "Opened": "Compte ouvert (utilisateur adhérent)",
        "PasswordIssued": "Mot de passe émis par le service (à changer à la première connexion)",
        "PasswordChanged": "Mot de passe modifié",
        "PasswordReset": "Mot de passe réinitialisé par lien e-mail",
        "LoggedIn": "Connexion réussie (code à usage unique)",
        "LoginFailed": "Échec de connexion : code ou mot de passe erroné",
        "LoggedOut": "Déconnexion",
        "FirstAdministratorRegistered": (
            "Premier administrateur inscrit avec le code adhérent et le n° télédéclarant"
        ),
        "UserAdded": "Utilisateur ajouté : rôles administrateur, facturation",
        "UserRolesChanged": "Rôles d'un utilisateur modifiés : déclaration, convocation",
        "UserRemoved": "Utilisateur retiré",
        "NotificationsChosen": "Notifications choisies : convocations, factures",
    }

    assert {name: trail.first(name).summary for name in expected} == expected


def test_french_summaries_of_campaigns_and_declarations(trail: Trail) -> None:
    s = trail.scenario
    (confirmed,) = [
        e
        for e in trail.app.events.get(s.declaration_id)
        if type(e).__name__ == "DeclarationConfirmed"
    ]
    expected = {
        "CampaignOpened": (
            f"Campagne {CAMPAIGN_YEAR} ouverte le 06/01/2025, date limite le 31/03/2025 :"
            " 42,50\xa0€ HT par salarié, outil 120,00\xa0€ HT"
        ),
        "CampaignClosed": "Campagne close le 30/01/2026",
        "Started": f"Déclaration {CAMPAIGN_YEAR} commencée",
        "StepCompleted": "Étape 1 validée : informations administratives",
        "PreventionAnswered": "Informations de prévention : thème « Activité de l'entreprise »",
        "RiskAdded": "Risque ajouté : Manutention de charges",
        "RiskDeclined": "Risque suggéré décliné : Travail sur écran / de bureau",
        "RiskRemoved": "Risque retiré : Ambiance sonore",
        "RiskToolSubscribed": "Outil d'évaluation des risques activé (120,00\xa0€ HT/an)",
        "RiskToolDeclined": "Outil d'évaluation des risques non activé",
        "Transferred": "Déclaration transférée à un autre utilisateur",
        "PurchaseOrderGiven": "Bon de commande : BC-2025-0042",
        "TermsOfSaleAccepted": "Conditions de vente de l'outil acceptées",
        "DeclarationConfirmed": (
            f"Déclaration confirmée (empreinte {confirmed.content_hash[:12]}…)"
        ),
        "DeclarationReopened": "Déclaration rouverte : Effectif à corriger (salarié oublié)",
        "ContributionDetermined": (
            f"Cotisation {CAMPAIGN_YEAR} (version 1) : 3 salarié(s) facturé(s) au 31/12/2024,"
            " 247,50\xa0€ HT, 297,00\xa0€ TTC"
        ),
    }
    entries = trail.all(aggregate_id=s.declaration_id) + trail.all(aggregate_id=s.campaign_id)
    fallback = FALLBACK_SUMMARY.format(name="")

    assert {name: trail.first(name).summary for name in expected} == expected
    assert {e.event_type for e in entries} == set(expected)
    assert [e.summary for e in entries if e.summary.startswith(fallback)] == []
    steps = [e.summary for e in entries if e.event_type == "StepCompleted"]
    assert steps[-1] == "Étape 9 validée : situations de travail et agents CMR"


def test_the_trail_keeps_the_hash_of_a_confirmed_declaration_not_its_frozen_copy(
    trail: Trail,
) -> None:
    s = trail.scenario
    (confirmed,) = [
        e
        for e in trail.app.events.get(s.declaration_id)
        if type(e).__name__ == "DeclarationConfirmed"
    ]
    entry = trail.first("DeclarationConfirmed")

    assert (entry.aggregate_type, entry.member_id) == ("Declaration", s.member_id)
    assert entry.changes == {"content_hash": content_hash(confirmed.frozen)}
    text = "\n".join(str(value) for row in trail.raw_rows() for value in row)
    assert confirmed.frozen not in text
    assert "Soudeuse au chalumeau" not in text  # a line of the frozen copy, and nowhere else
    assert '"frozen"' not in text


def test_french_summaries_of_later_sign_ins_and_of_other_accounts(trail: Trail) -> None:
    s = trail.scenario
    of_marie = trail.all(aggregate_id=s.marie_id)

    assert [e.summary for e in of_marie if e.event_type in {"LoggedIn", "LoginFailed"}] == [
        "Échec de connexion : code ou mot de passe erroné",
        "Connexion réussie (code à usage unique)",
        "Échec de connexion : code expiré ou déjà utilisé",
        "Connexion réussie (mot de passe)",
    ]
    assert trail.first("Opened", s.paul_id).summary == ("Compte ouvert (utilisateur adhérent)")
    assert trail.first("Opened", s.staff_id).summary == ("Compte ouvert (personnel du service)")


def test_effective_dates(trail: Trail) -> None:
    expected = {
        "Registered": None,
        "AddressChanged": None,
        "BranchClosed": date(2024, 12, 31),
        "SituationChangeDeclared": date(2024, 6, 1),
        "SepaMandateRevoked": date(2024, 12, 31),
        "MembershipResumed": date(2025, 2, 1),
        "Hired": date(2024, 1, 2),
        "IdentityCorrected": None,
        "ContractAmended": date(2024, 9, 1),
        "ContractClosed": date(2025, 3, 31),
        "Rehired": date(2025, 9, 1),
        "FollowUpDeterminantDeclared": date(2024, 2, 1),
        "FollowUpDeterminantWithdrawn": date(2024, 8, 31),
        "CmrExposureRecorded": date(2024, 2, 1),
        "CmrExposureWithdrawn": None,
    }

    assert {name: trail.first(name).effective_on for name in expected} == expected


# Changes and secrets ---------------------------------------------------------------------------


def test_changes_are_the_events_fields_as_printable_values(trail: Trail) -> None:
    s = trail.scenario

    assert trail.first("ContractClosed").changes == {
        "contract_number": 1,
        "last_day": "2025-03-31",
        "reason": "RESIGNATION",
    }
    assert trail.first("Registered").changes == {
        "member_code": "00010",
        "legal_name": "Boulangeries Martin",
        "siret": None,
    }
    assert trail.first("DeclarantNumberReissued").changes == {}
    exposure = trail.first("CmrExposureRecorded").changes["exposure"]
    assert exposure["agent"] == {"kind": "SUBSTANCE", "name": "Benzène", "cas_number": "71-43-2"}
    assert (exposure["routes"], exposure["hours_per_week"]) == (["INHALATION"], "2.5")
    hired = trail.first("Hired", s.employee_id).changes
    assert hired["member_id"] == str(s.member_id)
    assert hired["identity"] == {
        "birth_name": BIRTH_NAME.upper(),
        "first_name": FIRST_NAME,
        "birth_date": "1990-05-12",
        "sex": "F",
        "usage_name": None,
        "nir": "***",
    }
    assert "nir" not in trail.first("Hired", s.other_employee_id).changes["identity"]
    mandate = trail.first("SepaMandateSigned").changes["mandate"]
    assert mandate["iban"] == "*" * (len(IBAN) - 4) + IBAN[-4:]


def test_changes_of_accounts_and_users(trail: Trail) -> None:
    s = trail.scenario

    assert trail.first("Opened").changes == {
        "email": "marie.durand@exemple.fr",
        "last_name": "Durand",
        "first_name": "Marie",
        "function": "Gérante",
        "mobile": None,
        "kind": "MEMBER_USER",
    }
    assert trail.first("PasswordIssued").changes == {}
    assert trail.first("PasswordChanged").changes == {}
    assert trail.first("PasswordReset").changes == {}
    assert trail.first("LoggedIn").changes == {"method": "ONE_TIME_CODE"}
    assert trail.first("LoginFailed").changes == {"method": "PASSWORD", "failure": "WRONG_SECRET"}
    assert trail.first("LoggedOut").changes == {}
    assert trail.first("FirstAdministratorRegistered").changes == {
        "user": {
            "account_id": str(s.marie_id),
            "roles": ["ADMIN"],
            "third_party_declarant": False,
            "notifications": EVERY_NOTIFICATION,
        }
    }
    assert trail.first("UserAdded").changes["user"]["roles"] == ["ADMIN", "BILLING"]
    assert trail.first("UserRolesChanged").changes == {
        "account_id": str(s.paul_id),
        "roles": ["CONVOCATION", "DECLARATION"],
    }
    assert trail.first("NotificationsChosen").changes == {
        "account_id": str(s.marie_id),
        "notifications": ["CONVOCATIONS", "INVOICES"],
    }
    assert trail.first("UserRemoved").changes == {"account_id": str(s.paul_id)}


@pytest.mark.parametrize("order", [list(Role), list(reversed(Role))])
def test_sets_are_printed_as_sorted_lists_whatever_their_order(order: list[Role]) -> None:
    roles = frozenset(order)
    user = MemberUser(uuid4(), roles, notifications=frozenset(reversed(Notification)))
    event = SimpleNamespace(roles=roles, user=user, users=(user,), plain=["b", "a"])

    changes = changes_of(event)

    every_role = ["ADMIN", "BILLING", "CONVOCATION", "DECLARATION"]
    assert changes["roles"] == every_role
    assert (changes["user"]["roles"], changes["user"]["notifications"]) == (
        every_role,
        EVERY_NOTIFICATION,
    )
    assert changes["users"] == [changes["user"]]
    assert changes["plain"] == ["b", "a"], "lists keep their order"


def test_no_secret_in_any_column(trail: Trail) -> None:
    member = trail.app.member(trail.scenario.member_id)
    secrets = {
        NIR_NUMBER,
        NIR_BODY,
        DECLARANT_NUMBER,
        NEW_DECLARANT_NUMBER,
        member.declarant_number_hash,
        IBAN,
        IBAN[:-4],
        Iban(IBAN).formatted,
        *PASSWORDS,
        *trail.scenario.password_hashes,
    }

    text = "\n".join(str(value) for row in trail.raw_rows() for value in row)

    assert [secret for secret in secrets if secret in text] == []
    assert "declarant_number_hash" not in text
    assert "password_hash" not in text
    assert "$argon2" not in text


# Filters and pagination ------------------------------------------------------------------------


def test_filter_by_member_aggregate_and_actor(trail: Trail) -> None:
    s = trail.scenario
    everything = trail.all()

    of_member = trail.all(member_id=s.member_id)
    of_employee = trail.all(aggregate_id=s.employee_id)
    by_accountant = trail.all(actor="user-7")
    both = trail.all(member_id=s.member_id, actor="admin-1")

    care_team, *appointments_record_summary = s.visits_ids[3:4] + s.visits_ids[-6:]
    members_records = {s.member_id, s.employee_id, s.assessment_id, s.declaration_id, care_team}
    members_records |= set(appointments_record_summary)
    assert of_member == [e for e in everything if e.aggregate_id in members_records]
    assert of_employee == [e for e in everything if e.aggregate_id == s.employee_id]
    assert by_accountant == [e for e in everything if e.actor == "user-7"]
    assert by_accountant
    assert all(e.on_behalf_of == s.member_id for e in by_accountant)
    assert both == [e for e in of_member if e.actor == "admin-1"]
    assert trail.all(actor="nobody") == []


def test_filter_by_recorded_period(trail: Trail) -> None:
    everything = trail.all()
    start = everything[len(everything) // 3].recorded_at
    end = everything[2 * len(everything) // 3].recorded_at

    in_period = trail.all(recorded_from=start, recorded_to=end)

    assert in_period == [e for e in everything if start <= e.recorded_at < end]
    assert in_period
    assert trail.all(recorded_from=everything[-1].recorded_at)[-1] == everything[-1]


def test_pages_newest_first_with_a_cursor(trail: Trail) -> None:
    everything = trail.all()
    pages: list[list[AuditEntry]] = []
    after: int | None = None
    while page := trail.queries.entries(after_position=after, limit=7):
        pages.append(page)
        after = page[-1].position

    assert [e for page in pages for e in page] == everything[::-1]
    assert all(len(page) == 7 for page in pages[:-1])
    assert trail.queries.entries(limit=MAX_PAGE) == everything[::-1][:MAX_PAGE]
    assert len(trail.queries.entries(limit=0)) == 1


def test_the_limit_is_capped(trail: Trail) -> None:
    for n in range(MAX_PAGE):
        trail.app.handle(
            by("admin-1"),
            ChangeAddress(
                member_id=trail.scenario.member_id,
                kind=AddressKind.CONVOCATION,
                address=Address(
                    lines=(f"{n + 1} rue des Lilas",), postal_code="69003", city="Lyon"
                ),
            ),
        )
    trail.runner.catch_up()

    assert len(trail.queries.entries(limit=1000)) == MAX_PAGE + 1  # a page and a look-ahead row
    assert len(trail.all()) > MAX_PAGE


# Erasure and rebuild ---------------------------------------------------------------------------


def identity_values_in(trail: Trail) -> list[str]:
    text = "\n".join(str(value) for row in trail.raw_rows() for value in row).casefold()
    values = (BIRTH_NAME, FIRST_NAME, CORRECTED_FIRST_NAME, BIRTH_DATE.isoformat())
    return [value for value in values if value.casefold() in text]


def test_erasure_wipes_the_identity_from_the_employees_entries(trail: Trail) -> None:
    s = trail.scenario
    assert identity_values_in(trail) == [], "sealed in the table, even before the erasure"
    assert (
        trail.first("Hired", s.employee_id).changes["identity"]["birth_name"] == BIRTH_NAME.upper()
    )

    trail.erase()

    assert identity_values_in(trail) == []
    erased = trail.first("IdentityErased")
    assert (erased.summary, erased.actor, erased.aggregate_id) == (
        "Identité effacée (droit à l'effacement)",
        "dpo-1",
        s.employee_id,
    )
    assert trail.first("Hired", s.employee_id).changes["identity"] is None
    assert trail.first("IdentityCorrected").changes == {"identity": None}
    assert trail.first("Hired", s.employee_id).changes["contract"]["hire_date"] == "2024-01-02"
    assert trail.first("Hired", s.other_employee_id).changes["identity"]["birth_name"] == "BERNARD"


def test_an_erased_account_leaves_compte_efface_and_no_identity_in_the_trail(
    trail: Trail,
) -> None:
    s = trail.scenario
    opened = trail.first("Opened", s.handler_id)
    email = opened.changes["email"]
    assert email is not None

    trail.erase()

    erased = trail.first("Erased", s.handler_id)
    assert (erased.summary, erased.actor) == (
        "Compte effacé (personne partie) : son identité est détruite",
        "dpo-1",
    )
    assert erased.changes == {"reason": "personne partie"}
    opened = trail.first("Opened", s.handler_id)
    assert opened.summary == "Compte ouvert (utilisateur adhérent)"
    names = ("email", "last_name", "first_name", "function", "mobile")
    assert [opened.changes.get(name) for name in names] == [None] * 5
    text = "\n".join(str(value) for row in trail.raw_rows() for value in row).casefold()
    assert email.casefold() not in text
    released = [e for e in trail.all() if e.event_type == "Released"]
    assert [(e.summary, e.changes) for e in released] == [
        ("Adresse e-mail de connexion libérée (compte effacé)", {})
    ]


def test_every_event_class_is_summarised_in_the_trail(trail: Trail) -> None:
    trail.erase()

    entries = trail.all()

    assert {e.event_type for e in entries} == {cls.__name__ for cls in event_classes()}
    fallback = FALLBACK_SUMMARY.format(name="")
    assert [e.summary for e in entries if e.summary.startswith(fallback)] == []


def test_a_rebuild_gives_the_same_entries(trail: Trail) -> None:
    live = trail.all()

    assert trail.runner.rebuild("audit") == 2
    assert trail.all() == live

    trail.erase()
    erased = trail.all()
    assert trail.runner.rebuild("audit") == 3
    assert trail.all() == erased
    assert identity_values_in(trail) == []


def test_a_trail_remembering_few_members_files_every_entry_under_the_same_one(
    trail: Trail, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The members of records are remembered between events for the most recent records only
    (a service's whole history would not fit): the others are found again."""
    monkeypatch.setattr(audit, "MEMBERS_KEPT", 1)
    made: list[Any] = []

    class Watched(AUDIT_TRAIL):  # type: ignore[misc,valid-type]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            made.append(self)

    live = [(e.position, e.member_id) for e in trail.all()]
    ProjectionRunner(trail.app, trail.read_store, [Watched], batch_size=3).rebuild(Watched.name)

    assert [(e.position, e.member_id) for e in trail.all()] == live
    assert {member for _, member in live} - {None}
    assert len(made[-1]._member_of) <= 1
