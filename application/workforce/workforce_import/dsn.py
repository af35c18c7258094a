"""Reading a DSN (déclaration sociale nominative, norme NEODeS) into rows of people.

One rubric a line, `S21.G00.30.002,'DURAND'`. The blocks read, with their rubrics (cahier
technique de la DSN, net-entreprises.fr):
- S21.G00.06 Entreprise: .001 SIREN;
- S21.G00.11 Établissement: .001 NIC (the workplace of the individuals that follow);
- S21.G00.30 Individu: .001 NIR (13 characters, without its key), .002 nom de famille,
  .003 nom d'usage, .004 prénoms, .005 sexe (01 masculin, 02 féminin), .006 date de naissance;
- S21.G00.40 Contrat: .001 date de début, .004 code PCS-ESE, .006 libellé de l'emploi,
  .007 nature du contrat, .008 dispositif de politique publique (64, 65: apprentissage),
  .010 date de fin prévisionnelle;
- S21.G00.62 Fin du contrat: .001 date de fin, .002 motif de la rupture.
Dates are JJMMAAAA. An individual with several contracts is read with the last one. Every
other rubric is skipped. Errors name the line of the rubric at fault.
"""

import re
from dataclasses import dataclass, field

from stdnum.fr import nir as stdnum_nir

from application.workforce.workforce_import.model import Field, RowError, SourceRow, Value
from application.workforce.xlsx_safety import ImportFileError
from domain.workforce.employment import ContractType, ExitReason

LINE = re.compile(r"^(S\d{2}\.G\d{2}\.\d{2})\.(\d{3}),'(.*)'$")
MAX_LINES = 2_000_000
INDIVIDUAL = "S21.G00.30"
RUBRICS: dict[str, Field] = {
    "S21.G00.30.001": Field.NIR,
    "S21.G00.30.002": Field.BIRTH_NAME,
    "S21.G00.30.003": Field.USAGE_NAME,
    "S21.G00.30.004": Field.FIRST_NAME,
    "S21.G00.30.005": Field.SEX,
    "S21.G00.30.006": Field.BIRTH_DATE,
    "S21.G00.40.001": Field.HIRE_DATE,
    "S21.G00.40.004": Field.PCS_CODE,
    "S21.G00.40.006": Field.JOB_TITLE,
    "S21.G00.40.007": Field.CONTRACT_TYPE,
    "S21.G00.40.010": Field.PLANNED_END,
    "S21.G00.62.001": Field.EXIT_DATE,
    "S21.G00.62.002": Field.EXIT_REASON,
}
CONTRACT_BLOCK = "S21.G00.40"
NATURES = {"01": ContractType.CDI, "07": ContractType.CDI, "82": ContractType.CDI}
NATURES |= dict.fromkeys(("02", "08", "09", "10", "92"), ContractType.CDD)
NATURES |= {"03": ContractType.TEMPORARY, "29": ContractType.INTERNSHIP}
APPRENTICESHIP_SCHEMES = {"64", "65"}
MOTIVES = dict.fromkeys(("011", "012", "014", "015", "020", "025", "026"), ExitReason.DISMISSAL)
MOTIVES |= dict.fromkeys(("031", "032", "033"), ExitReason.END_OF_FIXED_TERM)
MOTIVES |= dict.fromkeys(("034", "035"), ExitReason.END_OF_TRIAL_PERIOD)
MOTIVES |= dict.fromkeys(("038", "039"), ExitReason.RETIREMENT)
MOTIVES |= {"043": ExitReason.CONVENTIONAL_TERMINATION, "059": ExitReason.RESIGNATION}
MOTIVES |= {"066": ExitReason.DEATH}

NOT_A_DSN = ImportFileError(
    "Ce fichier n'est pas une DSN lisible : une rubrique par ligne, S21.G00.30.001,'valeur'.",
    code="NOT_A_DSN",
)


@dataclass
class _Individual:
    number: int
    values: dict[Field, Value] = field(default_factory=dict)
    lines: dict[Field, int] = field(default_factory=dict)
    nic: str | None = None

    def set(self, value: Field, text: str, line: int) -> None:
        self.values[value] = text
        self.lines[value] = line


def is_dsn(content: bytes) -> bool:
    return content.lstrip(b"\xef\xbb\xbf").startswith(b"S10.G00.00") or b"\nS21.G00.30." in content


def read_dsn(
    content: bytes, member_siren: str | None, branches: dict[str, str]
) -> tuple[list[SourceRow], list[RowError]]:
    """The individuals of a DSN, and the errors of the file itself; `branches`: the member's
    branch codes by SIRET (an individual of another establishment is of the head office)."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = content.decode("latin-1")
    lines = text.splitlines()
    if len(lines) > MAX_LINES:
        raise NOT_A_DSN.fresh()
    reader = _Reader(member_siren)
    for number, line in enumerate(lines, start=1):
        if line.strip():
            reader.read(number, line.strip())
    if not reader.people and not reader.errors:
        raise NOT_A_DSN.fresh()
    rows = []
    for individual in reader.people:
        siret = f"{reader.siren}{individual.nic}" if reader.siren and individual.nic else None
        if siret in branches:
            individual.values[Field.BRANCH_CODE] = branches[siret]
        rows.append(SourceRow(individual.number, individual.values, individual.lines))
    return rows, reader.errors


class _Reader:
    def __init__(self, member_siren: str | None):
        self.member_siren = member_siren
        self.errors: list[RowError] = []
        self.people: list[_Individual] = []
        self.siren: str | None = None
        self.nic: str | None = None

    def read(self, number: int, line: str) -> None:
        match = LINE.match(line)
        if match is None:
            self.errors.append(_malformed(number))
            return
        code, value = f"{match.group(1)}.{match.group(2)}", match.group(3)
        if code == "S21.G00.06.001":
            self.siren = value
            if self.member_siren is not None and value != self.member_siren:
                self.errors.append(_other_company(number))
        elif code == "S21.G00.11.001":
            self.nic = value
        elif code == "S21.G00.30.001":
            self.people.append(_Individual(number, nic=self.nic))
        person = self.people[-1] if self.people else None
        if person is None:
            return
        if code in RUBRICS:
            if code == "S21.G00.40.001":  # a new contract: its values only
                person.values = {k: v for k, v in person.values.items() if not _contract(k)}
            person.set(RUBRICS[code], _converted(code, value), number)
        elif code == "S21.G00.40.008" and value in APPRENTICESHIP_SCHEMES:
            person.set(Field.CONTRACT_TYPE, ContractType.APPRENTICESHIP.value, number)


def _contract(value: Field) -> bool:
    return value in {
        Field.HIRE_DATE,
        Field.PCS_CODE,
        Field.JOB_TITLE,
        Field.CONTRACT_TYPE,
        Field.PLANNED_END,
        Field.EXIT_DATE,
        Field.EXIT_REASON,
    }


def _converted(code: str, value: str) -> str:
    """A rubric's value in the spreadsheet's words."""
    if code == "S21.G00.30.001" and len(value) == 13 and value[:1].isdigit():
        try:
            return value + stdnum_nir.calc_check_digits(value)
        except Exception:  # a malformed NIR: refused by the row's checks
            return value
    if code == "S21.G00.40.007":
        nature: str = NATURES.get(value, ContractType.OTHER).value
        return nature
    if code == "S21.G00.62.002":
        motive: str = MOTIVES.get(value, ExitReason.OTHER).value
        return motive
    return value


def _malformed(line: int) -> RowError:
    return RowError(line, None, "DSN_LINE", "Ligne mal formée : rubrique,'valeur' attendu.")


def _other_company(line: int) -> RowError:
    return RowError(
        line, "SIREN", "OTHER_COMPANY", "Le SIREN de cette DSN n'est pas celui de l'adhérent."
    )
