"""The service's organisation for visits, kept by its staff: visit centres and health
professionals (seed 004 §2.2). A member's care team and centre are in `care_team.py`."""

import enum
from dataclasses import dataclass, replace
from datetime import date, timedelta

from eventsourcing.domain import event

from domain.actor import Actor
from domain.address import Address
from domain.aggregate import RegistreAggregate
from domain.contact_details import Email, PhoneNumber
from domain.errors import InvalidValue, RuleViolation
from domain.text import optional_text, required_text
from domain.visits.kinds import ProfessionalRole

NOTE_LIMIT = 500
CHANGE_WINDOW = timedelta(days=366)
"""A change of the organisation takes effect within a year of the day it is recorded."""


def check_effective(effective_on: date, today: date) -> None:
    if abs(effective_on - today) > CHANGE_WINDOW:
        raise InvalidValue(
            "La date d'effet doit se situer dans l'année qui précède ou qui suit"
            f" aujourd'hui ({today:%d/%m/%Y}).",
            code="DATE_OUT_OF_RANGE",
            field="effective_on",
        )


class Weekday(enum.IntEnum):
    MONDAY = 0
    TUESDAY = 1
    WEDNESDAY = 2
    THURSDAY = 3
    FRIDAY = 4
    SATURDAY = 5
    SUNDAY = 6


@dataclass(frozen=True, slots=True)
class CentreDetails:
    """What members read of a visit centre: where, how to call, which days it receives."""

    name: str
    address: Address
    phone: PhoneNumber
    opening_days: frozenset[Weekday]
    access_note: str | None = None
    """Access, parking, floor… as the convocation shows it."""

    def validated(self) -> "CentreDetails":
        if not self.opening_days:
            raise InvalidValue(
                "Indiquez au moins un jour d'ouverture du centre.",
                code="NO_OPENING_DAY",
                field="opening_days",
            )
        return replace(
            self,
            name=required_text(self.name, "name", "Le nom du centre"),
            address=self.address.checked(),
            phone=PhoneNumber.coerce(self.phone),
            opening_days=frozenset(Weekday(day) for day in self.opening_days),
            access_note=optional_text(
                self.access_note, "access_note", "L'accès", NOTE_LIMIT, multiline=True
            ),
        )


class VisitCentre(RegistreAggregate):
    details: CentreDetails
    closed_on: date | None

    @classmethod
    def open(cls, details: CentreDetails, actor: Actor) -> "VisitCentre":
        return cls(details=details.validated(), actor=actor)

    @event("VisitCentreOpened")
    def __init__(self, details: CentreDetails, actor: Actor) -> None:
        self.details = details
        self.closed_on = None

    def change(self, details: CentreDetails, actor: Actor) -> None:
        self._check_open()
        self._changed(details=details.validated(), actor=actor)

    @event("VisitCentreChanged")
    def _changed(self, details: CentreDetails, actor: Actor) -> None:
        self.details = details

    def close(self, closed_on: date, today: date, actor: Actor) -> None:
        self._check_open()
        check_effective(closed_on, today)
        self._closed(closed_on=closed_on, actor=actor)

    @event("VisitCentreClosed")
    def _closed(self, closed_on: date, actor: Actor) -> None:
        self.closed_on = closed_on

    def _check_open(self) -> None:
        if self.closed_on is not None:
            raise RuleViolation(
                f"Ce centre est fermé depuis le {self.closed_on:%d/%m/%Y}.", code="CENTRE_CLOSED"
            )


@dataclass(frozen=True, slots=True)
class ProfessionalDetails:
    """A health professional (or the service's contact) as members see them."""

    last_name: str
    first_name: str
    role: ProfessionalRole
    phone: PhoneNumber | None = None
    email: Email | None = None

    def validated(self) -> "ProfessionalDetails":
        return replace(
            self,
            last_name=required_text(self.last_name, "last_name", "Le nom").upper(),
            first_name=required_text(self.first_name, "first_name", "Le prénom"),
            phone=PhoneNumber.coerce_optional(self.phone),
            email=Email.coerce_optional(self.email),
        )


class HealthProfessional(RegistreAggregate):
    details: ProfessionalDetails
    left_on: date | None

    @classmethod
    def register(cls, details: ProfessionalDetails, actor: Actor) -> "HealthProfessional":
        return cls(details=details.validated(), actor=actor)

    @event("HealthProfessionalRegistered")
    def __init__(self, details: ProfessionalDetails, actor: Actor) -> None:
        self.details = details
        self.left_on = None

    def change(self, details: ProfessionalDetails, actor: Actor) -> None:
        self.check_active()
        validated = details.validated()
        if validated.role is not self.details.role:
            raise RuleViolation(
                "Le métier d'un professionnel ne change pas : enregistrez son départ, puis"
                " enregistrez-le dans son nouveau métier.",
                code="ROLE_UNCHANGEABLE",
            )
        self._changed(details=validated, actor=actor)

    @event("HealthProfessionalChanged")
    def _changed(self, details: ProfessionalDetails, actor: Actor) -> None:
        self.details = details

    def leave(self, left_on: date, today: date, actor: Actor) -> None:
        self.check_active()
        check_effective(left_on, today)
        self._left(left_on=left_on, actor=actor)

    @event("HealthProfessionalLeft")
    def _left(self, left_on: date, actor: Actor) -> None:
        self.left_on = left_on

    def check_active(self) -> None:
        if self.left_on is not None:
            raise RuleViolation(
                f"{self.details.first_name} {self.details.last_name} a quitté le service le"
                f" {self.left_on:%d/%m/%Y}.",
                code="PROFESSIONAL_LEFT",
            )
