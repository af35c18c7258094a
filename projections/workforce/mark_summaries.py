"""Audit summaries of the identity marks (`domain.workforce.identity_marks`): a count, never the
value it counts."""

from projections.summaries import Summaries

MARK_SUMMARIES: Summaries = {
    "MarkOpened": lambda e: "Identité d'un salarié repérée (contrôle des doublons)",
    "MarkTaken": lambda e: "Identité repérée de nouveau (contrôle des doublons)",
    "MarkReleased": lambda e: "Repère d'identité libéré (identité corrigée ou effacée)",
}
