"""The user-facing resource classes."""
