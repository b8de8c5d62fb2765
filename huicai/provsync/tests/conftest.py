import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from huicai.hotlines import webhooks

SECRET = "province-test-secret"


class StubProvince:
    """The provincial system for the tests: a threaded HTTP server on a free loopback port. It checks each
    request's signature as the province would (HMAC-SHA256 over id.timestamp.body with the shared
    secret), records the request and whether it verified, and answers the next status of ``statuses``
    (the last one repeats)."""

    def __init__(self, secret=SECRET):
        self.requests = []
        self.statuses = [200]
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                headers = {name.lower(): value for name, value in self.headers.items()}
                expected = webhooks.sign(
                    secret.encode(), headers["webhook-id"], int(headers["webhook-timestamp"]), body
                )
                verified = expected in headers["webhook-signature"].split()
                stub.requests.append({"headers": headers, "body": body, "verified": verified})
                status = stub.statuses.pop(0) if len(stub.statuses) > 1 else stub.statuses[0]
                self.send_response(status if verified else 401)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(b'{"ok": true}')

            def log_message(self, format, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_port}/province/changes"
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.02,), daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def province(settings):
    with StubProvince() as stub:
        settings.HUICAI_PROVINCE_SYNC_URL = stub.url
        settings.HUICAI_PROVINCE_SYNC_SECRET = SECRET
        yield stub
