"""Edits of the risks of step 5 and of the prevention actions suggested for them (step 8): what
each edit records, once checked against the shipped catalogue and the edits made so far."""

from domain.catalogues.edited import EditedCatalogue
from domain.catalogues.entries import (
    LABEL_LIMIT,
    CatalogueAction,
    CatalogueRisk,
    RiskChange,
    ShippedCatalogue,
    catalogue_code,
    description_text,
    same,
    source_text,
    unknown_risk,
)
from domain.errors import NotFound, RuleViolation
from domain.text import SHOWN_CODE, required_text, shown


def new_risk(  # noqa: PLR0917 (the risk's fields)
    edited: EditedCatalogue,
    shipped: ShippedCatalogue,
    family_code: str,
    code: str,
    label: str,
    description: str,
    source: str,
) -> CatalogueRisk:
    code = catalogue_code(code, "code")
    if family_code not in shipped.families:
        raise NotFound(
            f"La famille de risques « {shown(family_code, SHOWN_CODE)} » n'existe pas dans le"
            " catalogue.",
            code="UNKNOWN_RISK_FAMILY",
            field="family_code",
        )
    label = required_text(label, "label", "Le libellé", LABEL_LIMIT)
    description = description_text(description)
    source = source_text(source)
    if edited.known_risk(shipped, code) is not None:
        raise RuleViolation(
            f"Le code « {code} » est déjà celui d'un risque"
            f"{' retiré' if code in edited.retired_risks else ''} du catalogue : choisissez-en"
            " un autre.",
            code="DUPLICATE_RISK_CODE",
            field="code",
        )
    edited.check_unique_risk_label(shipped, label, code)
    return CatalogueRisk(code, family_code, label, description, source)


def risk_change(  # noqa: PLR0917 (the risk's fields)
    edited: EditedCatalogue,
    shipped: ShippedCatalogue,
    code: str,
    label: str | None,
    description: str | None,
    source: str,
) -> RiskChange | None:
    """New label and/or description (`None`: unchanged); None when both stay as they are."""
    current = edited.active_risk(shipped, code, "code")
    label = (
        current.label if label is None else required_text(label, "label", "Le libellé", LABEL_LIMIT)
    )
    description = current.description if description is None else description_text(description)
    source = source_text(source)
    if (label, description) == (current.label, current.description):
        return None
    edited.check_unique_risk_label(shipped, label, code)
    return RiskChange(code, label, description, source)


def risk_to_retire(edited: EditedCatalogue, shipped: ShippedCatalogue, code: str) -> str:
    if edited.known_risk(shipped, code) is None:
        raise unknown_risk(code, "code")
    if code in edited.retired_risks:
        raise RuleViolation(
            f"Le risque « {code} » est déjà retiré du catalogue.",
            code="RISK_ALREADY_RETIRED",
            field="code",
        )
    return code


def new_suggested_action(  # noqa: PLR0917 (the action's fields)
    edited: EditedCatalogue,
    shipped: ShippedCatalogue,
    risk_code: str,
    code: str,
    label: str,
    source: str,
) -> CatalogueAction:
    edited.active_risk(shipped, risk_code, "risk_code")
    code = catalogue_code(code, "code")
    label = required_text(label, "label", "Le libellé", LABEL_LIMIT)
    source = source_text(source)
    actions = [*shipped.actions.values(), *edited.added_actions]
    if any(action.code == code for action in actions):
        raise RuleViolation(
            f"Le code « {code} » est déjà celui d'une action suggérée : choisissez-en un autre.",
            code="DUPLICATE_ACTION_CODE",
            field="code",
        )
    if any(a.risk_code == risk_code and same(a.label, label) for a in actions):
        raise RuleViolation(
            f"L'action « {label} » est déjà suggérée pour ce risque.",
            code="DUPLICATE_ACTION",
            field="label",
        )
    return CatalogueAction(code, risk_code, label, source)
