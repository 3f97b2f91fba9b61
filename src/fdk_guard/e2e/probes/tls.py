"""FDK-TLS-02: the server's certificate and protocols, scanned with sslyze.

The certificate chains to a trusted root (sslyze's stores, or FDK_CA_BUNDLE), matches the
host name, has at least 14 days left; TLS 1.0 and 1.1 are refused, TLS 1.2 or 1.3 offered.
Only the five scan commands this needs run, so the scan takes about a second.
"""

from __future__ import annotations

import datetime as dt
import warnings

from cryptography import x509
from cryptography.utils import CryptographyDeprecationWarning
from sslyze import (
    CertificateInfoExtraArgument,
    ScanCommand,
    ScanCommandAttemptStatusEnum,
    ScanCommandsExtraArguments,
    Scanner,
    ServerNetworkConfiguration,
    ServerNetworkLocation,
    ServerScanRequest,
    ServerScanStatusEnum,
)
from sslyze.errors import ServerHostnameCouldNotBeResolved

from fdk_guard.e2e.net import excerpt
from fdk_guard.e2e.probes._common import failed, passed
from fdk_guard.e2e.target import Target
from fdk_guard.findings import Finding

CONTROL = "FDK-TLS-02"
MIN_DAYS_LEFT = 14
SCAN_TIMEOUT = 5
COMMANDS = {
    ScanCommand.CERTIFICATE_INFO,
    ScanCommand.TLS_1_0_CIPHER_SUITES,
    ScanCommand.TLS_1_1_CIPHER_SUITES,
    ScanCommand.TLS_1_2_CIPHER_SUITES,
    ScanCommand.TLS_1_3_CIPHER_SUITES,
}
EXPECTED = (
    f"a certificate chaining to a trusted root, matching the host, {MIN_DAYS_LEFT}+ days left; "
    "TLS 1.0/1.1 refused; TLS 1.2+ offered"
)


def _request(target: Target) -> ServerScanRequest:
    host, port = target.server_host, target.server_port
    routed = target.resolver.lookup(host, port)
    ip, connect_port = routed if routed else (None, port)  # None: sslyze asks DNS
    extra = ScanCommandsExtraArguments()
    if target.ca_bundle:
        extra = ScanCommandsExtraArguments(
            certificate_info=CertificateInfoExtraArgument(custom_ca_file=target.ca_bundle)
        )
    return ServerScanRequest(
        server_location=ServerNetworkLocation(host, connect_port, ip_address=ip),
        network_configuration=ServerNetworkConfiguration(
            tls_server_name_indication=host,
            # Not shrunk with the deadline: one slow handshake among the dozens a scan
            # makes would void the whole verdict.
            network_timeout=SCAN_TIMEOUT,
            network_max_retries=0,
        ),
        scan_commands=COMMANDS,
        scan_commands_extra_arguments=extra,
    )


def _attempt(result, name: str, problems: list[str]):
    attempt = getattr(result, name)
    if attempt.status != ScanCommandAttemptStatusEnum.COMPLETED:
        trace = attempt.error_trace
        why = excerpt(str(trace) if trace else str(attempt.error_reason), 100)
        problems.append(f"{name} scan did not complete ({why})")
        return None
    return attempt.result


def _names(cert: x509.Certificate) -> list[str]:
    try:
        san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName)
        return [n.lower() for n in san.value.get_values_for_type(x509.DNSName)]
    except x509.ExtensionNotFound:
        return []


def matches(host: str, names: list[str]) -> bool:
    """RFC 6125 matching: exact, or a `*.` wildcard standing for exactly one label."""
    host = host.lower()
    for name in names:
        if name == host:
            return True
        if name.startswith("*.") and "." in host and host.split(".", 1)[1] == name[2:]:
            return True
    return False


def _certificate_problems(cert_info, host: str) -> list[str]:
    problems: list[str] = []
    deployment = cert_info.certificate_deployments[0]
    leaf = deployment.received_certificate_chain[0]
    results = deployment.path_validation_results
    if not any(r.was_validation_successful for r in results):
        # The supplied CA's verdict says most; it is last when FDK_CA_BUNDLE is set.
        problems.append(
            f"certificate not trusted ({excerpt(str(results[-1].validation_error), 90)})"
        )
    names = _names(leaf)
    if not matches(host, names):
        problems.append(f"certificate for {', '.join(names) or '(no DNS names)'}, not {host}")
    days = (leaf.not_valid_after_utc - dt.datetime.now(dt.UTC)).total_seconds() / 86400
    if days < 0:
        problems.append(f"certificate expired {-days:.0f} day(s) ago")
    elif days < MIN_DAYS_LEFT:
        problems.append(f"certificate expires in {days:.0f} day(s)")
    return problems


def probe(target: Target) -> list[Finding]:
    resource = target.server_url
    try:
        request = _request(target)
    except ServerHostnameCouldNotBeResolved:
        return [failed(CONTROL, resource, EXPECTED, f"{target.server_host} does not resolve")]
    scanner = Scanner(per_server_concurrent_connections_limit=5)
    scanner.queue_scans([request])
    with warnings.catch_warnings():  # sslyze's bundled stores hold old roots cryptography flags
        warnings.simplefilter("ignore", CryptographyDeprecationWarning)
        scan = next(iter(scanner.get_results()))
    if scan.scan_status != ServerScanStatusEnum.COMPLETED:
        trace = scan.connectivity_error_trace
        why = excerpt(str(trace) if trace else "no TLS connection", 150)
        return [failed(CONTROL, resource, EXPECTED, f"no TLS handshake: {why}")]

    result, problems = scan.scan_result, []
    cert_info = _attempt(result, "certificate_info", problems)
    if cert_info:
        problems += _certificate_problems(cert_info, target.server_host)
    offered = []
    for version, name in (
        ("1.0", "tls_1_0_cipher_suites"),
        ("1.1", "tls_1_1_cipher_suites"),
        ("1.2", "tls_1_2_cipher_suites"),
        ("1.3", "tls_1_3_cipher_suites"),
    ):
        suites = _attempt(result, name, problems)
        if suites and suites.accepted_cipher_suites:
            offered.append(version)
    legacy = [v for v in offered if v in ("1.0", "1.1")]
    if legacy:
        problems.append(f"TLS {' and '.join(legacy)} accepted")
    if not {"1.2", "1.3"} & set(offered):
        problems.append("neither TLS 1.2 nor 1.3 offered")
    if problems:
        return [failed(CONTROL, resource, EXPECTED, "; ".join(problems))]
    return [
        passed(
            CONTROL,
            resource,
            f"certificate trusted and valid for {target.server_host}; "
            f"TLS {', '.join(offered)} offered, 1.0/1.1 refused",
        )
    ]
