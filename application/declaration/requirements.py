"""What a member's own records must hold before a step of its declaration can be completed."""

from domain.catalogues.catalogue import Catalogues
from domain.catalogues.questionnaire import missing_answers
from domain.declaration.declaration import Declaration
from domain.declaration.steps import Step
from domain.members.member import Member
from domain.members.organisation import AddressKind


def unmet(step: Step, member: Member, declaration: Declaration, catalogue: Catalogues) -> list[str]:
    """What the member's own records still miss for a step (French, for the user)."""
    if step is Step.COMPANY:
        return company_unmet(member)
    if step is Step.CONTACTS and not member.has_legal_representative:
        return ["désignez le représentant légal de l'entreprise (obligatoire)"]
    if step is Step.PREVENTION:
        return prevention_unmet(catalogue, declaration)
    return []


def prevention_unmet(catalogue: Catalogues, declaration: Declaration) -> list[str]:
    """Step 4: every required question of the six themes answered, as the catalogue in effect
    asks them (a question the service added included, one it retired left out)."""
    unmet = []
    for theme in catalogue.prevention_themes:
        missing = missing_answers(theme, declaration.prevention.get(theme.code, {}))
        if missing:
            unmet.append(f"thème « {theme.label} » : {len(missing)} question(s) sans réponse")
    return unmet


def company_unmet(member: Member) -> list[str]:
    """Step 1: the administrative information the service needs, in French."""
    unmet = []
    if member.siret is None:
        unmet.append("renseignez le SIRET")
    if member.has_cse is None:
        unmet.append("indiquez si l'entreprise a un CSE")
    worksite = member.address(AddressKind.WORKSITE)
    if worksite is None or worksite.coordinates is None:
        unmet.append("confirmez l'adresse du lieu de travail sur la carte")
    for kind in (AddressKind.BILLING, AddressKind.CONVOCATION):
        if member.address(kind) is None:
            unmet.append(f"renseignez l'{kind.label}")
    return unmet
