"""Simulation: what Twilio would do with an inbound SMS, over the emulator's state.
A control endpoint (``{base}/_emulator/simulate/...``), not a Twilio one.
"""
