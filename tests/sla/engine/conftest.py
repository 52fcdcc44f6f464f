"""Engine tests run without Django: plain Python, no database, no settings.

Makes the repository root and the helper modules next to these tests (``calendars``,
``oracle``) importable in any import mode, and replaces the project-wide autouse fixtures
of ``tests/conftest.py`` (which need pytest-django's ``settings``) with no-ops, so that
``pytest -p no:django tests/sla/engine`` works.
"""

import sys
from pathlib import Path

import pytest

_HERE = Path(__file__).resolve().parent
for _path in (str(_HERE), str(_HERE.parents[2])):
    if _path not in sys.path:
        sys.path.insert(0, _path)


@pytest.fixture(autouse=True)
def _eager_celery():
    """No Celery here."""


@pytest.fixture(autouse=True)
def _fast_password_hashing():
    """No passwords here."""


@pytest.fixture(autouse=True)
def _english_default():
    """No translations here."""
