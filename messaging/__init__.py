"""E-mails sent by Registre: one-time codes, sign-in links and notices to the members."""
