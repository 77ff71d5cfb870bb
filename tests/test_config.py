"""Settings: config.toml holds every setting, and a setting graphq does not have is refused."""

from __future__ import annotations

import tomllib
from pathlib import Path

import msgspec
import pytest

from graphq.cli import main
from graphq.config import Settings, known_settings, load_settings
from tests.postgres import PostgresCluster

PROJECT_CONFIG = Path(__file__).resolve().parents[1] / "config.toml"


def _config(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text)
    return path


def test_config_toml_holds_every_setting_with_its_default() -> None:
    in_file = tomllib.loads(PROJECT_CONFIG.read_text())
    defaults = msgspec.to_builtins(Settings())
    known = {section: set(keys) for section, keys in known_settings().items()}
    assert {section: set(keys) for section, keys in in_file.items()} == known
    for section, keys in in_file.items():
        for key, value in keys.items():
            assert value == defaults[section][key], f"{section}.{key}"


def test_a_misspelt_section_is_a_start_up_error_naming_it(tmp_path: Path) -> None:
    path = _config(tmp_path, "[sever]\nport = 9000\n")
    with pytest.raises(ValueError, match=r"unknown section \[sever\] \(did you mean 'server'\?\)"):
        load_settings(path, environ={})


def test_a_misspelt_key_is_a_start_up_error_naming_it(tmp_path: Path) -> None:
    path = _config(tmp_path, "[queue]\nworker_slot = 8\n")
    with pytest.raises(ValueError, match=r"unknown setting queue\.worker_slot .*'worker_slots'"):
        load_settings(path, environ={})


def test_an_environment_variable_naming_no_setting_is_an_error(tmp_path: Path) -> None:
    absent = tmp_path / "absent.toml"
    with pytest.raises(ValueError, match="GRAPHQ_QUEUE_WORKER_SLOT: unknown setting"):
        load_settings(absent, environ={"GRAPHQ_QUEUE_WORKER_SLOT": "8"})
    with pytest.raises(ValueError, match="GRAPHQ_SEVER_PORT: unknown section 'sever'"):
        load_settings(absent, environ={"GRAPHQ_SEVER_PORT": "9000"})


def test_environment_variables_override_the_file_and_single_words_are_not_settings(
    tmp_path: Path,
) -> None:
    path = _config(tmp_path, "[server]\nport = 9000\n[auth]\nunauthenticated_burst = 5\n")
    environ = {"GRAPHQ_SERVER_PORT": "9100", "GRAPHQ_CONFIG": str(path), "GRAPHQ_X": "1"}
    settings = load_settings(path, environ=environ)
    assert settings.server.port == 9100
    assert settings.auth.unauthenticated_burst == 5


def test_the_cli_refuses_an_unknown_setting_before_touching_the_database(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _config(tmp_path, "[queue]\nworker_slot = 8\n")
    data_dir = tmp_path / "data"
    assert main(["--config", str(path), "db", "upgrade", "--data-dir", str(data_dir)]) == 2
    assert "unknown setting queue.worker_slot" in capsys.readouterr().err
    assert not data_dir.exists()


def test_a_postgresql_url_without_a_driver_means_asyncpg_and_an_unknown_database_is_refused(
    tmp_path: Path,
) -> None:
    def url(value: str) -> str:
        overrides = {"storage": {"database_url": value}}
        return load_settings(tmp_path / "absent.toml", environ={}, overrides=overrides).database_url

    assert url("postgresql://graphq@db/graphq") == "postgresql+asyncpg://graphq@db/graphq"
    assert url("postgres://db/graphq") == "postgresql+asyncpg://db/graphq"
    assert url("") == f"sqlite+aiosqlite:///{Path.cwd() / 'data' / 'graphq.db'}"
    with pytest.raises(ValueError, match="no driver for 'mysql'"):
        url("mysql://db/graphq")


def test_the_database_url_flag_wins_over_the_environment(
    tmp_path: Path,
    postgres_cluster: PostgresCluster,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    database = postgres_cluster.create_database()
    monkeypatch.setenv("GRAPHQ_STORAGE_DATABASE_URL", "sqlite+aiosqlite:////nonexistent/x.db")
    with_password = database.replace("graphq@", "graphq:secret@")  # trust: never checked
    data_dir = str(tmp_path / "data")
    upgrade = ["db", "upgrade", "--data-dir", data_dir, "--database-url", with_password]
    assert main(["--config", str(tmp_path / "absent.toml"), *upgrade]) == 0
    printed = capsys.readouterr().out
    assert "secret" not in printed and f":{postgres_cluster.port}/" in printed
    tables = postgres_cluster.psql("SELECT count(*) FROM jobs", database.rsplit("/", 1)[-1])
    assert tables == "0"
    assert not (tmp_path / "data" / "graphq.db").exists()
