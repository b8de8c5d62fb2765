"""Driving Debian's chromium through Playwright: shared by the browser tests and ``manage.py screenshots``.

No browser is downloaded (``playwright install`` is never run): the system's /usr/bin/chromium is launched
headless with the flags below, which keep it from reaching the network on its own.
"""

from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 900}


def chromium_missing() -> str | None:
    """Why the browser cannot run here, or None when it can."""
    if not CHROMIUM.exists():
        return f"{CHROMIUM} is not installed (apt-get install -y chromium)"
    try:
        import playwright  # noqa: F401
    except ImportError:
        return "playwright is not installed (pip install playwright)"
    return None


def launch(playwright, *, extra_args=()):
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=[*ARGS, *extra_args], headless=True)


def sign_in(context, base_url, username, password, code=None):
    """A new page in ``context``, signed in through the login form and, when the account asks for one,
    the second factor (``code()`` gives the authenticator's current code), on the page the login leads to."""
    page = context.new_page()
    page.goto(f"{base_url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    if "/accounts/second-factor/" in page.url and "/enrol/" not in page.url and code is not None:
        page.fill("#id_code", code())
        page.click("button[type=submit].primary")
        page.wait_for_url(lambda url: "/accounts/second-factor/" not in url)
    return page
