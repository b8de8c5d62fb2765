#!/bin/sh
# Start the task worker in the background and gunicorn in the foreground; stopping one stops both.
set -eu
BIN=${BIN:-.venv/bin}
PORT=${PORT:-8000}
"$BIN/python" manage.py db_worker --queue-name default &
WORKER=$!
trap 'kill $WORKER 2>/dev/null || true' EXIT INT TERM
"$BIN/python" manage.py demo_logins
echo "惠才已启动：http://127.0.0.1:$PORT/"
"$BIN/gunicorn" huicai.wsgi:application --bind "127.0.0.1:$PORT" --workers "${WEB_WORKERS:-2}" --access-logfile - --log-level info
