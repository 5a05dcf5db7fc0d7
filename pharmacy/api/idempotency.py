"""`Idempotency-Key` on document-creating endpoints: the same key and body answer with the first document (same
status), a different body under a used key is 422, and concurrent twins make one document."""
from __future__ import annotations

from functools import wraps

from flask import request
from sqlalchemy.exc import IntegrityError

from ..clock import utcnow
from ..extensions import db
from ..idempotency.services import checked_key, claim_key, find_key, fingerprint, replayed
from .auth import actor

IDEMPOTENCY_HEADER = {
    "in": "header", "name": "Idempotency-Key", "required": False,
    "description": "Optional. One key per attempt of the user's action (e.g. per checkout): a retry with the same "
                   "key and body returns the first answer instead of making a second document.",
    "schema": {"type": "string", "minLength": 1, "maxLength": 200, "pattern": "^[\\x21-\\x7e]+$"}}


def commit_keeping_objects() -> None:
    """Commit; the answer is the document as built, so nothing is read back after the commit (the request ends)."""
    session = db.session()
    session.expire_on_commit = False
    session.commit()


def idempotent(model):
    """Wrap a view that records one `model` document and returns it; the wrapper commits (the key is written in
    the document's transaction). Put it under `@blp.response`."""

    def decorate(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            raw = request.headers.get("Idempotency-Key")
            if raw is None:
                document = view(*args, **kwargs)
                commit_keeping_objects()
                return document
            key, user_id = checked_key(raw), actor().id
            print_ = fingerprint(request.method, request.path, request.get_json(silent=True))
            row = find_key(db.session, user_id, key)
            if row is not None:
                return db.session.get(model, replayed(row, print_))
            try:
                row = claim_key(db.session, user_id=user_id, key=key, print_=print_,
                                document_type=model.__tablename__, now=utcnow())
                document = view(*args, **kwargs)
                row.document_id = document.id
                commit_keeping_objects()
            except IntegrityError:
                # A twin with this key committed first: answer as it did (its document, or 422 if it differs).
                db.session.rollback()
                row = find_key(db.session, user_id, key)
                if row is None:
                    raise
                return db.session.get(model, replayed(row, print_))
            return document

        wrapper._apidoc = getattr(view, "_apidoc", {})
        return wrapper

    return decorate
