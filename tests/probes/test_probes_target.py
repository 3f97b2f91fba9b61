"""The e2e target contract: FDK_* and Terraform outputs read tolerantly, bad values refused."""

import json

import pytest

from fdk_guard.e2e.target import configured, from_env, parse_resolve
from fdk_guard.errors import GuardError


def test_resolve_accepts_curl_resolve_and_connect_to_forms():
    resolver = parse_resolve("a.test:443:127.0.0.1, b.test:80:127.0.0.2:8080,c.test:443:[::1]:9443")
    assert resolver.lookup("A.test", 443) == ("127.0.0.1", 443)
    assert resolver.lookup("b.test", 80) == ("127.0.0.2", 8080)
    assert resolver.lookup("c.test", 443) == ("::1", 9443)
    # a pinned name never goes to DNS, whatever the port
    assert resolver.lookup("a.test", 80) == ("127.0.0.1", 80)
    assert resolver.lookup("elsewhere.test", 443) is None


@pytest.mark.parametrize(
    "bad", ["a.test:443", "a.test:x:127.0.0.1", "a.test:443:not-an-ip", "a.test:443:127.0.0.1:0"]
)
def test_resolve_refuses_malformed_entries(bad):
    with pytest.raises(GuardError, match="FDK_RESOLVE entry"):
        parse_resolve(bad)


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"FDK_SERVER_URL": "http://plain.test"}, "https:// URL"),
        ({"FDK_SERVER_URL": "https://a.test", "FDK_WASM_URLS": "ftp://x"}, "FDK_WASM_URLS"),
        ({"FDK_SERVER_URL": "https://a.test", "FDK_E2E_DEADLINE": "soon"}, "FDK_E2E_DEADLINE"),
        ({"FDK_SERVER_URL": "https://a.test", "FDK_E2E_DEADLINE": "-1"}, "FDK_E2E_DEADLINE"),
        ({"FDK_SERVER_URL": "https://a.test", "FDK_CA_BUNDLE": "/nonexistent.pem"}, "no such"),
        ({"FDK_TF_OUTPUTS": "/nonexistent.json"}, "cannot read"),
        ({"FDK_WASM_URLS": "https://app.test"}, "no e2e target"),
    ],
)
def test_bad_target_settings_are_one_line_errors(env, message):
    with pytest.raises(GuardError, match=message) as err:
        from_env(env)
    assert "\n" not in str(err.value)


def test_outputs_give_urls_and_database_tolerantly(tmp_path):
    outputs = tmp_path / "outputs.json"
    outputs.write_text(
        json.dumps(
            {
                "server_url": {"value": "https://api.demo.test", "type": "string"},
                "wasm_client_urls": {"value": {"app": "app.demo.test"}, "type": "map"},
                "rds_endpoint": {"value": "db.demo.test:6543", "sensitive": False},
                "database_password": {"value": "hunter2", "sensitive": True},
            }
        )
    )
    target = from_env({"FDK_TF_OUTPUTS": str(outputs)})
    assert target.server_url == "https://api.demo.test"
    assert target.wasm_urls == ("https://app.demo.test",)
    assert (target.database.host, target.database.port) == ("db.demo.test", 6543)
    assert "database_password" not in target.outputs  # sensitive values stay out of reach
    assert target.app_origin == "https://api.demo.test"
    # the environment wins over the outputs
    assert (
        from_env({"FDK_TF_OUTPUTS": str(outputs), "FDK_SERVER_URL": "https://x.test"}).server_url
        == "https://x.test"
    )


def test_a_sensitive_database_endpoint_is_probed_but_never_named(tmp_path):
    outputs = tmp_path / "outputs.json"
    outputs.write_text(
        json.dumps(
            {
                "server_url": {"value": "https://api.demo.test"},
                "database_address": {"value": "secret-db.demo.test", "sensitive": True},
                "database_port": {"value": 5432},
            }
        )
    )
    target = from_env({"FDK_TF_OUTPUTS": str(outputs)})
    assert target.database.host == "secret-db.demo.test"
    assert target.database.label == "output:database_address"


def test_configured_only_by_server_url_or_outputs():
    assert not configured({"FDK_CA_BUNDLE": "x", "FDK_RESOLVE": "a:1:127.0.0.1"})
    assert configured({"FDK_SERVER_URL": "https://a.test"})
    assert configured({"FDK_TF_OUTPUTS": "o.json"})


def test_reference_output_names(tmp_path):
    # reference/outputs.tf: server_url, wasm_urls, database_endpoint (address) + database_port
    outputs = tmp_path / "outputs.json"
    outputs.write_text(
        json.dumps(
            {
                "server_url": {"value": "https://fdk.demo.test", "type": "string"},
                "server_fqdn": {"value": "fdk.demo.test", "type": "string"},
                "wasm_urls": {"value": {"app": "https://app.demo.test"}, "type": ["map", "string"]},
                "database_endpoint": {"value": "fdk.abc.rds.test", "type": "string"},
                "database_port": {"value": 5432, "type": "number"},
                "ci_secret_access_key": {"value": "s3cr3t", "sensitive": True},
            }
        )
    )
    target = from_env({"FDK_TF_OUTPUTS": str(outputs)})
    assert (target.server_url, target.wasm_urls) == (
        "https://fdk.demo.test",
        ("https://app.demo.test",),
    )
    assert (target.database.host, target.database.port, target.database.label) == (
        "fdk.abc.rds.test",
        5432,
        "fdk.abc.rds.test:5432",
    )
    assert "s3cr3t" not in repr(target)


def test_curl_resolve_form_on_a_non_standard_port():
    """The issue's own form: FDK_SERVER_URL=https://<name>:<port>, FDK_RESOLVE=<name>:<port>:ip."""
    from fdk_guard.e2e.probes import healthz, tls, web_headers
    from fdk_guard.front import serve

    with serve() as front:
        port = front.routes[0].rsplit(":", 1)[1]
        env = {
            "FDK_SERVER_URL": f"https://api.fdk-guard.test:{port}",
            "FDK_WASM_URLS": f"https://app.fdk-guard.test:{port}",
            "FDK_CA_BUNDLE": str(front.ca_bundle),
            "FDK_RESOLVE": ",".join(
                f"{name}.fdk-guard.test:{port}:127.0.0.1" for name in ("api", "app")
            ),
            "FDK_E2E_DEADLINE": "5",
        }
        target = from_env(env)
        for probe in (healthz.probe, tls.probe, web_headers.probe):
            assert [f.status for f in probe(target)] == ["pass"], probe(target)[0].message
