"""``badges bench`` (a public contract): engine figures as JSON, on one core."""

from __future__ import annotations

import json


def test_bench_prints_sign_and_verify_figures_for_both_workloads(runner):
    result = runner.invoke(args=["bench", "-n", "4"])
    assert result.exit_code == 0, result.output
    figures = json.loads(result.output)
    assert figures["n"] == 4 and figures["credential_bytes"] > 1000
    for workload in ("eddsa-rdfc-2022", "eddsa-rdfc-2022, every achievement different"):
        for op in ("sign", "verify"):
            stats = figures[workload][op]
            assert stats["ops_per_s"] > 0
            assert 0 < stats["median_ms"] <= stats["p95_ms"]
    assert figures["vc-jwt"]["verify"]["ops_per_s"] > 0
