"""A logging filter that masks anything shaped like a resident ID or a mainland mobile number.

Personal data must never reach a log in clear (SECURITY.md); this is the last line of defence behind the
rule that code does not log it in the first place.
"""

import logging
import re

ID_PATTERN = re.compile(r"(?<![0-9A-Za-z])(\d{6})\d{8}(\d{3}[\dXx])(?![0-9A-Za-z])")
PHONE_PATTERN = re.compile(r"(?<!\d)(1[3-9]\d)\d{4}(\d{4})(?!\d)")


def redact(text: str) -> str:
    text = ID_PATTERN.sub(r"\1********\2", text)
    return PHONE_PATTERN.sub(r"\1****\2", text)


class RedactPersonalDataFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string is logged as it is
            return True
        redacted = redact(message)
        if redacted != message:
            record.msg = redacted
            record.args = None
        return True
