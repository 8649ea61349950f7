"""Recognising the JSON of ``terraform show -json`` (a plan or a state) when loading.

Only recognition and the format version live here; reading the resources is
``validator.terraform`` (HashiCorp's JSON output format,
https://developer.hashicorp.com/terraform/internals/json-format).
"""

from __future__ import annotations

from validator.load.types import InputError

FORMAT = "terraform-plan"
"""``Document.format`` of a Terraform plan or state input."""

SUPPORTED_MAJOR = (0, 1)
SECRET_ATTRIBUTES = frozenset({"bgp_auth_key", "shared_key", "auth_key"})
"""Read by no rule, copied nowhere, whatever the plan says about their sensitivity."""

PLAN_KEYS = ("format_version", "terraform_version", "planned_values", "resource_changes")


def looks_like_terraform(data: object) -> bool:
    """True for the JSON of ``terraform show -json`` (a plan or a state)."""
    if not isinstance(data, dict) or "sites" in data:
        return False
    if any(key in data for key in PLAN_KEYS):
        return True
    values = data.get("values")
    return isinstance(values, dict) and "root_module" in values


def check_version(name: str, data: dict) -> None:
    """InputError for a ``format_version`` whose major version ccv does not know."""
    version = data.get("format_version")
    if version is None:
        return
    major = str(version).split(".", 1)[0]
    if not major.isdigit() or int(major) not in SUPPORTED_MAJOR:
        raise InputError(
            f"{name}: Terraform JSON format_version {version!s:.20} is not supported; ccv reads "
            "format versions 0.x and 1.x (terraform show -json of Terraform 0.12 to 1.x, or "
            "OpenTofu)"
        )


def marked_sensitive(data: object) -> list[object]:
    """Every value the plan marks sensitive (``after_sensitive`` of a resource change,
    ``sensitive_values`` of a planned or state resource), for validator.redaction: ccv
    never shows them, whichever attribute they stand in."""
    found: list[object] = []
    if not isinstance(data, dict):
        return found
    for change in data.get("resource_changes") or []:
        if isinstance(change, dict) and isinstance(change.get("change"), dict):
            body = change["change"]
            _marked(body.get("after"), body.get("after_sensitive"), found)
            _marked(body.get("before"), body.get("before_sensitive"), found)
    modules = [
        (data.get(top) or {}).get("root_module")
        for top in ("planned_values", "values")
        if isinstance(data.get(top), dict)
    ]
    prior = data.get("prior_state")  # a state: {"values": {"root_module": …}}
    if isinstance(prior, dict) and isinstance(prior.get("values"), dict):
        modules.append(prior["values"].get("root_module"))
    while modules:
        module = modules.pop()
        if not isinstance(module, dict):
            continue
        for resource in module.get("resources") or []:
            if isinstance(resource, dict):
                _marked(resource.get("values"), resource.get("sensitive_values"), found)
        modules.extend(module.get("child_modules") or [])
    return found


def _marked(values: object, marks: object, found: list[object]) -> None:
    stack = [(values, marks)]
    while stack:
        value, mark = stack.pop()
        if mark is True:
            found.append(value)
        elif isinstance(mark, dict) and isinstance(value, dict):
            stack.extend((value.get(k), m) for k, m in mark.items())
        elif isinstance(mark, list) and isinstance(value, list):
            stack.extend(zip(value, mark, strict=False))
