"""The service agreement's SLA annex: its tables (as data) and its arithmetic.

Modules:

- ``tables``: the annex's tables, loaded from ``validator/data/sla.yaml`` (each with its clause);
- ``arithmetic``: pure functions — month lengths, downtime budgets, credit bands and cap,
  latency and loss classes, availability from outage intervals;
- ``records``: reading months, times, outage files (CSV/JSON) and probe files (CSV);
- ``measure``: monthly PoP-PoP latency and loss from probe records;
- ``plan``: committed PoP-PoP latencies from a topology plan;
- ``cli``: the ``ccv sla`` click group (``from validator.sla.cli import sla``).
"""
