"""pharmacy-pos: the application factory."""
from __future__ import annotations

import logging
from importlib import import_module

from flask import Flask

from .config import PROJECT_ROOT, Settings
from .database import configure_engine, set_read_only
from .extensions import babel, csrf, db, login_manager, migrate
from .instance import make_secrets, read_secret
from .request_limits import IdConverter
from .wording import use_language

log = logging.getLogger(__name__)


def create_app(config: dict | None = None, *, settings: Settings | None = None) -> Flask:
    """Configure and register only: no tables, no files, no network, no scheduler."""
    settings = settings or Settings.from_environment()
    app = Flask(
        __name__,
        instance_path=settings.instance_path,
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
    )
    app.url_map.converters["int"] = IdConverter
    app.config.update(_default_settings())
    app.config.update(settings.as_config())
    app.config.update(config or {})
    app.extensions["pharmacy.settings"] = settings
    register_secrets(app)
    register_extensions(app)
    register_api(app)
    register_web(app)
    register_cli(app)
    register_http(app)
    register_audit(app)
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
        "SQLALCHEMY_ENGINE_OPTIONS": {},  # connections that rested are pinged (database.py), not every checkout
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_HTTPONLY": True,
        "PERMANENT_SESSION_LIFETIME": 12 * 3600,
        "REMEMBER_COOKIE_DURATION": 0,
        "WTF_CSRF_TIME_LIMIT": None,
        "BABEL_DEFAULT_TIMEZONE": "Asia/Ho_Chi_Minh",
        "BABEL_TRANSLATION_DIRECTORIES": str(PROJECT_ROOT / "pharmacy" / "translations"),
    }


def register_secrets(app: Flask) -> None:
    """Secrets from the environment, else from the instance folder's files (made by `flask init` or
    `python app.py`, never here). Called again by those two once they have made the files."""
    from .security import CredentialVault, TokenSigner, use_fast_password_hashing

    if app.config.get("FAST_PASSWORD_HASHING"):
        use_fast_password_hashing()
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = read_secret(app.instance_path, "SECRET_KEY")
    if not app.config["SECRET_KEY"]:
        log.error("SECRET_KEY is not set and %s holds none: run `flask --app app init` once", app.instance_path)
    vault_holder: dict = {}

    def vault() -> CredentialVault:
        if "vault" not in vault_holder:
            keys = app.config.get("CREDENTIALS_KEY") or read_secret(app.instance_path, "CREDENTIALS_KEY")
            if not keys:
                raise RuntimeError("CREDENTIALS_KEY is not set: run `flask --app app init` once")
            vault_holder["vault"] = CredentialVault(keys)
        return vault_holder["vault"]

    app.extensions["pharmacy.vault"] = vault
    app.extensions["pharmacy.token_signer"] = TokenSigner(
        app.config["SECRET_KEY"], app.config["API_TOKEN_MAX_AGE_SECONDS"]) if app.config["SECRET_KEY"] else None


def init_instance(app: Flask) -> list[str]:
    """Make the instance folder's missing secret files and take them into the app: `flask init`, app.py."""
    made = make_secrets(app.instance_path, app.config)
    register_secrets(app)
    return made


def register_extensions(app: Flask) -> None:
    from . import models  # noqa: F401 - every table registered before migrations look

    db.init_app(app)
    with app.app_context():
        configure_engine(db.engine)
    register_read_only_requests(app)
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"))
    csrf.init_app(app)
    babel.init_app(app, locale_selector=_select_locale)
    use_language(app.config["BABEL_TRANSLATION_DIRECTORIES"].split(";")[0], app.config["BABEL_DEFAULT_LOCALE"])
    login_manager.init_app(app)


# GET endpoints that still write (the lookup keeps the answer): their transactions must take the write lock.
WRITING_GET_ENDPOINTS = frozenset({"prescriptions.NationalLookup"})
# POST endpoints that only read (the counter previews the cart on every change).
READING_POST_ENDPOINTS = frozenset({"counter.Preview"})


def register_read_only_requests(app: Flask) -> None:
    """GET/HEAD/OPTIONS requests only read: on SQLite they never wait for (or hold up) a writer."""
    from flask import request

    @app.before_request
    def _declare_reads():
        reads = request.method in ("GET", "HEAD", "OPTIONS") and request.endpoint not in WRITING_GET_ENDPOINTS
        set_read_only(reads or request.endpoint in READING_POST_ENDPOINTS)

    @app.teardown_request
    def _back_to_default(_exc=None):
        set_read_only(False)


def _select_locale():
    """The user's language in a request; the pharmacy's default elsewhere (CLI exports, the sync worker)."""
    from flask import has_request_context, request, session

    if not has_request_context():
        return app_default_locale()
    return session.get("locale") or request.cookies.get("locale") or app_default_locale()


def app_default_locale() -> str:
    from flask import current_app

    return current_app.config["BABEL_DEFAULT_LOCALE"]


# The API's blueprints in registration order; the counter's JSON endpoints (scan box, cart preview) come last.
API_MODULES = ("auth", "passwords", "stores", "products", "receipts", "sales", "prescriptions", "corrections",
               "issues", "stock", "quarantine", "recalls", "sync", "reports", "scan", "counter", "transfers",
               "stock_counts", "shifts", "suppliers", "supplier_prices", "customers", "payments", "books", "categories",
               "store_prices", "reconciliation", "audit", "controlled")


def register_api(app: Flask) -> None:
    from .api import auth
    from .api.errors import PharmacyApi, marshmallow_plugin, register_error_handlers

    api = PharmacyApi(app, spec_kwargs={
        "marshmallow_plugin": marshmallow_plugin(),
        "components": {"securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}},
        "security": [{"bearer": []}],
    })
    for name in API_MODULES:
        module = import_module(f"{__name__}.api.{name}")
        csrf.exempt(module.blp)
        api.register_blueprint(module.blp)
    app.before_request(auth.load_api_actor)
    register_error_handlers(app)
    app.extensions["pharmacy.api"] = api


def register_web(app: Flask) -> None:
    from .web import register

    register(app)


def register_http(app: Flask) -> None:
    from .web.headers import register

    register(app)


def register_audit(app: Flask) -> None:
    from .audit_trail import register

    register(app)


def register_cli(app: Flask) -> None:
    from .cli import register

    register(app)
