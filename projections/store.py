"""The read tables' store: connections of the read models' own (`storage.sql`), beside the
events in the same SQLite file or PostgreSQL schema. The sign-in tables have a store of their
own (`application.accounts.access_store`), so the read side holds nothing but read models."""

from storage.sql import PostgresSqlStore as PostgresReadStore
from storage.sql import Row, Tx
from storage.sql import SQLiteSqlStore as SQLiteReadStore
from storage.sql import SqlStore as ReadStore

__all__ = ["PostgresReadStore", "ReadStore", "Row", "SQLiteReadStore", "Tx"]
