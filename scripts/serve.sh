#!/bin/sh
# Start the task worker and the scheduler in the background and gunicorn in the foreground; stopping
# gunicorn (Ctrl-C) stops all three.
set -eu
BIN=${BIN:-.venv/bin}
PORT=${PORT:-8000}
"$BIN/python" manage.py db_worker --queue-name default &
WORKER=$!
"$BIN/python" manage.py run_scheduler &
SCHEDULER=$!
trap 'kill $WORKER $SCHEDULER 2>/dev/null || true' EXIT INT TERM
"$BIN/python" manage.py demo_logins
echo "惠才已启动：http://127.0.0.1:$PORT/"
"$BIN/gunicorn" huicai.wsgi:application --bind "127.0.0.1:$PORT" --workers "${WEB_WORKERS:-2}" --access-logfile - --log-level info
