"""Our three PDFs against PDF/UA-1 (#21.5, #22.3/#22.7): the passport overview, the
certificate and the verification receipt, in Dutch and English, with the production
font (DejaVu Sans, embedded), checked by tests/pdf_support.pdfua_problems."""

from __future__ import annotations

import pytest

from badges.kernel.media import pdf as pdf_base
from tests import pdf_support
from tests.conftest import csrf_token
from tests.web.bilingual.test_bilingual_achievements import LEARNER, _issue


@pytest.fixture
def youth_coach(app, demo) -> str:
    """Vanessa's bilingual club badge (Jeugdtrainer / Youth coach)."""
    with app.test_request_context():
        return _issue().uuid


def _overview(client, lang: str) -> bytes:
    return client.get(f"/passport/export/skillspas.pdf?lang={lang}").data


def _certificate(client, uuid: str, lang: str) -> bytes:
    return client.get(f"/passport/credentials/{uuid}/certificaat.pdf?lang={lang}").data


def _receipt(client, uuid: str, lang: str) -> bytes:
    client.get(f"/verify?lang={lang}")
    response = client.post("/verify/receipt", data={
        "credential": uuid, "format": "pdf", "csrf_token": csrf_token(client, "/verify")})
    return response.data


def test_the_production_font_is_there():
    """The check below must run against DejaVu Sans (fonts-dejavu-core, installed by
    scripts/install-test-tools), not fpdf2's unembedded core font fallback."""
    assert (pdf_base.FONT_DIR / "DejaVuSans.ttf").is_file()
    assert (pdf_base.FONT_DIR / "DejaVuSans-Bold.ttf").is_file()


@pytest.mark.parametrize("lang", ["nl", "en"])
@pytest.mark.parametrize("kind", ["overview", "certificate", "receipt"])
def test_pdf_is_pdfua(client, auth, youth_coach, kind, lang):
    auth.login(LEARNER)
    data = {"overview": lambda: _overview(client, lang),
            "certificate": lambda: _certificate(client, youth_coach, lang),
            "receipt": lambda: _receipt(client, youth_coach, lang)}[kind]()
    assert data.startswith(b"%PDF")
    problems = pdf_support.pdfua_problems(data)
    assert not problems, "\n".join(problems)
