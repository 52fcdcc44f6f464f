"""Schemathesis against the OpenAPI schema, in process (WSGI), with a customer contact's token:
no server error, and every answer conforms to the schema (status code, content type, body).

Bounded: MAX_EXAMPLES per operation, valid and invalid data, path parameters both generated and
pointing at a real ticket, no shrinking, derandomised — well under a minute. (Schemathesis's own
pytest plugin does not work with pytest 9 yet, so the operations are driven with Hypothesis here.)"""

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from api.services import api_token_create
from tickets.demo import first_demo_reference

MAX_EXAMPLES = 12
# The main endpoints; device reports (a device's key) and binary downloads are tested elsewhere.
MAIN = (
    r"^/api/v1/(tickets/|tickets/\{reference\}/|tickets/\{reference\}/(comments|attachments)/|organisation/|"
    r"calendars/|calendars/\{slug\}/|policies/|policies/\{slug\}/|sla/preview)$"
)
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
REAL = {"reference": first_demo_reference, "slug": lambda: "de-nrw-standard"}


def strategies_for(operation):
    path_names = {p.name for p in operation.path_parameters}
    real = {name: REAL[name]() for name in path_names if name in REAL}
    options = [operation.as_strategy(GenerationMode.POSITIVE), operation.as_strategy(GenerationMode.NEGATIVE)]
    if real:
        options.append(operation.as_strategy(GenerationMode.POSITIVE, path_parameters=real))
    return st.one_of(options)


@pytest.fixture
def wsgi_app():
    """The project's WSGI application, with the test's database connection kept open across
    requests (like Django's test client: no close_old_connections inside the test transaction)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield get_wsgi_application()
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.mark.django_db
def test_api_conforms_to_its_schema_without_server_errors(demo, settings, wsgi_app):
    settings.API_THROTTLE_RATES = {"user": None, "anon": None, "device": None}
    token = api_token_create(user=demo["users"]["customer"], name="Schemathesis")[1]
    headers = {"Authorization": f"Token {token}", "Accept-Language": "en"}
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", wsgi_app).include(path_regex=MAIN)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 12, [op.label for op in operations]
    failures = {}
    for operation in operations:

        @hypothesis_settings(
            max_examples=MAX_EXAMPLES, deadline=None, derandomize=True, database=None,
            phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck),
        )
        @given(case=strategies_for(operation))
        def run(case):
            case.call_and_validate(headers=headers, checks=CHECKS)

        try:
            run()
        except Exception as failure:  # collect every operation's first failure, then report all
            failures[operation.label] = str(failure)[:3000]
    assert not failures, "\n\n".join(f"{label}:\n{text}" for label, text in failures.items())
