"""Sign-in beyond the password: the second factor (TOTP through django-otp) and the password's age.

After the password, a session is in one of four states, kept in the session under ``GATE_KEY`` and worked
out once, at login (or on the first request of a session made another way, e.g. the admin's login):

- ``enrol``: the person must use a second factor and has none: they enrol (QR code) before anything else;
- ``verify``: they have one: they type its current code (or a single-use recovery code);
- ``password``: the second factor is done (or not needed) but their staff password is over its age;
- ``ok``: nothing stands between them and the site.

The gate (``middleware.SignInGateMiddleware``) reads only the session, so a signed-in page costs no query
for it. We do not use django-otp's ``OTPMiddleware``: it re-reads the device on every request (a query and
a row lock per request); the session is rotated at login and deleted at logout, which is what binds the
verification to the sign-in. A manager's reset deletes the devices, so the next sign-in must enrol again.

"Remember this device today" (ISSUE 14: a working day) is a signed cookie naming the user and the device,
valid until ``HUICAI_OTP_REMEMBER_UNTIL_HOUR`` local time of the day it was set. It only skips the code:
the password is still asked. A cookie rather than a session flag because the session ends at logout and
after 30 idle minutes, and a working day has both. It is void once the device is reset (its id changes).
"""

import datetime

from django.conf import settings
from django.core import signing
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from huicai.accounts.roles import Role, get_scope

GATE_KEY = "huicai_sign_in"
OK, ENROL, VERIFY, PASSWORD = "ok", "enrol", "verify", "password"
REMEMBER_COOKIE = "huicai_otp_day"
REMEMBER_SALT = "huicai.accounts.remember-device"
RECOVERY_CODES = 10
# Staff roles: a second factor is compulsory for those listed in HUICAI_OTP_REQUIRED_ROLES, and staff
# passwords expire (SECURITY.md). Unit commissioners and talents are not staff.
STAFF_ROLES = frozenset(
    {Role.DEPARTMENT, Role.UNDERTAKING, Role.WINDOW, Role.WINDOW_MANAGER, Role.CITY_ADMIN, Role.SYSTEM_ADMIN}
)


def second_factor_required(user) -> bool:
    roles = {str(role) for role in get_scope(user).roles}
    return bool(roles & set(settings.HUICAI_OTP_REQUIRED_ROLES))


def is_staff_account(user) -> bool:
    return bool(get_scope(user).roles & STAFF_ROLES)


def confirmed_device(user):
    """The user's confirmed TOTP device, or None."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def has_second_factor(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def password_expired(user, *, at) -> bool:
    """A staff password older than HUICAI_PASSWORD_MAX_AGE_DAYS must be changed before anything else. A
    password never changed counts from the account's creation."""
    if not is_staff_account(user):
        return False
    changed = user.password_changed_at or user.date_joined
    return at - changed > datetime.timedelta(days=settings.HUICAI_PASSWORD_MAX_AGE_DAYS)


def state_after_password(user, *, at) -> str:
    """What a person who has just given the right password must still do."""
    if has_second_factor(user):
        return VERIFY
    if second_factor_required(user):
        return ENROL
    return PASSWORD if password_expired(user, at=at) else OK


def state_after_second_factor(user, *, at) -> str:
    return PASSWORD if password_expired(user, at=at) else OK


def mark_verified(request, device, *, at) -> None:
    """The session has passed the second factor with ``device`` (django-otp's own session key is set too)."""
    otp_login(request, device)
    request.session[GATE_KEY] = state_after_second_factor(request.user, at=at)


def session_state(request) -> str | None:
    return request.session.get(GATE_KEY)


def is_verified(request) -> bool:
    return bool(request.session.get(DEVICE_ID_SESSION_KEY))


def verify_code(user, code: str):
    """The device (TOTP, else the recovery codes) that accepts ``code``, or None. django-otp throttles
    repeated failures per device; a recovery code is deleted when used (single use)."""
    code = "".join((code or "").split())
    if not code:
        return None
    device = confirmed_device(user)
    if device is not None and code.isdigit() and device.verify_token(code):
        return device
    for static in StaticDevice.objects.filter(user=user, confirmed=True):
        if static.verify_token(code):
            return static
    return None


def new_totp_device(user) -> TOTPDevice:
    """The unconfirmed device an enrolment shows as a QR code (one per user: a reload shows the same)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="TOTP", confirmed=False)
    return device


def qr_svg(device) -> str:
    import segno

    return segno.make(device.config_url, error="m").svg_inline(scale=4)


def secret_text(device) -> str:
    """The key in base32, grouped by four, for typing into an app by hand."""
    from base64 import b32encode

    key = b32encode(device.bin_key).decode()
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def issue_recovery_codes(user) -> list[str]:
    """Replace the user's recovery codes with RECOVERY_CODES new single-use ones; shown once."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="recovery", confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


def remember_until(at) -> datetime.datetime | None:
    """When a device remembered at ``at`` stops being remembered: the configured hour that day (local)."""
    local = timezone.localtime(at)
    hour = settings.HUICAI_OTP_REMEMBER_UNTIL_HOUR
    end_of_day = local.replace(hour=0, minute=0, second=0, microsecond=0) + datetime.timedelta(hours=hour)
    return end_of_day if end_of_day > local else None


def remember_cookie(user, device, *, at) -> tuple[str, datetime.datetime] | None:
    until = remember_until(at)
    if until is None:
        return None
    value = signing.dumps(
        {"u": user.pk, "d": device.persistent_id, "until": until.timestamp()}, salt=REMEMBER_SALT
    )
    return value, until


def remembered_device(request, user, *, at):
    """The device a valid "remember this device today" cookie names for ``user``, or None."""
    raw = request.COOKIES.get(REMEMBER_COOKIE)
    if not raw:
        return None
    try:
        value = signing.loads(raw, salt=REMEMBER_SALT)
    except signing.BadSignature:
        return None
    if value.get("u") != user.pk or at.timestamp() >= value.get("until", 0):
        return None
    device = confirmed_device(user)
    if device is None or device.persistent_id != value.get("d"):
        return None
    return device
