"""SEPA Core direct debits: collecting the debits due on a day (`collection`) and writing the
pain.008.001.08 file of what a collection presented (`pain008`)."""
