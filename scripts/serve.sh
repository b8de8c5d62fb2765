#!/bin/sh
# Start the task worker, the scheduler and gunicorn, and stop all three together: Ctrl-C, a SIGTERM to
# this script, or any one of them exiting stops the others, each after the work in hand, and the script
# waits until they are gone, so stopping `make run` leaves no process of it behind.
set -eu
BIN=${BIN:-.venv/bin}
PORT=${PORT:-8000}
BIND=${BIND:-127.0.0.1}

"$BIN/python" manage.py demo_logins

# Background commands of a non-interactive shell ignore Ctrl-C; each of these sets its own handlers.
"$BIN/python" manage.py db_worker --queue-name default &
WORKER=$!
"$BIN/python" manage.py run_scheduler &
SCHEDULER=$!
"$BIN/gunicorn" huicai.wsgi:application --config gunicorn.conf.py --bind "$BIND:$PORT" --workers "${WEB_WORKERS:-2}" \
	--access-logfile - --log-level info &
WEB=$!

SLEEPER=
stop() {
	trap - INT TERM
	kill -TERM "$WEB" "$WORKER" "$SCHEDULER" $SLEEPER 2>/dev/null || true
	wait "$WEB" "$WORKER" "$SCHEDULER" 2>/dev/null || true
}
trap 'stop; exit 0' INT TERM
echo "惠才已启动：http://$BIND:$PORT/"

# Whichever of the three ends first (normally none), the others are stopped too.
while kill -0 "$WEB" 2>/dev/null && kill -0 "$WORKER" 2>/dev/null && kill -0 "$SCHEDULER" 2>/dev/null; do
	sleep 1 &
	SLEEPER=$!
	wait "$SLEEPER" || true
done
stop
exit 1
