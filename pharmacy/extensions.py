"""Unbound extension singletons, attached to the app in the factory with init_app."""
from __future__ import annotations

from flask_babel import Babel
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect

from .models_base import Base

db = SQLAlchemy(model_class=Base)  # db.metadata is Base.metadata: the models need no Flask to be declared
migrate = Migrate(render_as_batch=True)
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
