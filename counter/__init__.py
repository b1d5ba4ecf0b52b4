"""The counter officer's page."""
