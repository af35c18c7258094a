"""What follows an appointment's events after their commit (issue 13): the convocation mailed to
the member's Convocation users with its `.ics` and PDF, once per event whatever the retries and
the replays; a move sends SEQUENCE 1, a cancellation by the service METHOD CANCEL; a no-show the
service bills issues one no-show invoice to the employer, none when it does not bill them; the
employee receives nothing, and no mail carries the reason of the request or of a cancellation."""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from email.message import EmailMessage
from io import BytesIO
from pathlib import Path
from uuid import UUID, uuid4

import pytest
from eventsourcing.utils import get_topic
from icalendar import Calendar, Event
from pypdf import PdfReader

from application.accounts.access_store import AccessStore
from application.accounts.commands import AddMemberUser, ChooseNotifications, NewAccount
from application.billing.commands import ChangeSeller, SetBillingTerms
from application.billing.no_show import IssueNoShowInvoice, NoShowInvoicing
from application.billing.reactions import InvoiceAvailableMail
from application.members.commands import ChangeAddress, RegisterMember
from application.reactions import ReactionRunner
from application.registre import Registre
from application.requests import Request
from application.side_effects import open_side_effects
from application.visits.appointments import (
    BookAppointment,
    CancelAppointmentByStaff,
    PublishSlot,
    RecordNoShow,
    RequestAppointment,
    RescheduleAppointment,
    SetNoShowBilling,
)
from application.visits.organisation import OpenVisitCentre, RegisterProfessional
from application.visits.reactions import ConvocationMail
from application.workforce.commands import HireEmployee
from domain.accounts.access import Notification, Role
from domain.address import Address
from domain.billing.invoice import Invoice
from domain.billing.kinds import InvoiceKind
from domain.calendar import PARIS, SetClock
from domain.contact_details import Email
from domain.errors import RuleViolation
from domain.identifiers import Siret
from domain.members.organisation import AddressKind
from domain.money import Money
from domain.visits.availability import Availability
from domain.visits.kinds import VisitKind
from domain.workforce.employment import ContractTerms, ContractType, Identity, Sex
from messaging.mailer import OutboxMailer
from storage.settings import StoreSettings
from tests.account_ids import account_id
from tests.integration.billing_scenario import SELLER, terms_of
from tests.integration.visits_scenario import CENTRE, DOCTOR, staff

DAY = date(2026, 5, 12)
"""A Tuesday; the clock stands a week before."""
CONVOCATION = "claire@boulangerie-martin.fr"
QUIET = "luc@boulangerie-martin.fr"
"""A Convocation user who chose not to receive convocations."""
ADMIN = "paul@boulangerie-martin.fr"
BILLING = "ines@boulangerie-martin.fr"
REASON = "Douleurs lombaires depuis la reprise"
CONSTRAINTS = "Pas avant 9 h : traitement le matin"
CANCELLATION_REASON = "Médecin en arrêt maladie"
SECRETS = (REASON, CONSTRAINTS, CANCELLATION_REASON, "lombaires", "arrêt maladie")
REACTIONS = (ConvocationMail, NoShowInvoicing, InvoiceAvailableMail)


@pytest.fixture
def clock() -> SetClock:
    return SetClock(datetime(2026, 5, 5, 8, tzinfo=UTC))


@pytest.fixture
def app(store: StoreSettings, clock: SetClock) -> Iterator[Registre]:
    application = Registre(store, clock=clock)
    yield application
    application.close()


@pytest.fixture
def access(store: StoreSettings) -> Iterator[AccessStore]:
    opened = AccessStore.open(store)
    yield opened
    opened.close()


@pytest.fixture
def outbox_dir(tmp_path: Path) -> Path:
    return tmp_path / "outbox"


def started(
    app: Registre, access: AccessStore, outbox_dir: Path, clock: SetClock
) -> ReactionRunner:
    """A side-effect process of this test's reactions, as a process starting again opens it."""
    _, runner = open_side_effects(app, access.sql, OutboxMailer(outbox_dir), clock, REACTIONS)
    return runner


@pytest.fixture
def runner(app: Registre, access: AccessStore, outbox_dir: Path, clock: SetClock) -> ReactionRunner:
    return started(app, access, outbox_dir, clock)


# The scene ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scene:
    member_id: UUID
    employee_id: UUID
    doctor_id: UUID
    slots: dict[time, UUID]
    """The doctor's slots on DAY, by start time."""


def a_member(app: Registre, *users: tuple[str, Role]) -> UUID:
    member_id = app.handle(
        staff(),
        RegisterMember(
            member_code="00010",
            declarant_number="12345678",
            legal_name="Boulangerie Martin",
            siret=Siret("73282932000033"),
        ),
    ).aggregate_id
    app.handle(
        staff(),
        ChangeAddress(
            member_id=member_id,
            kind=AddressKind.BILLING,
            address=Address(("3 place du Marché",), "13002", "Marseille"),
        ),
    )
    for email, role in users:
        person = NewAccount(
            email=Email(email), last_name="Martin", first_name=email.split("@")[0], function="RH"
        )
        app.handle(
            staff(),
            AddMemberUser(
                member_id=member_id, person=person, roles={role}, third_party_declarant=False
            ),
        )
    return member_id


def a_scene(app: Registre, *users: tuple[str, Role]) -> Scene:
    app.handle(staff(), ChangeSeller(seller=SELLER))
    app.handle(staff(), SetBillingTerms(terms=terms_of(DAY.year)))
    member_id = a_member(app, *users)
    employee_id = app.handle(
        staff(),
        HireEmployee(
            member_id=member_id,
            identity=Identity(
                birth_name="Durand", first_name="Marie", birth_date=date(1990, 5, 12), sex=Sex.F
            ),
            hire_date=date(2024, 1, 15),
            terms=ContractTerms("Boulangère", ContractType.CDI),
        ),
    ).aggregate_id
    centre_id = app.handle(staff(), OpenVisitCentre(details=CENTRE)).aggregate_id
    doctor_id = app.handle(staff(), RegisterProfessional(details=DOCTOR)).aggregate_id
    for starts_at in (time(9, 30), time(11)):
        app.handle(
            staff(),
            PublishSlot(
                professional_id=doctor_id,
                centre_id=centre_id,
                day=DAY,
                starts_at=starts_at,
                minutes=30,
            ),
        )
    availability: Availability = app.repository.get(Availability.id_of(doctor_id, DAY))
    slots = {slot.starts_at: slot.id for slot in availability.slots}
    return Scene(member_id, employee_id, doctor_id, slots)


EVERY_USER = (
    (ADMIN, Role.ADMIN),
    (CONVOCATION, Role.CONVOCATION),
    (QUIET, Role.CONVOCATION),
    (BILLING, Role.BILLING),
)


def quiet(app: Registre, scene: Scene) -> None:
    app.handle(
        staff(),
        ChooseNotifications(
            member_id=scene.member_id,
            account_id=account_id(app, QUIET),
            notifications={Notification.INVOICES},
        ),
    )


def requested(app: Registre, scene: Scene) -> UUID:
    return app.handle(
        staff(),
        RequestAppointment(
            member_id=scene.member_id,
            employee_id=scene.employee_id,
            kind=VisitKind.INFORMATION_AND_PREVENTION,
            reason=REASON,
            constraints=CONSTRAINTS,
            preferred_from=date(2026, 5, 11),
            preferred_to=date(2026, 5, 22),
        ),
    ).aggregate_id


def booking(scene: Scene, appointment_id: UUID, starts_at: time = time(9, 30)) -> BookAppointment:
    return BookAppointment(
        appointment_id=appointment_id,
        professional_id=scene.doctor_id,
        day=DAY,
        slot_id=scene.slots[starts_at],
    )


# Reading the mails back -----------------------------------------------------------------------


def mails(outbox_dir: Path) -> list[EmailMessage]:
    return OutboxMailer(outbox_dir).messages() if outbox_dir.exists() else []


def mails_to(outbox_dir: Path, address: str) -> list[EmailMessage]:
    return [m for m in mails(outbox_dir) if m["To"] == address]


def attachment(mail: EmailMessage, content_type: str) -> bytes:
    (found,) = [a for a in mail.iter_attachments() if a.get_content_type() == content_type]
    content = found.get_content()
    assert isinstance(content, bytes | str)
    return content if isinstance(content, bytes) else content.encode()


def calendar_of(mail: EmailMessage) -> tuple[Calendar, Event]:
    calendar = Calendar.from_ical(attachment(mail, "text/calendar"))
    (event,) = calendar.events
    return calendar, event


def pdf_text(mail: EmailMessage) -> str:
    (page,) = PdfReader(BytesIO(attachment(mail, "application/pdf"))).pages
    return " ".join(page.extract_text().replace("\u00a0", " ").split())


def everything_said(mail: EmailMessage) -> str:
    body = mail.get_body(("plain",))
    assert body is not None
    calendar, _ = calendar_of(mail)
    return " ".join(
        (str(mail["Subject"]), body.get_content(), calendar.to_ical().decode(), pdf_text(mail))
    )


def starts_in_paris(event: Event) -> datetime:
    start = event.start
    assert isinstance(start, datetime)
    return start.astimezone(PARIS)


# The convocation ------------------------------------------------------------------------------


def test_a_booking_mails_the_convocation_users_once_with_the_ics_and_the_pdf(
    app: Registre, runner: ReactionRunner, outbox_dir: Path
) -> None:
    scene = a_scene(app, *EVERY_USER)
    quiet(app, scene)
    appointment_id = requested(app, scene)
    request = staff()

    first = app.handle(request, booking(scene, appointment_id))
    runner.settle()
    assert app.handle(request, booking(scene, appointment_id)) == first  # a retried request
    runner.settle()

    assert [m["To"] for m in mails(outbox_dir)] == [CONVOCATION]
    (mail,) = mails_to(outbox_dir, CONVOCATION)
    assert mail["Subject"] == (
        "Convocation : Visite d'information et de prévention de Marie DURAND, le mardi 12 mai 2026"
    )
    calendar, event = calendar_of(mail)
    assert calendar.method == "REQUEST"
    assert (event.uid, event.sequence, event.status) == (
        f"{appointment_id}@registre",
        0,
        "CONFIRMED",
    )
    assert starts_in_paris(event) == datetime(2026, 5, 12, 9, 30, tzinfo=PARIS)
    assert calendar.prodid == f"-//{SELLER.legal_name}//Registre//FR"
    text = pdf_text(mail)
    for fact in ("Convocation", "Marie DURAND", "Boulangerie Martin", "mardi 12 mai 2026"):
        assert fact in text
    assert "Anne LEFÈVRE" in text
    assert CENTRE.name in text
    said = everything_said(mail)
    assert not [secret for secret in SECRETS if secret in said]


def test_a_replayed_reaction_writes_no_mail_again(
    app: Registre,
    access: AccessStore,
    runner: ReactionRunner,
    outbox_dir: Path,
    clock: SetClock,
) -> None:
    scene = a_scene(app, (ADMIN, Role.ADMIN), (CONVOCATION, Role.CONVOCATION))
    app.handle(staff(), booking(scene, requested(app, scene)))
    runner.settle()

    # A process that died after writing its mails, before recording how far it read.
    with access.sql.transaction() as tx:
        tx.execute("UPDATE reaction_positions SET position = 0")
    again = started(app, access, outbox_dir, clock)
    again.settle()

    assert again.positions()["convocation_mail"] == app.max_notification_id()
    assert [m["To"] for m in mails(outbox_dir)] == [CONVOCATION]


def test_a_move_sends_sequence_1_and_a_cancellation_by_the_service_method_cancel(
    app: Registre, runner: ReactionRunner, outbox_dir: Path
) -> None:
    scene = a_scene(app, (ADMIN, Role.ADMIN), (CONVOCATION, Role.CONVOCATION))
    appointment_id = requested(app, scene)
    app.handle(staff(), booking(scene, appointment_id))
    app.handle(
        staff(),
        RescheduleAppointment(
            appointment_id=appointment_id,
            professional_id=scene.doctor_id,
            day=DAY,
            slot_id=scene.slots[time(11)],
        ),
    )
    app.handle(
        staff(),
        CancelAppointmentByStaff(appointment_id=appointment_id, reason=CANCELLATION_REASON),
    )
    runner.settle()

    booked, moved, cancelled = mails_to(outbox_dir, CONVOCATION)
    assert [calendar_of(m)[1].sequence for m in (booked, moved, cancelled)] == [0, 1, 2]
    calendar, event = calendar_of(moved)
    assert calendar.method == "REQUEST"
    assert starts_in_paris(event) == datetime(2026, 5, 12, 11, 0, tzinfo=PARIS)
    assert str(moved["Subject"]).startswith("Rendez-vous déplacé : ")
    calendar, event = calendar_of(cancelled)
    assert (calendar.method, event.status) == ("CANCEL", "CANCELLED")
    assert event.uid == f"{appointment_id}@registre"
    assert "Annulation de convocation" in pdf_text(cancelled)
    assert str(cancelled["Subject"]).startswith("Rendez-vous annulé : ")
    assert not [s for m in (booked, moved, cancelled) for s in SECRETS if s in everything_said(m)]
    assert mails_to(outbox_dir, ADMIN) == []


def test_without_a_convocation_user_the_administrators_are_convened(
    app: Registre, runner: ReactionRunner, outbox_dir: Path
) -> None:
    scene = a_scene(app, (ADMIN, Role.ADMIN), (BILLING, Role.BILLING))
    app.handle(staff(), booking(scene, requested(app, scene)))
    runner.settle()

    assert [m["To"] for m in mails(outbox_dir)] == [ADMIN]


def test_a_request_cancelled_before_its_booking_convenes_nobody(
    app: Registre, runner: ReactionRunner, outbox_dir: Path
) -> None:
    scene = a_scene(app, (ADMIN, Role.ADMIN), (CONVOCATION, Role.CONVOCATION))
    appointment_id = requested(app, scene)
    app.handle(staff(), CancelAppointmentByStaff(appointment_id=appointment_id, reason="Doublon"))
    runner.settle()

    assert mails(outbox_dir) == []


# The no-show fee ------------------------------------------------------------------------------


def invoices_issued(app: Registre) -> list[Invoice]:
    topic = get_topic(Invoice.InvoiceIssued)  # type: ignore[attr-defined]
    notifications = app.recorder.select_notifications(start=1, limit=1000, topics=[topic])
    return [app.repository.get(UUID(str(n.originator_id))) for n in notifications]


def missed(app: Registre, clock: SetClock, scene: Scene) -> UUID:
    """An appointment booked for DAY, then recorded as missed that afternoon."""
    appointment_id = requested(app, scene)
    app.handle(staff(), booking(scene, appointment_id))
    clock.set(datetime(2026, 5, 12, 14, tzinfo=UTC))
    app.handle(staff(), RecordNoShow(appointment_id=appointment_id))
    return appointment_id


def test_a_no_show_billed_by_the_service_issues_one_invoice_to_the_employer(
    app: Registre,
    access: AccessStore,
    runner: ReactionRunner,
    outbox_dir: Path,
    clock: SetClock,
) -> None:
    scene = a_scene(app, *EVERY_USER)
    app.handle(staff(), SetNoShowBilling(billed=True, fee=Money.euros(50)))
    appointment_id = missed(app, clock, scene)
    runner.settle()
    runner.settle()
    with access.sql.transaction() as tx:
        tx.execute("UPDATE reaction_positions SET position = 0")
    started(app, access, outbox_dir, clock).settle()

    (invoice,) = invoices_issued(app)
    issued = invoice.issued
    assert invoice.id == Invoice.id_of(f"no_show/{appointment_id}")
    assert (issued.kind, issued.member_id, issued.buyer.legal_name) == (
        InvoiceKind.NO_SHOW,
        scene.member_id,
        "Boulangerie Martin",
    )
    (line,) = issued.lines
    assert line.label == (
        "Absence non excusée au rendez-vous du 12/05/2026 (Visite d'information et de prévention)"
    )
    assert (issued.totals.ht, issued.totals.ttc) == (Money.euros(50), Money.euros(60))
    assert "DURAND" not in line.label.upper()
    everyone = {m["To"] for m in mails(outbox_dir)}
    assert everyone == {CONVOCATION, QUIET, ADMIN, BILLING}  # the member's users alone
    assert [str(m["Subject"]) for m in mails_to(outbox_dir, BILLING)] == [
        f"Frais d'absence à une visite n° {issued.number} de Boulangerie Martin disponible"
    ]


def test_a_no_show_is_not_billed_when_the_service_does_not_bill_them(
    app: Registre, runner: ReactionRunner, clock: SetClock
) -> None:
    scene = a_scene(app, (ADMIN, Role.ADMIN))
    missed(app, clock, scene)
    runner.settle()

    assert invoices_issued(app) == []


def test_only_a_missed_appointment_is_billed_a_no_show_fee(app: Registre) -> None:
    scene = a_scene(app, (ADMIN, Role.ADMIN))
    appointment_id = requested(app, scene)
    app.handle(staff(), booking(scene, appointment_id))

    with pytest.raises(RuleViolation) as refused:
        app.handle(
            Request(uuid4().hex),
            IssueNoShowInvoice(appointment_id=appointment_id, fee=Money.euros(50)),
        )

    assert refused.value.code == "APPOINTMENT_NOT_MISSED"
    assert invoices_issued(app) == []
