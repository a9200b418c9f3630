"""The application shell: the factory, the one list of blueprints, and the CLI.

This is the only package that knows every feature; features never import it.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask

ROOT = Path(__file__).resolve().parent.parent.parent


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app: configuration, extensions, features, blueprints, CLI — in that order."""
    from badges.accounts import oidc
    from badges.app import cli, templating, wiring
    from badges.kernel import database, events, i18n, security
    from badges.kernel.config import load_config
    from badges.kernel.db import db
    from badges.kernel.errors import register_error_handlers
    from badges.kernel.extensions import babel, csrf, limiter, login_manager, migrate
    from badges.operations import logs

    # import_name "badges": translations and instance paths stay beside the package.
    app = Flask(
        "badges",
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    app.config.from_mapping(load_config(config))
    if app.config["BADGES"]["PROXY_FIX"]:
        from werkzeug.middleware.proxy_fix import ProxyFix

        # One trusted proxy (nginx) sets X-Forwarded-For/-Proto/-Host/-Port.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1, x_port=1)  # type: ignore[method-assign]

    db.init_app(app)
    database.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"))
    login_manager.init_app(app)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale)
    limiter.init_app(app)
    oidc.init_app(app)

    i18n.init_app(app)
    events.init_app(app)
    security.init_app(app)
    register_error_handlers(app)
    templating.init_app(app)
    wiring.init_app(app)
    logs.init_app(app)
    register_blueprints(app)
    cli.init_app(app)
    return app


def shutdown(app: Flask) -> None:
    """Before ``app`` or its database goes away (a test server, a gunicorn worker, exit).

    What runs beside the requests stops cleanly: the thread that writes verification
    counts writes what is left and ends; then the database connections are closed.
    """
    from badges.insight.counting import stop_flusher
    from badges.kernel.db import db

    stop_flusher(app)
    with app.app_context():
        db.engine.dispose()


def register_blueprints(app: Flask) -> None:
    """Every page and API blueprint, in one visible list."""
    from badges.accounts import services as accounts
    from badges.accounts.models import User
    from badges.accounts.web import merge_views as _merge_views  # noqa: F401
    from badges.accounts.web import oidc_views as _oidc_views  # noqa: F401
    from badges.accounts.web.routes import bp as auth_bp
    from badges.app.openapi import bp as openapi_bp
    from badges.app.pages import bp as info_bp
    from badges.applications.web import issuer_views as _assessor_views  # noqa: F401
    from badges.applications.web.adviser_views import bp as advisers_bp
    from badges.applications.web.routes import bp as applications_bp
    from badges.catalogue.web import views as _achievement_views  # noqa: F401
    from badges.claimcodes.web import issuer_views as _claim_code_views  # noqa: F401
    from badges.claimcodes.web.public import bp as claimcodes_bp
    from badges.insight import issuer_views as _insight_views  # noqa: F401
    from badges.insight.issuer_views import api_bp as insight_api_bp
    from badges.insight.web import bp as insight_bp
    from badges.issuing.api import bp as credentials_api_bp
    from badges.issuing.api_bulk import bp as bulk_api_bp
    from badges.issuing.web import approvals as _approval_views  # noqa: F401
    from badges.issuing.web import co_issue_views as _co_issue_views  # noqa: F401
    from badges.issuing.web import dashboard as _dashboard  # noqa: F401
    from badges.issuing.web import endorsement_views as _endorsement_views  # noqa: F401
    from badges.issuing.web import mail_views as _mail_views  # noqa: F401
    from badges.issuing.web import views as _credential_views  # noqa: F401
    from badges.issuing.web.bulk import bp as bulk_bp
    from badges.issuing.web.documents import bp as documents_bp
    from badges.kernel.extensions import login_manager
    from badges.listings.web import issuer_views as _listing_views  # noqa: F401
    from badges.listings.web.public import bp as public_bp
    from badges.listings.web.routes import bp as catalogue_bp
    from badges.obapi.api import bp as ob_api_bp
    from badges.obapi.web.routes import bp as ob_consent_bp
    from badges.operations.web import bp as operations_bp
    from badges.organisations.oauth_api import bp as oauth_bp
    from badges.organisations.web import sign_in_rules as _sign_in_rule_views  # noqa: F401
    from badges.organisations.web import units as _unit_views  # noqa: F401
    from badges.organisations.web import views as _organisation_views  # noqa: F401
    from badges.organisations.web.admin import bp as admin_bp
    from badges.organisations.web.invitations import bp as invitations_bp
    from badges.organisations.web.signup import bp as signup_bp
    from badges.organisations.web.workspace import bp as issuer_bp
    from badges.passport.web.export import bp as export_bp
    from badges.passport.web.routes import bp as passport_bp
    from badges.passport.web.share import bp as share_bp
    from badges.reminders.web.views import bp as reminders_bp
    from badges.trajectories.web import views as _trajectory_views  # noqa: F401
    from badges.vcapi.api import bp as vc_api_bp
    from badges.vcapi.api import status_bp as vc_api_status_bp
    from badges.verification.api import bp as verify_api_bp
    from badges.verification.web.routes import bp as verify_bp
    from badges.wallets.api import bp as oid4vci_bp
    from badges.wallets.web.routes import bp as wallet_bp

    # The issuer workspace (``issuer_bp``) is one blueprint; the views above
    # modules of catalogue, issuing, listings, trajectories, organisations and
    # applications attach their routes to it before it is registered.

    login_manager.login_view = "auth.login"
    login_manager.login_message = None  # the login page explains itself

    @login_manager.user_loader
    def load_user(session_id: str) -> User | None:
        return accounts.user_for_session(session_id)

    for blueprint in (public_bp, documents_bp, auth_bp, admin_bp, bulk_bp, passport_bp, issuer_bp,
                      verify_bp, share_bp, export_bp, applications_bp, advisers_bp,
                      catalogue_bp, info_bp, invitations_bp, insight_bp, wallet_bp,
                      claimcodes_bp, reminders_bp, signup_bp, ob_consent_bp):
        app.register_blueprint(blueprint)
    # API blueprints are exempt from CSRF: they authenticate with a Bearer
    # token or take no credentials at all, never the session cookie.
    for blueprint in (verify_api_bp, credentials_api_bp, bulk_api_bp, vc_api_bp, vc_api_status_bp,
                      openapi_bp, operations_bp, insight_api_bp, oid4vci_bp, oauth_bp, ob_api_bp):
        app.register_blueprint(blueprint)
