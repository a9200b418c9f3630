"""Language choice: Dutch by default, English on request (cookie or ?lang=)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

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


def current_language() -> str:
    """The language of the page being made ("nl" outside a request: mail jobs, CLI)."""
    from flask import has_request_context
    from flask_babel import get_locale

    if not has_request_context():
        return "nl"
    lang = str(get_locale() or "nl")
    return lang if lang in SUPPORTED else "nl"


def init_app(app: Flask) -> None:
    @app.before_request
    def remember_for_the_account() -> None:
        """A signed-in person who picks a language keeps it: their mail is written in it too."""
        lang = request.args.get("lang")
        if (lang in SUPPORTED and getattr(current_user, "is_authenticated", False)
                and getattr(current_user, "locale", lang) != lang):
            from sqlalchemy.exc import SQLAlchemyError

            from badges.kernel.db import db

            current_user.locale = lang
            try:
                db.session.commit()
            except SQLAlchemyError:  # a preference; the page still works without it
                db.session.rollback()

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


# Times are stored in UTC and shown, and typed, in Dutch local time (summer time included).
LOCAL_ZONE = ZoneInfo("Europe/Amsterdam")


def end_of_local_day(day: date) -> datetime:
    """A date someone picks as "until" means through that day in Dutch time (as aware UTC),
    so it shows as the same date wherever it is shown in local time."""
    return datetime.combine(day, time(23, 59, 59), tzinfo=LOCAL_ZONE).astimezone(UTC)


def from_local(moment: datetime) -> datetime:
    """A time typed in a form (no zone: Dutch local time) as an aware UTC time."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=LOCAL_ZONE)
    return moment.astimezone(UTC)


def local(moment: datetime | date | None, fmt: str = "%d-%m-%Y %H:%M") -> str:
    """Jinja filter ``|local``: a stored (UTC) time as Dutch local time (a plain date as is)."""
    if moment is None:
        return ""
    if not isinstance(moment, datetime):
        return moment.strftime(fmt)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(LOCAL_ZONE).strftime(fmt)
