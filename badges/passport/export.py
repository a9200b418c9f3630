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
from badges.kernel.media.badge_design import Design
from badges.kernel.media.images import png_of
from badges.kernel.media.pdf import Pdf
from badges.kernel.media.qr import qr_png
from badges.kernel.models import utcnow
from badges.passport import certificate, share
from badges.passport import services as passport


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

WORDS = {
    "nl": {"title": "Skillspas - overzicht van mijn bewijzen", "made": "Gemaakt op {date}. Scan "
           "de QR-code bij een bewijs om het zelf te controleren.",
           "none": "Er staan nog geen bewijzen in je pas.", "issuer": "Uitgever",
           "date": "Behaald op", "status": "Status", "skills": "Vaardigheden",
           "check": "Controle", "qr": "QR-code naar de controle van {name}",
           "imported": "Zelf toegevoegde bewijzen", "page": "Skillspas · pagina {n}",
           "badge": "Bewijs"},
    "en": {"title": "Skillspas - overview of my credentials", "made": "Made on {date}. Scan the "
           "QR code next to a credential to check it yourself.",
           "none": "There are no credentials in your passport yet.", "issuer": "Issuer",
           "date": "Earned on", "status": "Status", "skills": "Skills",
           "check": "Check", "qr": "QR code to the check of {name}",
           "imported": "Credentials you added yourself", "page": "Skillspas · page {n}",
           "badge": "Credential"},
}
STATUS_EN = {"valid": "Valid", "expired": "Expired", "revoked": "Revoked",
             "suspended": "Suspended", "not_yet_valid": "Not yet valid", "checked": "Checked",
             "unconfirmed": "Cannot be confirmed"}


def _status(key: str, lang: str) -> str:
    return STATUS_EN.get(key, key) if lang == "en" else passport.STATUS[key][0]


class _Pdf(Pdf):
    page_words = "{n}"

    def footer(self) -> None:
        with self.artifact():
            self.set_y(-12)
            self.set_font(self.family, "", 8)
            self.cell(0, 6, self.text_of(self.page_words.format(n=self.page_no())), align="C")


def badge_alt(achievement: Any, lang: str = "nl") -> str:
    """The badge image's text for screen readers: the design's alt text, else the name
    (in ``lang`` where the achievement has it)."""
    name = achievement.in_language("name", lang)
    design = Design.from_dict((achievement.details or {}).get("design"))
    return design.alt_text(name) if design and not achievement.image else name


def pdf_overview(user: User, lang: str = "nl") -> bytes:
    """A printable overview: name, and per credential issuer, date, status, skills, QR.

    Tagged: a heading per credential, its badge and QR code as figures, its facts as a table.
    """
    lang = "en" if lang == "en" else "nl"
    words = WORDS[lang]
    pdf = _Pdf(lang=lang, title=f"{words['title']} - {user.name}")
    pdf.page_words = words["page"]
    pdf.add_page()
    pdf.text_block("H1", words["title"], size=16, style="B", height=8)
    pdf.text_block("P", user.name, size=13, style="B", height=7)
    pdf.text_block("P", words["made"].format(date=certificate.day(utcnow(), lang)), size=9)
    pdf.ln(4)
    creds = _credentials(user)
    if not creds:
        pdf.text_block("P", words["none"])
    qr_size, badge_size = 28, 22
    for cred in creds:
        pdf.room_for(qr_size + 6)
        top = pdf.get_y()
        url = share.verify_url(cred.uuid)
        ach = cred.achievement
        name = ach.in_language("name", lang)
        pdf.figure(io.BytesIO(png_of(ach.image, ach.image_mime, ach.name, cred.organisation.colour,
                                     (ach.details or {}).get("design"))), badge_alt(ach, lang),
                   x=18, y=top, w=badge_size, h=badge_size)
        pdf.figure(io.BytesIO(qr_png(url, box_size=4)), words["qr"].format(name=name),
                   x=pdf.w - 18 - qr_size, y=top, w=qr_size, h=qr_size)
        pdf.set_left_margin(18 + badge_size + 4)
        pdf.set_x(18 + badge_size + 4)
        pdf.set_right_margin(18 + qr_size + 4)
        pdf.text_block("H2", name, size=12, style="B", height=6, lang=ach.language_of("name", lang))
        # The day it was earned (validFrom), not the day the record was made here.
        rows = [(words["issuer"], cred.organisation.name),
                (words["date"], certificate.day(cred.valid_from, lang)),
                (words["status"], _status(passport.credential_status(cred), lang))]
        skills = ", ".join((lang == "en" and s.label_en) or s.label for s in cred.achievement.skills)
        if skills:
            rows.append((words["skills"], skills))
        rows.append((words["check"], url))
        pdf.label_table(rows, label_width=32, size=9, height=4.6)
        pdf.set_right_margin(18)
        pdf.set_left_margin(18)
        pdf.set_y(max(pdf.get_y(), top + qr_size) + 4)
        with pdf.artifact():
            pdf.line(18, pdf.get_y() - 2, pdf.w - 18, pdf.get_y() - 2)
    imported = share.owned_imports(user.id)
    if imported:
        pdf.ln(2)
        pdf.text_block("H2", words["imported"], size=12, style="B", height=7)
        for item in imported:
            pdf.text_block("P", f"{item.name or words['badge']} - "
                           f"{item.issuer_name or item.issuer_id} "
                           f"({_status(passport.imported_status(item.verdict), lang)})")
    return bytes(pdf.output())
