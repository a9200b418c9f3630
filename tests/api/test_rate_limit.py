"""The API is rate-limited per token (a hash of it), not per address."""

from __future__ import annotations

from badges import create_app
from badges.kernel.db import db
from badges.organisations import api_auth as auth


def test_rate_key_is_per_token_and_never_the_token_itself(tmp_path):
    app = create_app({"TESTING": True, "INSTANCE_DIR": str(tmp_path), "SECRET_KEY": "k",
                      "DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}"})
    keys = []
    for header in ("Bearer sp_one", "Bearer sp_one", "Bearer sp_two", ""):
        with app.test_request_context(headers={"Authorization": header} if header else {}):
            keys.append(auth.rate_key())
    assert keys[0] == keys[1] != keys[2]
    assert "sp_one" not in keys[0] and keys[3].startswith("addr:")


def test_bulk_uploads_get_429_after_the_limit(tmp_path):
    app = create_app({"TESTING": True, "INSTANCE_DIR": str(tmp_path), "SECRET_KEY": "k",
                      "DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}",
                      "RATELIMIT_ENABLED": True})
    with app.app_context():
        db.create_all()
    client = app.test_client()
    headers = {"Authorization": "Bearer sp_limit_test", "Content-Type": "text/csv"}
    codes = [client.post("/api/v1/bulk", data=b"", headers=headers).status_code
             for _ in range(21)]
    assert codes[:20] == [401] * 20 and codes[20] == 429
    other = client.post("/api/v1/bulk", data=b"", headers={**headers,
                                                          "Authorization": "Bearer sp_other"})
    assert other.status_code == 401  # another token has its own budget


def test_vc_api_verify_gets_429_after_the_limit(tmp_path):
    app = create_app({"TESTING": True, "INSTANCE_DIR": str(tmp_path), "SECRET_KEY": "k",
                      "DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}",
                      "RATELIMIT_ENABLED": True})
    with app.app_context():
        db.create_all()
    client = app.test_client()
    codes = [client.post("/vc-api/credentials/verify", json={}).status_code for _ in range(61)]
    assert codes[:60] == [400] * 60 and codes[60] == 429
