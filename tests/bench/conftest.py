# The ticket tests' fixtures the load generator's tests use too (filing a ticket through the service).
from tests.tickets.conftest import file_ticket, users  # noqa: F401
