"""Edits of the work situations of step 9 and of the PCS-ESE occupations: what each edit
records, once checked against the shipped catalogue and the edits made so far."""

from domain.catalogues.edited import EditedCatalogue
from domain.catalogues.entries import (
    LABEL_LIMIT,
    LONG_LABEL_LIMIT,
    CatalogueOccupation,
    CatalogueWorkSituation,
    ShippedCatalogue,
    catalogue_code,
    pcs_code_of,
    same,
    source_text,
)
from domain.errors import InvalidValue, NotFound, RuleViolation
from domain.identifiers import PcsCode
from domain.text import SHOWN_CODE, required_text, shown
from domain.workforce.follow_up import FollowUpDeterminant

# Work situations ---------------------------------------------------------------------------------


def new_work_situation(  # noqa: PLR0917 (the situation's fields)
    edited: EditedCatalogue,
    shipped: ShippedCatalogue,
    code: str,
    heading: str,
    label: str,
    determinant: FollowUpDeterminant | None,
    source: str,
) -> CatalogueWorkSituation:
    """A situation under a heading, known or new (spelt as the known one when it is the same,
    case and spacing aside), declaring `determinant` or only informing the service (`None`). A
    determinant is offered by one situation in use at most: an employee keeps the determinant,
    not the situation, so two situations declaring it could not be told apart."""
    code = catalogue_code(code, "code")
    if determinant is FollowUpDeterminant.REPORTED_SITUATION:
        raise InvalidValue(
            "Une situation qui informe seulement le service se déclare sans déterminant.",
            code="INVALID_DETERMINANT",
            field="determinant",
        )
    heading = required_text(heading, "heading", "La rubrique", LABEL_LIMIT)
    label = required_text(label, "label", "Le libellé", LABEL_LIMIT)
    source = source_text(source)
    known = edited.known_situations(shipped)
    if any(situation.code == code for situation in known):
        retired = " retirée" if code in edited.retired_situations else ""
        raise RuleViolation(
            f"Le code « {code} » est déjà celui d'une situation de travail{retired} du"
            " catalogue : choisissez-en un autre.",
            code="DUPLICATE_SITUATION_CODE",
            field="code",
        )
    heading = next((s.heading for s in known if same(s.heading, heading)), heading)
    for situation in edited.active_situations(shipped):
        if same(situation.heading, heading) and same(situation.label, label):
            raise RuleViolation(
                f"La situation « {situation.label} » est déjà au catalogue sous la rubrique"
                f" « {situation.heading} ».",
                code="DUPLICATE_WORK_SITUATION",
                field="label",
            )
        if determinant is not None and situation.determinant is determinant:
            raise RuleViolation(
                f"Le déterminant « {determinant.label} » est déjà déclaré par la situation"
                f" « {situation.label} » : un salarié n'en garde que le déterminant, deux"
                " situations qui le déclarent ne se distingueraient pas. Retirez d'abord"
                " l'ancienne si la nouvelle la remplace.",
                code="DUPLICATE_SITUATION_DETERMINANT",
                field="determinant",
            )
    return CatalogueWorkSituation(code, heading, label, determinant, source)


def work_situation_to_retire(edited: EditedCatalogue, shipped: ShippedCatalogue, code: str) -> str:
    found = next((s for s in edited.known_situations(shipped) if s.code == code), None)
    if found is None:
        raise NotFound(
            f"La situation de travail « {shown(code, SHOWN_CODE)} » n'existe pas dans le"
            " catalogue.",
            code="UNKNOWN_WORK_SITUATION",
            field="code",
        )
    if code in edited.retired_situations:
        raise RuleViolation(
            f"La situation « {found.label} » est déjà retirée du catalogue.",
            code="WORK_SITUATION_ALREADY_RETIRED",
            field="code",
        )
    return code


# PCS-ESE occupations -----------------------------------------------------------------------------


def new_pcs_occupation(
    edited: EditedCatalogue, shipped: ShippedCatalogue, code: str, label: str, source: str
) -> CatalogueOccupation:
    """An occupation of the nomenclature the catalogue lacks (a code is never taken back: not
    even one retired)."""
    pcs = pcs_code_of(code)
    label = required_text(label, "label", "Le libellé", LONG_LABEL_LIMIT)
    source = source_text(source)
    known = next((o for o in edited.known_occupations(shipped) if o.code == pcs), None)
    if known is not None:
        retired = " (retiré du catalogue)" if pcs in edited.retired_occupations else ""
        raise RuleViolation(
            f"Le code PCS-ESE {pcs} est déjà celui de « {known.label} »{retired}.",
            code="DUPLICATE_PCS_CODE",
            field="code",
        )
    return CatalogueOccupation(pcs, label, source)


def pcs_occupation_to_retire(
    edited: EditedCatalogue, shipped: ShippedCatalogue, code: str
) -> PcsCode:
    pcs = pcs_code_of(code)
    found = next((o for o in edited.known_occupations(shipped) if o.code == pcs), None)
    if found is None:
        raise NotFound(
            f"Le code PCS-ESE {pcs} n'est pas au catalogue.",
            code="UNKNOWN_PCS_OCCUPATION",
            field="code",
        )
    if pcs in edited.retired_occupations:
        raise RuleViolation(
            f"La profession {pcs} « {found.label} » est déjà retirée du catalogue.",
            code="PCS_OCCUPATION_ALREADY_RETIRED",
            field="code",
        )
    return pcs
