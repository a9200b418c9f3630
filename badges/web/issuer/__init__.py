"""The issuer workspace: an organisation's achievements, credentials, people and log."""
