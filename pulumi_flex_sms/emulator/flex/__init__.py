"""Flex v1: FlexFlows and the Flex Configuration, served at ``{base}/flex-api/v1/...``
for ``https://flex-api.twilio.com/v1/...``.
"""
