"""gunicorn settings for production: `gunicorn -c gunicorn.conf.py app:app`.

Every setting can be overridden from the environment (or on the command line)."""

import os

bind = os.environ.get("BIND", "127.0.0.1:8000")
# Sync-style workers, a few threads each: a thread waiting on the database or on a PDF
# child process does not hold a whole worker. Two to four workers per core.
workers = int(os.environ.get("WEB_CONCURRENCY", "4"))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
# A PDF renders in a bounded child (PDF_TIMEOUT_SECONDS, 60 s by default): leave it room.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "90"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so no slow leak grows for ever. The wide jitter keeps workers
# from restarting together: while a new one boots (a second or two), the others serve.
max_requests = 20000
max_requests_jitter = 10000
# Behind a reverse proxy that sets X-Forwarded-*: trust it (set to its address).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = "-"
