"""A read model whose revision changed is rebuilt from event zero when the runner sets up: the
code of the new revision cannot read the tables an older one built (a column added, a name
sealed), and a store of the old revision must not fail every query after an upgrade."""

from collections.abc import Sequence
from typing import ClassVar

from application.registre import Registre
from projections.model import Envelope, ReadModel
from projections.runner import ProjectionRunner
from projections.store import ReadStore, Tx
from projections.workforce.workforce import Workforce
from tests.integration.test_rebuild_generations import (
    a_member,
    generations,
    generations_with_tables,
    staff,
    tables,
)


class Counted(ReadModel):
    """Revision 1: counts the events; one table."""

    name = "counted"
    tables: ClassVar[Sequence[str]] = ("events",)

    def create(self, tx: Tx) -> None:
        tx.execute(f"CREATE TABLE {self.table('events')} (position INTEGER PRIMARY KEY)")

    def apply(self, tx: Tx, envelopes: Sequence[Envelope]) -> None:
        tx.executemany(
            f"INSERT INTO {self.table('events')} (position) VALUES (?)",
            [(e.position,) for e in envelopes],
        )


class CountedWithTopics(Counted):
    """Revision 2: a column more, which the tables of revision 1 do not have."""

    revision = 2

    def create(self, tx: Tx) -> None:
        tx.execute(
            f"CREATE TABLE {self.table('events')} (position INTEGER PRIMARY KEY, event TEXT)"
        )

    def apply(self, tx: Tx, envelopes: Sequence[Envelope]) -> None:
        tx.executemany(
            f"INSERT INTO {self.table('events')} (position, event) VALUES (?, ?)",
            [(e.position, e.event_name) for e in envelopes],
        )


def test_a_new_revision_is_rebuilt_from_event_zero_and_the_old_tables_dropped(
    app: Registre, read_store: ReadStore
) -> None:
    staff(app, a_member(app))
    old = ProjectionRunner(app, read_store, [Counted, Workforce])
    old.setup()
    old.catch_up()
    assert old.rebuild("counted") == 2  # generations 1 and 2 kept, 2 served

    upgraded = ProjectionRunner(app, read_store, [CountedWithTopics, Workforce])
    upgraded.setup()
    upgraded.catch_up()

    assert upgraded.active_generations() == {"counted": 3, "workforce": 1}
    assert generations(read_store, "counted") == {3}
    assert generations_with_tables(read_store, "counted") == {3}
    rows = read_store.read("SELECT position, event FROM counted_g3_events ORDER BY position")
    head = app.recorder.max_notification_id()
    assert [position for position, _ in rows] == list(range(1, head + 1))
    assert all(event for _, event in rows)
    assert "workforce_g1_people" in tables(read_store), "a read model of the same revision stays"


def test_setting_up_again_at_the_same_revision_changes_nothing(
    app: Registre, read_store: ReadStore
) -> None:
    staff(app, a_member(app))
    runner = ProjectionRunner(app, read_store, [CountedWithTopics])
    runner.setup()
    runner.catch_up()

    again = ProjectionRunner(app, read_store, [CountedWithTopics])
    again.setup()

    assert again.active_generations() == {"counted": 1}
    assert again.status()[0].lag_events == 0


def test_a_store_built_before_revisions_were_kept_counts_as_revision_one(
    app: Registre, read_store: ReadStore
) -> None:
    runner = ProjectionRunner(app, read_store, [Counted])
    runner.setup()
    with read_store.transaction() as tx:
        tx.execute("DELETE FROM projection_revisions")

    ProjectionRunner(app, read_store, [Counted]).setup()
    assert ProjectionRunner(app, read_store, [Counted]).active_generations() == {"counted": 1}

    ProjectionRunner(app, read_store, [CountedWithTopics]).setup()
    assert ProjectionRunner(app, read_store, [CountedWithTopics]).active_generations() == {
        "counted": 2
    }
