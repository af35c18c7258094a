"""Audit summaries of the risk assessment's (DUERP) events."""

from projections.summaries import Summaries, french_date

SUMMARIES: Summaries = {
    "RiskAssessmentStarted": lambda e: "Évaluation des risques commencée",
    "WorkUnitCreated": lambda e: f"Unité de travail créée : {e.unit.name}",
    "WorkUnitRenamed": lambda e: f"Unité de travail n° {e.unit_id} renommée : {e.name}",
    "WorkUnitRemoved": lambda e: f"Unité de travail n° {e.unit_id} supprimée",
    "EmployeesAssignedToWorkUnit": lambda e: (
        f"Salariés de l'unité de travail n° {e.unit_id} : {len(e.employee_ids)}"
    ),
    "RiskAddedToWorkUnit": lambda e: f"Risque {e.risk_code} ajouté à l'unité n° {e.unit_id}",
    "RiskRemovedFromWorkUnit": lambda e: f"Risque {e.risk_code} retiré de l'unité n° {e.unit_id}",
    "RiskEvaluated": lambda e: (
        f"Risque {e.evaluation.risk_code} évalué (unité n° {e.evaluation.unit_id}) : priorité"
        f" {e.evaluation.priority.value}"
    ),
    "ActionPlanned": lambda e: (
        f"Action de prévention prévue pour le {french_date(e.action.due_on)} : {e.action.title}"
    ),
    "ActionRescheduled": lambda e: f"Action n° {e.action_id} reportée au {french_date(e.due_on)}",
    "ActionDone": lambda e: f"Action n° {e.action_id} réalisée le {french_date(e.done_on)}",
    "ActionCancelled": lambda e: f"Action n° {e.action_id} annulée : {e.reason}",
    "AssessmentPublished": lambda e: (
        f"Document unique, version {e.number}, publié le {french_date(e.published_on)}"
    ),
    "ExistingDocumentRecorded": lambda e: f"Document unique déposé : {e.document.file_name}",
}
