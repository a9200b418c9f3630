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
              _l("De credential is echt en niet gewijzigd. Controleer nog of de naam past bij "
                 "de persoon die hem liet zien.")),
    "signed_unconfirmed": ("warn", "?", _l("Ondertekend, maar de uitgever is niet bevestigd"),
                           _l("De handtekening klopt en de inhoud is niet gewijzigd. Maar de "
                              "sleutel hoort bij geen organisatie op Skillspas. Iedereen kan "
                              "zo'n sleutel maken en er elke naam bij zetten. Vraag de "
                              "uitgever zelf om bevestiging.")),
    "impersonation": ("bad", "⚠", _l("Pas op: nagemaakte uitgever"),
                      _l("Deze credential gebruikt de naam van een organisatie op Skillspas. "
                         "Maar die organisatie heeft hem niet ondertekend. Iemand doet zich "
                         "voor als die organisatie. Vertrouw deze credential niet.")),
    "revoked": ("bad", "✖", _l("Ingetrokken"),
                _l("De uitgever heeft deze credential ingetrokken. Ga er niet van uit dat hij "
                   "geldt. Vraag de kandidaat om uitleg of neem contact op met de uitgever.")),
    "suspended": ("bad", "‖", _l("Tijdelijk geschorst"),
                  _l("De uitgever heeft deze credential voorlopig geschorst. Hij geldt nu niet. "
                     "Vraag de uitgever wanneer dit verandert.")),
    "expired": ("bad", "◷", _l("Verlopen"),
                _l("De geldigheid van deze credential is voorbij. Vraag de kandidaat om een "
                   "nieuwere versie.")),
    "not_yet_valid": ("warn", "◷", _l("Nog niet geldig"),
                      _l("De geldigheid begint later. Vraag de kandidaat of de uitgever "
                         "waarom.")),
    "tampered": ("bad", "✖", _l("Vervalst of gewijzigd"),
                 _l("De handtekening klopt niet bij de inhoud. Iemand heeft de credential na "
                    "uitgifte veranderd, of hij is nagemaakt. Vertrouw deze niet.")),
    "not_signed": ("bad", "✖", _l("Niet ondertekend"),
                   _l("Dit bestand heeft geen digitale handtekening. Iedereen kan zo'n bestand "
                      "maken; er valt niets te controleren. Vraag om de echte credential.")),
    "wrong_issuer": ("bad", "✖", _l("Uitgever klopt niet"),
                     _l("De credential is ondertekend door een andere partij dan de uitgever "
                        "die erin staat. Vertrouw deze niet.")),
    "compromised_key": ("bad", "✖", _l("Sleutel ingetrokken"),
                        _l("De sleutel waarmee dit is ondertekend, is als gestolen of gelekt "
                           "gemeld. Vraag de uitgever om een nieuwe credential.")),
    "unreadable": ("bad", "✖", _l("Niet te lezen"),
                   _l("We konden hier geen credential in vinden. Controleer of u het goede "
                      "bestand heeft.")),
    "invalid": ("bad", "✖", _l("Ongeldig"),
                _l("Deze credential voldoet niet. Vertrouw er niet op.")),
    "key_unconfirmed": ("warn", "?", _l("Niet te bevestigen"),
                        _l("De handtekening klopt, maar we kunnen niet bevestigen dat de sleutel "
                           "echt van deze uitgever is. De uitgever staat niet op Skillspas. "
                           "Vraag de uitgever zelf om bevestiging.")),
    "not_checked": ("warn", "?", _l("Niet te bevestigen"),
                    _l("We konden niet alles controleren (zie hieronder waarom). Dit is dus "
                       "geen bewijs dat de credential geldig is.")),
    "indeterminate": ("warn", "?", _l("Niet te bevestigen"),
                      _l("We kunnen niet bevestigen dat deze credential geldig is. Zie "
                         "hieronder waarom.")),
}

# Said after the advice of a valid answer: whether a status list was read.
STATUS_CHECKED = _l("Hij is niet ingetrokken of geschorst.")
STATUS_UNCHECKED = _l("Of de uitgever hem heeft ingetrokken, konden we niet controleren: er is "
                      "geen statuslijst, of we konden die niet lezen.")

CHECK_STATUS = {
    "pass": ("ok", "✔", _l("In orde")),
    "fail": ("bad", "✖", _l("Mislukt")),
    "warning": ("warn", "!", _l("Let op")),
    "skipped": ("muted", "–", _l("Niet gedaan")),
}

CHECK_NAMES = {
    "input": _l("Bestand gelezen"),
    "type": _l("Soort credential"),
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
