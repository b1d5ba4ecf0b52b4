"""The touchscreen kiosk: its page, and the print agent in `kiosk.agent`.

This package imports nothing at load time so the agent can run without Flask.
"""
