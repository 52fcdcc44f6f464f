"""gunicorn settings of the web service:
`gunicorn -c python:helpdesk.gunicorn_conf helpdesk.asgi:application`
(Dockerfile, docker-compose.yml and the API benchmarks use this file, so what is measured is what
is deployed).

uvicorn workers (`uvicorn_worker.UvicornWorker`) serve the ASGI application: HTTP and the live
chat's WebSockets in the same process. Several web processes or containers share the chat's
events through the Redis channel layer (`CHANNEL_LAYERS` in settings). `GUNICORN_WORKER_CLASS=gthread`
with `helpdesk.wsgi:application` serves plain HTTP (no chat) the way it was served before.

Threaded workers, few threads each: a request spends part of its time waiting for PostgreSQL, so a
second thread keeps the core busy, while more threads only fight over the interpreter lock. On the
2-core reference machine 3 workers x 2 threads filed the most tickets per second in side-by-side
runs of bench/api_create.py (4 x 4, 3 x 8 and single-threaded workers filed fewer).
WEB_CONCURRENCY, GUNICORN_THREADS, GUNICORN_ACCESS_LOG and GUNICORN_BIND (.env.example) change them.

X-Forwarded-Proto (and the other scheme headers; uvicorn's workers read the same setting) count
only from the reverse proxies in FORWARDED_ALLOW_IPS (default: this machine), the same list Django
uses for X-Forwarded-For (`core.addresses`); from any other peer a request stays plain http,
whatever headers it sends."""

import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY") or (os.cpu_count() or 1) + 1)
worker_class = os.environ.get("GUNICORN_WORKER_CLASS") or "uvicorn_worker.UvicornWorker"
threads = int(os.environ.get("GUNICORN_THREADS") or 2)  # gthread workers only
keepalive = 5
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None  # empty: no access log
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "").strip() or "127.0.0.1,::1"
