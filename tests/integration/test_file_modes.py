"""The store's files are readable by their owner only, whatever the umask (issue 10, item 13):
the data folder and the documents' folders 0700; the SQLite file, its -wal and -shm files, the
master key file and the documents 0600."""

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from application.registre import Registre
from storage.documents import DocumentStore
from storage.settings import StoreSettings


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def open_umask() -> Iterator[None]:
    """The most permissive umask: the modes must not come from it."""
    previous = os.umask(0)
    yield
    os.umask(previous)


@pytest.fixture
def embedded_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The embedded default: a SQLite file and a key file in a data folder not made yet."""
    monkeypatch.delenv("REGISTRE_MASTER_KEY")
    monkeypatch.delenv("REGISTRE_DATABASE_URL", raising=False)
    data_dir = tmp_path / "var"
    monkeypatch.setenv("REGISTRE_DATA_DIR", str(data_dir))
    return data_dir


@pytest.mark.usefixtures("open_umask")
def test_the_embedded_store_is_readable_by_its_owner_only(embedded_store: Path) -> None:
    app = Registre()
    try:
        files = ["registre.sqlite3", "registre.sqlite3-wal", "registre.sqlite3-shm", "master.key"]
        assert {name: mode(embedded_store / name) for name in files} == dict.fromkeys(files, 0o600)
    finally:
        app.close()
    assert mode(embedded_store) == 0o700


@pytest.mark.usefixtures("open_umask")
def test_the_missing_folders_of_a_sqlite_path_are_made_private(tmp_path: Path) -> None:
    database = tmp_path / "a" / "b" / "registre.sqlite3"
    settings = StoreSettings(url=f"sqlite:///{database}", data_dir=tmp_path)
    Registre(settings).close()

    assert (mode(tmp_path / "a"), mode(tmp_path / "a" / "b"), mode(database)) == (
        0o700,
        0o700,
        0o600,
    )


@pytest.mark.usefixtures("open_umask")
def test_documents_are_readable_by_their_owner_only(tmp_path: Path) -> None:
    store = DocumentStore.in_data_dir(tmp_path / "var").within("member-1")
    digest = store.put(b"%PDF-1.7 evaluation des risques")

    path = store.path_of(digest)
    folders = [tmp_path / "var", tmp_path / "var" / "documents", store.folder, path.parent]
    assert [mode(folder) for folder in folders] == [0o700] * 4
    assert mode(path) == 0o600
