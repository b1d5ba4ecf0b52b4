"""The WSGI entry point for gunicorn: `gunicorn server.wsgi:app`."""

from server import create_app
from server.backup import hold_serving_lock, sqlite_path
from server.local_agent import start_local_agent
from server.web.sockets import start_revocation_sweeper

app = create_app()
if (database := sqlite_path(app.config["SQLALCHEMY_DATABASE_URI"])) is not None:
    hold_serving_lock(database)  # `antre restore` refuses while a server serves this file
start_local_agent(app)
start_revocation_sweeper(app)  # drops connections of devices revoked by the CLI or elsewhere
