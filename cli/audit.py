"""`registre audit …`: proofs for auditors that the event log was only appended to.

- `export FICHIER`: the chained log (sealed fields stay sealed) with its signed checkpoints;
- `verify [FICHIER]`: an export, or the live store, checked offline: the chain computed again,
  each checkpoint's signature and passage; the first broken event named; exit status 1;
- `checkpoint`: signs a checkpoint now; `signing-key`: makes the signing key file;
- `replay` (`cli.audit_replay`).
"""

import argparse
import base64
import binascii
import os
import sys
from collections.abc import Iterable
from contextlib import closing
from pathlib import Path

from application.registre import Registre
from cli import audit_replay
from cli.arguments import command, group
from storage.audit_log import ChainVerifier, ExportError, Verdict, read_export, write_export
from storage.chain import ChainReader, Row, batches
from storage.checkpoints import (
    SIGNING_KEY_VARIABLE,
    Checkpoint,
    Checkpoints,
    encode,
    make_signing_key_file,
    required_signing_key,
    signing_key,
    signing_key_file,
)
from storage.errors import ConfigurationError
from storage.settings import StoreSettings
from storage.sql import SqlStore

BATCH = 1000


def add_parser(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    actions = group(commands, "audit", "preuves d'intégrité du journal pour les auditeurs")
    export = command(
        actions,
        "export",
        "écrit le journal chaîné et ses points de contrôle signés dans un fichier",
        "Les champs scellés restent scellés. La progression s'affiche sur la sortie d'erreur.",
    )
    export.add_argument("file", type=Path, metavar="FICHIER", help="fichier à créer")
    export.set_defaults(handler=export_log)
    verify = command(
        actions,
        "verify",
        "vérifie un export (ou le stockage, sans fichier) et nomme la première rupture",
        "Recalcule la chaîne des empreintes, vérifie la signature de chaque point de contrôle"
        " et que la chaîne passe par lui. Code de sortie 1 à la première rupture.",
    )
    verify.add_argument("file", type=Path, nargs="?", metavar="FICHIER", help="export à vérifier")
    verify.add_argument(
        "--public-key",
        action="append",
        metavar="CLÉ",
        help="clé publique du service (base64) : seuls ses points de contrôle sont admis",
    )
    verify.add_argument(
        "--checkpoints",
        action="append",
        type=Path,
        metavar="EXPORT",
        help="un export plus ancien : la chaîne doit aussi passer par ses points de contrôle"
        " (preuve que le journal n'a été que complété depuis)",
    )
    verify.set_defaults(handler=verify_log)
    checkpoint = command(actions, "checkpoint", "signe un point de contrôle maintenant", None)
    checkpoint.set_defaults(handler=sign_checkpoint)
    key = command(
        actions,
        "signing-key",
        "crée la clé de signature des points de contrôle (signing.key) et affiche sa clé publique",
        f"Sans effet si {SIGNING_KEY_VARIABLE} est donnée ou si le fichier existe déjà.",
    )
    key.set_defaults(handler=make_signing_key)
    audit_replay.add_parser(actions)


def _checkpoints(settings: StoreSettings) -> tuple[SqlStore, Checkpoints]:
    store = SqlStore.open(settings, pool_size=2)
    checkpoints = Checkpoints(store)
    checkpoints.create_table()
    return store, checkpoints


def export_log(args: argparse.Namespace) -> int:
    file: Path = args.file
    with closing(Registre()) as app:
        store, checkpoints = _checkpoints(app.settings)
        with closing(store):
            kept = checkpoints.up_to()  # before the head: any beyond it tells of a cut log
            reader = ChainReader(app.recorder)
            head = reader.head()
            try:
                descriptor = os.open(file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
                with os.fdopen(descriptor, "wb") as out:  # its owner's only, as the store
                    count = write_export(reader, kept, head, out, _progress)
            except FileExistsError:
                print(f"registre : {file} existe déjà", file=sys.stderr)
                return 1
    print(file=sys.stderr)
    print(
        f"Journal écrit dans {file} (événements : {count} ; points de contrôle signés :"
        f" {len(kept)})."
    )
    return 0


def _progress(done: int, total: int) -> None:
    print(f"\rexport : position {done}/{total}", end="", file=sys.stderr, flush=True)


def verify_log(args: argparse.Namespace) -> int:
    trusted = _trusted(args.public_key)
    try:
        held = [c for file in args.checkpoints or () for c in _checkpoints_of(file)]
    except (OSError, ExportError) as error:
        print(f"registre : export illisible : {error}", file=sys.stderr)
        return 2
    if args.file is not None:
        return _verify_file(args.file, trusted, held)
    with closing(Registre()) as app:
        if trusted is None:
            key = signing_key(app.settings, make=False)
            trusted = None if key is None else {key.public_key().public_bytes_raw()}
        store, checkpoints = _checkpoints(app.settings)
        with closing(store):
            kept = checkpoints.up_to()  # before the head: any beyond it tells of a cut log
            reader = ChainReader(app.recorder)
            head = reader.head()
            verifier = ChainVerifier([*kept, *held], trusted)
            _feed(verifier, (r for rows in batches(reader.rows, 0, head, BATCH) for r in rows))
    return _report(verifier.verdict())


def _checkpoints_of(file: Path) -> list[Checkpoint]:
    with file.open("rb") as source:
        return read_export(source).checkpoints


def _verify_file(file: Path, trusted: set[bytes] | None, held: list[Checkpoint]) -> int:
    try:
        with file.open("rb") as source:
            export = read_export(source)
            verifier = ChainVerifier([*export.checkpoints, *held], trusted)
            _feed(verifier, export.rows())
    except (OSError, ExportError) as error:
        print(f"registre : export illisible : {error}", file=sys.stderr)
        return 2
    verdict = verifier.verdict()
    if not export.complete:
        print("registre : l'export est incomplet (sa dernière ligne manque)", file=sys.stderr)
        _report(verdict)
        return 1
    return _report(verdict)


def _feed(verifier: ChainVerifier, rows: Iterable[Row]) -> None:
    for row in rows:
        verifier.feed(row)


def _trusted(keys: list[str] | None) -> set[bytes] | None:
    if not keys:
        return None
    try:
        return {base64.b64decode(k, validate=True) for k in keys}
    except binascii.Error:
        raise ConfigurationError("--public-key : une clé en base64 est attendue") from None


def _report(verdict: Verdict) -> int:
    for key in verdict.public_keys:
        print(f"Clé publique des points de contrôle : {encode(key)}")
    for refused in verdict.refused_checkpoints:
        print(f"REFUS : {refused}")
    if verdict.broken is not None:
        print(f"RUPTURE : {verdict.broken.describe()}")
    if not verdict.holds:
        return 1
    print(
        f"Journal intègre : {verdict.events} événements ; points de contrôle signés vérifiés :"
        f" {verdict.checkpoints_checked}."
    )
    return 0


def sign_checkpoint(_: argparse.Namespace) -> int:
    with closing(Registre()) as app:
        key = required_signing_key(app.settings)
        store, checkpoints = _checkpoints(app.settings)
        with closing(store):
            made = checkpoints.make(ChainReader(app.recorder), key, app.clock)
    if made is None:
        print("Le journal est vide : aucun point de contrôle.")
        return 0
    print(
        f"Point de contrôle signé à la position {made.position} (rang {made.link.seq},"
        f" empreinte {made.link.hash.hex()})."
    )
    return 0


def make_signing_key(_: argparse.Namespace) -> int:
    settings = StoreSettings.from_environment()
    made = not os.environ.get(SIGNING_KEY_VARIABLE) and make_signing_key_file(settings)
    key = required_signing_key(settings)
    if made:
        print(f"Clé de signature créée dans {signing_key_file(settings)}.")
    print(
        f"Clé publique (à remettre aux auditeurs) : {encode(key.public_key().public_bytes_raw())}"
    )
    return 0
