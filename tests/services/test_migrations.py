"""The migrations build exactly the schema the models describe, on SQLite and PostgreSQL."""

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade

from server import create_app
from server.extensions import db


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def empty_database(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'migrated.sqlite3'}"
    return request.getfixturevalue("postgres_url")


def test_upgrade_head_on_an_empty_database_matches_the_models(
    empty_database: str, tmp_path: Path
) -> None:
    app = create_app({"SQLALCHEMY_DATABASE_URI": empty_database, "INSTANCE_PATH": str(tmp_path)})
    with app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            differences = compare_metadata(MigrationContext.configure(connection), db.metadata)
        db.engine.dispose()
    assert differences == []
