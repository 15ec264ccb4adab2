"""Delivery by e-mail: press lists, mail settings, messages, the SMTP transport and the ledger of sends."""
