"""The no-show fee (BILLING.md §4): a missed appointment that was not cancelled in time is billed
to the employer when the service's visit settings say so — never to the employee.

The fee is decided when staff record the no-show (`AppointmentMissed.fee`, None when the service
does not bill them); this process issues its invoice after the commit, once per appointment
(its source is the appointment), through the one path every invoice takes (`issuing`).
"""

from decimal import Decimal
from typing import Any
from uuid import UUID

from application.base import RegistreApplication
from application.billing.commands import Issue
from application.billing.issuing import Draft, issue
from application.commands import Decision
from application.reactions import CommandReaction
from application.requests import CommandResult, Request
from application.visits.appointments import APPOINTMENT_NOT_FOUND
from domain.billing.kinds import InvoiceKind
from domain.billing.lines import InvoiceLine
from domain.errors import RuleViolation
from domain.money import Money
from domain.visits.appointment import Appointment, AppointmentStatus


class IssueNoShowInvoice(Issue, frozen=True, kw_only=True):
    """Sent after a no-show the service bills: one line, the fee HT at the standard VAT rate,
    to the member that employs the absent employee. The campaign year whose terms apply is the
    year of the appointment's day (a no-show of late December recorded in January is billed on
    the terms of the year it happened, which are set by then)."""

    appointment_id: UUID
    fee: Money
    """HT, as the settings stood when the no-show was recorded."""

    def decide(self, app: RegistreApplication, request: Request) -> Decision[CommandResult]:
        appointment = app.load(Appointment, self.appointment_id, APPOINTMENT_NOT_FOUND)
        slot = appointment.slot
        if appointment.status is not AppointmentStatus.MISSED or slot is None:
            raise RuleViolation(
                "Seul un rendez-vous manqué donne lieu à des frais d'absence.",
                code="APPOINTMENT_NOT_MISSED",
            )
        label = (
            f"Absence non excusée au rendez-vous du {slot.day:%d/%m/%Y} ({appointment.kind.label})"
        )
        draft = Draft(
            source=f"no_show/{appointment.id}",
            kind=InvoiceKind.NO_SHOW,
            member_id=appointment.member_id,
            year=slot.day.year,
            lines=(InvoiceLine(label, Decimal(1), self.fee),),
        )
        return issue(app, request, draft)


class NoShowInvoicing(CommandReaction):
    """A no-show recorded with a fee is billed; one recorded without (the service does not bill
    them) is not."""

    name = "no_show_invoicing"
    follows = ((Appointment, "AppointmentMissed"),)

    def command(self, event: Any) -> IssueNoShowInvoice | None:
        if event.fee is None:
            return None
        return IssueNoShowInvoice(appointment_id=event.originator_id, fee=event.fee)
