"""Migrations build the schema from empty and match the models exactly."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect

from badges import create_app
from badges.kernel.db import db


@pytest.fixture
def empty_app(app_config, tmp_path):
    """An app on a database of its own, with nothing in it."""
    url = app_config["DATABASE_URL"]
    if url.startswith("sqlite"):
        url = f"sqlite:///{tmp_path / 'migrate.sqlite3'}"
    else:
        import psycopg

        base, _, name = url.rpartition("/")
        admin = base.replace("postgresql+psycopg://", "postgresql://") + "/postgres"
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}_migrate" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}_migrate"')
        url = f"{base}/{name}_migrate"
    app = create_app({**app_config, "DATABASE_URL": url})
    yield app
    with app.app_context():
        db.engine.dispose()


def test_upgrade_from_empty_matches_models_and_downgrades(empty_app):
    with empty_app.app_context():
        upgrade()
        with db.engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), db.metadata)
        assert diff == [], f"models and migrations differ; run `badges db migrate`: {diff}"
        tables = set(inspect(db.engine).get_table_names())
        assert {"organisation", "user_account", "credential", "status_list"} <= tables
        downgrade(revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}


def test_engine_url_is_postgres_when_configured(app_config):
    engine = create_engine(create_app(app_config).config["SQLALCHEMY_DATABASE_URI"])
    assert engine.dialect.name in {"sqlite", "postgresql"}
