"""Read-side parts of the risk assessment (DUERP): the audit summaries of its events."""
