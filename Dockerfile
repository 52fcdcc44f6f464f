# The helpdesk image: web (gunicorn with uvicorn workers: HTTP and the chat's WebSockets; whitenoise),
# Celery worker and beat all run from it.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    HELPDESK_VAR_DIR=/app/var \
    STATIC_ROOT=/app/staticfiles \
    PRIVATE_MEDIA_ROOT=/app/var/private-media

WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt

COPY . .
# Static files are collected at build time; the placeholder key exists only for this step.
RUN DJANGO_DEBUG=0 DJANGO_SECRET_KEY=collectstatic-only ALLOWED_HOSTS=build \
    python manage.py collectstatic --no-input -v0 \
 && useradd --create-home --uid 10001 helpdesk \
 && mkdir -p /app/var/private-media \
 && chown -R helpdesk /app/var

USER helpdesk
EXPOSE 8000
CMD ["gunicorn", "helpdesk.asgi:application", "--config", "python:helpdesk.gunicorn_conf"]
