"""The dashboard's chart library is vendored from npm, at the version package.json pins."""

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_chart_js_is_vendored_at_the_pinned_version():
    pinned = json.loads((ROOT / "package.json").read_text())["dependencies"]["chart.js"]
    versions = dict(line.split() for line in (ROOT / "static/vendor/VERSIONS").read_text().splitlines())
    assert versions["chart.js"] == pinned
    bundle = (ROOT / "static/vendor/chartjs/chart.umd.js").read_text()
    assert f"Chart.js v{pinned}" in bundle[:300]
    # The manifest storage rewrites the source map reference: the map must be there too.
    assert bundle.rstrip().endswith("//# sourceMappingURL=chart.umd.js.map")
    assert (ROOT / "static/vendor/chartjs/chart.umd.js.map").exists()


def test_the_vendor_script_copies_chart_js():
    script = (ROOT / "scripts/vendor_static.sh").read_text()
    assert 'cp node_modules/chart.js/dist/chart.umd.js "$dest/chartjs/"' in script
    assert 'cp node_modules/chart.js/dist/chart.umd.js.map "$dest/chartjs/"' in script
    assert "chart.js" in script.split("for pkg in", 1)[1].splitlines()[0]
