"""Identities in the read tables, sealed under each person's key: the workforce's order of names
kept up to date as people are hired, renamed and erased; the blind index's search."""

from datetime import date
from uuid import UUID

from application.registre import Registre
from application.workforce.commands import CorrectIdentity, EraseIdentity, HireEmployee
from domain.workforce.employment import ContractTerms, ContractType, Identity, Sex
from projections.model import ActiveGenerations
from projections.personal import seal_of
from projections.store import ReadStore
from projections.workforce.workforce_queries import WorkforceFilter, WorkforceQueries
from tests.integration.test_workforce import NOW, a_member, a_request, read_side

__all__ = ["read_side"]
DAY = date(2024, 6, 1)


def identity(birth_name: str, first_name: str = "Lou") -> Identity:
    return Identity(birth_name, first_name, date(1990, 5, 17), Sex.F)


def hire(app: Registre, member_id: UUID, birth_name: str, first_name: str = "Lou") -> UUID:
    return app.handle(
        a_request(),
        HireEmployee(
            member_id=member_id,
            identity=identity(birth_name, first_name),
            hire_date=date(2024, 1, 2),
            terms=ContractTerms("Vendeuse", ContractType.CDI),
        ),
    ).aggregate_id


def queries_of(read_store: ReadStore) -> WorkforceQueries:
    return WorkforceQueries(read_store, ActiveGenerations(read_store, refresh_seconds=0))


def names(workforce: WorkforceQueries, member_id: UUID, search: str | None = None) -> list[str]:
    rows = workforce.employees(member_id, DAY, NOW, WorkforceFilter(search=search), limit=100)
    return [row.birth_name or "—" for row in rows]


def test_the_order_of_names_follows_hires_corrections_and_erasures(
    app: Registre, read_side: tuple
) -> None:
    runner, read_store = read_side
    workforce = queries_of(read_store)
    member_id = a_member(app)
    martin, bernard = hire(app, member_id, "Martin"), hire(app, member_id, "Bernard")
    runner.catch_up()
    assert names(workforce, member_id) == ["BERNARD", "MARTIN"]

    hire(app, member_id, "Dubois")
    runner.catch_up()
    assert names(workforce, member_id) == ["BERNARD", "DUBOIS", "MARTIN"]

    app.handle(a_request(), CorrectIdentity(employee_id=bernard, identity=identity("Zola")))
    runner.catch_up()
    assert names(workforce, member_id) == ["DUBOIS", "MARTIN", "ZOLA"]

    app.handle(a_request(), EraseIdentity(employee_id=martin))
    runner.catch_up()
    assert names(workforce, member_id) == ["—", "DUBOIS", "ZOLA"]
    assert names(workforce, member_id, "mar") == []


def test_a_page_shows_an_identity_corrected_after_the_order_was_kept(
    app: Registre, read_side: tuple
) -> None:
    runner, read_store = read_side
    workforce = queries_of(read_store)
    member_id = a_member(app)
    martin = hire(app, member_id, "Martin")
    runner.catch_up()
    assert [r.birth_date for r in workforce.employees(member_id, DAY, NOW)] == [date(1990, 5, 17)]

    corrected = Identity("Martin", "Lou", date(1991, 5, 17), Sex.F)
    app.handle(a_request(), CorrectIdentity(employee_id=martin, identity=corrected))
    runner.catch_up()

    rows = workforce.employees(member_id, DAY, NOW)
    assert [(r.birth_name, r.birth_date) for r in rows] == [("MARTIN", date(1991, 5, 17))]


def test_a_name_is_found_by_its_words_and_their_first_letters(
    app: Registre, read_side: tuple
) -> None:
    runner, read_store = read_side
    workforce = queries_of(read_store)
    member_id = a_member(app)
    hire(app, member_id, "Le Goff", "Éloïse")
    hire(app, member_id, "Dupont", "Li")
    runner.catch_up()

    assert names(workforce, member_id, "gof") == ["LE GOFF"]
    assert names(workforce, member_id, "ELOISE le") == ["LE GOFF"]
    assert names(workforce, member_id, "li") == ["DUPONT"], "a short word: a whole word"
    assert names(workforce, member_id, "dupont eloise") == []
    assert names(workforce, member_id, "go") == [], "fewer than 3 letters of a longer word"
    assert names(workforce, member_id, "upon") == [], "the start of a word, not its middle"


def test_the_tokens_say_nothing_without_the_master_key_and_differ_between_members(
    app: Registre, read_store: ReadStore
) -> None:
    """(The application, opened first on the store as in every process, keeps the index's
    secret there.)"""
    seal = seal_of(read_store)
    one, other = a_uuid(1), a_uuid(2)
    tokens = seal.name_tokens(one, ["Dupont"])

    assert len(tokens) == len(["dup", "dupo", "dupon", "dupont"])
    assert not any("dup" in token for token in tokens)
    assert tokens.isdisjoint(seal.name_tokens(other, ["Dupont"]))
    assert seal.search_tokens(one, "DUP") == [seal.search_tokens(one, "dup")[0]]


def a_uuid(number: int) -> UUID:
    return UUID(int=number)
