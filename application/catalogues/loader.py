"""Loading the catalogues from their data files, checked in full before anything uses them.

The files ship as package data (`application.catalogues.data`, read with importlib.resources);
tests, or
staff trying new data, point `load_catalogues` at another folder. Any fault stops the load with
a `CatalogueError` naming the file and the line: a duplicate code, a malformed CAS or PCS-ESE
code, an unknown determinant or a category that does not follow from it, a reference to a risk
that does not exist, a question of unknown kind, a provisional row in a file said to be sourced.
A catalogue half right would have members declare wrong things without anyone noticing.
"""

import csv
import functools
import io
import re
from collections.abc import Hashable, Iterator, Mapping, Set
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Final, NoReturn

import msgspec

from domain.catalogues.catalogue import Catalogues
from domain.catalogues.model import (
    CATALOGUE_FILES,
    CMR_AGENTS,
    PCS_ESE,
    PREVENTION_QUESTIONNAIRE,
    RISK_SUGGESTIONS,
    RISKS,
    SUGGESTED_ACTIONS,
    WORK_SITUATIONS,
    CmrAgentEntry,
    PcsOccupation,
    PreventionTheme,
    Risk,
    RiskFamily,
    RiskSuggestion,
    Source,
    SuggestedAction,
    WorkSituation,
    is_provisional,
)
from domain.catalogues.question_kinds import question_form
from domain.catalogues.suggestions import word_key
from domain.errors import InvalidValue
from domain.identifiers import CasNumber, PcsCode
from domain.workforce.follow_up import FollowUpDeterminant
from domain.workforce.health import AgentKind, CmrAgent

SOURCES: Final = "sources.json"

_CODE: Final = re.compile(r"[a-z][a-z0-9_]*(?:\.[a-z0-9_]+)*")
_PCS_PREFIX: Final = re.compile(r"[1-6](?:[0-9](?:[0-9][a-z]?)?)?")
_AGENT_KINDS: Final = {"substance": AgentKind.SUBSTANCE, "process": AgentKind.PROCESS}
_EXTRA: Final = "\0extra"


class CatalogueError(ValueError):
    """A data file of the catalogues is wrong; the message names the file and the line."""


def load_catalogues(folder: Traversable | None = None) -> Catalogues:
    """Read and check every catalogue from `folder` (by default the shipped
    `application.catalogues.data`)."""
    folder = resources.files("application.catalogues.data") if folder is None else folder
    sources = _sources(folder)
    families = _risk_families(folder, sources)
    risk_codes = frozenset(risk.code for family in families for risk in family.risks)
    pcs_occupations = _pcs_occupations(folder, sources[PCS_ESE])
    return Catalogues(
        sources=sources,
        families=families,
        suggested_actions=_suggested_actions(folder, sources, risk_codes),
        work_situations=_work_situations(folder, sources),
        prevention_themes=_prevention_themes(folder),
        cmr_agents=_cmr_agents(folder, sources),
        pcs_occupations=pcs_occupations,
        risk_suggestions=_risk_suggestions(
            folder, sources, risk_codes, [o.code for o in pcs_occupations]
        ),
    )


@functools.cache
def default_catalogues() -> Catalogues:
    """The shipped catalogues, read and checked once per process."""
    return load_catalogues()


def _read(folder: Traversable, name: str) -> bytes:
    try:
        return (folder / name).read_bytes()
    except FileNotFoundError:
        raise CatalogueError(f"{name} : fichier absent.") from None


def _sources(folder: Traversable) -> Mapping[str, Source]:
    try:
        sources = msgspec.json.decode(_read(folder, SOURCES), type=dict[str, Source])
    except msgspec.DecodeError as error:
        raise CatalogueError(f"{SOURCES} : {error}") from None
    missing = [name for name in CATALOGUE_FILES if name not in sources]
    unknown = sorted(sources.keys() - set(CATALOGUE_FILES))
    if missing or unknown:
        raise CatalogueError(
            f"{SOURCES} : fichiers sans source : {', '.join(missing) or 'aucun'} ; "
            f"fichiers inconnus : {', '.join(unknown) or 'aucun'}."
        )
    blank = [name for name, source in sources.items() if not source.text.strip()]
    if blank:
        raise CatalogueError(f"{SOURCES} : source vide pour {', '.join(blank)}.")
    return sources


class _Table:
    """A CSV data file being read: its rows, and the checks that name the file and line."""

    def __init__(
        self, folder: Traversable, name: str, columns: tuple[str, ...], source: Source | None
    ) -> None:
        self.name = name
        self.line = 1
        self._source = source
        self._reader = csv.DictReader(
            io.StringIO(_read(folder, name).decode("utf-8")), restkey=_EXTRA, strict=True
        )
        if tuple(self._reader.fieldnames or ()) != columns:
            self.fail(f"colonnes attendues : {','.join(columns)}.")

    def rows(self) -> Iterator[dict[str, str]]:
        try:
            for row in self._reader:
                self.line = self._reader.line_num
                if _EXTRA in row or None in row.values():
                    self.fail("nombre de colonnes incorrect.")
                yield {column: value.strip() for column, value in row.items()}
        except csv.Error as error:
            self.line += 1  # the faulty row starts after the last good one
            self.fail(str(error))

    def fail(self, message: str) -> NoReturn:
        raise CatalogueError(f"{self.name}, ligne {self.line} : {message}")

    def text(self, row: Mapping[str, str], column: str) -> str:
        if not row[column]:
            self.fail(f"la colonne {column} est vide.")
        return row[column]

    def code(self, row: Mapping[str, str], column: str) -> str:
        code = row[column]
        if not _CODE.fullmatch(code):
            self.fail(f"{column} « {code} » : minuscules, chiffres, _ et . seulement.")
        return code

    def source(self, row: Mapping[str, str]) -> str:
        source = self.text(row, "source")
        if is_provisional(source) and not (self._source and self._source.provisional):
            self.fail(f"ligne « provisoire » dans un fichier que {SOURCES} dit sourcé.")
        return source

    def unique(self, seen: set[Hashable], key: Hashable, what: str) -> None:
        if key in seen:
            self.fail(f"{what} en double : {key}.")
        seen.add(key)

    def known(self, value: str, known: Set[str], what: str) -> str:
        if value not in known:
            self.fail(f"{what} « {value} » inconnu.")
        return value


def _risk_families(folder: Traversable, sources: Mapping[str, Source]) -> tuple[RiskFamily, ...]:
    """Families in the order of their first risk; a family code always has the same label."""
    columns = ("code", "family_code", "family_label", "label", "description", "source")
    table = _Table(folder, RISKS, columns, sources[RISKS])
    labels: dict[str, str] = {}
    members: dict[str, list[Risk]] = {}
    codes: set[Hashable] = set()
    risk_labels: set[Hashable] = set()
    for row in table.rows():
        risk = Risk(
            code=table.code(row, "code"),
            family_code=table.code(row, "family_code"),
            label=table.text(row, "label"),
            description=table.text(row, "description"),
            source=table.source(row),
        )
        table.unique(codes, risk.code, "code")
        table.unique(risk_labels, risk.label, "libellé")
        family_label = table.text(row, "family_label")
        if labels.setdefault(risk.family_code, family_label) != family_label:
            table.fail(
                f"la famille {risk.family_code} s'appelle déjà « {labels[risk.family_code]} »."
            )
        members.setdefault(risk.family_code, []).append(risk)
    return tuple(
        RiskFamily(code=code, label=labels[code], risks=tuple(risks))
        for code, risks in members.items()
    )


def _suggested_actions(
    folder: Traversable, sources: Mapping[str, Source], risk_codes: Set[str]
) -> list[SuggestedAction]:
    columns = ("code", "risk_code", "label", "source")
    table = _Table(folder, SUGGESTED_ACTIONS, columns, sources[SUGGESTED_ACTIONS])
    actions = []
    codes: set[Hashable] = set()
    labels: set[Hashable] = set()
    for row in table.rows():
        action = SuggestedAction(
            code=table.code(row, "code"),
            risk_code=table.known(row["risk_code"], risk_codes, "risque"),
            label=table.text(row, "label"),
            source=table.source(row),
        )
        table.unique(codes, action.code, "code")
        table.unique(labels, (action.risk_code, action.label), "action")
        actions.append(action)
    return actions


def _work_situations(folder: Traversable, sources: Mapping[str, Source]) -> list[WorkSituation]:
    columns = ("code", "group", "label", "determinant", "source")
    table = _Table(folder, WORK_SITUATIONS, columns, sources[WORK_SITUATIONS])
    determinants = {d.name: d for d in FollowUpDeterminant}
    situations = []
    codes: set[Hashable] = set()
    labels: set[Hashable] = set()
    for row in table.rows():
        name = row["determinant"]
        determinant = (
            determinants[table.known(name, determinants.keys(), "déterminant")] if name else None
        )
        situation = WorkSituation(
            code=table.code(row, "code"),
            group=table.text(row, "group"),
            label=table.text(row, "label"),
            determinant=determinant,
            source=table.source(row),
        )
        table.unique(codes, situation.code, "code")
        table.unique(labels, (situation.group, situation.label), "situation")
        situations.append(situation)
    return situations


def _cmr_agents(folder: Traversable, sources: Mapping[str, Source]) -> list[CmrAgentEntry]:
    columns = ("kind", "cas_number", "name_fr", "name_en", "clp_hazard", "source")
    table = _Table(folder, CMR_AGENTS, columns, sources[CMR_AGENTS])
    agents = []
    numbers: set[Hashable] = set()
    names: set[Hashable] = set()
    for row in table.rows():
        kind = _AGENT_KINDS[table.known(row["kind"], _AGENT_KINDS.keys(), "type d'agent")]
        try:
            cas_number = CasNumber(row["cas_number"]) if row["cas_number"] else None
            agent = CmrAgent(kind, row["name_fr"], cas_number).validated()
        except InvalidValue as error:
            table.fail(error.message)
        if agent.cas_number is not None:
            table.unique(numbers, agent.cas_number, "numéro CAS")
        table.unique(names, agent.name, "nom")
        agents.append(
            CmrAgentEntry(
                kind=agent.kind,
                name=agent.name,
                name_en=table.text(row, "name_en"),
                cas_number=agent.cas_number,
                clp_hazard=table.text(row, "clp_hazard"),
                source=table.source(row),
            )
        )
    return agents


def _pcs_occupations(folder: Traversable, source: Source) -> list[PcsOccupation]:
    """The file has no source column: each occupation names the file's source."""
    table = _Table(folder, PCS_ESE, ("code", "label"), None)
    occupations = []
    codes: set[Hashable] = set()
    for row in table.rows():
        try:
            code = PcsCode(row["code"])
        except InvalidValue as error:
            table.fail(error.message)
        table.unique(codes, code, "code")
        occupations.append(PcsOccupation(code, table.text(row, "label"), source.text))
    return occupations


def _risk_suggestions(
    folder: Traversable,
    sources: Mapping[str, Source],
    risk_codes: Set[str],
    pcs_codes: list[PcsCode],
) -> list[RiskSuggestion]:
    """A rule matches either a PCS-ESE prefix, which must cover a code of the catalogue (a typo
    would otherwise never match), or a keyword of a job title, kept as its `word_key`."""
    columns = ("pcs_prefix", "keyword", "risk_code", "source")
    table = _Table(folder, RISK_SUGGESTIONS, columns, sources[RISK_SUGGESTIONS])
    rules = []
    seen: set[Hashable] = set()
    for row in table.rows():
        prefix, keyword = row["pcs_prefix"], word_key(row["keyword"])
        if bool(prefix) == bool(keyword):
            table.fail("un préfixe PCS-ESE ou un mot-clé, l'un ou l'autre.")
        if prefix and not (
            _PCS_PREFIX.fullmatch(prefix) and any(c.startswith(prefix) for c in pcs_codes)
        ):
            table.fail(f"le préfixe « {prefix} » ne couvre aucun code PCS-ESE du catalogue.")
        rule = RiskSuggestion(
            pcs_prefix=prefix or None,
            keyword=keyword or None,
            risk_code=table.known(row["risk_code"], risk_codes, "risque"),
            source=table.source(row),
        )
        table.unique(seen, (rule.pcs_prefix, rule.keyword, rule.risk_code), "suggestion")
        rules.append(rule)
    return rules


class _Questionnaire(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    themes: tuple[PreventionTheme, ...]


def _prevention_themes(folder: Traversable) -> tuple[PreventionTheme, ...]:
    """Types and kinds are checked by decoding; the rest by `_check_theme`."""
    try:
        questionnaire = msgspec.json.decode(
            _read(folder, PREVENTION_QUESTIONNAIRE), type=_Questionnaire
        )
    except msgspec.DecodeError as error:
        raise CatalogueError(f"{PREVENTION_QUESTIONNAIRE} : {error}") from None
    codes: set[str] = set()
    for theme in questionnaire.themes:
        where = f"{PREVENTION_QUESTIONNAIRE}, thème « {theme.code} »"
        if theme.code in codes:
            raise CatalogueError(f"{where} : code en double.")
        codes.add(theme.code)
        _check_theme(theme, where)
    return questionnaire.themes


def _check_theme(theme: PreventionTheme, where: str) -> None:
    if not _CODE.fullmatch(theme.code) or not theme.label.strip() or not theme.questions:
        raise CatalogueError(f"{where} : code, libellé et questions sont obligatoires.")
    ids: set[str] = set()
    for question in theme.questions:
        at = f"{where}, question « {question.id} »"
        if not _CODE.fullmatch(question.id) or question.id in ids:
            raise CatalogueError(f"{at} : identifiant mal formé ou en double.")
        ids.add(question.id)
        if not question.label.strip():
            raise CatalogueError(f"{at} : libellé vide.")
        try:  # the rules of a question the service adds (`domain.catalogues.edits`)
            question_form(
                question.kind,
                question.choices,
                question.integer,
                question.minimum,
                question.maximum,
            )
        except InvalidValue as error:
            raise CatalogueError(f"{at} : {error.message}") from None
