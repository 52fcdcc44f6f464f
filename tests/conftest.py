import pytest


@pytest.fixture(autouse=True)
def _eager_celery(settings):
    """Unit tests run tasks in-process; the services tests start real workers instead."""
    settings.CELERY_TASK_ALWAYS_EAGER = True
    from helpdesk.celery import app

    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = False


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _english_default(settings):
    """Tests read English by default; German-specific tests switch explicitly."""
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def demo(db):
    """The demo data set, as `manage.py seed_demo` creates it."""
    from django.core.management import call_command

    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    from accounts.models import Organisation, Team, User

    return {
        "users": {u.username: u for u in User.objects.all()},
        "organisations": {o.customer_number: o for o in Organisation.objects.all()},
        "teams": {t.slug: t for t in Team.objects.all()},
    }
