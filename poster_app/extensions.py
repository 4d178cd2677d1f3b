"""Extension objects, unbound; create_app binds them to the app."""

from flask_babel import Babel
from flask_limiter import Limiter
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

from .addresses import request_client


class Base(DeclarativeBase):
    # Named constraints, so Alembic can alter them later (SQLite batch mode needs names).
    metadata = MetaData(
        naming_convention={
            "ix": "ix_%(column_0_label)s",
            "uq": "uq_%(table_name)s_%(column_0_name)s",
            "ck": "ck_%(table_name)s_%(constraint_name)s",
            "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
            "pk": "pk_%(table_name)s",
        }
    )


babel = Babel()
csrf = CSRFProtect()
db = SQLAlchemy(model_class=Base)
# Per client address (an IPv6 one by its /64); the limits and the storage are settings (see
# web/limits.py).
limiter = Limiter(key_func=request_client)
