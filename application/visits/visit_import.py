"""Importing the visits held that the service's medical software exported (issue 13).

The file (its format: `application.visits.visit_file`) names per line an employee, a kind of
visit, a day, a professional and a document. A kind or a document is its value or its French
label; a day is JJ/MM/AAAA or AAAA-MM-JJ.

`read_visit_file` reads it (pure; the file as a whole refused, `InvalidValue`, only when it
cannot be read), `plan_visits` is the dry run (pure: each line to record, already recorded, or
refused with every error it holds, in French, naming its line), `apply_visits` records the lines
to record, each through `RecordVisit` under a request id derived from the file's hash and the
line's number: applying the same file twice, or again after a failure part way, records nothing
twice. A visit already recorded is passed over and counted, never an error. Messages quote ids
and line numbers only: a cell may hold anything, personal data included.
"""

import hashlib
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from enum import Enum
from typing import Any, TypeVar
from uuid import UUID

from application.base import RegistreApplication
from application.requests import Request
from application.visits.follow_up import RecordVisit
from application.visits.visit_file import LineMessage, ReadLine, read_visit_file
from domain.actor import Actor
from domain.errors import DomainError
from domain.labelled import LabelledEnum
from domain.search import search_key
from domain.visits.follow_up_record import HISTORY_LIMIT, FollowUpRecord, VisitDocument
from domain.visits.kinds import VisitKind
from domain.visits.organisation import HealthProfessional
from domain.workforce.employee import Employee

MAX_FIELD = 100
ALREADY_RECORDED = "VISIT_ALREADY_RECORDED"
_DAY = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_ISO_DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
E = TypeVar("E", bound=LabelledEnum)


class Outcome(Enum):
    TO_RECORD = "TO_RECORD"
    RECORDED = "RECORDED"
    ALREADY_RECORDED = "ALREADY_RECORDED"
    REFUSED = "REFUSED"


@dataclass(frozen=True, slots=True)
class KnownRecords:
    """What the records hold of the ids the file names."""

    employees: frozenset[UUID]
    professionals: frozenset[UUID]
    visits: dict[UUID, tuple[int, frozenset[tuple[VisitKind, date]]]]
    """Per employee with a follow-up record: its version and the (kind, day) of its visits."""


@dataclass(frozen=True, slots=True)
class VisitLine:
    line: int
    outcome: Outcome
    visit: RecordVisit | None = None
    """TO_RECORD: the command that records it."""
    record_version: int | None = None
    """TO_RECORD: the employee's follow-up record when planned (None: not opened yet)."""
    messages: tuple[LineMessage, ...] = ()


@dataclass(frozen=True, slots=True)
class VisitImport:
    digest: str
    """The file's SHA-256: the request ids derive from it."""
    lines: tuple[VisitLine, ...]
    applied: bool = False

    def count(self, outcome: Outcome) -> int:
        return sum(1 for line in self.lines if line.outcome is outcome)

    @property
    def messages(self) -> tuple[LineMessage, ...]:
        return tuple(message for line in self.lines for message in line.messages)

    @property
    def summary(self) -> str:
        counts = (
            f"{self.count(Outcome.ALREADY_RECORDED)} déjà enregistrée(s),"
            f" {self.count(Outcome.REFUSED)} ligne(s) refusée(s)"
        )
        if self.applied:
            return f"{self.count(Outcome.RECORDED)} visite(s) enregistrée(s), {counts}."
        return (
            f"Simulation : {self.count(Outcome.TO_RECORD)} visite(s) à enregistrer, {counts} ;"
            " rien n'a été enregistré."
        )


def import_visits(
    app: RegistreApplication, actor: Actor, content: bytes, *, apply: bool
) -> VisitImport:
    """The dry run of `content`, then, with `apply`, its recording as `actor`."""
    lines = read_visit_file(content)
    planned = plan_visits(
        lines,
        known_records(app, lines),
        today=app.today(),
        digest=hashlib.sha256(content).hexdigest(),
    )
    return apply_visits(app, planned, actor) if apply else planned


# The dry run --------------------------------------------------------------------------------


def known_records(app: RegistreApplication, lines: Sequence[ReadLine]) -> KnownRecords:
    """What the event store holds of the employees and professionals the lines name."""
    employees = app.load_many(Employee, _ids(lines, "employee_id"))
    professionals = app.load_many(HealthProfessional, _ids(lines, "professional_id"))
    records = app.load_many(FollowUpRecord, map(FollowUpRecord.create_id, employees))
    return KnownRecords(
        frozenset(employees),
        frozenset(professionals),
        {
            record.employee_id: (
                record.version,
                frozenset((v.kind, v.held_on) for v in record.visits),
            )
            for record in records.values()
        },
    )


def plan_visits(
    lines: Sequence[ReadLine], known: KnownRecords, *, today: date, digest: str
) -> VisitImport:
    """Each line to record, already recorded, or refused with all its errors. Nothing is
    recorded."""
    first_of: dict[tuple[UUID, VisitKind, date], int] = {}
    planned = []
    for read in lines:
        visit, errors = _checked(read, known, today)
        if visit is None:
            planned.append(VisitLine(read.number, Outcome.REFUSED, messages=errors))
            continue
        same = (visit.employee_id, visit.kind, visit.held_on)
        first = first_of.setdefault(same, read.number)
        version, held = known.visits.get(visit.employee_id, (None, frozenset()))
        if first != read.number:
            repeated = LineMessage(
                "DUPLICATE_LINE",
                f"Ligne {read.number} : même salarié, même type de visite et même jour qu'à la"
                f" ligne {first}.",
            )
            planned.append(VisitLine(read.number, Outcome.REFUSED, messages=(repeated,)))
        elif (visit.kind, visit.held_on) in held:
            planned.append(_already(read.number))
        else:
            planned.append(VisitLine(read.number, Outcome.TO_RECORD, visit, version))
    return VisitImport(digest, tuple(planned))


class _Refusal(Exception):
    def __init__(self, code: str, text: str):
        super().__init__(text)
        self.code = code
        self.text = text


def _checked(
    read: ReadLine, known: KnownRecords, today: date
) -> tuple[RecordVisit | None, tuple[LineMessage, ...]]:
    """The line's visit, or every error of the line, one per column at most."""
    if read.refusal is not None:
        return None, (read.refusal,)
    values: dict[str, Any] = {}
    errors = []
    for column, parse in PARSERS.items():
        try:
            values[column] = parse(_value(read.values[column]), known, today)
        except _Refusal as refusal:
            where = f"Ligne {read.number}, colonne « {column} »"
            errors.append(LineMessage(refusal.code, f"{where} : {refusal.text}"))
    return (None if errors else RecordVisit(**values)), tuple(errors)


def _value(text: str) -> str:
    if not text:
        raise _Refusal("VALUE_MISSING", "la valeur est obligatoire.")
    if len(text) > MAX_FIELD:
        raise _Refusal("VALUE_TOO_LONG", f"la valeur dépasse {MAX_FIELD} caractères.")
    return text


def _known_id(text: str, known: frozenset[UUID], nobody: str) -> UUID:
    given = _uuid(text)
    if given is None:
        raise _Refusal("INVALID_ID", "ce n'est pas un identifiant Registre (UUID).")
    if given not in known:
        raise _Refusal("UNKNOWN_ID", f"{nobody} n'a l'identifiant {given}.")
    return given


def _choice(text: str, words: dict[str, E], what: str, code: str) -> E:
    chosen = words.get(_word(text))
    if chosen is None:
        accepted = ", ".join(dict.fromkeys(member.value for member in words.values()))
        raise _Refusal(
            code, f"{what} inconnu (valeurs possibles : {accepted}, ou leur libellé en français)."
        )
    return chosen


def _day(text: str, today: date) -> date:
    day = _parse_day(text)
    if day is None:
        raise _Refusal("INVALID_DATE", "date illisible : écrivez JJ/MM/AAAA ou AAAA-MM-JJ.")
    if day > today:
        raise _Refusal(
            "DATE_IN_FUTURE", f"la visite ne peut être datée après aujourd'hui ({today:%d/%m/%Y})."
        )
    if day < today - HISTORY_LIMIT:
        raise _Refusal("DATE_TOO_OLD", "la visite ne peut être datée de plus de 50 ans.")
    return day


def _word(text: str) -> str:
    return search_key(text.replace("’", "'"))


def _words(enum: type[E]) -> dict[str, E]:
    return {_word(text): member for member in enum for text in (member.value, member.label)}


VISIT_KINDS = _words(VisitKind)
DOCUMENTS = _words(VisitDocument)
Parse = Callable[[str, KnownRecords, date], Any]
PARSERS: dict[str, Parse] = {
    "employee_id": lambda text, known, _: _known_id(text, known.employees, "aucun salarié"),
    "kind": lambda text, *_: _choice(text, VISIT_KINDS, "type de visite", "UNKNOWN_KIND"),
    "held_on": lambda text, _, today: _day(text, today),
    "professional_id": lambda text, known, _: _known_id(
        text, known.professionals, "aucun professionnel enregistré"
    ),
    "document": lambda text, *_: _choice(text, DOCUMENTS, "document", "UNKNOWN_DOCUMENT"),
}
"""How each column is read into `RecordVisit`'s field of that name."""


def _parse_day(text: str) -> date | None:
    for pattern, order in ((_DAY, (3, 2, 1)), (_ISO_DAY, (1, 2, 3))):
        found = pattern.fullmatch(text)
        if found is not None:
            year, month, day = (int(found.group(i)) for i in order)
            try:
                return date(year, month, day)
            except ValueError:
                return None
    return None


def _uuid(text: str | None) -> UUID | None:
    try:
        return None if text is None else UUID(text)
    except ValueError:
        return None


def _ids(lines: Iterable[ReadLine], column: str) -> set[UUID]:
    return {i for line in lines if (i := _uuid(line.values.get(column))) is not None}


def _already(number: int) -> VisitLine:
    passed = f"Ligne {number} : cette visite est déjà enregistrée : ligne passée."
    return VisitLine(
        number, Outcome.ALREADY_RECORDED, messages=(LineMessage(ALREADY_RECORDED, passed),)
    )


# Applying -----------------------------------------------------------------------------------


def apply_visits(app: RegistreApplication, planned: VisitImport, actor: Actor) -> VisitImport:
    """Records the lines to record, in the order of the file; a line refused now (the records
    changed since the dry run) is reported and the others still recorded."""
    lines = tuple(
        _apply(app, planned.digest, line, actor) if line.outcome is Outcome.TO_RECORD else line
        for line in planned.lines
    )
    return replace(planned, lines=lines, applied=True)


def request_id_of(digest: str, line: int) -> str:
    """The request id of a line's command: the same for the same file and line."""
    return f"visit-import-{digest[:40]}-{line}"


def _apply(app: RegistreApplication, digest: str, line: VisitLine, actor: Actor) -> VisitLine:
    assert line.visit is not None
    request_id = request_id_of(digest, line.line)
    try:
        result = app.handle(Request(request_id, actor), line.visit)
        version = line.record_version
        if version is not None and result.version <= version:
            # The answer to an earlier import of this very file, whose visit has since been
            # withdrawn (the dry run did not find it): this import records it again.
            app.handle(Request(f"{request_id}-v{version}", actor), line.visit)
    except DomainError as error:
        if error.code == ALREADY_RECORDED:
            return _already(line.line)
        refused = LineMessage(error.code, f"Ligne {line.line} : {error.message}")
        return replace(line, outcome=Outcome.REFUSED, messages=(refused,))
    return replace(line, outcome=Outcome.RECORDED)
