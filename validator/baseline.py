"""Baselines: the findings a team has accepted, so that only new ones are reported.

A baseline file lists findings by ``fingerprint`` (validator.fingerprint), with the
rule, objects and message beside it for the reviewer. It is JSON, one finding per
line, sorted by rule, objects and fingerprint, so that adding or fixing a finding is
a one-line diff. Reading and writing the file is the command line's job; this module
only turns findings into text and back.

    {
      "ccv_baseline": 1,
      "findings": [
        {"fingerprint": "3f9c0e4b5a1d2e77", "rule": "CCV201", "objects": ["aws-hk", "azure-sg"],
         "message": "10.10.0.0/16 of site aws-hk overlaps 10.10.128.0/17 of site azure-sg"}
      ]
    }
"""

from __future__ import annotations

import json
import re

from validator.report import Finding, Report

FORMAT_VERSION = 1
_FINGERPRINT = re.compile(r"^[0-9a-f]{16}$")


class BaselineError(Exception):
    """A baseline file that is not one ccv wrote (the command exits 2)."""


def baseline_text(findings: list[Finding]) -> str:
    """The baseline file recording ``findings`` (each fingerprint once), final newline."""
    entries: dict[str, dict] = {}
    for finding in findings:
        entries.setdefault(
            finding.fingerprint,
            {
                "fingerprint": finding.fingerprint,
                "rule": finding.rule,
                "objects": list(finding.objects),
                "message": finding.message,
            },
        )
    ordered = sorted(entries.values(), key=lambda e: (e["rule"], e["objects"], e["fingerprint"]))
    dump = json.JSONEncoder(ensure_ascii=False).encode
    lines = ",\n".join("    " + dump(entry) for entry in ordered)
    body = f"[\n{lines}\n  ]" if ordered else "[]"
    return f'{{\n  "ccv_baseline": {FORMAT_VERSION},\n  "findings": {body}\n}}\n'


def parse_baseline(text: str, name: str) -> frozenset[str]:
    """The fingerprints a baseline file lists; BaselineError when it is not a ccv baseline."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise BaselineError(
            f"{name}:{exc.lineno}:{exc.colno}: not a ccv baseline (not valid JSON: {exc.msg})"
        ) from None
    if not isinstance(data, dict) or data.get("ccv_baseline") != FORMAT_VERSION:
        raise BaselineError(
            f'{name}: not a ccv baseline (expected "ccv_baseline": {FORMAT_VERSION}); '
            "write one with --write-baseline"
        )
    entries = data.get("findings")
    if not isinstance(entries, list):
        raise BaselineError(f'{name}: "findings" must be a list')
    known = set()
    for number, entry in enumerate(entries, 1):
        value = entry.get("fingerprint") if isinstance(entry, dict) else None
        if not isinstance(value, str) or not _FINGERPRINT.match(value):
            raise BaselineError(
                f"{name}: finding {number} has no fingerprint of 16 hex digits; "
                "rewrite the file with --write-baseline"
            )
        known.add(value)
    return frozenset(known)


def apply_baseline(report: Report, known: frozenset[str], name: str) -> None:
    """Leave out of ``report`` the findings whose fingerprint ``known`` lists."""
    kept = [f for f in report.findings if f.fingerprint not in known]
    report.baseline = (name, len(report.findings) - len(kept))
    report.findings = kept
