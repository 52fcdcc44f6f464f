"""The engine is plain Python: importing every module of ``sla.engine`` never imports Django."""

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
ENGINE = ROOT / "sla" / "engine"

PROBE = """
import importlib, pkgutil, sys
import sla.engine
names = [info.name for info in pkgutil.walk_packages(sla.engine.__path__, "sla.engine.")]
for name in names:
    importlib.import_module(name)
leaked = sorted(m for m in sys.modules if m == "django" or m.startswith("django."))
print(len(names), leaked)
assert not leaked, leaked
"""


def test_importing_every_engine_module_leaves_django_unimported():
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env={"PYTHONPATH": str(ROOT), "PYTHONDONTWRITEBYTECODE": "1"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    count, leaked = result.stdout.split(" ", 1)
    assert int(count) >= 6 and leaked.strip() == "[]"


def test_no_engine_source_mentions_django_in_an_import():
    for path in ENGINE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                assert not any(alias.name.split(".")[0] == "django" for alias in node.names), path
            elif isinstance(node, ast.ImportFrom):
                assert (node.module or "").split(".")[0] != "django", path
