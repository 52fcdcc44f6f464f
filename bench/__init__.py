"""Benchmarks and their tooling: development only, left out of the container image (.dockerignore).

The scripts here run as `.venv/bin/python bench/<script>.py`; `bench.loadgen` is the Django app
behind `manage.py generate_load`, installed only where the source tree has it (helpdesk/settings.py)."""
