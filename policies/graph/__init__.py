"""Plan-graph checks: one module per control (CONTROL + check(graph) -> list[Finding]).

Each check is a pure function over fdk_guard.plangraph.PlanGraph. It matches resources by
type and attributes, never by address, and says `deferred` when the plan cannot show the
value it needs (unknown until apply, or a reference the plan does not keep).
"""
