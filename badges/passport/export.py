"""Exports of a learner's passport: JSON bundle, ZIP of baked badges, printable PDF.

Everything here reads only the learner's own rows (``recipient_user_id`` /
``user_id``). The files carry the signed documents unchanged, so each
credential in them still verifies on its own, anywhere, after export.
"""

from __future__ import annotations

import io
import json
import zipfile
from datetime import datetime
from typing import Any

from badges.accounts.models import User
from badges.issuing.models import Credential
from badges.kernel.i18n import current_language
from badges.kernel.media.pdf import Pdf
from badges.kernel.media.qr import qr_png
from badges.kernel.models import utcnow
from badges.passport import services as passport
from badges.passport import share


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def _credentials(user: User) -> list[Credential]:
    """Own credentials with achievement (and skills) and issuer loaded."""
    return share.owned_credentials(user.id)


def json_bundle(user: User) -> dict[str, Any]:
    """All credentials as one JSON document: the signed originals plus a readable index."""
    issued = _credentials(user)
    imported = share.owned_imports(user.id)
    return {
        "type": "SkillspasExport",
        "exportedAt": _iso(utcnow()),
        "learner": {"name": user.name},
        "credentials": [{
            "id": c.uuid, "name": c.achievement.name, "issuer": c.organisation.name,
            "issuedAt": _iso(c.issued_at), "validFrom": _iso(c.valid_from),
            "status": passport.credential_status(c),
            "verifyUrl": share.verify_url(c.uuid), "document": c.document,
        } for c in issued],
        "imported": [{
            "id": i.uuid, "name": i.name, "issuer": i.issuer_name or i.issuer_id,
            "format": i.format, "verdict": i.verdict, "raw": i.raw,
        } for i in imported],
    }


def zip_bundle(user: User) -> bytes:
    """A ZIP with, per credential, the baked PNG and the JSON; plus an index."""
    out = io.BytesIO()
    used: set[str] = set()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for cred in _credentials(user):
            for fmt in ("png", "json"):
                content, _mime, name = share.credential_file(cred, fmt)
                folder = "badges" if fmt == "png" else "json"
                archive.writestr(_unique(f"{folder}/{name}", used), content)
        for item in share.owned_imports(user.id):
            content, _mime, name = share.imported_file(item)
            archive.writestr(_unique(f"imported/{name}", used), content)
        index = json_bundle(user)
        for entry in index["credentials"]:
            entry.pop("document")
        for entry in index["imported"]:
            entry.pop("raw")
        archive.writestr("index.json", json.dumps(index, ensure_ascii=False, indent=2))
        archive.writestr("LEESMIJ.txt", README)
    return out.getvalue()


README = """Skillspas - export van je bewijzen

badges/   De afbeeldingen (PNG). In elke afbeelding zit het ondertekende bewijs.
          Je kunt ze uploaden bij elke Open Badges 3.0-controle.
json/     Dezelfde bewijzen als JSON-bestand.
imported/ Bewijzen die je zelf had toegevoegd, zoals je ze had geupload.
index.json Een overzicht van alles.
"""


def _unique(name: str, used: set[str]) -> str:
    stem, dot, ext = name.rpartition(".")
    candidate, n = name, 2
    while candidate in used:
        candidate, n = f"{stem}-{n}{dot}{ext}", n + 1
    used.add(candidate)
    return candidate


# --- PDF ---------------------------------------------------------------------------------


class _Pdf(Pdf):
    page_word = "pagina"

    def para(self, value: str, size: float = 10, style: str = "", height: float = 5) -> None:
        self.set_font(self.family, style, size)
        self.multi_cell(0, height, self.text_of(value), new_x="LMARGIN", new_y="NEXT")

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(self.family, "", 8)
        self.cell(0, 6, self.text_of(f"Skillspas · {self.page_word} {self.page_no()}"), align="C")


def _date(moment: datetime | None) -> str:
    return moment.strftime("%d-%m-%Y") if moment else "-"


#: The PDF's words in Dutch and English (the page's language picks; Dutch otherwise).
WORDS = {
    "nl": {"title": "Skillspas - overzicht van mijn bewijzen",
           "made": "Gemaakt op {date}. Scan de QR-code bij een bewijs om het zelf te controleren.",
           "none": "Er staan nog geen bewijzen in je pas.", "issuer": "Uitgever",
           "date": "Datum", "status": "Status", "skills": "Vaardigheden",
           "imported": "Zelf toegevoegde bewijzen", "page": "pagina"},
    "en": {"title": "Skillspas - overview of my credentials",
           "made": "Made on {date}. Scan the QR code beside a credential to check it yourself.",
           "none": "There are no credentials in your passport yet.", "issuer": "Issuer",
           "date": "Date", "status": "Status", "skills": "Skills",
           "imported": "Credentials added by me", "page": "page"},
}
STATUS_EN = {"valid": "Valid", "expired": "Expired", "revoked": "Revoked",
             "suspended": "Suspended", "not_yet_valid": "Not yet valid",
             "checked": "Checked", "unconfirmed": "Could not be confirmed"}


def _status(key: str, lang: str) -> str:
    return STATUS_EN.get(key, key) if lang == "en" else passport.STATUS[key][0]


def pdf_overview(user: User, lang: str | None = None) -> bytes:
    """A printable overview: name, and per credential issuer, date, status, skills, QR;
    in ``lang`` (default: the page's language), achievements in it where they have it."""
    lang = lang if lang in WORDS else current_language()
    words = WORDS[lang]
    pdf = _Pdf()
    pdf.page_word = words["page"]
    pdf.set_title(pdf.text_of(f"Skillspas - {user.name}"))
    pdf.set_lang(lang)  # screen readers pick the voice
    pdf.add_page()
    pdf.para(words["title"], 16, "B", 8)
    pdf.para(user.name, 13, "B", 7)
    pdf.para(words["made"].format(date=_date(utcnow())), 9)
    pdf.ln(4)
    creds = _credentials(user)
    if not creds:
        pdf.para(words["none"])
    qr_size = 28
    for cred in creds:
        if pdf.get_y() > pdf.h - 18 - qr_size - 6:
            pdf.add_page()
        top = pdf.get_y()
        url = share.verify_url(cred.uuid)
        pdf.image(io.BytesIO(qr_png(url, box_size=4)), x=pdf.w - 18 - qr_size, y=top,
                  w=qr_size, h=qr_size)
        pdf.set_right_margin(18 + qr_size + 4)
        label = _status(passport.credential_status(cred), lang)
        pdf.para(cred.achievement.in_language("name", lang), 12, "B", 6)
        pdf.para(f"{words['issuer']}: {cred.organisation.name}")
        # The day it was earned (validFrom), not the day the record was made here.
        pdf.para(f"{words['date']}: {_date(cred.valid_from)}   {words['status']}: {label}")
        skills = ", ".join((lang == "en" and s.label_en) or s.label
                           for s in cred.achievement.skills)
        if skills:
            pdf.para(f"{words['skills']}: {skills}", 9)
        pdf.para(url, 7, "", 4)
        pdf.set_right_margin(18)
        pdf.set_y(max(pdf.get_y(), top + qr_size) + 4)
        pdf.line(18, pdf.get_y() - 2, pdf.w - 18, pdf.get_y() - 2)
    imported = share.owned_imports(user.id)
    if imported:
        pdf.ln(2)
        pdf.para(words["imported"], 12, "B", 7)
        for item in imported:
            pdf.para(f"{item.name or 'Badge'} - {item.issuer_name or item.issuer_id} "
                     f"({_status(passport.imported_status(item.verdict), lang)})")
    return bytes(pdf.output())
