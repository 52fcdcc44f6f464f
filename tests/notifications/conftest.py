from tests.escalation.escalation_support import clock  # noqa: F401 (fixture for the outbox tests)
