"""The JSON report's encoder (the C encoder made once) writes what json.JSONEncoder writes."""

from __future__ import annotations

import json

from ccv_test_helpers import property_examples
from hypothesis import given, settings
from hypothesis import strategies as st

from validator.report import _dumper

values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda inner: st.lists(inner) | st.dictionaries(st.text(), inner),
    max_leaves=20,
)


@settings(max_examples=property_examples(500), deadline=None)
@given(values)
def test_the_reused_encoder_writes_what_json_writes(value):
    dump = _dumper()
    expected = json.JSONEncoder(ensure_ascii=False).encode(value)
    assert dump(value) == expected
    assert dump(value) == expected  # and again: the encoder keeps no state between values


def test_a_value_json_cannot_write_is_refused_as_json_refuses_it():
    import pytest

    with pytest.raises(TypeError):
        _dumper()({"a": object()})
