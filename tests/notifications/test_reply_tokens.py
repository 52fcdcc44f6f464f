"""Reply addresses: a token names ticket and person, and only a MAC made with our key counts."""

import pytest

from notifications.reply_tokens import ReplyToken, reply_address, token_in, tokens_in


@pytest.fixture(autouse=True)
def mailbox(settings):
    settings.REPLY_TO_ADDRESS = "support@helpdesk.example"
    settings.SECRET_KEY = "test-key-one"


def test_an_address_names_its_ticket_and_person():
    address = reply_address(ticket_id=12, user_id=34)
    assert address.startswith("support+hd-12-34-") and address.endswith("@helpdesk.example")
    assert token_in(address) == ReplyToken(ticket_id=12, user_id=34)


def test_a_lower_cased_or_upper_cased_address_still_counts():
    address = reply_address(ticket_id=7, user_id=8)
    assert token_in(address.upper()) == token_in(address.lower()) == ReplyToken(7, 8)


@pytest.mark.parametrize("change", [
    lambda a: a.replace("hd-12-34-", "hd-13-34-"),  # another ticket with this MAC
    lambda a: a.replace("hd-12-34-", "hd-12-35-"),  # another person with this MAC
    lambda a: a[:a.index("@") - 1] + ("0" if a[a.index("@") - 1] != "0" else "1") + a[a.index("@"):],
    lambda a: a.replace("hd-12-34-", "hd-12-34-0"),  # a MAC of the wrong length
])
def test_a_changed_token_is_not_ours(change):
    assert token_in(change(reply_address(ticket_id=12, user_id=34))) is None


def test_a_token_made_with_another_key_is_not_ours(settings):
    address = reply_address(ticket_id=12, user_id=34)
    settings.SECRET_KEY = "test-key-two"
    assert token_in(address) is None


def test_tokens_are_read_from_address_headers_once_each_in_order():
    first, second = reply_address(ticket_id=1, user_id=2), reply_address(ticket_id=3, user_id=4)
    found = tokens_in(f'"Support" <{first}>, other@example.com', None, f"{second}, {first}", "")
    assert found == [ReplyToken(1, 2), ReplyToken(3, 4)]


def test_the_mailbox_defaults_to_the_sender_address(settings):
    settings.REPLY_TO_ADDRESS = ""
    settings.DEFAULT_FROM_EMAIL = "Helpdesk <desk@firma.example>"
    assert reply_address(ticket_id=1, user_id=1).startswith("desk+hd-1-1-")
