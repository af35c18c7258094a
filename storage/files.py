"""Files and folders of the store, readable by their owner only: they hold personal data (the
SQLite file, uploaded documents) or the key to it (`master.key`).

Modes are given at creation (`os.open`, `mkdir`), which the umask can only narrow. Files and
folders that already exist are left as they are: they may be the operator's choice.
"""

import contextlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

PRIVATE_FOLDER = 0o700
PRIVATE_FILE = 0o600


def private_folder(folder: Path) -> None:
    """Creates `folder` and its missing parents, each 0700."""
    missing: list[Path] = []
    while not folder.exists() and folder != folder.parent:
        missing.append(folder)
        folder = folder.parent
    for created in reversed(missing):
        with contextlib.suppress(FileExistsError):
            created.mkdir(mode=PRIVATE_FOLDER)


def private_file(path: Path) -> None:
    """Creates an empty file 0600, unless it exists (SQLite takes an empty file for a new
    database, and gives its -wal and -shm files the mode of the database)."""
    private_folder(path.parent)
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT, PRIVATE_FILE))


def write_new_file(path: Path, content: bytes) -> None:
    """Writes a file 0600 whole or not at all, durably; FileExistsError if `path` exists (even
    when another process is writing it at the same moment)."""
    _write_whole(path, content, os.link)


def replace_file(path: Path, content: bytes) -> None:
    """Writes a file 0600 whole or not at all, durably, in place of the one at `path` if any."""
    _write_whole(path, content, os.replace)


def _write_whole(path: Path, content: bytes, place: Callable[[str, Path], None]) -> None:
    """Writes `content` to a temporary file beside `path`, then `place`s it at `path`."""
    private_folder(path.parent)
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".part")
    try:
        with os.fdopen(descriptor, "wb") as out:
            out.write(content)
            out.flush()
            os.fsync(out.fileno())
        place(temporary, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
    sync_folder(path.parent)


def sync_folder(folder: Path) -> None:
    """A rename or link in `folder` made durable (POSIX); skipped where folders cannot be
    opened."""
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)
