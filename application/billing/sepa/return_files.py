"""Reading the bank's files of R-transactions, the direct debits that came back (BILLING.md §3):
the payment status report pain.002.001.xx (rejects before settlement: `TxInfAndSts` whose
`TxSts` is RJCT, reason `StsRsnInf/Rsn/Cd`) and the debit notification camt.054.001.xx (returns
and refunds after settlement: `TxDtls` carrying `RtrInf/Rsn/Cd`).

The file comes from outside: read with lxml without any DTD, entity, network access or huge
tree, of a bounded size, and refused — with a French message — unless it is one of these two
messages in an ISO 20022 namespace.
"""

import re
from dataclasses import dataclass
from datetime import date

from lxml import etree

from domain.errors import InvalidValue
from domain.money import Money

MAX_FILE_BYTES = 5 * 1024 * 1024
_NAMESPACE = re.compile(r"urn:iso:std:iso:20022:tech:xsd:(pain\.002|camt\.054)\.001\.\d{2}")
_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, remove_pis=True
)


@dataclass(frozen=True, slots=True)
class ReturnedDebit:
    """One transaction of the file: the debit it names, and why and when it came back."""

    end_to_end_id: str
    amount: Money | None
    reason_code: str
    returned_on: date


@dataclass(frozen=True, slots=True)
class ReturnFile:
    message: str
    """`pain.002` or `camt.054`."""
    message_id: str
    returns: tuple[ReturnedDebit, ...]


def refused(message: str, code: str) -> InvalidValue:
    return InvalidValue(message, code=code, field="file")


def read_return_file(content: bytes) -> ReturnFile:
    """The returned debits `content` lists, or a refusal of the file as a whole."""
    if len(content) > MAX_FILE_BYTES:
        raise refused(
            f"Le fichier dépasse {MAX_FILE_BYTES // (1024 * 1024)} Mo.", "RETURN_FILE_TOO_LARGE"
        )
    try:
        document = etree.fromstring(content, _PARSER)
    except etree.XMLSyntaxError:
        raise refused(
            "Le fichier n'est pas un fichier XML lisible.", "RETURN_FILE_UNREADABLE"
        ) from None
    if document.getroottree().docinfo.doctype:
        raise refused(
            "Le fichier contient une déclaration de type de document (DTD) : refusé.",
            "RETURN_FILE_DTD",
        )
    known = _NAMESPACE.fullmatch(etree.QName(document).namespace or "")
    if known is None or etree.QName(document).localname != "Document":
        raise refused(
            "Le fichier n'est ni un rapport pain.002.001 ni un avis camt.054.001 de la banque.",
            "RETURN_FILE_UNKNOWN_MESSAGE",
        )
    message = known.group(1)
    reading = _Reading(document, known.group(0))
    return ReturnFile(
        message=message,
        message_id=reading.text(reading.one(document, "*/d:GrpHdr"), "d:MsgId"),
        returns=tuple(reading.rejects() if message == "pain.002" else reading.returns()),
    )


SEPA_REFERENCE = re.compile(r"[A-Za-z0-9/?:().,'+ -]{1,35}")
"""An ISO 20022 `Max35Text` in the characters SEPA allows: what an end-to-end id or a reason
code may be."""
UNREADABLE = "(référence illisible)"


def reference(text: str) -> str:
    """The reference as the file gives it, or `UNREADABLE` when it is no SEPA reference (too
    long, or holding characters a report must not echo); its line is then refused."""
    return text if SEPA_REFERENCE.fullmatch(text) else UNREADABLE


class _Reading:
    def __init__(self, document: etree._Element, namespace: str):
        self.document = document
        self.namespaces = {"d": namespace}

    def rejects(self) -> list[ReturnedDebit]:
        """pain.002: the rejected transactions, on the day of the report."""
        report = self.one(self.document, "d:CstmrPmtStsRpt")
        reported_on = self.day(self.text(self.one(report, "d:GrpHdr"), "d:CreDtTm"))
        return [
            ReturnedDebit(
                end_to_end_id=reference(self.text(rejected, "d:OrgnlEndToEndId")),
                amount=self.amount(rejected, "d:OrgnlTxRef/d:Amt/d:InstdAmt"),
                reason_code=reference(self.text(rejected, "d:StsRsnInf/d:Rsn/d:Cd")),
                returned_on=reported_on,
            )
            for rejected in self.all(report, "d:OrgnlPmtInfAndSts/d:TxInfAndSts")
            if self.optional(rejected, "d:TxSts") == "RJCT"
        ]

    def returns(self) -> list[ReturnedDebit]:
        """camt.054: the transactions returned, on their entry's booking (or value) day."""
        returned = []
        for entry in self.all(self.document, "d:BkToCstmrDbtCdtNtfctn/d:Ntfctn/d:Ntry"):
            booked = self.optional(entry, "d:BookgDt/d:Dt") or self.optional(entry, "d:ValDt/d:Dt")
            for details in self.all(entry, "d:NtryDtls/d:TxDtls[d:RtrInf]"):
                returned.append(
                    ReturnedDebit(
                        end_to_end_id=reference(self.text(details, "d:Refs/d:EndToEndId")),
                        amount=self.amount(details, "d:AmtDtls/d:InstdAmt/d:Amt")
                        or self.amount(details, "d:Amt")
                        or self.amount(details, "d:AmtDtls/d:TxAmt/d:Amt"),
                        reason_code=reference(self.text(details, "d:RtrInf/d:Rsn/d:Cd")),
                        returned_on=self.day(booked or ""),
                    )
                )
        return returned

    def all(self, element: etree._Element, path: str) -> list[etree._Element]:
        found: list[etree._Element] = element.xpath(path, namespaces=self.namespaces)
        return found

    def one(self, element: etree._Element, path: str) -> etree._Element:
        found = self.all(element, path)
        if not found:
            raise _missing(path)
        return found[0]

    def optional(self, element: etree._Element, path: str) -> str | None:
        found = self.all(element, path)
        return None if not found else (found[0].text or "").strip()

    def text(self, element: etree._Element, path: str) -> str:
        """Empty when the element is absent: the transaction is then refused on its own."""
        return self.optional(element, path) or ""

    def amount(self, element: etree._Element, path: str) -> Money | None:
        text = self.optional(element, path)
        if not text:
            return None
        try:
            return Money.euros(text)
        except InvalidValue:
            raise refused(
                f"Montant illisible dans le fichier : « {text[:20]} ».", "RETURN_FILE_AMOUNT"
            ) from None

    def day(self, text: str) -> date:
        try:
            return date.fromisoformat(text[:10])
        except ValueError:
            raise refused(f"Date illisible : « {text[:30]} ».", "RETURN_FILE_DATE") from None


def _missing(path: str) -> InvalidValue:
    element = path.rsplit("/", 1)[-1].removeprefix("d:")
    return refused(f"Le fichier n'a pas d'élément {element}.", "RETURN_FILE_INCOMPLETE")
