import pytest

from fdk_guard.e2e.probes import healthz


@pytest.mark.control("FDK-ECS-02")
def test_healthz_answers_200_over_https(target, check):
    check(healthz.probe(target))
