"""Checking uploaded files by their content, not their name (SECURITY.md uploads)."""

import hashlib
import re
import unicodedata

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# The first bytes of each accepted type. A file whose content does not start so is refused, whatever its
# name or the browser's Content-Type claim.
SIGNATURES = [
    (b"%PDF-", "application/pdf", ".pdf"),
    (b"\xff\xd8\xff", "image/jpeg", ".jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
]


def max_upload_bytes() -> int:
    return getattr(settings, "HUICAI_UPLOAD_MAX_BYTES", 10 * 1024 * 1024)


def sniff(head: bytes) -> tuple[str, str] | None:
    for signature, content_type, extension in SIGNATURES:
        if head.startswith(signature):
            return content_type, extension
    return None


def safe_name(name: str) -> str:
    """A file name safe for a Content-Disposition header: no path, no control characters, short."""
    name = unicodedata.normalize("NFC", name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = re.sub(r"[\x00-\x1f\x7f\"';]", "", name).strip(" .")
    return (name or "file")[:100]


def inspect_upload(uploaded) -> dict:
    """Validate an uploaded file; return its facts, or raise a ValidationError in Chinese."""
    if uploaded is None:
        raise ValidationError(_("请选择要上传的文件。"))
    if uploaded.size == 0:
        raise ValidationError(_("文件为空。"))
    limit = max_upload_bytes()
    if uploaded.size > limit:
        size = f"{limit / 1024 / 1024:.1f} MB" if limit >= 1024 * 1024 else f"{limit // 1024} KB"
        raise ValidationError(_("文件过大：不能超过 %(size)s。") % {"size": size}, code="too_large")
    uploaded.seek(0)
    head = uploaded.read(16)
    kind = sniff(head)
    if kind is None:
        raise ValidationError(_("只接受 PDF、JPG、PNG 文件（按文件内容判断）。"), code="bad_type")
    digest = hashlib.sha256(head)
    for chunk in iter(lambda: uploaded.read(64 * 1024), b""):
        digest.update(chunk)
    uploaded.seek(0)
    content_type, extension = kind
    return {
        "content_type": content_type,
        "extension": extension,
        "size": uploaded.size,
        "sha256": digest.hexdigest(),
        "original_name": safe_name(uploaded.name),
    }
