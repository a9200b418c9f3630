"""Language choice: Dutch by default, English on request (cookie or ?lang=)."""

from __future__ import annotations

from flask import Flask, Response, g, request
from flask_login import current_user

SUPPORTED = ("nl", "en")


def select_locale() -> str:
    wanted = request.args.get("lang") or request.cookies.get("lang")
    if wanted in SUPPORTED:
        return wanted
    if current_user and getattr(current_user, "locale", None) in SUPPORTED:
        return current_user.locale
    # The UI is Dutch first: only an explicit choice switches language.
    return "nl"


def init_app(app: Flask) -> None:
    @app.after_request
    def remember_choice(response: Response) -> Response:
        lang = request.args.get("lang")
        if lang in SUPPORTED:
            response.set_cookie(
                "lang", lang, max_age=60 * 60 * 24 * 365, samesite="Lax",
                secure=app.config["SESSION_COOKIE_SECURE"], httponly=True,
            )
        return response

    @app.context_processor
    def inject_locale() -> dict[str, str]:
        from flask_babel import get_locale

        g.lang = str(get_locale() or "nl")
        return {"lang": g.lang}
