"""Workbench fixtures: the casework world (three published items of three departments) and helpers that
walk applications through casework's real actions to the states the boards show."""

import pytest
import time_machine

from huicai.casework import actions
from huicai.casework.tests.conftest import case, later, pdf, prepare  # noqa: F401 - fixtures and helpers

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(autouse=True, scope="session")
def _one_request_at_a_time():
    """The live server answers one request at a time in the browser tests.

    On SQLite the test database lives in memory and Django's live server shares the test's single
    connection with its request threads; chromium fires several requests at once (the dashboard's data,
    the page, static files), and two threads in one SQLite connection can wait on each other forever
    (seen in a full run: both request threads idle inside a query). A server without threads answers in
    turn and closes each connection, which is all a test needs.
    """
    from django.core.servers.basehttp import WSGIServer
    from django.test.testcases import LiveServerThread

    class OneAtATimeServer(WSGIServer):
        def __init__(self, *args, connections_override=None, **kwargs):
            # The server thread itself installs the overrides (LiveServerThread.run) and answers in it.
            super().__init__(*args, **kwargs)

    threaded = LiveServerThread.server_class
    LiveServerThread.server_class = OneAtATimeServer
    yield
    LiveServerThread.server_class = threaded


@pytest.fixture
def frozen(world):
    """The clock stopped at the world's Monday 2026-03-02 09:00 UTC (17:00 in Linyi)."""
    with time_machine.travel(world.at, tick=False) as traveller:
        yield traveller


def submitted(the_case, items, *, at=None):
    """An application of li_ming's, prepared and submitted by wang_fang."""
    world = the_case.world
    application = prepare(the_case, items, at=at)
    return actions.submit_application(application, by=world.wang_fang, at=at or world.at)


def split_by_suggestion(the_case, application, *, at=None):
    world = the_case.world
    return actions.split_application(
        application, routes=actions.suggested_routes(application), by=world.chen_jing, at=at or world.at
    )


def commissioner_of(the_case, task):
    return {
        "市公安局": the_case.police,
        "市住房和城乡建设局": the_case.housing_commissioner,
        "市教育局": the_case.school_commissioner,
    }[task.department.short_name]


def extend(the_case, task, *, working_days=2, at=None, reason="需向省厅核查境外居留记录"):
    """The department files a delay (W13) of ``working_days`` past the current due date."""
    from huicai.workdays import calendar

    return actions.extend_task(
        task,
        new_due_date=calendar.add_working_days(task.deadline.due_date, working_days),
        reason=reason,
        explanation="已电话告知李明本人",
        explained_via="direct",
        by=commissioner_of(the_case, task),
        at=at or the_case.world.at,
    )


# --- the browser (tests marked ``browser``) -------------------------------------------------------------

FAKE_CAMERA = ("--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream")


def write_camera_video(path, payload=None, *, width=640, height=480):
    """A Y4M video for chromium's fake camera: the QR code of ``payload`` (or a blank picture), black on
    white, in the middle of every frame. Chromium loops the file while the camera is open."""
    import segno

    luma = bytearray([235]) * (width * height)
    if payload:
        rows = [list(row) for row in segno.make(payload, error="m", micro=False).matrix_iter(border=4)]
        scale = min(width, height) * 4 // 5 // len(rows)
        left, top = (width - len(rows) * scale) // 2, (height - len(rows) * scale) // 2
        for y, row in enumerate(rows):
            for x, dark in enumerate(row):
                if dark:
                    for dy in range(scale):
                        start = (top + y * scale + dy) * width + left + x * scale
                        luma[start : start + scale] = bytes([16]) * scale
    chroma = bytes([128]) * (width // 2 * height // 2)
    frame = b"FRAME\n" + bytes(luma) + chroma + chroma
    header = f"YUV4MPEG2 W{width} H{height} F10:1 Ip A1:1 C420jpeg\n".encode()
    path.write_bytes(header + frame * 2)


@pytest.fixture(scope="module")
def chromium(tmp_path_factory):
    """Debian's chromium, launched once per module, with a fake camera reading a file we write.

    Skipped only when /usr/bin/chromium is missing. Sync Playwright keeps an asyncio loop running in this
    thread, so Django's guard against ORM calls from async code is lifted while it runs (tests only).
    """
    from types import SimpleNamespace

    from huicai.workbench import browser

    if not browser.CHROMIUM.exists():
        pytest.skip(f"{browser.CHROMIUM} is not installed (apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    camera = tmp_path_factory.mktemp("camera") / "card.y4m"
    write_camera_video(camera)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            launched = browser.launch(
                playwright, extra_args=[*FAKE_CAMERA, f"--use-file-for-fake-video-capture={camera}"]
            )
            yield SimpleNamespace(browser=launched, camera=camera)
            launched.close()


@pytest.fixture
def sign_in(chromium, live_server):
    """sign_in(user, viewport=DESKTOP) -> a page signed in through the login form, on its own context."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from huicai.accounts import twofactor
    from huicai.testing import PASSWORD, current_code, give_second_factor
    from huicai.workbench import browser

    contexts = []

    def _sign_in(user, viewport=browser.DESKTOP):
        # Staff sign in with a generated code, as a person reads it off their authenticator app.
        if twofactor.second_factor_required(user) and not TOTPDevice.objects.filter(user=user).exists():
            give_second_factor(user)
        context = chromium.browser.new_context(viewport=viewport, locale="zh-CN")
        context.set_default_timeout(15_000)
        contexts.append(context)
        return browser.sign_in(
            context, live_server.url, user.username, PASSWORD, code=lambda: current_code(user)
        )

    yield _sign_in
    for context in contexts:
        context.close()
