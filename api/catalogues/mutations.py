"""Mutations of the catalogues by the service's staff: risks (add, change, retire), suggested
prevention actions (add), CMR agents (add, retire), work situations (add, retire), PCS-ESE
occupations (add, retire), questions of the prevention questionnaire (add, retire). Each names
its source; the catalogue queries show the effect at once (`catalogueSources` counts the
entries edited), and the declaration accepts what was added and refuses what was retired."""

import strawberry

from api.commands import CommandInput
from api.enums import AgentKind, FollowUpDeterminant
from api.message_mutations import RecordChanged, answer, sends
from api.rules import SERVICE
from application.catalogues.commands import (
    AddCatalogueRisk,
    AddCmrAgent,
    AddPcsOccupation,
    AddPreventionQuestion,
    AddSuggestedAction,
    AddWorkSituation,
    ChangeCatalogueRisk,
    RetireCatalogueRisk,
    RetireCmrAgent,
    RetirePcsOccupation,
    RetirePreventionQuestion,
    RetireWorkSituation,
)
from domain.catalogues.question_kinds import QuestionKind

SOURCE_DESCRIPTION = (
    "La source sur laquelle le service s'appuie (texte réglementaire, brochure, avis du médecin"
    " du travail…) ; mettre « provisoire » pour une entrée encore à relire."
)


@strawberry.input(description="Une modification du catalogue, et sa source.")
class CatalogueEditInput(CommandInput):
    source: str = strawberry.field(description=SOURCE_DESCRIPTION)


@strawberry.input(description="Nouveau risque du catalogue, dans une famille existante.")
class AddCatalogueRiskInput(CatalogueEditInput):
    family_code: str = strawberry.field(description="Code de la famille (« biomechanical »…).")
    code: str = strawberry.field(
        description="Code du risque : minuscules sans accent, chiffres, « _ » et « . »."
    )
    label: str
    description: str


@strawberry.input(description="Nouveau libellé et/ou nouvelle description d'un risque.")
class ChangeCatalogueRiskInput(CatalogueEditInput):
    code: str
    label: str | None = strawberry.field(default=None, description="Inchangé si absent.")
    description: str | None = strawberry.field(default=None, description="Inchangée si absente.")


@strawberry.input(
    description="Retrait d'un risque : il n'est plus proposé ; les déclarations qui l'ont déjà"
    " gardent son code."
)
class RetireCatalogueRiskInput(CatalogueEditInput):
    code: str


@strawberry.input(description="Nouvelle action de prévention suggérée pour un risque.")
class AddSuggestedActionInput(CatalogueEditInput):
    risk_code: str
    code: str = strawberry.field(
        description="Code de l'action : minuscules sans accent, chiffres, « _ » et « . »."
    )
    label: str


@strawberry.input(
    description="Nouvel agent CMR : une substance (numéro CAS obligatoire) ou un procédé (sans"
    " numéro CAS)."
)
class AddCmrAgentInput(CatalogueEditInput):
    kind: AgentKind
    name: str = strawberry.field(description="Nom français.")
    clp_hazard: str = strawberry.field(description="Classification CLP (« Carc. 1B »…).")
    name_en: str | None = strawberry.field(default=None, description="Nom anglais, facultatif.")
    cas_number: str | None = None


@strawberry.input(
    description="Retrait d'un agent CMR, désigné par son numéro CAS ou par son nom (l'un ou"
    " l'autre) : il n'est plus proposé ; les expositions déjà enregistrées le gardent."
)
class RetireCmrAgentInput(CatalogueEditInput):
    cas_number: str | None = None
    name: str | None = None


@strawberry.input(
    description="Nouvelle situation de travail de l'étape 9, sous une rubrique existante ou"
    " nouvelle."
)
class AddWorkSituationInput(CatalogueEditInput):
    code: str = strawberry.field(
        description="Code de la situation : minuscules sans accent, chiffres, « _ » et « . »."
    )
    heading: str = strawberry.field(
        description="Rubrique (« Être exposé au plomb »…) : celle d'une situation du catalogue"
        " pour l'y ranger, ou une nouvelle."
    )
    label: str
    determinant: FollowUpDeterminant | None = strawberry.field(
        default=None,
        description="Déterminant de suivi que la situation déclare, proposé par une seule"
        " situation ; absent pour une situation qui informe seulement le service (elle ne"
        " s'affecte pas aux salariés).",
    )


@strawberry.input(
    description="Retrait d'une situation de travail : elle n'est plus proposée ni affectable ;"
    " les déterminants déjà déclarés restent."
)
class RetireWorkSituationInput(CatalogueEditInput):
    code: str


@strawberry.input(description="Nouvelle profession de la nomenclature PCS-ESE.")
class AddPcsOccupationInput(CatalogueEditInput):
    code: str = strawberry.field(description="Code PCS-ESE : 3 chiffres et une lettre (« 344b »).")
    label: str


@strawberry.input(
    description="Retrait d'une profession PCS-ESE : elle n'est plus proposée ; les contrats qui"
    " ont son code le gardent, et les risques suggérés par code PCS-ESE le reconnaissent encore."
)
class RetirePcsOccupationInput(CatalogueEditInput):
    code: str


@strawberry.input(
    description="Nouvelle question d'un thème de prévention (étape 4), posée à la fin du thème :"
    " `choices` pour les questions à choix (deux au moins), `integer`, `min` et `max` pour les"
    " nombres. Obligatoire, elle retient l'étape 4 des déclarations jusqu'à sa réponse."
)
class AddPreventionQuestionInput(CatalogueEditInput):
    theme_code: str = strawberry.field(description="Code du thème (« activity »…).")
    question_id: str = strawberry.field(
        description="Identifiant de la question dans le thème : minuscules sans accent, chiffres,"
        " « _ » et « . » ; jamais celui d'une autre question du thème, même retirée."
    )
    label: str
    kind: QuestionKind
    required: bool
    choices: list[str] = strawberry.field(default_factory=list)
    integer: bool = False
    minimum: float | None = strawberry.field(default=None, name="min")
    maximum: float | None = strawberry.field(default=None, name="max")


@strawberry.input(
    description="Retrait d'une question de prévention : elle n'est plus posée ni exigée ; les"
    " réponses déjà données restent dans les déclarations. Un thème garde au moins une question."
)
class RetirePreventionQuestionInput(CatalogueEditInput):
    theme_code: str
    question_id: str


@strawberry.type(description="Le catalogue après la modification.")
class CatalogueEdited(RecordChanged): ...


EDITED = answer("CatalogueEditResult", CatalogueEdited, CatalogueEdited.read)


@strawberry.type
class CatalogueMutations:
    add_catalogue_risk = sends(
        AddCatalogueRisk,
        AddCatalogueRiskInput,
        EDITED,
        "Ajouter un risque au catalogue (par le service).",
        SERVICE,
    )
    change_catalogue_risk = sends(
        ChangeCatalogueRisk,
        ChangeCatalogueRiskInput,
        EDITED,
        "Modifier le libellé ou la description d'un risque (par le service).",
        SERVICE,
    )
    retire_catalogue_risk = sends(
        RetireCatalogueRisk,
        RetireCatalogueRiskInput,
        EDITED,
        "Retirer un risque du catalogue (par le service).",
        SERVICE,
    )
    add_suggested_action = sends(
        AddSuggestedAction,
        AddSuggestedActionInput,
        EDITED,
        "Suggérer une action de prévention pour un risque (par le service).",
        SERVICE,
    )
    add_cmr_agent = sends(
        AddCmrAgent,
        AddCmrAgentInput,
        EDITED,
        "Ajouter un agent CMR au catalogue (par le service).",
        SERVICE,
    )
    retire_cmr_agent = sends(
        RetireCmrAgent,
        RetireCmrAgentInput,
        EDITED,
        "Retirer un agent CMR du catalogue (par le service).",
        SERVICE,
    )
    add_work_situation = sends(
        AddWorkSituation,
        AddWorkSituationInput,
        EDITED,
        "Ajouter une situation de travail au catalogue (par le service).",
        SERVICE,
    )
    retire_work_situation = sends(
        RetireWorkSituation,
        RetireWorkSituationInput,
        EDITED,
        "Retirer une situation de travail du catalogue (par le service).",
        SERVICE,
    )
    add_pcs_occupation = sends(
        AddPcsOccupation,
        AddPcsOccupationInput,
        EDITED,
        "Ajouter une profession PCS-ESE au catalogue (par le service).",
        SERVICE,
    )
    retire_pcs_occupation = sends(
        RetirePcsOccupation,
        RetirePcsOccupationInput,
        EDITED,
        "Retirer une profession PCS-ESE du catalogue (par le service).",
        SERVICE,
    )
    add_prevention_question = sends(
        AddPreventionQuestion,
        AddPreventionQuestionInput,
        EDITED,
        "Ajouter une question à un thème de prévention (par le service).",
        SERVICE,
    )
    retire_prevention_question = sends(
        RetirePreventionQuestion,
        RetirePreventionQuestionInput,
        EDITED,
        "Retirer une question d'un thème de prévention (par le service).",
        SERVICE,
    )
