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


def test_tokens_made_before_scopes_keep_every_scope(empty_app):
    """#15.12: the scopes migration must not lock existing integrations out."""
    from sqlalchemy import text

    with empty_app.app_context():
        upgrade(revision="5b9e1d7c3a20")
        with db.engine.begin() as conn:
            conn.execute(text("INSERT INTO organisation (slug, name, kind, verified, colour, "
                              "description, website, name_key, created_at) VALUES "
                              "('o', 'O', 'college', false, '#000000', '', '', 'o', "
                              "CURRENT_TIMESTAMP)"))
            conn.execute(text("INSERT INTO api_token (organisation_id, name, prefix, token_hash, "
                              "created_at) SELECT id, 'old', 'sp_old', 'h', CURRENT_TIMESTAMP "
                              "FROM organisation"))
        upgrade()
        with db.engine.connect() as conn:
            row = conn.execute(text("SELECT scopes, expires_at FROM api_token")).one()
        assert row == ("issue revoke bulk read", None)
        downgrade(revision="base")


def test_seeded_skills_with_made_up_esco_codes_are_corrected(empty_app):
    """#21.6: a stored "ESCO" skill gets its real ESCO concept URI, or loses the ESCO label."""
    from sqlalchemy import text

    with empty_app.app_context():
        upgrade(revision="f7b2c8d41e90")
        with db.engine.begin() as conn:
            conn.execute(text(
                "INSERT INTO skill (label, framework, code, \"group\") VALUES "
                "('Lassen', 'ESCO', 'S6.2.2', 'Techniek en bouw'), "
                "('Zelfstandig leren', 'ESCO', 'T2.4', 'Denken en leren'), "
                "('Kassawerk en geld afrekenen', 'ESCO', 'S2.1.1', 'Administratie en handel'), "
                "('Kassawerk en geld afrekenen', '', '', ''), "
                "('Heftruck rijden', 'CompetentNL', 'x1', '')"))
        upgrade()
        with db.engine.connect() as conn:
            rows = set(conn.execute(text("SELECT label, framework, code, url FROM skill")))
        assert rows == {
            # the concept of its day (2ee57de4-...), then the current one (c3e5a7b9d1f2)
            ("Lassen", "ESCO", "2fcd95a4-1f9a-41cf-95a9-4701bde476b4",
             "http://data.europa.eu/esco/skill/2fcd95a4-1f9a-41cf-95a9-4701bde476b4"),
            ("Zelfstandig leren", "Skillspas", "", None),
            ("Kassawerk en geld afrekenen", "Skillspas", "", None),
            ("Kassawerk en geld afrekenen", "", "", None),  # typed in by an issuer: untouched
            ("Heftruck rijden", "CompetentNL", "x1", None)}
        downgrade(revision="base")


def test_seeded_skills_move_to_the_current_esco_concept(empty_app):
    """#21.6: a seeded skill on an ESCO concept not in ESCO v1.2 gets the current one."""
    from sqlalchemy import text

    esco = "http://data.europa.eu/esco/skill/"
    old, new = "f60b0a50-2e7b-46f8-9b9c-2809b10991f9", "19a64e91-bfe3-4c48-9225-3bb1229b12f0"
    with empty_app.app_context():
        upgrade(revision="b4e1d7a2c9f3")
        with db.engine.begin() as conn:
            conn.execute(text(
                "INSERT INTO skill (label, framework, code, url, \"group\") VALUES "
                "('Discipline en doorzettingsvermogen', 'ESCO', :old, :url, 'Zelfstandigheid'), "
                "('Volhouden', 'ESCO', :old, :url, '')"), {"old": old, "url": esco + old})
        upgrade()
        with db.engine.connect() as conn:
            rows = set(conn.execute(text("SELECT label, framework, code, url FROM skill")))
        assert rows == {
            ("Discipline en doorzettingsvermogen", "ESCO", new, esco + new),
            ("Volhouden", "ESCO", old, esco + old)}  # not a seeded skill: untouched
        downgrade(revision="b4e1d7a2c9f3")
        with db.engine.connect() as conn:
            assert ("Discipline en doorzettingsvermogen", old) in set(
                conn.execute(text("SELECT label, code FROM skill")))
        downgrade(revision="base")
