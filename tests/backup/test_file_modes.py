"""Files holding password hashes, patients' names and keys are 0600 from their creation (issue 12.12)."""
from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from ..conftest import make_app, requires_sqlite

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def no_chmod(monkeypatch):
    """Permissions must be right at creation: narrowing a file afterwards leaves a window, so chmod is banned here."""
    def refuse(*_args, **_kwargs):
        raise AssertionError("chmod after creation")

    monkeypatch.setattr(os, "chmod", refuse)
    monkeypatch.setattr(Path, "chmod", refuse)
    previous = os.umask(0o022)  # a usual desktop umask: new files would be 0644
    yield
    os.umask(previous)


@requires_sqlite
def test_new_sqlite_database_wal_and_shm_are_private(tmp_path, no_chmod):
    from flask_migrate import upgrade

    from pharmacy.extensions import db

    database = tmp_path / "data" / "pharmacy.db"
    app = make_app(f"sqlite:///{database}", tmp_path / "instance")
    with app.app_context():
        upgrade()
        connection = db.engine.connect()  # keep it open so -wal and -shm exist
        connection.exec_driver_sql("CREATE TABLE scratch (x)")
        connection.commit()
        files = [database, Path(f"{database}-wal"), Path(f"{database}-shm")]
        assert all(path.exists() for path in files)
        assert {path.name: mode(path) for path in files} == {path.name: 0o600 for path in files}
        connection.close()
        db.engine.dispose()


def test_generated_secret_and_credentials_key_files_are_private(tmp_path, no_chmod):
    from pharmacy import create_app, init_instance

    os.environ["INSTANCE_PATH"] = str(tmp_path / "instance")
    app = create_app({"TESTING": True, "SECRET_KEY": None, "CREDENTIALS_KEY": None,
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.db'}"})
    init_instance(app)  # what `python app.py` and `flask init` do (the factory makes no files)
    app.extensions["pharmacy.vault"]()
    instance = Path(app.instance_path)
    assert mode(instance / "secret_key") == 0o600 and mode(instance / "credentials_key") == 0o600
    assert mode(instance) == 0o700


def test_write_private_never_reuses_an_existing_file(tmp_path):
    from pharmacy.files import write_private

    target = tmp_path / "key"
    target.write_text("planted")
    with pytest.raises(FileExistsError):
        write_private(target, "secret")
