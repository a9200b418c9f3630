"""The public URLs of everything a credential refers to.

They are built from ``BADGES_BASE_URL`` (not from the request), so a
credential signed by a background worker names the same URLs as one signed
in a web request. Changing the base URL later does not break old
credentials only if the old host keeps serving them: choose it once.
"""

from __future__ import annotations

from flask import current_app


def base_url() -> str:
    return current_app.config["BADGES"]["BASE_URL"]


def issuer_id(slug: str) -> str:
    return f"{base_url()}/issuers/{slug}"


def verification_method(slug: str, kid: str) -> str:
    return f"{issuer_id(slug)}#{kid}"


def issuer_logo_url(slug: str) -> str:
    return f"{issuer_id(slug)}/logo"


def jwks_url(slug: str) -> str:
    return f"{issuer_id(slug)}/jwks.json"


def credential_url(uuid: str) -> str:
    return f"{base_url()}/credentials/{uuid}"


def achievement_url(uuid: str) -> str:
    return f"{base_url()}/achievements/{uuid}"


def achievement_image_url(uuid: str) -> str:
    return f"{base_url()}/achievements/{uuid}/image"


def skill_url(skill_id: int) -> str:
    """A skill's own page: what a credential points to for a skill without an ESCO concept."""
    return f"{base_url()}/skills/{skill_id}"


def endorsement_url(uuid: str) -> str:
    return f"{base_url()}/endorsements/{uuid}"


def status_list_url(uuid: str) -> str:
    return f"{base_url()}/status/{uuid}"


def is_local(url: str) -> bool:
    return url.startswith(base_url() + "/")
