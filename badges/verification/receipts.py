"""Verification receipts: what was checked, when, by whom, and the answer.

A receipt is built from a *fresh* verification of the submitted input (the
page posts the input again), never from a stored result: this service keeps
nothing about who verified what. The PDF uses DejaVu Sans when installed so
Dutch text (ë, é, ĳ) prints; otherwise it falls back to a core font and
replaces what that font cannot encode.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from babel.dates import format_date

from badges.credentials.verify.checks import parse_date
from badges.kernel import urls
from badges.kernel.i18n import LOCAL_ZONE
from badges.kernel.media.pdf import Pdf
from badges.verification.outcome import Outcome

LABELS: dict[str, dict[str, Any]] = {
    "nl": {"title": "Verificatiebewijs", "answer": "De uitkomst", "what": "Wat er in staat",
           "achievement": "Bewijs voor", "description": "Omschrijving", "criteria": "Eisen",
           "issuer": "Uitgever", "issued": "Uitgegeven op",
           "until": "Geldig tot", "no_end": "geen einddatum", "who": "Wie heeft dit uitgegeven?",
           "checks": "Wat we hebben gecontroleerd", "about": "Over deze controle",
           "when": "Gecontroleerd op", "at": "om", "service": "Gecontroleerd door",
           "input": "Wat er is gecontroleerd", "sha": "Vingerafdruk van de invoer (SHA-256)",
           "format": "Soort bestand", "in_image": "in een {img}-afbeelding",
           "sources": {"credential": "Een bewijs dat op Skillspas staat",
                       "link": "Een link naar een bewijs", "file": "Een geüpload bestand",
                       "text": "Geplakte tekst"},
           "note": "Dit verificatiebewijs is gemaakt door de invoer opnieuw te controleren. "
           "Skillspas bewaart niets over wie controleerde. Wil je de actuele stand weten? "
           "Controleer het bewijs opnieuw op de controlepagina.",
           "page": "Skillspas · verificatiebewijs · pagina {n}"},
    "en": {"title": "Verification receipt", "answer": "The answer", "what": "What it says",
           "achievement": "Credential for", "description": "Description",
           "criteria": "Requirements", "issuer": "Issuer", "issued": "Issued on",
           "until": "Valid until", "no_end": "no end date", "who": "Who issued this?",
           "checks": "What we checked", "about": "About this check",
           "when": "Checked on", "at": "at", "service": "Checked by",
           "input": "What was checked", "sha": "Fingerprint of the input (SHA-256)",
           "format": "Kind of file", "in_image": "in a {img} image",
           "sources": {"credential": "A credential kept on Skillspas",
                       "link": "A link to a credential", "file": "An uploaded file",
                       "text": "Pasted text"},
           "note": "This receipt was made by checking the input again. Skillspas keeps "
           "nothing about who checked. Want to know the current state? Check the credential "
           "again on the verify page.",
           "page": "Skillspas · verification receipt · page {n}"},
}
FORMATS = {"json-ld": "JSON-LD", "jwt": "JWT", "vc-jwt": "VC-JWT", "ob2": "Open Badges 2.0"}


@dataclass
class Wording:
    """The verify page's own words, in the reader's language, passed in by the view."""

    headline: str
    advice: str
    trust: str
    check_names: dict[str, str] = field(default_factory=dict)
    check_status: dict[str, str] = field(default_factory=dict)
    sentence: str = ""  # the page's plain sentence (else the report's own summary)


def build(outcome: Outcome) -> dict:
    """The receipt as JSON-ready data."""
    report = outcome.report
    credential = report.get("credential") or {}
    achievement = credential.get("achievement") or {}
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
        # The achievement's wording Dutch first (as the report), other languages where the
        # credential has them: {"en": {"name": ..., "description": ..., "criteria": ...}}.
        "credential": {"id": credential.get("id"), "name": credential.get("name"),
                       "achievement": achievement.get("name"),
                       "achievementDescription": achievement.get("description"),
                       "achievementCriteria": achievement.get("criteria"),
                       "achievementTranslations": achievement.get("translations") or {},
                       "issuer": credential.get("issuer"),
                       "validFrom": credential.get("validFrom"),
                       "validUntil": credential.get("validUntil")},
        "issuerTrust": outcome.trust_level,
        "issuer_trust": outcome.trust,
        "checks": report.get("checks", []),
    }


class _Pdf(Pdf):
    page_words = "{n}"

    def footer(self) -> None:
        with self.artifact():
            self.set_y(-12)
            self.set_font(self.family, "", 8)
            self.cell(0, 6, self.text_of(self.page_words.format(n=self.page_no())), align="C")


def _when(value: str | None, lang: str, words: dict) -> str:
    """An ISO moment as a Dutch local date and time, in words."""
    moment = parse_date(value)
    if moment is None:
        return "-"
    local = moment.astimezone(LOCAL_ZONE)
    return f"{format_date(local, format='long', locale=_locale(lang))} {words['at']} {local:%H:%M}"


def pdf(receipt: dict, lang: str = "nl", wording: Wording | None = None) -> bytes:
    """The receipt as a tagged PDF in ``lang``, in the verify page's plain words."""
    lang = "en" if lang == "en" else "nl"
    words = LABELS[lang]
    plain = wording or Wording(headline=str(receipt["verdict"]), advice="", trust="")
    cred, source = receipt["credential"], receipt["input"]
    doc = _Pdf(page_break_margin=15, lang=lang, title=f"Skillspas - {words['title']}")
    doc.page_words = words["page"]
    doc.add_page()
    doc.text_block("H1", f"Skillspas - {words['title']}", size=18, style="B", height=9)
    doc.ln(3)
    doc.text_block("H2", f"{words['answer']}: {plain.headline}", size=14, style="B", height=7)
    summary = plain.sentence or (receipt.get("summary") or {}).get(lang)
    if summary:
        doc.text_block("P", summary, size=11, height=6)
    if plain.advice:
        doc.text_block("P", plain.advice, size=10, height=5.5)
    doc.ln(3)
    # The achievement in the reader's language where the credential has it, else Dutch.
    texts = (cred.get("achievementTranslations") or {}).get(lang) or {}
    achievement = texts.get("name") or cred.get("achievement") or cred.get("name")
    if achievement or cred.get("issuer"):
        doc.text_block("H2", words["what"], size=13, style="B", height=7)
        issuer = (cred.get("issuer") or {}).get("name") or (cred.get("issuer") or {}).get("id")
        rows = [(words["achievement"], achievement or "-"), (words["issuer"], issuer or "-")]
        if cred.get("validFrom"):
            rows.append((words["issued"], _day(cred["validFrom"], lang)))
        rows.append((words["until"], _day(cred["validUntil"], lang) if cred.get("validUntil")
                     else words["no_end"]))
        doc.label_table(rows)
        for key in ("description", "criteria"):
            text = texts.get(key) or cred.get(f"achievement{key.title()}")
            if text:
                doc.ln(1)
                doc.text_block("H3", words[key], size=11, style="B", height=6)
                doc.text_block("P", text)
        doc.ln(2)
    if plain.trust:
        doc.text_block("H2", words["who"], size=13, style="B", height=7)
        doc.text_block("P", plain.trust)
        doc.ln(3)
    doc.text_block("H2", words["checks"], size=13, style="B", height=7)
    doc.label_table([(plain.check_names.get(check["id"], check["id"]),
                f"{plain.check_status.get(check['status'], check['status'])}. "
                f"{(check.get('message') or {}).get(lang, '')}".strip())
               for check in receipt["checks"]], label_width=62)
    doc.ln(2)
    doc.text_block("H2", words["about"], size=13, style="B", height=7)
    kind = FORMATS.get(source.get("format") or "", source.get("format") or "-")
    if source.get("container"):
        kind += f" ({words['in_image'].format(img=str(source['container']).upper())})"
    doc.label_table([(words["when"], _when(receipt["checked_at"], lang, words)),
               (words["service"], receipt["service"]),
               (words["input"], words["sources"].get(source.get("source"), source.get("source"))),
               (words["format"], kind),
               (words["sha"], source["sha256"])], label_width=62, size=9, height=5)
    doc.ln(3)
    doc.text_block("P", words["note"], size=9, height=5)
    return bytes(doc.output())


def _day(value: str, lang: str) -> str:
    moment = parse_date(value)
    return format_date(moment.astimezone(LOCAL_ZONE), format="long",
                       locale=_locale(lang)) if moment else value


def _locale(lang: str) -> str:
    return "en_GB" if lang == "en" else "nl"
