"""A conversation's Participants, Messages and scoped Webhooks, at the top level
(the default service) and under ``/v1/Services/{IS}``.

Pairs: one participant of a non-closed conversation binds an (address, proxy
address) pair (https://www.twilio.com/docs/api/errors/50416); the address may
not be the proxy address (50409). A message moves an inactive conversation back
to active (https://www.twilio.com/docs/conversations/states-timers).
"""

from __future__ import annotations

import pytest
from support.emulator import EmulatorHandle, list_error
from twilio.base.exceptions import TwilioRestException
from twilio.rest import Client

CUSTOMER = "+15558675310"


@pytest.fixture
def client(emulator: EmulatorHandle) -> Client:
    client = emulator.client()
    client.conversations.v1.configuration().update(default_chat_service_sid=emulator.service_sid)
    return client


def test_sms_and_chat_participants(emulator: EmulatorHandle, client: Client) -> None:
    conversation = client.conversations.v1.conversations.create(friendly_name="Support")
    participants = client.conversations.v1.conversations(conversation.sid).participants
    sms = participants.create(
        messaging_binding_address=CUSTOMER,
        messaging_binding_proxy_address=emulator.number.phone_number,
    )
    assert sms.sid.startswith("MB") and sms.identity is None
    assert sms.messaging_binding == {
        "type": "sms",
        "address": CUSTOMER,
        "proxy_address": emulator.number.phone_number,
    }
    assert sms.url == (
        f"{emulator.base_url}/conversations/v1/Conversations/{conversation.sid}"
        f"/Participants/{sms.sid}"
    )
    agent = participants.create(identity="agent-7", attributes='{"role": "agent"}')
    assert (agent.messaging_binding, agent.attributes) == (None, '{"role": "agent"}')
    # {Sid} may be the identity.
    assert participants("agent-7").fetch().sid == agent.sid
    assert participants(sms.sid).fetch().conversation_sid == conversation.sid
    assert [p.sid for p in participants.list(page_size=1)] == [sms.sid, agent.sid]

    for params, status, code, named in (
        ({}, 400, 20001, "Identity"),
        ({"identity": "agent-7"}, 400, 20001, "agent-7"),
        ({"messaging_binding_address": CUSTOMER}, 400, 20001, "ProxyAddress"),
        (
            {"messaging_binding_address": "555-0100", "messaging_binding_proxy_address": CUSTOMER},
            400,
            20001,
            "MessagingBinding.Address",
        ),
        (
            {"messaging_binding_address": CUSTOMER, "messaging_binding_proxy_address": CUSTOMER},
            400,
            50409,
            CUSTOMER,
        ),
    ):
        with pytest.raises(TwilioRestException) as err:
            participants.create(**params)
        assert (err.value.status, err.value.code) == (status, code)
        assert named in err.value.msg
    with pytest.raises(TwilioRestException) as err:
        participants("MB" + "0" * 32).fetch()
    assert (err.value.status, err.value.code) == (404, 20404)


def test_a_pair_binds_one_open_conversation(emulator: EmulatorHandle, client: Client) -> None:
    v1 = client.conversations.v1
    pair = {
        "messaging_binding_address": CUSTOMER,
        "messaging_binding_proxy_address": emulator.number.phone_number,
    }
    first = v1.conversations.create(friendly_name="First")
    bound = v1.conversations(first.sid).participants.create(**pair)
    # Another conversation, even in another service, cannot take the pair...
    other = v1.services.create(friendly_name="Other")
    elsewhere = v1.services(other.sid).conversations.create(friendly_name="Elsewhere")
    with pytest.raises(TwilioRestException) as err:
        v1.services(other.sid).conversations(elsewhere.sid).participants.create(**pair)
    assert (err.value.status, err.value.code) == (400, 50416)
    assert first.sid in err.value.msg
    # ... while the first is inactive either; closing it frees the pair.
    v1.conversations(first.sid).update(state="inactive")
    with pytest.raises(TwilioRestException) as err:
        v1.services(other.sid).conversations(elsewhere.sid).participants.create(**pair)
    assert err.value.code == 50416
    v1.conversations(first.sid).update(state="closed")
    taken = v1.services(other.sid).conversations(elsewhere.sid).participants.create(**pair)
    assert taken.chat_service_sid == other.sid

    # Removing the participant frees it too; a closed conversation takes none.
    v1.services(other.sid).conversations(elsewhere.sid).participants(taken.sid).delete()
    third = v1.conversations.create(friendly_name="Third")
    v1.conversations(third.sid).participants.create(**pair)
    with pytest.raises(TwilioRestException) as err:
        v1.conversations(first.sid).participants.create(identity="late")
    assert err.value.code == 50377
    # The closed conversation keeps its participant, visible as before.
    assert v1.conversations(first.sid).participants(bound.sid).fetch().messaging_binding == {
        "type": "sms",
        "address": CUSTOMER,
        "proxy_address": emulator.number.phone_number,
    }
    # Another account has its own pairs.
    other_v1 = emulator.other_client().conversations.v1
    theirs = other_v1.services.create(friendly_name="Theirs")
    their_conversation = other_v1.services(theirs.sid).conversations.create()
    other_v1.services(theirs.sid).conversations(their_conversation.sid).participants.create(**pair)


def test_messages(emulator: EmulatorHandle, client: Client) -> None:
    v1 = client.conversations.v1
    conversation = v1.conversations.create(friendly_name="Support")
    customer = v1.conversations(conversation.sid).participants.create(
        messaging_binding_address=CUSTOMER,
        messaging_binding_proxy_address=emulator.number.phone_number,
    )
    messages = v1.conversations(conversation.sid).messages
    first = messages.create(author=CUSTOMER, body="My order is late")
    assert (first.index, first.author, first.participant_sid) == (0, CUSTOMER, customer.sid)
    assert first.sid.startswith("IM") and first.attributes == "{}" and first.media is None
    assert first.links["delivery_receipts"] == f"{first.url}/Receipts"
    system = messages.create(body="An agent will reply soon", attributes='{"auto": true}')
    assert (system.index, system.author, system.participant_sid) == (1, "system", None)
    third = messages.create(author="agent-7", body="Hello, looking into it")

    assert [m.index for m in messages.list(page_size=2)] == [0, 1, 2]
    assert [m.index for m in messages.list(order="desc", page_size=2)] == [2, 1, 0]
    assert messages(third.sid).fetch().body == "Hello, looking into it"
    page = messages.page(order="desc", page_size=1)
    assert "Order=desc" in page._payload["meta"]["next_page_url"]

    # A message reactivates an inactive conversation; a closed one takes none.
    v1.conversations(conversation.sid).update(state="inactive")
    messages.create(author=CUSTOMER, body="Anyone?")
    assert v1.conversations(conversation.sid).fetch().state == "active"
    v1.conversations(conversation.sid).update(state="closed")
    with pytest.raises(TwilioRestException) as err:
        messages.create(author=CUSTOMER, body="Hello?")
    assert (err.value.status, err.value.code) == (400, 50377)
    for params, named in (
        ({"body": "x" * 1601}, "Body"),
        ({"author": "a"}, "Body"),
        ({"body": "hi", "attributes": "[1,"}, "Attributes"),
    ):
        other = v1.conversations.create()
        with pytest.raises(TwilioRestException) as err:
            v1.conversations(other.sid).messages.create(**params)
        assert named in err.value.msg
    status, body = list_error(lambda: messages.list(order="sideways"))
    assert (status, body["code"]) == (400, 20001) and "Order" in body["message"]
    with pytest.raises(TwilioRestException) as err:
        messages("IM" + "0" * 32).fetch()
    assert err.value.status == 404


def test_service_scoped_children_name_their_service(
    emulator: EmulatorHandle, client: Client
) -> None:
    service = client.conversations.v1.services(emulator.service_sid)
    conversation = service.conversations.create(friendly_name="Scoped")
    participant = service.conversations(conversation.sid).participants.create(identity="alice")
    message = service.conversations(conversation.sid).messages.create(author="alice", body="Hi")
    root = (
        f"{emulator.base_url}/conversations/v1/Services/{emulator.service_sid}"
        f"/Conversations/{conversation.sid}"
    )
    assert (participant.chat_service_sid, participant.url) == (
        emulator.service_sid,
        f"{root}/Participants/{participant.sid}",
    )
    assert (message.chat_service_sid, message.participant_sid) == (
        emulator.service_sid,
        participant.sid,
    )
    listed = service.conversations(conversation.sid).messages.list()
    assert [m.url for m in listed] == [f"{root}/Messages/{message.sid}"]
    # The same conversation at the top level (the default service) answers there.
    top = client.conversations.v1.conversations(conversation.sid).participants(participant.sid)
    assert top.fetch().url.startswith(f"{emulator.base_url}/conversations/v1/Conversations/")


def test_scoped_webhooks(emulator: EmulatorHandle, client: Client) -> None:
    v1 = client.conversations.v1
    conversation = v1.conversations.create(friendly_name="Routed")
    webhooks = v1.conversations(conversation.sid).webhooks
    studio = webhooks.create(target="studio", configuration_flow_sid=emulator.flow_sid)
    assert studio.sid.startswith("WH")
    assert (studio.target, studio.configuration) == ("studio", {"flow_sid": emulator.flow_sid})
    hook = webhooks.create(
        target="webhook",
        configuration_url="https://hooks.example.com/conversations",
        configuration_method="post",
        configuration_filters=["onMessageAdded", "onParticipantAdded"],
    )
    assert hook.configuration == {
        "url": "https://hooks.example.com/conversations",
        "method": "post",
        "filters": ["onMessageAdded", "onParticipantAdded"],
    }
    assert webhooks(hook.sid).fetch().target == "webhook"
    for _ in range(4):
        webhooks.create(target="trigger", configuration_url="https://hooks.example.com/t")
    page = webhooks.page()
    assert len(list(page)) == 5 and page._payload["meta"]["page_size"] == 5
    assert len(webhooks.list()) == 6
    status, body = list_error(lambda: webhooks.list(page_size=6))
    assert (status, body["code"]) == (400, 20007)

    for params, code in (
        ({"target": "email"}, 50364),
        ({"target": "studio"}, 50367),
        ({"target": "studio", "configuration_flow_sid": "FW123"}, 50367),
        ({"target": "webhook"}, 50369),
        (
            {
                "target": "webhook",
                "configuration_url": "https://hooks.example.com",
                "configuration_filters": ["onMessageSent"],
            },
            50365,
        ),
    ):
        with pytest.raises(TwilioRestException) as err:
            webhooks.create(**params)
        assert (err.value.status, err.value.code) == (400, code)
    with pytest.raises(TwilioRestException) as err:
        webhooks.create(target="studio", configuration_flow_sid="FW" + "0" * 32)
    assert err.value.status == 404
    assert webhooks(hook.sid).delete() is True
    with pytest.raises(TwilioRestException) as err:
        webhooks(hook.sid).fetch()
    assert (err.value.status, err.value.code) == (404, 20404)
