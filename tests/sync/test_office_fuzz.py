"""A property-based fuzz of the running office (schemathesis against its own OpenAPI), with and
without a valid device token, on SQLite and PostgreSQL: no input gets a 5xx, every status
returned is one the OpenAPI documents for that route, and every body matches its schema. The
example count is bounded so the test command stays quick. (Not checked: that every schema-valid
request succeeds; the OpenAPI cannot say that a batch must come in sequence, or that a file must
fit the office's size limit, so those valid-looking requests are rightly refused.)"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import positive_data_acceptance
from sync_server import Server

from heart_desktop.sync.protocol import API, TOKEN_HEADER

# a tus chunk is bytes, sent as any binary body is
schemathesis.serializer.alias("application/offset+octet-stream", "application/octet-stream")
EXAMPLES = 15  # per operation, generation mode and token: enough to reach every route's refusals


def operations(server: Server) -> list[Any]:
    # a body past its route's limit is rightly refused with 413 before it is even parsed
    rejected = ["400", "401", "403", "404", "405", "406", "409", "413", "415", "422", "428", "429"]
    config = schemathesis.Config.from_dict({"checks": {"negative_data_rejection": {"expected-statuses": rejected}}})
    schema = schemathesis.openapi.from_url(f"{server.url}{API}/openapi.json", config=config)
    return [result.ok() for result in schema.get_all_operations()]


@pytest.mark.parametrize("with_token", [True, False], ids=["token", "no-token"])
def test_no_input_gets_a_server_error_or_an_undocumented_status(server: Server, with_token: bool) -> None:
    headers: dict[str, str] = {}
    if with_token:
        import httpx

        server.service.add_officer("F. Uzzer", "HAO", ["WDC"])
        enrolled = httpx.post(f"{server.url}{API}/enrol", json={"code": server.service.enrol_code("F. Uzzer")})
        headers = {TOKEN_HEADER: enrolled.json()["token"]}
    found = operations(server)
    assert len(found) == 16  # every route is in the OpenAPI
    for operation in found:
        cases = st.one_of(*(operation.as_strategy(mode) for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)))

        @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
                  suppress_health_check=list(HealthCheck))
        @given(case=cases)
        def check(case: Any) -> None:
            case.call_and_validate(base_url=server.url, headers=headers, excluded_checks=[positive_data_acceptance])

        check()
