"""Reports built by hand for the format tests: every figure a test checks is written here,
so a format test asserts on what the format does, not on today's findings of an example."""

from __future__ import annotations

from validator.report import Finding, Location, Report
from validator.summary import site_budgets

FILE = "plans/globex.yaml"

DIAGRAM = """flowchart LR
  %% ccv graph of globex-first-draft
  subgraph backbone["carrier backbone"]
    pop_HKG1(("HKG1"))
    pop_SIN1(("SIN1"))
    pop_TYO1(("TYO1"))
  end
  site_aws_hk["aws-hk<br/>aws · single-protected"]
  site_azure_sg["azure-sg<br/>azure · single-protected"]
  site_ali_sh["ali-sh<br/>alibaba · none"]
  site_aws_hk -.-|"aws-hk-1"| pop_HKG1
  site_azure_sg -.-|"azure-sg-1"| pop_SIN1
  pop_HKG1 ---|"hkg1-sin1"| pop_SIN1
"""


def _finding(rule, name, severity, message, objects, path, line, column, hint) -> Finding:
    return Finding(rule, name, severity, message, objects, path, Location(FILE, line, column), hint)


TYPICAL_FINDINGS = [
    _finding(
        "CCV701",
        "sla-unreachable",
        "error",
        "site azure-sg needs 99.95 % but its tier single-protected commits 99.9 %",
        ("azure-sg",),
        "/sites/1/sla_target",
        10,
        13,
        "add a second line on another POP (50% of the way to dual-protected)",
    ),
    _finding(
        "CCV201",
        "cidr-overlap",
        "error",
        "10.10.0.0/16 of site aws-hk overlaps 10.10.128.0/17 of site azure-sg",
        ("aws-hk", "azure-sg"),
        "/sites/1/cidrs/0",
        31,
        9,
        "use a free range such as 10.12.0.0/17",
    ),
    _finding(
        "CCV403",
        "asn-duplicate",
        "error",
        "sites aws-hk, ali-sh share ASN 65001",
        ("ali-sh", "aws-hk"),
        "/sites/2/asn",
        40,
        10,
        "give each site its own ASN, or set exchange.as_override: true",
    ),
    _finding(
        "CCV206",
        "cidr-public",
        "warning",
        "8.8.0.0/16 of site ali-sh is public address space",
        ("ali-sh",),
        "/sites/2/cidrs/1",
        43,
        9,
        "use private space: 10/8, 172.16/12, 192.168/16, 100.64/10 or fc00::/7",
    ),
    _finding(
        "CCV504",
        "spof-link",
        "warning",
        "losing link hkg1-sin1 cuts aws-hk from azure-sg",
        ("hkg1-sin1",),
        "/backbone/0",
        55,
        7,
        "add a backbone link that bypasses hkg1-sin1",
    ),
    _finding(
        "CCV506",
        "unused-object",
        "info",
        "POP TYO1 carries no line and lies on no path between POPs with lines",
        ("TYO1",),
        "/pops/2",
        60,
        7,
        "remove it, or connect a site to it",
    ),
]
COUNTS = {"error": 3, "warning": 2, "info": 1}

SITES = [
    {
        "id": "aws-hk",
        "tier": "single-protected",
        "availability": 99.9,
        "target": 99.9,
        "lines": 1,
        "pops": ["HKG1"],
    },
    {
        "id": "azure-sg",
        "tier": "single-protected",
        "availability": 99.9,
        "target": 99.95,
        "lines": 1,
        "pops": ["SIN1"],
    },
    {"id": "ali-sh", "tier": "none", "availability": None, "target": 99.95, "lines": 0, "pops": []},
]

NOTE = (
    "highest (99.99 %) is a special-scenario commitment (annex art. 2.2(1)); agree it with "
    "the carrier for: dc-hk"
)


def typical() -> Report:
    """Errors, warnings and an info finding in one input; sites and a diagram."""
    return Report(
        inputs=[FILE],
        findings=list(TYPICAL_FINDINGS),
        sites=[dict(s) for s in SITES],
        flows=[],
        diagrams=[lambda: DIAGRAM],
        budgets=site_budgets(SITES),
    )


def clean() -> Report:
    """No findings; sites, a note and a diagram."""
    return Report(
        inputs=[FILE],
        sites=[dict(s) for s in SITES[:2]],
        notes=[NOTE],
        diagrams=[lambda: DIAGRAM],
        budgets=site_budgets(SITES[:2]),
    )


def malformed() -> Report:
    """Input errors only: no sites, no diagram."""
    findings = [
        _finding(
            "CCV100",
            "schema",
            "error",
            f"'{key}' is a required property",
            (),
            "",
            1,
            1,
            "correct the value as the message says; `ccv schema` prints the format",
        )
        for key in ("exchange", "name", "sites")
    ]
    findings.append(
        _finding(
            "CCV101",
            "unknown-reference",
            "error",
            "line x-1 of site x refers to POP NOPE, which the plan does not declare",
            ("x-1",),
            "/sites/0/lines/0/pop",
            4,
            12,
            "declare POP NOPE under pops, or use one of: HKG1",
        )
    )
    return Report(inputs=[FILE], findings=findings)
