"""Unit tests of the Member aggregate (adhérent), without storage."""

from collections.abc import Callable
from datetime import date

import pytest

from domain.actor import Actor
from domain.address import Address, Coordinates
from domain.contact_details import Email, PhoneNumber
from domain.errors import DomainError, InvalidValue, NotFound, RuleViolation
from domain.identifiers import Iban, Siret, VatNumber
from domain.members.member import Member
from domain.members.organisation import (
    AddressKind,
    Contact,
    Interlocutor,
    MembershipStatus,
    SepaMandate,
    SituationChangeKind,
)

ACTOR = Actor("user-1")
MEMBER_CODE = "00010"
SIRET = Siret("73282932000074")
MATCHING_VAT = VatNumber("FR44732829320")
OTHER_COMPANY_VAT = VatNumber("FR96552100554")
IBAN = Iban("FR14 2004 1010 0505 0001 3M02 606")


def a_member(member_code: str = MEMBER_CODE, actor: Actor = ACTOR) -> Member:
    return Member.register(
        member_code=member_code,
        declarant_number_hash="$argon2id$not-a-real-hash",
        legal_name="Boulangerie Martin",
        siret=SIRET,
        actor=actor,
    )


def an_address(**coordinates: float) -> Address:
    return Address(
        lines=("12 rue des Lilas",),
        postal_code="69003",
        city="Lyon",
        coordinates=Coordinates(**coordinates) if coordinates else None,
    )


def a_confirmed_address() -> Address:
    return an_address(latitude=45.7578, longitude=4.8320)


def a_contact(last_name: str = "Martin", first_name: str = "Claire") -> Contact:
    return Contact(
        0,
        last_name,
        first_name,
        "Gérante",
        PhoneNumber("06 12 34 56 78"),
        Email("claire.martin@example.fr"),
    )


def a_mandate(reference: str = "RUM-00010-1", signed_on: date = date(2024, 1, 10)) -> SepaMandate:
    return SepaMandate(reference, IBAN, signed_on, "Boulangerie Martin")


def event_names(member: Member) -> list[str]:
    return [type(e).__name__ for e in member.collect_events()]


# Registration ---------------------------------------------------------------------------------


def test_register_records_one_registered_event() -> None:
    member = a_member()

    assert event_names(member) == ["Registered"]
    assert member.member_code == MEMBER_CODE
    assert member.legal_name == "Boulangerie Martin"
    assert member.siret == SIRET
    assert member.status is MembershipStatus.ACTIVE
    assert member.branches == ()
    assert member.contacts == ()


@pytest.mark.parametrize("member_code", ["", "12", "ABCDE", "0001O", "12345678901", "00010-2"])
def test_register_refuses_an_invalid_member_code(member_code: str) -> None:
    with pytest.raises(InvalidValue) as refused:
        a_member(member_code)

    assert refused.value.code == "INVALID_MEMBER_CODE"
    assert refused.value.field == "member_code"


def test_register_refuses_a_blank_legal_name() -> None:
    with pytest.raises(InvalidValue) as refused:
        Member.register(
            member_code=MEMBER_CODE,
            declarant_number_hash="hash",
            legal_name="   ",
            siret=None,
            actor=ACTOR,
        )

    assert refused.value.field == "legal_name"


def test_the_same_member_code_gives_the_same_id() -> None:
    assert a_member().id == Member.create_id(MEMBER_CODE)
    assert a_member(" 00010 ").id == a_member().id
    assert a_member("00011").id != a_member().id


# Administrative information --------------------------------------------------------------------


def test_administrative_information_is_changed() -> None:
    member = a_member()

    member.change_administrative_information(
        legal_name="  Boulangerie   Martin et Fils ",
        siret=SIRET,
        vat_number=MATCHING_VAT,
        has_cse=True,
        actor=ACTOR,
    )

    assert event_names(member) == ["Registered", "AdministrativeInformationChanged"]
    assert member.legal_name == "Boulangerie Martin et Fils"
    assert member.vat_number == MATCHING_VAT
    assert member.has_cse is True


def test_a_vat_number_of_another_company_is_refused() -> None:
    member = a_member()

    with pytest.raises(InvalidValue) as refused:
        member.change_administrative_information(
            legal_name="Boulangerie Martin",
            siret=SIRET,
            vat_number=OTHER_COMPANY_VAT,
            has_cse=None,
            actor=ACTOR,
        )

    assert refused.value.code == "VAT_SIRET_MISMATCH"
    assert member.vat_number is None


def test_unchanged_administrative_information_records_no_event() -> None:
    member = a_member()

    member.change_administrative_information(
        legal_name=" Boulangerie Martin ", siret=SIRET, vat_number=None, has_cse=None, actor=ACTOR
    )

    assert event_names(member) == ["Registered"]


# Addresses -----------------------------------------------------------------------------------


def test_a_worksite_address_must_be_confirmed_on_the_map() -> None:
    member = a_member()

    with pytest.raises(InvalidValue) as refused:
        member.change_address(AddressKind.WORKSITE, an_address(), ACTOR)

    assert refused.value.code == "WORKSITE_NOT_CONFIRMED"
    assert member.worksite_address is None


def test_a_confirmed_worksite_address_is_recorded() -> None:
    member = a_member()

    member.change_address(AddressKind.WORKSITE, a_confirmed_address(), ACTOR)

    assert member.address(AddressKind.WORKSITE) == a_confirmed_address()
    assert event_names(member) == ["Registered", "AddressChanged"]


@pytest.mark.parametrize("kind", [AddressKind.BILLING, AddressKind.CONVOCATION])
def test_other_addresses_need_no_confirmation(kind: AddressKind) -> None:
    member = a_member()

    member.change_address(kind, an_address(), ACTOR)

    assert member.address(kind) == an_address()
    assert member.worksite_address is None


def test_an_unchanged_address_records_no_event() -> None:
    member = a_member()
    member.change_address(AddressKind.BILLING, an_address(), ACTOR)

    member.change_address(AddressKind.BILLING, an_address(), ACTOR)

    assert event_names(member) == ["Registered", "AddressChanged"]


# Branches ------------------------------------------------------------------------------------


def test_branches_are_numbered_from_2() -> None:
    member = a_member()

    numbers = [
        member.open_branch(name=name, address=an_address(), siret=None, actor=ACTOR)
        for name in ("Atelier de Vénissieux", "Boutique de Villeurbanne")
    ]

    assert numbers == [2, 3]
    assert member.branch_code(2) == "00010-2"
    assert member.branch_code(3) == "00010-3"
    assert event_names(member) == ["Registered", "BranchOpened", "BranchOpened"]


def test_an_open_branch_code_is_accepted() -> None:
    member = a_member()
    member.open_branch(name="Atelier", address=an_address(), siret=None, actor=ACTOR)

    member.check_open_branch_code("00010-2")  # does not raise

    assert member.branches[0].closed_on is None


@pytest.mark.parametrize("code", ["00010-3", "00010-1", "00011-2", "00010", "2"])
def test_an_unknown_branch_code_is_refused(code: str) -> None:
    member = a_member()
    member.open_branch(name="Atelier", address=an_address(), siret=None, actor=ACTOR)

    with pytest.raises(NotFound) as refused:
        member.check_open_branch_code(code)

    assert refused.value.code == "BRANCH_NOT_FOUND"


def test_a_closed_branch_code_is_refused() -> None:
    member = a_member()
    number = member.open_branch(name="Atelier", address=an_address(), siret=None, actor=ACTOR)

    member.close_branch(number, date(2024, 6, 30), ACTOR)

    assert member.branches[0].closed_on == date(2024, 6, 30)
    with pytest.raises(NotFound) as refused:
        member.check_open_branch_code("00010-2")
    assert refused.value.code == "BRANCH_NOT_FOUND"


def test_a_closed_branch_can_be_neither_closed_again_nor_changed() -> None:
    member = a_member()
    number = member.open_branch(name="Atelier", address=an_address(), siret=None, actor=ACTOR)
    member.close_branch(number, date(2024, 6, 30), ACTOR)

    with pytest.raises(RuleViolation) as closed_again:
        member.close_branch(number, date(2024, 7, 31), ACTOR)
    with pytest.raises(RuleViolation) as changed:
        member.change_branch(
            number, name="Atelier 2", address=an_address(), siret=None, actor=ACTOR
        )

    assert closed_again.value.code == changed.value.code == "BRANCH_CLOSED"


def test_a_branch_is_changed_and_an_unchanged_one_records_no_event() -> None:
    member = a_member()
    number = member.open_branch(name="Atelier", address=an_address(), siret=None, actor=ACTOR)

    member.change_branch(number, name="Atelier", address=an_address(), siret=None, actor=ACTOR)
    member.change_branch(number, name="Fournil", address=an_address(), siret=SIRET, actor=ACTOR)

    assert event_names(member) == ["Registered", "BranchOpened", "BranchChanged"]
    assert member.branches[0].name == "Fournil"
    assert member.branches[0].siret == SIRET


def test_the_numbering_of_branches_continues_after_a_closure() -> None:
    member = a_member()
    member.open_branch(name="Atelier", address=an_address(), siret=None, actor=ACTOR)
    member.close_branch(2, date(2024, 6, 30), ACTOR)

    assert member.open_branch(name="Fournil", address=an_address(), siret=None, actor=ACTOR) == 3


def test_an_unknown_branch_cannot_be_closed() -> None:
    with pytest.raises(NotFound) as refused:
        a_member().close_branch(2, date(2024, 6, 30), ACTOR)

    assert refused.value.code == "BRANCH_NOT_FOUND"


# Contacts and interlocutors --------------------------------------------------------------------


def test_contacts_get_increasing_ids_never_reused() -> None:
    member = a_member()
    first = member.add_contact(a_contact(), ACTOR)
    second = member.add_contact(a_contact("Durand", "Paul"), ACTOR)
    member.remove_contact(second, ACTOR)

    third = member.add_contact(a_contact("Petit", "Léa"), ACTOR)

    assert (first, second, third) == (1, 2, 3)
    assert [c.contact_id for c in member.contacts] == [1, 3]
    assert member.contact(1).last_name == "MARTIN"


def test_a_contact_without_phone_or_email_is_refused() -> None:
    with pytest.raises(InvalidValue) as refused:
        a_member().add_contact(Contact(0, "Martin", "Claire"), ACTOR)

    assert refused.value.code == "CONTACT_UNREACHABLE"


def test_a_legal_representative_is_assigned() -> None:
    member = a_member()
    contact_id = member.add_contact(a_contact(), ACTOR)
    assert not member.has_legal_representative

    member.assign_interlocutor(Interlocutor.LEGAL_REPRESENTATIVE, contact_id, ACTOR)

    assert member.has_legal_representative
    assert member.interlocutor(Interlocutor.LEGAL_REPRESENTATIVE) == member.contact(contact_id)
    assert member.interlocutor(Interlocutor.CSE) is None


def test_assigning_a_role_again_replaces_the_previous_holder() -> None:
    member = a_member()
    first = member.add_contact(a_contact(), ACTOR)
    second = member.add_contact(a_contact("Durand", "Paul"), ACTOR)
    member.assign_interlocutor(Interlocutor.LEGAL_REPRESENTATIVE, first, ACTOR)

    member.assign_interlocutor(Interlocutor.LEGAL_REPRESENTATIVE, second, ACTOR)
    member.assign_interlocutor(Interlocutor.LEGAL_REPRESENTATIVE, second, ACTOR)

    assert member.interlocutor(Interlocutor.LEGAL_REPRESENTATIVE) == member.contact(second)
    assert event_names(member).count("InterlocutorAssigned") == 2


def test_a_contact_who_is_an_interlocutor_cannot_be_removed() -> None:
    member = a_member()
    contact_id = member.add_contact(a_contact(), ACTOR)
    member.assign_interlocutor(Interlocutor.LEGAL_REPRESENTATIVE, contact_id, ACTOR)

    with pytest.raises(RuleViolation) as refused:
        member.remove_contact(contact_id, ACTOR)

    assert refused.value.code == "CONTACT_IS_INTERLOCUTOR"
    assert member.has_legal_representative


def test_a_contact_can_be_removed_once_unassigned() -> None:
    member = a_member()
    contact_id = member.add_contact(a_contact(), ACTOR)
    member.assign_interlocutor(Interlocutor.CSE, contact_id, ACTOR)

    member.unassign_interlocutor(Interlocutor.CSE, ACTOR)
    member.remove_contact(contact_id, ACTOR)

    assert member.contacts == ()
    assert member.interlocutors == ()
    assert event_names(member)[-2:] == ["InterlocutorUnassigned", "ContactRemoved"]


def test_an_unknown_contact_cannot_be_an_interlocutor() -> None:
    with pytest.raises(NotFound) as refused:
        a_member().assign_interlocutor(Interlocutor.CSSCT, 1, ACTOR)

    assert refused.value.code == "CONTACT_NOT_FOUND"


def test_a_contact_is_changed_and_an_unchanged_one_records_no_event() -> None:
    member = a_member()
    contact_id = member.add_contact(a_contact(), ACTOR)
    changed = Contact(contact_id, "Martin", "Claire", "Présidente", email=Email("c@martin.fr"))

    member.change_contact(member.contact(contact_id), ACTOR)
    member.change_contact(changed, ACTOR)

    assert event_names(member) == ["Registered", "ContactAdded", "ContactChanged"]
    assert member.contact(contact_id).function == "Présidente"
    assert member.contact(contact_id).phone is None


# Changes of situation ----------------------------------------------------------------------------


def test_a_situation_change_is_declared() -> None:
    member = a_member()

    change_id = member.declare_situation_change(
        SituationChangeKind.SALE, "  Cession du fonds à la SARL Dupain ", date(2024, 9, 1), ACTOR
    )

    assert change_id == 1
    (change,) = member.situation_changes
    assert change.kind is SituationChangeKind.SALE
    assert change.description == "Cession du fonds à la SARL Dupain"
    assert change.effective_on == date(2024, 9, 1)


def test_a_situation_change_needs_a_description() -> None:
    with pytest.raises(InvalidValue) as refused:
        a_member().declare_situation_change(SituationChangeKind.OTHER, " ", date(2024, 9, 1), ACTOR)

    assert refused.value.field == "description"


# SEPA mandate ----------------------------------------------------------------------------------


def test_a_sepa_mandate_is_signed_then_revoked() -> None:
    member = a_member()

    member.sign_sepa_mandate(a_mandate(), ACTOR)
    assert member.sepa_mandate is not None
    assert member.sepa_mandate.is_active
    member.revoke_sepa_mandate(date(2024, 12, 31), ACTOR)

    assert member.sepa_mandate.revoked_on == date(2024, 12, 31)
    assert not member.sepa_mandate.is_active
    assert member.sepa_mandate.iban == IBAN
    assert event_names(member) == ["Registered", "SepaMandateSigned", "SepaMandateRevoked"]


def test_a_second_mandate_is_refused_while_one_is_active() -> None:
    member = a_member()
    member.sign_sepa_mandate(a_mandate(), ACTOR)

    with pytest.raises(RuleViolation) as refused:
        member.sign_sepa_mandate(a_mandate("RUM-00010-2"), ACTOR)

    assert refused.value.code == "MANDATE_ALREADY_ACTIVE"


def test_a_new_mandate_may_be_signed_after_revocation() -> None:
    member = a_member()
    member.sign_sepa_mandate(a_mandate(), ACTOR)
    member.revoke_sepa_mandate(date(2024, 12, 31), ACTOR)

    member.sign_sepa_mandate(a_mandate("RUM-00010-2", date(2025, 1, 5)), ACTOR)

    assert member.sepa_mandate is not None
    assert member.sepa_mandate.reference == "RUM-00010-2"
    assert member.sepa_mandate.is_active


def test_revoking_without_an_active_mandate_is_refused() -> None:
    member = a_member()
    with pytest.raises(RuleViolation) as never_signed:
        member.revoke_sepa_mandate(date(2024, 12, 31), ACTOR)
    member.sign_sepa_mandate(a_mandate(), ACTOR)
    member.revoke_sepa_mandate(date(2024, 12, 31), ACTOR)

    with pytest.raises(RuleViolation) as already_revoked:
        member.revoke_sepa_mandate(date(2025, 1, 31), ACTOR)

    assert never_signed.value.code == already_revoked.value.code == "NO_ACTIVE_MANDATE"


def test_a_mandate_cannot_be_revoked_before_it_was_signed() -> None:
    member = a_member()
    member.sign_sepa_mandate(a_mandate(signed_on=date(2024, 1, 10)), ACTOR)

    with pytest.raises(InvalidValue) as refused:
        member.revoke_sepa_mandate(date(2024, 1, 9), ACTOR)

    assert refused.value.code == "INVALID_PERIOD"


@pytest.mark.parametrize(
    "iban", ["FR14 2004 1010 0505 0001 3M02 607", "FR14", "XX14 2004 1010 0505 0001 3M02 606"]
)
def test_an_invalid_iban_is_refused(iban: str) -> None:
    with pytest.raises(InvalidValue) as refused:
        Iban(iban)

    assert refused.value.code == "INVALID_IBAN"


@pytest.mark.parametrize("reference", ["", "   ", "R" * 36, "RUM-éèà"])
def test_an_invalid_mandate_reference_is_refused(reference: str) -> None:
    with pytest.raises(InvalidValue) as refused:
        a_member().sign_sepa_mandate(a_mandate(reference), ACTOR)

    assert refused.value.code == "INVALID_MANDATE_REFERENCE"


# Membership -----------------------------------------------------------------------------------


def test_a_membership_is_suspended_then_resumed() -> None:
    member = a_member()

    member.suspend("Cotisations impayées", date(2024, 3, 1), ACTOR)
    assert member.status is MembershipStatus.SUSPENDED
    assert member.status_since == date(2024, 3, 1)
    member.resume(date(2024, 4, 1), ACTOR)

    assert member.status is MembershipStatus.ACTIVE
    assert member.status_since == date(2024, 4, 1)
    assert event_names(member)[-2:] == ["MembershipSuspended", "MembershipResumed"]


def test_only_an_active_membership_is_suspended_and_only_a_suspended_one_resumed() -> None:
    member = a_member()
    with pytest.raises(RuleViolation) as resumed_while_active:
        member.resume(date(2024, 3, 1), ACTOR)
    member.suspend("Cotisations impayées", date(2024, 3, 1), ACTOR)

    with pytest.raises(RuleViolation) as suspended_twice:
        member.suspend("Encore", date(2024, 3, 2), ACTOR)

    assert resumed_while_active.value.code == "INVALID_MEMBERSHIP_STATUS"
    assert suspended_twice.value.code == "INVALID_MEMBERSHIP_STATUS"


def test_a_suspension_needs_a_reason() -> None:
    with pytest.raises(InvalidValue) as refused:
        a_member().suspend("  ", date(2024, 3, 1), ACTOR)

    assert refused.value.field == "reason"


@pytest.mark.parametrize("suspended_first", [False, True])
def test_a_membership_is_terminated(suspended_first: bool) -> None:
    member = a_member()
    if suspended_first:
        member.suspend("Cotisations impayées", date(2024, 3, 1), ACTOR)

    member.terminate("Cessation d'activité", date(2024, 12, 31), ACTOR)

    assert member.status is MembershipStatus.TERMINATED
    assert member.status_since == date(2024, 12, 31)


MemberChange = Callable[[Member], object]

REFUSED_AFTER_TERMINATION: list[tuple[str, MemberChange]] = [
    (
        "administrative-information",
        lambda m: m.change_administrative_information(
            legal_name="Autre nom", siret=SIRET, vat_number=None, has_cse=None, actor=ACTOR
        ),
    ),
    ("address", lambda m: m.change_address(AddressKind.BILLING, an_address(), ACTOR)),
    (
        "open-branch",
        lambda m: m.open_branch(name="Atelier", address=an_address(), siret=None, actor=ACTOR),
    ),
    (
        "situation-change",
        lambda m: m.declare_situation_change(
            SituationChangeKind.OTHER, "Reprise", date(2025, 1, 1), ACTOR
        ),
    ),
    ("sepa-mandate", lambda m: m.sign_sepa_mandate(a_mandate(), ACTOR)),
    ("terminate-again", lambda m: m.terminate("Encore", date(2025, 1, 1), ACTOR)),
    ("workforce-change", lambda m: m.check_accepts_changes()),
]


@pytest.mark.parametrize(
    "change",
    [pytest.param(change, id=name) for name, change in REFUSED_AFTER_TERMINATION],
)
def test_a_terminated_member_refuses_changes(change: MemberChange) -> None:
    member = a_member()
    member.terminate("Cessation d'activité", date(2024, 12, 31), ACTOR)
    member.collect_events()

    with pytest.raises(RuleViolation) as refused:
        change(member)

    assert refused.value.code == "MEMBERSHIP_TERMINATED"
    assert member.collect_events() == []


def test_a_terminated_member_cannot_be_resumed() -> None:
    member = a_member()
    member.terminate("Cessation d'activité", date(2024, 12, 31), ACTOR)

    with pytest.raises(RuleViolation) as refused:
        member.resume(date(2025, 1, 1), ACTOR)

    assert refused.value.code == "INVALID_MEMBERSHIP_STATUS"


def test_an_active_or_suspended_member_accepts_workforce_changes() -> None:
    member = a_member()
    member.check_accepts_changes()
    member.suspend("Cotisations impayées", date(2024, 3, 1), ACTOR)

    member.check_accepts_changes()  # does not raise

    assert member.status is MembershipStatus.SUSPENDED


# Actors ---------------------------------------------------------------------------------------


def test_every_event_records_its_actor() -> None:
    actors = [Actor(f"user-{i}") for i in range(9)]
    member = a_member(actor=actors[0])
    member.change_administrative_information(
        legal_name="Martin SAS", siret=SIRET, vat_number=None, has_cse=False, actor=actors[1]
    )
    member.change_address(AddressKind.WORKSITE, a_confirmed_address(), actors[2])
    member.open_branch(name="Atelier", address=an_address(), siret=None, actor=actors[3])
    contact_id = member.add_contact(a_contact(), actors[4])
    member.assign_interlocutor(Interlocutor.LEGAL_REPRESENTATIVE, contact_id, actors[5])
    member.sign_sepa_mandate(a_mandate(), actors[6])
    member.suspend("Impayés", date(2024, 3, 1), actors[7])
    member.terminate("Fermeture", date(2024, 6, 30), actors[8])

    events = member.collect_events()

    assert [e.actor for e in events] == actors  # type: ignore[attr-defined]


def test_domain_errors_carry_a_code_and_a_french_message() -> None:
    with pytest.raises(DomainError) as refused:
        a_member("abc")

    assert refused.value.code == "INVALID_MEMBER_CODE"
    assert refused.value.message == str(refused.value)
    assert "INVALID_MEMBER_CODE" in repr(refused.value)
