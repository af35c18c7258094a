"""Events and snapshots recorded before the modules moved into their contexts' packages still
resolve to their classes, and so do those recorded since, in a process that has written nothing
(a restart: the topic cache then holds only what was registered)."""

import subprocess
import sys

import pytest
from eventsourcing.utils import resolve_topic

import application.registre  # noqa: F401 (registers the former modules)
from domain.accounts.account import Account
from domain.declaration.declaration import Declaration
from domain.workforce.employee import Employee

IN_A_FRESH_PROCESS = """
from eventsourcing.utils import get_topic, resolve_topic

from application.registre import Registre
from application.topics import former_topics

for topic, cls in former_topics().items():
    assert resolve_topic(topic) is cls, topic
for cls in set(former_topics().values()):
    assert resolve_topic(get_topic(cls)) is cls, get_topic(cls)
print(len(former_topics()))
"""


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


def test_former_and_current_topics_resolve_in_a_process_that_has_written_nothing() -> None:
    """Regression: an alias of the former module `domain.declaration` (now a package) sent
    `domain.declaration.campaign:Campaign` looking for `domain.declaration.declaration.campaign`
    after a restart."""
    done = subprocess.run(
        [sys.executable, "-c", IN_A_FRESH_PROCESS], capture_output=True, text=True, check=False
    )

    assert done.returncode == 0, done.stderr[-2000:]
    assert int(done.stdout) > len(("aggregates",)) * 7
