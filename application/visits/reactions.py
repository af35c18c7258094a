"""What visits do after an appointment's events were committed: the convocation mailed to the
member's Convocation users when a visit is booked, moved or cancelled by the service, with the
`.ics` invitation and the PDF convocation joined (`application.visits.convocation`).

The mail names the employee by first and last name only, as the convocation must: never the
reason of the request, its constraints, nor the reason of a cancellation (health data).
"""

from typing import Any

from application.reactions import MailReaction
from application.visits.convocation import (
    ConvocationFacts,
    Occasion,
    convocation_ics,
    convocation_pdf,
)
from application.visits.organisation import CENTRE_NOT_FOUND, PROFESSIONAL_NOT_FOUND
from domain.accounts.access import MemberUser, Notification, Role
from domain.billing.settings import SETTINGS_ID as BILLING_SETTINGS_ID
from domain.billing.settings import BillingSettings
from domain.members.member import Member
from domain.visits.appointment import Appointment
from domain.visits.availability import Slot
from domain.visits.business_days import long_french_date
from domain.visits.organisation import HealthProfessional, VisitCentre
from domain.workforce.employment import Identity
from messaging.mailer import SIGNATURE, Attachment, Mail
from storage.sql import Tx

DEFAULT_SERVICE_NAME = "Service de prévention et de santé au travail"
"""The name the documents give the service until its billing settings name it as a seller."""
OCCASIONS = {
    "AppointmentBooked": Occasion.BOOKED,
    "AppointmentRescheduled": Occasion.RESCHEDULED,
    "AppointmentCancelledByStaff": Occasion.CANCELLED,
}
"""The appointment's events that send a convocation (by their `@event` names), and what each
tells."""


def convocation_recipients(member: Member) -> list[MemberUser]:
    """The users holding the Convocation role, or, when none does, the administrators (who hold
    every right of the member, appointments included, and of whom a member always keeps one);
    of those, the ones who chose to receive convocations. A member that named Convocation users
    has given them its appointments: the kind of a visit (a return to work…) tells of an
    absence, so it is not spread to its other users."""
    holders = [u for u in member.users if Role.CONVOCATION in u.roles] or [
        u for u in member.users if Role.ADMIN in u.roles
    ]
    return [u for u in holders if Notification.CONVOCATIONS in u.notifications]


class ConvocationMail(MailReaction):
    """A booking convenes (METHOD REQUEST), a move replaces the convocation (REQUEST, SEQUENCE
    one higher), a cancellation by the service withdraws it (METHOD CANCEL). One mail to each
    recipient, keyed by the event's position and the recipient: written once whatever the
    retries or the runners. A request cancelled before it was booked sends nothing: nobody
    was convened; nor does an employee whose identity was erased (nobody to name)."""

    name = "convocation_mail"
    follows = tuple((Appointment, event_name) for event_name in OCCASIONS)

    def react(self, tx: Tx, position: int, event: Any) -> None:
        occasion = OCCASIONS[type(event).__name__]
        slot: Slot | None = event.freed if occasion is Occasion.CANCELLED else event.slot
        if slot is None:
            return
        appointment: Appointment = self.app.repository.get(
            event.originator_id, version=event.originator_version
        )
        member = self.app.member(appointment.member_id)
        recipients = convocation_recipients(member)
        identity = self.app.employee(appointment.employee_id).identity
        if not recipients or identity is None:
            return
        facts = self._facts(
            event,
            occasion=occasion,
            slot=slot,
            appointment=appointment,
            member=member,
            identity=identity,
        )
        attachments = _documents(facts)
        for user in recipients:
            to = str(self.app.account(user.account_id).email)
            mail = Mail(to, _subject(facts), _body(facts), attachments)
            self.outbox.put(tx, f"{self.key(position)}:{user.account_id}", mail)

    def _facts(
        self,
        event: Any,
        *,
        occasion: Occasion,
        slot: Slot,
        appointment: Appointment,
        member: Member,
        identity: Identity,
    ) -> ConvocationFacts:
        # The centre and the professional as they are now: a late mail gives today's phone.
        centre = self.app.load(VisitCentre, slot.centre_id, CENTRE_NOT_FOUND).details
        professional = self.app.load(
            HealthProfessional, slot.professional_id, PROFESSIONAL_NOT_FOUND
        ).details
        return ConvocationFacts(
            appointment_id=appointment.id,
            sequence=self._sequence(event),
            occasion=occasion,
            member_legal_name=member.legal_name,
            employee_first_name=identity.first_name,
            employee_last_name=identity.usage_name or identity.birth_name,
            kind=appointment.kind,
            day=slot.day,
            starts_at=slot.starts_at,
            minutes=slot.minutes,
            centre_name=centre.name,
            centre_address_lines=centre.address.lines,
            centre_postal_code=centre.address.postal_code,
            centre_city=centre.address.city,
            centre_phone=centre.phone,
            centre_access_note=centre.access_note,
            professional_name=f"{professional.first_name} {professional.last_name}",
            professional_role=professional.role,
            service_name=self._service_name(),
            dated_at=event.timestamp,
        )

    def _sequence(self, event: Any) -> int:
        """How many convocations of this appointment went before this one (its booking, its
        moves), counted in its history rather than from its version: an event of another kind
        recorded in between someday does not shift it."""
        before = self.app.events_of(event.originator_id, event.originator_version - 1)
        return sum(type(earlier).__name__ in OCCASIONS for earlier in before)

    def _service_name(self) -> str:
        settings = self.app.find(BillingSettings, BILLING_SETTINGS_ID)
        if settings is None or settings.seller is None:
            return DEFAULT_SERVICE_NAME
        return settings.seller.legal_name


def _documents(facts: ConvocationFacts) -> tuple[Attachment, ...]:
    cancelled = facts.occasion is Occasion.CANCELLED
    name = f"{'annulation-convocation' if cancelled else 'convocation'}-{facts.day:%Y-%m-%d}"
    method = "CANCEL" if cancelled else "REQUEST"
    return (
        Attachment(f"{name}.pdf", "application/pdf", convocation_pdf(facts)),
        Attachment(
            f"{name}.ics", f"text/calendar; charset=utf-8; method={method}", convocation_ics(facts)
        ),
    )


_SUBJECTS = {
    Occasion.BOOKED: "Convocation : {what}, le {day}",
    Occasion.RESCHEDULED: "Rendez-vous déplacé : {what}, le {day}",
    Occasion.CANCELLED: "Rendez-vous annulé : {what} du {day}",
}
_OPENINGS = {
    Occasion.BOOKED: "Un rendez-vous est pris pour un salarié de {member} :",
    Occasion.RESCHEDULED: "Le rendez-vous d'un salarié de {member} est déplacé. Le voici :",
    Occasion.CANCELLED: "Le service annule le rendez-vous suivant, pris pour un salarié de"
    " {member} : la personne convoquée n'a pas à se présenter.",
}
_DOCUMENTS = {
    Occasion.BOOKED: "Vous trouverez en pièces jointes la convocation à remettre au salarié (PDF)"
    " et l'invitation pour votre agenda (.ics). En cas d'empêchement, prévenez le centre au plus"
    " tôt.",
    Occasion.RESCHEDULED: "Vous trouverez en pièces jointes la nouvelle convocation à remettre au"
    " salarié (PDF) et la mise à jour de votre agenda (.ics) : elles remplacent les précédentes."
    " En cas d'empêchement, prévenez le centre au plus tôt.",
    Occasion.CANCELLED: "Vous trouverez en pièces jointes l'avis d'annulation (PDF) et la mise à"
    " jour de votre agenda (.ics).",
}


def _subject(facts: ConvocationFacts) -> str:
    what = f"{facts.kind.label} de {facts.employee}"
    return _SUBJECTS[facts.occasion].format(what=what, day=long_french_date(facts.day))


def _body(facts: ConvocationFacts) -> str:
    opening = _OPENINGS[facts.occasion].format(member=facts.member_legal_name)
    place = ", ".join((facts.centre_name, *facts.centre_address_lines))
    details = (
        f"Salarié : {facts.employee}",
        f"Visite : {facts.kind.label}",
        f"Date : le {long_french_date(facts.day)} à {_time(facts)} ({facts.minutes} minutes)",
        f"Lieu : {place}, {facts.centre_postal_code} {facts.centre_city}",
        f"Avec : {facts.professional_name} ({facts.professional_role.label})",
        f"Téléphone du centre : {facts.centre_phone.national_format}",
    )
    lines = "\n".join(f"- {detail}" for detail in details)
    return f"Bonjour,\n\n{opening}\n\n{lines}\n\n{_DOCUMENTS[facts.occasion]}" + SIGNATURE


def _time(facts: ConvocationFacts) -> str:
    """9 h, 9 h 30."""
    minutes = "" if facts.starts_at.minute == 0 else f" {facts.starts_at.minute:02d}"
    return f"{facts.starts_at.hour} h{minutes}"
