"""Personal data at rest: encrypted, bound to its column, found by keyed hash, shown masked."""

import pytest
from django.db import connection

from huicai.core import crypto
from huicai.core.masking import mask_id_number, mask_phone
from huicai.talents.models import Talent


def raw_columns(talent):
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id_number, mobile, id_number_hash FROM {Talent._meta.db_table} WHERE id = %s",
            [talent.pk],
        )
        return cursor.fetchone()


def test_id_numbers_and_phones_are_stored_encrypted(world):
    stored_id, stored_mobile, stored_hash = raw_columns(world.li_ming)

    assert world.li_ming.id_number not in stored_id
    assert world.li_ming.mobile not in stored_mobile
    assert stored_id.startswith("v1:")
    assert len(stored_hash) == 64
    assert Talent.objects.get(pk=world.li_ming.pk).id_number == world.li_ming.id_number


def test_the_same_value_encrypts_differently_each_time():
    cipher = crypto.get_cipher()

    assert cipher.encrypt("371302198001010015", b"t.c") != cipher.encrypt("371302198001010015", b"t.c")


def test_a_ciphertext_moved_to_another_column_does_not_decrypt():
    cipher = crypto.get_cipher()
    token = cipher.encrypt("13812345678", b"talents_talent.mobile")

    with pytest.raises(crypto.DecryptionError):
        cipher.decrypt(token, b"talents_talent.id_number")


def test_a_tampered_ciphertext_is_refused():
    cipher = crypto.get_cipher()
    token = cipher.encrypt("13812345678", b"x")
    tampered = token[:-4] + ("AAAA" if token[-4:] != "AAAA" else "BBBB")

    with pytest.raises(crypto.DecryptionError):
        cipher.decrypt(tampered, b"x")


def test_a_talent_is_found_by_exact_id_number_through_the_hash(world):
    found = Talent.objects.with_id_number(world.li_ming.id_number.lower())

    assert list(found) == [world.li_ming]


def test_encrypted_columns_cannot_be_searched_by_value(world):
    with pytest.raises(Exception):  # noqa: B017 - Django raises FieldError for an unsupported lookup
        list(Talent.objects.filter(id_number__contains="3728"))


def test_the_lookup_hash_depends_on_the_key(settings):
    before = crypto.lookup_hash("371302198001010015", purpose="id_number")
    crypto._lookup_key.cache_clear()
    settings.HUICAI_LOOKUP_KEY = "QUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUE="
    try:
        after = crypto.lookup_hash("371302198001010015", purpose="id_number")
    finally:
        crypto._lookup_key.cache_clear()

    assert before != after


@pytest.mark.parametrize(
    "value, masked",
    [
        ("37130219800101001X", "371302********001X"),
        ("E12345678", "E1*****78"),
        ("", ""),
    ],
)
def test_id_numbers_are_masked_without_the_birth_date(value, masked):
    assert mask_id_number(value) == masked


@pytest.mark.parametrize(
    "value, masked", [("13812341234", "138****1234"), ("+8613812341234", "138****1234"), ("", "")]
)
def test_mobiles_are_masked_to_the_first_three_and_last_four_digits(value, masked):
    assert mask_phone(value) == masked
