"""The pytest side of the e2e layer: two fixtures and a findings recorder.

Checks written as pytest tests (the pytest view in tests/e2e, or files of your own given
to `fdk-guard e2e PATH`) take two fixtures, re-exported by tests/e2e/conftest.py:

    target   the Target being probed (from the runner, from FDK_*, or the local deployment)
    check    check(findings): records them, then fails the test with their messages when
             one failed, or skips it when none applies

Under `fdk-guard e2e` a FindingsPlugin is registered; it collects what `check` records,
and turns a test that crashed before recording anything into a failing Finding for the
control its `@pytest.mark.control("FDK-...", engine="probe")` marker names.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import pytest

from fdk_guard.e2e import target as target_mod
from fdk_guard.e2e.net import excerpt
from fdk_guard.findings import Finding

PLUGIN_KEY = pytest.StashKey["FindingsPlugin"]()


def _control(item: pytest.Item) -> tuple[str | None, str]:
    marker = item.get_closest_marker("control")
    if marker is None or not marker.args:
        return None, "probe"
    return marker.args[0], marker.kwargs.get("engine", "probe")


class FindingsPlugin:
    def __init__(self, target: target_mod.Target) -> None:
        self.target = target
        self.findings: list[Finding] = []
        self._recorded: set[str] = set()

    def pytest_configure(self, config: pytest.Config) -> None:
        config.stash[PLUGIN_KEY] = self  # how the fixtures find the run they belong to
        config.addinivalue_line("markers", "control(id, engine): the control a test proves")

    def record(self, item: pytest.Item, findings: Iterable[Finding]) -> None:
        self.findings.extend(findings)
        self._recorded.add(item.nodeid)

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_makereport(self, item: pytest.Item, call):
        outcome = yield
        report = outcome.get_result()
        if report.failed and item.nodeid not in self._recorded:
            control, engine = _control(item)
            if control:  # a crash, not a verdict: still a failing control, never a pass
                why = excerpt(str(call.excinfo.value) if call.excinfo else report.longreprtext)
                message = f"{control}: {item.name} could not run ({report.when}): {why}"
                self.findings.append(
                    Finding(control, "fail", engine, self.target.server_url, message)
                )
                self._recorded.add(item.nodeid)


def _plugin(config: pytest.Config) -> FindingsPlugin | None:
    return config.stash.get(PLUGIN_KEY, None)


@pytest.fixture(scope="session")
def target(request: pytest.FixtureRequest) -> Iterator[target_mod.Target]:
    plugin = _plugin(request.config)
    if plugin is not None:
        yield plugin.target
    elif target_mod.configured():
        yield target_mod.from_env()
    else:  # plain `pytest tests/e2e` with nothing configured: what `fdk-guard e2e` would do
        from fdk_guard.e2e import local_target

        with local_target() as local:
            yield local


@pytest.fixture
def check(request: pytest.FixtureRequest):
    plugin = _plugin(request.config)

    def _check(findings: list[Finding]) -> list[Finding]:
        assert findings, "a probe returned no finding"  # a verdict is never silent
        if plugin is not None:
            plugin.record(request.node, findings)
        failures = [f.message for f in findings if f.status == "fail"]
        if failures:
            pytest.fail("\n".join(failures), pytrace=False)
        if all(f.status == "not_applicable" for f in findings):
            pytest.skip("; ".join(f.message for f in findings))
        return findings

    return _check
