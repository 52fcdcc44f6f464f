import pytest

from tests.knowledge.factories import knowledge_world


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "private-media"


@pytest.fixture
def world(db):
    return knowledge_world()
