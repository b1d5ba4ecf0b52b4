"""The WSGI entry point for gunicorn: `gunicorn server.wsgi:app`."""

from server import create_app
from server.local_agent import start_local_agent

app = create_app()
start_local_agent(app)
