"""The rules of the workforce's operations, and what counts as health data in their answers.

Health data (RULES.md, BILLING.md): an employee's follow-up category, determinants, exposures
and the history that records them. Reading any of it through any operation is logged.
"""

from collections.abc import Iterable
from typing import Any
from uuid import UUID

from api.authorization import HealthRead, Rule, Scope, Subjects
from api.workforce.changed import EmployeeChanged
from domain.accounts.access import Right

EMPLOYEE_HEALTH_FIELDS = frozenset(
    {
        "category",
        "visitBeforeAssignment",
        "determinants",
        "determinantPeriods",
        "exposures",
        "history",
    }
)
HEALTH_EVENTS = frozenset(
    {
        "FollowUpDeterminantDeclared",
        "FollowUpDeterminantWithdrawn",
        "FollowUpDeterminantRetracted",
        "CmrExposureRecorded",
        "CmrExposureEnded",
        "CmrExposureWithdrawn",
    }
)


def _changed_employee(result: Any, _: dict[str, Any]) -> Iterable[UUID]:
    return [result.aggregate_id] if isinstance(result, EmployeeChanged) else []


def _employee_page(result: Any, _: dict[str, Any]) -> Iterable[UUID]:
    return [edge.node.id for edge in result.edges]


def _one_employee(result: Any, _: dict[str, Any]) -> Iterable[UUID]:
    return [] if result is None else [result.id]


def _exposed_employees(result: Any, _: dict[str, Any]) -> Iterable[UUID]:
    return [row.employee_id for row in result]


def _audited_employees(result: Any, _: dict[str, Any]) -> Iterable[UUID]:
    return [
        edge.node.aggregate_id
        for edge in result.edges
        if edge.node.aggregate_type == "Employee" and edge.node.event_type in HEALTH_EVENTS
    ]


def _reads_employees(scope: Scope, subjects: Subjects) -> Rule:
    return Rule(
        Right.READ_WORKFORCE, scope=scope, health=HealthRead(EMPLOYEE_HEALTH_FIELDS, subjects)
    )


def _reads_cmr(scope: Scope) -> Rule:
    """Every answer is health data: the exposures of the employees it lists."""
    return Rule(Right.READ_CMR, scope=scope, health=HealthRead(None, _exposed_employees))


CHANGES_WORKFORCE = Rule(
    Right.MANAGE_WORKFORCE, health=HealthRead(EMPLOYEE_HEALTH_FIELDS, _changed_employee)
)
READS_EMPLOYEES = _reads_employees(Scope(member="member_id"), _employee_page)
READS_EMPLOYEE = _reads_employees(Scope(employee="id"), _one_employee)
READS_CMR_LIST = _reads_cmr(Scope(member="member_id"))
READS_CMR_HISTORY = _reads_cmr(Scope(employee="employee_id"))
READS_AUDIT_TRAIL = Rule(
    Right.READ_AUDIT,
    scope=Scope(member="member_id"),
    health=HealthRead(frozenset({"summary", "changes"}), _audited_employees),
)
