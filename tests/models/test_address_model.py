"""The FlexSmsAddress input model: normalisation, refusals, diffs and Twilio parameters."""

from __future__ import annotations

from typing import Any

import pytest
from pulumi.output import Unknown
from support.auto_creation import FLOW_SID, studio

from pulumi_flex_sms.identifiers import MESSAGE_LIMIT
from pulumi_flex_sms.keys import to_python_name
from pulumi_flex_sms.models.address import (
    check_address,
    create_params,
    effective,
    live_state,
    update_params,
)

FLOW = FLOW_SID
SERVICE = "IS" + "b" * 32


def webhook(**extra: Any) -> dict[str, Any]:
    return {
        "enabled": True,
        "type": "webhook",
        "webhookUrl": "https://hooks.example.com/in",
        **extra,
    }


def test_normalises_number_type_method_filters_and_retry_count() -> None:
    checked, problems = check_address(
        {
            "address": "+1 (311) 555-2368",
            "addressCountry": "us",
            "autoCreation": webhook(
                type="WebHook",
                webhookMethod="post",
                webhookFilters=["onParticipantAdded", "onmessageadded", "onMessageAdded"],
            ),
        }
    )
    assert problems == []
    assert checked["address"] == "+13115552368"
    assert checked["addressCountry"] == "US"
    ac = checked["autoCreation"]
    assert ac["type"] == "webhook"
    assert ac["webhookMethod"] == "POST"
    assert ac["webhookFilters"] == ["onMessageAdded", "onParticipantAdded"]
    assert checked["adoptExisting"] is False


def test_retry_count_arrives_as_float_over_grpc_and_becomes_int() -> None:
    checked, problems = check_address(
        {"address": "+13115552368", "autoCreation": studio(studioRetryCount=3.0)}
    )
    assert problems == []
    assert checked["autoCreation"]["studioRetryCount"] == 3
    assert isinstance(checked["autoCreation"]["studioRetryCount"], int)


@pytest.mark.parametrize(
    ("props", "prop", "words"),
    [
        ({}, "address", "is required"),
        ({"address": "3115552368"}, "address", "E.164"),
        ({"address": "+1311555236812345"}, "address", "E.164"),
        ({"address": "+13115552368", "friendlyName": "x" * 257}, "friendlyName", "256"),
        ({"address": "+13115552368", "addressCountry": "USA"}, "addressCountry", "alpha-2"),
        (
            {"address": "+13115552368", "autoCreation": {"type": "studio"}},
            "autoCreation.enabled",
            "required",
        ),
        (
            {"address": "+13115552368", "autoCreation": {"enabled": True}},
            "autoCreation.type",
            "required",
        ),
        (
            {"address": "+13115552368", "autoCreation": {"enabled": True, "type": "flex"}},
            "autoCreation.type",
            "one of",
        ),
        (
            {"address": "+13115552368", "autoCreation": {"enabled": True, "type": "studio"}},
            "autoCreation.studioFlowSid",
            "required for type 'studio'",
        ),
        (
            {"address": "+13115552368", "autoCreation": {"enabled": True, "type": "webhook"}},
            "autoCreation.webhookUrl",
            "required for type 'webhook'",
        ),
        (
            {"address": "+13115552368", "autoCreation": studio(studioFlowSid="FW123")},
            "autoCreation.studioFlowSid",
            "32 hex",
        ),
        (
            {
                "address": "+13115552368",
                "autoCreation": studio(conversationServiceSid="MG" + "1" * 32),
            },
            "autoCreation.conversationServiceSid",
            "'IS'",
        ),
        (
            {"address": "+13115552368", "autoCreation": studio(studioRetryCount=4)},
            "autoCreation.studioRetryCount",
            "0 to 3",
        ),
        (
            {"address": "+13115552368", "autoCreation": studio(studioRetryCount=-1)},
            "autoCreation.studioRetryCount",
            "0 to 3",
        ),
        (
            {"address": "+13115552368", "autoCreation": studio(studioRetryCount=1.5)},
            "autoCreation.studioRetryCount",
            "whole number",
        ),
        (
            {"address": "+13115552368", "autoCreation": studio(webhookUrl="https://x.example")},
            "autoCreation.webhookUrl",
            "not used by type 'studio'",
        ),
        (
            {"address": "+13115552368", "autoCreation": webhook(studioFlowSid=FLOW)},
            "autoCreation.studioFlowSid",
            "not used by type 'webhook'",
        ),
        (
            {
                "address": "+13115552368",
                "autoCreation": {
                    "enabled": True,
                    "type": "default",
                    "webhookFilters": ["onMessageAdded"],
                },
            },
            "autoCreation.webhookFilters",
            "not used by type 'default'",
        ),
        (
            {
                "address": "+13115552368",
                "autoCreation": webhook(webhookUrl="http://hooks.example.com"),
            },
            "autoCreation.webhookUrl",
            "https://",
        ),
        (
            {"address": "+13115552368", "autoCreation": webhook(webhookUrl="not a url")},
            "autoCreation.webhookUrl",
            "https://",
        ),
        (
            {"address": "+13115552368", "autoCreation": webhook(webhookMethod="PUT")},
            "autoCreation.webhookMethod",
            "'GET' or 'POST'",
        ),
        (
            {
                "address": "+13115552368",
                "autoCreation": webhook(webhookFilters=["onConversationAdded"]),
            },
            "autoCreation.webhookFilters",
            "onMessageAdded",
        ),
        (
            {"address": "+13115552368", "autoCreation": {**studio(), "enabled": "maybe"}},
            "autoCreation.enabled",
            "true or false",
        ),
        (
            {"address": "+13115552368", "autoCreation": {**studio(), "studioFlowId": FLOW}},
            "autoCreation.studioFlowId",
            "did you mean 'studio_flow_sid'",
        ),
        (
            {"address": "+13115552368", "autoCreation": "studio"},
            "autoCreation",
            "must be an object",
        ),
        ({"address": "+13115552368", "adress": "+1"}, "adress", "did you mean 'address'"),
    ],
)
def test_bad_input_names_the_property_and_the_fix(
    props: dict[str, Any], prop: str, words: str
) -> None:
    _, problems = check_address(props)
    assert prop in [p for p, _ in problems], problems
    reason = dict(problems)[prop]
    assert words in reason
    # The reason starts with the Python keyword the user wrote, not the state key.
    assert reason.startswith(to_python_name(prop)), reason


def test_error_messages_never_echo_webhook_credentials() -> None:
    _, problems = check_address(
        {
            "address": "+13115552368",
            "autoCreation": webhook(webhookUrl="http://alice:s3cret@hooks.example.com/x"),
        }
    )
    text = " ".join(reason for _, reason in problems)
    assert "webhook_url" in text
    assert "s3cret" not in text and "alice" not in text


def test_unknown_values_pass_through_untouched_and_skip_the_rules_they_feed() -> None:
    unknown_type, unknown_url = Unknown(), Unknown()
    checked, problems = check_address(
        {
            "address": "+13115552368",
            "autoCreation": {"enabled": True, "type": unknown_type, "webhookUrl": unknown_url},
        }
    )
    assert problems == []
    assert checked["autoCreation"]["type"] is unknown_type
    assert checked["autoCreation"]["webhookUrl"] is unknown_url

    whole = Unknown()
    checked, problems = check_address({"address": Unknown(), "autoCreation": whole})
    assert problems == []
    assert checked["autoCreation"] is whole


def test_known_values_next_to_unknowns_are_still_checked() -> None:
    _, problems = check_address(
        {
            "address": Unknown(),
            "autoCreation": {"enabled": True, "type": "studio", "studioFlowSid": "nope"},
        }
    )
    assert [p for p, _ in problems] == ["autoCreation.studioFlowSid"]


def test_twilio_echo_does_not_look_like_a_change() -> None:
    checked, _ = check_address(
        {
            "address": "+13115552368",
            "autoCreation": webhook(webhookFilters=["onMessageAdded", "onParticipantAdded"]),
        }
    )
    echo = live_state(
        {
            "sid": "IG" + "0" * 32,
            "address": "+13115552368",
            "friendly_name": None,
            "auto_creation": {
                "enabled": True,
                "type": "webhook",
                "webhook_url": "https://hooks.example.com/in",
                "webhook_method": "POST",
                "webhook_filters": ["onParticipantAdded", "onMessageAdded"],
            },
        }
    )
    assert effective(echo) == effective(checked)
    assert update_params(echo, checked) == {}


def test_update_sends_only_what_changed_and_clears_removed_values() -> None:
    old, _ = check_address(
        {
            "address": "+13115552368",
            "friendlyName": "Support",
            "autoCreation": webhook(
                conversationServiceSid=SERVICE, webhookFilters=["onMessageAdded"]
            ),
        }
    )
    new, _ = check_address({"address": "+13115552368", "autoCreation": webhook()})
    assert update_params(old, new) == {
        "friendly_name": "",
        "auto_creation_conversation_service_sid": "",
        "auto_creation_webhook_filters": [""],
    }


def test_switching_type_sends_the_new_types_fields() -> None:
    old, _ = check_address({"address": "+13115552368", "autoCreation": webhook()})
    new, _ = check_address({"address": "+13115552368", "autoCreation": studio(studioRetryCount=2)})
    assert update_params(old, new) == {
        "auto_creation_enabled": True,
        "auto_creation_type": "studio",
        "auto_creation_studio_flow_sid": FLOW,
        "auto_creation_studio_retry_count": 2,
    }


def test_create_params_follow_the_spec_enums() -> None:
    checked, _ = check_address(
        {
            "address": "+13115552368",
            "friendlyName": "S",
            "autoCreation": webhook(webhookMethod="GET"),
        }
    )
    assert create_params(checked) == {
        "type": "sms",
        "address": "+13115552368",
        "friendly_name": "S",
        "auto_creation_enabled": True,
        "auto_creation_type": "webhook",
        "auto_creation_webhook_url": "https://hooks.example.com/in",
        "auto_creation_webhook_method": "get",
    }


# --- values that only look right (issue 9) ---------------------------------------------------
ARABIC_INDIC = "\u0663\u0661\u0661"  # 311 in Arabic-Indic digits
FULLWIDTH = "\uff13\uff11\uff11"  # 311 in full-width digits


@pytest.mark.parametrize(
    ("props", "prop", "words"),
    [
        ({"address": f"+1{ARABIC_INDIC}5552368"}, "address", "digits 0-9"),
        ({"address": f"+1{FULLWIDTH}5552368"}, "address", "digits 0-9"),
        ({"address": "+13115552368", "addressCountry": "\u00c9S"}, "addressCountry", "A-Z"),
        # Case mapping must not turn a non-code into a code: sharp s -> 'SS', dotless i -> 'I'.
        ({"address": "+13115552368", "addressCountry": "\u00df"}, "addressCountry", "A-Z"),
        ({"address": "+13115552368", "addressCountry": "\u0131t"}, "addressCountry", "A-Z"),
        ({"address": "+13115552368", "addressCountry": "\uff35\uff33"}, "addressCountry", "A-Z"),
        (
            {"address": "+13115552368", "autoCreation": studio(studioRetryCount=True)},
            "autoCreation.studioRetryCount",
            "not true or false",
        ),
        (
            {"address": "+13115552368", "autoCreation": studio(studioRetryCount=False)},
            "autoCreation.studioRetryCount",
            "not true or false",
        ),
        (
            {"address": "+13115552368", "autoCreation": studio(studioFlowSid="FW" + "\uff41" * 32)},
            "autoCreation.studioFlowSid",
            "32 hex",
        ),
        (
            {"address": "+13115552368", "autoCreation": webhook(webhookMethod="po\u017ft")},
            "autoCreation.webhookMethod",
            "'GET' or 'POST'",
        ),
        (
            {"address": "+13115552368", "autoCreation": webhook(type="webhoo\u212a")},
            "autoCreation.type",
            "one of",
        ),
        (
            {
                "address": "+13115552368",
                "autoCreation": webhook(webhookUrl="https://h.example/\x00"),
            },
            "autoCreation.webhookUrl",
            "U+0000",
        ),
        (
            {"address": "+13115552368", "autoCreation": webhook(webhookUrl="https://h.ex\tample/")},
            "autoCreation.webhookUrl",
            "U+0009",
        ),
        (
            {"address": "+13115552368", "autoCreation": webhook(webhookUrl="https://h/\u202eof")},
            "autoCreation.webhookUrl",
            "U+202E",
        ),
    ],
)
def test_lookalike_values_are_refused(props: dict[str, Any], prop: str, words: str) -> None:
    _, problems = check_address(props)
    assert prop in [p for p, _ in problems], problems
    assert words in dict(problems)[prop]


def test_trailing_newlines_are_trimmed_not_kept() -> None:
    checked, problems = check_address(
        {
            "address": "+13115552368\n",
            "addressCountry": "us\n",
            "autoCreation": studio(studioFlowSid=FLOW + "\n"),
        }
    )
    assert problems == []
    assert checked["address"] == "+13115552368"
    assert checked["addressCountry"] == "US"
    assert checked["autoCreation"]["studioFlowSid"] == FLOW


SECRET_URL = "https://bot:hunter2@hooks.example.com/in"


@pytest.mark.parametrize(
    ("props", "prop"),
    [
        ({"autoCreation": webhook(webhookUrl=[SECRET_URL])}, "autoCreation.webhookUrl"),
        ({"autoCreation": webhook(webhookUrl={"url": SECRET_URL})}, "autoCreation.webhookUrl"),
        ({"autoCreation": [webhook(webhookUrl=SECRET_URL)]}, "autoCreation"),
        ({"autoCreation": webhook(webhookFilters=[SECRET_URL])}, "autoCreation.webhookFilters"),
        ({"autoCreation": studio(studioFlowSid=[SECRET_URL])}, "autoCreation.studioFlowSid"),
        ({"friendlyName": {"nested": [SECRET_URL]}}, "friendlyName"),
        ({"addressCountry": SECRET_URL}, "addressCountry"),
        # Masking comes before cutting: the first 40 characters hold no '@' to find.
        ({"friendlyName": "https://bot:" + "hunter2" * 40 + "@h.example"}, "friendlyName"),
    ],
    ids=[
        "url in a list",
        "url in a dict",
        "object in a list",
        "filter",
        "sid in a list",
        "deep name",
        "country",
        "long name",
    ],
)
def test_credentials_in_the_wrong_place_are_masked(props: dict[str, Any], prop: str) -> None:
    _, problems = check_address({"address": "+13115552368", **props})
    assert prop in [p for p, _ in problems], problems
    text = repr(problems)
    assert "hunter2" not in text and "bot:" not in text, text
    assert "***" in text


def test_a_key_with_credentials_is_masked_in_the_property_too() -> None:
    _, problems = check_address(
        {"address": "+13115552368", "autoCreation": {**studio(), SECRET_URL: True}}
    )
    assert problems and "hunter2" not in repr(problems)


def test_long_values_are_cut_in_messages() -> None:
    _, problems = check_address(
        {
            "address": "+1" + "2" * 5000,
            "friendlyName": "n" * 5000,
            "autoCreation": webhook(
                webhookFilters=["x" * 5000] * 50, webhookUrl="ftp://" + "u" * 5000
            ),
        }
    )
    assert len(problems) == 4, problems
    for _, reason in problems:
        assert len(reason.rsplit("; got ", 1)[1]) <= MESSAGE_LIMIT, reason
