"""Bare extension objects; ``create_app`` binds them to the app."""

from flask_limiter import Limiter
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect

from portal import ratelimit
from portal.db import Base

db = SQLAlchemy(model_class=Base)
migrate = Migrate(compare_type=True, render_as_batch=True)
login_manager = LoginManager()
csrf = CSRFProtect()
limiter = Limiter(key_func=ratelimit.per_reader, default_limits_exempt_when=ratelimit.is_anonymous)
limiter.request_filter(ratelimit.nothing_to_count)
