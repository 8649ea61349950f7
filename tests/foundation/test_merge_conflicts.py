"""--merge: files that disagree on a plan-wide value are CCV106; a top-level sla_target is
the default of its own file's sites only (docs/usage.md)."""

from __future__ import annotations

from pathlib import Path

import yaml

from validator import validate

HERE = Path(__file__).parent / "fixtures" / "merge-conflict"
FILES = [str(HERE / name) for name in ("carrier.yaml", "aws.yaml", "dc.yaml")]


def test_disagreeing_exchange_values_are_located_in_the_later_file_naming_both():
    report = validate(*FILES, merge=True)
    found = [f for f in report.findings if f.rule == "CCV106"]
    assert [(f.severity, Path(f.location.file).name, f.path) for f in found] == [
        ("error", "dc.yaml", "/exchange/asn"),
        ("error", "dc.yaml", "/exchange/as_override"),
    ]
    asn, override = (f.message for f in found)
    assert "64601 in " in asn and "dc.yaml" in asn and "64600 in " in asn
    assert "carrier.yaml" in asn
    assert "false in " in override and "true in " in override and "aws.yaml" in override


def test_files_checked_one_by_one_do_not_conflict():
    assert not [f for f in validate(*FILES).findings if f.rule == "CCV106"]


def test_same_values_and_an_unwritten_as_override_do_not_conflict(tmp_path):
    names = []
    for name in ("carrier.yaml", "aws.yaml", "dc.yaml"):
        data = yaml.safe_load((HERE / name).read_text("utf-8"))
        data["exchange"] = {"asn": 64600, **({"as_override": True} if name == "aws.yaml" else {})}
        (tmp_path / name).write_text(yaml.safe_dump(data), "utf-8")
        names.append(str(tmp_path / name))
    assert not [f for f in validate(*names, merge=True).findings if f.rule == "CCV106"]


def test_a_top_level_sla_target_applies_to_its_own_files_sites_only():
    report = validate(*FILES, merge=True)
    targets = {site["id"]: site["target"] for site in report.sites}
    assert targets == {"aws-hk": 99.95, "dc-sg": None}
    sla = [f for f in report.findings if f.rule == "CCV701"]
    assert [f.objects for f in sla] == [("aws-hk",)]
    assert Path(sla[0].location.file).name == "aws.yaml"


def test_a_nonstandard_default_names_only_its_own_files_sites(tmp_path):
    names = []
    for name, target in (("aws.yaml", 99.7), ("dc.yaml", 99.8), ("carrier.yaml", None)):
        data = yaml.safe_load((HERE / name).read_text("utf-8"))
        data["exchange"] = {"asn": 64600}
        if target is not None:
            data["sla_target"] = target
        (tmp_path / name).write_text(yaml.safe_dump(data), "utf-8")
        names.append(str(tmp_path / name))
    found = [f for f in validate(*names, merge=True).findings if f.rule == "CCV702"]
    assert sorted((Path(f.location.file).name, f.objects) for f in found) == [
        ("aws.yaml", ("aws-hk",)),
        ("dc.yaml", ("dc-sg",)),
    ]
