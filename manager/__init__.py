"""The manager's pages: the live dashboard and the reports."""
