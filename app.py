"""One-command start: `python app.py` migrates, seeds demo data on a new database, and serves the app.

Settings come from environment variables (see README): DATABASE_URL, SECRET_KEY, CREDENTIALS_KEY, HOST, PORT, …
"""
from __future__ import annotations

import os

from dotenv import load_dotenv

load_dotenv()

from pharmacy import create_app  # noqa: E402

app = create_app()


def main() -> None:
    from flask_migrate import upgrade
    from waitress import serve

    from pharmacy.demo import seed_demo
    from pharmacy.extensions import db

    host = os.environ.get("HOST", "127.0.0.1")
    port = int(os.environ.get("PORT", "5000"))
    with app.app_context():
        upgrade()
        result = seed_demo(db.session, vault=app.extensions["pharmacy.vault"]())
        db.session.commit()
        print(result.describe(), flush=True)
    print(f"pharmacy-pos is running at http://{host}:{port}/  (API docs: /api/docs)", flush=True)
    serve(app, host=host, port=port, threads=8)


if __name__ == "__main__":
    main()
