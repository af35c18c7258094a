"""Who sells and who buys: the service as a seller (its own data, kept by its staff with
history) and the member as a buyer, each as they stood when an invoice was issued."""

from dataclasses import dataclass, replace

from stdnum import bic as stdnum_bic
from stdnum.eu import at_02
from stdnum.exceptions import ValidationError

from domain.address import Address
from domain.errors import InvalidValue
from domain.identifiers import Iban, Siren, Siret, VatNumber, ensure_vat_matches_siret
from domain.text import check_characters, required_text, shown
from domain.validated import ValidatedStr

ELECTRONIC_ADDRESS_SCHEME = "0225"
"""The French directory of electronic invoicing addresses: a SIREN, then an optional suffix."""


class CreditorId(ValidatedStr):
    """Identifiant créancier SEPA (ICS): FR, 2 check digits, 3-character business code, id."""

    def __new__(cls, value: str) -> "CreditorId":
        compact = "".join(str(value).split()).upper()
        try:
            at_02.validate(compact)
        except ValidationError:
            raise InvalidValue(
                f"L'identifiant créancier SEPA « {shown(value, 40)} » n'est pas valide"
                " (exemple : FR72ZZZ123456).",
                code="INVALID_CREDITOR_ID",
                field="creditor_id",
            ) from None
        return str.__new__(cls, compact)


class Bic(ValidatedStr):
    """BIC (code d'identification de la banque), 8 or 11 characters."""

    def __new__(cls, value: str) -> "Bic":
        compact = "".join(str(value).split()).upper()
        try:
            stdnum_bic.validate(compact)
        except ValidationError:
            raise InvalidValue(
                f"Le BIC « {shown(value, 20)} » n'est pas valide.", code="INVALID_BIC", field="bic"
            ) from None
        return str.__new__(cls, compact)


@dataclass(frozen=True, slots=True)
class Seller:
    """The service as it appears on its invoices (BILLING.md §1–3)."""

    legal_name: str
    siret: Siret
    vat_number: VatNumber
    address: Address
    creditor_id: CreditorId
    iban: Iban
    bic: Bic
    electronic_address: str
    """Its electronic invoicing address (scheme 0225): its SIREN, then an optional suffix."""

    @property
    def siren(self) -> Siren:
        return self.siret.siren

    def validated(self) -> "Seller":
        siret = Siret.coerce(self.siret)
        vat_number = VatNumber.coerce(self.vat_number)
        ensure_vat_matches_siret(vat_number, siret)
        check_characters(self.electronic_address, "electronic_address", "L'adresse électronique")
        address = "".join(self.electronic_address.split())
        if not address.startswith(siret[:9]) or len(address) > 50 or not address.isascii():
            raise InvalidValue(
                "L'adresse de facturation électronique commence par le SIREN du service"
                " (50 caractères au plus).",
                code="INVALID_ELECTRONIC_ADDRESS",
                field="electronic_address",
            )
        return replace(
            self,
            legal_name=required_text(self.legal_name, "legal_name", "La raison sociale"),
            address=self.address.checked(),
            siret=siret,
            vat_number=vat_number,
            creditor_id=CreditorId.coerce(self.creditor_id),
            iban=Iban.coerce(self.iban),
            bic=Bic.coerce(self.bic),
            electronic_address=address,
        )


@dataclass(frozen=True, slots=True)
class Buyer:
    """The member as billed: its name, SIREN (from its SIRET), VAT number and billing address."""

    legal_name: str
    siren: Siren | None
    vat_number: VatNumber | None
    address: Address | None

    @property
    def electronic_address(self) -> str | None:
        """Scheme 0225: a company's address starts with its SIREN."""
        return None if self.siren is None else str(self.siren)
