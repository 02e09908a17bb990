"""Submission benchmark: package render time and peak memory for a PA, a spouse and two adult
children, and the submit request's latency, as ratios to the trivial view (bench/README.md).

    BENCH_ENDPOINTS=1 DJANGO_SETTINGS_MODULE=portal.settings_test \\
        .venv/bin/python -m bench.submission [--repeats 5]

Runs in a throwaway test database (created and dropped here). The package task is not run in
the request: its publish is recorded instead, as the broker would receive it; then the package
is rendered on its own and measured.
"""

import argparse
import json
import os
import resource
import statistics
import time
import tracemalloc
import uuid
from unittest import mock

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings_test")
os.environ.setdefault("BENCH_ENDPOINTS", "1")


def _timed(call, repeats: int) -> list[float]:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        call()
        times.append((time.perf_counter() - start) * 1000)
    return times


def main() -> None:
    import logging

    import django

    django.setup()
    logging.getLogger("weasyprint").setLevel(logging.WARNING)
    logging.getLogger("fontTools").setLevel(logging.WARNING)
    from django.test.utils import setup_databases, setup_test_environment, teardown_databases
    from django.urls import reverse

    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--out", help="also write the JSON here")
    args = parser.parse_args()
    setup_test_environment()
    old = setup_databases(verbosity=0, interactive=False)
    try:
        results = _run(args.repeats, reverse)
    finally:
        teardown_databases(old, verbosity=0)
    print(json.dumps(results, indent=2))
    if args.out:
        with open(args.out, "w", encoding="utf-8") as out:
            json.dump(results, out, indent=2)


def _run(repeats: int, reverse) -> dict:
    from applications import package, signatures, submission
    from applications.models import Submission
    from tests import factories
    from tests.applications.submission_helpers import (
        PROFILE,
        complete_forms,
        complete_profiles,
        upload_required_documents,
    )
    from tests.conftest import signed_in
    from tests.forms_imm.family_helpers import CHILD_BORN

    representative = factories.make_representative(email="bench-rep@example.test")
    rep = signed_in(representative.user)
    timings = {"plain": [], "submit": [], "section_save": []}
    renders, peaks = [], []
    for index in range(repeats):
        application = factories.make_application(
            representative=representative,
            client=factories.make_client(email=f"bench-{index}@example.test"),
            family_name=f"Bench{index}",
        )
        complete_profiles(application)
        for n in range(2):  # two adult children, single, born after their parents
            factories.make_person(
                application=application, relationship="02", family_name=f"Child{n}",
                given_names="Adult", accompanying=True,
                **{**PROFILE, "date_of_birth": CHILD_BORN, "marital_status": "02"},
            )  # fmt: skip
        complete_forms(rep, application, list(application.people.all()))
        timings["section_save"] += _section_saves(rep, application, 3)
        upload_required_documents(application)
        application.refresh_from_db()
        signatures.application_send_for_signature(application=application, actor=rep_user(rep))
        for entry in signatures.required_signatures(application):
            signatures.signature_sign(
                application=application, key=entry.key, typed_text=entry.expected_name,
                attested=True, user=application.client.user, evidence={},
            )  # fmt: skip
        application.refresh_from_db()
        submission.representative_declare(
            application=application, actor=representative.user, evidence={}
        )
        timings["plain"] += _timed(lambda: rep.get("/__bench/plain/"), 3)
        url = reverse("applications:submit", kwargs={"public_id": application.public_id})
        with mock.patch("applications.tasks.submission_package_render_task.apply_async"):
            start = time.perf_counter()
            response = rep.post(url, {"submission_token": str(uuid.uuid4())})
            timings["submit"].append((time.perf_counter() - start) * 1000)
        assert response.status_code == 302, response.status_code
        record = Submission.objects.get(application=application)
        start = time.perf_counter()
        package.package_render(record)
        renders.append((time.perf_counter() - start) * 1000)
        tracemalloc.start()  # a second render, traced (tracing slows it down several times)
        package.package_render(record)
        peaks.append(tracemalloc.get_traced_memory()[1] / 1_000_000)
        tracemalloc.stop()
    plain = statistics.median(timings["plain"])
    submit = statistics.median(timings["submit"])
    save = statistics.median(timings["section_save"])
    render = statistics.median(renders)
    return {
        "people": 4,
        "repeats": repeats,
        "plain_view_ms_p50": round(plain, 2),
        "section_save_ms_p50": round(save, 2),
        "section_save_ratio_to_plain": round(save / plain, 1),
        "submit_request_ms_p50": round(submit, 2),
        "submit_ratio_to_plain": round(submit / plain, 1),
        "package_render_ms_p50": round(render, 1),
        "package_render_ratio_to_plain": round(render / plain, 1),
        "package_peak_python_memory_mb_max": round(max(peaks), 1),
        "process_max_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def _section_saves(rep, application, repeats: int) -> list[float]:
    """Completes the PA's IMM 5669 background section again ``repeats`` times (the answers a
    complete application holds: nothing changes but the version), timing each POST."""
    from forms_imm.models import FormSection
    from tests.forms_imm.helpers import background_post, section_url

    pa = application.principal_applicant
    url = section_url(application, pa, "background")
    times = []
    for _ in range(repeats):
        row = FormSection.objects.get(person=pa, form="imm5669", section="background")
        body = {**background_post(), "expected_version": str(row.version), "action": "complete"}
        start = time.perf_counter()
        response = rep.post(url, body)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 302, response.status_code
    return times


def rep_user(client):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(pk=client.session["_auth_user_id"])


if __name__ == "__main__":
    main()
