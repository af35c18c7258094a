"""Signed checkpoints of the chained log: a chain computed again or cut short is refused by the
first checkpoint it no longer passes through, a forged checkpoint is refused, the worker signs
one every so many events or so long, the signing key is configured like the master key, and an
export verifies offline after the store is gone — on SQLite and on PostgreSQL."""

from pathlib import Path

import psycopg
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from psycopg import sql

from application.registre import Registre
from cli.main import main
from domain.calendar import SetClock
from storage.chain import START, ChainReader, Row, links_after
from storage.checkpoints import Checkpointer, Checkpoints, open_checkpointer
from storage.settings import StoreSettings
from storage.sql import SqlStore
from tests.integration.chained_log import (  # noqa: F401 (the fixtures)
    KEY,
    PUBLIC_KEY,
    Database,
    Sign,
    checkpoints_fixture,
    clock_fixture,
    database_fixture,
    hire_one_more,
    populate,
    sign_fixture,
    verify,
)


def test_a_chain_computed_again_is_refused_by_a_checkpoint(
    app: Registre, database: Database, checkpoints: Checkpoints, sign: Sign
) -> None:
    populate(app)
    sign()
    rewrite_history(app, database)
    positions = database.positions()
    assert verify(app).holds, "without checkpoints, a chain computed again looks whole"
    broken = verify(app, checkpoints).broken
    assert broken is not None
    assert broken.position == positions[-1]
    assert "la chaîne ne passe plus par le point de contrôle signé du 02/03/2026" in broken.reason


def rewrite_history(app: Registre, database: Database) -> None:
    """The third event altered and the whole chain computed again, as someone who knows how."""
    third = database.positions()[2]
    rows = ChainReader(app.recorder).rows(0, None, 1000)
    forged = [
        r
        if r.position != third
        else Row(
            r.position, r.originator_id, r.originator_version, r.topic, r.state + b" ", None, None
        )
        for r in rows
    ]
    for row, link in zip(forged, links_after(START, forged), strict=True):
        database.execute(
            "UPDATE {t} SET state = ?, chain_hash = ? WHERE {p} = ?",
            (row.state, link.hash, row.position),
        )


def test_an_auditor_holding_an_earlier_export_sees_history_rewritten(  # noqa: PLR0917
    store: StoreSettings,
    app: Registre,
    database: Database,
    sign: Sign,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The store's own checkpoints deleted with the history rewritten, a new export looks whole;
    the checkpoints of the export the auditor kept refuse it."""
    monkeypatch.setenv("REGISTRE_DATABASE_URL", store.url)
    monkeypatch.setenv("REGISTRE_DATA_DIR", str(store.data_dir))
    populate(app)
    sign()
    earlier, later = tmp_path / "mars.jsonl", tmp_path / "juin.jsonl"
    assert main(["audit", "export", str(earlier)]) == 0
    rewrite_history(app, database)
    database.execute("DELETE FROM {c}")
    hire_one_more(app)
    assert main(["audit", "export", str(later)]) == 0
    assert main(["audit", "verify", str(later)]) == 0
    assert main(["audit", "verify", str(later), "--checkpoints", str(earlier)]) == 1


def test_the_last_events_deleted_are_refused_by_a_checkpoint(
    app: Registre, database: Database, checkpoints: Checkpoints, sign: Sign
) -> None:
    populate(app)
    made = sign()
    assert made is not None
    positions = database.positions()
    database.execute("DELETE FROM {t} WHERE {p} >= ?", (positions[-2],))
    verdict = verify(app, checkpoints)
    assert verdict.broken is not None
    assert verdict.broken.position == made.position
    assert "les derniers ont été supprimés" in verdict.broken.reason


def test_a_forged_checkpoint_is_refused(
    app: Registre, database: Database, checkpoints: Checkpoints, sign: Sign
) -> None:
    populate(app)
    made = sign()
    assert made is not None
    assert verify(app, checkpoints).checkpoints_checked == 1
    database.execute("UPDATE {c} SET seq = seq + 1")
    verdict = verify(app, checkpoints)
    assert not verdict.holds
    assert verdict.refused_checkpoints == [
        f"point de contrôle de la position {made.position} (02/03/2026 09:30:00 UTC) refusé :"
        " sa signature est fausse"
    ]
    database.execute("DELETE FROM {c}")
    sign(Ed25519PrivateKey.generate())
    assert (
        "n'est pas signé par la clé du service" in verify(app, checkpoints).refused_checkpoints[0]
    )


def test_a_checkpoint_is_signed_every_so_many_events(
    app: Registre, checkpoints: Checkpoints, clock: SetClock
) -> None:
    reader = ChainReader(app.recorder)
    checkpointer = Checkpointer(checkpoints, reader, KEY, clock, every_events=5)
    checkpointer.step()
    assert checkpoints.last() is None, "nothing to sign in an empty log"
    populate(app, employees=2)
    checkpointer.step()
    first = checkpoints.last()
    assert first is not None
    assert first.position == ChainReader(app.recorder).head()
    hire_one_more(app)
    checkpointer.step()
    assert checkpoints.last() == first, "fewer events than the interval, and too soon"
    clock.advance(hours=2)
    checkpointer.step()
    last = checkpoints.last()
    assert last is not None
    assert last.position > first.position
    assert verify(app, checkpoints).checkpoints_checked == 2


def test_an_export_verifies_offline_after_the_store_is_gone(  # noqa: PLR0917
    store: StoreSettings,
    app: Registre,
    sign: Sign,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    populate(app)
    sign()
    events = app.recorder.max_notification_id()
    monkeypatch.setenv("REGISTRE_DATABASE_URL", store.url)
    monkeypatch.setenv("REGISTRE_DATA_DIR", str(store.data_dir))
    export = tmp_path / "journal.jsonl"
    assert main(["audit", "export", str(export)]) == 0
    assert "export : position" in capsys.readouterr().err
    assert export.stat().st_mode & 0o077 == 0, "the export is its owner's only"
    assert main(["audit", "export", str(export)]) == 1, "an export is never overwritten"
    _drop(store, app)
    assert main(["audit", "verify", str(export), "--public-key", PUBLIC_KEY]) == 0
    assert f"Journal intègre : {events} événements ; points de contrôle signés vérifiés : 1." in (
        capsys.readouterr().out
    )
    lines = export.read_bytes().splitlines(keepends=True)
    lines[5] = lines[5].replace(b'"originator_version":1', b'"originator_version":2')
    export.write_bytes(b"".join(lines))
    assert main(["audit", "verify", str(export)]) == 1
    assert "RUPTURE : première rupture à la position" in capsys.readouterr().out
    export.write_bytes(b"".join(lines[:-1]))
    assert main(["audit", "verify", str(export)]) == 1
    assert "l'export est incomplet" in capsys.readouterr().err


def _drop(store: StoreSettings, app: Registre) -> None:
    app.close()
    if store.is_postgres:
        url, schema = store.url.rsplit("?schema=", 1)
        with psycopg.connect(url, autocommit=True) as connection:
            connection.execute(sql.SQL("DROP SCHEMA {} CASCADE").format(sql.Identifier(schema)))
    else:
        Path(store.eventsourcing_env()["SQLITE_DBNAME"]).unlink()


def test_the_signing_key_is_configured_like_the_master_key(
    store: StoreSettings,
    app: Registre,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The embedded store makes its key file on first use; PostgreSQL needs the variable or a
    file made by `registre audit signing-key`; the worker signs nothing without a key."""
    monkeypatch.setenv("REGISTRE_DATABASE_URL", store.url)
    monkeypatch.setenv("REGISTRE_DATA_DIR", str(store.data_dir))
    monkeypatch.delenv("REGISTRE_SIGNING_KEY", raising=False)
    populate(app, employees=1)
    sql_store = SqlStore.open(store, pool_size=2)
    try:
        if store.is_postgres:
            assert open_checkpointer(app, sql_store) is None
            assert main(["audit", "checkpoint"]) == 2
            assert "aucune clé de signature" in capsys.readouterr().err
            assert main(["audit", "signing-key"]) == 0
            assert "Clé de signature créée dans" in capsys.readouterr().out
        checkpointer = open_checkpointer(app, sql_store)
        assert checkpointer is not None
    finally:
        sql_store.close()
    assert (store.data_dir / "signing.key").stat().st_mode & 0o077 == 0
    assert main(["audit", "checkpoint"]) == 0
    head = app.recorder.max_notification_id()
    assert f"Point de contrôle signé à la position {head} (rang {head}" in capsys.readouterr().out
    monkeypatch.setenv("REGISTRE_SIGNING_KEY", PUBLIC_KEY)  # any 32 bytes in base64 make a key
    assert main(["audit", "verify"]) == 1
    assert "il n'est pas signé par la clé du service" in capsys.readouterr().out
