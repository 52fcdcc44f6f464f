#!/usr/bin/env bash
# Refresh the vendored front-end files in static/vendor from the npm registry.
# The result is committed, so neither `make run` nor a deployment needs npm.
set -euo pipefail
cd "$(dirname "$0")/.."
npm install --no-audit --no-fund --no-save
dest=static/vendor
rm -rf "$dest" && mkdir -p "$dest/bootstrap" "$dest/bootstrap-icons/fonts" "$dest/htmx" "$dest/chartjs" "$dest/axe-core"
cp node_modules/bootstrap/dist/css/bootstrap.min.css "$dest/bootstrap/"
cp node_modules/bootstrap/dist/css/bootstrap.min.css.map "$dest/bootstrap/"
cp node_modules/bootstrap/dist/js/bootstrap.bundle.min.js "$dest/bootstrap/"
cp node_modules/bootstrap/dist/js/bootstrap.bundle.min.js.map "$dest/bootstrap/"
cp node_modules/bootstrap-icons/font/bootstrap-icons.min.css "$dest/bootstrap-icons/"
cp node_modules/bootstrap-icons/font/fonts/bootstrap-icons.woff2 "$dest/bootstrap-icons/fonts/"
cp node_modules/bootstrap-icons/font/fonts/bootstrap-icons.woff "$dest/bootstrap-icons/fonts/"
cp node_modules/htmx.org/dist/htmx.min.js "$dest/htmx/"
# Chart.js 4, UMD build (a global `Chart`): the manager dashboard's charts.
cp node_modules/chart.js/dist/chart.umd.js "$dest/chartjs/"
cp node_modules/chart.js/dist/chart.umd.js.map "$dest/chartjs/"
cp node_modules/chart.js/LICENSE.md "$dest/chartjs/"
# axe-core (a devDependency): a TEST asset. The browser tests inject it into the pages they check
# for accessibility (tests/browser/accessibility.py); no product page loads it.
cp node_modules/axe-core/axe.min.js "$dest/axe-core/"
cp node_modules/axe-core/LICENSE "$dest/axe-core/"
for pkg in bootstrap bootstrap-icons chart.js htmx.org axe-core; do
  printf '%s %s\n' "$pkg" "$(node -p "require('./node_modules/$pkg/package.json').version")"
done > "$dest/VERSIONS"
