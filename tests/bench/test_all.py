"""`make bench`'s table: every measure divided by the trivial view of its own harness."""

from bench import all as bench_all


def dashboard():
    def result(p50, rps):
        return {"p50_ms": p50, "rps": rps}

    return {
        "results": {
            "plain_c1": result(2.0, 400.0),
            "plain_c16": result(8.0, 800.0),
            "dashboard_first_page_c1": result(5.0, 150.0),
            "dashboard_first_page_c16": result(30.0, 200.0),
            "dashboard_deep_page_c1": result(6.0, 120.0),
            "dashboard_deep_page_c16": result(35.0, 160.0),
        },
        "worker_rss_mb": [90.5, 91.0],
    }


SUBMISSION = {
    "plain_view_ms_p50": 10.0,
    "section_save_ms_p50": 45.0,
    "submit_request_ms_p50": 300.0,
    "package_render_ms_p50": 5000.0,
    "package_peak_python_memory_mb_max": 17.5,
}


def test_each_measure_is_a_ratio_to_the_trivial_view_of_its_own_harness(capsys):
    table = {row["measure"]: row for row in bench_all.rows(dashboard(), SUBMISSION)}
    assert table["Dashboard, first page (10,000 applications), c=1 p50"]["ratio"] == 2.5
    assert table["Dashboard, deep page (row 5,000), c=16 throughput"]["ratio"] == 0.2
    assert table["Section save (IMM 5669 background), p50"]["ratio"] == 4.5
    assert table["Submission request, p50"]["ratio"] == 30
    assert table["Package render (4 people), p50"]["ratio"] == 500
    assert table["Package render peak Python memory"]["value"] == "17.5 MB"
    assert table["Web worker 2 RSS"]["value"] == "91.0 MB"
    bench_all.print_table(list(table.values()))
    printed = capsys.readouterr().out
    assert "Trivial view" in printed and "Submission request, p50" in printed
