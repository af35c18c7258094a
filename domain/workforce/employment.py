"""Values of an employee (salarié): identity and contracts."""

import enum
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from domain.errors import InvalidValue
from domain.identifiers import Nir, PcsCode
from domain.labelled import LabelledEnum
from domain.plausible_dates import check_end
from domain.text import optional_text, required_text

MAX_NAME_LENGTH = 80
INVALID_NAME = "INVALID_NAME"


class Sex(enum.Enum):
    M = "M"
    F = "F"


class ContractType(LabelledEnum):
    """Type de contrat."""

    CDI = "CDI", "CDI"
    CDD = "CDD", "CDD"
    APPRENTICESHIP = "APPRENTICESHIP", "Apprenti"
    TEMPORARY = "TEMPORARY", "Intérim"
    INTERNSHIP = "INTERNSHIP", "Stage"
    OTHER = "OTHER", "Autre"


class ExitReason(LabelledEnum):
    """Motif de sortie du salarié."""

    RESIGNATION = "RESIGNATION", "Démission"
    DISMISSAL = "DISMISSAL", "Licenciement"
    END_OF_FIXED_TERM = "END_OF_FIXED_TERM", "Fin de CDD"
    CONVENTIONAL_TERMINATION = "CONVENTIONAL_TERMINATION", "Rupture conventionnelle"
    END_OF_TRIAL_PERIOD = "END_OF_TRIAL_PERIOD", "Fin de période d'essai"
    RETIREMENT = "RETIREMENT", "Départ à la retraite"
    TRANSFER = "TRANSFER", "Mutation"
    DEATH = "DEATH", "Décès"
    OTHER = "OTHER", "Autre motif"


def _name(value: str, field: str, label: str) -> str:
    return required_text(value, field, label, MAX_NAME_LENGTH, code=INVALID_NAME)


def _optional_name(value: str | None, field: str, label: str) -> str | None:
    name = optional_text(value, field, label, MAX_NAME_LENGTH, code=INVALID_NAME)
    return None if name is None else name.upper()


@dataclass(frozen=True, slots=True)
class Identity:
    """État civil: nom de naissance, nom d'usage, prénom, date de naissance, sexe, NIR."""

    birth_name: str
    first_name: str
    birth_date: date
    sex: Sex
    usage_name: str | None = None
    nir: Nir | None = None

    def validated(self) -> "Identity":
        identity = replace(
            self,
            birth_name=_name(self.birth_name, "birth_name", "Le nom de naissance").upper(),
            first_name=_name(self.first_name, "first_name", "Le prénom"),
            usage_name=_optional_name(self.usage_name, "usage_name", "Le nom d'usage"),
            nir=None if self.nir is None else Nir.coerce(self.nir),
        )
        if identity.nir is not None and not identity.nir.matches(
            identity.sex.value, identity.birth_date
        ):
            raise InvalidValue(
                "Le NIR ne correspond pas au sexe ou à la date de naissance indiqués.",
                code="NIR_MISMATCH",
                field="nir",
            )
        return identity

    @property
    def display_name(self) -> str:
        return f"{self.usage_name or self.birth_name} {self.first_name}"


@dataclass(frozen=True, slots=True)
class ContractTerms:
    """Poste de travail, code PCS-ESE, type de contrat, fin de période d'essai, fin prévue."""

    job_title: str
    contract_type: ContractType
    pcs_code: PcsCode | None = None
    branch_code: str | None = None
    trial_end: date | None = None
    planned_end: date | None = None

    def validated(self, hire_date: date) -> "ContractTerms":
        terms = replace(
            self,
            job_title=_name(self.job_title, "job_title", "Le poste de travail"),
            pcs_code=PcsCode.coerce_optional(self.pcs_code),
        )
        check_end(terms.trial_end, "trial_end")
        check_end(terms.planned_end, "planned_end")
        if terms.trial_end is not None and terms.trial_end < hire_date:
            raise InvalidValue(
                "La fin de période d'essai ne peut précéder la date d'embauche.",
                code="INVALID_TRIAL_END",
                field="trial_end",
            )
        if terms.planned_end is not None and terms.planned_end < hire_date:
            raise InvalidValue(
                "La date de fin de contrat ne peut précéder la date d'embauche.",
                code="INVALID_CONTRACT_END",
                field="planned_end",
            )
        if terms.contract_type is ContractType.CDD and terms.planned_end is None:
            raise InvalidValue(
                "Un CDD doit indiquer sa date de fin prévue.",
                code="MISSING_CONTRACT_END",
                field="planned_end",
            )
        return terms


AMENDABLE_TERMS = (
    "job_title",
    "contract_type",
    "pcs_code",
    "branch_code",
    "trial_end",
    "planned_end",
)


@dataclass(frozen=True, slots=True)
class TermsAmendment:
    """What an amendment (avenant) changes: a term left None stays as it was, but those named
    in `cleared` (the optional ones a user emptied)."""

    job_title: str | None = None
    contract_type: ContractType | None = None
    pcs_code: PcsCode | None = None
    branch_code: str | None = None
    trial_end: date | None = None
    planned_end: date | None = None
    cleared: tuple[str, ...] = ()

    def applied_to(self, terms: ContractTerms) -> ContractTerms:
        unknown = set(self.cleared) - set(AMENDABLE_TERMS[2:])
        if unknown:
            raise InvalidValue(
                "Le poste et le type de contrat ne peuvent être effacés.",
                code="REQUIRED_TERM",
                field=min(unknown),
            )
        changes: dict[str, Any] = dict.fromkeys(self.cleared)
        for name in AMENDABLE_TERMS:
            if (value := getattr(self, name)) is not None:
                changes[name] = value
        return replace(terms, **changes)


@dataclass(frozen=True, slots=True)
class TermsPeriod:
    """Terms of a contract in force from `effective_on`."""

    effective_on: date
    terms: ContractTerms


@dataclass(frozen=True, slots=True)
class Contract:
    """One employment contract of a person; a rehire opens a new one."""

    number: int
    hire_date: date
    terms_history: tuple[TermsPeriod, ...]
    closed_on: date | None = None
    exit_reason: ExitReason | None = None

    @property
    def terms(self) -> ContractTerms:
        """The latest terms, whatever their effective date."""
        return self.terms_history[-1].terms

    def terms_on(self, day: date) -> ContractTerms:
        current = self.terms_history[0].terms
        for period in self.terms_history:
            if period.effective_on <= day:
                current = period.terms
        return current

    def last_day(self, day: date | None = None) -> date | None:
        """The last day worked: the closing date, else the planned end in force."""
        if self.closed_on is not None:
            return self.closed_on
        terms = self.terms if day is None else self.terms_on(day)
        return terms.planned_end

    def is_active_on(self, day: date) -> bool:
        last_day = self.last_day(day)
        return self.hire_date <= day and (last_day is None or day <= last_day)

    def amended(self, effective_on: date, terms: ContractTerms) -> "Contract":
        kept = tuple(p for p in self.terms_history if p.effective_on < effective_on)
        return replace(self, terms_history=(*kept, TermsPeriod(effective_on, terms)))

    def corrected(self, hire_date: date, terms: ContractTerms) -> "Contract":
        later = tuple(p for p in self.terms_history[1:] if p.effective_on > hire_date)
        return replace(
            self, hire_date=hire_date, terms_history=(TermsPeriod(hire_date, terms), *later)
        )

    def closed(self, last_day: date, reason: ExitReason) -> "Contract":
        return replace(self, closed_on=last_day, exit_reason=reason)
