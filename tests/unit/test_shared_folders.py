"""The read models of one runner thread share a folder per kind of aggregate; another thread
has its own; and a shared folder does not keep its event source (and what it caches) alive."""

import gc
import threading
import weakref
from typing import Any
from uuid import UUID

from domain.members.member import Member
from domain.workforce.employee import Employee
from projections.aggregates import shared_folder


class Source:
    def aggregate_at(self, aggregate_id: UUID, version: int | None = None) -> Any:
        raise AssertionError("not read in these tests")


def test_one_folder_per_kind_and_thread() -> None:
    source = Source()
    employees = shared_folder(source, Employee)
    other_thread: list[object] = []
    worker = threading.Thread(target=lambda: other_thread.append(shared_folder(source, Employee)))
    worker.start()
    worker.join()

    assert shared_folder(source, Employee) is employees
    assert shared_folder(source, Member) is not employees
    assert shared_folder(Source(), Employee) is not employees
    assert other_thread[0] is not employees


def test_a_shared_folder_lets_its_source_go() -> None:
    source = Source()
    shared_folder(source, Employee)
    gone = weakref.ref(source)

    del source
    gc.collect()

    assert gone() is None
