"""Antre: the queue server for a public-service hall."""

from __future__ import annotations

import os
from typing import Any

from flask import Flask


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the app: settings from the environment, then `test_config` on top."""
    instance = (test_config or {}).get("INSTANCE_PATH") or os.environ.get("ANTRE_INSTANCE_PATH")
    app = Flask(__name__, instance_path=instance, instance_relative_config=True, static_folder=None)
    from server.config import from_environment

    app.config.from_mapping(from_environment(app.instance_path))
    if test_config:
        app.config.from_mapping(test_config)
    os.makedirs(app.instance_path, exist_ok=True)
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    app.json.sort_keys = False  # type: ignore[attr-defined]

    from server import cli, db
    from server.web import access, auth, context, errors, security, sockets

    db.init_app(app)
    auth.init_app(app)
    access.init_app(app)
    _init_migrations(app)
    sockets.init_app(app)
    context.init_app(app)
    errors.init_app(app)
    security.init_app(app)
    cli.init_app(app)
    _register_blueprints(app)
    return app


def _init_migrations(app: Flask) -> None:
    from server.extensions import db, migrate

    directory = os.path.join(
        os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "migrations"
    )
    migrate.init_app(app, db, directory=directory, render_as_batch=True)


def _register_blueprints(app: Flask) -> None:
    from counter.views import bp as counter_bp
    from display.views import bp as display_bp
    from kiosk.views import bp as kiosk_bp
    from manager.views import bp as manager_bp
    from server.web import api, audio, auth, dashboard, devices, manager, openapi, pages

    blueprints = (
        *(api.bp, audio.bp, auth.bp, dashboard.bp, devices.bp, manager.bp, openapi.bp, pages.bp),
        *(kiosk_bp, counter_bp, display_bp, manager_bp),
    )
    for blueprint in blueprints:
        app.register_blueprint(blueprint)
