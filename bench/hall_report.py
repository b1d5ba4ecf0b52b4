"""The load benchmark's arithmetic and output: percentiles, duplicates, targets, tables."""

from __future__ import annotations

import argparse
import math
from collections import Counter
from collections.abc import Iterator
from typing import Any

import sqlalchemy

from bench.hall_clients import Request


def percentiles(seconds: list[float]) -> dict[str, float | None]:
    """p50, p95, p99 and max in milliseconds (nearest rank)."""
    ordered = sorted(seconds)

    def rank(share: float) -> float | None:
        if not ordered:
            return None
        return round(ordered[min(len(ordered), math.ceil(share * len(ordered))) - 1] * 1000, 1)

    return {"p50_ms": rank(0.50), "p95_ms": rank(0.95), "p99_ms": rank(0.99), "max_ms": rank(1.0)}


def _rate(requests: list[Request], done: int) -> float:
    if not requests:
        return 0.0
    span = max(r.sent + r.seconds for r in requests) - min(r.sent for r in requests)
    return round(done / span, 1) if span > 0 else 0.0


def _errors(requests: list[Request], ok: tuple[int, ...]) -> dict[str, Any]:
    failed = [r for r in requests if r.status not in ok or r.error]
    return {"errors": len(failed), "first_errors": [f"{r.status} {r.error}" for r in failed[:5]]}


def issue_summary(
    issues: list[Request], display_events: int, options: argparse.Namespace
) -> dict[str, Any]:
    """Tickets per second, the issue request's latency, errors and numbers issued twice."""
    issued = [r for r in issues if r.status == 201 and r.body]
    numbers = Counter((r.body["service_id"], r.body["number"]) for r in issued)
    return {
        "kiosks": options.kiosks,
        "tickets": len(issued),
        "tickets_per_s": _rate(issues, len(issued)),
        "request": percentiles([r.seconds for r in issued]),
        "mean_ms": round(1000 * sum(r.seconds for r in issued) / max(len(issued), 1), 2),
        **_errors(issues, (201,)),
        "duplicate_numbers": sum(times - 1 for times in numbers.values()),
        "events_heard_by_displays": display_events,
    }


def call_summary(
    calls: list[Request],
    receipts: list[tuple[int, int, float]],
    options: argparse.Namespace,
    displays: int | None = None,
) -> dict[str, Any]:
    """Calls per second, the call request's latency, and every display's call-to-display one."""
    displays = displays or options.displays
    made = [r for r in calls if r.status == 200 and r.body]
    sent: dict[int, Request] = {}
    for request in made:  # a ticket called twice is timed from its first call
        sent.setdefault(request.body["id"], request)
    tickets = Counter(r.body["id"] for r in made)
    heard = Counter((display, ticket) for display, ticket, _ in receipts if ticket in sent)
    first_heard: dict[tuple[int, int], float] = {}
    for display, ticket, at in receipts:
        if ticket in sent:
            first_heard.setdefault((display, ticket), at)
    same, other = [], []
    for (display, ticket), at in first_heard.items():
        latency = at - sent[ticket].sent
        (same if display % options.processes == sent[ticket].server else other).append(latency)
    summary = {
        "counters": options.counters,
        "displays": displays,
        "calls": len(made),
        "calls_per_s": _rate(calls, len(made)),
        "request": percentiles([r.seconds for r in made]),
        "mean_ms": round(1000 * sum(r.seconds for r in made) / max(len(made), 1), 2),
        "to_display": percentiles(same + other),
        "receipts": len(first_heard),
        "missed": displays * len(sent) - len(first_heard),
        **_errors(calls, (200,)),
        "duplicate_calls": sum(times - 1 for times in tickets.values()),
        "duplicate_deliveries": sum(times - 1 for times in heard.values()),
    }
    if options.processes > 1:
        summary["to_display_same_process"] = percentiles(same)
        summary["to_display_other_process"] = percentiles(other)
    return summary


def database_duplicates(database_url: str) -> dict[str, int]:
    """What the database itself says: numbers issued twice, tickets called more than once."""
    engine = sqlalchemy.create_engine(database_url)
    with engine.connect() as connection:
        numbers = connection.exec_driver_sql(
            "SELECT count(*) FROM (SELECT issued_service_id, service_day, number FROM tickets"
            " GROUP BY issued_service_id, service_day, number HAVING count(*) > 1) AS twice"
        ).scalar_one()
        calls = connection.exec_driver_sql(
            "SELECT count(*) FROM (SELECT ticket_id FROM ticket_events WHERE kind = 'called'"
            " GROUP BY ticket_id HAVING count(*) > 1) AS twice"
        ).scalar_one()
    engine.dispose()
    return {"numbers_issued_twice": numbers, "tickets_called_twice": calls}


def duplicates(results: dict[str, Any]) -> Iterator[tuple[str, int]]:
    """Every duplicate count of the run (all must be 0)."""
    for hall in results["halls"]:
        yield "duplicate_numbers", hall["issue"]["duplicate_numbers"]
        yield "duplicate_calls", hall["call"]["duplicate_calls"]
        yield "duplicate_deliveries", hall["call"]["duplicate_deliveries"]
        yield from hall["database_duplicates"].items()
    if results["connections"]:
        yield "duplicate_calls", results["connections"]["call"]["duplicate_calls"]
        yield "duplicate_deliveries", results["connections"]["call"]["duplicate_deliveries"]


def failures(results: dict[str, Any]) -> Iterator[tuple[str, int]]:
    """Every refused or failed request, and every call a display did not hear (all should
    be 0)."""
    calls = [hall["call"] for hall in results["halls"]]
    calls += [results["connections"]["call"]] if results["connections"] else []
    for hall in results["halls"]:
        yield "issue_errors", hall["issue"]["errors"]
    for call in calls:
        yield "call_errors", call["errors"]
        yield "missed_receipts", call["missed"]


def _megabytes(mebibytes: float | None) -> float | None:
    """MiB (what /proc counts in) as the MB (10**6 bytes) the target is stated in."""
    return None if mebibytes is None else round(mebibytes * 2**20 / 10**6, 1)


def _ratio(numerator: float | None, denominator: float | None) -> float | None:
    if numerator is None or not denominator:
        return None
    return round(numerator / denominator, 2)


def targets(
    results: dict[str, Any], compared: dict[str, Any] | None = None
) -> list[dict[str, Any]]:
    """The issue's targets, measured (reported, not asserted); `compared` is a single-process
    run's results, for the two-process run's p99 to be set against."""
    halls = results["halls"]
    small, large = halls[0], halls[-1]
    bare_p99 = results["bare"]["call"]["to_display"]["p99_ms"]
    rows = [
        ("tickets/s issued by the kiosks", small["issue"]["tickets_per_s"], ">=", 300),
        ("call-to-display p99 ms", small["call"]["to_display"]["p99_ms"], "<=", 50),
        ("p99 / bare-emit p99", _ratio(small["call"]["to_display"]["p99_ms"], bare_p99), "<=", 2),
    ]
    if large is not small:
        label = f"at {large['waiting']} / at {small['waiting']} waiting"
        for step in ("issue", "call"):
            cost = _ratio(large[step]["mean_ms"], small[step]["mean_ms"])
            rows.append((f"{step} request mean {label}", cost, "<=", 1.3))
    if results["connections"]:
        connections = results["connections"]
        peak_mb = _megabytes(connections["after_calls"]["worker_peak_mib"])
        rows.append((f"peak MB with {connections['connections']} displays", peak_mb, "<", 500))
    if "to_display_other_process" in small["call"]:
        other = small["call"]["to_display_other_process"]["p99_ms"]
        same = small["call"]["to_display_same_process"]["p99_ms"]
        rows.append(("other-process p99 / same-process p99", _ratio(other, same), "<=", 2))
        if compared:
            single = compared["halls"][0]["call"]["to_display"]["p99_ms"]
            rows.append(("other-process p99 / single-process run's p99", _ratio(other, single),
                         "<=", 2))  # fmt: skip
    rows.append(("errors and calls not heard", sum(n for _, n in failures(results)), "==", 0))
    rows.append(("duplicates", sum(count for _, count in duplicates(results)), "==", 0))
    return [_target(*row) for row in rows]


def _target(name: str, measured: float | None, relation: str, goal: float) -> dict[str, Any]:
    checks = {">=": float.__ge__, "<=": float.__le__, "<": float.__lt__, "==": float.__eq__}
    met = None if measured is None else checks[relation](float(measured), float(goal))
    return {"target": name, "measured": measured, "goal": f"{relation} {goal}", "met": met}


def _table(headers: list[str], rows: list[list[Any]]) -> str:
    cells = [[("-" if cell is None else str(cell)) for cell in row] for row in rows]
    widths = [max(len(h), *(len(row[i]) for row in cells)) for i, h in enumerate(headers)]
    lines = ["  ".join(h.rjust(w) for h, w in zip(headers, widths, strict=True))]
    lines += ["  ".join(c.rjust(w) for c, w in zip(row, widths, strict=True)) for row in cells]
    return "\n".join(lines)


def tables(results: dict[str, Any]) -> str:
    """The run as three plain-text tables (steps, memory, targets) and the servers' settings."""
    rows = []
    for hall in results["halls"]:
        issue, call = hall["issue"], hall["call"]
        rows.append(["issue", hall["waiting"], issue["tickets"], issue["tickets_per_s"],
                     *issue["request"].values(), "", "", "", issue["errors"],
                     issue["duplicate_numbers"],
                     issue.get("server_cpu_ms_per_op", "")])  # fmt: skip
        rows.append(_call_row("call", hall["waiting"], call))
        for where in ("same", "other"):
            if f"to_display_{where}_process" in call:
                split = call[f"to_display_{where}_process"]
                latency = [split["p50_ms"], split["p95_ms"], split["p99_ms"]]
                rows.append([f"  {where} process", *[""] * 7, *latency, "", "", ""])
    rows.append(_call_row("bare emit", None, results["bare"]["call"]))
    if results["connections"]:
        connections = results["connections"]
        rows.append(_call_row(f"{connections['connections']} displays", None, connections["call"]))
    steps = _table(
        ["step", "waiting", "ops", "ops/s", "req p50", "p95", "p99", "max",
         "display p50", "p95", "p99", "errors", "dups", "cpu ms/op"],
        rows,
    )  # fmt: skip
    memory_rows = [
        [f"hall, {hall['waiting']} waiting", process, *memory.values()]
        for hall in results["halls"]
        for process, memory in enumerate(hall["memory"])
    ]
    memory_rows += [["bare emit", p, *m.values()] for p, m in enumerate(results["bare"]["memory"])]
    if results["connections"]:
        connections = results["connections"]
        memory_rows.append(["idle, 0 displays", 0, *connections["idle"].values()])
        memory_rows.append(
            [f"{connections['connections']} displays", 0, *connections["connected"].values()]
        )
        memory_rows.append(
            [f"  after {connections['call']['calls']} calls", 0,
             *connections["after_calls"].values()]
        )  # fmt: skip
    memory = _table(["server", "process", "worker MiB", "peak MiB", "master MiB"], memory_rows)
    goals = _table(
        ["target", "measured", "goal", "met"],
        [[t["target"], t["measured"], t["goal"], t["met"]] for t in results["targets"]],
    )
    machine = results["machine"]
    header = (
        f"{machine['cores']} cores ({machine['cpu']}), {machine['memory_gib']} GiB, "
        f"{machine['os']}, Python {machine['python']}, "
        + ", ".join(f"{name} {version}" for name, version in results["software"].items())
        + f"; load average {machine['load_average']['before'][0]} before, "
        f"{machine['load_average']['after'][0]} after"
    )
    settings = ", ".join(f"{name}={value!r}" for name, value in results["server_settings"].items())
    return f"{header}\n\n{steps}\n\n{memory}\n\n{goals}\n\nservers ran with {settings}"


def _call_row(step: str, waiting: int | None, call: dict[str, Any]) -> list[Any]:
    display = call["to_display"]
    failed = call["errors"] + call["missed"]
    twice = call["duplicate_calls"] + call["duplicate_deliveries"]
    return [step, waiting, call["calls"], call["calls_per_s"], *call["request"].values(),
            display["p50_ms"], display["p95_ms"], display["p99_ms"], failed, twice,
            call.get("server_cpu_ms_per_op", "")]  # fmt: skip
