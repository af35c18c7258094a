"""Where the events live, chosen by one variable: REGISTRE_DATABASE_URL.

- unset: the embedded default, a SQLite file `registre.sqlite3` in REGISTRE_DATA_DIR (`./var`);
- `sqlite:///relative/path.sqlite3` or `sqlite:////absolute/path.sqlite3`;
- `postgresql://user[:password]@host[:port]/dbname[?schema=name&pool_size=N&max_overflow=N]`.
"""

import base64
import binascii
import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from storage.keys import DEFAULT_CACHE_SECONDS, new_master_key

DEFAULT_POOL_SIZE = 5
DEFAULT_MAX_OVERFLOW = 10


class ConfigurationError(Exception):
    pass


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
                Path(path).parent.mkdir(parents=True, exist_ok=True)
            return {
                "PERSISTENCE_MODULE": "eventsourcing.sqlite",
                "SQLITE_DBNAME": path,
                "SQLITE_LOCK_TIMEOUT": "10",
                "APPLICATION_RECORDER_TOPIC": "storage.recorders:SQLiteRegistreRecorder",
            }
        if self.is_postgres:
            query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
            return {
                "PERSISTENCE_MODULE": "eventsourcing.postgres",
                "POSTGRES_DBNAME": parts.path.lstrip("/") or "registre",
                "POSTGRES_HOST": parts.hostname or "127.0.0.1",
                "POSTGRES_PORT": str(parts.port or 5432),
                "POSTGRES_USER": unquote(parts.username or "postgres"),
                "POSTGRES_PASSWORD": unquote(parts.password or ""),
                "POSTGRES_SCHEMA": query.get("schema", "public"),
                "POSTGRES_POOL_SIZE": query.get("pool_size", str(DEFAULT_POOL_SIZE)),
                "POSTGRES_MAX_OVERFLOW": query.get("max_overflow", str(DEFAULT_MAX_OVERFLOW)),
                "POSTGRES_LOCK_TIMEOUT": "10",
                "APPLICATION_RECORDER_TOPIC": "storage.recorders:PostgresRegistreRecorder",
            }
        msg = f"REGISTRE_DATABASE_URL: unknown scheme {parts.scheme!r} (sqlite or postgresql)"
        raise ConfigurationError(msg)

    def master_key(self) -> bytes:
        """The key that wraps every person's keys: REGISTRE_MASTER_KEY (base64 of 32 bytes).

        With the embedded default, a key file is made in the data folder on first start.
        """
        configured = os.environ.get("REGISTRE_MASTER_KEY")
        if configured:
            try:
                key = base64.b64decode(configured, validate=True)
            except binascii.Error as error:
                raise ConfigurationError("REGISTRE_MASTER_KEY is not valid base64") from error
            if len(key) != 32:
                raise ConfigurationError("REGISTRE_MASTER_KEY must hold 32 bytes")
            return key
        if self.is_postgres:
            raise ConfigurationError("REGISTRE_MASTER_KEY is required with PostgreSQL")
        key_file = self.data_dir / "master.key"
        if not key_file.exists():
            self.data_dir.mkdir(parents=True, exist_ok=True)
            fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as out:
                out.write(base64.b64encode(new_master_key()))
        return base64.b64decode(key_file.read_bytes())
