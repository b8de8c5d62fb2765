"""Model fields for personal data: encrypted text, and the keyed hash that finds it again."""

from django.db import models

from huicai.core import crypto


class EncryptedTextField(models.TextField):
    """Stores the value encrypted (see crypto.py); Python code only ever sees the clear value.

    The column is bound into the ciphertext as associated data (``table.column``), so swapping
    ciphertexts between columns or tables fails to decrypt instead of leaking.
    """

    description = "Encrypted text"

    def _aad(self) -> bytes:
        return f"{self.model._meta.db_table}.{self.column}".encode()

    def from_db_value(self, value, expression, connection):
        if value in (None, ""):
            return value
        return crypto.get_cipher().decrypt(value, self._aad())

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value in (None, ""):
            return value
        return crypto.get_cipher().encrypt(value, self._aad())

    def get_lookup(self, lookup_name):
        # Ciphertexts are randomised: only NULL checks make sense; equality goes through the hash field.
        if lookup_name not in ("isnull",):
            return None
        return super().get_lookup(lookup_name)


class LookupHashField(models.CharField):
    """HMAC of another field's value, kept in step on every insert and save (bulk_create included).

    ``pre_save`` runs for save() and for bulk_create(); a queryset update() of the source field must set
    this field too.
    """

    def __init__(self, *args, source: str = "", purpose: str = "", **kwargs):
        self.source = source
        self.purpose = purpose
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("editable", False)
        kwargs.setdefault("db_index", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"] = self.source
        kwargs["purpose"] = self.purpose
        return name, path, args, kwargs

    def pre_save(self, model_instance, add):
        value = getattr(model_instance, self.source)
        digest = crypto.lookup_hash(value, purpose=self.purpose) if value else ""
        setattr(model_instance, self.attname, digest)
        return digest
