"""The long-running processes stop when told: the scheduler and the task worker within 2 seconds of SIGTERM
or Ctrl-C (after the work in hand), and ``scripts/serve.sh`` (what ``make run`` starts) leaves no process of
its own behind. Real processes over a throwaway SQLite database, on a free loopback port."""

import os
import pathlib
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import uuid

import pytest
from django.conf import settings
from django.db import connection

ROOT = pathlib.Path(settings.BASE_DIR)

# The processes run over their own SQLite file whichever database the suite uses: run them once per CI run.
pytestmark = pytest.mark.skipif(connection.vendor == "postgresql", reason="the same processes run on SQLite")
BIN = pathlib.Path(sys.executable).parent


@pytest.fixture(scope="module")
def environment(tmp_path_factory):
    """An environment of its own (a migrated SQLite file, DEBUG on) marked with a token that every process
    started from it inherits, so the test can find any that is left behind."""
    folder = tmp_path_factory.mktemp("processes")
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    env.update(
        DEBUG="1",
        SQLITE_PATH=str(folder / "huicai.sqlite3"),
        HUICAI_VAR_DIR=str(folder),
        HUICAI_PROCESS_TEST=uuid.uuid4().hex,
        PYTHONUNBUFFERED="1",
    )
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=300,
    )
    return env


def start(command, env, **options):
    return subprocess.Popen(
        command,
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # a process group of its own, as a terminal gives `make run`
        **options,
    )


def wait_for_line(process, text, timeout=60):
    deadline = time.monotonic() + timeout
    seen = []
    while time.monotonic() < deadline:
        line = process.stdout.readline().decode(errors="replace")
        if not line and process.poll() is not None:
            break
        seen.append(line)
        if text in line:
            return
    pytest.fail(f"never printed {text!r}: {''.join(seen)[-2000:]}")


def seconds_to_exit(process, signum, *, group=False):
    started = time.monotonic()
    if group:
        os.killpg(process.pid, signum)
    else:
        process.send_signal(signum)
    try:
        process.wait(timeout=15)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
    return time.monotonic() - started


def processes_marked(token):
    """Pids of live processes whose environment carries the token."""
    found = []
    for entry in pathlib.Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            environ = (entry / "environ").read_bytes()
            state = (entry / "stat").read_text().split()[2]
        except OSError:
            continue
        if f"HUICAI_PROCESS_TEST={token}".encode() in environ and state != "Z":
            found.append(int(entry.name))
    return found


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_the_scheduler_stops_within_two_seconds(environment, signum):
    scheduler = start([sys.executable, "manage.py", "run_scheduler", "--interval", "60"], environment)
    wait_for_line(scheduler, "已运行")  # its first pass is done; it now waits a minute for the next

    elapsed = seconds_to_exit(scheduler, signum)

    assert elapsed < 2
    assert scheduler.returncode == 0


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_the_task_worker_stops_within_two_seconds(environment, signum):
    worker = start(
        [sys.executable, "manage.py", "db_worker", "--queue-name", "default", "--interval", "60", "-v", "3"],
        environment,
    )
    wait_for_line(worker, "Starting worker")

    elapsed = seconds_to_exit(worker, signum)

    assert elapsed < 2


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_serving(port, process, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, process.stdout.read().decode(errors="replace")[-2000:]
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/catalogue/", timeout=2) as response:
                return response.status
        except OSError:
            time.sleep(0.3)
    pytest.fail("the server never answered")


@pytest.mark.parametrize(("signum", "group"), [(signal.SIGTERM, False), (signal.SIGINT, True)])
def test_stopping_serve_sh_leaves_no_process_behind(environment, signum, group):
    port = free_port()
    env = {**environment, "PORT": str(port), "BIN": str(BIN), "WEB_WORKERS": "1"}
    server = start(["sh", "scripts/serve.sh"], env)
    assert wait_until_serving(port, server) == 200
    assert len(processes_marked(env["HUICAI_PROCESS_TEST"])) >= 4  # the script, worker, scheduler, gunicorn

    seconds_to_exit(server, signum, group=group)  # SIGTERM to the script, or Ctrl-C to the whole group
    deadline = time.monotonic() + 5
    while processes_marked(env["HUICAI_PROCESS_TEST"]) and time.monotonic() < deadline:
        time.sleep(0.1)

    assert processes_marked(env["HUICAI_PROCESS_TEST"]) == []
