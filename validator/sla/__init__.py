"""The service agreement's SLA annex: its tables (as data) and its arithmetic.

Modules:

- ``tables``: the annex's tables, loaded from ``validator/data/sla.yaml`` (each with its clause);
- ``arithmetic``: pure functions — month lengths, downtime budgets, credit bands and cap,
  latency and loss classes, availability from outage intervals;
- ``records``: reading months, times, outage files (CSV/JSON) and probe files (CSV);
- ``measure``: monthly PoP-PoP latency and loss from probe records;
- ``plan``: committed PoP-PoP latencies from a topology plan;
- ``results``: typed results of each command (budget, credit, classification, measurement);
- ``render``: those results as text and JSON;
- ``errors``: ``SlaInputError``, the domain error of bad input;
- ``cli``: the ``ccv sla`` click group: options in, a result rendered out.
"""
