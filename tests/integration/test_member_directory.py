"""The MEMBER DIRECTORY read model on both stores: content after a scenario, accent-insensitive
search, pagination, batch loading, a cold start in the middle of the log, and a rebuild."""

from collections.abc import Sequence
from datetime import date
from uuid import UUID, uuid4

import pytest

from application.members.commands import (
    AddContact,
    AssignInterlocutor,
    ChangeAddress,
    ChangeAdministrativeInformation,
    CloseBranch,
    DeclareSituationChange,
    OpenBranch,
    RegisterMember,
    ReissueDeclarantNumber,
    RevokeSepaMandate,
    SignSepaMandate,
    SuspendMembership,
)
from application.registre import Registre
from application.requests import Request
from domain import search as text_module
from domain.address import Address, Coordinates
from domain.contact_details import Email, PhoneNumber
from domain.identifiers import Iban, Siret
from domain.members.organisation import (
    AddressKind,
    Contact,
    Interlocutor,
    MembershipStatus,
    SepaMandate,
    SituationChangeKind,
)
from projections.aggregates import AggregateFolder
from projections.members import members as members_module
from projections.members.members import (
    AddressView,
    InterlocutorView,
    MemberDirectory,
    MemberDirectoryQueries,
    mask_iban,
    view_of,
)
from projections.model import ActiveGenerations, Envelope, ReadModel
from projections.runner import ProjectionRunner
from projections.store import ReadStore, Tx

SIRET = Siret("73282932000074")
IBAN = "FR7630006000011234567890189"
DECLARANT_NUMBER = "73915284"


@pytest.fixture
def runner(app: Registre, read_store: ReadStore) -> ProjectionRunner:
    projection_runner = ProjectionRunner(app, read_store, [MemberDirectory])
    projection_runner.setup()
    return projection_runner


@pytest.fixture
def queries(read_store: ReadStore) -> MemberDirectoryQueries:
    return MemberDirectoryQueries(read_store, ActiveGenerations(read_store, refresh_seconds=0))


def a_request() -> Request:
    return Request.by(str(uuid4()), "user-1")


def register(app: Registre, member_code: str, legal_name: str) -> UUID:
    return app.handle(
        a_request(),
        RegisterMember(
            member_code=member_code, declarant_number=DECLARANT_NUMBER, legal_name=legal_name
        ),
    ).aggregate_id


def an_address(city: str = "Lyon") -> Address:
    return Address(lines=("12 rue des Lilas", "Bâtiment B"), postal_code="69003", city=city)


def furnish(app: Registre, member_id: UUID) -> None:
    """Company data, addresses, two branches (one closed), contacts, interlocutors, a change of
    situation, a SEPA mandate and a suspension."""
    app.handle(
        a_request(),
        ChangeAdministrativeInformation(
            member_id=member_id,
            legal_name="Boulangérie du Parc",
            siret=SIRET,
            vat_number=SIRET.siren.to_vat_number(),
            has_cse=True,
        ),
    )
    worksite = an_address().confirmed_at(Coordinates(45.76, 4.85))
    app.handle(
        a_request(), ChangeAddress(member_id=member_id, kind=AddressKind.WORKSITE, address=worksite)
    )
    app.handle(
        a_request(),
        ChangeAddress(member_id=member_id, kind=AddressKind.BILLING, address=an_address()),
    )
    app.handle(
        a_request(),
        OpenBranch(member_id=member_id, name="Fournil", address=an_address("Villeurbanne")),
    )
    app.handle(
        a_request(), OpenBranch(member_id=member_id, name="Dépôt", address=an_address("Bron"))
    )
    app.handle(a_request(), CloseBranch(member_id=member_id, number=3, last_day=date(2024, 6, 30)))
    contact = Contact(0, "Martin", "Claire", "Gérante", email=Email("claire@martin.fr"))
    app.handle(a_request(), AddContact(member_id=member_id, contact=contact))
    other = Contact(0, "Durand", "Paul", phone=PhoneNumber("04 72 00 00 00"))
    app.handle(a_request(), AddContact(member_id=member_id, contact=other))
    legal = Interlocutor.LEGAL_REPRESENTATIVE
    app.handle(a_request(), AssignInterlocutor(member_id=member_id, role=legal, contact_id=1))
    app.handle(
        a_request(), AssignInterlocutor(member_id=member_id, role=Interlocutor.CSE, contact_id=2)
    )
    app.handle(
        a_request(),
        DeclareSituationChange(
            member_id=member_id,
            kind=SituationChangeKind.NEW_ACTIVITY,
            description="Ouverture d'un salon de thé",
            effective_on=date(2024, 9, 1),
        ),
    )
    mandate = SepaMandate("RUM-0001", Iban(IBAN), date(2024, 1, 2), "Boulangérie du Parc")
    app.handle(a_request(), SignSepaMandate(member_id=member_id, mandate=mandate))
    app.handle(
        a_request(),
        SuspendMembership(
            member_id=member_id, reason="Cotisation impayée", effective_on=date(2024, 10, 1)
        ),
    )


# Content ----------------------------------------------------------------------------------------


def test_the_directory_shows_the_members_current_state(
    app: Registre, runner: ProjectionRunner, queries: MemberDirectoryQueries
) -> None:
    member_id = register(app, "00010", "Boulangerie Martin")
    furnish(app, member_id)

    runner.catch_up()

    view = queries.member(member_id)
    assert view is not None
    assert (view.member_code, view.legal_name) == ("00010", "Boulangérie du Parc")
    assert (view.siret, view.vat_number, view.has_cse) == (
        SIRET,
        SIRET.siren.to_vat_number(),
        True,
    )
    assert view.addresses.worksite == AddressView(
        ("12 rue des Lilas", "Bâtiment B"), "69003", "Lyon", "FR", 45.76, 4.85, confirmed=True
    )
    assert view.addresses.billing is not None
    assert not view.addresses.billing.confirmed
    assert view.addresses.convocation is None
    assert [(b.code, b.name, b.address.city, b.closed_on) for b in view.branches] == [
        ("00010-2", "Fournil", "Villeurbanne", None),
        ("00010-3", "Dépôt", "Bron", date(2024, 6, 30)),
    ]
    assert [(c.contact_id, c.last_name, c.function, c.email, c.phone) for c in view.contacts] == [
        (1, "MARTIN", "Gérante", "claire@martin.fr", None),
        (2, "DURAND", None, None, PhoneNumber("04 72 00 00 00")),
    ]
    assert view.interlocutors == (
        InterlocutorView(Interlocutor.LEGAL_REPRESENTATIVE, 1),
        InterlocutorView(Interlocutor.CSE, 2),
    )
    (change,) = view.situation_changes
    assert (change.kind, change.effective_on) == (
        SituationChangeKind.NEW_ACTIVITY,
        date(2024, 9, 1),
    )
    assert view.status is MembershipStatus.SUSPENDED
    assert view.status_since == date(2024, 10, 1)
    assert view.version == app.member(member_id).version
    assert queries.by_code("00010") == view


def test_the_sepa_mandate_shows_only_the_end_of_the_iban(
    app: Registre, runner: ProjectionRunner, queries: MemberDirectoryQueries
) -> None:
    member_id = register(app, "00010", "Boulangerie Martin")
    furnish(app, member_id)
    app.handle(a_request(), RevokeSepaMandate(member_id=member_id, revoked_on=date(2024, 12, 31)))

    runner.catch_up()

    view = queries.member(member_id)
    assert view is not None
    assert view.sepa_mandate is not None
    assert view.sepa_mandate.masked_iban == "*" * 23 + "0189"
    assert (view.sepa_mandate.reference, view.sepa_mandate.signed_on) == (
        "RUM-0001",
        date(2024, 1, 2),
    )
    assert (view.sepa_mandate.revoked_on, view.sepa_mandate.active) == (date(2024, 12, 31), False)
    assert mask_iban("FR76 3000 6000 0112 3456 7890 189") == "*" * 23 + "0189"


def test_the_stored_document_holds_neither_the_declarant_number_nor_its_hash_nor_the_iban(
    app: Registre, runner: ProjectionRunner, read_store: ReadStore
) -> None:
    member_id = register(app, "00010", "Boulangerie Martin")
    furnish(app, member_id)
    app.handle(
        a_request(), ReissueDeclarantNumber(member_id=member_id, declarant_number="48201937")
    )
    declarant_hash = app.member(member_id).declarant_number_hash

    runner.catch_up()

    generation = runner.active_generations()["members"]
    rows = read_store.read(f"SELECT * FROM members_g{generation}_members")
    stored = repr(rows)
    for secret in (declarant_hash, "48201937", DECLARANT_NUMBER, IBAN, "declarant"):
        assert secret not in stored


def test_an_unknown_member_is_none(
    runner: ProjectionRunner, queries: MemberDirectoryQueries
) -> None:
    runner.catch_up()

    assert queries.member(uuid4()) is None
    assert queries.by_code("99999") is None


# Search and pages -------------------------------------------------------------------------------


@pytest.fixture
def bakeries(app: Registre, runner: ProjectionRunner) -> dict[str, UUID]:
    names = {
        "00030": "Boulangérie Petit",
        "00010": "Garage Dupont",
        "00050": "BOULANGERIE DES ÉCOLES",
        "00020": "Pâtisserie Lenôtre",
        "00040": "Boulanger 100%",
    }
    ids = {code: register(app, code, name) for code, name in names.items()}
    runner.catch_up()
    return ids


def codes(views: list[members_module.MemberView]) -> list[str]:
    return [view.member_code for view in views]


@pytest.mark.parametrize(
    ("search", "expected"),
    [
        ("boulangerie", ["00030", "00050"]),
        ("BOULANGÉRIE", ["00030", "00050"]),
        ("  Écoles   boulangerie ", ["00050"]),
        ("patisserie lenotre", ["00020"]),
        ("00040", ["00040"]),
        ("100%", ["00040"]),
        ("%", ["00040"]),
        ("_", []),
        ("", ["00010", "00020", "00030", "00040", "00050"]),
        (None, ["00010", "00020", "00030", "00040", "00050"]),
    ],
)
def test_search_ignores_accents_and_case(
    bakeries: dict[str, UUID],
    queries: MemberDirectoryQueries,
    search: str | None,
    expected: list[str],
) -> None:
    assert codes(queries.members(search=search)) == expected


def test_pages_follow_the_member_code(
    bakeries: dict[str, UUID], queries: MemberDirectoryQueries
) -> None:
    first = queries.members(limit=2)
    second = queries.members(after=first[-1].member_code, limit=2)
    third = queries.members(after=second[-1].member_code, limit=2)

    assert [codes(first), codes(second), codes(third)] == [
        ["00010", "00020"],
        ["00030", "00040"],
        ["00050"],
    ]
    assert queries.members(after="00050", limit=2) == []
    assert codes(queries.members(search="boulangerie", after="00030", limit=1)) == ["00050"]


def test_a_page_is_never_longer_than_the_cap(
    bakeries: dict[str, UUID], queries: MemberDirectoryQueries, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(text_module, "MAX_PAGE", 3)

    assert len(queries.members(limit=1000)) == 4  # a page and the look-ahead row
    assert len(queries.members(limit=0)) == 1


def test_members_by_ids_reads_many_members_at_once(
    bakeries: dict[str, UUID], queries: MemberDirectoryQueries
) -> None:
    wanted = [bakeries["00020"], bakeries["00050"], uuid4(), bakeries["00020"]]

    found = queries.members_by_ids(wanted)

    assert {member_id: view.member_code for member_id, view in found.items()} == {
        bakeries["00020"]: "00020",
        bakeries["00050"]: "00050",
    }
    assert queries.members_by_ids([]) == {}


# Following the log --------------------------------------------------------------------------


def test_a_runner_started_in_the_middle_of_the_log_loads_the_members_it_did_not_see(
    app: Registre,
    runner: ProjectionRunner,
    read_store: ReadStore,
    queries: MemberDirectoryQueries,
) -> None:
    member_id = register(app, "00010", "Boulangerie Martin")
    runner.catch_up()
    furnish(app, member_id)

    fresh = ProjectionRunner(app, read_store, [MemberDirectory], batch_size=3)
    fresh.setup()
    fresh.catch_up()

    view = queries.member(member_id)
    assert view is not None
    assert view.version == app.member(member_id).version
    assert len(view.contacts) == 2


def test_a_rebuild_gives_the_same_directory(
    app: Registre, runner: ProjectionRunner, queries: MemberDirectoryQueries
) -> None:
    member_id = register(app, "00010", "Boulangerie Martin")
    furnish(app, member_id)
    register(app, "00020", "Garage Dupont")
    runner.catch_up()
    before = queries.members()

    generation = runner.rebuild("members")

    assert generation == 2
    assert runner.active_generations() == {"members": 2}
    assert queries.members() == before
    assert queries.member(member_id) == before[0]


class FailsOnce(ReadModel):
    """A read model whose next batch fails once armed, as the store does (an event it cannot
    apply is skipped instead): the whole transaction is rolled back."""

    name = "fails_once"
    tables = ()
    armed = False

    def create(self, tx: Tx) -> None:
        pass

    def apply(self, tx: Tx, envelopes: Sequence[Envelope]) -> None:
        if FailsOnce.armed:
            FailsOnce.armed = False
            raise OSError("connection lost")


def test_a_batch_rolled_back_after_the_members_were_folded_is_applied_again(
    app: Registre,
    read_store: ReadStore,
    queries: MemberDirectoryQueries,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    member_id = register(app, "00010", "Boulangerie Martin")
    both = ProjectionRunner(app, read_store, [MemberDirectory, FailsOnce])
    both.setup()
    both.catch_up()
    furnish(app, member_id)
    monkeypatch.setattr(FailsOnce, "armed", True)

    with pytest.raises(OSError, match="connection lost"):
        both.run_once()
    both.catch_up()

    view = queries.member(member_id)
    assert view is not None
    assert view.version == app.member(member_id).version
    assert len(view.contacts) == 2


def test_the_folder_keeps_at_most_maxsize_aggregates_and_reloads_the_others(
    app: Registre,
) -> None:
    first = register(app, "00010", "Boulangerie Martin")
    second = register(app, "00020", "Garage Dupont")
    furnish(app, first)
    app.handle(
        a_request(),
        AddContact(
            member_id=second, contact=Contact(0, "Petit", "Luc", email=Email("luc@petit.fr"))
        ),
    )
    folder = AggregateFolder(app, maxsize=1)

    for notification in app.recorder.select_notifications(start=1, limit=1000):
        member = folder.apply(app.mapper.to_domain_event(notification))

    assert len(folder) == 1
    assert member.id == second
    assert view_of(member) == view_of(app.member(second))
    created = next(iter(app.events.get(first)))
    assert folder.state_before(created) is None
