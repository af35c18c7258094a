"""Who may run what: every principal against every root operation of the schema.

The expected table is written out below, from what the roles and account kinds are meant to
allow (seed 000 and `domain/access.py`), not read from `api/rules.py`:

- Administrateur: everything of its member, its users and their roles included;
- Facturation: the invoices and the SEPA mandate, the company read only, the declarations for
  their amounts — never the named workforce nor the CMR list of their confirmed copies;
- Déclaration: the company's data, the workforce and the CMR list;
- Convocation: the company and the workforce read only, never billing;
- the service's staff: everything; auditors: read everything (audit trail and access log
  included), never write; regulators: the CMR exposure lists, and who they are (`me`);
- the sign-in steps are open to anyone; `me`, `switchMember`, `attachMember`, `logout`,
  `changePassword` to anyone signed in.

Each principal signs in once and runs every operation (built by `tests.api.schema_walk` with
member A's ids); an answer is a denial when it is an error FORBIDDEN or UNAUTHENTICATED, or a
`ForbiddenError` result. Every denial of a right must then be in the access log.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from domain.accounts.access import AccountKind
from tests.account_ids import account_id
from tests.api.confirmed_declaration import confirm_a_declaration, confirmations
from tests.api.graphql_client import data, hire, mutate, register_member
from tests.api.schema_walk import (
    STORES,
    Ids,
    ModuleApi,
    build_operation,
    module_api,
    root_fields,
    run,
)
from tests.api.sessions import STAFF_EMAIL, create_first_account, open_service_account, sign_in

ANONYMOUS = "ANONYMOUS"
ADMIN = "ADMIN"
BILLING = "BILLING"
DECLARATION = "DECLARATION"
CONVOCATION = "CONVOCATION"
STAFF = "STAFF"
AUDITOR = "AUDITOR"
REGULATOR = "REGULATOR"
PRINCIPALS = (ANONYMOUS, ADMIN, BILLING, DECLARATION, CONVOCATION, STAFF, AUDITOR, REGULATOR)

EVERYONE = frozenset(PRINCIPALS)
SIGNED_IN = EVERYONE - {ANONYMOUS}
COMPANY_READERS = frozenset({ADMIN, BILLING, DECLARATION, CONVOCATION, STAFF, AUDITOR})
COMPANY_WRITERS = frozenset({ADMIN, DECLARATION, STAFF})
WORKFORCE_READERS = frozenset({ADMIN, DECLARATION, CONVOCATION, STAFF, AUDITOR})
WORKFORCE_WRITERS = frozenset({ADMIN, DECLARATION, STAFF})
CMR_READERS = frozenset({ADMIN, DECLARATION, STAFF, AUDITOR, REGULATOR})
BILLING_WRITERS = frozenset({ADMIN, BILLING, STAFF})
BILLING_READERS = BILLING_WRITERS | {AUDITOR}
USER_MANAGERS = frozenset({ADMIN, STAFF})
MEMBER_USERS_AND_STAFF = frozenset({ADMIN, BILLING, DECLARATION, CONVOCATION, STAFF})
AUDIT_READERS = frozenset({ADMIN, STAFF, AUDITOR})
SERVICE_READERS = frozenset({STAFF, AUDITOR})
SERVICE = frozenset({STAFF})
APPOINTMENT_MANAGERS = frozenset({ADMIN, CONVOCATION, STAFF})
# The annual declaration (issue 6's table): steps and confirmation by the Declaration role and
# the administrator; Billing also reads the declarations, for their amounts — never the health
# data of their confirmed copies (CONFIRMATION_PARTS).
DECLARATION_WRITERS = frozenset({ADMIN, DECLARATION, STAFF})
DECLARATION_READERS = frozenset({ADMIN, DECLARATION, BILLING, STAFF, AUDITOR})
CONFIRMATION_PARTS = {"workforce": WORKFORCE_READERS, "cmrExposures": CMR_READERS}
"""The parts of a confirmed declaration's copy (`declarationConfirmations { content }`) that are
health data — the named workforce with categories and determinants, the CMR list — and who may
read each; the other parts go to every reader of the declaration."""

EXPECTED: dict[str, frozenset[str]] = {
    # Queries
    "me": SIGNED_IN,
    # The users of a member and their roles: managed by its administrator, read by auditors.
    "memberUsers": USER_MANAGERS | {AUDITOR},
    "accessLog": SERVICE_READERS,
    "member": COMPANY_READERS,
    "memberByCode": COMPANY_READERS,
    "findMembers": frozenset({STAFF, AUDITOR, REGULATOR}),
    "employees": WORKFORCE_READERS,
    "employee": WORKFORCE_READERS,
    "headcount": WORKFORCE_READERS,
    "cmrExposures": CMR_READERS,
    "cmrExposureHistory": CMR_READERS,
    "auditTrail": AUDIT_READERS,
    "campaigns": SIGNED_IN,
    "declarations": DECLARATION_READERS,
    "declaration": DECLARATION_READERS,
    "declarationRecap": DECLARATION_READERS,
    "declarationConfirmations": DECLARATION_READERS,
    "transmittedCmrList": CMR_READERS,
    # The sign-in steps
    "requestLoginCode": EVERYONE,
    "loginWithCode": EVERYONE,
    "loginWithPassword": EVERYONE,
    "requestPasswordReset": EVERYONE,
    "resetPassword": EVERYONE,
    "createFirstAccount": EVERYONE,
    # One's own session and account
    "changePassword": SIGNED_IN,
    "logout": SIGNED_IN,
    "switchMember": SIGNED_IN,
    "attachMember": SIGNED_IN,
    # Users of a member, accounts of the service
    "addMemberUser": USER_MANAGERS,
    "changeMemberUserRoles": USER_MANAGERS,
    "removeMemberUser": USER_MANAGERS,
    "chooseNotifications": USER_MANAGERS,
    # Each member user chooses their own e-mails; an auditor writes nothing, not even this.
    "chooseMyNotifications": MEMBER_USERS_AND_STAFF,
    "openServiceAccount": SERVICE,
    "issuePassword": SERVICE,
    "eraseAccount": SERVICE,
    "closeAccount": SERVICE,
    # The company record
    "registerMember": SERVICE,
    "changeAdministrativeInformation": COMPANY_WRITERS,
    "changeAddress": COMPANY_WRITERS,
    "reissueDeclarantNumber": SERVICE,
    "declareSituationChange": COMPANY_WRITERS,
    # Billing and membership
    "signSepaMandate": BILLING_WRITERS,
    "revokeSepaMandate": BILLING_WRITERS,
    "suspendMembership": SERVICE,
    "resumeMembership": SERVICE,
    "terminateMembership": SERVICE,
    # Organisation
    "openBranch": COMPANY_WRITERS,
    "changeBranch": COMPANY_WRITERS,
    "closeBranch": COMPANY_WRITERS,
    "addContact": COMPANY_WRITERS,
    "changeContact": COMPANY_WRITERS,
    "removeContact": COMPANY_WRITERS,
    "assignInterlocutor": COMPANY_WRITERS,
    "unassignInterlocutor": COMPANY_WRITERS,
    # Workforce
    "hireEmployee": WORKFORCE_WRITERS,
    "hireEmployees": WORKFORCE_WRITERS,
    "correctIdentity": WORKFORCE_WRITERS,
    "amendContract": WORKFORCE_WRITERS,
    "correctContract": WORKFORCE_WRITERS,
    "closeContract": WORKFORCE_WRITERS,
    "rehireEmployee": WORKFORCE_WRITERS,
    "eraseIdentity": SERVICE,
    # Health records
    "declareDeterminant": WORKFORCE_WRITERS,
    "withdrawDeterminant": WORKFORCE_WRITERS,
    "retractDeterminant": WORKFORCE_WRITERS,
    "recordExposure": WORKFORCE_WRITERS,
    "endExposure": WORKFORCE_WRITERS,
    "withdrawExposure": WORKFORCE_WRITERS,
    # The annual declaration
    "openCampaign": SERVICE,
    "closeCampaign": SERVICE,
    "reopenDeclaration": SERVICE,
    "completeDeclarationStep": DECLARATION_WRITERS,
    "addRisk": DECLARATION_WRITERS,
    "declineRisk": DECLARATION_WRITERS,
    "removeRisk": DECLARATION_WRITERS,
    "chooseRiskTool": DECLARATION_WRITERS,
    "transferDeclaration": DECLARATION_WRITERS,
    "givePurchaseOrder": DECLARATION_WRITERS,
    "acceptTermsOfSale": DECLARATION_WRITERS,
    "confirmDeclaration": DECLARATION_WRITERS,
    "answerPrevention": DECLARATION_WRITERS,
    # The risk assessment tool (steps 6 to 8): written as the declaration, read by its readers
    "riskAssessment": DECLARATION_READERS,
    "riskAssessmentVersion": DECLARATION_READERS,
    "createWorkUnit": DECLARATION_WRITERS,
    "renameWorkUnit": DECLARATION_WRITERS,
    "removeWorkUnit": DECLARATION_WRITERS,
    "assignEmployeesToWorkUnit": DECLARATION_WRITERS,
    "addRiskToWorkUnit": DECLARATION_WRITERS,
    "removeRiskFromWorkUnit": DECLARATION_WRITERS,
    "evaluateRisk": DECLARATION_WRITERS,
    "planPreventionAction": DECLARATION_WRITERS,
    "reschedulePreventionAction": DECLARATION_WRITERS,
    "markPreventionActionDone": DECLARATION_WRITERS,
    "cancelPreventionAction": DECLARATION_WRITERS,
    "publishRiskAssessment": DECLARATION_WRITERS,
    "recordExistingRiskAssessmentDocument": DECLARATION_WRITERS,
    # The catalogues (reference data, for anyone signed in) and what they say of a member
    "riskCatalogue": SIGNED_IN,
    "preventionQuestionnaire": SIGNED_IN,
    "workSituations": SIGNED_IN,
    "cmrAgents": SIGNED_IN,
    "suggestedActions": SIGNED_IN,
    "catalogueSources": SIGNED_IN,
    "riskSuggestions": DECLARATION_READERS,
    "workSituationAssignments": WORKFORCE_READERS,
    "assignWorkSituation": WORKFORCE_WRITERS,
    # The service's edits of the catalogues
    "addCatalogueRisk": SERVICE,
    "changeCatalogueRisk": SERVICE,
    "retireCatalogueRisk": SERVICE,
    "addSuggestedAction": SERVICE,
    "addCmrAgent": SERVICE,
    # Billing: read by the member's billing and administrator users, the service and auditors;
    # the invoices themselves are the service's to issue and settle.
    "invoices": BILLING_READERS,
    "accountSchedule": BILLING_READERS,
    "changeSeller": SERVICE,
    "setBillingTerms": SERVICE,
    "issueAdjustmentInvoice": SERVICE,
    "issueCreditNote": SERVICE,
    "recordPayment": SERVICE,
    "recordDebitReturn": SERVICE,
    "collectDebits": SERVICE,
    "retireCmrAgent": SERVICE,
    "addWorkSituation": SERVICE,
    "retireWorkSituation": SERVICE,
    "addPcsOccupation": SERVICE,
    "retirePcsOccupation": SERVICE,
    "addPreventionQuestion": SERVICE,
    "retirePreventionQuestion": SERVICE,
    # Visits: every user of a member sees its care team and centre, anyone signed in the
    # centres; the service keeps its organisation and lists its professionals.
    "careTeam": COMPANY_READERS,
    "visitCentres": SIGNED_IN,
    "healthProfessionals": SERVICE,
    "openVisitCentre": SERVICE,
    "changeVisitCentre": SERVICE,
    "closeVisitCentre": SERVICE,
    "registerProfessional": SERVICE,
    "changeProfessional": SERVICE,
    "recordProfessionalDeparture": SERVICE,
    "assignProfessional": SERVICE,
    "withdrawProfessional": SERVICE,
    "assignVisitCentre": SERVICE,
    # Appointments: convocation (and the administrator) manage them; billing and declaration
    # only read the list; the service books into its slots.
    "appointments": COMPANY_READERS,
    "freeSlots": SERVICE,
    "requestAppointment": APPOINTMENT_MANAGERS,
    "cancelAppointment": APPOINTMENT_MANAGERS,
    "publishSlot": SERVICE,
    "withdrawSlot": SERVICE,
    "bookAppointment": SERVICE,
    "rescheduleAppointment": SERVICE,
    "cancelAppointmentByStaff": SERVICE,
    "recordAttendance": SERVICE,
    "recordNoShow": SERVICE,
    "setCancellationNotice": SERVICE,
    "setNoShowBilling": SERVICE,
    # The visits owed: read like the appointments; absences declared by who manages them.
    "dueVisits": COMPANY_READERS,
    "followUpRecord": COMPANY_READERS,
    "overdueVisits": SERVICE,
    "upcomingVisits": SERVICE,
    "recordVisit": SERVICE,
    "withdrawVisit": SERVICE,
    "declareAbsence": APPOINTMENT_MANAGERS,
    "declareReturn": APPOINTMENT_MANAGERS,
    "withdrawAbsence": APPOINTMENT_MANAGERS,
    "setConvocationNotes": WORKFORCE_WRITERS,
    # The activity summary: every user of the member reads it; the service records its actions.
    "activitySummary": COMPANY_READERS,
    "recordWorkplaceAction": SERVICE,
    "correctWorkplaceAction": SERVICE,
    "withdrawWorkplaceAction": SERVICE,
}

SESSION_ENDERS = ("changePassword", "logout")
"""Run last by each principal: `logout` ends the session (and `changePassword`, had it
succeeded, would close it and hand out another token)."""

A_CODE = "00010"
ADMIN_EMAIL = "direction@martin.fr"
TARGET_EMAIL = "cible@martin.fr"
EMAILS = {
    ADMIN: ADMIN_EMAIL,
    BILLING: "facturation@martin.fr",
    DECLARATION: "declaration@martin.fr",
    CONVOCATION: "convocation@martin.fr",
    STAFF: STAFF_EMAIL,
    AUDITOR: "auditrice@controle.fr",
    REGULATOR: "inspection@dreets.gouv.fr",
}
BENZENE = {"kind": "SUBSTANCE", "name": "Benzène", "casNumber": "71-43-2"}


@dataclass
class World:
    api: ModuleApi
    ids: Ids
    year: int
    """Of the member's confirmed declaration."""


def add_user(client: Any, member_id: str, email: str, role: str) -> None:
    person = {"email": email, "lastName": "Martin", "firstName": role.title(), "function": "RH"}
    added = mutate(
        client,
        "addMemberUser",
        "AddMemberUserInput",
        {"memberId": member_id, "person": person, "roles": [role]},
    )
    assert added["__typename"] == "MemberUsersChanged", added


@pytest.fixture(scope="module", params=STORES)
def world(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[World]:
    """Member A with an employee (exposed, with a determinant) and a confirmed declaration, its
    administrator, one user for each other role, and a user the operations aim at
    (`Ids.account`: never a principal, so changing their roles or removing them changes no
    principal's rights); the service's staff, an auditor and a regulator."""
    with module_api(request, tmp_path_factory) as api:
        client = api.client
        open_service_account(api.services, STAFF_EMAIL)
        open_service_account(api.services, EMAILS[AUDITOR], AccountKind.AUDITOR)
        open_service_account(api.services, EMAILS[REGULATOR], AccountKind.REGULATOR)
        sign_in(client, api.outbox, STAFF_EMAIL)
        member_id = register_member(client, A_CODE)
        employee_id = hire(client, member_id)["aggregateId"]
        recorded = mutate(
            client,
            "recordExposure",
            "RecordExposureInput",
            {"employeeId": employee_id, "agent": BENZENE, "startedOn": "2024-03-01"},
        )
        declared = mutate(
            client,
            "declareDeterminant",
            "DeclareDeterminantInput",
            {"employeeId": employee_id, "determinant": "NIGHT_WORK", "startedOn": "2024-03-01"},
        )
        assert (recorded["__typename"], declared["__typename"]) == (
            "RecordExposureSuccess",
            "DeclareDeterminantSuccess",
        )
        year = confirm_a_declaration(client, api.services, member_id)
        first = create_first_account(client, A_CODE, ADMIN_EMAIL)
        assert first["__typename"] == "FirstAccountCreated", first

        sign_in(client, api.outbox, ADMIN_EMAIL)
        for role in (BILLING, DECLARATION, CONVOCATION):
            add_user(client, member_id, EMAILS[role], role)
        add_user(client, member_id, TARGET_EMAIL, CONVOCATION)
        client.headers.pop("Authorization", None)

        target = str(account_id(api.services.app, TARGET_EMAIL))
        yield World(api, Ids(member_id, employee_id, target, member_code=A_CODE), year)


def operations_in_order() -> list[str]:
    names = [name for name in root_fields() if name not in SESSION_ENDERS]
    return names + [name for name in SESSION_ENDERS if name in root_fields()]


@dataclass(frozen=True)
class Outcome:
    denied: bool
    how: str
    """FORBIDDEN, UNAUTHENTICATED (errors[]), ForbiddenError (a typed result), or what came."""
    problem: str | None = None


def outcome_of(body: Any, name: str) -> Outcome:
    errors = body.get("errors", [])
    codes = [(error.get("extensions") or {}).get("code") for error in errors]
    for code in ("UNAUTHENTICATED", "FORBIDDEN"):
        if code in codes:
            return Outcome(True, code)
    problem = None
    if errors:
        problem = (
            f"unexpected errors: {[(c, e['message']) for c, e in zip(codes, errors, strict=True)]}"
        )
    result = (body.get("data") or {}).get(name)
    if isinstance(result, dict) and result.get("__typename") == "ForbiddenError":
        return Outcome(True, "ForbiddenError", problem)
    typename = result.get("__typename") if isinstance(result, dict) else type(result).__name__
    return Outcome(False, str(typename), problem)


def how_a_denial_should_look(principal: str, name: str) -> str:
    """Nobody signed in: UNAUTHENTICATED, query or mutation; a right missing: a FORBIDDEN error
    for a query, a typed ForbiddenError for a mutation."""
    if principal == ANONYMOUS:
        return "UNAUTHENTICATED"
    return "FORBIDDEN" if root_fields()[name] == "query" else "ForbiddenError"


ACCESS_LOG = """
query($after: String) {
  accessLog(event: ACCESS_DENIED, first: 100, after: $after) {
    edges { node { accountId operation subjects } }
    pageInfo { hasNextPage endCursor }
  }
}"""


def denials_logged(world: World, account_id: str) -> set[str]:
    """The operations the access log records as refused to `account_id` (read by staff)."""
    client = world.api.client
    sign_in(client, world.api.outbox, STAFF_EMAIL)
    found, after = set(), None
    while True:
        page = data(client, ACCESS_LOG, {"after": after})["accessLog"]
        found |= {
            edge["node"]["operation"]
            for edge in page["edges"]
            if edge["node"]["accountId"] == account_id
        }
        if not page["pageInfo"]["hasNextPage"]:
            return found
        after = page["pageInfo"]["endCursor"]


def test_the_table_names_every_root_field_of_the_schema() -> None:
    assert set(EXPECTED) == set(root_fields())
    assert all(allowed <= EVERYONE for allowed in EXPECTED.values())


@pytest.mark.parametrize("principal", PRINCIPALS)
def test_each_principal_may_run_exactly_the_operations_of_its_roles(
    world: World, principal: str
) -> None:
    api, client = world.api, world.api.client
    api.clock.advance(minutes=16)  # past the sign-in throttles' memory of earlier principals
    client.headers.pop("Authorization", None)
    if principal != ANONYMOUS:
        sign_in(client, api.outbox, EMAILS[principal])

    mismatches, denied = [], set()
    for name in operations_in_order():
        outcome = outcome_of(run(client, build_operation(name, world.ids)), name)
        expected_allowed = principal in EXPECTED[name]
        if outcome.denied:
            denied.add(name)
        if outcome.denied == expected_allowed:
            verdict = "denied" if outcome.denied else "allowed"
            mismatches.append(f"{name}: {verdict} ({outcome.how}), expected the opposite")
        elif outcome.denied and outcome.how != how_a_denial_should_look(principal, name):
            expected_how = how_a_denial_should_look(principal, name)
            mismatches.append(f"{name}: denied as {outcome.how}, expected {expected_how}")
        if outcome.problem is not None:
            mismatches.append(f"{name}: {outcome.problem}")

    if principal != ANONYMOUS:
        logged = denials_logged(world, str(account_id(world.api.services.app, EMAILS[principal])))
        if logged != denied:
            mismatches.append(
                f"access log: refusals not logged {sorted(denied - logged)},"
                f" logged but not refused {sorted(logged - denied)}"
            )

    assert not mismatches, f"{principal}:\n  " + "\n  ".join(mismatches)


@pytest.mark.parametrize("principal", sorted(EXPECTED["declarationConfirmations"]))
def test_each_reader_of_a_confirmed_declaration_gets_the_health_data_of_its_rights_only(
    world: World, principal: str
) -> None:
    api, client = world.api, world.api.client
    api.clock.advance(minutes=16)
    sign_in(client, api.outbox, EMAILS[principal])

    (confirmation,) = confirmations(client, world.ids.member, world.year)

    content = confirmation["content"]
    assert {"member", "declaration", "recap"} <= set(content)
    shown = {part for part in CONFIRMATION_PARTS if part in content}
    assert shown == {part for part, readers in CONFIRMATION_PARTS.items() if principal in readers}
