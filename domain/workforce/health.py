"""Health-related records of an employee: follow-up determinants and CMR exposures.

Both are health data (BILLING.md §6): storage encrypts them under the person's health key.
"""

import enum
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from domain.errors import InvalidValue, RuleViolation
from domain.identifiers import CasNumber
from domain.text import optional_text
from domain.workforce.follow_up import FollowUpDeterminant

MAX_NOTE_LENGTH = 2000
MAX_AGENT_NAME = 300
HOURS_IN_A_WEEK = 168


def clean_note(value: str | None, field: str, label: str) -> str | None:
    return optional_text(value, field, label, MAX_NOTE_LENGTH, multiline=True, code="TEXT_TOO_LONG")


def check_period(
    started_on: date, ended_on: date | None, what: str, field: str = "ended_on"
) -> None:
    """`field`: the end's name where the caller took it (`last_day` when a period is ended)."""
    if ended_on is not None and ended_on < started_on:
        raise InvalidValue(
            f"La date de fin {what} ne peut précéder sa date de début.",
            code="INVALID_PERIOD",
            field=field,
        )


@dataclass(frozen=True, slots=True)
class DeterminantPeriod:
    """Déterminant de suivi, en vigueur du `started_on` au `ended_on` inclus. `situation`: the
    label of the situation a `REPORTED_SITUATION` reports (« Risques psychosociaux »)."""

    determinant_id: int
    determinant: FollowUpDeterminant
    started_on: date
    ended_on: date | None = None
    note: str | None = None
    retracted: bool = False
    situation: str | None = None

    def validated(self) -> "DeterminantPeriod":
        note = clean_note(self.note, "note", "La note")
        situation = optional_text(
            self.situation, "situation_code", "La situation signalée", MAX_AGENT_NAME
        )
        if (situation is None) is (self.determinant is FollowUpDeterminant.REPORTED_SITUATION):
            raise InvalidValue(
                "Une situation signalée au service se déclare en affectant la situation de travail"
                " du catalogue qu'elle est (étape 9).",
                code="INVALID_REPORTED_SITUATION",
                field="determinant",
            )
        if self.determinant.needs_reason and note is None:
            raise InvalidValue(
                "Un poste à risque particulier déclaré par l'employeur doit être motivé par écrit"
                " (R4624-23 III).",
                code="REASON_REQUIRED",
                field="note",
            )
        check_period(self.started_on, self.ended_on, "du déterminant")
        return replace(self, note=note, situation=situation)

    def in_effect_on(self, day: date) -> bool:
        return (
            not self.retracted
            and self.started_on <= day
            and (self.ended_on is None or day <= self.ended_on)
        )


class AgentKind(enum.Enum):
    SUBSTANCE = "SUBSTANCE"
    PROCESS = "PROCESS"


@dataclass(frozen=True, slots=True)
class CmrAgent:
    """Agent CMR: une substance (numéro CAS) ou un procédé cancérogène."""

    kind: AgentKind
    name: str
    cas_number: CasNumber | None = None

    def validated(self) -> "CmrAgent":
        name = optional_text(self.name, "name", "Le nom de l'agent CMR", MAX_AGENT_NAME)
        if name is None:
            raise InvalidValue("Le nom de l'agent CMR est obligatoire.", code="INVALID_AGENT")
        if self.kind is AgentKind.SUBSTANCE and self.cas_number is None:
            raise InvalidValue(
                "Une substance CMR s'identifie par son numéro CAS.",
                code="CAS_NUMBER_REQUIRED",
                field="cas_number",
            )
        if self.kind is AgentKind.PROCESS and self.cas_number is not None:
            raise InvalidValue(
                "Un procédé n'a pas de numéro CAS.", code="INVALID_AGENT", field="cas_number"
            )
        return replace(self, name=name, cas_number=CasNumber.coerce_optional(self.cas_number))


class ExposureRoute(enum.Enum):
    """Nature de l'exposition: voie de pénétration."""

    INHALATION = "INHALATION"
    SKIN = "SKIN"
    INGESTION = "INGESTION"


class ExposureDegree(enum.Enum):
    """Degré d'exposition estimé."""

    LOW = "LOW"
    MODERATE = "MODERATE"
    HIGH = "HIGH"


@dataclass(frozen=True, slots=True)
class Exposure:
    """Exposition d'un salarié à un agent CMR (décret 2024-307, R4412-93-1)."""

    exposure_id: int
    agent: CmrAgent
    started_on: date
    ended_on: date | None = None
    routes: tuple[ExposureRoute, ...] = ()
    hours_per_week: Decimal | None = None
    degree: ExposureDegree | None = None
    comment: str | None = None
    withdrawn: bool = False

    def validated(self) -> "Exposure":
        check_period(self.started_on, self.ended_on, "d'exposition")
        hours = self.hours_per_week
        if hours is not None and not (hours.is_finite() and 0 < hours <= HOURS_IN_A_WEEK):
            raise InvalidValue(
                "La durée d'exposition doit être comprise entre 0 et 168 heures par semaine.",
                code="INVALID_DURATION",
                field="hours_per_week",
            )
        return replace(
            self,
            agent=self.agent.validated(),
            routes=tuple(dict.fromkeys(self.routes)),
            comment=clean_note(self.comment, "comment", "Le commentaire"),
        )

    def in_effect_on(self, day: date) -> bool:
        return (
            not self.withdrawn
            and self.started_on <= day
            and (self.ended_on is None or day <= self.ended_on)
        )

    def ended(self, last_day: date) -> "Exposure":
        if self.ended_on is not None:
            raise RuleViolation(
                "Cette exposition est déjà terminée.", code="EXPOSURE_ALREADY_ENDED"
            )
        check_period(self.started_on, last_day, "d'exposition", "last_day")
        return replace(self, ended_on=last_day)
