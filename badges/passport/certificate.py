"""A printable certificate for one credential, in Dutch or English, tagged for screen readers.

It shows what the signed credential says (the learner's name as issued, the
date it was earned: ``validFrom``), and a QR code to the live check, so a reader
of the paper can see whether it is still valid.
"""

from __future__ import annotations

import io
import re
from datetime import datetime

from babel.dates import format_date

from badges.issuing.models import Credential
from badges.kernel.media.images import png_of
from badges.kernel.media.pdf import Pdf
from badges.kernel.media.qr import qr_png
from badges.passport import share

WORDS = {
    "nl": {"title": "Certificaat", "awarded": "Dit bewijs is uitgereikt aan", "issuer": "Uitgegeven door",
           "date": "Behaald op", "until": "Geldig tot", "proves": "Wat dit bewijst",
           "criteria": "Zo is het behaald", "skills": "Vaardigheden",
           "badge": "Badge van {name}", "qr": "QR-code naar de controle van dit bewijs",
           "check": "Controleer dit bewijs", "check_text": "Scan de QR-code of open de link hieronder. "
           "Je ziet dan of het bewijs echt is en nog geldig. Dit papier is een afdruk; "
           "het ondertekende bewijs zelf staat online.",
           "footer": "Skillspas · certificaat"},
    "en": {"title": "Certificate", "awarded": "This credential was awarded to", "issuer": "Issued by",
           "date": "Earned on", "until": "Valid until", "proves": "What this proves",
           "criteria": "How it was earned", "skills": "Skills",
           "badge": "Badge of {name}", "qr": "QR code to the check of this credential",
           "check": "Check this credential", "check_text": "Scan the QR code or open the link "
           "below. You will see whether the credential is genuine and still valid. This paper "
           "is a print; the signed credential itself is online.",
           "footer": "Skillspas · certificate"},
}
MAX_CRITERIA = 600


def day(moment: datetime | None, lang: str) -> str:
    """"14 juni 2024" or "14 June 2024" (British order, as the verify page writes it)."""
    if moment is None:
        return "-"
    return format_date(moment, format="long", locale="en_GB" if lang == "en" else "nl")


def _plain(markdown: str) -> str:
    """Criteria are Markdown: print them as plain sentences, not as markup."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", markdown)  # [label](url) -> label
    text = re.sub(r"^\s{0,3}(#+|[-*+]|\d+\.)\s+", "", text, flags=re.M)
    text = re.sub(r"[*_`]+", "", text)
    text = re.sub(r"\s*\n\s*", " ", text).strip()
    return text if len(text) <= MAX_CRITERIA else text[:MAX_CRITERIA].rsplit(" ", 1)[0] + " …"


def learner_name(cred: Credential) -> str:
    """The name as it was signed into the credential (never the email address: the
    certificate can be downloaded from a public share page)."""
    subject = (cred.document or {}).get("credentialSubject") or {}
    return str(subject.get("name") or cred.recipient_name or "")


class _Pdf(Pdf):
    footer_text = ""

    def footer(self) -> None:
        with self.artifact():
            self.set_y(-12)
            self.set_font(self.family, "", 8)
            self.cell(0, 6, self.text_of(self.footer_text), align="C")


def pdf(cred: Credential, lang: str = "nl") -> bytes:
    lang = "en" if lang == "en" else "nl"
    words = WORDS[lang]
    ach, org = cred.achievement, cred.organisation
    # The achievement in the reader's language where it has that wording, else Dutch.
    title, description = ach.in_language("name", lang), ach.in_language("description", lang)
    criteria = ach.in_language("criteria", lang)
    name = learner_name(cred)
    doc = _Pdf(lang=lang, title=" - ".join(x for x in (f"{words['title']}: {title}", name) if x))
    doc.footer_text = words["footer"]
    doc.add_page()
    badge = 46
    doc.figure(io.BytesIO(png_of(ach.image, ach.image_mime, ach.name, org.colour)),
               words["badge"].format(name=title), x=(doc.w - badge) / 2, y=20, w=badge, h=badge)
    doc.set_y(20 + badge + 6)
    doc.set_font(doc.family, "", 11)
    doc.text_block("P", words["title"].upper(), size=11, height=6)
    doc.text_block("H1", title, size=22, style="B", height=10, lang=ach.language_of("name", lang))
    doc.ln(2)
    if name:
        doc.text_block("P", words["awarded"], size=11, height=6)
        doc.text_block("P", name, size=18, style="B", height=9)
    doc.ln(3)
    rows = [(words["issuer"], org.name), (words["date"], day(cred.valid_from, lang))]
    if cred.valid_until:
        rows.append((words["until"], day(cred.valid_until, lang)))
    skills = ", ".join((lang == "en" and s.label_en) or s.label for s in ach.skills)
    if skills:
        rows.append((words["skills"], skills))
    doc.label_table(rows, label_width=45, size=11, height=6)
    if description:
        doc.ln(2)
        doc.text_block("H2", words["proves"], size=13, style="B", height=7)
        doc.text_block("P", description, size=10.5, height=5.5,
                       lang=ach.language_of("description", lang))
    if criteria.strip():
        doc.ln(2)
        doc.text_block("H2", words["criteria"], size=13, style="B", height=7)
        doc.text_block("P", _plain(criteria), size=10.5, height=5.5,
                       lang=ach.language_of("criteria", lang))
    url = share.verify_url(cred.uuid)
    qr = 34
    doc.ln(4)
    doc.room_for(qr + 2)
    top = doc.get_y()
    doc.figure(io.BytesIO(qr_png(url, box_size=6)), words["qr"], x=doc.l_margin, y=top, w=qr, h=qr)
    doc.set_left_margin(doc.l_margin + qr + 6)
    doc.set_xy(doc.l_margin, top + 2)
    doc.text_block("H2", words["check"], size=13, style="B", height=7)
    doc.text_block("P", words["check_text"], size=9.5, height=5)
    doc.text_block("P", url, size=8.5, height=4.5)
    doc.set_left_margin(18)
    return bytes(doc.output())
