"""A post's payload is serialised once for both of its events: the JSON must not change."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wall.store.events import with_post

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20)


# No deadline and no "too slow" check: under a loaded full run, building nested examples
# can pass hypothesis's per-example time limits (as in test_counters and test_hostile_input).
@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(payload=st.dictionaries(st.text(), JSON, max_size=6),
       fields=st.dictionaries(st.text(min_size=1).filter(lambda k: k != "post"), st.text(),
                              max_size=3))
def test_an_event_body_around_a_serialised_payload_is_the_body_serialised_whole(
        payload: dict[str, object], fields: dict[str, str]) -> None:
    body = with_post(json.dumps(payload, ensure_ascii=False), **fields)
    assert body == json.dumps({"post": payload, **fields}, ensure_ascii=False)
    assert json.loads(body) == {"post": payload, **fields}
