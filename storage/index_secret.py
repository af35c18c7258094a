"""The secret of the keyed blind index (`storage.blind_index`), kept like a person's key.

Tokens of e-mail addresses name records of the event log (an account's e-mail claim), so they
must not change when the master key does. The secret is therefore drawn once, at random, and
kept in `subject_keys` under a reserved subject, wrapped by the master key exactly as a person's
key is: `registre keys rotate-master` wraps it again with the others, and the tokens stay.
No erasure ever names that subject.
"""

import os
from typing import Any
from uuid import UUID

from psycopg.sql import SQL

from domain.personal_data import DataCategory
from storage.key_tables import postgres_keys_table
from storage.keys import KEY_BITS, Sealer

INDEX_SUBJECT = UUID("00000000-0000-4000-8000-0000b11d1dec")
"""Reserved: no aggregate has this id (ids are uuid4 or uuid5, never this one)."""
_CATEGORY = DataCategory.IDENTITY
_CONTEXT = f"{INDEX_SUBJECT}:{_CATEGORY.value}".encode()


def index_secret(datastore: Any, master_key: bytes, *, postgres: bool) -> bytes:
    """The store's blind-index secret, made on first use (the first process to store it wins)."""
    master = Sealer(master_key)
    candidate = master.seal(os.urandom(KEY_BITS // 8), _CONTEXT)
    if postgres:
        table = postgres_keys_table(datastore.schema)
        with datastore.transaction(commit=True) as cursor:
            cursor.execute(
                SQL(
                    "INSERT INTO {0} (subject_id, category, wrapped_key) VALUES (%s, %s, %s)"
                    " ON CONFLICT DO NOTHING"
                ).format(table),
                (INDEX_SUBJECT, _CATEGORY.value, candidate),
            )
            cursor.execute(
                SQL("SELECT wrapped_key FROM {0} WHERE subject_id = %s AND category = %s").format(
                    table
                ),
                (INDEX_SUBJECT, _CATEGORY.value),
            )
            wrapped = bytes(cursor.fetchone()["wrapped_key"])
    else:
        with datastore.transaction(commit=True) as cursor:
            cursor.execute(
                "INSERT OR IGNORE INTO subject_keys (subject_id, category, wrapped_key)"
                " VALUES (?, ?, ?)",
                (str(INDEX_SUBJECT), _CATEGORY.value, candidate),
            )
            cursor.execute(
                "SELECT wrapped_key FROM subject_keys WHERE subject_id = ? AND category = ?",
                (str(INDEX_SUBJECT), _CATEGORY.value),
            )
            wrapped = bytes(cursor.fetchone()[0])
    return master.open(wrapped, _CONTEXT)


def opened_index_secret(master_key: bytes, wrapped: bytes) -> bytes:
    """The secret from its wrapped form in `subject_keys`, for a reader of that table (the read
    side, which finds it there: the application stores it when it first opens the store)."""
    return Sealer(master_key).open(wrapped, _CONTEXT)
