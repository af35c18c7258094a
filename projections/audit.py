"""Audit trail: every event of every aggregate — who, when recorded, when effective, what.

One row per event, in log order: the actor (and the member an accountant acted for), the instant
it was recorded, the day it takes effect, a French one-line summary and the event's own fields
as printable JSON. Secrets never reach it: no NIR (shown as "***" when one was given), no
declarant number hash, no password hash, no full IBAN (only its last 4 characters). Sets (a
user's roles, their notifications) are printed as sorted lists, so an event always gives the
same row. Account events belong to no member (`member_id` is None). Summaries never name the
employee, so when a person's identity is erased (`IdentityErased`) only the `changes` of that
employee's earlier rows have to be wiped; a rebuild from event zero gives the same rows because
the erased identity then reads as None.
"""

import dataclasses
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Any
from uuid import UUID

import msgspec

from application.catalogues.loader import default_catalogues
from domain.accounts.access import MemberUser, Notification, Role
from domain.accounts.account import Account
from domain.actor import SYSTEM_USER
from domain.catalogues.edits import CatalogueEdits
from domain.declaration.campaign import Campaign
from domain.errors import NotFound
from domain.identifiers import Iban, Nir
from domain.members.member import Member
from domain.members.organisation import SituationChangeKind
from domain.personal_data import DataCategory
from domain.search import page_size
from domain.workforce.employee import Employee
from domain.workforce.employment import ContractTerms
from projections.model import Envelope, Queries, ReadModel, is_erasure
from projections.store import ReadStore, Row, Tx
from projections.timeline import day, from_instant, instant

if TYPE_CHECKING:
    from application.registre import Registre

DEFAULT_LIMIT = 50
MASK = "***"
FALLBACK_SUMMARY = "Événement {name}"

_BOOKKEEPING = frozenset(
    {"originator_id", "originator_version", "timestamp", "originator_topic", "actor"}
)
_SECRET_FIELDS = frozenset({"declarant_number_hash", "password_hash", "frozen"})
"""Never copied into `changes`: secrets, and the frozen copy of a declaration (health data of
every employee, kept in its own read model; its hash is in the row)."""
_IDENTITY_FIELDS = frozenset(
    name for name, category in Employee.personal_data.items() if category is DataCategory.IDENTITY
)
_DATE_FIELDS = ("effective_on", "last_day", "started_on", "hire_date", "revoked_on")
_NESTED_DATE_FIELDS = {
    "contract": "hire_date",
    "determinant": "started_on",
    "exposure": "started_on",
    "change": "effective_on",
    "mandate": "signed_on",
}
_COLUMNS = (
    "position, recorded_at, aggregate_type, aggregate_id, aggregate_version, member_id,"
    " event_type, actor, on_behalf_of, effective_on, summary, changes"
)
_COLUMN_NAMES = tuple(c.strip() for c in _COLUMNS.split(","))


class AuditEntry(msgspec.Struct, frozen=True, kw_only=True):
    """One event as the audit trail shows it."""

    position: int
    recorded_at: datetime
    aggregate_type: str
    aggregate_id: UUID
    aggregate_version: int
    member_id: UUID | None
    event_type: str
    actor: str
    on_behalf_of: UUID | None
    effective_on: date | None
    summary: str
    changes: dict[str, Any]


# French summaries ------------------------------------------------------------------------------

_SITUATION_CHANGE_LABELS = {
    SituationChangeKind.SALE: "cession",
    SituationChangeKind.MERGER: "fusion",
    SituationChangeKind.CLOSURE: "fermeture",
    SituationChangeKind.NEW_ACTIVITY: "nouvelle activité",
    SituationChangeKind.OTHER: "autre changement",
}


_NOTIFICATION_LABELS = {
    Notification.CONVOCATIONS: "convocations",
    Notification.INVOICES: "factures",
    Notification.DECLARATION: "déclaration",
    Notification.SERVICE_NEWS: "actualités du service",
}


def french_date(value: date) -> str:
    """dd/mm/yyyy."""
    return f"{value.day:02d}/{value.month:02d}/{value.year:04d}"


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def _terms(terms: ContractTerms) -> str:
    return f"{terms.contract_type.label}, {terms.job_title}"


def _contact(what: str, event: Any) -> str:
    contact = event.contact
    return f"Contact n° {contact.contact_id} {what} : {contact.first_name} {contact.last_name}"


def _determinant_declared(event: Any) -> str:
    period = event.determinant
    if period is None:
        return "Déterminant de suivi déclaré"
    ended = f" jusqu'au {french_date(period.ended_on)}" if period.ended_on else ""
    return (
        f"Déterminant de suivi déclaré : {period.determinant.label}"
        f" à partir du {french_date(period.started_on)}{ended}"
    )


def _exposure_recorded(event: Any) -> str:
    exposure = event.exposure
    if exposure is None:
        return "Exposition CMR enregistrée"
    agent = exposure.agent
    cas = f" ({agent.cas_number})" if agent.cas_number else ""
    ended = f" jusqu'au {french_date(exposure.ended_on)}" if exposure.ended_on else ""
    return (
        f"Exposition CMR enregistrée : {agent.name}{cas}"
        f" à partir du {french_date(exposure.started_on)}{ended}"
    )


def _situation_change(event: Any) -> str:
    change = event.change
    return (
        f"Changement de situation déclaré : {_SITUATION_CHANGE_LABELS[change.kind]}"
        f" à compter du {french_date(change.effective_on)}"
    )


def _contract(what: str, event: Any) -> str:
    contract = event.contract
    return f"{what} ({_terms(contract.terms)}) le {french_date(contract.hire_date)}"


def _role_labels(roles: Iterable[Role]) -> str:
    """In the order of `Role` (administrateur first), whatever the set's order."""
    chosen = set(roles)
    return ", ".join(role.label for role in Role if role in chosen)


def _roles(roles: Iterable[Role]) -> str:
    chosen = frozenset(roles)
    return f"{'rôle' if len(chosen) == 1 else 'rôles'} {_role_labels(chosen)}"


def _third_party(user: MemberUser) -> str:
    return " (tiers déclarant)" if user.third_party_declarant else ""


def _notifications(notifications: Iterable[Notification]) -> str:
    chosen = set(notifications)
    labels = [label for n, label in _NOTIFICATION_LABELS.items() if n in chosen]
    return ", ".join(labels) or "aucune"


def _account_opened(event: Any) -> str:
    return f"Compte ouvert : {event.first_name} {event.last_name} ({event.kind.label})"


def _risk(code: str) -> str:
    """A risk's label in the catalogue (its code, if the catalogue no longer has it)."""
    try:
        return default_catalogues().risk(code).label
    except NotFound:
        return code


def _agent(agent: Any) -> str:
    return agent.name if agent.cas_number is None else f"{agent.name} ({agent.cas_number})"


def _situation_determinant(determinant: Any) -> str:
    if determinant is None:
        return "sans déterminant de suivi"
    return f"déterminant « {determinant.label} »"


def _theme(code: str) -> str:
    try:
        return default_catalogues().prevention_theme(code).label
    except NotFound:
        return code


SUMMARIES: dict[str, Callable[[Any], str]] = {
    # Member ------------------------------------------------------------------------------
    "Registered": lambda e: f"Adhésion enregistrée : code {e.member_code}, {e.legal_name}",
    "AdministrativeInformationChanged": lambda e: (
        f"Informations administratives modifiées : {e.legal_name}"
    ),
    "AddressChanged": lambda e: f"{_capitalised(e.kind.label)} modifiée",
    "DeclarantNumberReissued": lambda e: "Nouveau numéro de déclarant émis",
    "BranchOpened": lambda e: f"Établissement n° {e.branch.number} ouvert : {e.branch.name}",
    "BranchChanged": lambda e: f"Établissement n° {e.branch.number} modifié : {e.branch.name}",
    "BranchClosed": lambda e: (
        f"Établissement n° {e.number} fermé (dernier jour : {french_date(e.last_day)})"
    ),
    "ContactAdded": lambda e: _contact("ajouté", e),
    "ContactChanged": lambda e: _contact("modifié", e),
    "ContactRemoved": lambda e: f"Contact n° {e.contact_id} supprimé",
    "InterlocutorAssigned": lambda e: (
        f"{_capitalised(e.role.label)} désigné : contact n° {e.contact_id}"
    ),
    "InterlocutorUnassigned": lambda e: f"{_capitalised(e.role.label)} : désignation retirée",
    "SituationChangeDeclared": _situation_change,
    "SepaMandateSigned": lambda e: (
        f"Mandat de prélèvement SEPA signé le {french_date(e.mandate.signed_on)}"
        f" (RUM {e.mandate.reference})"
    ),
    "SepaMandateRevoked": lambda e: (
        f"Mandat de prélèvement SEPA révoqué le {french_date(e.revoked_on)}"
    ),
    "MembershipSuspended": lambda e: (
        f"Adhésion suspendue à compter du {french_date(e.effective_on)} : {e.reason}"
    ),
    "MembershipResumed": lambda e: f"Adhésion reprise à compter du {french_date(e.effective_on)}",
    "MembershipTerminated": lambda e: (
        f"Adhésion résiliée à compter du {french_date(e.effective_on)} : {e.reason}"
    ),
    # Member's users (accounts are named by their id in the changes, never in the summary) --
    "FirstAdministratorRegistered": lambda e: (
        "Premier administrateur inscrit avec le code adhérent et le n° télédéclarant"
        f"{_third_party(e.user)}"
    ),
    "UserAdded": lambda e: f"Utilisateur ajouté : {_roles(e.user.roles)}{_third_party(e.user)}",
    "UserRolesChanged": lambda e: f"Rôles d'un utilisateur modifiés : {_role_labels(e.roles)}",
    "UserRemoved": lambda e: "Utilisateur retiré",
    "NotificationsChosen": lambda e: f"Notifications choisies : {_notifications(e.notifications)}",
    # Account (never a password, nor its hash) ----------------------------------------------
    "Opened": _account_opened,
    "PasswordIssued": lambda e: (
        "Mot de passe émis par le service (à changer à la première connexion)"
    ),
    "PasswordChanged": lambda e: "Mot de passe modifié",
    "PasswordReset": lambda e: "Mot de passe réinitialisé par lien e-mail",
    "LoggedIn": lambda e: f"Connexion réussie ({e.method.label})",
    "LoginFailed": lambda e: f"Échec de connexion : {e.failure.label}",
    "LoggedOut": lambda e: "Déconnexion",
    # Employee (never the person's name: erasure must not have to rewrite summaries) ------
    "Hired": lambda e: _contract("Embauche", e),
    "IdentityCorrected": lambda e: "Identité corrigée",
    "IdentityErased": lambda e: "Identité effacée (droit à l'effacement)",
    "ContractAmended": lambda e: (
        f"Contrat n° {e.contract_number} modifié à compter du {french_date(e.effective_on)}"
        f" ({_terms(e.terms)})"
    ),
    "ContractCorrected": lambda e: (
        f"Contrat n° {e.contract_number} corrigé : embauche le {french_date(e.hire_date)}"
        f" ({_terms(e.terms)})"
    ),
    "ContractClosed": lambda e: (
        f"Sortie du salarié le {french_date(e.last_day)} ({e.reason.label})"
    ),
    "Rehired": lambda e: _contract("Réembauche", e),
    "FollowUpDeterminantDeclared": _determinant_declared,
    "FollowUpDeterminantWithdrawn": lambda e: (
        f"Fin du déterminant de suivi n° {e.determinant_id} le {french_date(e.last_day)}"
    ),
    "FollowUpDeterminantRetracted": lambda e: (
        f"Déterminant de suivi n° {e.determinant_id} retiré (saisi par erreur)"
    ),
    "CmrExposureRecorded": _exposure_recorded,
    "CmrExposureEnded": lambda e: (
        f"Fin de l'exposition CMR n° {e.exposure_id} le {french_date(e.last_day)}"
    ),
    "CmrExposureWithdrawn": lambda e: (
        f"Exposition CMR n° {e.exposure_id} retirée (saisie par erreur)"
    ),
    # Campaign -------------------------------------------------------------------------------
    "CampaignOpened": lambda e: (
        f"Campagne {e.year} ouverte le {french_date(e.opens_on)}, date limite le"
        f" {french_date(e.deadline)} : {e.rate_per_capita} HT par salarié, outil"
        f" {e.tool_price} HT"
    ),
    "CampaignClosed": lambda e: f"Campagne close le {french_date(e.closed_on)}",
    # Declaration ----------------------------------------------------------------------------
    "Started": lambda e: f"Déclaration {e.year} commencée",
    "StepCompleted": lambda e: f"Étape {e.step.number} validée : {e.step.label}",
    "PreventionAnswered": lambda e: f"Informations de prévention : thème « {_theme(e.theme)} »",
    "RiskAdded": lambda e: f"Risque ajouté : {_risk(e.risk_code)}",
    "RiskDeclined": lambda e: f"Risque suggéré décliné : {_risk(e.risk_code)}",
    "RiskRemoved": lambda e: f"Risque retiré : {_risk(e.risk_code)}",
    "RiskToolSubscribed": lambda e: f"Outil d'évaluation des risques activé ({e.price} HT/an)",
    "RiskToolDeclined": lambda e: "Outil d'évaluation des risques non activé",
    "Transferred": lambda e: "Déclaration transférée à un autre utilisateur",
    "PurchaseOrderGiven": lambda e: (
        "Bon de commande retiré"
        if e.purchase_order is None
        else f"Bon de commande : {e.purchase_order}"
    ),
    "TermsOfSaleAccepted": lambda e: "Conditions de vente de l'outil acceptées",
    "DeclarationConfirmed": lambda e: f"Déclaration confirmée (empreinte {e.content_hash[:12]}…)",
    "DeclarationReopened": lambda e: f"Déclaration rouverte : {e.reason}",
    # Risk assessment (DUERP) ------------------------------------------------------------------
    "RiskAssessmentStarted": lambda e: "Évaluation des risques commencée",
    "WorkUnitCreated": lambda e: f"Unité de travail créée : {e.unit.name}",
    "WorkUnitRenamed": lambda e: f"Unité de travail n° {e.unit_id} renommée : {e.name}",
    "WorkUnitRemoved": lambda e: f"Unité de travail n° {e.unit_id} supprimée",
    "EmployeesAssignedToWorkUnit": lambda e: (
        f"Salariés de l'unité de travail n° {e.unit_id} : {len(e.employee_ids)}"
    ),
    "RiskAddedToWorkUnit": lambda e: f"Risque {e.risk_code} ajouté à l'unité n° {e.unit_id}",
    "RiskRemovedFromWorkUnit": lambda e: f"Risque {e.risk_code} retiré de l'unité n° {e.unit_id}",
    "RiskEvaluated": lambda e: (
        f"Risque {e.evaluation.risk_code} évalué (unité n° {e.evaluation.unit_id}) : priorité"
        f" {e.evaluation.priority.value}"
    ),
    "ActionPlanned": lambda e: (
        f"Action de prévention prévue pour le {french_date(e.action.due_on)} : {e.action.title}"
    ),
    "ActionRescheduled": lambda e: f"Action n° {e.action_id} reportée au {french_date(e.due_on)}",
    "ActionDone": lambda e: f"Action n° {e.action_id} réalisée le {french_date(e.done_on)}",
    "ActionCancelled": lambda e: f"Action n° {e.action_id} annulée : {e.reason}",
    "AssessmentPublished": lambda e: (
        f"Document unique, version {e.number}, publié le {french_date(e.published_on)}"
    ),
    "ExistingDocumentRecorded": lambda e: f"Document unique déposé : {e.document.file_name}",
    # Catalogue edits (the service's) ---------------------------------------------------------
    "CatalogueEditsStarted": lambda e: "Première modification des catalogues par le service",
    "CatalogueRiskAdded": lambda e: (
        f"Risque ajouté au catalogue : {e.risk.label} ({e.risk.code}) ; source : {e.risk.source}"
    ),
    "CatalogueRiskChanged": lambda e: (
        f"Risque {e.risk_change.code} du catalogue modifié : {e.risk_change.label} ;"
        f" source : {e.risk_change.source}"
    ),
    "CatalogueRiskRetired": lambda e: f"Risque {e.code} retiré du catalogue ; source : {e.source}",
    "CatalogueSuggestedActionAdded": lambda e: (
        f"Action suggérée ajoutée au risque {e.action.risk_code} : {e.action.label} ;"
        f" source : {e.action.source}"
    ),
    "CatalogueCmrAgentAdded": lambda e: (
        f"Agent CMR ajouté au catalogue : {_agent(e.agent)} ; source : {e.agent.source}"
    ),
    "CatalogueCmrAgentRetired": lambda e: (
        f"Agent CMR retiré du catalogue : {_agent(e.agent)} ; source : {e.source}"
    ),
    "CatalogueWorkSituationAdded": lambda e: (
        f"Situation de travail ajoutée au catalogue : {e.situation.label} ({e.situation.code}),"
        f" rubrique « {e.situation.heading} », {_situation_determinant(e.situation.determinant)} ;"
        f" source : {e.situation.source}"
    ),
    "CatalogueWorkSituationRetired": lambda e: (
        f"Situation de travail {e.code} retirée du catalogue ; source : {e.source}"
    ),
    "CataloguePcsOccupationAdded": lambda e: (
        f"Profession PCS-ESE ajoutée au catalogue : {e.occupation.code} {e.occupation.label} ;"
        f" source : {e.occupation.source}"
    ),
    "CataloguePcsOccupationRetired": lambda e: (
        f"Profession PCS-ESE {e.code} retirée du catalogue ; source : {e.source}"
    ),
    "CataloguePreventionQuestionAdded": lambda e: (
        f"Question {'obligatoire' if e.question.required else 'facultative'} ajoutée au thème"
        f" « {_theme(e.question.theme_code)} » : {e.question.label} ({e.question.question_id}) ;"
        f" source : {e.question.source}"
    ),
    "CataloguePreventionQuestionRetired": lambda e: (
        f"Question {e.question.question_id} retirée du thème"
        f" « {_theme(e.question.theme_code)} » ; source : {e.source}"
    ),
}


def summary_of(event: Any) -> str:
    name = type(event).__name__
    summarise = SUMMARIES.get(name)
    return FALLBACK_SUMMARY.format(name=name) if summarise is None else summarise(event)


# Changes and dates -----------------------------------------------------------------------------


def mask_iban(value: str) -> str:
    """Every character but the last 4 replaced by "*"."""
    return "*" * max(len(value) - 4, 0) + value[-4:]


def _printable(value: Any) -> Any:
    """msgspec enc_hook: the project's str value objects as plain str, secrets masked."""
    if isinstance(value, Nir):
        return MASK
    if isinstance(value, Iban):
        return mask_iban(value)
    if isinstance(value, str):
        return str.__str__(value)
    msg = f"cannot print {type(value).__name__}"
    raise NotImplementedError(msg)


def _scrubbed(value: Any) -> Any:
    """Secrets out of nested values: no NIR key unless one was set (then "***"), no hash."""
    if isinstance(value, dict):
        cleaned = {}
        for key, item in value.items():
            if key in _SECRET_FIELDS or (key == "nir" and item is None):
                continue
            if key == "nir":
                cleaned[key] = MASK
            elif key == "iban" and isinstance(item, str):
                cleaned[key] = mask_iban(item)
            else:
                cleaned[key] = _scrubbed(item)
        return cleaned
    if isinstance(value, list):
        return [_scrubbed(item) for item in value]
    return value


def _ordered(value: Any) -> Any:
    """Sets as lists sorted by their printed items (a set's own order changes from one process
    to the next); a value holding no set is returned as it is."""
    if isinstance(value, set | frozenset):
        return sorted((_ordered(item) for item in value), key=_sort_key)
    if isinstance(value, dict):
        items = {key: _ordered(item) for key, item in value.items()}
        unchanged = all(items[key] is item for key, item in value.items())
        return value if unchanged else items
    if isinstance(value, list | tuple) and not isinstance(value, str):
        ordered = [_ordered(item) for item in value]
        return value if all(a is b for a, b in zip(ordered, value, strict=True)) else ordered
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}
        ordered_fields = _ordered(fields)
        return value if ordered_fields is fields else ordered_fields
    return value


def _sort_key(item: Any) -> bytes:
    return msgspec.json.encode(msgspec.to_builtins(item, enc_hook=_printable))


def changes_of(event: Any) -> dict[str, Any]:
    """The event's own fields as printable JSON values, without bookkeeping or secrets."""
    fields = {
        name: value
        for name, value in vars(event).items()
        if name not in _BOOKKEEPING and name not in _SECRET_FIELDS
    }
    builtins = msgspec.to_builtins(_ordered(fields), enc_hook=_printable)
    printable: dict[str, Any] = _scrubbed(builtins)
    return printable


def effective_date(event: Any) -> date | None:
    """The day the event takes effect, when it says so."""
    for name in _DATE_FIELDS:
        value = getattr(event, name, None)
        if isinstance(value, date):
            return value
    for name, inner in _NESTED_DATE_FIELDS.items():
        value = getattr(getattr(event, name, None), inner, None)
        if isinstance(value, date):
            return value
    return None


def _encode(changes: dict[str, Any]) -> str:
    return msgspec.json.encode(changes).decode()


# Read model ------------------------------------------------------------------------------------


class AuditTrail(ReadModel):
    name = "audit"
    tables = ("entries",)

    def __init__(self, app: "Registre", store: ReadStore, generation: int):
        super().__init__(app, store, generation)
        self._member_of: dict[UUID, UUID] = {}

    def create(self, tx: Tx) -> None:
        entries = self.table("entries")
        bigint = self.store.bigint
        tx.execute(
            f"CREATE TABLE {entries} ("
            f" position {bigint} PRIMARY KEY,"
            f" recorded_at {bigint} NOT NULL,"
            " aggregate_type TEXT NOT NULL,"
            " aggregate_id TEXT NOT NULL,"
            " aggregate_version INTEGER NOT NULL,"
            " member_id TEXT,"
            " event_type TEXT NOT NULL,"
            " actor TEXT NOT NULL,"
            " on_behalf_of TEXT,"
            " effective_on INTEGER,"
            " summary TEXT NOT NULL,"
            " changes TEXT NOT NULL)"
        )
        for suffix, columns in (
            ("member", "member_id, position"),
            ("aggregate", "aggregate_id, position"),
            ("actor", "actor, position"),
            ("recorded", "recorded_at"),
        ):
            tx.execute(f"CREATE INDEX {entries}_{suffix} ON {entries} ({columns})")

    def apply(self, tx: Tx, envelopes: Sequence[Envelope]) -> None:
        entries = self.table("entries")
        rows = [self._row(tx, envelope) for envelope in envelopes]
        tx.insert_rows(entries, _COLUMN_NAMES, rows)
        for envelope in envelopes:
            if is_erasure(envelope):
                self.erase(tx, envelope)

    def _row(self, tx: Tx, envelope: Envelope) -> Row:
        event = envelope.event
        actor = getattr(event, "actor", None)
        effective_on = effective_date(event)
        on_behalf_of = getattr(actor, "on_behalf_of", None)
        member_id = self._member_id(tx, event)
        return (
            envelope.position,
            envelope.recorded_at,
            type(event).__qualname__.rsplit(".", 1)[0],
            str(envelope.aggregate_id),
            event.originator_version,
            None if member_id is None else str(member_id),
            envelope.event_name,
            getattr(actor, "user_id", SYSTEM_USER),
            None if on_behalf_of is None else str(on_behalf_of),
            None if effective_on is None else day(effective_on),
            summary_of(event),
            _encode(changes_of(event)),
        )

    def _member_id(self, tx: Tx, event: Any) -> UUID | None:
        """The member a record belongs to: the member itself, or the member named by the first
        event of an employee, a declaration, a risk assessment; accounts, campaigns and the
        catalogue edits belong to none."""
        if isinstance(event, Member.Event):
            member_id: UUID = event.originator_id
            return member_id
        if isinstance(event, Account.Event | Campaign.Event | CatalogueEdits.Event):
            return None
        record_id: UUID = event.originator_id
        carried = getattr(event, "member_id", None)  # the record's first event carries it
        if isinstance(carried, UUID):
            self._member_of[record_id] = carried
        found = self._member_of.get(record_id)
        if found is None:
            rows = tx.execute(
                f"SELECT member_id FROM {self.table('entries')}"
                " WHERE aggregate_id = ? AND member_id IS NOT NULL LIMIT 1",
                (str(record_id),),
            )
            found = UUID(rows[0][0]) if rows else self.app.repository.get(record_id).member_id
            self._member_of[record_id] = found
        return found

    def erase(self, tx: Tx, erased: Envelope) -> None:
        """Identity values out of the employee's earlier rows (summaries never hold them)."""
        entries = self.table("entries")
        rows = tx.execute(
            f"SELECT position, changes FROM {entries} WHERE aggregate_id = ? AND position < ?",
            (str(erased.aggregate_id), erased.position),
        )
        updates = []
        for position, raw in rows:
            changes = msgspec.json.decode(raw)
            if any(changes.get(name) is not None for name in _IDENTITY_FIELDS):
                wiped = changes | {name: None for name in _IDENTITY_FIELDS if name in changes}
                updates.append((_encode(wiped), position))
        if updates:
            tx.executemany(f"UPDATE {entries} SET changes = ? WHERE position = ?", updates)


# Queries ---------------------------------------------------------------------------------------


class AuditTrailQueries(Queries):
    name = "audit"

    def entries(
        self,
        *,
        member_id: UUID | None = None,
        aggregate_id: UUID | None = None,
        actor: str | None = None,
        recorded_from: datetime | None = None,
        recorded_to: datetime | None = None,
        after_position: int | None = None,
        limit: int = DEFAULT_LIMIT,
    ) -> list[AuditEntry]:
        """Newest first. `recorded_from` is included, `recorded_to` excluded (aware datetimes);
        `after_position` is the cursor: the position of the last entry of the previous page."""
        clauses: list[str] = []
        params: list[Any] = []
        for clause, value in (
            ("member_id = ?", None if member_id is None else str(member_id)),
            ("aggregate_id = ?", None if aggregate_id is None else str(aggregate_id)),
            ("actor = ?", actor),
            ("recorded_at >= ?", _instant(recorded_from, "recorded_from")),
            ("recorded_at < ?", _instant(recorded_to, "recorded_to")),
            ("position < ?", after_position),
        ):
            if value is not None:
                clauses.append(clause)
                params.append(value)
        where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
        rows = self.store.read(
            f"SELECT {_COLUMNS} FROM {self.table('entries')}{where} ORDER BY position DESC LIMIT ?",
            (*params, page_size(limit)),
        )
        return [_entry(row) for row in rows]


def _instant(moment: datetime | None, name: str) -> int | None:
    if moment is None:
        return None
    if moment.tzinfo is None:
        msg = f"{name} must be a timezone-aware datetime"
        raise ValueError(msg)
    return instant(moment)


def _entry(row: Row) -> AuditEntry:
    (
        position,
        recorded_at,
        aggregate_type,
        aggregate_id,
        aggregate_version,
        member_id,
        event_type,
        actor,
        on_behalf_of,
        effective_on,
        summary,
        changes,
    ) = row
    return AuditEntry(
        position=position,
        recorded_at=from_instant(recorded_at),
        aggregate_type=aggregate_type,
        aggregate_id=UUID(aggregate_id),
        aggregate_version=aggregate_version,
        member_id=None if member_id is None else UUID(member_id),
        event_type=event_type,
        actor=actor,
        on_behalf_of=None if on_behalf_of is None else UUID(on_behalf_of),
        effective_on=None if effective_on is None else date.fromordinal(effective_on),
        summary=summary,
        changes=msgspec.json.decode(changes),
    )
