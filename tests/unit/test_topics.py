"""Events and snapshots recorded before the modules moved into their contexts' packages still
resolve to their classes."""

import pytest
from eventsourcing.utils import resolve_topic

import application.registre  # noqa: F401 (registers the former modules)
from domain.accounts.account import Account
from domain.declaration.declaration import Declaration
from domain.workforce.employee import Employee


@pytest.mark.parametrize(
    ("stored", "expected"),
    [
        ("domain.employee:Employee.Hired", Employee.Hired),
        ("domain.employee:Employee", Employee),
        ("domain.account:Account", Account),
        ("domain.declaration:Declaration", Declaration),
    ],
)
def test_a_topic_stored_under_a_former_module_resolves_to_its_class(
    stored: str, expected: type
) -> None:
    assert resolve_topic(stored) is expected
