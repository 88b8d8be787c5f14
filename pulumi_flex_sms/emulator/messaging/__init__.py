"""Messaging v1: Services and their PhoneNumbers, served at ``{base}/messaging/v1/...``
for ``https://messaging.twilio.com/v1/...``.
"""
