"""Every event of every aggregate of the application (`contexts.AGGREGATES`) is stored
and read back with its exact state and types.

Runs on both stores. The scenario goes through the application's commands; the events as
saved are kept by a recording subclass of Registre, then read back by a new Registre on the
same store (so nothing comes from a cache) and compared field by field, type by type.
"""

import dataclasses
import json
from collections.abc import Callable, Iterator
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

import pytest
from eventsourcing.domain import Aggregate, AggregateCreated
from eventsourcing.persistence import Recording
from stdnum.fr import nir

from application.accounts.claims import held_claim
from application.accounts.commands import (
    AddMemberUser,
    ChangeMemberUserRoles,
    ChangePassword,
    ChooseNotifications,
    CreateFirstAccount,
    IssuePassword,
    NewAccount,
    OpenAccount,
    RecordFailedLogin,
    RecordLogin,
    RecordLogout,
    RemoveMemberUser,
    ResetPassword,
)
from application.catalogues.commands import (
    CATALOGUE_EDITS_ID,
    AddCatalogueRisk,
    AddCmrAgent,
    AddPcsOccupation,
    AddPreventionQuestion,
    AddSuggestedAction,
    AddWorkSituation,
    ChangeCatalogueRisk,
    RetireCatalogueRisk,
    RetireCmrAgent,
    RetirePcsOccupation,
    RetirePreventionQuestion,
    RetireWorkSituation,
)
from application.catalogues.loader import default_catalogues
from application.credentials import hash_secret
from application.declaration.commands import (
    AcceptTermsOfSale,
    AddRisk,
    AnswerPrevention,
    ChooseRiskTool,
    CloseCampaign,
    CompleteDeclarationStep,
    ConfirmDeclaration,
    DeclineRisk,
    GivePurchaseOrder,
    OpenCampaign,
    RemoveRisk,
    ReopenDeclaration,
    TransferDeclaration,
)
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
from application.registre import SNAPSHOT_INTERVAL, Registre
from application.requests import CommandResult, Request
from application.risk_assessment.commands import (
    AddRiskToWorkUnit,
    AssignEmployeesToWorkUnit,
    CancelPreventionAction,
    CreateWorkUnit,
    EvaluateRisk,
    MarkPreventionActionDone,
    PlanPreventionAction,
    PublishRiskAssessment,
    RecordExistingRiskAssessmentDocument,
    RemoveRiskFromWorkUnit,
    RemoveWorkUnit,
    RenameWorkUnit,
    ReschedulePreventionAction,
)
from application.workforce.commands import (
    AmendContract,
    AssignWorkSituation,
    CloseContract,
    CorrectContract,
    CorrectIdentity,
    DeclareDeterminant,
    EndExposure,
    HireEmployee,
    RecordExposure,
    RehireEmployee,
    RetractDeterminant,
    WithdrawDeterminant,
    WithdrawExposure,
)
from contexts import AGGREGATES
from domain.accounts.access import AccountKind, Notification, Role
from domain.accounts.account import Account, LoginFailure, LoginMethod
from domain.address import Address, Coordinates
from domain.catalogues.model import Question
from domain.catalogues.question_kinds import QuestionKind
from domain.contact_details import Email, PhoneNumber
from domain.declaration.campaign import Campaign
from domain.declaration.composed import Composed, content_hash
from domain.declaration.contribution import Contribution
from domain.declaration.declaration import Declaration
from domain.declaration.steps import Answer, Step
from domain.identifiers import CasNumber, Iban, Nir, PcsCode, Siret, VatNumber
from domain.members.member import Member
from domain.members.organisation import (
    AddressKind,
    Contact,
    ContactType,
    Interlocutor,
    SepaMandate,
    SituationChangeKind,
)
from domain.money import Money
from domain.risk_assessment.action_plan import ActionScope
from domain.risk_assessment.assessment import RiskAssessment
from domain.workforce.employee import Employee
from domain.workforce.employment import ContractTerms, ContractType, ExitReason, Identity, Sex
from domain.workforce.follow_up import FollowUpDeterminant
from domain.workforce.health import AgentKind, CmrAgent, ExposureDegree, ExposureRoute
from storage.settings import StoreSettings
from tests.account_ids import account_id
from tests.integration.billing_scenario import every_billing_event
from tests.integration.visits_scenario import every_visits_event

SIRET = Siret("73282932000074")
VAT = VatNumber("FR44732829320")
BRANCH_SIRET = Siret("73282932000033")
NIR_BODY = "2900575056123"
EVENT_SOURCED: tuple[type[Aggregate], ...] = tuple(AGGREGATES)
"""Every aggregate of the application: a new one is covered as soon as its context declares it
(`tests/unit/test_composition.py`: every aggregate class is declared)."""
CAMPAIGN_YEAR = 2025
CAMPAIGN_OPENS_ON = date(2025, 1, 6)
"""In the past, and the campaign is closed only at the end of its scenario: open today."""
CAMPAIGN_CLOSED_ON = date(2026, 1, 30)


class RecordingRegistre(Registre):
    """A Registre that keeps the domain events it saved, as they were before storage."""

    # eventsourcing names each subclass after itself, and PostgreSQL tables after the name.
    name = "Registre"

    def __init__(self, settings: StoreSettings):
        self.saved: list[Any] = []
        super().__init__(settings)

    def _notify(self, recordings: list[Recording[UUID]]) -> None:
        self.saved.extend(r.domain_event for r in recordings)


@pytest.fixture
def recording_app(store: StoreSettings) -> Iterator[RecordingRegistre]:
    application = RecordingRegistre(store)
    yield application
    application.close()


# Helpers ------------------------------------------------------------------------------------


def a_request(user: str = "user-1") -> Request:
    return Request.by(str(uuid4()), user)


def a_nir() -> Nir:
    return Nir(NIR_BODY + nir.calc_check_digits(NIR_BODY))


def an_identity(**changes: Any) -> Identity:
    identity = Identity(
        birth_name="Dupont",
        first_name="Marie",
        birth_date=date(1990, 5, 12),
        sex=Sex.F,
        usage_name="Martin",
        nir=a_nir(),
    )
    return dataclasses.replace(identity, **changes)


def an_address(*, confirmed: bool = False) -> Address:
    return Address(
        lines=("Zone artisanale du Moulin", "12 rue des Lilas"),
        postal_code="69 003",
        city="Lyon",
        coordinates=Coordinates(45.7578, 4.832) if confirmed else None,
    )


def a_contact(contact_id: int = 0, function: str | None = "Gérante") -> Contact:
    return Contact(
        contact_id,
        "Martin",
        "Claire",
        function,
        PhoneNumber("06 12 34 56 78"),
        Email("claire.martin@example.fr"),
        ContactType.HUMAN_RESOURCES,
        "Paie Conseil",
        "Paie",
        an_address(),
        PhoneNumber("06 98 76 54 32"),
        PhoneNumber("01 23 45 67 89"),
    )


def concrete_event_classes(aggregate_class: type[Aggregate]) -> set[type]:
    """The event classes nested in an aggregate class, without the framework's own ones.

    eventsourcing nests `Event` (the base) and `Created` in every aggregate class; `Created` is
    left unused when the aggregate names its own creation event (`@event("Hired")`).
    """
    nested = {
        value
        for value in vars(aggregate_class).values()
        if isinstance(value, type) and issubclass(value, aggregate_class.Event)
    }
    unused = {aggregate_class.Event}
    if len({cls for cls in nested if issubclass(cls, AggregateCreated)}) > 1:
        unused.add(aggregate_class.Created)
    return nested - unused


def assert_identical(actual: Any, expected: Any, path: str = "") -> None:
    """Equal, with the same type at every level (date not str, Siret not str, tuple not list)."""
    assert type(actual) is type(expected), (
        f"{path}: {type(actual).__name__} instead of {type(expected).__name__}"
    )
    if dataclasses.is_dataclass(expected):
        for field in dataclasses.fields(expected):
            assert_identical(
                getattr(actual, field.name), getattr(expected, field.name), f"{path}.{field.name}"
            )
    elif isinstance(expected, tuple | list):
        assert len(actual) == len(expected), f"{path}: {len(actual)} items, not {len(expected)}"
        for index, (a, e) in enumerate(zip(actual, expected, strict=True)):
            assert_identical(a, e, f"{path}[{index}]")
    elif isinstance(expected, dict):
        assert actual.keys() == expected.keys(), path
        for key, value in expected.items():
            assert_identical(actual[key], value, f"{path}.{key}")
    elif isinstance(expected, Decimal):
        assert actual.as_tuple() == expected.as_tuple(), f"{path}: {actual!r} != {expected!r}"
    elif isinstance(expected, datetime):
        assert (actual, actual.utcoffset()) == (expected, expected.utcoffset()), path
    else:
        assert actual == expected, f"{path}: {actual!r} != {expected!r}"


def assert_same_state(actual: Aggregate, expected: Aggregate) -> None:
    assert type(actual) is type(expected)
    assert_identical(vars(actual), vars(expected), type(expected).__name__)


def rebuilt_from_events(app: Registre, aggregate_id: UUID, lte: int | None = None) -> Any:
    aggregate = None
    for event in app.events.get(aggregate_id, lte=lte):
        aggregate = event.mutate(aggregate)  # type: ignore[attr-defined]
    return aggregate


# The scenario -----------------------------------------------------------------------------------


def every_user_and_account_event(app: Registre, member_id: UUID) -> list[UUID]:
    """Emits every event class of Account, and the Member events of its users; returns the ids
    of the accounts opened."""
    marie = app.handle(
        a_request("anonymous"),
        CreateFirstAccount(
            member_code="00010",
            declarant_number="48201937",
            person=NewAccount(
                email=Email("Marie.Durand@Exemple.fr"),
                last_name="Durand",
                first_name="Marie",
                function="Gérante",
                mobile=PhoneNumber("06 12 34 56 78"),
            ),
            third_party_declarant=True,
            password_hash=hash_secret("Premier-mot-de-passe-1"),
        ),
    ).aggregate_id
    app.handle(
        a_request(str(marie)),
        RecordFailedLogin(
            account_id=marie, method=LoginMethod.PASSWORD, failure=LoginFailure.WRONG_SECRET
        ),
    )
    app.handle(
        a_request(str(marie)), RecordLogin(account_id=marie, method=LoginMethod.ONE_TIME_CODE)
    )
    app.handle(
        a_request(str(marie)),
        ChangePassword(account_id=marie, password_hash=hash_secret("Nouveau-mot-de-passe-2")),
    )
    app.handle(a_request(str(marie)), RecordLogout(account_id=marie))
    app.handle(
        a_request(str(marie)),
        ResetPassword(account_id=marie, password_hash=hash_secret("Mot-de-passe-oublie-3")),
    )
    app.handle(
        a_request(),
        IssuePassword(account_id=marie, password_hash=hash_secret("Mot-de-passe-emis-4")),
    )
    app.handle(a_request(str(marie)), RecordLogin(account_id=marie, method=LoginMethod.PASSWORD))
    users = []
    for email, first_name, roles in (
        ("paul@roux.fr", "Paul", {Role.BILLING}),
        ("zoe@roux.fr", "Zoé", {Role.DECLARATION, Role.CONVOCATION}),
    ):
        person = NewAccount(
            email=Email(email), last_name="Roux", first_name=first_name, function="Comptable"
        )
        app.handle(
            a_request(str(marie)),
            AddMemberUser(
                member_id=member_id,
                person=person,
                roles=frozenset(roles),
                third_party_declarant=first_name == "Paul",
            ),
        )
        users.append(account_id(app, person.email))
    paul, zoe = users
    app.handle(
        a_request(str(marie)),
        ChangeMemberUserRoles(
            member_id=member_id, account_id=zoe, roles=frozenset({Role.ADMIN, Role.BILLING})
        ),
    )
    app.handle(
        a_request(str(marie)),
        ChooseNotifications(
            member_id=member_id,
            account_id=zoe,
            notifications=frozenset({Notification.SERVICE_NEWS, Notification.CONVOCATIONS}),
        ),
    )
    app.handle(
        a_request(str(marie)),
        ChooseNotifications(member_id=member_id, account_id=marie, notifications=frozenset()),
    )
    app.handle(a_request(str(marie)), RemoveMemberUser(member_id=member_id, account_id=paul))
    staff = app.handle(
        a_request(),
        OpenAccount(
            person=NewAccount(
                email=Email("luc@sante-travail.fr"),
                last_name="Bernard",
                first_name="Luc",
                function="Médecin",
            ),
            kind=AccountKind.SERVICE_STAFF,
        ),
    ).aggregate_id
    emails = ("Marie.Durand@Exemple.fr", "paul@roux.fr", "zoe@roux.fr", "luc@sante-travail.fr")
    claims = [held_claim(app, Email(email))[1] for email in emails]
    # Erased and Released without destroying the keys: erasure itself is tested in
    # test_account_erasure; here the identity written earlier must still read back as it was.
    luc, luc_claim = app.repository.get(staff), app.repository.get(claims[-1])
    luc_claim.release()
    luc.close(date(2025, 3, 31), a_request().actor)
    luc.erase(a_request().actor)
    app.save(luc, luc_claim)
    return [marie, paul, zoe, staff, *claims]


def every_risk_assessment_event(app: Registre, member_id: UUID, employee_id: UUID) -> UUID:
    """Emits every event class of RiskAssessment (some on behalf of the member); returns its id."""

    def accountant() -> Request:
        return Request.by(str(uuid4()), "accountant-1", on_behalf_of=member_id)

    app.handle(
        accountant(),
        RecordExistingRiskAssessmentDocument(
            member_id=member_id,
            file_name="DUERP 2023.pdf",
            media_type="application/pdf",
            size=482_113,
            sha256="9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
            recorded_on=date(2024, 2, 29),
        ),
    )
    app.handle(
        a_request(),
        CreateWorkUnit(
            member_id=member_id,
            name="Fournil",
            employee_ids=(employee_id,),
            risk_codes=("MANUTENTION_CHARGES", "TRAVAIL_DE_NUIT"),
        ),
    )
    app.handle(a_request(), CreateWorkUnit(member_id=member_id, name="Boutique"))
    app.handle(
        a_request(), RenameWorkUnit(member_id=member_id, unit_id=2, name="Boutique et livraison")
    )
    app.handle(
        a_request(),
        AssignEmployeesToWorkUnit(member_id=member_id, unit_id=2, employee_ids=(employee_id,)),
    )
    app.handle(
        a_request(), AddRiskToWorkUnit(member_id=member_id, unit_id=2, risk_code="AMBIANCE_SONORE")
    )
    app.handle(
        a_request(),
        RemoveRiskFromWorkUnit(member_id=member_id, unit_id=2, risk_code="AMBIANCE_SONORE"),
    )
    app.handle(a_request(), RemoveWorkUnit(member_id=member_id, unit_id=2))
    for risk_code, severity, measures in (
        ("MANUTENTION_CHARGES", 4, "Diable, étagères à hauteur"),
        ("TRAVAIL_DE_NUIT", 1, None),
    ):
        app.handle(
            accountant(),
            EvaluateRisk(
                member_id=member_id,
                unit_id=1,
                risk_code=risk_code,
                severity=severity,
                probability=3,
                description="Sacs de 25 kg, cuisson de nuit",
                existing_measures=measures,
            ),
        )
    actions = [
        app.handle(
            a_request(),
            PlanPreventionAction(
                member_id=member_id,
                scope=scope,
                title=title,
                due_on=date(2025, 3, 31),
                owner="Employeur",
                risk_code=risk_code,
                unit_ids=(1,) if risk_code else (),
                suggestion_code=suggestion,
            ),
        ).created_id
        for scope, title, risk_code, suggestion in (
            (ActionScope.MAJOR_RISKS, "Former à la manutention", "MANUTENTION_CHARGES", "FORM_1"),
            (ActionScope.OTHER_RISKS, "Pauses de nuit", "TRAVAIL_DE_NUIT", None),
            (ActionScope.GLOBAL, "Afficher les consignes", None, None),
        )
    ]
    first, second, third = (a for a in actions if a is not None)
    app.handle(
        a_request(),
        ReschedulePreventionAction(member_id=member_id, action_id=first, due_on=date(2025, 6, 30)),
    )
    app.handle(
        a_request(),
        MarkPreventionActionDone(member_id=member_id, action_id=second, done_on=date(2025, 2, 1)),
    )
    app.handle(
        a_request(),
        CancelPreventionAction(member_id=member_id, action_id=third, reason="Déjà affichées"),
    )
    return app.handle(
        accountant(), PublishRiskAssessment(member_id=member_id, published_on=date(2025, 1, 15))
    ).aggregate_id


def a_plausible_answer(question: Question) -> Answer:
    """An answer of the question's kind within its bounds; a number not asked whole is a float,
    so both kinds of numbers go through storage."""
    match question.kind:
        case QuestionKind.YES_NO:
            return True
        case QuestionKind.NUMBER:
            low = 0 if question.minimum is None else question.minimum
            high = low + 10 if question.maximum is None else question.maximum
            return int(min(low + 2, high)) if question.integer else min(low + 2.5, high)
        case QuestionKind.CHOICE:
            return question.choices[-1]
        case QuestionKind.MULTI_CHOICE:
            return list(question.choices[:2])
        case QuestionKind.TEXT:
            return "Boulangerie-pâtisserie artisanale, vente au comptoir"


class SmallComposer:
    """A small canonical JSON text, as the read side composes it on confirmation."""

    def compose(self, campaign: Campaign, declaration: Declaration, today: date) -> Composed:
        contribution = Contribution(3, campaign.rate_per_capita, campaign.tool_price)
        return Composed(a_frozen_copy(declaration, campaign), contribution)


def a_frozen_copy(declaration: Declaration, campaign: Campaign) -> str:
    content = {
        "year": campaign.year,
        "member_id": str(declaration.member_id),
        "edition": declaration.edition,
        "risks": list(declaration.risks),
        "employees": [
            {"category": "SIR", "cmr": ["Benzène (71-43-2)"], "job": "Soudeuse au chalumeau"}
        ],
    }
    return json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


@dataclasses.dataclass(frozen=True)
class DeclarationRecords:
    campaign_id: UUID
    declaration_id: UUID
    handler_id: UUID
    """The member's user the declaration was transferred to (added by the scenario)."""


def every_campaign_and_declaration_event(app: Registre, member_id: UUID) -> DeclarationRecords:
    """Emits every event class of Campaign and Declaration; the campaign is closed last.

    The member must be active and meet steps 1 and 2: SIRET, CSE known, worksite address
    confirmed on the map, billing and convocation addresses, a legal representative.
    """
    year = CAMPAIGN_YEAR
    campaign_id = app.handle(
        a_request("staff-1"),
        OpenCampaign(
            year=year,
            opens_on=CAMPAIGN_OPENS_ON,
            deadline=date(2025, 3, 31),
            rate_per_capita=Money.euros("42.50"),
            tool_price=Money.euros("120"),
        ),
    ).aggregate_id
    for step in (Step.COMPANY, Step.CONTACTS, Step.WORKFORCE):
        app.handle(
            a_request(),
            CompleteDeclarationStep(member_id=member_id, year=year, step=step),
        )
    handler = NewAccount(
        email=Email("ines.garnier@exemple.fr"),
        last_name="Garnier",
        first_name="Inès",
        function="Responsable sécurité",
    )
    app.handle(
        a_request(),
        AddMemberUser(
            member_id=member_id,
            person=handler,
            roles=frozenset({Role.DECLARATION}),
            third_party_declarant=False,
        ),
    )
    handler_id = account_id(app, handler.email)
    app.handle(
        a_request(), TransferDeclaration(member_id=member_id, year=year, account_id=handler_id)
    )
    as_handler = str(handler_id)
    themes = default_catalogues().prevention_themes
    for theme in themes:  # every question, the required ones and the others
        answers = {question.id: a_plausible_answer(question) for question in theme.questions}
        app.handle(
            a_request(as_handler),
            AnswerPrevention(
                member_id=member_id,
                year=year,
                theme=theme.code,
                answers=answers,
            ),
        )
    app.handle(
        a_request(as_handler),
        CompleteDeclarationStep(
            member_id=member_id, year=year, step=Step.PREVENTION, expected_revision=len(themes)
        ),
    )
    for risk_code in ("manual_handling", "noise"):
        app.handle(
            a_request(as_handler),
            AddRisk(member_id=member_id, year=year, risk_code=risk_code),
        )
    app.handle(
        a_request(as_handler),
        RemoveRisk(member_id=member_id, year=year, risk_code="noise"),
    )
    app.handle(
        a_request(as_handler),
        DeclineRisk(member_id=member_id, year=year, risk_code="screen_work"),
    )
    app.handle(
        a_request(as_handler),
        CompleteDeclarationStep(member_id=member_id, year=year, step=Step.RISKS),
    )
    for subscribed in (True, False, True):
        app.handle(
            a_request(as_handler),
            ChooseRiskTool(member_id=member_id, year=year, subscribed=subscribed),
        )
    for step in (Step.RISK_TOOL, Step.SITUATIONS_AND_CMR):
        app.handle(
            a_request(as_handler),
            CompleteDeclarationStep(member_id=member_id, year=year, step=step),
        )
    app.handle(
        a_request(as_handler),
        GivePurchaseOrder(
            member_id=member_id, year=year, purchase_order=" BC-2025-0042 ", expected_revision=0
        ),
    )
    app.handle(
        a_request(as_handler),
        AcceptTermsOfSale(member_id=member_id, year=year, expected_revision=1),
    )
    app.compose_declarations_with(SmallComposer())
    confirmed = app.handle(
        a_request(as_handler),
        ConfirmDeclaration(member_id=member_id, year=year, expected_revision=2),
    )
    app.handle(
        a_request("staff-1"),
        ReopenDeclaration(
            member_id=member_id, year=year, reason="Effectif à corriger (salarié oublié)"
        ),
    )
    app.handle(a_request("staff-1"), CloseCampaign(year=year, closed_on=CAMPAIGN_CLOSED_ON))
    return DeclarationRecords(campaign_id, confirmed.aggregate_id, handler_id)


def every_catalogue_edit_event(app: Registre) -> UUID:
    """Emits every event class of CatalogueEdits (the service's edits of the catalogues)."""
    staff = "staff-1"
    app.handle(
        a_request(staff),
        AddCatalogueRisk(
            family_code="biomechanical",
            code="vibrating_tools",
            label="Outils vibrants",
            description="Utiliser des outils portatifs vibrants",
            source="INRS ED 6018",
        ),
    )
    app.handle(
        a_request(staff),
        ChangeCatalogueRisk(code="noise", label="Bruit", description=None, source="INRS ED 6035"),
    )
    app.handle(
        a_request(staff), RetireCatalogueRisk(code="screen_work", source="Couvert par les postures")
    )
    app.handle(
        a_request(staff),
        AddSuggestedAction(
            risk_code="vibrating_tools",
            code="vibrating_tools.low",
            label="Outils peu vibrants",
            source="INRS",
        ),
    )
    app.handle(
        a_request(staff),
        AddCmrAgent(
            kind=AgentKind.SUBSTANCE,
            name="Dioxyde de titane",
            name_en=None,
            cas_number="13463-67-7",
            clp_hazard="Carc. 1B",
            source="CLP",
        ),
    )
    app.handle(
        a_request(staff), RetireCmrAgent(cas_number="71-43-2", name=None, source="Plus utilisé")
    )
    app.handle(a_request(staff), RetireWorkSituation(code="night_work", source="Reformulée"))
    app.handle(
        a_request(staff),
        AddWorkSituation(
            code="night_shifts",
            heading="Travailler de nuit",
            label="Travail posté de nuit",
            determinant=FollowUpDeterminant.NIGHT_WORK,
            source="Code du travail R4624-17",
        ),
    )
    app.handle(
        a_request(staff),
        AddPcsOccupation(code="431e", label="Sages-femmes", source="INSEE PCS 2017"),
    )
    app.handle(a_request(staff), RetirePcsOccupation(code="636c", source="Code à vérifier"))
    app.handle(
        a_request(staff),
        AddPreventionQuestion(
            theme_code="activity",
            question_id="night_workers",
            label="Combien de salariés travaillent de nuit ?",
            kind=QuestionKind.NUMBER,
            required=True,
            choices=[],
            integer=True,
            minimum=0,
            maximum=9999.5,
            source="Médecin du travail",
        ),
    )
    app.handle(
        a_request(staff),
        AddPreventionQuestion(
            theme_code="particular_situations",
            question_id="lone_work_devices",
            label="Quels dispositifs protègent les travailleurs isolés ?",
            kind=QuestionKind.MULTI_CHOICE,
            required=False,
            choices=["Alarme portative", "Appel régulier"],
            integer=False,
            minimum=None,
            maximum=None,
            source="Médecin du travail",
        ),
    )
    app.handle(
        a_request(staff),
        RetirePreventionQuestion(theme_code="activity", question_id="sites", source="Sans objet"),
    )
    return CATALOGUE_EDITS_ID


def every_event(app: Registre) -> list[UUID]:
    """Emits every event class of every aggregate; returns the ids of the member, the employee,
    the accounts, the risk assessment, the campaign, the declaration, the account the
    declaration was transferred to and the service's catalogue edits."""
    member_id = app.handle(
        a_request(),
        RegisterMember(member_code="00010", declarant_number="73915284", legal_name="Martin SAS"),
    ).aggregate_id
    app.handle(
        a_request(),
        ChangeAdministrativeInformation(
            member_id=member_id,
            legal_name="Martin & Fils SAS",
            siret=SIRET,
            vat_number=VAT,
            has_cse=True,
        ),
    )
    app.handle(
        a_request(),
        ChangeAddress(
            member_id=member_id, kind=AddressKind.WORKSITE, address=an_address(confirmed=True)
        ),
    )
    app.handle(
        a_request(),
        ChangeAddress(member_id=member_id, kind=AddressKind.BILLING, address=an_address()),
    )
    app.handle(
        a_request(),
        ChangeAddress(member_id=member_id, kind=AddressKind.CONVOCATION, address=an_address()),
    )
    app.handle(
        a_request(), ReissueDeclarantNumber(member_id=member_id, declarant_number="48201937")
    )
    app.handle(
        a_request(),
        OpenBranch(member_id=member_id, name="Atelier", address=an_address(), siret=None),
    )
    app.handle(
        a_request(),
        ChangeBranch(
            member_id=member_id,
            number=2,
            name="Atelier nord",
            address=an_address(),
            siret=BRANCH_SIRET,
        ),
    )
    app.handle(a_request(), OpenBranch(member_id=member_id, name="Boutique", address=an_address()))
    app.handle(a_request(), CloseBranch(member_id=member_id, number=3, last_day=date(2024, 6, 30)))
    representative = app.handle(
        a_request(), AddContact(member_id=member_id, contact=a_contact())
    ).created_id
    assert representative is not None
    other = app.handle(
        a_request(), AddContact(member_id=member_id, contact=a_contact(function=None))
    ).created_id
    assert other is not None
    app.handle(
        a_request(),
        ChangeContact(member_id=member_id, contact=a_contact(representative, "Présidente")),
    )
    app.handle(
        a_request(),
        AssignInterlocutor(
            member_id=member_id, role=Interlocutor.LEGAL_REPRESENTATIVE, contact_id=representative
        ),
    )
    app.handle(
        a_request(),
        AssignInterlocutor(member_id=member_id, role=Interlocutor.CSE, contact_id=other),
    )
    app.handle(a_request(), UnassignInterlocutor(member_id=member_id, role=Interlocutor.CSE))
    app.handle(a_request(), RemoveContact(member_id=member_id, contact_id=other))
    app.handle(
        a_request(),
        DeclareSituationChange(
            member_id=member_id,
            kind=SituationChangeKind.NEW_ACTIVITY,
            description="Ouverture d'un atelier de découpe",
            effective_on=date(2024, 9, 1),
        ),
    )
    mandate = SepaMandate(
        "RUM-00010-1",
        Iban("FR1420041010050500013M02606"),
        date(2024, 1, 10),
        "Martin SAS",
        "PSSTFRPPLYO",
    )
    app.handle(a_request(), SignSepaMandate(member_id=member_id, mandate=mandate))
    app.handle(a_request(), RevokeSepaMandate(member_id=member_id, revoked_on=date(2024, 12, 31)))
    app.handle(
        a_request(),
        SuspendMembership(
            member_id=member_id, reason="Cotisations impayées", effective_on=date(2025, 2, 1)
        ),
    )
    app.handle(a_request(), ResumeMembership(member_id=member_id, effective_on=date(2025, 3, 1)))
    accounts = every_user_and_account_event(app, member_id)

    welder = ContractTerms(
        "Soudeuse",
        ContractType.CDI,
        pcs_code=PcsCode("624d"),
        branch_code="00010-2",
        trial_end=date(2024, 3, 14),
    )
    employee_id = app.handle(
        Request.by(str(uuid4()), "accountant-1", on_behalf_of=member_id),
        HireEmployee(
            member_id=member_id, identity=an_identity(), hire_date=date(2024, 1, 15), terms=welder
        ),
    ).aggregate_id
    app.handle(
        a_request(),
        CorrectIdentity(employee_id=employee_id, identity=an_identity(usage_name="Durand")),
    )
    app.handle(
        a_request(),
        AmendContract(
            employee_id=employee_id,
            terms=dataclasses.replace(welder, job_title="Cheffe d'équipe"),
            effective_on=date(2024, 6, 1),
        ),
    )
    app.handle(
        a_request(),
        CorrectContract(employee_id=employee_id, hire_date=date(2024, 1, 8), terms=welder),
    )
    app.handle(
        a_request(),
        CloseContract(
            employee_id=employee_id, last_day=date(2024, 8, 31), reason=ExitReason.RESIGNATION
        ),
    )
    app.handle(
        a_request(),
        RehireEmployee(
            employee_id=employee_id,
            hire_date=date(2024, 10, 1),
            terms=ContractTerms("Magasinière", ContractType.CDD, planned_end=date(2025, 3, 31)),
        ),
    )
    declared = app.handle(
        a_request(),
        DeclareDeterminant(
            employee_id=employee_id,
            determinant=FollowUpDeterminant.EMPLOYER_DECLARED_RISK,
            started_on=date(2024, 10, 1),
            note="Travail isolé en chambre froide",
        ),
    ).created_id
    assert declared is not None
    app.handle(
        a_request(),
        AssignWorkSituation(
            member_id=member_id,
            situation_code="psychosocial",
            employee_ids=[employee_id],
            started_on=date(2024, 10, 1),
        ),
    )
    app.handle(
        a_request(),
        WithdrawDeterminant(
            employee_id=employee_id, determinant_id=declared, last_day=date(2024, 12, 31)
        ),
    )
    wrong = app.handle(
        a_request(),
        DeclareDeterminant(
            employee_id=employee_id,
            determinant=FollowUpDeterminant.NIGHT_WORK,
            started_on=date(2024, 10, 1),
        ),
    ).created_id
    assert wrong is not None
    app.handle(
        a_request(),
        RetractDeterminant(
            employee_id=employee_id, determinant_id=wrong, error_note="Saisi par erreur"
        ),
    )
    exposure = app.handle(
        a_request(),
        RecordExposure(
            employee_id=employee_id,
            agent=CmrAgent(AgentKind.SUBSTANCE, "Benzène", CasNumber("71-43-2")),
            started_on=date(2024, 10, 1),
            routes=(ExposureRoute.INHALATION, ExposureRoute.SKIN),
            hours_per_week=Decimal("4.50"),
            degree=ExposureDegree.MODERATE,
            comment="Nettoyage des cuves",
        ),
    ).created_id
    assert exposure is not None
    app.handle(
        a_request(),
        EndExposure(employee_id=employee_id, exposure_id=exposure, last_day=date(2024, 11, 30)),
    )
    process = app.handle(
        a_request(),
        RecordExposure(
            employee_id=employee_id,
            agent=CmrAgent(AgentKind.PROCESS, "Poussières de bois inhalables"),
            started_on=date(2024, 10, 1),
            ended_on=date(2024, 10, 31),
        ),
    ).created_id
    assert process is not None
    app.handle(
        a_request(),
        WithdrawExposure(
            employee_id=employee_id, exposure_id=process, error_note="Pas de bois dans cet atelier"
        ),
    )
    # IdentityErased without destroying the key: erasure itself is tested in test_application;
    # here the identity written earlier must still read back as it was.
    employee = app.repository.get(employee_id)
    employee.record_identity_erasure(a_request().actor)
    app.save(employee)
    retired = app.handle(
        a_request(),
        HireEmployee(
            member_id=member_id,
            identity=an_identity(first_name="Jean", nir=None),
            hire_date=date(2005, 1, 3),
            terms=welder,
        ),
    ).aggregate_id
    app.handle(
        a_request(),
        CloseContract(
            employee_id=retired, last_day=date(2005, 12, 30), reason=ExitReason.RETIREMENT
        ),
    )
    # RetentionEnded without destroying the keys, as IdentityErased above.
    ended = app.repository.get(retired)
    ended.end_retention(date(2046, 1, 2), a_request().actor)
    app.save(ended)

    assessment_id = every_risk_assessment_event(app, member_id, employee_id)
    declaration = every_campaign_and_declaration_event(app, member_id)
    catalogue_edits_id = every_catalogue_edit_event(app)
    billing_ids = every_billing_event(app)
    convened_id = app.handle(
        a_request(),
        HireEmployee(
            member_id=member_id,
            identity=an_identity(first_name="Paul", nir=None),
            hire_date=date(2024, 3, 4),
            terms=welder,
        ),
    ).aggregate_id
    visits_ids = every_visits_event(app, member_id, convened_id)

    app.handle(
        a_request(),
        TerminateMembership(
            member_id=member_id, reason="Cessation d'activité", effective_on=date(2025, 6, 30)
        ),
    )
    return [
        member_id,
        employee_id,
        *accounts,
        assessment_id,
        declaration.campaign_id,
        declaration.declaration_id,
        declaration.handler_id,
        held_claim(app, Email("ines.garnier@exemple.fr"))[1],
        catalogue_edits_id,
        *billing_ids,
        convened_id,
        retired,
        *visits_ids,
        *identity_marks(app),
    ]


def identity_marks(app: Registre) -> list[UUID]:
    """The marks the hires and the identity correction took (`identity_marks`)."""
    topics = app.select_notifications(1, 10_000)
    return list(dict.fromkeys(n.originator_id for n in topics if "IdentityMark" in n.topic))


# Tests -----------------------------------------------------------------------------------------


def test_the_event_classes_are_found() -> None:
    member_events = concrete_event_classes(Member)
    employee_events = concrete_event_classes(Employee)
    account_events = concrete_event_classes(Account)

    assert Member.Registered in member_events  # type: ignore[attr-defined]
    assert Employee.Hired in employee_events  # type: ignore[attr-defined]
    assert Account.Opened in account_events  # type: ignore[attr-defined]
    assert Member.Event not in member_events
    assert Employee.Created not in employee_events
    assert Account.Created not in account_events
    assert Member.UserAdded in member_events  # type: ignore[attr-defined]
    assert len(member_events) >= 23
    assert len(employee_events) >= 13
    assert len(account_events) == 9
    assert len(concrete_event_classes(RiskAssessment)) == 14
    assert RiskAssessment.Created not in concrete_event_classes(RiskAssessment)
    assert len(concrete_event_classes(Campaign)) == 2
    assert len(concrete_event_classes(Declaration)) == 14
    assert Declaration.Started in concrete_event_classes(Declaration)  # type: ignore[attr-defined]
    assert Declaration.Created not in concrete_event_classes(Declaration)


def test_every_aggregate_of_the_application_is_covered() -> None:
    assert {Member, Employee, Account, RiskAssessment, Campaign, Declaration} <= set(EVENT_SOURCED)


def test_every_event_reads_back_with_its_exact_state(
    recording_app: RecordingRegistre, open_app: Callable[[], Registre]
) -> None:
    aggregate_ids = every_event(recording_app)
    saved = recording_app.saved

    emitted = {type(e) for e in saved}
    every_class = {cls for aggregate in EVENT_SOURCED for cls in concrete_event_classes(aggregate)}
    missing = every_class - emitted
    assert not missing, f"the scenario emits no {sorted(c.__qualname__ for c in missing)}"
    assert {e.originator_id for e in saved} == set(aggregate_ids)

    reader = open_app()
    for aggregate_id in aggregate_ids:
        originals = [e for e in saved if e.originator_id == aggregate_id]
        stored = list(reader.events.get(aggregate_id))
        assert len(stored) == len(originals)
        for original, read in zip(originals, stored, strict=True):
            name = f"{type(original).__qualname__} v{original.originator_version}"
            assert type(read) is type(original), name
            assert_identical(vars(read), vars(original), name)


def test_aggregates_rebuilt_by_a_new_application_equal_the_originals(
    recording_app: RecordingRegistre, open_app: Callable[[], Registre]
) -> None:
    aggregate_ids = every_event(recording_app)

    reader = open_app()
    for aggregate_id in aggregate_ids:
        written = None
        for event in recording_app.saved:
            if event.originator_id == aggregate_id:
                written = event.mutate(written)
        loaded = reader.repository.get(aggregate_id)
        assert_same_state(loaded, written)


def test_a_snapshot_of_every_aggregate_state_reads_back_exactly(
    recording_app: RecordingRegistre, open_app: Callable[[], Registre]
) -> None:
    aggregate_ids = every_event(recording_app)
    for aggregate_id in aggregate_ids:
        recording_app.take_snapshot(aggregate_id)

    reader = open_app()
    assert reader.snapshots is not None
    for aggregate_id in aggregate_ids:
        (snapshot,) = reader.snapshots.get(aggregate_id, desc=True, limit=1)
        from_snapshot = snapshot.mutate(None)  # type: ignore[attr-defined]
        assert_same_state(from_snapshot, rebuilt_from_events(reader, aggregate_id))


def test_the_frozen_copy_of_a_confirmed_declaration_is_sealed_and_reads_back(
    recording_app: RecordingRegistre, open_app: Callable[[], Registre]
) -> None:
    every_event(recording_app)
    (confirmed,) = [e for e in recording_app.saved if type(e).__name__ == "DeclarationConfirmed"]
    declaration_id = confirmed.originator_id
    assert confirmed.frozen.startswith("{")
    assert confirmed.content_hash == content_hash(confirmed.frozen)

    reader = open_app()
    (raw,) = [
        e.state
        for e in reader.recorder.select_events(declaration_id)
        if e.originator_version == confirmed.originator_version
    ]
    assert confirmed.frozen.encode() not in raw
    assert b"Soudeuse au chalumeau" not in raw
    assert b'"frozen":{"$sealed":"health"' in raw
    assert confirmed.content_hash.encode() in raw, "the hash stays readable"

    (read,) = [
        e
        for e in reader.events.get(declaration_id)
        if e.originator_version == confirmed.originator_version
    ]
    assert type(read) is type(confirmed)
    assert_identical(read.frozen, confirmed.frozen, "frozen")
    assert read.content_hash == content_hash(read.frozen)
    assert reader.repository.get(declaration_id).confirmed_hash is None, "reopened since"


def hire_with_many_events(app: Registre, count: int) -> UUID:
    """An employee with 1 + `count` events (pairs of recorded and ended exposures)."""
    member_id = app.handle(
        a_request(),
        RegisterMember(member_code="00020", declarant_number="12345678", legal_name="Martin SAS"),
    ).aggregate_id
    employee_id = app.handle(
        a_request(),
        HireEmployee(
            member_id=member_id,
            identity=an_identity(),
            hire_date=date(2020, 1, 6),
            terms=ContractTerms("Peintre", ContractType.CDI),
        ),
    ).aggregate_id
    employee: Employee = app.repository.get(employee_id)
    agent = CmrAgent(AgentKind.SUBSTANCE, "Trichloréthylène", CasNumber("79-01-6"))
    actor = a_request().actor
    for week in range(count // 2):
        started_on = date.fromordinal(date(2020, 1, 6).toordinal() + 7 * week)
        exposure_id = employee.record_exposure(
            agent, started_on, actor, hours_per_week=Decimal("2.5")
        )
        employee.end_exposure(exposure_id, started_on, actor)
    if count % 2:
        employee.declare_determinant(FollowUpDeterminant.CMR_AGENTS, date(2020, 1, 6), actor)
    app.save(employee)
    return employee_id


def test_an_employee_with_many_events_is_snapshotted(
    app: Registre, open_app: Callable[[], Registre]
) -> None:
    employee_id = hire_with_many_events(app, 2 * SNAPSHOT_INTERVAL + 11)

    reader = open_app()
    assert reader.snapshots is not None
    (snapshot,) = reader.snapshots.get(employee_id, desc=True, limit=1)
    assert snapshot.originator_version == 2 * SNAPSHOT_INTERVAL
    loaded = reader.repository.get(employee_id)
    rebuilt = rebuilt_from_events(reader, employee_id)
    assert loaded.version == 2 * SNAPSHOT_INTERVAL + 12
    assert_same_state(loaded, rebuilt)
    at_snapshot = rebuilt_from_events(reader, employee_id, lte=snapshot.originator_version)
    assert_same_state(snapshot.mutate(None), at_snapshot)  # type: ignore[attr-defined]


def test_commands_on_a_snapshotted_employee_continue_from_the_snapshot(
    app: Registre, open_app: Callable[[], Registre]
) -> None:
    employee_id = hire_with_many_events(app, SNAPSHOT_INTERVAL)

    writer = open_app()
    result: CommandResult = writer.handle(
        a_request(),
        DeclareDeterminant(
            employee_id=employee_id,
            determinant=FollowUpDeterminant.NIGHT_WORK,
            started_on=date(2021, 1, 4),
        ),
    )

    assert result.version == SNAPSHOT_INTERVAL + 2
    reloaded = open_app().employee(employee_id)
    assert reloaded.determinants_on(date(2021, 1, 4)) == frozenset({FollowUpDeterminant.NIGHT_WORK})
    assert reloaded.identity == an_identity().validated()


def test_an_employee_snapshotted_before_any_health_record_stays_readable(
    app: Registre, open_app: Callable[[], Registre]
) -> None:
    member_id = app.handle(
        a_request(),
        RegisterMember(member_code="00030", declarant_number="12345678", legal_name="Martin SAS"),
    ).aggregate_id
    employee_id = app.handle(
        a_request(),
        HireEmployee(
            member_id=member_id,
            identity=an_identity(),
            hire_date=date(2020, 1, 6),
            terms=ContractTerms("Peintre", ContractType.CDI),
        ),
    ).aggregate_id
    employee: Employee = app.repository.get(employee_id)
    for number in range(SNAPSHOT_INTERVAL - 1):
        employee.correct_identity(an_identity(usage_name=f"Nom{'x' * number}"), a_request().actor)
    app.save(employee)
    assert app.snapshots is not None
    assert [s.originator_version for s in app.snapshots.get(employee_id)] == [SNAPSHOT_INTERVAL]

    reader = open_app()
    assert reader.employee(employee_id).determinants == ()
    reader.handle(
        a_request(),
        DeclareDeterminant(
            employee_id=employee_id,
            determinant=FollowUpDeterminant.ASBESTOS,
            started_on=date(2020, 2, 3),
        ),
    )
    assert open_app().employee(employee_id).determinants_on(date(2020, 2, 3)) == frozenset(
        {FollowUpDeterminant.ASBESTOS}
    )
