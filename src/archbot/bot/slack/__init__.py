"""The Slack frontend (Bolt for Python)."""
