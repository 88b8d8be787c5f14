"""Pydantic models: validate and normalise inputs once, map state to and from Twilio."""
