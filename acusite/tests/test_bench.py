"""`manage.py bench` reads wrk correctly, tells when throughput is back after a save, and only ever measures
this machine."""

import pytest
from django.core.management import CommandError, call_command

from acusite.management.commands.bench import (
    interval_counts,
    parse_wrk,
    recovery_seconds,
    round_order,
    summarise,
    with_ratios,
)

WRK_OUTPUT = """Running 3s test @ http://127.0.0.1:40000/points/li4/
  2 threads and 16 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     6.61ms    1.89ms  31.17ms   75.92%
    Req/Sec     1.20k   156.62     1.46k    60.00%
  Latency Distribution
     50%  640.00us
     75%    7.53ms
     90%    8.82ms
     99%    1.25s
  2384 requests in 1.00s, 272.39KB read
  Socket errors: connect 0, read 0, write 0, timeout 3
  Non-2xx or 3xx responses: 2
Requests/sec:   2376.90
Transfer/sec:    271.58KB
"""


def test_wrk_figures_are_read_in_milliseconds_whatever_unit_wrk_prints():
    figures = parse_wrk(WRK_OUTPUT)
    assert figures["rps"] == pytest.approx(2376.90)
    assert figures["p50"] == pytest.approx(0.64)
    assert figures["p99"] == pytest.approx(1250.0)


def test_timeouts_and_error_responses_count_as_errors():
    assert parse_wrk(WRK_OUTPUT)["errors"] == 5


def test_the_table_gives_the_median_of_the_rounds():
    rounds = [
        {"rps": rps, "ratio": ratio, "p50": 1.0, "p99": p99, "errors": 0}
        for rps, ratio, p99 in ((100, 0.5, 9), (300, 0.9, 3), (200, 1.1, 5))
    ]
    assert summarise(rounds) == {"rps": 200, "ratio": 0.9, "p50": 1.0, "p99": 5, "errors": 0}


def test_each_round_measures_l1_again_before_every_page_and_l0_once():
    assert round_order("L0", "L1", ["home hit", "home miss", "point hit", "point miss"]) == [
        "L1", "L0", "home hit", "home miss", "L1", "point hit", "point miss",
    ]  # fmt: skip


def test_a_page_is_compared_with_the_l1_run_just_before_it_not_with_the_rounds_first():
    figures = [
        ("L1", {"rps": 1000.0}),
        ("home hit", {"rps": 900.0}),
        ("L1", {"rps": 800.0}),
        ("point hit", {"rps": 760.0}),
    ]
    ratios = {name: run["ratio"] for name, run in with_ratios(figures, "L1")}
    assert ratios["home hit"] == pytest.approx(0.9)
    assert ratios["point hit"] == pytest.approx(0.95)


AFTER_SAVE_OUTPUT = """Running 6s test @ http://127.0.0.1:40000/
  2 threads and 16 connections
Requests/sec:   2011.40
interval -2 40 0
interval -1 500 0
interval 0 250 0
interval 1 100 3
interval 4 90 0
interval 0 260 0
interval 1 20 0
interval 2 300 0
"""


def test_intervals_are_summed_over_wrk_threads_without_the_lead_in_or_what_came_after():
    counts, errors = interval_counts(AFTER_SAVE_OUTPUT, 4)
    assert counts == [510, 120, 300, 0]
    assert errors == [0, 3, 0, 0]


# Intervals of 0.25 s against a baseline of 1,000 req/s: half of it is 125 responses an interval.
@pytest.mark.parametrize(
    ("counts", "saved_at", "recovery"),
    [
        ([250, 250, 250, 250, 250], 0.5, 0.0),  # never below half
        ([250, 250, 50, 130, 250], 0.5, 0.25),  # back above half once the interval of the save is over
        ([250, 250, 50, 250, 100, 250], 0.6, 0.65),  # the last dip counts: back above half for good
        ([100, 250, 250, 250], 0.5, 0.0),  # a dip before the save is not the save's
        ([250, 250, 50, 100], 0.5, None),  # still below half when the window ends
    ],
)
def test_recovery_is_the_time_from_the_save_to_the_end_of_the_last_interval_below_half(counts, saved_at, recovery):
    assert recovery_seconds(counts, 0.25, 1000, saved_at) == (None if recovery is None else pytest.approx(recovery))


@pytest.mark.parametrize(
    "options",
    [
        {"postgres": "postgres://postgres@db.example.org:5432/acusite", "redis": "redis://127.0.0.1:6379/2"},
        {"postgres": "postgres://postgres@127.0.0.1:5432/acusite", "redis": "redis://cache.example.org:6379/0"},
    ],
)
def test_the_bench_refuses_to_load_another_machine(options):
    with pytest.raises(CommandError, match="not local"):
        call_command("bench", **options)
