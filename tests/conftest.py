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
def _empty_cache():
    """Each test starts with an empty cache: throttle counts and failed API keys (per address, and
    every test client calls from 127.0.0.1) do not carry over from one test to the next."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _english_default(settings):
    """Tests read English by default; German-specific tests switch explicitly."""
    settings.LANGUAGE_CODE = "en"


# The clock the demo data was last seeded with in this process (its deadlines are relative to
# it): tests compare with `demo["now"]`, never with a later `timezone.now()`.
_demo_seeded_at = None


def _seed_demo() -> None:
    import os

    from django.core.management import call_command
    from django.test import override_settings
    from django.utils import timezone

    from helpdesk.celery import app

    global _demo_seeded_at
    now = timezone.now()
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = True
    try:
        with (
            override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]),
            open(os.devnull, "w") as devnull,
        ):
            call_command("seed_demo", stdout=devnull, now=now)
    finally:
        app.conf.task_always_eager = eager
    _demo_seeded_at = now


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Seed the demo data once per test database instead of once per test: every test runs in
    a transaction that is rolled back, so each one starts from the freshly seeded state."""
    with django_db_blocker.unblock():
        _seed_demo()


DEMO_FIXTURES = {"demo", "browser_demo"}
KEEP_TABLES = {"django_content_type", "auth_permission", "django_migrations"}


def _wipe_demo() -> None:
    """Empty every table (inside the test's transaction, rolled back afterwards; a transactional
    test's database is flushed after it anyway). Foreign keys are deferred until commit on both
    SQLite and PostgreSQL, so the order of the tables does not matter."""
    from django.apps import apps
    from django.db import connection, transaction

    tables = {m._meta.db_table for m in apps.get_models(include_auto_created=True) if m._meta.managed}
    with transaction.atomic(), connection.cursor() as cursor:
        for table in sorted(tables - KEEP_TABLES):
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(table)}")  # noqa: S608


@pytest.fixture(autouse=True)
def _demo_data_only_when_asked(request):
    """Tests that do not ask for `demo` see an empty database, as they would without the
    session-wide seed."""
    names = set(request.fixturenames)
    if names & DEMO_FIXTURES:
        return
    marker = request.node.get_closest_marker("django_db")
    if marker is None and not names & {"db", "transactional_db", "live_server"}:
        return
    request.getfixturevalue("_django_db_helper")
    _wipe_demo()


@pytest.fixture
def demo(db):
    """The demo data set, as `manage.py seed_demo` creates it (seeded again only after a
    transactional test flushed the database)."""
    from accounts.models import Organisation, Team, User

    if not User.objects.filter(username="admin").exists():
        _seed_demo()

    return {
        "users": {u.username: u for u in User.objects.all()},
        "organisations": {o.customer_number: o for o in Organisation.objects.all()},
        "teams": {t.slug: t for t in Team.objects.all()},
        "now": _demo_seeded_at,  # the clock the demo was seeded with
    }
