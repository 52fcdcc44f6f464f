#!/usr/bin/env bash
# Start the web server and a Celery worker with embedded beat in the foreground.
# Ctrl-C stops all of them. `make run HOST=0.0.0.0 PORT=8080` passes another address.
set -euo pipefail
cd "$(dirname "$0")/.."
host=${1:-127.0.0.1}
port=${2:-8000}
# Links in mails point to where this server runs (unless SITE_URL says otherwise).
export SITE_URL="${SITE_URL:-http://$host:$port}"
trap 'trap - INT TERM EXIT; kill 0 2>/dev/null; wait' INT TERM EXIT
.venv/bin/celery -A helpdesk worker --beat --loglevel INFO --concurrency 2 \
  --schedule "${HELPDESK_VAR_DIR:-var}/celerybeat-schedule" &
# The demo users of accounts/demo.py (README, "Demo logins").
cat <<BANNER
Helpdesk on http://$host:$port/ - demo users, password "demo" for all:
  customer          customer contact, Müller Maschinenbau GmbH (DE desk)
  reader            customer reader (read-only), Müller Maschinenbau GmbH
  us-customer       customer contact, Acme Tooling Inc. (US desk)
  pos-customer      customer contact, Frischmarkt Handels GmbH & Co. KG (POS)
  partner-customer  customer contact, Bäckerei Schröder (end customer of PartnerSoft)
  partner-agent     agent of the reseller PartnerSoft GmbH
  agent, us-agent   agents of Nordlicht Software GmbH (the vendor)
  manager           manager (dashboard, reports, SLA configuration)
  admin             administrator (Django admin at /admin/)
BANNER
# runserver is daphne's (daphne in INSTALLED_APPS): ASGI, HTTP and the live chat's WebSockets, with the
# in-memory channel layer (Redis when CELERY_BROKER_URL or CHANNEL_LAYER_URL names it).
.venv/bin/python manage.py runserver "$host:$port" &
wait -n
