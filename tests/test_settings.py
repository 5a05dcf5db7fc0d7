"""One settings object: the environment read in one place with one default each; a factory without side effects."""
from __future__ import annotations

import stat

import pytest

from tests.conftest import TEST_CREDENTIALS_KEY


def test_settings_are_typed_with_one_default_each():
    from connectors.sync.settings import runner_settings
    from pharmacy.config import Settings, setting

    settings = Settings.from_environment({"SYNC_BACKOFF_BASE_SECONDS": "5", "UI_LOCALE": "en", "SANDBOX_MODE": "1",
                                          "HEALTH_DATA_ENABLED": "off", "SCAN_SEPARATORS": "|"})
    config = settings.as_config()
    assert config["SYNC_BACKOFF_BASE_SECONDS"] == 5.0 and config["SYNC_BACKOFF_MAX_SECONDS"] == 3600.0
    assert config["BABEL_DEFAULT_LOCALE"] == "en" and config["SCAN_SEPARATORS"] == "|"
    assert config["SANDBOX_MODE"] is True and config["HEALTH_DATA_ENABLED"] is False
    assert setting({}, "ERX_TIMEOUT_SECONDS") == 8.0
    assert setting({"ERX_TIMEOUT_SECONDS": "2"}, "ERX_TIMEOUT_SECONDS") == 2.0
    assert runner_settings({**config, "NATIONAL_DRUG_DB_URL": "http://x"})["backoff"].base == 5.0


def test_a_setting_that_does_not_parse_is_refused_by_name():
    from pharmacy.config import Settings

    with pytest.raises(ValueError, match="SYNC_CONCURRENCY must be an integer"):
        Settings.from_environment({"SYNC_CONCURRENCY": "many"})


def test_the_factory_writes_no_file_and_init_makes_the_secrets(tmp_path, monkeypatch):
    from pharmacy import create_app
    from pharmacy.config import Settings

    for name in ("SECRET_KEY", "CREDENTIALS_KEY"):
        monkeypatch.delenv(name, raising=False)
    instance = tmp_path / "instance"
    settings = Settings(instance_path=str(instance), database_url=f"sqlite:///{tmp_path / 'db.sqlite'}")
    app = create_app(settings=settings)
    assert not instance.exists()
    assert app.extensions["pharmacy.token_signer"] is None
    result = app.test_cli_runner().invoke(args=["init"])
    assert result.exit_code == 0, result.output
    for name in ("secret_key", "credentials_key"):
        assert stat.S_IMODE((instance / name).stat().st_mode) == 0o600
    assert app.config["SECRET_KEY"] == (instance / "secret_key").read_text()
    assert app.extensions["pharmacy.token_signer"] is not None
    assert "already in place" in app.test_cli_runner().invoke(args=["init"]).output
    again = create_app(settings=settings)
    assert again.config["SECRET_KEY"] == app.config["SECRET_KEY"]


def test_the_factory_takes_secrets_from_the_environment_without_files(tmp_path):
    from pharmacy import create_app
    from pharmacy.config import Settings

    settings = Settings.from_environment({"INSTANCE_PATH": str(tmp_path / "i"), "SECRET_KEY": "s" * 40,
                                          "CREDENTIALS_KEY": TEST_CREDENTIALS_KEY,
                                          "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite'}"})
    app = create_app(settings=settings)
    assert app.config["SECRET_KEY"] == "s" * 40 and app.extensions["pharmacy.vault"]() is not None
    app.test_cli_runner().invoke(args=["init"])
    assert not (tmp_path / "i").exists()
