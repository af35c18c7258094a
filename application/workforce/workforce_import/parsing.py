"""A source row read into a `Person`, or every error it has: each value on its own, then the
domain's own checks of an identity, a contract and its dates (the same as a hire's)."""

from collections.abc import Callable
from datetime import date, datetime
from typing import TypeVar

from application.workforce.exposure_import.sheet import key
from application.workforce.workforce_import.model import Field, Person, RowError, SourceRow, Value
from domain.errors import DomainError
from domain.identifiers import Nir, PcsCode
from domain.plausible_dates import check_start
from domain.workforce.employment import ContractTerms, ContractType, ExitReason, Identity, Sex
from domain.workforce.plausible_dates import check_birth_date

T = TypeVar("T")
REQUIRED = (
    Field.BIRTH_NAME,
    Field.FIRST_NAME,
    Field.BIRTH_DATE,
    Field.SEX,
    Field.HIRE_DATE,
    Field.JOB_TITLE,
    Field.CONTRACT_TYPE,
)
SEXES = {"m": Sex.M, "h": Sex.M, "homme": Sex.M, "1": Sex.M, "01": Sex.M}
SEXES |= {"f": Sex.F, "femme": Sex.F, "2": Sex.F, "02": Sex.F}
CONTRACT_TYPES = {key(t.label): t for t in ContractType} | {key(t.value): t for t in ContractType}
EXIT_REASONS = {key(r.label): r for r in ExitReason} | {key(r.value): r for r in ExitReason}
DATE_PATTERNS = ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y", "%d%m%Y")


class _Refused(Exception):
    def __init__(self, code: str, message: str) -> None:
        self.code = code
        self.message = message


class _Reader:
    """Reads the values of one row, keeping every error."""

    def __init__(self, source: SourceRow):
        self.source = source
        self.errors: list[RowError] = []

    def refuse(self, value: Field | None, code: str, message: str) -> None:
        column = None if value is None else value.title
        self.errors.append(RowError(self.source.line_of(value), column, code, message))

    def refused(self, error: DomainError) -> None:
        self.refuse(Field.of(error.field), error.code, error.message)

    def get(self, value: Field, convert: Callable[[Value], T]) -> T | None:
        raw = self.source.values.get(value)
        if raw is None or raw == "":
            if value in REQUIRED:
                self.refuse(value, "MISSING_VALUE", f"La colonne « {value.title} » est vide.")
            return None
        try:
            return convert(raw)
        except _Refused as error:
            self.refuse(value, error.code, error.message)
        except DomainError as error:
            self.refuse(value, error.code, error.message)
        return None


def read_person(
    source: SourceRow, open_branches: set[str] | None = None
) -> Person | list[RowError]:
    """The person of a row, or all its errors (`open_branches`: the member's codes; None: any
    code is taken as it is)."""
    reader = _Reader(source)
    text = str
    birth_name = reader.get(Field.BIRTH_NAME, text)
    first_name = reader.get(Field.FIRST_NAME, text)
    usage_name = reader.get(Field.USAGE_NAME, text)
    birth_date = reader.get(Field.BIRTH_DATE, _date)
    sex = reader.get(Field.SEX, _choice(SEXES, "Le sexe s'écrit M ou F."))
    nir = reader.get(Field.NIR, lambda v: Nir(str(v)))
    hire_date = reader.get(Field.HIRE_DATE, _date)
    job_title = reader.get(Field.JOB_TITLE, text)
    contract_type = reader.get(Field.CONTRACT_TYPE, _choice(CONTRACT_TYPES, _CONTRACT_TYPES))
    pcs_code = reader.get(Field.PCS_CODE, lambda v: PcsCode(str(v)))
    branch_code = reader.get(Field.BRANCH_CODE, text)
    trial_end = reader.get(Field.TRIAL_END, _date)
    planned_end = reader.get(Field.PLANNED_END, _date)
    exit_date = reader.get(Field.EXIT_DATE, _date)
    exit_reason = reader.get(Field.EXIT_REASON, _choice(EXIT_REASONS, _EXIT_REASONS))
    if branch_code is not None and open_branches is not None and branch_code not in open_branches:
        reader.refuse(
            Field.BRANCH_CODE,
            "UNKNOWN_BRANCH",
            "Cet établissement n'est pas un établissement ouvert de l'adhérent.",
        )
    identity = terms = None
    if birth_name and first_name and birth_date and sex:
        raw = Identity(birth_name, first_name, birth_date, sex, usage_name, nir)
        identity = _checked(reader, raw.validated)
    if job_title and contract_type and hire_date:
        raw_terms = ContractTerms(
            job_title, contract_type, pcs_code, branch_code, trial_end, planned_end
        )
        terms = _checked(reader, lambda: raw_terms.validated(hire_date))
    if hire_date is not None:
        _checked(reader, lambda: check_start(hire_date, "hire_date"))
        if birth_date is not None:
            _checked(reader, lambda: check_birth_date(birth_date, (hire_date,)))
        if exit_date is not None and exit_date < hire_date:
            reader.refuse(
                Field.EXIT_DATE, "EXIT_BEFORE_HIRE", "La date de sortie précède la date d'embauche."
            )
    if reader.errors or identity is None or terms is None or hire_date is None:
        return reader.errors
    if exit_date is not None and exit_reason is None:
        exit_reason = ExitReason.OTHER
    return Person(source.number, identity, hire_date, terms, exit_date, exit_reason)


def _checked(reader: _Reader, check: Callable[[], T]) -> T | None:
    try:
        return check()
    except DomainError as error:
        reader.refused(error)
        return None


def _date(value: Value) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    for pattern in DATE_PATTERNS:
        try:
            return datetime.strptime(value.strip(), pattern).date()  # noqa: DTZ007 (a day)
        except ValueError:
            continue
    raise _Refused("INVALID_DATE", "Cette date n'est pas valide : écrivez-la JJ/MM/AAAA.")


def _choice(choices: dict[str, T], message: str) -> Callable[[Value], T]:
    def convert(value: Value) -> T:
        found = choices.get(key(str(value)))
        if found is None:
            raise _Refused("UNKNOWN_CHOICE", message)
        return found

    return convert


_CONTRACT_TYPES = "Type de contrat inconnu : " + ", ".join(t.label for t in ContractType) + "."
_EXIT_REASONS = "Motif de sortie inconnu : voyez la liste de l'onglet « Aide » du modèle."
