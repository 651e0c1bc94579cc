# The portal's image: gunicorn serving Django, static files by whitenoise; nginx in front (docker-compose.yml).
# Debian 12 is named rather than left to the tag's default, so that a rebuild does not change the system under it.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1
# GNU gettext compiles the translations at build time.
RUN apt-get update && apt-get install -y --no-install-recommends gettext && rm -rf /var/lib/apt/lists/*

WORKDIR /app
# The dependencies first, from pyproject.toml alone, so that this layer is rebuilt only when they change. The
# portal itself runs from /app (manage.py and gunicorn import it from the working folder), not from site-packages.
COPY pyproject.toml ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" \
        > /tmp/requirements.txt \
    && pip install --no-cache-dir -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt

COPY . .
# Translations and static files are built into the image: collectstatic writes whitenoise's hashed, compressed
# files to /app/staticfiles (DJANGO_STATIC_ROOT's default). With DEBUG off the settings need a key; this one is
# only for the build and is never used to sign anything.
RUN python manage.py compilemessages --ignore=.venv --ignore=frontend -v0 \
    && DJANGO_DEBUG=0 DJANGO_SECRET_KEY=build-only python manage.py collectstatic --noinput -v0

# Not root: the portal can write only to /app/var (the file cache, when there is no REDIS_URL).
RUN useradd --create-home --uid 1000 intymak && mkdir -p /app/var && chown intymak /app/var
USER intymak
# Production by default: without DJANGO_SECRET_KEY the portal refuses to start rather than run with a known key.
ENV DJANGO_DEBUG=0
EXPOSE 8000

# gunicorn: GUNICORN_WORKERS processes (GUNICORN_THREADS threads each; more than 1 switches to threaded workers).
# --timeout 300: large exports (spreadsheets, IATI, PDF) take long; nginx waits 310 s. No --forwarded-allow-ips:
# it would only let gunicorn set wsgi.url_scheme from X-Forwarded-Proto, which Django does not read; Django
# reads nginx's X-Forwarded-Proto and X-Forwarded-For itself (DJANGO_BEHIND_PROXY, DJANGO_PROXY_COUNT).
# Heartbeat files in /dev/shm, which never blocks on disk.
CMD ["sh", "-c", "exec gunicorn intymak.wsgi:application --bind 0.0.0.0:8000 --workers \"${GUNICORN_WORKERS:-3}\" --threads \"${GUNICORN_THREADS:-1}\" --timeout 300 --graceful-timeout 30 --worker-tmp-dir /dev/shm --access-logfile -"]
