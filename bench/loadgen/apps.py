from django.apps import AppConfig


class LoadgenConfig(AppConfig):
    """Development only: `manage.py generate_load` (no models, no migrations)."""

    name = "bench.loadgen"
    label = "loadgen"
    verbose_name = "Load data for benchmarks"
