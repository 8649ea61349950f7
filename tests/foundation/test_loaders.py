"""Loading YAML and JSON: data, positions of values and keys, duplicate keys, bad bytes."""

from __future__ import annotations

import pytest
from ccv_test_helpers import FIXTURES, fixture

from validator.load import InputError, load_document
from validator.load.document import parse_document


def test_yaml_positions_of_values_and_keys():
    doc = load_document(fixture("valid.yaml"))
    assert doc.format == "yaml"
    assert doc.data["sites"][1]["asn"] == "AS65002"
    # "    asn: "AS65002"" is line 24; the value starts at column 10, the key at 5.
    assert doc.locator.value(("sites", 1, "asn")) == (24, 10)
    assert doc.locator.key(("sites", 1, "asn")) == (24, 5)
    # flow-style list items: "cidrs: [10.1.0.0/16]" on line 15, item at column 13
    assert doc.locator.value(("sites", 0, "cidrs", 0)) == (15, 13)


def test_json_positions_match_the_text():
    doc = load_document(fixture("valid.json"))
    assert doc.format == "json"
    text = (FIXTURES / "valid.json").read_text().splitlines()
    line, column = doc.locator.value(("sites", 1, "asn"))
    assert text[line - 1][column - 1 :].startswith('"AS65002"')
    line, column = doc.locator.key(("sites", 1, "asn"))
    assert text[line - 1][column - 1 :].startswith('"asn"')


def test_json_locates_many_paths_in_one_walk():
    doc = load_document(fixture("valid.json"))
    paths = [("sites", i, "lines", j, "vlan") for i in range(2) for j in range(2)]
    doc.locator.prepare(paths)
    vlans = [doc.locator.value(p) for p in paths]
    assert len(set(vlans)) == 4 and all(v is not None for v in vlans)


def test_missing_path_falls_back_to_nearest_ancestor():
    doc = load_document(fixture("valid.yaml"))
    assert doc.locate(("sites", 0, "no-such-key")) == doc.locator.value(("sites", 0))


@pytest.mark.parametrize("name", ["duplicate-keys.yaml", "duplicate-keys.json"])
def test_duplicate_keys_are_recorded_and_the_last_value_wins(name):
    doc = load_document(fixture(name))
    assert doc.data["sites"][0]["cidrs"] == ["10.9.0.0/16"]
    dup = next(d for d in doc.duplicate_keys if d.path == ("sites", 0, "cidrs"))
    assert dup.first != dup.second
    assert dup.first < dup.second


def test_yaml_merge_keys_are_applied():
    text = b"base: &b {asn: 65001}\nsite:\n  <<: *b\n  id: x\n"
    doc = parse_document("merge.yaml", text)
    assert doc.data["site"] == {"asn": 65001, "id": "x"}


@pytest.mark.parametrize(
    "name, message",
    [
        ("bad-syntax.yaml", "bad-syntax.yaml:5:1: not valid YAML"),
        ("bad-syntax.json", "bad-syntax.json:3:12: not valid JSON"),
        ("latin1.yaml", "latin1.yaml:2:11: not UTF-8 text"),
        ("picture.yaml", "picture.yaml: binary file"),
    ],
)
def test_unreadable_inputs_raise_input_error_naming_the_file(name, message):
    with pytest.raises(InputError) as caught:
        load_document(fixture(name))
    assert message in str(caught.value)


def test_missing_file_and_directory():
    with pytest.raises(InputError, match="no such file"):
        load_document(str(FIXTURES / "nope.yaml"))
    with pytest.raises(InputError, match="is a directory"):
        load_document(str(FIXTURES))


def test_format_is_sniffed_without_a_telling_name():
    assert parse_document("<stdin>", b'{"a": 1}').format == "json"
    assert parse_document("<stdin>", b"a: 1\n").format == "yaml"


def test_utf8_bom_is_accepted():
    doc = parse_document("bom.yaml", "\ufeffversion: 1\n".encode())
    assert doc.data == {"version": 1}
