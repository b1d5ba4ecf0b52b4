"""The OpenAPI description of `/api/v1`: kept as YAML beside this module, served as JSON."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml
from flask import Blueprint, Response, jsonify

SOURCE = Path(__file__).with_name("openapi.yaml")
bp = Blueprint("openapi", __name__, url_prefix="/api/v1")


@cache
def description() -> dict[str, Any]:
    """The description, read once."""
    return yaml.safe_load(SOURCE.read_text(encoding="utf-8"))


@bp.get("/openapi.json")
def get_openapi() -> Response:
    """The OpenAPI 3.1 description of this API (public)."""
    response = jsonify(description())
    response.cache_control.max_age = 300
    return response
