"""Conversations v1: Address Configurations and Services, served at
``{base}/conversations/v1/...`` for ``https://conversations.twilio.com/v1/...``.
"""
