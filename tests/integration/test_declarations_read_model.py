"""The DECLARATIONS read model on both stores: campaigns listed, a member's declarations across
years with each status (NOT_ENTERABLE for a suspended or terminated member and for a campaign
not open on the day asked), steps with their progress and which are open (by the domain's own
rule), confirmations kept exactly as sent and kept across a reopening, and a rebuild that gives
the very same rows.

The application checks that a campaign is open on the real day: campaigns here open on past
days and stay open until the test closes them (on a past day too), so the queries can be asked
about fixed days."""

import hashlib
from datetime import date
from decimal import Decimal
from uuid import UUID, uuid4

import pytest

from application.accounts.commands import AddMemberUser, NewAccount
from application.catalogues.loader import default_catalogues
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
    ReopenDeclaration,
    TransferDeclaration,
)
from application.members.commands import (
    AddContact,
    AssignInterlocutor,
    ChangeAddress,
    ChangeAdministrativeInformation,
    RegisterMember,
    ResumeMembership,
    SuspendMembership,
    TerminateMembership,
)
from application.registre import Registre
from application.requests import Request
from domain.accounts.access import Role
from domain.address import Address, Coordinates
from domain.catalogues.model import Question
from domain.catalogues.question_kinds import QuestionKind
from domain.contact_details import Email
from domain.declaration.declaration import Declaration
from domain.declaration.steps import STEPS, Answer, DeclarationStatus, Step
from domain.identifiers import Siret
from domain.members.organisation import AddressKind, Contact, Interlocutor
from domain.money import Money
from projections.declaration.declarations import DeclarationQueries, Declarations
from projections.declaration.views import CampaignView, ConfirmationView, DeclarationView
from projections.model import ActiveGenerations, table_prefix
from projections.runner import ProjectionRunner
from projections.store import ReadStore, Row
from projections.timeline import from_instant, instant
from tests.account_ids import account_id
from tests.composers import FixedCopy

DECLARANT_NUMBERS = {"00010": "73915284", "00020": "48201937"}
SIRET = Siret("73282932000074")
TODAY = date(2025, 6, 2)
"""The day the queries are asked about. Every campaign opens on 6 January of its year; those a
test closes are closed on 1 July of their year, so before TODAY."""
FROZEN = (
    '{"année":2024,"membre":{"raison_sociale":"Boulangérie du Parc","siret":"73282932000074"},'
    '"salariés":[{"nom":"N\'Diaye","prénom":"Awa","catégorie":"SIR"}],'
    '"montant_ttc":"1234.50","outil":null,"a":[1,2.5,true]}'
)
"""A frozen copy as the read side builds it; the read model keeps it to the byte, whatever it
holds (accents, key order, numbers as written)."""
SECOND_FROZEN = FROZEN.replace("1234.50", "1329.30")


@pytest.fixture
def runner(app: Registre, read_store: ReadStore) -> ProjectionRunner:
    projection_runner = ProjectionRunner(app, read_store, [Declarations], batch_size=4)
    projection_runner.setup()
    return projection_runner


@pytest.fixture
def queries(read_store: ReadStore) -> DeclarationQueries:
    return DeclarationQueries(read_store, ActiveGenerations(read_store, refresh_seconds=0))


def a_request(user: str = "staff-1", on_behalf_of: UUID | None = None) -> Request:
    return Request.by(str(uuid4()), user, on_behalf_of=on_behalf_of)


def open_campaign(app: Registre, year: int, tool_price: str = "150") -> None:
    app.handle(
        a_request(),
        OpenCampaign(
            year=year,
            opens_on=date(year, 1, 6),
            deadline=date(year, 3, 31),
            rate_per_capita=Money.euros("79.5"),
            tool_price=Money.euros(tool_price),
        ),
    )


def close_campaign(app: Registre, year: int) -> None:
    app.handle(a_request(), CloseCampaign(year=year, closed_on=date(year, 7, 1)))


def register(app: Registre, member_code: str = "00010") -> UUID:
    member_id = app.handle(
        a_request(),
        RegisterMember(
            member_code=member_code,
            declarant_number=DECLARANT_NUMBERS[member_code],
            legal_name="Boulangérie du Parc",
        ),
    ).aggregate_id
    furnish(app, member_id)
    return member_id


def furnish(app: Registre, member_id: UUID) -> None:
    """What step 1 (SIRET, CSE, three addresses, the worksite on the map) and step 2 (a legal
    representative) ask of the member's own records."""
    app.handle(
        a_request(),
        ChangeAdministrativeInformation(
            member_id=member_id,
            legal_name="Boulangérie du Parc",
            siret=SIRET,
            vat_number=None,
            has_cse=True,
        ),
    )
    address = Address(lines=("12 rue des Lilas",), postal_code="69003", city="Lyon")
    worksite = address.confirmed_at(Coordinates(45.76, 4.85))
    app.handle(
        a_request(), ChangeAddress(member_id=member_id, kind=AddressKind.WORKSITE, address=worksite)
    )
    app.handle(
        a_request(), ChangeAddress(member_id=member_id, kind=AddressKind.BILLING, address=address)
    )
    app.handle(
        a_request(),
        ChangeAddress(member_id=member_id, kind=AddressKind.CONVOCATION, address=address),
    )
    contact = Contact(0, "Martin", "Claire", "Gérante", email=Email("claire@martin.fr"))
    app.handle(a_request(), AddContact(member_id=member_id, contact=contact))
    legal = Interlocutor.LEGAL_REPRESENTATIVE
    app.handle(a_request(), AssignInterlocutor(member_id=member_id, role=legal, contact_id=1))


def an_answer(question: Question) -> Answer:
    """A valid answer of each kind (the first choices, the lowest number allowed…)."""
    match question.kind:
        case QuestionKind.YES_NO:
            return False
        case QuestionKind.NUMBER:
            lowest = question.minimum or 0
            return int(lowest) if question.integer else lowest + 0.5
        case QuestionKind.CHOICE:
            return question.choices[0]
        case QuestionKind.MULTI_CHOICE:
            return list(question.choices[:2])
        case QuestionKind.TEXT:
            return "Boulangerie artisanale, « fournil » au sous-sol"


def answer_prevention(app: Registre, member_id: UUID, year: int) -> None:
    """Every question of the six themes of step 4 answered."""
    for theme in default_catalogues().prevention_themes:
        answers = {question.id: an_answer(question) for question in theme.questions}
        app.handle(
            a_request(),
            AnswerPrevention(
                member_id=member_id,
                year=year,
                theme=theme.code,
                answers=answers,
            ),
        )


def complete(app: Registre, member_id: UUID, year: int, *steps: Step) -> None:
    for step in steps:
        if step is Step.PREVENTION:
            answer_prevention(app, member_id, year)
        if step is Step.RISKS:
            app.handle(
                a_request(),
                AddRisk(member_id=member_id, year=year, risk_code="noise"),
            )
        app.handle(
            a_request(),
            CompleteDeclarationStep(member_id=member_id, year=year, step=step),
        )


REQUIRED = (
    Step.COMPANY,
    Step.CONTACTS,
    Step.WORKFORCE,
    Step.PREVENTION,
    Step.RISKS,
    Step.SITUATIONS_AND_CMR,
)


def confirm(
    app: Registre,
    member_id: UUID,
    year: int,
    frozen: str = FROZEN,
    *,
    user: str = "staff-1",
    on_behalf_of: UUID | None = None,
) -> None:
    """Confirm with a given frozen copy: how the read side composes it is not this model's
    concern, only that it keeps the text it was given."""
    app.compose_declarations_with(FixedCopy(frozen))
    app.handle(a_request(user, on_behalf_of), ConfirmDeclaration(member_id=member_id, year=year))


def statuses(views: list[DeclarationView]) -> list[tuple[int, DeclarationStatus]]:
    return [(view.year, view.status) for view in views]


def read_rows(read_store: ReadStore, generation: int) -> dict[str, list[Row]]:
    prefix = table_prefix(Declarations.name, generation)
    return {
        base: sorted(read_store.read(f"SELECT * FROM {prefix}{base}"), key=repr)
        for base in Declarations.tables
    }


# Campaigns ------------------------------------------------------------------------------------


def test_campaigns_are_listed_newest_first_with_their_prices_and_dates(
    app: Registre, runner: ProjectionRunner, queries: DeclarationQueries
) -> None:
    open_campaign(app, 2023)
    open_campaign(app, 2025, tool_price="0")
    open_campaign(app, 2024, tool_price="149.99")
    close_campaign(app, 2023)

    runner.catch_up()

    assert [c.year for c in queries.campaigns()] == [2025, 2024, 2023]
    assert queries.campaign(2024) == CampaignView(
        year=2024,
        opens_on=date(2024, 1, 6),
        deadline=date(2024, 3, 31),
        rate_per_capita=Decimal("79.50"),
        tool_price=Decimal("149.99"),
        reference_date=date(2023, 12, 31),
        closed_on=None,
    )
    closed = queries.campaign(2023)
    assert closed is not None
    assert closed.closed_on == date(2023, 7, 1)
    newest = queries.campaigns()[0]
    assert queries.campaign(2025) == newest
    assert (newest.tool_price, newest.rate_per_capita) == (Decimal("0.00"), Decimal("79.50"))
    assert queries.campaign(2030) is None


def test_a_campaign_view_is_open_on_the_same_days_as_the_campaign(
    app: Registre, runner: ProjectionRunner, queries: DeclarationQueries
) -> None:
    open_campaign(app, 2023)
    close_campaign(app, 2023)
    open_campaign(app, 2024)
    runner.catch_up()

    for year in (2023, 2024):
        campaign, view = app.find_campaign(year), queries.campaign(year)
        assert campaign is not None
        assert view is not None
        for day in (date(2023, 1, 5), date(2023, 1, 6), date(2023, 7, 1), date(2024, 2, 1)):
            assert view.is_open_on(day) == campaign.is_open_on(day), (year, day)


# A member's declarations ----------------------------------------------------------------------


def test_a_members_declarations_have_one_row_per_campaign_with_each_status(
    app: Registre, runner: ProjectionRunner, queries: DeclarationQueries
) -> None:
    """2022 confirmed then closed, 2023 started then closed, 2024 in progress, 2025 untouched."""
    member_id = register(app)
    for year in (2022, 2023, 2024, 2025):
        open_campaign(app, year)
    complete(app, member_id, 2022, *REQUIRED)
    confirm(app, member_id, 2022)
    complete(app, member_id, 2023, Step.COMPANY)
    complete(app, member_id, 2024, Step.COMPANY, Step.CONTACTS)
    close_campaign(app, 2022)
    close_campaign(app, 2023)

    runner.catch_up()

    assert statuses(queries.declarations_of(member_id, TODAY)) == [
        (2025, DeclarationStatus.TO_ENTER),
        (2024, DeclarationStatus.IN_PROGRESS),
        (2023, DeclarationStatus.NOT_ENTERABLE),
        (2022, DeclarationStatus.CONFIRMED),
    ]
    assert statuses(queries.declarations_of(member_id, date(2024, 12, 1))) == [
        (2025, DeclarationStatus.NOT_ENTERABLE),  # not open yet on that day
        (2024, DeclarationStatus.IN_PROGRESS),
        (2023, DeclarationStatus.NOT_ENTERABLE),
        (2022, DeclarationStatus.CONFIRMED),
    ]
    in_2023 = queries.declaration(member_id, 2023)
    assert in_2023 is not None
    assert in_2023.status is DeclarationStatus.IN_PROGRESS, "NOT_ENTERABLE is only derived"
    assert queries.declarations_of(member_id, TODAY)[1] == queries.declaration(member_id, 2024)


def test_a_declaration_never_started_is_to_enter_when_its_campaign_exists(
    app: Registre, runner: ProjectionRunner, queries: DeclarationQueries
) -> None:
    member_id = register(app)
    open_campaign(app, 2025)
    runner.catch_up()

    view = queries.declaration(member_id, 2025)

    assert view is not None
    assert (view.declaration_id, view.member_id, view.year, view.edition) == (
        Declaration.create_id(member_id, 2025),
        member_id,
        2025,
        1,
    )
    assert view.status is DeclarationStatus.TO_ENTER
    assert [(s.completed, s.revision) for s in view.steps] == [(False, 0)] * len(STEPS)
    assert [s.step for s in view.steps if s.open] == [Step.COMPANY]
    assert (view.prevention, view.risks, view.declined_risks) == ({}, [], [])
    assert (view.started_at, view.updated_at, view.version) == (None, None, 0)
    assert queries.declaration(member_id, 2024) is None, "no campaign in 2024"


def test_a_suspended_or_terminated_member_can_enter_no_declaration(
    app: Registre, runner: ProjectionRunner, queries: DeclarationQueries
) -> None:
    member_id = register(app)
    other_id = register(app, "00020")
    for year in (2024, 2025):
        open_campaign(app, year)
    complete(app, member_id, 2024, *REQUIRED)
    confirm(app, member_id, 2024)
    complete(app, member_id, 2025, Step.COMPANY)
    app.handle(
        a_request(),
        SuspendMembership(
            member_id=member_id, reason="Cotisation impayée", effective_on=date(2025, 5, 1)
        ),
    )
    runner.catch_up()

    suspended = queries.declarations_of(member_id, TODAY)
    assert statuses(suspended) == [
        (2025, DeclarationStatus.NOT_ENTERABLE),
        (2024, DeclarationStatus.NOT_ENTERABLE),
    ]
    assert statuses(queries.declarations_of(other_id, TODAY)) == [
        (2025, DeclarationStatus.TO_ENTER),
        (2024, DeclarationStatus.TO_ENTER),
    ]
    assert len(queries.confirmations(member_id, 2024)) == 1, "the confirmation stays"

    app.handle(a_request(), ResumeMembership(member_id=member_id, effective_on=date(2025, 6, 1)))
    runner.catch_up()
    assert statuses(queries.declarations_of(member_id, TODAY)) == [
        (2025, DeclarationStatus.IN_PROGRESS),
        (2024, DeclarationStatus.CONFIRMED),
    ]

    app.handle(
        a_request(),
        TerminateMembership(
            member_id=member_id, reason="Cessation d'activité", effective_on=date(2025, 6, 30)
        ),
    )
    runner.catch_up()
    assert {view.status for view in queries.declarations_of(member_id, TODAY)} == {
        DeclarationStatus.NOT_ENTERABLE
    }
    assert queries.declarations_of(uuid4(), TODAY) == []


# Steps -------------------------------------------------------------------------------------------


def assert_steps_match_the_aggregate(
    app: Registre, queries: DeclarationQueries, member_id: UUID, year: int
) -> DeclarationView:
    """The view's steps are the aggregate's: progress, revisions, and `is_open`."""
    view = queries.declaration(member_id, year)
    assert view is not None
    declaration = app.declaration(member_id, year, a_request())
    assert [s.step for s in view.steps] == list(STEPS)
    assert [(s.completed, s.revision, s.open) for s in view.steps] == [
        (
            declaration.progress[s].completed,
            declaration.progress[s].revision,
            declaration.is_open(s),
        )
        for s in STEPS
    ]
    assert (view.status, view.edition, view.version) == (
        declaration.status,
        declaration.edition,
        declaration.version,
    )
    assert view.started_at == from_instant(instant(declaration.created_on))
    assert view.updated_at == from_instant(instant(declaration.modified_on))
    return view


def test_steps_show_their_progress_and_which_ones_are_open(
    app: Registre, runner: ProjectionRunner, queries: DeclarationQueries
) -> None:
    member_id = register(app)
    open_campaign(app, 2025)
    complete(app, member_id, 2025, Step.COMPANY, Step.CONTACTS, Step.WORKFORCE)
    runner.catch_up()

    view = assert_steps_match_the_aggregate(app, queries, member_id, 2025)
    assert view.status is DeclarationStatus.IN_PROGRESS
    assert [(s.number, s.label, s.completed, s.open) for s in view.steps] == [
        ("1", "informations administratives", True, True),
        ("2", "utilisateurs et contacts", True, True),
        ("3", "effectif", True, True),
        ("4", "informations de prévention", False, True),
        ("5", "risques dans votre entreprise", False, False),
        ("6 à 8", "outil d'évaluation des risques", False, False),
        ("9", "situations de travail et agents CMR", False, False),
        ("10", "récapitulatif", False, False),
    ]

    complete(app, member_id, 2025, Step.PREVENTION, Step.RISKS)
    app.handle(
        a_request(),
        DeclineRisk(member_id=member_id, year=2025, risk_code="cold"),
    )
    app.handle(
        a_request(),
        AddRisk(member_id=member_id, year=2025, risk_code="heat"),
    )
    runner.catch_up()

    view = assert_steps_match_the_aggregate(app, queries, member_id, 2025)
    risks = view.steps[STEPS.index(Step.RISKS)]
    assert (risks.completed, risks.revision) == (False, 4), "changed again after its validation"
    assert (view.risks, view.declined_risks) == (
        ["noise", "heat"],
        ["cold"],
    )
    assert [s.step for s in view.steps if s.open] == [*STEPS[:5]]

    complete(app, member_id, 2025, Step.RISKS)
    runner.catch_up()
    view = assert_steps_match_the_aggregate(app, queries, member_id, 2025)
    closed = [s.step for s in view.steps if not s.open]
    assert closed == [Step.RECAP], "the optional tool does not hold up step 9"


def test_the_declarations_own_answers_are_shown(
    app: Registre, runner: ProjectionRunner, queries: DeclarationQueries
) -> None:
    member_id = register(app)
    open_campaign(app, 2025, tool_price="150")
    person = NewAccount(
        email=Email("elodie@lefevre.fr"), last_name="Lefèvre", first_name="Élodie", function="RH"
    )
    app.handle(
        a_request(),
        AddMemberUser(
            member_id=member_id,
            person=person,
            roles=frozenset({Role.DECLARATION}),
            third_party_declarant=False,
        ),
    )
    complete(app, member_id, 2025, Step.COMPANY, Step.CONTACTS, Step.WORKFORCE)
    app.handle(
        a_request(),
        TransferDeclaration(
            member_id=member_id, year=2025, account_id=account_id(app, person.email)
        ),
    )
    complete(app, member_id, 2025, Step.PREVENTION, Step.RISKS)
    app.handle(
        a_request(),
        ChooseRiskTool(member_id=member_id, year=2025, subscribed=True),
    )
    complete(app, member_id, 2025, Step.SITUATIONS_AND_CMR)
    app.handle(
        a_request(),
        GivePurchaseOrder(member_id=member_id, year=2025, purchase_order="  BC-2025-042 "),
    )
    app.handle(a_request(), AcceptTermsOfSale(member_id=member_id, year=2025))
    runner.catch_up()

    view = assert_steps_match_the_aggregate(app, queries, member_id, 2025)
    assert view.handled_by == account_id(app, person.email)
    assert (view.tool_subscribed, view.tool_price) == (True, Decimal("150.00"))
    assert (view.purchase_order, view.terms_accepted) == ("BC-2025-042", True)

    app.handle(
        a_request(),
        ChooseRiskTool(member_id=member_id, year=2025, subscribed=False),
    )
    runner.catch_up()
    view = assert_steps_match_the_aggregate(app, queries, member_id, 2025)
    assert (view.tool_subscribed, view.tool_price) == (False, None)


def test_prevention_answers_are_shown_as_answered(
    app: Registre, runner: ProjectionRunner, queries: DeclarationQueries
) -> None:
    member_id = register(app)
    open_campaign(app, 2025)
    complete(app, member_id, 2025, Step.COMPANY, Step.CONTACTS, Step.WORKFORCE)
    themes = default_catalogues().prevention_themes
    activity = {q.id: an_answer(q) for q in themes[0].questions}
    app.handle(
        a_request(),
        AnswerPrevention(
            member_id=member_id,
            year=2025,
            theme=themes[0].code,
            answers=activity,
        ),
    )
    runner.catch_up()

    view = assert_steps_match_the_aggregate(app, queries, member_id, 2025)
    assert view.prevention == {themes[0].code: activity}
    assert not view.steps[STEPS.index(Step.PREVENTION)].completed

    answer_prevention(app, member_id, 2025)
    complete(app, member_id, 2025, Step.PREVENTION)
    runner.catch_up()

    view = assert_steps_match_the_aggregate(app, queries, member_id, 2025)
    declaration = app.declaration(member_id, 2025, a_request())
    assert view.prevention == declaration.prevention
    assert set(view.prevention) == {theme.code for theme in themes}
    answered = [a for answers in view.prevention.values() for a in answers.values()]
    assert {type(a) for a in answered} == {bool, int, float, str, list}
    assert view.steps[STEPS.index(Step.PREVENTION)].completed


# Confirmations -------------------------------------------------------------------------------


def test_a_confirmation_keeps_the_frozen_copy_and_its_hash_exactly(
    app: Registre, runner: ProjectionRunner, queries: DeclarationQueries, read_store: ReadStore
) -> None:
    member_id = register(app)
    open_campaign(app, 2024)
    complete(app, member_id, 2024, *REQUIRED)
    confirm(app, member_id, 2024, user="accountant-7", on_behalf_of=member_id)
    runner.catch_up()

    declaration = app.declaration(member_id, 2024, a_request())
    (confirmation,) = queries.confirmations(member_id, 2024)
    assert confirmation == ConfirmationView(
        declaration_id=declaration.id,
        member_id=member_id,
        year=2024,
        edition=1,
        confirmed_at=from_instant(instant(declaration.modified_on)),
        content_hash=hashlib.sha256(FROZEN.encode()).hexdigest(),
        frozen=FROZEN,
        confirmed_by="accountant-7",
        on_behalf_of=member_id,
        reopened_at=None,
        reopen_reason=None,
    )
    assert confirmation.content_hash == declaration.confirmed_hash
    assert queries.confirmation(member_id, 2024, 1) == confirmation
    assert queries.confirmation(member_id, 2024, 2) is None
    view = assert_steps_match_the_aggregate(app, queries, member_id, 2024)
    assert view.status is DeclarationStatus.CONFIRMED
    assert view.steps[-1].completed, "step 10 is validated by the confirmation"
    stored = read_rows(read_store, 1)["confirmations"]
    assert [row[6] for row in stored] == [FROZEN], "the very text of the event"


def test_a_reopening_keeps_the_first_confirmation_and_the_next_is_a_second_row(
    app: Registre, runner: ProjectionRunner, queries: DeclarationQueries
) -> None:
    member_id = register(app)
    open_campaign(app, 2024)
    complete(app, member_id, 2024, *REQUIRED)
    confirm(app, member_id, 2024)
    app.handle(
        a_request(), ReopenDeclaration(member_id=member_id, year=2024, reason="Effectif erroné")
    )
    runner.catch_up()

    reopened = assert_steps_match_the_aggregate(app, queries, member_id, 2024)
    assert (reopened.edition, reopened.status) == (2, DeclarationStatus.IN_PROGRESS)
    (first,) = queries.confirmations(member_id, 2024)
    assert (first.edition, first.frozen, first.reopen_reason) == (1, FROZEN, "Effectif erroné")
    assert first.reopened_at is not None
    assert first.reopened_at > first.confirmed_at

    confirm(app, member_id, 2024, SECOND_FROZEN)
    runner.catch_up()

    again = assert_steps_match_the_aggregate(app, queries, member_id, 2024)
    assert (again.edition, again.status) == (2, DeclarationStatus.CONFIRMED)
    both = queries.confirmations(member_id, 2024)
    assert [(c.edition, c.frozen, c.content_hash) for c in both] == [
        (1, FROZEN, hashlib.sha256(FROZEN.encode()).hexdigest()),
        (2, SECOND_FROZEN, hashlib.sha256(SECOND_FROZEN.encode()).hexdigest()),
    ]
    assert both[0] == first, "the first confirmation is untouched"
    assert (both[1].reopened_at, both[1].reopen_reason) == (None, None)
    assert queries.confirmation(member_id, 2024, 2) == both[1]
    assert queries.confirmations(member_id, 2025) == []


# Rebuild -----------------------------------------------------------------------------------------


def test_a_rebuild_gives_the_very_same_rows(
    app: Registre,
    runner: ProjectionRunner,
    queries: DeclarationQueries,
    read_store: ReadStore,
) -> None:
    member_id = register(app)
    other_id = register(app, "00020")
    for year in (2023, 2024, 2025):
        open_campaign(app, year)
    complete(app, member_id, 2023, *REQUIRED)
    confirm(app, member_id, 2023, user="accountant-7", on_behalf_of=member_id)
    runner.run_once()
    app.handle(
        a_request(), ReopenDeclaration(member_id=member_id, year=2023, reason="Effectif erroné")
    )
    confirm(app, member_id, 2023, SECOND_FROZEN)
    close_campaign(app, 2023)
    complete(app, member_id, 2024, Step.COMPANY, Step.CONTACTS)
    complete(app, other_id, 2025, *REQUIRED[:5])
    app.handle(
        a_request(),
        ChooseRiskTool(member_id=other_id, year=2025, subscribed=True),
    )
    complete(app, other_id, 2025, Step.SITUATIONS_AND_CMR)
    app.handle(
        a_request(),
        GivePurchaseOrder(member_id=other_id, year=2025, purchase_order="BC-17"),
    )
    app.handle(a_request(), AcceptTermsOfSale(member_id=other_id, year=2025))
    confirm(app, other_id, 2025)
    app.handle(
        a_request(),
        SuspendMembership(
            member_id=other_id, reason="Cotisation impayée", effective_on=date(2025, 5, 1)
        ),
    )
    runner.catch_up()
    live = read_rows(read_store, 1)
    before = {m: queries.declarations_of(m, TODAY) for m in (member_id, other_id)}
    confirmations = queries.confirmations(member_id, 2023)

    generation = runner.rebuild("declarations")

    assert generation == 2
    assert read_rows(read_store, 2) == live
    assert {m: queries.declarations_of(m, TODAY) for m in (member_id, other_id)} == before
    assert queries.confirmations(member_id, 2023) == confirmations
    assert [len(live[table]) for table in Declarations.tables] == [3, 3, 3, 2]
    assert statuses(before[other_id]) == [
        (2025, DeclarationStatus.NOT_ENTERABLE),
        (2024, DeclarationStatus.NOT_ENTERABLE),
        (2023, DeclarationStatus.NOT_ENTERABLE),
    ]
