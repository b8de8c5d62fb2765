"""Encryption of personal data at rest and keyed hashes for exact look-up (SECURITY.md).

Resident ID numbers and phone numbers are sensitive personal information under PIPL; they are stored
encrypted with an authenticated cipher, and found again through an HMAC of their normalised value, so the
database never holds them in clear and an equality search still works. The cipher class is chosen by the
HUICAI_CIPHER setting so that a deployment under 密评 (GB/T 39786) can plug in an SM4 backend with the same
interface.
"""

import base64
import functools
import hashlib
import hmac
import os

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string


def _decode_key(name: str, value: str) -> bytes:
    try:
        key = base64.b64decode(value, validate=True)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} is not valid base64") from exc
    if len(key) != 32:
        raise ImproperlyConfigured(f"{name} must decode to 32 bytes, got {len(key)}")
    return key


class DecryptionError(Exception):
    """A stored value could not be decrypted: wrong key, or the ciphertext was altered."""


class AesGcmCipher:
    """AES-256-GCM with a random 96-bit nonce; the token is ``v1:`` + base64(nonce ‖ ciphertext ‖ tag).

    ``associated_data`` binds a ciphertext to its column, so a value copied into another column does not
    decrypt there.
    """

    prefix = "v1:"

    def __init__(self, key: bytes):
        self._aead = AESGCM(key)

    def encrypt(self, plaintext: str, associated_data: bytes) -> str:
        nonce = os.urandom(12)
        sealed = self._aead.encrypt(nonce, plaintext.encode("utf-8"), associated_data)
        return self.prefix + base64.b64encode(nonce + sealed).decode("ascii")

    def decrypt(self, token: str, associated_data: bytes) -> str:
        if not token.startswith(self.prefix):
            raise DecryptionError("unknown ciphertext format")
        try:
            raw = base64.b64decode(token[len(self.prefix) :])
            return self._aead.decrypt(raw[:12], raw[12:], associated_data).decode("utf-8")
        except Exception as exc:  # InvalidTag, binascii errors
            raise DecryptionError("ciphertext does not authenticate") from exc


@functools.cache
def get_cipher():
    cls = import_string(settings.HUICAI_CIPHER)
    return cls(_decode_key("HUICAI_DATA_KEY", settings.HUICAI_DATA_KEY))


@functools.cache
def _lookup_key() -> bytes:
    return _decode_key("HUICAI_LOOKUP_KEY", settings.HUICAI_LOOKUP_KEY)


def lookup_hash(value: str, *, purpose: str) -> str:
    """HMAC-SHA256 of a normalised value, hex; ``purpose`` separates e.g. ID numbers from phones."""
    message = f"{purpose}:{value.strip().upper()}".encode()
    return hmac.new(_lookup_key(), message, hashlib.sha256).hexdigest()
