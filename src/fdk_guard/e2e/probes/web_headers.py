"""FDK-WEB-01: each WASM URL answers 200 with COEP require-corp and COOP same-origin,
on the page and on the same-origin assets it loads (module script, JS glue, .wasm).
"""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import httpx

from fdk_guard.catalogue import params
from fdk_guard.e2e import net
from fdk_guard.e2e.probes._common import failed, not_applicable, passed
from fdk_guard.e2e.target import Target
from fdk_guard.findings import Finding

CONTROL = "FDK-WEB-01"
REQUIRED = dict(params(CONTROL)["headers"])  # the catalogue's COEP and COOP values
ASSET_RELS = {"modulepreload", "preload", "stylesheet", "prefetch"}
EXPECTED = (
    "200 with "
    + " and ".join(f"{k}: {v}" for k, v in REQUIRED.items())
    + (" on the page and its assets")
)


class _Assets(HTMLParser):
    """Collects what a trunk-built page loads: script src, preload/modulepreload hrefs."""

    def __init__(self) -> None:
        super().__init__()
        self.refs: list[str] = []

    def handle_starttag(self, tag, attrs) -> None:
        attr = dict(attrs)
        if tag == "script" and attr.get("src"):
            self.refs.append(attr["src"])
        rels = set((attr.get("rel") or "").lower().split())
        if tag == "link" and attr.get("href") and rels & ASSET_RELS:
            self.refs.append(attr["href"])


def assets(page_url: str, html: str) -> list[str]:
    """Same-origin asset URLs the page loads, in order, without duplicates."""
    parser = _Assets()
    parser.feed(html)
    origin = urlsplit(page_url).netloc
    found: list[str] = []
    for ref in parser.refs:
        url = urljoin(page_url, ref)
        if urlsplit(url).netloc == origin and url not in found:
            found.append(url)
    return found


def header_problems(url: str, answer: httpx.Response) -> list[str]:
    if answer.status_code != 200:
        return [f"{url}: {answer.status_code}"]
    problems = []
    for name, want in REQUIRED.items():
        got = answer.headers.get(name)
        value = (got or "").split(";")[0].strip().lower()  # "require-corp; report-to=..." is fine
        if got is None:
            problems.append(f"{url}: {name} missing")
        elif value != want:
            problems.append(f"{url}: {name}: {got}")
    return problems


def check(target: Target, page_url: str) -> Finding:
    try:
        with net.client(target) as client:
            page = client.get(page_url)
            problems = header_problems(page_url, page)
            loaded = assets(page_url, page.text) if page.status_code == 200 else []
            for url in loaded:
                problems += header_problems(url, client.get(url))
    except httpx.HTTPError as err:
        return failed(CONTROL, page_url, EXPECTED, net.describe_error(err))
    if problems:
        return failed(CONTROL, page_url, EXPECTED, "; ".join(problems))
    names = ", ".join(urlsplit(u).path for u in loaded) or "no assets referenced"
    return passed(
        CONTROL, page_url, f"page and assets ({names}) send COEP require-corp, COOP same-origin"
    )


def probe(target: Target) -> list[Finding]:
    if not target.wasm_urls:
        return [not_applicable(CONTROL, "FDK_WASM_URLS", "no WASM URL configured")]
    return [check(target, url) for url in target.wasm_urls]
