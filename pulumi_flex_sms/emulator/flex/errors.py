"""The flex domain's own Twilio error codes (https://www.twilio.com/docs/api/errors/<code>)."""

from __future__ import annotations

from ..errors import BadRequest

__all__ = ["FlexFlowCollision"]


class FlexFlowCollision(BadRequest):
    """ "Flex Flow creation failed … collided with existing Flex Flows"."""

    code = 45212
