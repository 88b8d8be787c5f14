"""The resource classes' own argument errors: raised in the program, before any check."""

from __future__ import annotations

import pytest

from pulumi_flex_sms import FlexSmsAddress, PhoneNumberMessagingConfig


@pytest.mark.parametrize("resource", [FlexSmsAddress, PhoneNumberMessagingConfig])
def test_a_stray_positional_argument_is_named_with_its_credentials_masked(resource: type) -> None:
    with pytest.raises(TypeError, match="unexpected positional arguments") as info:
        resource("r", "https://bot:hunter2@hooks.example.com/in", address="+13115552368")
    assert "hunter2" not in str(info.value)
    assert "https://***:***@hooks.example.com/in" in str(info.value)
