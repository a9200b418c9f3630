"""Blueprints for pages, one folder each. ``register_web`` is the one list of them."""

from __future__ import annotations

from flask import Flask


def register_web(app: Flask) -> None:
    from badges.extensions import db, login_manager
    from badges.models import User
    from badges.web import template_helpers
    from badges.web.admin.routes import bp as admin_bp
    from badges.web.applications.adviser_views import bp as advisers_bp
    from badges.web.applications.routes import bp as applications_bp
    from badges.web.auth.routes import bp as auth_bp
    from badges.web.bulk.routes import bp as bulk_bp
    from badges.web.catalogue.routes import bp as catalogue_bp
    from badges.web.export.routes import bp as export_bp
    from badges.web.issuer.routes import bp as issuer_bp
    from badges.web.passport.routes import bp as passport_bp
    from badges.web.public.documents import bp as documents_bp
    from badges.web.public.routes import bp as public_bp
    from badges.web.share.routes import bp as share_bp
    from badges.web.verify.routes import bp as verify_bp

    template_helpers.init_app(app)

    login_manager.login_view = "auth.login"
    login_manager.login_message = None  # the login page explains itself

    @login_manager.user_loader
    def load_user(user_id: str) -> User | None:
        return db.session.get(User, int(user_id))

    for blueprint in (public_bp, documents_bp, auth_bp, admin_bp, bulk_bp, passport_bp, issuer_bp,
                      verify_bp, share_bp, export_bp, applications_bp, advisers_bp,
                      catalogue_bp):
        app.register_blueprint(blueprint)
