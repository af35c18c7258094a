"""The rules of the members' mutations: a member's company record and organisation, its SEPA
mandate (the service's own operations use `SERVICE`, `api/rules.py`)."""

from api.authorization import Rule
from domain.accounts.access import Right

MANAGES_COMPANY = Rule(Right.MANAGE_COMPANY)
MANAGES_BILLING = Rule(Right.MANAGE_BILLING)
