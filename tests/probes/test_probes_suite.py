"""fdk_guard.e2e.suite: a step that crashes or says nothing is a failing finding."""

from fdk_guard.e2e import suite
from fdk_guard.e2e.target import from_env
from fdk_guard.findings import Finding


def _step(run, control="FDK-ECS-02") -> suite.Step:
    return suite.Step(control, "probe", "healthz.probe", "https://api.test", run)


def test_a_crashing_step_is_a_failing_finding_for_its_control():
    def boom():
        raise RuntimeError("connection pool exploded")

    [found] = _step(boom).judge()
    assert (found.control, found.status, found.engine) == ("FDK-ECS-02", "fail", "probe")
    assert found.message == (
        "FDK-ECS-02: healthz.probe could not run: RuntimeError: connection pool exploded"
    )


def test_a_silent_step_is_a_failing_finding():
    [found] = _step(list).judge()
    assert found.status == "fail" and "returned no finding" in found.message


def test_a_step_returns_what_its_check_found():
    said = [Finding("FDK-ECS-02", "pass", "probe", "https://api.test", "FDK-ECS-02: 200")]
    assert _step(lambda: said).judge() == said


def test_one_probe_step_per_probe_in_order_and_keyword_selects():
    target = from_env({"FDK_SERVER_URL": "https://api.test"})
    steps = suite.probe_steps(target)
    assert [s.control for s in steps][0] == "FDK-ECS-02"  # /healthz first: it waits
    assert len({s.control for s in steps}) == len(steps) == 8
    assert [s.control for s in suite.select(steps, "REDIRECT")] == ["FDK-TLS-01", "FDK-TLS-04"]
    assert suite.select(steps, None) == steps


def test_no_live_step_when_no_deployment_is_named(tmp_path):
    outputs = tmp_path / "outputs.json"
    outputs.write_text('{"server_url": {"value": "https://api.test"}}')  # no vpc_id
    assert suite.live_steps({}) == []
    assert suite.live_steps({"FDK_TF_OUTPUTS": str(outputs)}) == []
