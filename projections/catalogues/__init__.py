"""Read-side parts of the reference catalogues: the audit summaries of the service's edits."""
