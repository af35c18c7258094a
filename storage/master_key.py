"""The master key: its check value in the store, its file, its rotation.

The store keeps a check value of its master key, a known constant sealed by it (the
`master_key_check` table, beside the keys it wraps, `storage.keys`): a process started with
another master key is refused, since it would seal data under keys that the store's master key
cannot open.

Rotation wraps every person's key again under a new master key, in one transaction. When the
master key is the store's own file (SQLite without REGISTRE_MASTER_KEY), the new key is first
written beside it (`master.key.new`) and renamed into place once the transaction committed: a
crash in between leaves the new key in that file, which the refusal at the next start names.
"""

import base64
import binascii
import contextlib
import os
from pathlib import Path
from typing import TYPE_CHECKING

from cryptography.exceptions import InvalidTag

from storage.errors import ConfigurationError
from storage.files import sync_folder, write_new_file

if TYPE_CHECKING:
    from storage.keys import Sealer, SubjectKeys

KEY_FILE = "master.key"
KEY_BYTES = 32
CHECK_PLAINTEXT = b"registre master key"
CHECK_CONTEXT = b"master key check"
WRONG_MASTER_KEY = (
    "la clé maîtresse (REGISTRE_MASTER_KEY, ou le fichier master.key du dossier de données) n'est"
    " pas celle de ce stockage : les données personnelles seraient scellées sous des clés que"
    " personne ne pourrait plus ouvrir. Redémarrez avec la clé de ce stockage. Pour en changer,"
    " lancez « registre keys rotate-master » avec la clé actuelle dans REGISTRE_MASTER_KEY (ou"
    " master.key) et la nouvelle dans REGISTRE_NEW_MASTER_KEY. Si une rotation a été"
    " interrompue, la nouvelle clé est dans le fichier master.key.new du dossier de données."
)


UNREADABLE_KEYS = (
    "{count} clé(s) de personnes ne s'ouvrent pas avec la clé maîtresse actuelle (scellées sous"
    " une autre clé) : la rotation n'a rien changé."
)


class WrongMasterKey(ConfigurationError):
    def __init__(self) -> None:
        super().__init__(WRONG_MASTER_KEY)


def opens(sealer: "Sealer", sealed: bytes, context: bytes) -> bool:
    try:
        sealer.open(sealed, context)
    except InvalidTag:
        return False
    return True


def check_value(master: "Sealer") -> bytes:
    return master.seal(CHECK_PLAINTEXT, CHECK_CONTEXT)


def require_check(master: "Sealer", check: bytes | None) -> None:
    """WrongMasterKey unless `check` is the store's check value of this master key."""
    if check is None or not opens(master, check, CHECK_CONTEXT):
        raise WrongMasterKey()


def wrap_again(old: "Sealer", new: "Sealer", keys: list[tuple[bytes, bytes]]) -> list[bytes]:
    """Each (wrapped key, context) opened by the old master key and sealed by the new one;
    ConfigurationError if any does not open, since the rotation would lose it."""
    opened: list[tuple[bytes, bytes]] = []
    for wrapped, context in keys:
        with contextlib.suppress(InvalidTag):
            opened.append((old.open(wrapped, context), context))
    if len(opened) < len(keys):
        raise ConfigurationError(UNREADABLE_KEYS.format(count=len(keys) - len(opened)))
    return [new.seal(key, context) for key, context in opened]


def decode_key(source: str, encoded: str | bytes) -> bytes:
    """A master key from its base64 text; `source` names where it came from, for the error."""
    try:
        key = base64.b64decode(encoded, validate=True)
    except binascii.Error as error:
        raise ConfigurationError(f"{source} n'est pas en base64") from error
    if len(key) != KEY_BYTES:
        raise ConfigurationError(f"{source} doit contenir {KEY_BYTES} octets (en base64)")
    return key


def read_key_file(path: Path) -> bytes:
    return decode_key(f"le fichier {path}", path.read_bytes().strip())


def write_key_file(path: Path, key: bytes) -> None:
    """A new key file, 0600, written whole; FileExistsError if there is one."""
    write_new_file(path, base64.b64encode(key))


def rotate(keys: "SubjectKeys", new_key: bytes, key_file: Path | None) -> int:
    """Wraps every person's key under `new_key` (one transaction), and replaces `key_file` by
    the new key when the master key is the store's file; returns how many keys were wrapped."""
    if key_file is None:
        return keys.rotate_master(new_key)
    staged = key_file.with_name(f"{key_file.name}.new")
    try:
        write_key_file(staged, new_key)
    except FileExistsError:
        msg = (
            f"le fichier {staged} existe : une rotation a peut-être été interrompue. S'il ne"
            f" contient pas la clé de ce stockage, supprimez-le, puis recommencez."
        )
        raise ConfigurationError(msg) from None
    try:
        count = keys.rotate_master(new_key)
    except BaseException:
        staged.unlink()
        raise
    os.replace(staged, key_file)
    sync_folder(key_file.parent)
    return count
