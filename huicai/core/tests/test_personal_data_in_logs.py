"""Personal data stays out of logs and URLs (issue 13.4): the talent search by ID number is POSTed and
answered with a keyed hash in the URL, gunicorn's access log masks query strings, and a journey through
the pages leaves no ID number or phone in any log."""

import datetime
import io
import logging
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import parse_qs, urlsplit

import pytest
from gunicorn.config import Config

from huicai.core.gunicorn_logging import RedactingLogger, mask_query
from huicai.core.logging import RedactPersonalDataFilter
from huicai.talents.views import id_number_ref

ROOT = Path(__file__).resolve().parents[3]


# --- The search never puts an ID number in a URL. ---


def test_a_search_by_id_number_is_posted_and_redirected_to_its_keyed_hash(world, login):
    client = login(world.chen_jing)

    response = client.post("/talents/", {"q": world.li_ming.id_number})

    assert response.status_code == 302
    location = response["Location"]
    assert world.li_ming.id_number not in location
    assert parse_qs(urlsplit(location).query) == {"ref": [id_number_ref(world.li_ming.id_number)]}
    page = client.get(location).content.decode()
    assert "李明" in page
    assert "已按证件号码检索" in page


def test_an_id_number_typed_into_the_address_is_moved_out_of_it(world, login):
    response = login(world.chen_jing).get(f"/talents/?q={world.li_ming.id_number}&page=1")

    assert response.status_code == 302
    assert world.li_ming.id_number not in response["Location"]
    assert "ref=" in response["Location"]


def test_a_search_by_name_still_works_from_the_address(world, login):
    response = login(world.chen_jing).get("/talents/?q=李明")

    assert response.status_code == 200
    assert "李明" in response.content.decode()


def test_a_phone_number_is_not_searched_for(world, login):
    response = login(world.chen_jing).post("/talents/", {"q": world.li_ming.mobile})

    assert response.status_code == 200
    assert "不支持按手机号码检索" in response.content.decode()


def test_the_keyed_hash_finds_only_within_the_jurisdiction(world, login):
    outsider = login(world.sun_lei)

    page = outsider.get(f"/talents/?ref={id_number_ref(world.li_ming.id_number)}").content.decode()

    assert "李明" not in page


# --- Gunicorn's access log. ---


def access_logger():
    """Gunicorn's logger as scripts/serve.sh configures it (gunicorn.conf.py), writing to a buffer."""
    settings = {}
    exec((ROOT / "gunicorn.conf.py").read_text(), settings)
    config = Config()
    config.set("logger_class", settings["logger_class"])
    config.set("accesslog", "-")
    logger = config.logger_class(config)
    buffer = io.StringIO()
    for handler in logger.access_log.handlers:
        handler.setStream(buffer)
    return logger, buffer


def log_access(logger, request, status=200):
    """What gunicorn writes for one request the Django test client made."""
    meta = request.META
    query = meta.get("QUERY_STRING", "")
    environ = {
        "REQUEST_METHOD": meta["REQUEST_METHOD"],
        "RAW_URI": meta["PATH_INFO"] + (f"?{query}" if query else ""),
        "SERVER_PROTOCOL": "HTTP/1.1",
        "PATH_INFO": meta["PATH_INFO"],
        "QUERY_STRING": query,
        "REMOTE_ADDR": meta.get("REMOTE_ADDR", "-"),
        "HTTP_REFERER": meta.get("HTTP_REFERER", "-"),
    }
    request_headers = [("REFERER", environ["HTTP_REFERER"]), ("USER-AGENT", "test")]
    response = SimpleNamespace(status=f"{status} X", sent=10, headers=[])
    logger.access(response, SimpleNamespace(headers=request_headers), environ, datetime.timedelta(0))


def test_serve_sh_runs_gunicorn_with_the_masking_logger():
    logger, _buffer = access_logger()

    assert isinstance(logger, RedactingLogger)
    assert "--config gunicorn.conf.py" in (ROOT / "scripts" / "serve.sh").read_text()


def test_the_access_log_masks_query_values_except_safe_ones():
    assert mask_query("q=%E6%9D%8E%E6%98%8E&page=2&window=3") == "q=***&page=2&window=3"
    assert mask_query("mobile=13812345678") == "mobile=***"
    assert mask_query("") == ""


def test_the_access_log_line_carries_no_id_number_or_phone(world, rf):
    logger, buffer = access_logger()
    request = rf.get(
        "/talents/",
        {"q": world.li_ming.id_number, "page": "2"},
        HTTP_REFERER=f"https://huicai.example.cn/talents/?q={world.li_ming.mobile}",
    )

    log_access(logger, request)

    line = buffer.getvalue()
    assert "GET /talents/?q=***&page=2 HTTP/1.1" in line
    assert world.li_ming.id_number not in line
    assert world.li_ming.mobile not in line


# --- A journey through the pages, every log scanned. ---


@pytest.fixture
def application_log():
    """The output of the handler the running system logs through (settings.LOGGING's console handler)."""
    handlers = [
        handler
        for handler in logging.getLogger().handlers
        if any(isinstance(f, RedactPersonalDataFilter) for f in handler.filters)
    ]
    assert handlers, "settings.LOGGING's console handler is not installed"
    buffer = io.StringIO()
    previous = [handler.setStream(buffer) for handler in handlers]
    previous_level = logging.getLogger().level
    logging.getLogger().setLevel(logging.DEBUG)
    yield buffer
    logging.getLogger().setLevel(previous_level)
    for handler, stream in zip(handlers, previous, strict=True):
        handler.setStream(stream)


def test_a_journey_through_the_pages_leaves_no_id_number_or_phone_in_any_log(world, login, application_log):
    gunicorn_logger, access_log = access_logger()
    li_ming, liu_yang = world.li_ming, world.liu_yang
    secrets = [li_ming.id_number, li_ming.mobile, liu_yang.id_number, liu_yang.mobile]
    anonymous = login(world.admin).__class__()
    chen_jing = login(world.chen_jing)
    journey = [
        # Login failures with personal data typed as the user name and the password.
        (anonymous, "post", "/accounts/login/", {"username": li_ming.id_number, "password": li_ming.mobile}),
        (anonymous, "post", "/accounts/login/", {"username": li_ming.mobile, "password": "x"}),
        # The talent search by ID number, posted and as a typed address, and by phone.
        (chen_jing, "post", "/talents/", {"q": li_ming.id_number}),
        (chen_jing, "get", f"/talents/?q={li_ming.id_number}", None),
        (chen_jing, "post", "/talents/", {"q": li_ming.mobile}),
        # The talent's page, a reveal of the full numbers, an out-of-scope page, a path with a number in it.
        (chen_jing, "get", f"/talents/{li_ming.pk}/", None),
        (chen_jing, "post", f"/talents/{li_ming.pk}/reveal/", None),
        (chen_jing, "get", f"/talents/{liu_yang.pk}/", None),
        (chen_jing, "get", f"/talents/{liu_yang.id_number}/", None),
        (chen_jing, "get", f"/api/v1/talents/?q={liu_yang.mobile}", None),
    ]

    for client, method, url, data in journey:
        response = getattr(client, method)(url, data) if data else getattr(client, method)(url)
        log_access(gunicorn_logger, response.wsgi_request, response.status_code)
        if response.status_code == 302 and method == "post" and url == "/talents/":
            followed = client.get(response["Location"])
            log_access(gunicorn_logger, followed.wsgi_request, followed.status_code)

    logs = application_log.getvalue() + access_log.getvalue()
    assert "Not Found" in logs  # the application log did record the refused pages
    assert "GET /talents/?q=***" in logs  # and the access log the typed address
    for secret in secrets:
        assert secret not in logs


@pytest.mark.parametrize("url", ["/workbench/apply/", "/workbench/sections/unit_talents/"])
def test_the_workbench_talent_searches_are_posted_and_redirected_to_the_keyed_hash(world, login, url):
    client = login(world.wang_fang)  # li_ming's unit commissioner

    response = client.post(url, {"q": world.li_ming.id_number}, HTTP_HX_REQUEST="true")

    assert response.status_code == 302
    assert world.li_ming.id_number not in response["Location"]
    assert f"ref={id_number_ref(world.li_ming.id_number)}" in response["Location"]
    assert "李明" in client.get(response["Location"], HTTP_HX_REQUEST="true").content.decode()
