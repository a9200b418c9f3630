"""Configuration from BADGES_* variables over safe defaults."""

from __future__ import annotations

import stat

from badges.kernel.config import load_config


def test_secret_key_is_generated_once_and_kept(tmp_path):
    first = load_config({"INSTANCE_DIR": str(tmp_path)}, environ={})
    second = load_config({"INSTANCE_DIR": str(tmp_path)}, environ={})
    assert first["SECRET_KEY"] == second["SECRET_KEY"]
    assert len(first["SECRET_KEY"]) >= 40
    mode = (tmp_path / "secret_key").stat().st_mode
    assert not mode & (stat.S_IRWXG | stat.S_IRWXO), "secret key file readable by others"


def test_two_instances_get_different_secret_keys(tmp_path):
    a = load_config({"INSTANCE_DIR": str(tmp_path / "a")}, environ={})
    b = load_config({"INSTANCE_DIR": str(tmp_path / "b")}, environ={})
    assert a["SECRET_KEY"] != b["SECRET_KEY"]


def test_defaults_to_sqlite_under_instance(tmp_path):
    cfg = load_config({"INSTANCE_DIR": str(tmp_path)}, environ={})
    assert cfg["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'badges.sqlite3'}"
    assert cfg["BADGES"]["BASE_URL"] == "http://127.0.0.1:5000"
    assert cfg["SESSION_COOKIE_SECURE"] is False


def test_environment_variables_override(tmp_path):
    cfg = load_config({"INSTANCE_DIR": str(tmp_path)}, environ={
        "BADGES_DATABASE_URL": "postgresql://u@db/badges",
        "BADGES_BASE_URL": "https://skillspas.example/",
        "BADGES_MAX_UPLOAD_MB": "3",
        "BADGES_REMOTE_FETCH": "true",
    })
    assert cfg["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@db/badges"
    assert cfg["BADGES"]["BASE_URL"] == "https://skillspas.example"
    assert cfg["MAX_CONTENT_LENGTH"] == 3 * 1024 * 1024
    assert cfg["BADGES"]["REMOTE_FETCH"] is True
    assert cfg["SESSION_COOKIE_SECURE"] is True


def test_operator_details_come_from_the_environment(tmp_path):
    cfg = load_config({"INSTANCE_DIR": str(tmp_path)}, environ={
        "BADGES_OPERATOR_NAME": "ROC Voorbeeld", "BADGES_OPERATOR_KVK": "87654321",
        "BADGES_PRIVACY_OFFICER_EMAIL": "fg@roc.example"})
    assert cfg["BADGES"]["OPERATOR_NAME"] == "ROC Voorbeeld"
    assert cfg["BADGES"]["OPERATOR_KVK"] == "87654321"
    assert cfg["BADGES"]["PRIVACY_OFFICER_EMAIL"] == "fg@roc.example"
    defaults = load_config({"INSTANCE_DIR": str(tmp_path)}, environ={})["BADGES"]
    assert defaults["OPERATOR_EMAIL"] and defaults["OPERATOR_ADDRESS"]


def test_openid_providers_from_the_environment(tmp_path):
    cfg = load_config({"INSTANCE_DIR": str(tmp_path)}, environ={
        "BADGES_OIDC_PROVIDERS": "eduid, SURFconext",
        "BADGES_OIDC_EDUID_ISSUER": "https://login.eduid.nl/",
        "BADGES_OIDC_EDUID_CLIENT_ID": "skillspas",
        "BADGES_OIDC_EDUID_CLIENT_SECRET": "s3cret",
        "BADGES_OIDC_EDUID_LABEL": "eduID",
        "BADGES_OIDC_SURFCONEXT_ISSUER": "https://connect.surfconext.nl",
        "BADGES_OIDC_SURFCONEXT_CLIENT_ID": "skillspas.example",
    })
    assert cfg["OIDC_PROVIDERS"] == {
        "eduid": {"issuer": "https://login.eduid.nl", "client_id": "skillspas",
                  "client_secret": "s3cret", "label": "eduID", "scope": "openid email profile"},
        "surfconext": {"issuer": "https://connect.surfconext.nl", "client_id": "skillspas.example",
                       "client_secret": "", "label": "surfconext",
                       "scope": "openid email profile"},
    }
    assert load_config({"INSTANCE_DIR": str(tmp_path)}, environ={})["OIDC_PROVIDERS"] == {}


def test_a_half_configured_openid_provider_stops_the_start(tmp_path):
    import pytest

    with pytest.raises(ValueError, match="BADGES_OIDC_EDUID_CLIENT_ID"):
        load_config({"INSTANCE_DIR": str(tmp_path)}, environ={
            "BADGES_OIDC_PROVIDERS": "eduid", "BADGES_OIDC_EDUID_ISSUER": "https://x.example"})
