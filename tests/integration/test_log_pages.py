"""The PostgreSQL log read by pages in binary (`storage.log_pages`) gives exactly what
eventsourcing's `select_notifications` gives, values and types: an empty log, pages at every
start and of many limits, and a log with gaps in its notification ids (rolled-back writes,
rows gone)."""

from typing import Any

import psycopg
import pytest
from eventsourcing.postgres import PostgresApplicationRecorder
from psycopg import sql
from psycopg.rows import tuple_row

from application.registre import Registre
from storage.settings import StoreSettings
from tests.integration.test_projection_robustness import a_member, hire

pytestmark = pytest.mark.postgres

LIMITS = (1, 2, 3, 7, 100, 10_000)


def assert_pages_alike(recorder: Any, head: int) -> None:
    base = PostgresApplicationRecorder.select_notifications
    for start in range(-1, head + 3):
        for limit in LIMITS:
            ours = recorder.select_notifications(start, limit)
            theirs = base(recorder, start, limit)
            assert ours == theirs, (start, limit)
            for mine, its in zip(ours, theirs, strict=True):
                assert [type(v) for v in vars(mine).values()] == [
                    type(v) for v in vars(its).values()
                ]
            ours_kw = recorder.select_notifications(start=start, limit=limit)
            assert ours_kw == theirs


def execute(app: Registre, statement: sql.Composable, params: tuple[Any, ...] = ()) -> Any:
    recorder: Any = app.recorder
    with (
        recorder.datastore.get_connection() as connection,
        connection.cursor(row_factory=tuple_row) as cursor,
    ):
        cursor.execute(statement, params)
        return cursor.fetchall() if cursor.description else None


def events_table(app: Registre) -> sql.Composed:
    recorder: Any = app.recorder
    return sql.SQL("{0}.{1}").format(
        sql.Identifier(recorder.datastore.schema), sql.Identifier(recorder.events_table_name)
    )


def test_an_empty_log_reads_as_eventsourcing_reads_it(postgres_store: StoreSettings) -> None:
    app = Registre(postgres_store)
    try:
        assert app.recorder.select_notifications(1, 10) == []
        assert_pages_alike(app.recorder, 0)
    finally:
        app.close()


def test_pages_with_gaps_read_as_eventsourcing_reads_them(postgres_store: StoreSettings) -> None:
    app = Registre(postgres_store)
    try:
        member_id = a_member(app, 1)
        for n in range(3):
            hire(app, member_id, n)
        table = events_table(app)
        (sequence,) = execute(
            app,
            sql.SQL("SELECT pg_get_serial_sequence({0}, 'notification_id')").format(
                sql.Literal(f"{app.recorder.datastore.schema}.{app.recorder.events_table_name}")  # type: ignore[attr-defined]
            ),
        )[0]
        execute(app, sql.SQL("SELECT setval({0}, nextval({0}) + 5)").format(sql.Literal(sequence)))
        hire(app, member_id, 10)
        execute(app, sql.SQL("DELETE FROM {0} WHERE notification_id IN (2, 4)").format(table))
        with (  # a write rolled back: its id is never used
            pytest.raises(psycopg.Error),
            psycopg.connect(app.settings.url.split("?")[0], autocommit=False) as connection,
        ):
            connection.execute(
                sql.SQL(
                    "INSERT INTO {0} (originator_id, originator_version, topic, state)"
                    " VALUES (gen_random_uuid(), 1, 't', '\\x00'); SELECT 1/0"
                ).format(table)
            )
        hire(app, member_id, 11)
        head = app.recorder.max_notification_id() or 0
        ids = [n.id for n in app.recorder.select_notifications(1, 10_000)]
        assert ids != list(range(1, len(ids) + 1)), "the log has gaps"
        assert_pages_alike(app.recorder, head)
    finally:
        app.close()
