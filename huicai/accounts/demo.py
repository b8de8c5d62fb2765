"""Demo data of accounts: the second factor of the demo's staff logins (loaded by ``huicai/demo.py``)."""

# The demo's staff logins sign in with a second factor like production: one shared TOTP key, public on
# purpose (demo mode only), printed by ``manage.py demo_logins`` to add to an authenticator app, which
# also prints the code of the moment.
DEMO_TOTP_KEY = "3132333435363738393031323334353637383930"
DEMO_STAFF_LOGINS = ["window", "window2", "dept", "undertaking", "city", "admin"]
# The other staff logins of the demo, one per window, department and institution (window_371311, dept_42,
# undertaking_3, city_staff), share the same key, so every staff login in the README signs in alike.
DEMO_STAFF_PREFIXES = ("window_", "dept_", "undertaking_")


def is_demo_staff_login(username: str) -> bool:
    return (
        username in DEMO_STAFF_LOGINS or username == "city_staff" or username.startswith(DEMO_STAFF_PREFIXES)
    )


def demo_totp_code(*, at=None) -> str:
    """The demo key's code now (or at ``at``), as an authenticator app would show it."""
    import time

    from django_otp.oath import TOTP

    code = TOTP(bytes.fromhex(DEMO_TOTP_KEY))
    code.time = at.timestamp() if at is not None else time.time()
    return f"{code.token():06d}"
