"""Well-formed identifiers for demo and test data, with check digits from python-stdnum."""

import datetime

from stdnum.cn import ric, uscc

_USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def make_resident_id(division_code: str, birth: datetime.date, serial: int) -> str:
    """An 18-character resident ID: division, birth date, a 3-digit serial and its check digit."""
    body = f"{division_code}{birth:%Y%m%d}{serial % 1000:03d}"
    # calc_check_digit expects the full 18 characters and ignores the last one.
    return body + ric.calc_check_digit(body + "0")


def make_credit_code(division_code: str, serial: int) -> str:
    """A unified social credit code for an enterprise (91) registered in ``division_code``."""
    digits = []
    value = serial
    for _ in range(9):
        digits.append(_USCC_ALPHABET[value % len(_USCC_ALPHABET)])
        value //= len(_USCC_ALPHABET)
    body = f"91{division_code}{''.join(reversed(digits))}"
    return body + uscc.calc_check_digit(body)


def make_mobile(serial: int) -> str:
    """A valid mainland mobile number in the 138 range."""
    return f"138{serial % 100_000_000:08d}"
