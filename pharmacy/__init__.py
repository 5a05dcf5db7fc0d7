"""pharmacy-pos: the application factory."""
from __future__ import annotations

import os
import secrets
from pathlib import Path

from flask import Flask

from . import config as config_module
from .database import configure_engine
from .api.routing import IdConverter
from .extensions import babel, csrf, db, login_manager, migrate

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def create_app(config: dict | None = None) -> Flask:
    """Configure and register only: no tables, no network, no scheduler."""
    app = Flask(
        __name__,
        instance_path=os.environ.get("INSTANCE_PATH") or str(PROJECT_ROOT / "instance"),
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
    )
    app.url_map.converters["int"] = IdConverter
    app.config.update(_default_settings())
    app.config.update(config_module.from_environment(app.instance_path))
    app.config.update(config or {})
    register_secrets(app)
    register_extensions(app)
    register_api(app)
    register_web(app)
    register_cli(app)
    return app


def _default_settings() -> dict:
    return {
        "API_TITLE": "pharmacy-pos API",
        "API_VERSION": "v1",
        "OPENAPI_VERSION": "3.1.0",
        "OPENAPI_URL_PREFIX": "/api",
        "OPENAPI_JSON_PATH": "openapi.json",
        "OPENAPI_SWAGGER_UI_PATH": "docs",
        "OPENAPI_SWAGGER_UI_URL": "/static/vendor/swagger-ui/",
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_HTTPONLY": True,
        "PERMANENT_SESSION_LIFETIME": 12 * 3600,
        "REMEMBER_COOKIE_DURATION": 0,
        "WTF_CSRF_TIME_LIMIT": None,
        "BABEL_DEFAULT_LOCALE": os.environ.get("UI_LOCALE", "vi"),
        "BABEL_DEFAULT_TIMEZONE": "Asia/Ho_Chi_Minh",
        "BABEL_TRANSLATION_DIRECTORIES": str(PROJECT_ROOT / "pharmacy" / "translations"),
    }


def _instance_secret(app: Flask, filename: str, make) -> str:
    """A secret kept in the instance folder (0600), made on first use when the environment gives none."""
    path = Path(app.instance_path) / filename
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    value = make()
    path.write_text(value)
    path.chmod(0o600)
    return value


def register_secrets(app: Flask) -> None:
    from .security import CredentialVault, TokenSigner, use_fast_password_hashing

    if app.config.get("FAST_PASSWORD_HASHING"):
        use_fast_password_hashing()
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _instance_secret(app, "secret_key", lambda: secrets.token_urlsafe(48))
    vault_holder: dict = {}

    def vault() -> CredentialVault:
        if "vault" not in vault_holder:
            keys = app.config.get("CREDENTIALS_KEY") or _instance_secret(
                app, "credentials_key", CredentialVault.generate_key
            )
            vault_holder["vault"] = CredentialVault(keys)
        return vault_holder["vault"]

    app.extensions["pharmacy.vault"] = vault
    app.extensions["pharmacy.token_signer"] = TokenSigner(app.config["SECRET_KEY"], app.config["API_TOKEN_MAX_AGE_SECONDS"])


def register_extensions(app: Flask) -> None:
    from . import models  # noqa: F401 - every table registered before migrations look

    db.init_app(app)
    with app.app_context():
        configure_engine(db.engine)
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"))
    csrf.init_app(app)
    babel.init_app(app, locale_selector=_select_locale)
    login_manager.init_app(app)


def _select_locale():
    from flask import request, session

    return session.get("locale") or request.cookies.get("locale") or app_default_locale()


def app_default_locale() -> str:
    from flask import current_app

    return current_app.config["BABEL_DEFAULT_LOCALE"]


def register_api(app: Flask) -> None:
    from .api import (
        auth, corrections, issues, prescriptions, products, receipts, reports, sales, stock, stores, sync,
    )
    from .api.errors import PharmacyApi, marshmallow_plugin, register_error_handlers

    api = PharmacyApi(app, spec_kwargs={
        "marshmallow_plugin": marshmallow_plugin(),
        "components": {"securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}},
        "security": [{"bearer": []}],
    })
    for module in (auth, stores, products, receipts, sales, prescriptions, corrections, issues, stock, sync,
                   reports):
        csrf.exempt(module.blp)
        api.register_blueprint(module.blp)
    app.before_request(auth.load_api_actor)
    register_error_handlers(app)
    app.extensions["pharmacy.api"] = api


def register_web(app: Flask) -> None:
    from .web import register

    register(app)


def register_cli(app: Flask) -> None:
    from .cli import register

    register(app)
