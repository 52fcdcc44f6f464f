"""Schemathesis against the OpenAPI schema, in process (WSGI), for a customer contact and an agent
(each with an API token): no server error, every answer conforms to the schema (status code,
content type, body), a request the schema allows is not refused as invalid (positive data
acceptance: no 400), and a request the schema forbids is refused (negative data rejection).

Bounded: MAX_EXAMPLES per operation and role, valid and invalid data, path parameters both
generated and pointing at a real ticket, no shrinking, derandomised: a few seconds. A bigger
sweep, by hand (it prints how many requests were sent and what failed):

    SCHEMATHESIS_MAX_EXAMPLES=200 pytest tests/api/test_schemathesis.py -p no:cacheprovider -s

(Schemathesis's own pytest plugin does not work with pytest 9 yet, so the operations are driven
with Hypothesis here.)"""

import os
from collections import Counter

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
from schemathesis.config import SchemathesisConfig
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    positive_data_acceptance,
    response_schema_conformance,
    status_code_conformance,
)

from api.services import api_token_create, device_register
from tickets.demo import first_demo_reference

MAX_EXAMPLES = int(os.environ.get("SCHEMATHESIS_MAX_EXAMPLES", "") or 6)
ROLES = ("customer", "agent")
# The main endpoints, for people; binary downloads are tested elsewhere. Device reports take a
# device's key: swept with one.
DEVICE_REPORTS = r"^/api/v1/device-reports/$"
MAIN = (
    r"^/api/v1/(tickets/|tickets/\{reference\}/|tickets/\{reference\}/(comments|attachments)/|organisation/|"
    r"calendars/|calendars/\{slug\}/|policies/|policies/\{slug\}/|sla/preview|"
    r"absences/|absences/\{id\}/|teams/\{slug\}/auto-assignment/)$"
)
CHECKS = [
    not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance,
    positive_data_acceptance, negative_data_rejection,
]
REAL = {"reference": first_demo_reference, "slug": lambda: "de-nrw-standard"}
# What the API answers (api.errors): 400 only for a request the schema does not allow; a request it
# allows may still be refused by a role (403), a visibility (404), a repeated idempotency key (409)
# or a rule the schema cannot state (422: an unknown id, a status change the ticket's state does
# not allow). A request the schema does not allow is a 400, or 404 (a path naming nothing), 415 (a
# body of another media type); never 409 or 422, which would mean that a rule caught it.
CONFIG = SchemathesisConfig.from_dict({"checks": {
    "positive_data_acceptance": {"expected-statuses": ["2xx", "401", "403", "404", "409", "422", "429"]},
    "negative_data_rejection": {"expected-statuses": ["400", "401", "403", "404", "405", "406", "415", "429"]},
}})


def strategies_for(operation):
    path_names = {p.name for p in operation.path_parameters}
    real = {name: REAL[name]() for name in path_names if name in REAL}
    options = [operation.as_strategy(GenerationMode.POSITIVE), operation.as_strategy(GenerationMode.NEGATIVE)]
    if real:
        options.append(operation.as_strategy(GenerationMode.POSITIVE, path_parameters=real))
        options.append(operation.as_strategy(GenerationMode.NEGATIVE, path_parameters=real))
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


def sweep(schema, headers, max_examples):
    """Run every operation of `schema`; → (requests sent per operation, failing requests per
    operation, failures as {(operation, check title, status code): (requests, first report)})."""
    sent, failed, failures = Counter(), Counter(), {}
    for result in schema.get_all_operations():
        sweep_operation(result.ok(), headers, max_examples, sent, failed, failures)
    return sent, failed, failures


def sweep_operation(operation, headers, max_examples, sent, failed, failures):
    @hypothesis_settings(
        max_examples=max_examples, deadline=None, derandomize=True, database=None,
        phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck),
    )
    @given(case=strategies_for(operation))
    def run(case):
        sent[operation.label] += 1
        response = case.call(headers=headers)
        try:
            case.validate_response(
                response, checks=CHECKS, headers=headers, transport_kwargs={"headers": dict(headers)}
            )
        except FailureGroup as group:  # record every failure; the sweep goes on
            failed[operation.label] += 1
            for failure in group.exceptions:
                key = (operation.label, failure.title, response.status_code)
                count, report = failures.get(key, (0, str(group)[:2500]))
                failures[key] = (count + 1, report)

    run()


@pytest.mark.django_db
def test_api_conforms_to_its_schema_for_customers_agents_and_devices(demo, settings, wsgi_app):
    settings.API_THROTTLE_RATES = {"user": None, "anon": None, "device": None}
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", wsgi_app, config=CONFIG).include(path_regex=MAIN)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 12, [op.label for op in operations]
    device_schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", wsgi_app, config=CONFIG).include(
        path_regex=DEVICE_REPORTS
    )
    device_key = device_register(organisation=demo["organisations"]["30001"], name="Kasse 1", serial="ST-1")[1]
    runs = [(role, schema, f"Token {api_token_create(user=demo['users'][role], name='Schemathesis')[1]}")
            for role in ROLES]
    runs.append(("device", device_schema, f"Device {device_key}"))
    total, failed, failures = Counter(), Counter(), {}
    for role, swept, authorization in runs:
        headers = {"Authorization": authorization, "Accept-Language": "en"}
        sent, role_failed, found = sweep(swept, headers, MAX_EXAMPLES)
        total.update(sent)
        failed.update(role_failed)
        failures.update({(role, *key): value for key, value in found.items()})
    print(f"\nschemathesis: {sum(total.values())} requests ({len(ROLES)} roles and a device, "
          f"{len(operations) + 1} operations, "
          f"at most {MAX_EXAMPLES} examples each), {sum(failed.values())} failing")
    for (role, operation, title, status), (count, _report) in sorted(failures.items()):
        print(f"  {role} {operation}: {title} ({status}): {count} requests")
    assert not failures, "\n\n".join(
        f"{role} {label}:\n{report}" for (role, label, *_), (_count, report) in failures.items()
    )
