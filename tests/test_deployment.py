"""The deployment files, validated offline (no Docker engine runs here)."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from django.conf import settings

BASE = Path(settings.BASE_DIR)


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load((BASE / "docker-compose.yml").read_text())


def test_compose_has_every_service(compose):
    assert set(compose["services"]) == {"postgres", "redis", "migrate", "web", "worker", "beat"}


def test_database_keeps_its_data_in_a_volume(compose):
    volumes = compose["services"]["postgres"]["volumes"]
    assert any(v.endswith(":/var/lib/postgresql/data") for v in volumes)
    assert "postgres-data" in compose["volumes"]


@pytest.mark.parametrize("service", ["postgres", "redis", "web", "worker", "beat"])
def test_long_running_services_have_health_checks(compose, service):
    assert compose["services"][service]["healthcheck"]["test"]


@pytest.mark.parametrize("service", ["migrate", "web", "worker", "beat"])
def test_app_services_use_postgres_redis_and_the_env_file(compose, service):
    spec = compose["services"][service]
    env = spec["environment"]
    assert env["DATABASE_URL"].startswith("postgres://")
    assert env["CELERY_BROKER_URL"].startswith("redis://redis:")
    assert env["DJANGO_DEBUG"] == "0"
    assert spec["env_file"] == ".env"
    assert spec["depends_on"]["postgres"]["condition"] == "service_healthy"


def test_commands_run_gunicorn_worker_and_beat(compose):
    services = compose["services"]
    assert services["web"]["command"][:2] == ["gunicorn", "helpdesk.asgi:application"]  # HTTP and WebSockets
    assert services["worker"]["command"][:4] == ["celery", "-A", "helpdesk", "worker"]
    assert "beat" in services["beat"]["command"]
    assert "helpdesk.beat:Scheduler" in services["beat"]["command"]  # the locked database scheduler
    assert "migrate" in " ".join(services["migrate"]["command"])
    for name in ("web", "worker", "beat"):
        assert services[name]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"


def test_web_service_and_image_use_the_shared_gunicorn_settings(compose):
    assert "python:helpdesk.gunicorn_conf" in compose["services"]["web"]["command"]
    assert "python:helpdesk.gunicorn_conf" in (BASE / "Dockerfile").read_text()


def test_processes_restart_and_report_their_health(compose):
    """Worker: ping its own node; beat: the age of its heartbeat file (helpdesk/beat.py)."""
    services = compose["services"]
    for name in ("web", "worker", "beat"):
        assert services[name]["restart"] == "unless-stopped"
    assert "inspect ping -d celery@$$HOSTNAME" in services["worker"]["healthcheck"]["test"][1]
    beat_check = services["beat"]["healthcheck"]["test"][1]
    assert services["beat"]["environment"]["BEAT_HEARTBEAT_FILE"] in beat_check
    assert "getmtime" in beat_check


@pytest.mark.parametrize(("env", "expected"), [
    ({}, {"workers": (os.cpu_count() or 1) + 1, "threads": 2, "accesslog": "-", "bind": "0.0.0.0:8000"}),
    ({"WEB_CONCURRENCY": "5", "GUNICORN_THREADS": "4", "GUNICORN_ACCESS_LOG": ""},
     {"workers": 5, "threads": 4, "accesslog": None}),
])
def test_gunicorn_settings_read_the_environment(monkeypatch, env, expected):
    import runpy

    for name in ("WEB_CONCURRENCY", "GUNICORN_THREADS", "GUNICORN_ACCESS_LOG", "GUNICORN_BIND",
                 "GUNICORN_WORKER_CLASS"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    conf = runpy.run_path(str(BASE / "helpdesk" / "gunicorn_conf.py"))
    assert conf["worker_class"] == "uvicorn_worker.UvicornWorker"  # ASGI: the chat's WebSockets too
    assert {key: conf[key] for key in expected} == expected


@pytest.mark.parametrize(("value", "expected"), [
    (None, ["127.0.0.1", "::1"]),
    ("", ["127.0.0.1", "::1"]),
    ("10.0.0.2, 192.168.0.0/16", ["10.0.0.2", "192.168.0.0/16"]),
    ("*", ["*"]),
])
def test_gunicorn_trusts_forwarded_headers_only_from_the_configured_proxies(monkeypatch, value, expected):
    import runpy

    from gunicorn.config import Config

    monkeypatch.delenv("FORWARDED_ALLOW_IPS", raising=False)
    if value is not None:
        monkeypatch.setenv("FORWARDED_ALLOW_IPS", value)
    conf = runpy.run_path(str(BASE / "helpdesk" / "gunicorn_conf.py"))
    gunicorn = Config()
    gunicorn.set("forwarded_allow_ips", conf["forwarded_allow_ips"])  # gunicorn's own parsing
    assert gunicorn.forwarded_allow_ips == expected


@pytest.mark.parametrize(("value", "expected"), [
    (None, ["127.0.0.1", "::1"]),
    ("10.0.0.2, 192.168.0.0/16", ["10.0.0.2", "192.168.0.0/16"]),
])
def test_django_reads_the_same_proxies_and_takes_the_scheme_from_gunicorn(tmp_path, value, expected):
    env = {"DJANGO_DEBUG": "0", "DJANGO_SECRET_KEY": "x" * 50, "HELPDESK_VAR_DIR": str(tmp_path)}
    if value is not None:
        env["FORWARDED_ALLOW_IPS"] = value
    result = _settings_import(env, "from django.conf import settings as s; "
                                   "print(s.FORWARDED_ALLOW_IPS, s.SECURE_PROXY_SSL_HEADER, s.AXES_CLIENT_IP_CALLABLE)")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"{expected} None core.addresses.client_address"


def test_env_example_documents_every_variable_the_settings_read():
    import re

    source = (BASE / "helpdesk" / "settings.py").read_text()
    read = set(re.findall(r"""(?:os\.environ\.get|env_bool|env_list)\(\s*["']([A-Z_]+)["']""", source))
    documented = set(re.findall(r"^#?\s*([A-Z_]+)=", (BASE / ".env.example").read_text(), re.MULTILINE))
    assert read - documented == set(), f"document in .env.example: {sorted(read - documented)}"


def test_dockerfile_serves_with_gunicorn_and_collects_static():
    dockerfile = (BASE / "Dockerfile").read_text()
    assert dockerfile.startswith("# ") and "FROM python:3.11" in dockerfile
    assert "collectstatic" in dockerfile
    assert "gunicorn" in dockerfile
    assert "USER helpdesk" in dockerfile


@pytest.mark.skipif(not shutil.which("docker-compose"), reason="docker-compose v1 client not installed")
def test_compose_file_validates_with_docker_compose(tmp_path):
    shutil.copy(BASE / "docker-compose.yml", tmp_path / "docker-compose.yml")
    shutil.copy(BASE / ".env.example", tmp_path / ".env")
    result = subprocess.run(["docker-compose", "config", "-q"], cwd=tmp_path, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def _settings_import(env: dict, then: str = "") -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {then}"],
        cwd=BASE, capture_output=True, text=True,
        env={"PATH": os.environ["PATH"], "DJANGO_SETTINGS_MODULE": "helpdesk.settings", **env},
    )


def test_secret_key_is_required_when_debug_is_off(tmp_path):
    result = _settings_import({"DJANGO_DEBUG": "0", "HELPDESK_VAR_DIR": str(tmp_path)})
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_production_settings_start_with_a_secret_key(tmp_path):
    result = _settings_import({"DJANGO_DEBUG": "0", "DJANGO_SECRET_KEY": "x" * 50, "HELPDESK_VAR_DIR": str(tmp_path)})
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(("cache_url", "backend"), [
    ("", "django.core.cache.backends.locmem.LocMemCache"),
    ("redis://cache.internal:6379/1", "django.core.cache.backends.redis.RedisCache"),
])
def test_the_cache_is_shared_redis_when_cache_url_says_so(tmp_path, cache_url, backend):
    result = _settings_import(
        {"CACHE_URL": cache_url, "HELPDESK_VAR_DIR": str(tmp_path)},
        "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == backend


def test_a_cache_url_that_is_not_redis_stops_the_start(tmp_path):
    result = _settings_import({"CACHE_URL": "memcached://cache:11211", "HELPDESK_VAR_DIR": str(tmp_path)})
    assert result.returncode != 0
    assert "CACHE_URL must be a redis://" in result.stderr
