"""The WSGI entry point for gunicorn: `gunicorn server.wsgi:app`."""

import gc

from server import create_app
from server.backup import hold_serving_lock, sqlite_path
from server.local_agent import start_local_agent
from server.web.sockets import start_revocation_sweeper

app = create_app()
if (database := sqlite_path(app.config["SQLALCHEMY_DATABASE_URI"])) is not None:
    hold_serving_lock(database)  # `antre restore` refuses while a server serves this file
start_local_agent(app)
start_revocation_sweeper(app)  # drops connections of devices revoked by the CLI or elsewhere
# What start-up built (modules, the app, the mappers) lives as long as the process: frozen, it
# stays out of the collector's full passes, which otherwise stop every request and every
# display's send for tens of milliseconds at a time (see bench/RESULTS.md).
gc.freeze()
