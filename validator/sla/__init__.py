"""The service agreement's SLA annex: its tables (as data) and its arithmetic."""
