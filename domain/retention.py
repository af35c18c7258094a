"""How long personal data is kept, and from when (the end of retention is a date, computed from
the record alone; the application destroys the keys once it has passed).

- CMR exposures and follow-up: at least 40 years (R4412-93-3, décret 2024-307) after the end of
  the last exposure and of the last contract — the follow-up of a worker ends when they leave.
  Then the employee's identity and health keys are destroyed: nothing of the person is left.
- Invoices: 10 years (Code de commerce L123-22); they hold no sealed personal data (a member is
  a company), so their retention destroys nothing.
- Accounts: while active, then one year after being closed (the audit trail must still tell who
  made a change during the year after a person left); then the account's identity key is
  destroyed. An erasure on request (`EraseAccount`) destroys it at once.
"""

from datetime import date, timedelta

CMR_RETENTION_YEARS = 40
INVOICE_RETENTION_YEARS = 10
ACCOUNT_KEPT_AFTER_CLOSING_YEARS = 1

CMR_RETENTION_REASON = (
    "fin de la durée de conservation : 40 ans après la fin de la dernière exposition CMR et du"
    " suivi (R4412-93-3)"
)
ACCOUNT_RETENTION_REASON = "fin de la durée de conservation : un an après la fermeture du compte"


def years_after(day: date, years: int) -> date:
    """The same day `years` later (a 29 February gives the 1 March)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, month=2, day=28) + timedelta(days=1)
