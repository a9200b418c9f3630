"""Verification receipts: what was checked, when, by whom, and the answer.

A receipt is built from a *fresh* verification of the submitted input (the
page posts the input again), never from a stored result: this service keeps
nothing about who verified what. The PDF uses DejaVu Sans when installed so
Dutch text (ë, é, ĳ) prints; otherwise it falls back to a core font and
replaces what that font cannot encode.
"""

from __future__ import annotations

from badges.kernel import urls
from badges.kernel.media.pdf import Pdf
from badges.verification.outcome import Outcome

STATUS_TEXT = {
    "nl": {"pass": "OK", "fail": "MISLUKT", "warning": "LET OP", "skipped": "OVERGESLAGEN"},
    "en": {"pass": "PASS", "fail": "FAIL", "warning": "WARNING", "skipped": "SKIPPED"},
}
LABELS = {
    "nl": {"title": "Verificatiebewijs", "service": "Dienst", "when": "Gecontroleerd op (UTC)",
           "sha": "SHA-256 van de invoer", "size": "Grootte (bytes)", "format": "Formaat",
           "source": "Bron", "verdict": "Uitkomst", "summary": "Samenvatting",
           "credential": "Credential", "issuer": "Uitgever", "trust": "Uitgever op deze dienst",
           "checks": "Controles", "note": "Dit bewijs is gemaakt door de invoer opnieuw te "
           "controleren. De dienst bewaart niets over wie controleerde."},
    "en": {"title": "Verification receipt", "service": "Service", "when": "Checked at (UTC)",
           "sha": "SHA-256 of the input", "size": "Size (bytes)", "format": "Format",
           "source": "Source", "verdict": "Verdict", "summary": "Summary",
           "credential": "Credential", "issuer": "Issuer", "trust": "Issuer on this service",
           "checks": "Checks", "note": "This receipt was made by checking the input again. "
           "The service keeps nothing about who checked."},
}


def build(outcome: Outcome) -> dict:
    """The receipt as JSON-ready data."""
    report = outcome.report
    credential = report.get("credential") or {}
    return {
        "type": "SkillspasVerificationReceipt",
        "service": urls.base_url(),
        "checked_at": outcome.checked_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "input": {"sha256": outcome.sha256, "bytes": outcome.size, "source": outcome.source,
                  "format": report.get("format"), "container": report.get("container")},
        "verified": outcome.as_api()["verified"],  # false for an impersonation
        "verdict": report.get("status"),
        "outcome": outcome.kind,
        "summary": report.get("summary", {}),
        "credential": {"id": credential.get("id"), "name": credential.get("name"),
                       "achievement": (credential.get("achievement") or {}).get("name"),
                       "issuer": credential.get("issuer"),
                       "validFrom": credential.get("validFrom"),
                       "validUntil": credential.get("validUntil")},
        "issuerTrust": outcome.trust_level,
        "issuer_trust": outcome.trust,
        "checks": report.get("checks", []),
    }


class _Pdf(Pdf):
    def __init__(self) -> None:
        super().__init__(page_break_margin=15)

    def row(self, label: str, value: object) -> None:
        self.set_font(self.family, "B", 10)
        self.cell(0, 6, self.text_of(label), new_x="LMARGIN", new_y="NEXT")
        self.set_font(self.family, "", 10)
        self.multi_cell(0, 5.5, self.text_of(value) or "-", new_x="LMARGIN", new_y="NEXT")
        self.ln(1.5)


def pdf(receipt: dict, lang: str = "nl") -> bytes:
    """The receipt as a one- or two-page PDF in ``lang``."""
    lang = "en" if lang == "en" else "nl"
    words, status_words = LABELS[lang], STATUS_TEXT[lang]
    doc = _Pdf()
    doc.set_title(words["title"])
    doc.set_creator("Skillspas")
    doc.add_page()
    doc.set_font(doc.family, "B", 18)
    doc.cell(0, 10, doc.text_of(f"Skillspas · {words['title']}" if doc.unicode
                                else f"Skillspas - {words['title']}"),
             new_x="LMARGIN", new_y="NEXT")
    doc.ln(2)
    doc.set_font(doc.family, "B", 12)
    doc.multi_cell(0, 6.5, doc.text_of(receipt["summary"].get(lang, receipt["verdict"])),
                   new_x="LMARGIN", new_y="NEXT")
    doc.ln(3)
    cred, trust, source = receipt["credential"], receipt["issuer_trust"], receipt["input"]
    issuer = cred.get("issuer") or {}
    for label, value in (
        (words["verdict"], f"{receipt['verdict']} ({receipt['outcome']})"),
        (words["service"], receipt["service"]),
        (words["when"], receipt["checked_at"]),
        (words["sha"], source["sha256"]),
        (words["size"], source["bytes"]),
        (words["format"], " / ".join(x for x in (source["format"], source["container"]) if x)),
        (words["source"], source["source"]),
        (words["credential"], " - ".join(x for x in (cred.get("achievement") or cred.get("name"),
                                                      cred.get("id")) if x)),
        (words["issuer"], " - ".join(x for x in (issuer.get("name"), issuer.get("id")) if x)),
        (words["trust"], f"{receipt['issuerTrust']} ({trust.get('state')})"),
    ):
        doc.row(label, value)
    doc.set_font(doc.family, "B", 12)
    doc.cell(0, 8, doc.text_of(words["checks"]), new_x="LMARGIN", new_y="NEXT")
    for check in receipt["checks"]:
        message = (check.get("message") or {}).get(lang, "")
        doc.row(f"{check['id']}: {status_words.get(check['status'], check['status'])}", message)
    doc.ln(2)
    doc.set_font(doc.family, "", 9)
    doc.multi_cell(0, 5, doc.text_of(words["note"]), new_x="LMARGIN", new_y="NEXT")
    return bytes(doc.output())
