"""The conversations backend's methods the inbound-SMS simulation calls, without HTTP.

Twilio's rules they keep (docs/emulator.md, "Conversations"): a conversation is
created in a service with the account's defaults copied; one participant of a
non-closed conversation binds an (address, proxy address) pair in an account
(50416); closing, deleting or timing out frees it; closed is final (50377); an
inactive conversation is reactivated by a message. A fixed clock drives the timers.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from pulumi_flex_sms.emulator import errors
from pulumi_flex_sms.emulator.backend import Backend
from pulumi_flex_sms.emulator.conversations.backend import ConversationsBackend
from pulumi_flex_sms.emulator.params import Form
from pulumi_flex_sms.emulator.store import Store

AC, OTHER = "AC" + "1" * 32, "AC" + "9" * 32
CUSTOMER, NUMBER = "+15558675310", "+15005550001"
START = 1_700_000_000


class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def backend(clock: Clock) -> Iterator[Backend]:
    store = Store()
    backend = Backend(store, AC, "token", clock=clock)
    backend.accounts.add_account(OTHER, "other-token", None)
    yield backend
    store.close()


@pytest.fixture
def conversations(backend: Backend) -> ConversationsBackend:
    return backend.conversations


def service(conversations: ConversationsBackend, account: str = AC) -> str:
    sid: str = conversations.create_service(account, Form.of(FriendlyName="Flex"))["sid"]
    return sid


def test_a_conversation_copies_the_account_defaults_at_creation(
    conversations: ConversationsBackend,
) -> None:
    flex = service(conversations)
    conversations.update_configuration(
        AC,
        Form.of(
            DefaultChatServiceSid=flex,
            DefaultMessagingServiceSid="MG" + "a" * 32,
            DefaultInactiveTimer="PT5M",
            DefaultClosedTimer="PT1H",
        ),
    )
    first = conversations.create_conversation(AC, flex)
    assert first["timers"] == {"inactive": "PT5M", "closed": "PT1H"}
    assert first["messaging_service_sid"] == "MG" + "a" * 32
    assert (first["state"], first["chat_service_sid"]) == ("active", flex)

    # Later defaults are not retroactive; an explicit service and timers win.
    conversations.update_configuration(AC, Form.of(DefaultClosedTimer="PT0S"))
    assert conversations.get_conversation(AC, first["sid"])["timers"]["closed"] == "PT1H"
    second = conversations.create_conversation(
        AC, flex, messaging_service_sid="MG" + "b" * 32, timers={"inactive": "PT2M"}
    )
    assert second["timers"] == {"inactive": "PT2M", "closed": None}
    assert second["messaging_service_sid"] == "MG" + "b" * 32
    assert conversations.create_conversation(AC, flex)["timers"]["closed"] is None


def test_a_conversation_needs_a_service_of_its_account(conversations: ConversationsBackend) -> None:
    theirs = service(conversations, OTHER)
    for sid in (theirs, "IS" + "0" * 32):
        with pytest.raises(errors.NotFound) as err:
            conversations.create_conversation(AC, sid)
        assert sid in err.value.message
    with pytest.raises(errors.InvalidParameter) as err:
        conversations.create_conversation(AC, service(conversations), timers={"inactive": "PT30S"})
    assert err.value.code == 50375


def test_one_non_closed_conversation_binds_a_pair_in_an_account(
    conversations: ConversationsBackend,
) -> None:
    one, two = service(conversations), service(conversations)
    first = conversations.create_conversation(AC, one)
    participant = conversations.add_sms_participant(AC, first["sid"], CUSTOMER, NUMBER)
    assert participant["messaging_binding"] == {
        "type": "sms",
        "address": CUSTOMER,
        "proxy_address": NUMBER,
    }
    bound = conversations.find_bound_conversation(AC, CUSTOMER, NUMBER)
    assert bound is not None
    assert (bound.conversation["sid"], bound.participant["sid"]) == (
        first["sid"],
        participant["sid"],
    )
    assert conversations.find_bound_conversation(AC, CUSTOMER, "+15005550002") is None

    # Another service of the same account: still taken.
    second = conversations.create_conversation(AC, two)
    with pytest.raises(errors.BadRequest) as err:
        conversations.add_sms_participant(AC, second["sid"], CUSTOMER, NUMBER)
    assert (err.value.status, err.value.code) == (400, 50416)
    assert first["sid"] in err.value.message
    # The same customer on another number is another pair.
    conversations.add_sms_participant(AC, second["sid"], CUSTOMER, "+15005550002")

    # Another account is another system of pairs.
    theirs = conversations.create_conversation(OTHER, service(conversations, OTHER))
    conversations.add_sms_participant(OTHER, theirs["sid"], CUSTOMER, NUMBER)
    assert conversations.find_bound_conversation(OTHER, CUSTOMER, NUMBER) is not None


def test_closing_frees_the_pair_and_is_final(conversations: ConversationsBackend) -> None:
    flex = service(conversations)
    first = conversations.create_conversation(AC, flex)
    conversations.add_sms_participant(AC, first["sid"], CUSTOMER, NUMBER)
    closed = conversations.set_conversation_state(AC, first["sid"], "closed")
    assert closed["state"] == "closed"
    assert conversations.find_bound_conversation(AC, CUSTOMER, NUMBER) is None

    for attempt in (
        lambda: conversations.set_conversation_state(AC, first["sid"], "active"),
        lambda: conversations.add_message(AC, first["sid"], body="late", author=CUSTOMER),
        lambda: conversations.add_sms_participant(AC, first["sid"], "+15550000000", NUMBER),
        lambda: conversations.attach_conversation_webhook(
            AC, first["sid"], target="webhook", url="https://hooks.example.com/in"
        ),
    ):
        with pytest.raises(errors.BadRequest) as err:
            attempt()
        assert (err.value.status, err.value.code) == (400, 50377)

    # The next message from the pair lands in a new conversation.
    second = conversations.create_conversation(AC, flex)
    conversations.add_sms_participant(AC, second["sid"], CUSTOMER, NUMBER)
    bound = conversations.find_bound_conversation(AC, CUSTOMER, NUMBER)
    assert bound is not None and bound.conversation["sid"] == second["sid"]


def test_deleting_a_conversation_or_its_participant_frees_the_pair(
    conversations: ConversationsBackend,
) -> None:
    flex = service(conversations)
    conversations.update_configuration(AC, Form.of(DefaultChatServiceSid=flex))
    first = conversations.create_conversation(AC, flex)
    participant = conversations.add_sms_participant(AC, first["sid"], CUSTOMER, NUMBER)
    conversations.delete_participant(AC, None, first["sid"], participant["sid"])
    assert conversations.find_bound_conversation(AC, CUSTOMER, NUMBER) is None
    conversations.add_sms_participant(AC, first["sid"], CUSTOMER, NUMBER)
    conversations.delete_conversation(AC, None, first["sid"])
    assert conversations.find_bound_conversation(AC, CUSTOMER, NUMBER) is None
    with pytest.raises(errors.NotFound):
        conversations.get_conversation(AC, first["sid"])


def test_messages_take_the_next_index_and_reactivate(conversations: ConversationsBackend) -> None:
    conversation = conversations.create_conversation(AC, service(conversations))
    participant = conversations.add_sms_participant(AC, conversation["sid"], CUSTOMER, NUMBER)
    first = conversations.add_message(
        AC, conversation["sid"], body="Hello", author=CUSTOMER, source="SMS"
    )
    assert (first["index"], first["participant_sid"], first["source"]) == (
        0,
        participant["sid"],
        "SMS",
    )
    system = conversations.add_message(AC, conversation["sid"], body="Welcome")
    assert (system["index"], system["author"], system["participant_sid"]) == (1, "system", None)

    conversations.set_conversation_state(AC, conversation["sid"], "inactive")
    bound = conversations.find_bound_conversation(AC, CUSTOMER, NUMBER)
    assert bound is not None and bound.conversation["state"] == "inactive"  # inactive binds
    conversations.add_message(
        AC,
        conversation["sid"],
        body="Back",
        author=CUSTOMER,
        participant_sid=participant["sid"],
        source="SMS",
    )
    assert conversations.get_conversation(AC, conversation["sid"])["state"] == "active"

    with pytest.raises(errors.NotFound):
        conversations.add_message(
            AC, conversation["sid"], body="x", participant_sid="MB" + "0" * 32
        )
    with pytest.raises(errors.InvalidParameter) as err:
        conversations.add_message(AC, conversation["sid"], body="x" * 1601)
    assert err.value.parameter == "Body"


def test_timers_run_from_the_last_activity(
    conversations: ConversationsBackend, clock: Clock
) -> None:
    conversation = conversations.create_conversation(
        AC, service(conversations), timers={"inactive": "PT1M", "closed": "PT10M"}
    )
    conversations.add_sms_participant(AC, conversation["sid"], CUSTOMER, NUMBER)
    clock.now += 59
    assert conversations.get_conversation(AC, conversation["sid"])["state"] == "active"
    clock.now += 1
    inactive = conversations.get_conversation(AC, conversation["sid"])
    assert (inactive["state"], inactive["date_updated"]) == ("inactive", START + 60)

    # A message reactivates it and restarts both timers: at 10 minutes from the
    # start it is inactive again (1 minute after the message), not closed.
    clock.now = START + 9 * 60
    conversations.add_message(AC, conversation["sid"], body="Still there?", author=CUSTOMER)
    assert conversations.get_conversation(AC, conversation["sid"])["state"] == "active"
    clock.now = START + 10 * 60
    assert conversations.get_conversation(AC, conversation["sid"])["state"] == "inactive"

    # The close timer frees the pair as closing does.
    clock.now = START + 19 * 60
    assert conversations.find_bound_conversation(AC, CUSTOMER, NUMBER) is None
    closed = conversations.get_conversation(AC, conversation["sid"])
    assert (closed["state"], closed["date_updated"]) == ("closed", START + 19 * 60)


def test_a_refused_participant_writes_nothing_in_the_callers_transaction(
    backend: Backend,
) -> None:
    conversations = backend.conversations
    flex = service(conversations)
    first = conversations.create_conversation(AC, flex)
    conversations.add_sms_participant(AC, first["sid"], CUSTOMER, NUMBER)
    second = conversations.create_conversation(AC, flex)
    with backend.store.transaction():
        with pytest.raises(errors.BadRequest):
            conversations.add_sms_participant(AC, second["sid"], CUSTOMER, NUMBER)
        with pytest.raises(errors.InvalidParameter) as err:
            conversations.add_sms_participant(AC, second["sid"], NUMBER, NUMBER)
        assert err.value.code == 50409
    assert conversations.participants_of(AC, second["sid"]) == []


def test_scoped_webhooks_record_the_integration(
    backend: Backend, conversations: ConversationsBackend
) -> None:
    flow = backend.studio.create_flow(
        AC, Form.of(FriendlyName="Flex", Status="published", Definition="{}")
    )
    conversation = conversations.create_conversation(AC, service(conversations))
    studio = conversations.attach_conversation_webhook(
        AC, conversation["sid"], target="studio", flow_sid=flow["sid"]
    )
    hook = conversations.attach_conversation_webhook(
        AC,
        conversation["sid"],
        target="webhook",
        url="https://hooks.example.com/in",
        method="post",
        filters=["onMessageAdded"],
    )
    assert studio["configuration"] == {"flow_sid": flow["sid"]}
    assert hook["configuration"] == {
        "url": "https://hooks.example.com/in",
        "method": "post",
        "filters": ["onMessageAdded"],
    }
    assert [w["sid"] for w in conversations.conversation_webhooks(AC, conversation["sid"])] == [
        studio["sid"],
        hook["sid"],
    ]
    cases = [
        ({"target": "email"}, 50364),
        ({"target": "studio"}, 50367),
        ({"target": "studio", "flow_sid": "FW123"}, 50367),
        ({"target": "webhook"}, 50369),
        ({"target": "webhook", "url": "https://x.example", "filters": ["onMessageSent"]}, 50365),
    ]
    for arguments, code in cases:
        with pytest.raises(errors.BadRequest) as err:
            conversations.attach_conversation_webhook(AC, conversation["sid"], **arguments)  # type: ignore[arg-type]
        assert err.value.code == code
    with pytest.raises(errors.NotFound):
        conversations.attach_conversation_webhook(
            AC, conversation["sid"], target="studio", flow_sid="FW" + "0" * 32
        )
