"""Which fields of an aggregate's events hold personal data, and under which retention.

Storage encrypts each category with its own key per person (crypto-shredding): destroying the
identity key erases names, birth date and NIR everywhere they were written, while the health key
keeps follow-up determinants and CMR exposures readable for their legal retention (40 years,
R4412-93-3), pseudonymised.
"""

import enum
from collections.abc import Mapping


class DataCategory(enum.Enum):
    IDENTITY = "identity"
    HEALTH = "health"


PersonalData = Mapping[str, DataCategory]
"""Field name (in events and in the aggregate's own state) → category of personal data."""
