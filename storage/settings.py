"""Where the events live, chosen by one variable: REGISTRE_DATABASE_URL.

- unset: the embedded default, a SQLite file `registre.sqlite3` in REGISTRE_DATA_DIR (`./var`);
- `sqlite:///relative/path.sqlite3` or `sqlite:////absolute/path.sqlite3`;
- `postgresql://user[:password]@host[:port]/dbname[?schema=name&pool_size=N&max_overflow=N]`.
"""

import contextlib
import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from storage.errors import ConfigurationError
from storage.files import private_file
from storage.keys import DEFAULT_CACHE_SECONDS, new_master_key
from storage.master_key import KEY_BYTES, KEY_FILE, decode_key, read_key_file, write_key_file

__all__ = [
    "DEFAULT_MAX_OVERFLOW",
    "DEFAULT_POOL_SIZE",
    "MASTER_KEY_VARIABLE",
    "NEW_MASTER_KEY_VARIABLE",
    "ConfigurationError",
    "StoreSettings",
]

DEFAULT_POOL_SIZE = 5
DEFAULT_MAX_OVERFLOW = 10
MASTER_KEY_VARIABLE = "REGISTRE_MASTER_KEY"
NEW_MASTER_KEY_VARIABLE = "REGISTRE_NEW_MASTER_KEY"


@dataclass(frozen=True, slots=True)
class StoreSettings:
    url: str
    data_dir: Path
    key_cache_seconds: float = DEFAULT_CACHE_SECONDS

    @classmethod
    def from_environment(cls) -> "StoreSettings":
        data_dir = Path(os.environ.get("REGISTRE_DATA_DIR", "var"))
        url = (
            os.environ.get("REGISTRE_DATABASE_URL") or f"sqlite:///{data_dir / 'registre.sqlite3'}"
        )
        cache = float(os.environ.get("REGISTRE_KEY_CACHE_SECONDS", DEFAULT_CACHE_SECONDS))
        return cls(url=url, data_dir=data_dir, key_cache_seconds=cache)

    @property
    def is_postgres(self) -> bool:
        return urlsplit(self.url).scheme in {"postgres", "postgresql"}

    def eventsourcing_env(self) -> dict[str, str]:
        """The environment of the eventsourcing application for this store."""
        parts = urlsplit(self.url)
        if parts.scheme == "sqlite":
            path = unquote(parts.path[1:]) if parts.path.startswith("/") else unquote(parts.path)
            if path != ":memory:":
                private_file(Path(path))
            return {
                "PERSISTENCE_MODULE": "eventsourcing.sqlite",
                "SQLITE_DBNAME": path,
                "SQLITE_LOCK_TIMEOUT": "10",
                "APPLICATION_RECORDER_TOPIC": "storage.recorders:SQLiteRegistreRecorder",
            }
        if self.is_postgres:
            query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
            return {
                "PERSISTENCE_MODULE": "storage.postgres_recorder:RegistrePostgresFactory",
                "POSTGRES_DBNAME": parts.path.lstrip("/") or "registre",
                "POSTGRES_HOST": parts.hostname or "127.0.0.1",
                "POSTGRES_PORT": str(parts.port or 5432),
                "POSTGRES_USER": unquote(parts.username or "postgres"),
                "POSTGRES_PASSWORD": unquote(parts.password or ""),
                "POSTGRES_SCHEMA": query.get("schema", "public"),
                "POSTGRES_POOL_SIZE": query.get("pool_size", str(DEFAULT_POOL_SIZE)),
                "POSTGRES_MAX_OVERFLOW": query.get("max_overflow", str(DEFAULT_MAX_OVERFLOW)),
                "POSTGRES_LOCK_TIMEOUT": "10",
                "APPLICATION_RECORDER_TOPIC": "storage.postgres_recorder:PostgresRegistreRecorder",
            }
        msg = f"REGISTRE_DATABASE_URL: unknown scheme {parts.scheme!r} (sqlite or postgresql)"
        raise ConfigurationError(msg)

    def master_key(self) -> bytes:
        """The key that wraps every person's keys: REGISTRE_MASTER_KEY (base64 of 32 bytes).

        With the embedded default, a key file is made in the data folder on first start.
        """
        configured = os.environ.get(MASTER_KEY_VARIABLE)
        if configured:
            return decode_key(MASTER_KEY_VARIABLE, configured)
        key_file = self.master_key_file
        if key_file is None:
            raise ConfigurationError(f"{MASTER_KEY_VARIABLE} est requise avec PostgreSQL")
        with contextlib.suppress(FileExistsError):
            write_key_file(key_file, new_master_key())
        return read_key_file(key_file)

    @property
    def master_key_file(self) -> Path | None:
        """The file of the master key when the store keeps its own (SQLite, no variable)."""
        if os.environ.get(MASTER_KEY_VARIABLE) or self.is_postgres:
            return None
        return self.data_dir / KEY_FILE

    def new_master_key(self) -> bytes:
        """The key to rotate to: REGISTRE_NEW_MASTER_KEY, or, for a key file, a new one."""
        configured = os.environ.get(NEW_MASTER_KEY_VARIABLE)
        if configured:
            return decode_key(NEW_MASTER_KEY_VARIABLE, configured)
        if self.master_key_file is None:
            msg = (
                f"{NEW_MASTER_KEY_VARIABLE} est requise : la nouvelle clé maîtresse, en base64"
                f" de {KEY_BYTES} octets"
            )
            raise ConfigurationError(msg)
        return new_master_key()
