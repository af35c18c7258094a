"""The documents of an invoice (BILLING.md §1–2), for every kind: the CII XML is valid against the
Factur-X EN 16931 XSD and the EN 16931 and French schematrons, the Factur-X PDF embeds it and
declares PDF/A-3b, prints every mention the law requires, and is the same bytes every time."""

from dataclasses import replace
from datetime import date
from decimal import Decimal
from io import BytesIO
from uuid import UUID

import pytest
from facturx import get_facturx_xml_from_pdf
from lxml import etree
from pypdf import PdfReader

from application.billing.documents.document import InvoiceDocument, invoice_document
from domain.address import Address
from domain.billing.invoice import (
    DiscountCondition,
    InvoiceReference,
    IssuedInvoice,
    PlannedDebit,
)
from domain.billing.kinds import InvoiceKind
from domain.billing.lines import InvoiceLine, Totals
from domain.billing.parties import Buyer
from domain.identifiers import Iban, Siren, VatNumber
from domain.money import Money
from tests.einvoice import Findings, check_xsd, schematron_findings
from tests.integration.billing_scenario import SELLER

YEAR = 2025
ISSUED_ON = date(YEAR, 1, 10)
BUYER = Buyer(
    legal_name="Boulangerie Martin",
    siren=Siren("404833048"),
    vat_number=None,
    address=Address(("3 place du Marché",), "13002", "Marseille"),
)
BUYER_WITH_VAT = Buyer(
    legal_name="Transports Durand et fils",
    siren=Siren("552100554"),
    vat_number=VatNumber("FR96552100554"),
    address=Address(
        ("Zone d'activités des Milles", "Bâtiment C", "Entrée 2", "240 rue Ampère"),
        "13290",
        "Aix-en-Provence",
    ),
)
DEBIT = PlannedDebit("RUM-00077-1", Iban("FR1420041010050500013M02606"), date(YEAR, 1, 24))
REDUCTION = Decimal("0.07")
HEADCOUNT = InvoiceLine("Cotisation 2025 : salariés suivis au 31/12/2024", Decimal(3), Money(79))
TOOL = InvoiceLine(
    "Outil d'évaluation des risques 2025 (offre complémentaire)", Decimal(1), Money(150)
)
REDUCED = InvoiceLine(
    HEADCOUNT.label, HEADCOUNT.quantity, HEADCOUNT.unit_price, allowance_rate=REDUCTION
)


def issued(
    number: str,
    kind: InvoiceKind,
    lines: tuple[InvoiceLine, ...],
    *,
    buyer: Buyer = BUYER,
    debit: PlannedDebit | None = None,
    discount: DiscountCondition | None = None,
    purchase_order: str | None = None,
    corrects: InvoiceReference | None = None,
    reason: str | None = None,
) -> IssuedInvoice:
    return IssuedInvoice(
        number=number,
        kind=kind,
        member_id=UUID(int=1),
        year=YEAR,
        issued_on=ISSUED_ON,
        due_on=date(YEAR, 2, 9) if debit is None else debit.debit_on,
        lines=lines,
        totals=Totals.of(lines),
        seller=SELLER,
        buyer=buyer,
        penalty_rate=Decimal("0.1215"),
        discount=discount,
        debit=debit,
        purchase_order=purchase_order,
        corrects=corrects,
        reason=reason,
        source=f"test/{number}",
    )


INVOICES = {
    "contribution_reduced_by_debit": issued(
        "F0000001",
        InvoiceKind.CONTRIBUTION,
        (REDUCED, TOOL),
        debit=DEBIT,
        discount=DiscountCondition(REDUCTION, date(YEAR, 2, 15), REDUCED.allowance),
        purchase_order="BC-2025-17",
    ),
    "contribution_by_transfer": issued("F0000002", InvoiceKind.CONTRIBUTION, (HEADCOUNT, TOOL)),
    "contribution_debited_too_late": issued(
        "F0000003", InvoiceKind.CONTRIBUTION, (HEADCOUNT,), debit=DEBIT
    ),
    "membership": issued(
        "F0000004",
        InvoiceKind.MEMBERSHIP,
        (InvoiceLine("Droit d'adhésion 2025", Decimal(1), Money(13)),),
    ),
    "adjustment": issued(
        "F0000005",
        InvoiceKind.ADJUSTMENT,
        (
            InvoiceLine("Visites supplémentaires", Decimal("2.5"), Money("84.30")),
            InvoiceLine("Documentation de prévention", Decimal(4), Money("12.35"), Decimal("0.10")),
        ),
        buyer=BUYER_WITH_VAT,
        reason="Visites demandées en cours d'année",
    ),
    "credit_note": issued(
        "AV0000001",
        InvoiceKind.CREDIT_NOTE,
        (InvoiceLine("Régularisation de la cotisation 2025", Decimal(1), Money(79)),),
        corrects=InvoiceReference("F0000001", ISSUED_ON),
        reason="Erreur d'effectif",
    ),
    "no_show": issued(
        "F0000006",
        InvoiceKind.NO_SHOW,
        (InvoiceLine("Absence non excusée à la visite du 03/03/2025", Decimal(1), Money(50)),),
    ),
}
NAMESPACES = {
    "rsm": "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100",
    "ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
    "udt": "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100",
    "qdt": "urn:un:unece:uncefact:data:standard:QualifiedDataType:100",
    "pdfaid": "http://www.aiim.org/pdfa/ns/id/",
    "fx": "urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#",
    "xmp": "http://ns.adobe.com/xap/1.0/",
}
SETTLEMENT = "//ram:ApplicableHeaderTradeSettlement"
WRONG = "membership_with_two_mistakes"


@pytest.fixture(scope="module")
def documents() -> dict[str, InvoiceDocument]:
    return {name: invoice_document(invoice) for name, invoice in INVOICES.items()}


@pytest.fixture(scope="module")
def findings(
    documents: dict[str, InvoiceDocument], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Findings]:
    xmls = {name: document.xml for name, document in documents.items()}
    xmls[WRONG] = (
        documents["membership"]
        .xml.replace(b'unitCode="C62"', b'unitCode="QQQ"')
        .replace(b">PMT<", b">ZZZ<")
    )
    return schematron_findings(xmls, tmp_path_factory.mktemp("cii"))


def xpath(xml: bytes, path: str) -> list[str]:
    return [str(found) for found in etree.fromstring(xml).xpath(path, namespaces=NAMESPACES)]


def printed(pdf: bytes) -> str:
    """The PDF's text, its white space (no-break spaces, line ends) as single spaces."""
    text = "".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages)
    return " ".join(text.split())


@pytest.mark.parametrize("name", INVOICES)
def test_the_xml_is_valid_against_the_factur_x_en16931_xsd(
    documents: dict[str, InvoiceDocument], name: str
) -> None:
    check_xsd(documents[name].xml)


@pytest.mark.parametrize("name", INVOICES)
def test_the_xml_passes_the_en16931_and_french_schematrons(
    findings: dict[str, Findings], name: str
) -> None:
    for stylesheet, found in findings[name].items():
        assert found["failures"] == [], stylesheet
        assert found["fired"] > 20, f"{stylesheet} checked almost nothing"


def test_the_schematrons_do_catch_a_wrong_invoice(findings: dict[str, Findings]) -> None:
    """A unit of measure out of its code list (EN 16931, read from the code lists shipped beside
    the stylesheet), the recovery indemnity's note missing (BR-FR)."""
    assert any("unitCode" in failure for failure in findings[WRONG]["EN 16931"]["failures"])
    assert any("PMT" in failure for failure in findings[WRONG]["BR-FR"]["failures"])


@pytest.mark.parametrize("name", INVOICES)
def test_the_pdf_embeds_the_xml(documents: dict[str, InvoiceDocument], name: str) -> None:
    file_name, embedded = get_facturx_xml_from_pdf(documents[name].pdf, check_xsd=False)
    assert file_name == "factur-x.xml"
    assert embedded == documents[name].xml


def test_the_pdf_declares_pdf_a_3b_and_its_factur_x_attachment(
    documents: dict[str, InvoiceDocument],
) -> None:
    reader = PdfReader(BytesIO(documents["contribution_reduced_by_debit"].pdf))
    assert reader.pdf_header == "%PDF-1.7"
    assert reader.xmp_metadata is not None
    xmp = etree.tostring(etree.fromstring(reader.xmp_metadata.stream.get_data()))
    assert xpath(xmp, "//pdfaid:part/text()") == ["3"]
    assert xpath(xmp, "//pdfaid:conformance/text()") == ["B"]
    assert xpath(xmp, "//fx:ConformanceLevel/text()") == ["EN 16931"]
    assert xpath(xmp, "//fx:DocumentFileName/text()") == ["factur-x.xml"]
    assert xpath(xmp, "//xmp:CreateDate/text()") == ["2025-01-10T00:00:00+00:00"]
    [attachment] = reader.attachment_list
    assert attachment.associated_file_relationship == "/Data"
    catalog = reader.trailer["/Root"]
    assert [reference.get_object() for reference in catalog["/AF"]] == [attachment.pdf_object]
    assert catalog["/OutputIntents"], "PDF/A declares its output intent"


def test_rendering_an_invoice_again_gives_the_same_bytes(
    documents: dict[str, InvoiceDocument],
) -> None:
    assert (
        invoice_document(INVOICES["contribution_reduced_by_debit"])
        == documents["contribution_reduced_by_debit"]
    )
    assert invoice_document(INVOICES["credit_note"]) == documents["credit_note"]


def test_the_pdf_prints_every_mention_of_the_invoice(
    documents: dict[str, InvoiceDocument],
) -> None:
    text = printed(documents["contribution_reduced_by_debit"].pdf)
    for mention in (
        "Facture n° F0000001",
        "Service de santé au travail de test",
        "SIREN : 732 829 320",
        "N° TVA intracommunautaire : FR44732829320",
        "12 rue de la Santé 13001 Marseille",
        "Boulangerie Martin 3 place du Marché 13002 Marseille SIREN : 404 833 048",
        "Date d'émission 10/01/2025",
        "Période de la prestation année 2025 (du 01/01/2025 au 31/12/2025)",
        "Date d'échéance 24/01/2025",
        "Bon de commande n° BC-2025-17",
        "Cotisation 2025 : salariés suivis au 31/12/2024 3 79,00 € 7 % (−16,59 €) 220,41 € 20 %",
        "20 % 370,41 € 74,08 €",
        "Total HT 370,41 € Total TVA 74,08 € Total TTC 444,49 €",
        "Prélèvement SEPA de 444,49 € le 24/01/2025 sur le compte FR14 2004 1010 0505 0001 3M02"
        " 606 (mandat RUM-00077-1, créancier FR72ZZZ123456)",
        "Pas d'escompte pour paiement anticipé. Abattement pour paiement par prélèvement SEPA :"
        " 7 % de la cotisation par salarié (16,59 € HT), acquis si le prélèvement est payé au"
        " plus tard le 15/02/2025",
        "Pénalités de retard : taux annuel de 12,15 %",
        "Indemnité forfaitaire pour frais de recouvrement due en cas de retard de paiement :"
        " 40,00 €",
    ):
        assert mention in text


def test_an_invoice_paid_by_transfer_gives_the_services_account(
    documents: dict[str, InvoiceDocument],
) -> None:
    text = printed(documents["contribution_by_transfer"].pdf)
    assert "Paiement par virement au plus tard le 09/02/2025" in text
    assert "IBAN FR76 3000 6000 0112 3456 7890 189 — BIC AGRIFRPP" in text
    assert "Pas d'escompte pour paiement anticipé. Pénalités" in text
    xml = documents["contribution_by_transfer"].xml
    assert xpath(
        xml, f"{SETTLEMENT}/ram:SpecifiedTradeSettlementPaymentMeans/ram:TypeCode/text()"
    ) == ["58"]
    assert xpath(
        xml, f"{SETTLEMENT}//ram:PayeePartyCreditorFinancialAccount/ram:IBANID/text()"
    ) == ["FR7630006000011234567890189"]


def test_an_invoice_paid_by_debit_gives_the_mandate_and_the_accounts(
    documents: dict[str, InvoiceDocument],
) -> None:
    xml = documents["contribution_debited_too_late"].xml
    assert xpath(
        xml, f"{SETTLEMENT}/ram:SpecifiedTradeSettlementPaymentMeans/ram:TypeCode/text()"
    ) == ["59"]
    assert xpath(xml, f"{SETTLEMENT}//ram:DirectDebitMandateID/text()") == ["RUM-00077-1"]
    assert xpath(xml, f"{SETTLEMENT}/ram:CreditorReferenceID/text()") == ["FR72ZZZ123456"]
    assert xpath(xml, f"{SETTLEMENT}//ram:PayerPartyDebtorFinancialAccount/ram:IBANID/text()") == [
        "FR1420041010050500013M02606"
    ]
    assert xpath(xml, "//ram:IncludedNote[ram:SubjectCode='AAB']/ram:Content/text()") == [
        "Pas d'escompte pour paiement anticipé."
    ]


def test_the_xml_carries_the_french_rules(documents: dict[str, InvoiceDocument]) -> None:
    xml = documents["contribution_reduced_by_debit"].xml
    seller = "//ram:SellerTradeParty"
    buyer = "//ram:BuyerTradeParty"
    assert xpath(xml, "//ram:BusinessProcessSpecifiedDocumentContextParameter/ram:ID/text()") == [
        "S1"
    ]
    assert xpath(xml, f"{seller}/ram:GlobalID[@schemeID='0009']/text()") == ["73282932000074"]
    assert xpath(xml, f"{seller}//ram:ID[@schemeID='0002']/text()") == ["732829320"]
    assert xpath(xml, f"{seller}//ram:URIID[@schemeID='0225']/text()") == ["732829320"]
    assert xpath(xml, f"{buyer}//ram:ID[@schemeID='0002']/text()") == ["404833048"]
    assert xpath(xml, f"{buyer}//ram:URIID[@schemeID='0225']/text()") == ["404833048"]
    assert xpath(xml, "//ram:IncludedNote/ram:SubjectCode/text()") == ["PMT", "PMD", "AAB"]
    assert xpath(xml, "//ram:BuyerOrderReferencedDocument/ram:IssuerAssignedID/text()") == [
        "BC-2025-17"
    ]
    allowance = "//ram:SpecifiedLineTradeSettlement/ram:SpecifiedTradeAllowanceCharge"
    assert xpath(xml, f"{allowance}/ram:ActualAmount/text()") == ["16.59"]
    assert xpath(xml, f"{allowance}/ram:CalculationPercent/text()") == ["7"]
    assert xpath(xml, "//ram:DuePayableAmount/text()") == ["444.49"]


def test_a_credit_note_cites_the_invoice_it_corrects(
    documents: dict[str, InvoiceDocument],
) -> None:
    xml = documents["credit_note"].xml
    assert xpath(xml, "//rsm:ExchangedDocument/ram:TypeCode/text()") == ["381"]
    reference = f"{SETTLEMENT}/ram:InvoiceReferencedDocument"
    assert xpath(xml, f"{reference}/ram:IssuerAssignedID/text()") == ["F0000001"]
    assert xpath(xml, f"{reference}//qdt:DateTimeString/text()") == ["20250110"]
    assert xpath(xml, "//ram:IncludedNote[ram:SubjectCode='AAI']/ram:Content/text()") == [
        "Erreur d'effectif"
    ]
    text = printed(documents["credit_note"].pdf)
    assert "Avoir n° AV0000001" in text
    assert "Facture corrigée n° F0000001 du 10/01/2025" in text
    assert "Avoir sur la facture n° F0000001 du 10/01/2025, à déduire de son montant." in text
    assert "Motif Erreur d'effectif" in text


def test_a_buyer_named_in_characters_no_shipped_font_carries_still_gets_its_document() -> None:
    """Regression: PDF/A refused the glyph, and the invoice's document was never kept."""
    contribution = INVOICES["contribution_reduced_by_debit"]
    exotic = replace(
        contribution, buyer=replace(contribution.buyer, legal_name="Boulangerie 李 💪")
    )

    document = invoice_document(exotic)

    assert "Boulangerie ? ?" in printed(document.pdf)
    assert get_facturx_xml_from_pdf(document.pdf, check_xsd=False)[1] == document.xml
    assert "Boulangerie 李 💪" in document.xml.decode(), "the XML keeps the name as it is"


def test_a_buyer_named_with_quotes_backslashes_and_typst_markup_is_printed_as_written() -> None:
    """The page is handed to typst as a string literal: nothing in it may end the literal or be
    read as markup or code."""
    contribution = INVOICES["contribution_reduced_by_debit"]
    name = 'Boulangerie "Chez \\Lou" #panic("x") *gras* $x$ \\"))'
    hostile = replace(contribution, buyer=replace(contribution.buyer, legal_name=name))

    document = invoice_document(hostile)

    assert name in printed(document.pdf)
