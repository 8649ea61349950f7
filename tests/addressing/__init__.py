"""Tests of the addressing, peering and ASN rules, and of their speed-ups."""
