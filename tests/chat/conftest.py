import pytest


@pytest.fixture
def anyio_backend():
    """The socket tests run on asyncio (anyio's pytest plugin; channels runs on asyncio)."""
    return "asyncio"
