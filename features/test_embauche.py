"""Embauche d'un salarié, and the identifiers checked on the way (NIR, SIRET)."""

import re
from uuid import UUID

from pytest_bdd import scenarios, then, when

from application.members.commands import ChangeAdministrativeInformation
from application.registre import Registre
from domain.identifiers import Siret
from features.steps.vocabulary import EMPLOYER, Answer, Person, phrase, request_by

scenarios("embauche.feature")


@when(phrase("l'adhérent enregistre le SIRET « {siret} » dans ses informations administratives"))
def enter_siret(registre: Registre, answer: Answer, member_id: UUID, siret: str) -> None:
    """Only the SIRET changes: the rest of the form is sent back as it was."""
    request = request_by(EMPLOYER, {})
    member = registre.member(member_id)
    answer.submit(
        lambda: registre.handle(
            request,
            ChangeAdministrativeInformation(
                member_id=member_id,
                legal_name=member.legal_name,
                siret=Siret(siret),
                vat_number=member.vat_number,
                has_cse=member.has_cse,
            ),
        )
    )


@then(phrase("le SIRET de l'adhérent est « {siret} »"))
def member_siret(registre: Registre, member_id: UUID, siret: str) -> None:
    assert registre.member(member_id).siret == siret


@then("le message affiché ne reprend pas le NIR saisi")
def nir_not_shown(answer: Answer, person: Person) -> None:
    assert answer.refusal is not None
    digits = re.sub(r"\D", "", person.nir)
    assert digits not in re.sub(r"\D", "", answer.refusal.message)
