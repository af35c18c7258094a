"""The demo member: a bakery of Aix-en-Provence, its addresses, branches and contacts."""

import uuid

from application.requests import Request
from domain.address import Address, Coordinates

DEMO_MEMBER_CODE = "00010"
DEMO_LEGAL_NAME = "Boulangeries Martin & Fils"
DEMO_USER = "demo-admin"


def demo_request() -> Request:
    return Request.by(str(uuid.uuid4()), DEMO_USER)


WORKSITE = Address(
    ("Fournil central", "215 rue Louis de Broglie"),
    "13290",
    "Aix-en-Provence",
    coordinates=Coordinates(43.4977, 5.3765),
)
BILLING = Address(
    ("Service comptabilité", "215 rue Louis de Broglie", "CS 30412"), "13290", "Aix-en-Provence"
)
CONVOCATION = Address(
    ("Ressources humaines", "215 rue Louis de Broglie"), "13290", "Aix-en-Provence"
)
BRANCHES = (
    ("Boutique Marseille Castellane", Address(("42 rue de Rome",), "13006", "Marseille")),
    ("Boutique Salon-de-Provence", Address(("17 cours Carnot",), "13300", "Salon-de-Provence")),
)
MAIL_DOMAIN = "boulangeries-martin.example"
CONTACTS = (  # last name, first name, function, phone (ARCEP fiction range), e-mail local part
    ("Martin", "Philippe", "Gérant", "04 65 71 20 10", "p.martin"),
    ("Roux", "Élodie", "Secrétaire du CSE", "06 39 98 41 27", "cse"),
    ("Garnier", "Sophie", "Responsable des ressources humaines", "04 65 71 20 14", "rh"),
    ("Fabre", "Laurent", "Expert-comptable, cabinet Fabre Conseil", "04 65 71 38 52", None),
)
