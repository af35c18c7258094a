"""`registre keys rotate-master`: wrap every person's key under a new master key."""

import argparse
from contextlib import closing

from application.registre import Registre
from cli.arguments import command, group
from storage import master_key
from storage.errors import ConfigurationError
from storage.settings import MASTER_KEY_VARIABLE, NEW_MASTER_KEY_VARIABLE, StoreSettings


def add_parser(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    actions = group(commands, "keys", "clé maîtresse du stockage")
    rotate = command(
        actions,
        "rotate-master",
        help="change la clé maîtresse (les clés des personnes sont reprises sous la nouvelle)",
        description=(
            f"Arrêtez d'abord serve et project. La clé actuelle vient de {MASTER_KEY_VARIABLE}"
            f" (ou du fichier master.key du dossier de données), la nouvelle de"
            f" {NEW_MASTER_KEY_VARIABLE} (base64 de 32 octets ; avec le fichier master.key,"
            " une nouvelle clé est tirée au hasard si elle n'est pas donnée). Toutes les clés"
            " des personnes sont reprises sous la nouvelle clé en une seule transaction."
        ),
    )
    rotate.set_defaults(handler=rotate_master)


def rotate_master(_: argparse.Namespace) -> int:
    settings = StoreSettings.from_environment()
    new_key = settings.new_master_key()
    if new_key == settings.master_key():
        raise ConfigurationError(f"{NEW_MASTER_KEY_VARIABLE} est la clé maîtresse actuelle")
    key_file = settings.master_key_file
    with closing(Registre(settings)) as app:
        count = master_key.rotate(app.subject_keys, new_key, key_file)
    print(f"Clé maîtresse changée : {count} clés de personnes reprises sous la nouvelle clé.")
    if key_file is not None:
        print(f"La nouvelle clé est dans {key_file} ; l'ancienne est refusée désormais.")
    else:
        print(
            f"Donnez à {MASTER_KEY_VARIABLE} la valeur de {NEW_MASTER_KEY_VARIABLE} partout où"
            " ce stockage est ouvert (serve, project), puis redémarrez : l'ancienne clé est"
            " refusée désormais."
        )
    print("Les sessions ouvertes et les codes envoyés ne valent plus : chacun se reconnecte.")
    return 0
