"""How an organisation's mail looks: its colour and logo in the HTML part."""

from __future__ import annotations

from badges.kernel import urls
from badges.kernel.mail import COLOUR, Branding
from badges.organisations.models import Organisation


def branding(org: Organisation) -> Branding:
    return Branding(org.colour or COLOUR, urls.issuer_logo_url(org.slug) if org.logo_mime else None)
