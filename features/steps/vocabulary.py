"""The words of the specs, and what they mean in the domain.

Every step parses its parameters with `phrase`, which knows the types below: `{day:Date}` reads
"17/05/1990" or "1990-05-17", `{contract:Contract}` reads "CDI", and so on. What a user types in a
form stays raw text until the command runs, so that a malformed value is refused by the portal
(and recorded in `Answer`) rather than by the test itself.
"""

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from uuid import uuid4

import parse
from pytest_bdd import parsers

from application.registre import Registre
from application.requests import CommandResult, Request
from domain.errors import DomainError
from domain.identifiers import Nir
from domain.workforce.employment import ContractType, ExitReason, Identity, Sex
from domain.workforce.follow_up import FollowUp, FollowUpDeterminant

DATE = r"\d{2}/\d{2}/\d{4}|\d{4}-\d{2}-\d{2}"
EMPLOYER = "l'employeur"

IDENTITY_FIELDS = {
    "nom de naissance": "birth_name",
    "nom d'usage": "usage_name",
    "prénom": "first_name",
}
EXIT_REASONS = {
    "démission": ExitReason.RESIGNATION,
    "licenciement": ExitReason.DISMISSAL,
    "fin de CDD": ExitReason.END_OF_FIXED_TERM,
    "rupture conventionnelle": ExitReason.CONVENTIONAL_TERMINATION,
    "fin de période d'essai": ExitReason.END_OF_TRIAL_PERIOD,
    "départ à la retraite": ExitReason.RETIREMENT,
    "mutation": ExitReason.TRANSFER,
    "décès": ExitReason.DEATH,
    "autre motif": ExitReason.OTHER,
}
DETERMINANTS = {determinant.label: determinant for determinant in FollowUpDeterminant}
EVENT_LABELS = {
    "Hired": "Embauche",
    "IdentityCorrected": "Correction de l'identité",
    "IdentityErased": "Effacement de l'identité",
    "ContractAmended": "Modification du contrat",
    "ContractCorrected": "Correction du contrat",
    "ContractClosed": "Sortie du salarié",
    "Rehired": "Réembauche",
    "FollowUpDeterminantDeclared": "Déclaration d'un déterminant de suivi",
    "FollowUpDeterminantWithdrawn": "Fin d'un déterminant de suivi",
    "FollowUpDeterminantRetracted": "Retrait d'un déterminant saisi par erreur",
    "CmrExposureRecorded": "Déclaration d'une exposition CMR",
    "CmrExposureEnded": "Fin d'une exposition CMR",
    "CmrExposureWithdrawn": "Retrait d'une exposition saisie par erreur",
}
"""French names of the employee's events, as the history of the record shows them."""


def to_date(text: str) -> date:
    """A date written "17/05/1990" (as in the portal) or "1990-05-17"."""
    if "/" in text:
        day, month, year = text.split("/")
        return date(int(year), int(month), int(day))
    return date.fromisoformat(text)


def _words(choices: Mapping[str, object] | list[str]) -> str:
    return "|".join(re.escape(choice) for choice in sorted(choices, key=len, reverse=True))


@parse.with_pattern(DATE)
def _date(text: str) -> date:
    return to_date(text)


@parse.with_pattern(rf"(?: jusqu'au (?:{DATE}))?")
def _until(text: str) -> date | None:
    """Optional planned end of a contract: " jusqu'au 30/06/2025", or nothing."""
    return to_date(text.removeprefix(" jusqu'au ")) if text else None


@parse.with_pattern(rf"à partir du (?:{DATE})|du (?:{DATE}) au (?:{DATE})")
def _period(text: str) -> tuple[date, date | None]:
    """ "à partir du 01/02/2025" (no end yet) or "du 01/02/2025 au 30/06/2025"."""
    days = [to_date(part) for part in text.split() if part[0].isdigit()]
    return days[0], days[1] if len(days) > 1 else None


@parse.with_pattern(_words([t.label for t in ContractType]))
def _contract(text: str) -> ContractType:
    return next(t for t in ContractType if t.label == text)


@parse.with_pattern(r"[^»]+?")
def _determinant(text: str) -> FollowUpDeterminant:
    return DETERMINANTS[text]


@parse.with_pattern(_words(EXIT_REASONS))
def _exit_reason(text: str) -> ExitReason:
    return EXIT_REASONS[text]


@parse.with_pattern(_words(IDENTITY_FIELDS))
def _identity_field(text: str) -> str:
    return IDENTITY_FIELDS[text]


@parse.with_pattern("SIR|SIA|SI")
def _follow_up(text: str) -> FollowUp:
    return FollowUp[text]


@parse.with_pattern("née|né")
def _born(text: str) -> Sex:
    return Sex.F if text == "née" else Sex.M


@parse.with_pattern(rf"{EMPLOYER}|[A-Z][a-zé]+")
def _who(text: str) -> str:
    return text


@parse.with_pattern("est|n'est pas|n'est plus")
def _is(text: str) -> bool:
    return text == "est"


@parse.with_pattern("est requise|n'est pas requise")
def _required(text: str) -> bool:
    return text == "est requise"


@parse.with_pattern(r", n° CAS « [^»]+ »|, sans n° CAS")
def _cas(text: str) -> str | None:
    """The CAS number as typed, or None when the form leaves it empty."""
    return text.split("«")[1].strip(" »") if "«" in text else None


@parse.with_pattern(r"est exposée à « [^»]+ »|n'est exposée à aucun agent CMR")
def _exposed_to(text: str) -> str | None:
    """What the list of CMR exposures shows, e.g. "benzène (CAS 71-43-2)", or None."""
    return text.split("«")[1].strip(" »") if "«" in text else None


TYPES = {
    "Date": _date,
    "Until": _until,
    "Period": _period,
    "Contract": _contract,
    "Determinant": _determinant,
    "ExitReason": _exit_reason,
    "IdentityField": _identity_field,
    "FollowUp": _follow_up,
    "Born": _born,
    "Who": _who,
    "Is": _is,
    "Required": _required,
    "Cas": _cas,
    "ExposedTo": _exposed_to,
}


def phrase(text: str) -> parsers.parse:
    """The parser of a step, with the types of this vocabulary."""
    return parsers.parse(text, extra_types=TYPES, case_sensitive=True)


@dataclass(frozen=True, slots=True)
class Person:
    """What the employer types in the "Nouveau salarié" form; the NIR is checked on saving."""

    first_name: str
    birth_name: str
    birth_date: date
    sex: Sex
    nir: str

    def identity(self) -> Identity:
        return Identity(
            birth_name=self.birth_name,
            first_name=self.first_name,
            birth_date=self.birth_date,
            sex=self.sex,
            nir=Nir(self.nir),
        )


@dataclass
class Answer:
    """What the portal answered to the last command: its result, or the refusal shown."""

    registre: Registre
    command: Callable[[], CommandResult] | None = None
    result: CommandResult | None = None
    refusal: DomainError | None = None
    new_events: int = 0

    def submit(self, command: Callable[[], CommandResult]) -> CommandResult | None:
        """Run `command` as the portal does: a domain error is an answer, not a crash."""
        before = self._logged_events()
        self.command = command
        try:
            self.result, self.refusal = command(), None
        except DomainError as error:
            self.result, self.refusal = None, error
        self.new_events = self._logged_events() - before
        return self.result

    def resend(self) -> CommandResult | None:
        """Send the last command again, same request id: what a retry after a time-out does."""
        assert self.command is not None, "aucune demande à renvoyer"
        return self.submit(self.command)

    def _logged_events(self) -> int:
        return self.registre.recorder.max_notification_id() or 0


def request_by(who: str, opened_versions: Mapping[str, int]) -> Request:
    """A new request (fresh request id) from `who`, made from the version of the record they
    opened, when they opened it: the portal sends that version with the form."""
    user_id = "employeur" if who == EMPLOYER else who.lower()
    return Request.by(uuid4().hex, user_id, expected_version=opened_versions.get(who))
