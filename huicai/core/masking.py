"""Masked display of personal data (GB/T 35273 §7.2): lists and exports never show the whole value."""


def mask_id_number(value: str | None) -> str:
    """First 6 + ******** + last 4 for a resident ID: the birth date is never shown.

    Shorter documents (passports) keep their first 2 and last 2 characters.
    """
    if not value:
        return ""
    if len(value) >= 15:
        return f"{value[:6]}********{value[-4:]}"
    if len(value) > 4:
        return f"{value[:2]}{'*' * (len(value) - 4)}{value[-2:]}"
    return "*" * len(value)


def mask_phone(value: str | None) -> str:
    """138****1234 for a mainland mobile; other numbers keep their first 3 and last 4 digits."""
    if not value:
        return ""
    digits = value.replace(" ", "")
    if digits.startswith("+86"):
        digits = digits[3:]
    if len(digits) <= 7:
        return "*" * len(digits)
    return f"{digits[:3]}{'*' * (len(digits) - 7)}{digits[-4:]}"
