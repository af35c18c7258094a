"""The ACCOUNTS read model on both stores: accounts and the members' users appear, roles and
notifications change, users are removed, a member's new legal name reaches its users' rows,
queries keep their order, e-mails are looked up whatever their case, no password hash is
stored, and a cold start or a rebuild gives the same tables."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID, uuid4

import pytest

from application.accounts.commands import (
    AddMemberUser,
    AttachMember,
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
from application.credentials import hash_secret
from application.members.commands import ChangeAdministrativeInformation, RegisterMember
from application.registre import Registre
from application.requests import Request
from domain.accounts.access import AccountKind, Notification, Role
from domain.accounts.account import LoginFailure, LoginMethod
from domain.contact_details import Email, PhoneNumber
from projections.accounts.accounts import (
    AccountQueries,
    Accounts,
    AccountView,
    Membership,
    MemberUserView,
)
from projections.model import ActiveGenerations
from projections.runner import ProjectionRunner
from projections.store import ReadStore, Row
from tests.account_ids import account_id

DECLARANT_NUMBERS = {"00010": "73915284", "00020": "48201937"}
EVERY_NOTIFICATION = sorted(n.value for n in Notification)


@pytest.fixture
def runner(app: Registre, read_store: ReadStore) -> ProjectionRunner:
    projection_runner = ProjectionRunner(app, read_store, [Accounts], batch_size=4)
    projection_runner.setup()
    return projection_runner


@pytest.fixture
def queries(read_store: ReadStore) -> AccountQueries:
    return AccountQueries(read_store, ActiveGenerations(read_store, refresh_seconds=0))


def a_request(user: str = "staff-1") -> Request:
    return Request.by(str(uuid4()), user)


def register(app: Registre, member_code: str, legal_name: str) -> UUID:
    return app.handle(
        a_request(),
        RegisterMember(
            member_code=member_code,
            declarant_number=DECLARANT_NUMBERS[member_code],
            legal_name=legal_name,
        ),
    ).aggregate_id


def a_person(email: str, first_name: str, last_name: str, mobile: str | None = None) -> NewAccount:
    return NewAccount(
        email=Email(email),
        last_name=last_name,
        first_name=first_name,
        function="Gérante",
        mobile=None if mobile is None else PhoneNumber(mobile),
    )


def create_first_account(
    app: Registre, member_code: str, person: NewAccount, *, third_party: bool = False
) -> UUID:
    return app.handle(
        a_request("anonymous"),
        CreateFirstAccount(
            member_code=member_code,
            declarant_number=DECLARANT_NUMBERS[member_code],
            person=person,
            third_party_declarant=third_party,
            password_hash=hash_secret("Premier-mot-de-passe-1"),
        ),
    ).aggregate_id


def add_user(
    app: Registre, member_id: UUID, person: NewAccount, *roles: Role, third_party: bool = False
) -> UUID:
    app.handle(
        a_request(),
        AddMemberUser(
            member_id=member_id,
            person=person,
            roles=frozenset(roles),
            third_party_declarant=third_party,
        ),
    )
    return account_id(app, person.email)


@dataclass(frozen=True)
class People:
    garage: UUID
    bakery: UUID
    marie: UUID
    elodie: UUID


@pytest.fixture
def people(app: Registre) -> People:
    """Marie opens her account with the garage's postal codes, then attaches the bakery as an
    accountant; the bakery's administrator (Marie) adds Élodie for billing and declarations."""
    garage = register(app, "00020", "Garage Dupont")
    bakery = register(app, "00010", "Boulangerie Martin")
    marie = create_first_account(
        app, "00020", a_person("Marie.Durand@Exemple.fr", "Marie", "Durand", "06 12 34 56 78")
    )
    app.handle(
        a_request(str(marie)),
        AttachMember(
            account_id=marie,
            member_code="00010",
            declarant_number=DECLARANT_NUMBERS["00010"],
            third_party_declarant=True,
        ),
    )
    elodie = add_user(
        app,
        bakery,
        a_person("elodie@lefevre.fr", "Élodie", "Lefèvre"),
        Role.DECLARATION,
        Role.BILLING,
    )
    return People(garage, bakery, marie, elodie)


def event_instants(app: Registre, aggregate_id: UUID) -> list[datetime]:
    """When each event of an aggregate was recorded, in order."""
    events: list[Any] = list(app.events.get(aggregate_id))
    return [event.timestamp for event in events]


# Accounts ------------------------------------------------------------------------------------


def test_an_account_shows_who_the_person_is(
    app: Registre, people: People, runner: ProjectionRunner, queries: AccountQueries
) -> None:
    runner.catch_up()

    marie = queries.account(people.marie)
    assert marie == AccountView(
        account_id=people.marie,
        email="Marie.Durand@exemple.fr",
        last_name="Durand",
        first_name="Marie",
        function="Gérante",
        mobile="+33612345678",
        kind=AccountKind.MEMBER_USER,
        password_change_required=True,
        last_login_at=None,
        opened_at=event_instants(app, people.marie)[0],
    )
    elodie = queries.account(people.elodie)
    assert elodie is not None
    assert (elodie.mobile, elodie.password_change_required) == (None, False)
    assert queries.account(uuid4()) is None


def test_passwords_and_sign_ins_update_the_account(
    app: Registre, people: People, runner: ProjectionRunner, queries: AccountQueries
) -> None:
    marie = people.marie
    app.handle(
        a_request(),
        RecordFailedLogin(
            account_id=marie, method=LoginMethod.PASSWORD, failure=LoginFailure.WRONG_SECRET
        ),
    )
    runner.catch_up()
    before = queries.account(marie)
    assert before is not None
    assert (before.password_change_required, before.last_login_at) == (True, None)

    app.handle(a_request(str(marie)), RecordLogin(account_id=marie, method=LoginMethod.PASSWORD))
    logged_in_at = event_instants(app, marie)[-1]
    app.handle(
        a_request(str(marie)),
        ChangePassword(account_id=marie, password_hash=hash_secret("Nouveau-mot-de-passe-2")),
    )
    app.handle(a_request(str(marie)), RecordLogout(account_id=marie))
    runner.catch_up()

    after = queries.account(marie)
    assert after is not None
    assert (after.password_change_required, after.last_login_at) == (False, logged_in_at)
    assert after.opened_at == before.opened_at

    app.handle(
        a_request(),
        IssuePassword(account_id=marie, password_hash=hash_secret("Mot-de-passe-emis-3")),
    )
    app.handle(
        a_request(str(marie)), RecordLogin(account_id=marie, method=LoginMethod.ONE_TIME_CODE)
    )
    later = event_instants(app, marie)[-1]
    runner.catch_up()
    reissued = queries.account(marie)
    assert reissued is not None
    assert (reissued.password_change_required, reissued.last_login_at) == (True, later)

    app.handle(
        a_request(str(marie)),
        ResetPassword(account_id=marie, password_hash=hash_secret("Mot-de-passe-oublie-4")),
    )
    runner.catch_up()
    reset = queries.account(marie)
    assert reset is not None
    assert (reset.password_change_required, reset.last_login_at) == (False, later)


def test_an_account_of_the_service_has_no_membership(
    app: Registre, runner: ProjectionRunner, queries: AccountQueries
) -> None:
    person = a_person("controle@inspection.gouv.fr", "Paul", "Roux")
    account_id = app.handle(
        a_request(), OpenAccount(person=person, kind=AccountKind.REGULATOR)
    ).aggregate_id
    runner.catch_up()

    account = queries.account(account_id)
    assert account is not None
    assert (account.kind, account.email) == (AccountKind.REGULATOR, "controle@inspection.gouv.fr")
    assert queries.memberships(account_id) == []


@pytest.mark.parametrize(
    "typed",
    [
        "Marie.Durand@Exemple.fr",
        "marie.durand@exemple.fr",
        "MARIE.DURAND@EXEMPLE.FR",
        "  mArIe.DuRaNd@exemple.FR ",
    ],
)
def test_an_account_is_found_by_its_email_whatever_the_case(
    app: Registre, people: People, runner: ProjectionRunner, queries: AccountQueries, typed: str
) -> None:
    runner.catch_up()

    found = app.find_account(Email(typed))

    assert found is not None
    view = queries.account(found.id)
    assert view is not None
    assert (view.account_id, view.email) == (people.marie, "Marie.Durand@exemple.fr")
    assert queries.account_by_email(Email(typed)) == view


@pytest.mark.parametrize("typed", ["nobody@exemple.fr", "marie.durand@exemple.com"])
def test_an_unknown_email_finds_no_account(
    app: Registre, people: People, runner: ProjectionRunner, queries: AccountQueries, typed: str
) -> None:
    runner.catch_up()

    assert app.find_account(Email(typed)) is None
    assert queries.account_by_email(Email(typed)) is None


# Members' users ------------------------------------------------------------------------------


def test_memberships_follow_the_member_code(
    people: People, runner: ProjectionRunner, queries: AccountQueries
) -> None:
    runner.catch_up()

    assert queries.memberships(people.marie) == [
        Membership(
            member_id=people.bakery,
            member_code="00010",
            legal_name="Boulangerie Martin",
            roles=["ADMIN"],
            third_party_declarant=True,
        ),
        Membership(
            member_id=people.garage,
            member_code="00020",
            legal_name="Garage Dupont",
            roles=["ADMIN"],
            third_party_declarant=False,
        ),
    ]
    assert queries.memberships(people.elodie) == [
        Membership(
            member_id=people.bakery,
            member_code="00010",
            legal_name="Boulangerie Martin",
            roles=["BILLING", "DECLARATION"],
            third_party_declarant=False,
        )
    ]
    assert queries.memberships(uuid4()) == []


def test_the_users_of_a_member(
    people: People, runner: ProjectionRunner, queries: AccountQueries
) -> None:
    runner.catch_up()

    assert queries.users_of(people.bakery) == [
        MemberUserView(
            account_id=people.marie,
            email="Marie.Durand@exemple.fr",
            last_name="Durand",
            first_name="Marie",
            function="Gérante",
            mobile="+33612345678",
            roles=["ADMIN"],
            third_party_declarant=True,
            notifications=EVERY_NOTIFICATION,
        ),
        MemberUserView(
            account_id=people.elodie,
            email="elodie@lefevre.fr",
            last_name="Lefèvre",
            first_name="Élodie",
            function="Gérante",
            mobile=None,
            roles=["BILLING", "DECLARATION"],
            third_party_declarant=False,
            notifications=EVERY_NOTIFICATION,
        ),
    ]
    assert [u.account_id for u in queries.users_of(people.garage)] == [people.marie]
    assert queries.users_of(uuid4()) == []


def test_users_are_ordered_by_last_name_then_first_name_accents_and_case_ignored(
    app: Registre, people: People, runner: ProjectionRunner, queries: AccountQueries
) -> None:
    for email, first_name, last_name in (
        ("bruno@lefevre.fr", "Bruno", "lefevre"),
        ("zoe@aubert.fr", "Zoé", "Aubert"),
        ("emile@ecuyer.fr", "Émile", "Écuyer"),
        ("alice@lefevre.fr", "alice", "LEFÈVRE"),
    ):
        add_user(app, people.bakery, a_person(email, first_name, last_name), Role.CONVOCATION)
    runner.catch_up()

    names = [(u.last_name, u.first_name) for u in queries.users_of(people.bakery)]

    assert names == [
        ("Aubert", "Zoé"),
        ("Durand", "Marie"),
        ("Écuyer", "Émile"),
        ("LEFÈVRE", "alice"),
        ("lefevre", "Bruno"),
        ("Lefèvre", "Élodie"),
    ]


def test_roles_and_notifications_change(
    app: Registre, people: People, runner: ProjectionRunner, queries: AccountQueries
) -> None:
    app.handle(
        a_request(),
        ChangeMemberUserRoles(
            member_id=people.bakery,
            account_id=people.elodie,
            roles=frozenset({Role.ADMIN, Role.CONVOCATION}),
        ),
    )
    app.handle(
        a_request(),
        ChooseNotifications(
            member_id=people.bakery,
            account_id=people.elodie,
            notifications=frozenset({Notification.SERVICE_NEWS, Notification.INVOICES}),
        ),
    )
    runner.catch_up()

    (elodie,) = queries.memberships(people.elodie)
    assert elodie.roles == ["ADMIN", "CONVOCATION"]
    users = {u.account_id: u for u in queries.users_of(people.bakery)}
    assert users[people.elodie].roles == ["ADMIN", "CONVOCATION"]
    assert users[people.elodie].notifications == ["INVOICES", "SERVICE_NEWS"]
    assert users[people.marie].notifications == EVERY_NOTIFICATION


def test_a_removed_user_is_no_longer_listed(
    app: Registre, people: People, runner: ProjectionRunner, queries: AccountQueries
) -> None:
    runner.catch_up()
    app.handle(a_request(), RemoveMemberUser(member_id=people.bakery, account_id=people.elodie))
    runner.catch_up()

    assert queries.memberships(people.elodie) == []
    assert [u.account_id for u in queries.users_of(people.bakery)] == [people.marie]
    assert queries.account(people.elodie) is not None, "the account itself stays"


def test_a_user_who_registers_with_the_postal_codes_becomes_administrator(
    app: Registre, runner: ProjectionRunner, queries: AccountQueries
) -> None:
    """A user added by the service before the member had an administrator, who then attaches
    the member with its codes: one row, the administrator's role added to the roles they had."""
    garage = register(app, "00020", "Garage Dupont")
    paul = add_user(app, garage, a_person("paul@roux.fr", "Paul", "Roux"), Role.CONVOCATION)
    runner.catch_up()
    app.handle(
        a_request(str(paul)),
        AttachMember(
            account_id=paul,
            member_code="00020",
            declarant_number=DECLARANT_NUMBERS["00020"],
            third_party_declarant=False,
        ),
    )
    runner.catch_up()

    assert [(m.member_code, m.roles) for m in queries.memberships(paul)] == [
        ("00020", ["ADMIN", "CONVOCATION"])
    ]
    assert len(queries.users_of(garage)) == 1


def test_a_new_legal_name_reaches_the_memberships(
    app: Registre, people: People, runner: ProjectionRunner, queries: AccountQueries
) -> None:
    runner.catch_up()
    app.handle(
        a_request(),
        ChangeAdministrativeInformation(
            member_id=people.bakery,
            legal_name="Boulangeries Martin & Fils",
            siret=None,
            vat_number=None,
            has_cse=None,
        ),
    )
    runner.catch_up()

    assert [(m.member_code, m.legal_name) for m in queries.memberships(people.marie)] == [
        ("00010", "Boulangeries Martin & Fils"),
        ("00020", "Garage Dupont"),
    ]
    (elodie,) = queries.memberships(people.elodie)
    assert elodie.legal_name == "Boulangeries Martin & Fils"


# Secrets -------------------------------------------------------------------------------------


def stored_rows(read_store: ReadStore, runner: ProjectionRunner) -> list[Row]:
    generation = runner.active_generations()["accounts"]
    return [
        row
        for base in Accounts.tables
        for row in read_store.read(f"SELECT * FROM accounts_g{generation}_{base}")
    ]


def test_no_password_hash_in_any_column(
    app: Registre, people: People, runner: ProjectionRunner, read_store: ReadStore
) -> None:
    hashes = {app.account(people.marie).password_hash}
    app.handle(
        a_request(str(people.marie)),
        ChangePassword(account_id=people.marie, password_hash=hash_secret("Second-mdp-22")),
    )
    hashes.add(app.account(people.marie).password_hash)
    app.handle(
        a_request(),
        IssuePassword(account_id=people.elodie, password_hash=hash_secret("Mot-de-passe-emis-3")),
    )
    hashes.add(app.account(people.elodie).password_hash)
    runner.catch_up()

    text = "\n".join(str(value) for row in stored_rows(read_store, runner) for value in row)

    assert None not in hashes
    assert len(hashes) == 3
    assert [h for h in hashes if h is not None and h in text] == []
    assert "argon2" not in text
    assert "hash" not in text


def test_no_email_name_nor_mobile_in_clear_in_any_column(
    people: People, runner: ProjectionRunner, read_store: ReadStore, queries: AccountQueries
) -> None:
    """The person is sealed under the account's key, the e-mail found by its token only."""
    runner.catch_up()

    text = "\n".join(str(value) for row in stored_rows(read_store, runner) for value in row)

    clear = ("marie.durand", "exemple.fr", "Durand", "Marie", "Gérante", "612345678", "elodie")
    assert [value for value in clear if value.casefold() in text.casefold()] == []
    assert "Lefèvre" in [u.last_name for u in queries.users_of(people.bakery)]


# Following the log ---------------------------------------------------------------------------


def test_a_cold_runner_and_a_rebuild_give_the_same_tables(
    app: Registre,
    people: People,
    runner: ProjectionRunner,
    read_store: ReadStore,
    queries: AccountQueries,
) -> None:
    runner.run_once()
    app.handle(
        a_request(str(people.marie)),
        RecordLogin(account_id=people.marie, method=LoginMethod.ONE_TIME_CODE),
    )
    app.handle(
        a_request(),
        ChangeMemberUserRoles(
            member_id=people.bakery, account_id=people.elodie, roles=frozenset({Role.CONVOCATION})
        ),
    )
    app.handle(
        a_request(),
        ChangeAdministrativeInformation(
            member_id=people.garage,
            legal_name="Garage Dupont et Fils",
            siret=None,
            vat_number=None,
            has_cse=None,
        ),
    )
    cold = ProjectionRunner(app, read_store, [Accounts], batch_size=3)
    cold.setup()
    cold.catch_up()
    live = sorted(stored_rows(read_store, runner), key=repr)
    memberships = queries.memberships(people.marie)

    assert runner.rebuild("accounts") == 2

    assert sorted(stored_rows(read_store, runner), key=repr) == live
    assert queries.memberships(people.marie) == memberships
    assert [m.legal_name for m in memberships] == ["Boulangerie Martin", "Garage Dupont et Fils"]
