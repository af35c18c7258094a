"""Issue 14: tamper evidence — an auditor verifies an export offline; a row altered in the
database is named by the verification of the live store."""

from pytest_bdd import scenarios

from features.steps.audit_proofs import *  # noqa: F403 (the steps of the audit proofs)

scenarios("preuves_d_audit.feature")
