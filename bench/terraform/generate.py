"""Generate a `terraform show -json` plan of N network resources, as Terraform writes it.

    python3 bench/terraform/generate.py --resources 100000 --out bench/out/tf-100000.json

Half the resources are VPCs (`module.net["k"].aws_vpc.this`, one per `for_each` instance
of module `net`), half subnets (`module.net["k"].aws_subnet.this`) whose `vpc_id` is
unknown until apply, so they reach their VPC only through the `configuration`
references (`aws_vpc.this`), as in a real plan of new networks. Each VPC has its own
/24 of 10/8 and its subnet the lower /25 of it; with --conflicts N, N VPCs reuse the
range of an earlier one (CCV202) and N subnets leave their VPC (CCV211). One line,
`planned_values`, `resource_changes` and `configuration`, format_version 1.2.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

PROVIDER = "registry.terraform.io/hashicorp/aws"
VPC_REFERENCES = ["aws_vpc.this.id", "aws_vpc.this"]


def _range(i: int) -> str:
    return f"10.{(i >> 8) & 255}.{i & 255}.0"


def plan(resources: int, conflicts: int) -> dict:
    """The plan document (a dict) with ``resources`` network resources."""
    instances = max(1, resources // 2)
    children = []
    changes = []
    for i in range(instances):
        key = f"net-{i:06d}"
        module = f'module.net["{key}"]'
        base = _range(i if i >= conflicts else conflicts + i)  # < conflicts: CCV202
        vpc_values = {
            "assign_generated_ipv6_cidr_block": False,
            "cidr_block": f"{base}/24",
            "enable_dns_support": True,
            "instance_tenancy": "default",
            "ipv4_ipam_pool_id": None,
            "tags": {"Name": key},
        }
        subnet_cidr = f"{base}/25" if i >= conflicts else f"{_range(instances * 2 + i)}/25"
        subnet_values = {
            "assign_ipv6_address_on_creation": False,
            "cidr_block": subnet_cidr,
            "ipv6_cidr_block": None,
            "map_public_ip_on_launch": False,
            "tags": {"Name": f"{key}-a"},
        }
        children.append(
            {
                "resources": [
                    {"address": f"{module}.aws_subnet.this", "mode": "managed",
                     "type": "aws_subnet", "name": "this",
                     "provider_name": "registry.terraform.io/hashicorp/aws",
                     "schema_version": 1, "values": subnet_values,
                     "sensitive_values": {"tags": {}}},
                    {"address": f"{module}.aws_vpc.this", "mode": "managed",
                     "type": "aws_vpc", "name": "this",
                     "provider_name": "registry.terraform.io/hashicorp/aws",
                     "schema_version": 1, "values": vpc_values,
                     "sensitive_values": {"tags": {}}},
                ],
                "address": module,
            }
        )  # fmt: skip
        for rtype, values, unknown in (
            ("aws_subnet", subnet_values, {"arn": True, "id": True, "vpc_id": True,
                                           "availability_zone": True, "ipv6_cidr_block": True}),
            ("aws_vpc", vpc_values, {"arn": True, "id": True, "ipv6_cidr_block": True,
                                     "default_route_table_id": True, "owner_id": True}),
        ):  # fmt: skip
            changes.append(
                {"address": f"{module}.{rtype}.this", "module_address": module,
                 "mode": "managed", "type": rtype, "name": "this",
                 "provider_name": "registry.terraform.io/hashicorp/aws",
                 "change": {"actions": ["create"], "before": None, "after": values,
                            "after_unknown": unknown, "before_sensitive": False,
                            "after_sensitive": {"tags": {}}}}
            )  # fmt: skip
    configuration = {
        "provider_config": {"aws": {"name": "aws", "full_name": PROVIDER}},
        "root_module": {
            "module_calls": {
                "net": {
                    "source": "./modules/net",
                    "for_each_expression": {"references": ["var.networks"]},
                    "expressions": {"cidr": {"references": ["each.value"]}},
                    "module": {
                        "resources": [
                            {"address": "aws_subnet.this", "mode": "managed", "type": "aws_subnet",
                             "name": "this", "provider_config_key": "net:aws",
                             "expressions": {"cidr_block": {"references": ["var.cidr"]},
                                             "vpc_id": {"references": VPC_REFERENCES}},
                             "schema_version": 1},
                            {"address": "aws_vpc.this", "mode": "managed", "type": "aws_vpc",
                             "name": "this", "provider_config_key": "net:aws",
                             "expressions": {"cidr_block": {"references": ["var.cidr"]}},
                             "schema_version": 1},
                        ],
                        "variables": {"cidr": {}},
                    },
                }
            }
        },
    }  # fmt: skip
    return {
        "format_version": "1.2",
        "terraform_version": "1.9.5",
        "planned_values": {"root_module": {"child_modules": children}},
        "resource_changes": changes,
        "configuration": configuration,
        "timestamp": "2026-11-30T00:00:00Z",
        "applyable": True,
        "complete": True,
        "errored": False,
    }


def main(argv: list[str] | None = None) -> None:
    """Command line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--resources", type=int, default=100_000)
    parser.add_argument("--conflicts", type=int, default=0)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("w", encoding="utf-8") as handle:
        json.dump(plan(args.resources, args.conflicts), handle, separators=(",", ":"))
        handle.write("\n")


if __name__ == "__main__":
    main()
