"""docker-compose.yml gives each service what the production settings require."""

from pathlib import Path

import yaml

from portal.settings import REQUIRED_IN_PRODUCTION

COMPOSE = yaml.safe_load((Path(__file__).resolve().parents[2] / "docker-compose.yml").read_text())
APP_SERVICES = ("web", "worker", "worker-pdf", "beat")


def test_every_app_service_sets_every_required_production_variable():
    for name in APP_SERVICES:
        env = COMPOSE["services"][name]["environment"]
        missing = [v for v in REQUIRED_IN_PRODUCTION if not str(env.get(v, "")).strip()]
        assert not missing, f"{name} lacks {missing}"
        assert env["DEBUG"] == "false"


def test_secrets_come_from_the_environment_never_from_the_file():
    env = COMPOSE["services"]["web"]["environment"]
    for secret in ("SECRET_KEY", "SIGNATURE_SEAL_KEY", "AWS_SECRET_ACCESS_KEY"):
        assert env[secret].startswith("${") and ":?" in env[secret]


def test_deployment_has_the_expected_services():
    services = set(COMPOSE["services"])
    assert {"proxy", "web", "worker", "worker-pdf", "beat", "postgres", "redis"} <= services
    assert {"mailpit", "minio"} <= services
    assert "-Q pdf" in COMPOSE["services"]["worker-pdf"]["command"]
    assert "gthread" in COMPOSE["services"]["web"]["command"]
