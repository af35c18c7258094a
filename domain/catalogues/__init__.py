"""Catalogues of the declaration: risks, work situations, questions, CMR agents."""
