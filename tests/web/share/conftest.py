from __future__ import annotations

import pytest

from tests.web.share.data import vanessa_credentials


@pytest.fixture
def vanessa(app, demo):
    """Vanessa's three issued credentials (uuids), in the test's transaction."""
    with app.app_context():
        return [c.uuid for c in vanessa_credentials()]
