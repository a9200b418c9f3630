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
                           _l("De handtekening klopt en de inhoud is niet gewijzigd. Maar de "
                              "sleutel hoort bij geen organisatie op Skillspas. Iedereen kan "
                              "zo'n sleutel maken en er elke naam bij zetten. Vraag de "
                              "uitgever zelf om bevestiging.")),
    "impersonation": ("bad", "⚠", _l("Pas op: nagemaakte uitgever"),
                      _l("Dit bewijs gebruikt de naam van een organisatie op Skillspas. "
                         "Maar die organisatie heeft het niet ondertekend. Iemand doet zich "
                         "voor als die organisatie. Vertrouw dit bewijs niet.")),
    "revoked": ("bad", "✖", _l("Ingetrokken"),
                _l("Ga er niet van uit dat het nog geldt. Vraag de kandidaat om uitleg, of "
                   "neem contact op met de uitgever.")),
    "suspended": ("bad", "‖", _l("Tijdelijk geschorst"),
                  _l("De uitgever heeft dit bewijs voorlopig geschorst. Het geldt nu niet. "
                     "Vraag de uitgever wanneer dit verandert.")),
    "expired": ("bad", "◷", _l("Verlopen"),
                _l("De geldigheid van dit bewijs is voorbij. Vraag de kandidaat om een "
                   "nieuwere versie.")),
    "not_yet_valid": ("warn", "◷", _l("Nog niet geldig"),
                      _l("De geldigheid begint later. Vraag de kandidaat of de uitgever "
                         "waarom.")),
    "tampered": ("bad", "✖", _l("Vervalst of gewijzigd"),
                 _l("De handtekening klopt niet bij de inhoud. Iemand heeft het bewijs na "
                    "uitgifte veranderd, of het is nagemaakt. Vertrouw het niet.")),
    "not_signed": ("bad", "✖", _l("Niet ondertekend"),
                   _l("Dit bestand heeft geen digitale handtekening. Iedereen kan zo'n bestand "
                      "maken; er valt niets te controleren. Vraag om het echte bewijs.")),
    "wrong_issuer": ("bad", "✖", _l("Uitgever klopt niet"),
                     _l("Het bewijs is ondertekend door een andere partij dan de uitgever "
                        "die erin staat. Vertrouw het niet.")),
    "compromised_key": ("bad", "✖", _l("Sleutel ingetrokken"),
                        _l("De sleutel waarmee dit is ondertekend, is als gestolen of gelekt "
                           "gemeld. Vraag de uitgever om een nieuw bewijs.")),
    "unreadable": ("bad", "✖", _l("Niet te lezen"),
                   _l("We konden hier geen bewijs in vinden. Controleer of je het goede "
                      "bestand hebt.")),
    "invalid": ("bad", "✖", _l("Ongeldig"),
                _l("Dit bewijs voldoet niet. Vertrouw er niet op.")),
    "key_unconfirmed": ("warn", "?", _l("Niet te bevestigen"),
                        _l("De handtekening klopt, maar we kunnen niet bevestigen dat de sleutel "
                           "echt van deze uitgever is. De uitgever staat niet op Skillspas. "
                           "Vraag de uitgever zelf om bevestiging.")),
    "not_checked": ("warn", "?", _l("Niet te bevestigen"),
                    _l("We konden niet alles controleren (zie hieronder waarom). Dit is dus "
                       "geen garantie dat het bewijs geldig is.")),
    "indeterminate": ("warn", "?", _l("Niet te bevestigen"),
                      _l("We kunnen niet bevestigen dat dit bewijs geldig is. Zie "
                         "hieronder waarom.")),
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


def trust_line(trust: dict) -> tuple:
    """(tone, icon, text) for who issued it: an impersonation overrides the state."""
    if trust.get("level") == "impersonation" and trust.get("state") != "claimed":
        return TRUST["impersonation"]
    return TRUST[trust.get("state", "unknown")]
