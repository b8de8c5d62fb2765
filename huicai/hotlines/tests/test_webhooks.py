"""Signing and verifying as Standard Webhooks libraries do, so a hotline can use one off the shelf."""

import pytest

from huicai.hotlines import webhooks
from huicai.hotlines.webhooks import Refused

# The example of the Standard Webhooks specification's reference libraries.
SPEC_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
SPEC_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek"
SPEC_TIMESTAMP = 1614265330
SPEC_BODY = b'{"test": 2432232314}'
SPEC_SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="


def headers(signature=SPEC_SIGNATURE, webhook_id=SPEC_ID, timestamp=SPEC_TIMESTAMP):
    return {"webhook-id": webhook_id, "webhook-timestamp": str(timestamp), "webhook-signature": signature}


def test_our_signature_is_the_standard_one(settings):
    settings.HUICAI_HOTLINE_12345_SECRET = SPEC_SECRET

    (secret,) = webhooks.get_secrets("12345")

    assert webhooks.sign(secret, SPEC_ID, SPEC_TIMESTAMP, SPEC_BODY) == SPEC_SIGNATURE


def test_a_message_signed_by_a_standard_library_verifies(settings):
    settings.HUICAI_HOTLINE_12345_SECRET = SPEC_SECRET

    envelope = webhooks.verify("12345", headers(), SPEC_BODY, now=SPEC_TIMESTAMP + 10)

    assert (envelope.webhook_id, envelope.timestamp, envelope.body) == (SPEC_ID, SPEC_TIMESTAMP, SPEC_BODY)


def test_any_of_several_offered_signatures_may_match(settings):
    settings.HUICAI_HOTLINE_12345_SECRET = SPEC_SECRET
    offered = f"v1,bm90LXRoaXMtb25l {SPEC_SIGNATURE}"

    envelope = webhooks.verify("12345", headers(offered), SPEC_BODY, now=SPEC_TIMESTAMP)

    assert envelope.webhook_id == SPEC_ID


@pytest.mark.parametrize(
    "signature",
    [
        SPEC_SIGNATURE.replace("v1,", "v2,"),  # another scheme
        SPEC_SIGNATURE[:-4] + "AAA=",  # another digest
        SPEC_SIGNATURE.removeprefix("v1,"),  # no scheme
    ],
)
def test_a_wrong_signature_is_refused(settings, signature):
    settings.HUICAI_HOTLINE_12345_SECRET = SPEC_SECRET

    with pytest.raises(Refused) as caught:
        webhooks.verify("12345", headers(signature), SPEC_BODY, now=SPEC_TIMESTAMP)

    assert (caught.value.code, caught.value.status) == ("bad_signature", 401)


def test_the_id_and_timestamp_are_signed_too(settings):
    settings.HUICAI_HOTLINE_12345_SECRET = SPEC_SECRET

    with pytest.raises(Refused) as other_id:
        webhooks.verify("12345", headers(webhook_id="msg_other"), SPEC_BODY, now=SPEC_TIMESTAMP)
    with pytest.raises(Refused) as other_time:
        webhooks.verify("12345", headers(timestamp=SPEC_TIMESTAMP + 1), SPEC_BODY, now=SPEC_TIMESTAMP)

    assert other_id.value.code == other_time.value.code == "bad_signature"


def test_a_plain_secret_is_its_utf8_bytes_and_a_broken_whsec_secret_verifies_nothing(settings):
    settings.HUICAI_HOTLINE_12345_SECRET = "plain-shared-secret whsec_%%%not-base64"

    assert webhooks.get_secrets("12345") == [b"plain-shared-secret"]


def test_secrets_may_be_given_as_a_list(settings):
    settings.HUICAI_HOTLINE_PROVINCIAL_SECRET = ["new-secret", SPEC_SECRET]

    secrets = webhooks.get_secrets("provincial")

    assert secrets[0] == b"new-secret" and len(secrets) == 2


def test_a_webhook_id_outside_the_safe_alphabet_is_refused(settings):
    settings.HUICAI_HOTLINE_12345_SECRET = SPEC_SECRET

    with pytest.raises(Refused) as caught:
        webhooks.verify("12345", headers(webhook_id="msg <script>"), SPEC_BODY, now=SPEC_TIMESTAMP)

    assert caught.value.code == "missing_headers"
