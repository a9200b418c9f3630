"""Headlines and advice per kind of answer (see services.verify_outcome.KINDS).

Each kind has a tone (ok / warn / bad) for colour, but the headline text and
an icon carry the meaning too: never colour alone. Nothing but ``valid`` is
ever worded as if the credential can be trusted.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

# kind → (tone, icon, headline, advice)
ANSWERS = {
    "valid": ("ok", "✔", _l("Geldig"),
              _l("Het bewijs is echt en niet gewijzigd. Controleer nog of de naam past bij "
                 "de persoon die het liet zien.")),
    "signed_unconfirmed": ("warn", "?", _l("Ondertekend, maar de uitgever is niet bevestigd"),
                           _l("De handtekening klopt en de inhoud is niet gewijzigd. Maar "
                              "iedereen kan zo'n sleutel maken en er elke naam bij zetten. "
                              "Vraag de uitgever zelf om bevestiging.")),
    "impersonation": ("bad", "⚠", _l("Pas op: nagemaakte uitgever"),
                      _l("Iemand doet zich voor als die organisatie. Vertrouw dit bewijs "
                         "niet.")),
    "revoked": ("bad", "✖", _l("Ingetrokken"),
                _l("Ga er niet van uit dat het nog geldt. Vraag de kandidaat om uitleg, of "
                   "neem contact op met de uitgever.")),
    "suspended": ("bad", "‖", _l("Tijdelijk geschorst"),
                  _l("Het geldt nu niet. Vraag de uitgever wanneer dit verandert.")),
    "expired": ("bad", "◷", _l("Verlopen"),
                _l("Het geldt nu niet meer. Vraag de kandidaat om een nieuwere versie.")),
    "not_yet_valid": ("warn", "◷", _l("Nog niet geldig"),
                      _l("Vraag de kandidaat of de uitgever waarom.")),
    "tampered": ("bad", "✖", _l("Vervalst of gewijzigd"),
                 _l("Iemand heeft het bewijs na uitgifte veranderd, of het is nagemaakt. "
                    "Vertrouw het niet.")),
    "not_signed": ("bad", "✖", _l("Niet ondertekend"),
                   _l("Iedereen kan zo'n bestand maken; er valt niets te controleren. Vraag "
                      "om het echte bewijs.")),
    "wrong_issuer": ("bad", "✖", _l("Uitgever klopt niet"),
                     _l("Vertrouw het niet. Vraag de uitgever zelf om het echte bewijs.")),
    "compromised_key": ("bad", "✖", _l("Sleutel ingetrokken"),
                        _l("Iemand anders kan er dus mee hebben ondertekend. Vraag de uitgever "
                           "om een nieuw bewijs.")),
    "unreadable": ("bad", "✖", _l("Niet te lezen"),
                   _l("Controleer of je het goede bestand hebt.")),
    "invalid": ("bad", "✖", _l("Ongeldig"),
                _l("Dit bewijs voldoet niet. Vertrouw er niet op.")),
    "key_unconfirmed": ("warn", "?", _l("Niet te bevestigen"),
                        _l("De uitgever staat niet op Skillspas. Vraag de uitgever zelf om "
                           "bevestiging.")),
    "not_checked": ("warn", "?", _l("Niet te bevestigen"),
                    _l("We konden niet alles controleren. Dit is dus geen garantie dat het "
                       "bewijs geldig is.")),
    "indeterminate": ("warn", "?", _l("Niet te bevestigen"),
                      _l("Dit is dus geen garantie dat het bewijs geldig is.")),
}

# Said after the advice of a valid answer: whether a status list was read.
STATUS_CHECKED = _l("Het is niet ingetrokken of geschorst.")
STATUS_UNCHECKED = _l("Of de uitgever het heeft ingetrokken, konden we niet controleren: er is "
                      "geen statuslijst, of we konden die niet lezen.")

CHECK_STATUS = {
    "pass": ("ok", "✔", _l("In orde")),
    "fail": ("bad", "✖", _l("Mislukt")),
    "warning": ("warn", "!", _l("Let op")),
    "skipped": ("muted", "–", _l("Niet gedaan")),
}

CHECK_NAMES = {
    "input": _l("Bestand gelezen"),
    "type": _l("Soort bewijs"),
    "schema": _l("Opbouw (schema)"),
    "proof": _l("Digitale handtekening"),
    "key_binding": _l("Sleutel hoort bij uitgever"),
    "issuer_match": _l("Ondertekenaar is de uitgever"),
    "status": _l("Ingetrokken of geschorst?"),
    "validity": _l("Geldigheidsperiode"),
    "recipient": _l("Ontvanger (e-mailadres)"),
    "ob2_fetch": _l("Badge online opgehaald"),
}

TRUST = {
    "verified": ("ok", "✔", _l("Bekende organisatie, geverifieerd door Skillspas")),
    "known": ("warn", "!", _l("Organisatie op Skillspas, nog niet geverifieerd door Skillspas")),
    "claimed": ("bad", "✖", _l("Noemt een organisatie op Skillspas, maar is niet met haar "
                               "sleutel ondertekend")),
    "unknown": ("warn", "?", _l("Onbekende uitgever: staat niet op Skillspas")),
    "impersonation": ("bad", "⚠", _l("Gebruikt de naam van een organisatie op Skillspas, "
                                     "maar is niet door haar ondertekend")),
}


# Why a credential that names an organisation here is not shown as hers ("claimed"):
# reason → (tone, icon, line, what happened). Each says only what the checks found.
CLAIMED = {
    "other_key": ("bad", "✖", TRUST["claimed"][2],
                  _l("Het bewijs zegt van %(name)s te komen, maar die organisatie heeft het niet "
                     "met haar sleutel ondertekend.")),
    "altered_own": ("bad", "✖", _l("Ondertekend met de sleutel van deze organisatie, maar "
                                   "daarna veranderd"),
                    _l("Dit bewijs is ondertekend met de sleutel van %(name)s. Daarna is de "
                       "tekst veranderd: de handtekening past er niet meer bij. Daarom is "
                       "niets in dit bewijs te vertrouwen.")),
    "altered": ("bad", "✖", _l("Noemt een organisatie op Skillspas, maar de tekst is veranderd"),
                _l("Het bewijs zegt van %(name)s te komen. Maar de handtekening past niet bij "
                   "de tekst: na het ondertekenen is er iets veranderd. Daarom is niets in dit "
                   "bewijs te vertrouwen.")),
    "stolen_key": ("bad", "✖", _l("Ondertekend met een sleutel van deze organisatie die als "
                                  "gestolen is gemeld"),
                   _l("Dit bewijs is ondertekend met een sleutel van %(name)s. Maar die sleutel "
                      "is als gestolen of gelekt gemeld.")),
    "not_signed": ("bad", "✖", _l("Noemt een organisatie op Skillspas, maar is niet ondertekend"),
                   _l("Het bewijs zegt van %(name)s te komen, maar het heeft geen "
                      "handtekening.")),
    "unchecked": ("warn", "?", _l("Noemt een organisatie op Skillspas, maar de handtekening "
                                  "is niet te controleren"),
                  _l("Het bewijs zegt van %(name)s te komen. Of die organisatie het heeft "
                     "ondertekend, konden we niet controleren.")),
}

# Proof failures that say nothing about whether the content was changed
# (as verification.outcome.UNPROCESSABLE).
_UNPROCESSABLE = {"canonicalization_failed", "check_crashed"}


def claim_reason(entry: dict, report: dict) -> str:
    """Why ``entry`` (the issuer's trust, or one signer of the report) is "claimed".

    ``altered_own``: her own key made the signature, which no longer fits the content;
    ``stolen_key``: her key signed it but was reported stolen; ``other_key``: no key of
    hers signed it; ``not_signed``; ``unchecked``: the signature could not be checked.
    """
    proof: dict = next((c for c in report.get("checks") or [] if c.get("id") == "proof"), {})
    signers = [entry] if "verificationMethod" in entry else [
        s for s in report.get("signers") or [] if s.get("controller") == entry.get("id")]
    own = [s for s in signers if s.get("confirmed")]  # a key of hers was found
    status, code = proof.get("status"), proof.get("code")
    if status == "fail":
        if code == "missing_proof":
            return "not_signed"
        if code in _UNPROCESSABLE:
            return "unchecked"
        return "altered_own" if own else "altered"
    if status == "pass":
        return "stolen_key" if any(s.get("compromised") for s in own) else "other_key"
    if status == "warning":
        return "unchecked" if own else "other_key"  # hers, but unreadable / no key of hers
    return "unchecked"


def trust_line(trust: dict, report: dict | None = None) -> tuple:
    """(tone, icon, text) for who issued it: an impersonation overrides the state."""
    if trust.get("level") == "impersonation" and trust.get("state") != "claimed":
        return TRUST["impersonation"]
    if trust.get("state") == "claimed" and report is not None:
        return CLAIMED[claim_reason(trust, report)][:3]
    return TRUST[trust.get("state", "unknown")]


def claimed_text(trust: dict, report: dict) -> str:
    """What happened, for an organisation here that the credential names (state "claimed")."""
    return str(CLAIMED[claim_reason(trust, report)][3]) % {"name": trust.get("name") or "?"}
