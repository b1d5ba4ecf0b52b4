"""The OpenAPI description is served, and it describes every /api/v1 route: no more, no fewer."""

from __future__ import annotations

import re
from collections.abc import Iterator

from flask import Flask
from flask.testing import FlaskClient
from werkzeug.routing import Rule

from server.web.openapi import SOURCE, description

METHODS = ("get", "post", "put", "patch", "delete")
PARAMETER = re.compile(r"<(?:(?P<converter>[a-z]+)(?:\([^)]*\))?:)?(?P<name>\w+)>")


def openapi_path(rule: str) -> str:
    """`/api/v1/tickets/<int:ticket_id>/<action>` → `/api/v1/tickets/{ticket_id}/{action}`."""
    return PARAMETER.sub(lambda match: "{" + match["name"] + "}", rule)


def api_operations(app: Flask) -> Iterator[tuple[str, str, Rule]]:
    """(method, OpenAPI path, rule) for every route under /api/v1."""
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/v1/"):
            for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
                yield method.lower(), openapi_path(rule.rule), rule


def described_operations() -> set[tuple[str, str]]:
    return {
        (method, path)
        for path, item in description()["paths"].items()
        for method in item
        if method in METHODS
    }


def stub(app: Flask, method: str, path: str, rule: Rule) -> str:
    """The YAML to paste under `paths:` for a route the description lacks."""
    view = app.view_functions[rule.endpoint]
    summary = ((view.__doc__ or "").strip().splitlines() or ["TODO: what it does"])[0]
    words = re.findall(r"[A-Za-z]+", rule.endpoint.split(".")[-1])
    operation_id = words[0] + "".join(word.title() for word in words[1:])
    lines = [
        f"  {path}:",
        f"    {method}:",
        "      tags: [TODO]",
        f"      operationId: {operation_id}",
        f"      summary: {summary}",
        "      parameters:",
    ]
    for match in PARAMETER.finditer(rule.rule):
        schema = (
            '$ref: "#/components/schemas/Id"' if match["converter"] == "int" else "type: string"
        )
        lines += [
            f"        - name: {match['name']}",
            "          in: path",
            "          required: true",
            "          schema:",
            f"            {schema}",
        ]
    lines += [
        '        - $ref: "#/components/parameters/Lang"',
        "      responses:",
        '        "200":',
        "          description: TODO what it answers",
        "          content:",
        "            application/json:",
        "              schema:",
        "                TODO: the answer's schema (add it under components/schemas)",
        '        "400":',
        '          $ref: "#/components/responses/BadRequest"',
        "        # and 401/403/404/409/503 as the view can answer them",
    ]
    return "\n".join(lines)


def test_every_api_route_is_in_the_openapi_description(app: Flask) -> None:
    described = described_operations()
    missing = [
        (method, path, rule)
        for method, path, rule in api_operations(app)
        if (method, path) not in described
    ]
    advice = "\n\n".join(
        f"{method.upper()} {rule.rule} (view {rule.endpoint}) is not described. "
        f"Add to {SOURCE.relative_to(SOURCE.parents[2])} under `paths:` (merge with the path "
        f"if it is already there), fill in the TODOs, then run "
        f"tests/web/test_openapi_fuzz.py:\n\n{stub(app, method, path, rule)}"
        for method, path, rule in missing
    )
    assert not missing, advice


def test_the_description_has_no_route_the_server_lacks(app: Flask) -> None:
    served = {(method, path) for method, path, _rule in api_operations(app)}
    stale = sorted(described_operations() - served)
    assert not stale, f"described in {SOURCE.name} but not served (remove or fix): {stale}"


def test_the_description_is_served_as_json_without_signing_in(client: FlaskClient) -> None:
    answer = client.get("/api/v1/openapi.json")
    assert answer.status_code == 200 and answer.mimetype == "application/json"
    served = answer.get_json()
    assert served == description()
    assert served["openapi"].startswith("3.1")


def test_every_operation_has_an_id_and_describes_its_errors() -> None:
    ids = []
    for path, item in description()["paths"].items():
        for method, operation in item.items():
            ids.append(operation["operationId"])
            for status, answer in operation["responses"].items():
                if status.startswith(("4", "5")):
                    target = answer.get("$ref") or answer["content"]["application/json"]["schema"]
                    assert target, f"{method.upper()} {path} {status} has no error schema"
    assert len(ids) == len(set(ids)), "operationIds must be unique"
