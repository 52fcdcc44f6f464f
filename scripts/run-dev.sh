#!/usr/bin/env bash
# Start the web server and a Celery worker with embedded beat in the foreground.
# Ctrl-C stops all of them.
set -euo pipefail
cd "$(dirname "$0")/.."
host=${1:-127.0.0.1}
port=${2:-8000}
# Links in mails point to where this server runs (unless SITE_URL says otherwise).
export SITE_URL="${SITE_URL:-http://$host:$port}"
trap 'trap - INT TERM EXIT; kill 0 2>/dev/null; wait' INT TERM EXIT
.venv/bin/celery -A helpdesk worker --beat --loglevel INFO --concurrency 2 \
  --schedule "${HELPDESK_VAR_DIR:-var}/celerybeat-schedule" &
echo "Helpdesk on http://$host:$port/ (demo users: customer, reader, agent, manager, admin ... password: demo)"
.venv/bin/python manage.py runserver "$host:$port" &
wait -n
