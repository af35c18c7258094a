"""One person is hired once per member: a NIR already held is refused, even by two hires at
the same moment; the same names and birth date are refused until confirmed; a batch names every
refused hire by its position and records none."""

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import date
from uuid import UUID, uuid4

import pytest
from stdnum.fr import nir

from application.members.commands import RegisterMember
from application.registre import Registre
from application.requests import Request
from application.workforce.commands import (
    AssignWorkSituation,
    CorrectIdentity,
    EraseIdentity,
    HireEmployee,
    HireEmployees,
    NewHire,
)
from domain.batch import BatchRefused
from domain.errors import Conflict, RuleViolation
from domain.identifiers import Nir
from domain.personal_data import DataCategory
from domain.workforce.employment import ContractTerms, ContractType, Identity, Sex
from domain.workforce.identity_marks import IdentityMark

NIR_BODY = "2900575056123"  # F, born in May 1990
NIR_NUMBER = Nir(NIR_BODY + nir.calc_check_digits(NIR_BODY))
OTHER_BODY = "2900575056124"
OTHER_NIR = Nir(OTHER_BODY + nir.calc_check_digits(OTHER_BODY))
TERMS = ContractTerms("Vendeuse", ContractType.CDI)
HIRED_ON = date(2024, 1, 2)


def a_request() -> Request:
    return Request.by(str(uuid4()), "user-1")


def a_member(app: Registre, code: str = "00010") -> UUID:
    command = RegisterMember(member_code=code, declarant_number="12345678", legal_name="Fournil")
    return app.handle(a_request(), command).aggregate_id


def person(first_name: str = "Élodie", nir_number: Nir | None = NIR_NUMBER) -> Identity:
    return Identity("Durand", first_name, date(1990, 5, 17), Sex.F, nir=nir_number)


def hire(app: Registre, member_id: UUID, identity: Identity, confirm: bool = False) -> UUID:
    command = HireEmployee(
        member_id=member_id,
        identity=identity,
        hire_date=HIRED_ON,
        terms=TERMS,
        confirm_homonym=confirm,
    )
    return app.handle(a_request(), command).aggregate_id


def test_a_nir_is_hired_once_per_member(app: Registre) -> None:
    member_id = a_member(app)
    hire(app, member_id, person())
    with pytest.raises(RuleViolation) as refused:
        hire(app, member_id, person("Chloé"), confirm=True)
    assert refused.value.code == "NIR_ALREADY_HIRED"
    assert refused.value.field == "nir"
    assert NIR_BODY not in refused.value.message
    hire(app, a_member(app, "00011"), person())  # another member's employee: no duplicate


def test_the_same_names_and_birth_date_are_hired_once_confirmed(app: Registre) -> None:
    member_id = a_member(app)
    hire(app, member_id, person(nir_number=None))
    with pytest.raises(RuleViolation) as flagged:
        hire(app, member_id, person(nir_number=None))
    assert flagged.value.code == "POSSIBLE_DUPLICATE"
    assert flagged.value.field == "confirm_homonym"
    hire(app, member_id, person(nir_number=None), confirm=True)


def test_an_erased_or_corrected_identity_frees_its_nir(app: Registre) -> None:
    member_id = a_member(app)
    first = hire(app, member_id, person())
    app.handle(
        a_request(), CorrectIdentity(employee_id=first, identity=person(nir_number=OTHER_NIR))
    )
    second = hire(app, member_id, person("Chloé"), confirm=True)
    with pytest.raises(RuleViolation, match="déjà celui"):
        app.handle(
            a_request(), CorrectIdentity(employee_id=second, identity=person("Chloé", OTHER_NIR))
        )
    app.handle(a_request(), EraseIdentity(employee_id=first))
    hire(app, member_id, person("Lou", OTHER_NIR), confirm=True)


def test_an_erasure_that_loses_a_race_on_a_mark_still_frees_the_nir(
    app: Registre, open_app: Callable[[], Registre], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another process takes one of the person's marks (a homonym hired) while the erasure is
    decided: its save loses the race and changes nothing — the key is destroyed with the save,
    not before — so the erasure tried again still reads the identity, releases its marks, and
    the NIR can be hired again."""
    member_id = a_member(app)
    erased = hire(app, member_id, person())
    other = open_app()
    save = app.save
    raced: list[UUID] = []

    def save_after_a_homonym(*aggregates: object, **options: object) -> object:
        if not raced:  # the homonym's hire commits between this decision and its save
            with ThreadPoolExecutor(1) as pool:
                homonym = person("Élodie", None)
                raced.append(pool.submit(hire, other, member_id, homonym, True).result())
        return save(*aggregates, **options)

    monkeypatch.setattr(app, "save", save_after_a_homonym)
    with pytest.raises(Conflict):
        app.handle(a_request(), EraseIdentity(employee_id=erased))
    monkeypatch.setattr(app, "save", save)
    assert raced, "the erasure raced with the homonym's hire"
    fresh = open_app()  # no key and no record in memory
    assert fresh.subject_keys.sealer(erased, DataCategory.IDENTITY, create=False) is not None
    assert fresh.repository.get(erased).identity == person().validated(), "the race lost: no change"

    app.handle(a_request(), EraseIdentity(employee_id=erased))
    assert app.repository.get(erased).identity is None
    hire(app, member_id, person("Lou"), confirm=True)


def test_two_hires_of_one_nir_at_the_same_moment_make_one_employee(
    app: Registre, open_app: Callable[[], Registre]
) -> None:
    member_id = a_member(app)
    apps = [open_app() for _ in range(4)]

    def attempt(other: Registre) -> str:
        try:
            hire(other, member_id, person(), confirm=True)
        except (RuleViolation, Conflict) as error:
            return error.code
        return "HIRED"

    with ThreadPoolExecutor(len(apps)) as pool:
        outcomes = list(pool.map(attempt, apps))
    assert outcomes.count("HIRED") == 1
    assert set(outcomes) <= {"HIRED", "NIR_ALREADY_HIRED", "CONFLICT"}


def test_a_refused_batch_names_every_refused_hire_and_records_none(app: Registre) -> None:
    member_id = a_member(app)
    hire(app, member_id, person())
    hires = [
        NewHire(person("Ana", None), HIRED_ON, TERMS),
        NewHire(person("Chloé"), HIRED_ON, TERMS),  # the NIR of Élodie
        NewHire(person("Lou", OTHER_NIR), date(1980, 1, 1), TERMS),  # hired before birth
        NewHire(person("Zoé", OTHER_NIR), HIRED_ON, TERMS),
        NewHire(person("Zoé", OTHER_NIR), HIRED_ON, TERMS),  # the same NIR in the file
    ]
    with pytest.raises(BatchRefused) as refused:
        app.handle(a_request(), HireEmployees(member_id=member_id, hires=hires))
    positions = [(r.position, r.code, r.field) for r in refused.value.refusals]
    assert [p for p, _, _ in positions] == [2, 3, 5]
    assert positions[0][1:] == ("NIR_ALREADY_HIRED", "nir")
    assert positions[2][1:] == ("NIR_ALREADY_HIRED", "nir")
    message = refused.value.message
    assert message.startswith("Rien n'a été enregistré (tout ou rien) : 3 embauches refusées.")
    assert "Embauche n° 2, champ nir :" in message
    assert "Ana" not in message
    assert NIR_BODY not in message
    fixed = [
        hires[0],
        replace(hires[2], hire_date=HIRED_ON, identity=person("Lou", None)),
        hires[3],
    ]
    hired = app.handle(a_request(), HireEmployees(member_id=member_id, hires=fixed))
    assert len(hired) == 3


def test_a_refused_assignment_names_every_refused_employee(app: Registre) -> None:
    member_id = a_member(app)
    known = hire(app, member_id, person())
    other = hire(app, a_member(app, "00011"), person())
    command = AssignWorkSituation(
        member_id=member_id,
        situation_code="night_work",
        employee_ids=[known, uuid4(), other],
        started_on=HIRED_ON,
    )
    with pytest.raises(BatchRefused) as refused:
        app.handle(a_request(), command)
    assert [(r.position, r.field) for r in refused.value.refusals] == [
        (2, "employee_ids"),
        (3, "employee_ids"),
    ]
    assert "2 salariés refusés" in refused.value.message


def test_marks_hold_no_employee_and_no_value(app: Registre) -> None:
    member_id = a_member(app)
    hire(app, member_id, person())
    marks = [
        app.repository.get(n.originator_id)
        for n in app.select_notifications(1, 100)
        if "IdentityMark" in n.topic
    ]
    assert len({m.id for m in marks}) == 2
    assert all(vars(m).keys() >= {"member_id", "holders"} for m in marks)
    stored = b"".join(n.state for n in app.select_notifications(1, 100))
    assert NIR_BODY.encode() not in stored


def test_a_command_reads_the_marks_it_needs_together(
    app: Registre, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A hire, an identity correction and an erasure each read their marks in one look-up, not
    one aggregate at a time (two round trips a mark)."""
    member_id = a_member(app)
    looked_up: list[int] = []
    load_many = app.load_many

    def counted(aggregate_class: type, ids: object) -> object:
        wanted = list(ids)  # type: ignore[call-overload]
        looked_up.append(len(wanted))
        return load_many(aggregate_class, wanted)

    def find(aggregate_class: type, aggregate_id: UUID) -> object:
        assert aggregate_class is not IdentityMark, "a mark read on its own"
        return found(aggregate_class, aggregate_id)

    found = app.find
    monkeypatch.setattr(app, "load_many", counted)
    monkeypatch.setattr(app, "find", find)
    employee_id = hire(app, member_id, person())
    corrected = replace(person("Chloé"), nir=OTHER_NIR)
    app.handle(a_request(), CorrectIdentity(employee_id=employee_id, identity=corrected))
    app.handle(a_request(), EraseIdentity(employee_id=employee_id))
    assert looked_up == [2, 4, 2]  # names and NIR; before and after; the erased ones
