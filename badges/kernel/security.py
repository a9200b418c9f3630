"""Response hardening: CSP with per-request nonces and the other security headers."""

from __future__ import annotations

import secrets

from flask import Flask, Request, Response, g, request
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface


def csp_nonce() -> str:
    # Kept on the request, not ``g``: one nonce per response, never reused.
    return request.environ.setdefault("badges.csp_nonce", secrets.token_urlsafe(16))


def _rest(form_action: str = "'self'") -> str:
    """What every policy says after its script and style sources."""
    return ("img-src 'self' data:; object-src 'none'; base-uri 'self'; "
            f"form-action {form_action}; frame-ancestors 'none'")


_CSP_REST = _rest()
# The page policy without nonces: nothing else that is served runs inline code.
NON_HTML_CSP = f"default-src 'self'; {_CSP_REST}"
STATIC_HEADERS = (
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "DENY"),
    ("Referrer-Policy", "strict-origin-when-cross-origin"),
    ("Permissions-Policy", "camera=(), microphone=(), geolocation=()"),
)


def page_policy(form_action: str = "'self'") -> str:
    """The CSP of an HTML page, with this response's nonce. A page whose form is answered by a
    redirect elsewhere (the OAuth consent page) names that origin: browsers check
    ``form-action`` against the redirect too."""
    nonce = csp_nonce()
    return (f"default-src 'self'; script-src 'self' 'nonce-{nonce}'; "
            f"style-src 'self' 'nonce-{nonce}'; {_rest(form_action)}")


class PagesOnlySessionInterface(SecureCookieSessionInterface):
    """Cookie sessions for pages; none for the JSON API.

    The API authenticates every call by token and keeps no state between
    calls: a session there could only leak page state into it, adds
    ``Vary: Cookie`` to every answer and costs a signing serializer per call.
    Writing to it raises (Flask's null session).
    """

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        if request.path.startswith("/api/"):
            return self.make_null_session(app)
        return super().open_session(app, request)


def _for_one_user() -> bool:
    """Whether this answer was made for a signed-in user or an API token holder.

    Reads the user Flask-Login already loaded for this request (every page
    does, for its menu) instead of opening the session: a visitor's public
    page stays cacheable and gains no ``Vary: Cookie``.
    """
    user = g.get("_login_user")
    return bool(getattr(user, "is_authenticated", False)) or "Authorization" in request.headers


def _no_store(response: Response) -> None:
    """Nothing meant for one user is kept by a browser cache or a proxy (#15).

    Pages always; other answers unless the view chose a policy (a public
    document's ``max-age``, a private image's ``private, max-age``).
    """
    current = response.headers.get("Cache-Control")
    if current is None or (response.mimetype == "text/html" and "no-store" not in current):
        response.headers["Cache-Control"] = "no-store"


def init_app(app: Flask) -> None:
    from badges.kernel import logs

    logs.install()  # capability tokens never reach a log line
    app.jinja_env.globals["csp_nonce"] = csp_nonce
    app.session_interface = PagesOnlySessionInterface()

    hsts = app.config["BADGES"]["BASE_URL"].startswith("https://")

    @app.after_request
    def set_security_headers(response: Response) -> Response:
        headers = response.headers
        if "Content-Security-Policy" not in headers:
            # Pages get per-response nonces for their inline script and style;
            # JSON, images and files need none (and a nonce costs a random draw).
            if response.mimetype == "text/html":
                headers["Content-Security-Policy"] = page_policy()
            else:
                headers["Content-Security-Policy"] = NON_HTML_CSP
        for name, value in STATIC_HEADERS:
            if name not in headers:
                headers[name] = value
        if hsts or request.is_secure:
            headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        if _for_one_user():
            _no_store(response)
        return response
