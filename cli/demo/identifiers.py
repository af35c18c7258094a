"""Valid fake identifiers: SIREN and SIRET with their Luhn keys, a French IBAN, NIRs."""

import random
from datetime import date

from stdnum import iban, luhn
from stdnum.fr import nir

from domain.identifiers import Iban, Nir, Siren, Siret
from domain.workforce.employment import Sex

BIRTH_DEPARTMENTS = ("13",) * 8 + ("84", "83", "04", "06", "30", "34", "69", "75", "59", "21")
BIRTH_COUNTRIES = ("350", "352", "351", "139")  # Maroc, Algérie, Tunisie, Portugal (code INSEE)


def luhn_complete(digits: str) -> str:
    return digits + luhn.calc_check_digit(digits)


def make_siren(rng: random.Random) -> Siren:
    return Siren(luhn_complete(str(rng.randint(30_000_000, 99_999_999))))


def make_siret(siren: Siren, establishment: int) -> Siret:
    return Siret(luhn_complete(f"{siren}{establishment:04d}"))


def make_french_iban(rng: random.Random) -> Iban:
    """A French IBAN: bank 30004, branch, account, RIB key, then the IBAN check digits."""
    bank, branch = "30004", f"{rng.randint(100, 3999):05d}"
    account = f"{rng.randint(10**9, 10**11 - 1):011d}"
    rib_key = 97 - (89 * int(bank) + 15 * int(branch) + 3 * int(account)) % 97
    bban = f"{bank}{branch}{account}{rib_key:02d}"
    return Iban(f"FR{iban.calc_check_digits(f'FR00{bban}')}{bban}")


def birth_place(rng: random.Random) -> str:
    """Department and commune (5 characters) of a NIR, sometimes Corsica, overseas or abroad."""
    draw = rng.random()
    if draw < 0.06:
        return rng.choice(("2A004", "2B033"))
    if draw < 0.09:
        return f"97{rng.choice('1234')}{rng.randint(1, 30):02d}"
    if draw < 0.18:
        return "99" + rng.choice(BIRTH_COUNTRIES)
    return f"{rng.choice(BIRTH_DEPARTMENTS)}{rng.randint(1, 300):03d}"


def make_nir(rng: random.Random, sex: Sex, birth_date: date) -> Nir:
    sex_digit = "1" if sex is Sex.M else "2"
    body = (
        f"{sex_digit}{birth_date.year % 100:02d}{birth_date.month:02d}"
        f"{birth_place(rng)}{rng.randint(1, 999):03d}"
    )
    return Nir(body + nir.calc_check_digits(body))
