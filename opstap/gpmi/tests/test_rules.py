"""The GPMI date rules at their edges, and the gpmi-deadlines report's exact definition."""

import datetime
import io
import json

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from opstap.gpmi import rules
from opstap.gpmi.selectors import deadlines
from opstap.reports.registry import run

D = datetime.date


def report(centre, day):
    return run("gpmi-deadlines", centre=centre, user=None, raw_params={"date": day.isoformat()})


def rows(centre, day):
    return [(r["client_ref"], r["problem"], r["due"]) for r in report(centre, day)["rows"]]


@pytest.mark.parametrize(
    "start,due",
    [
        (D(2024, 11, 30), D(2025, 2, 28)),  # clipped to February's last day
        (D(2023, 11, 30), D(2024, 2, 29)),  # leap year
        (D(2025, 1, 31), D(2025, 4, 30)),
        (D(2025, 1, 15), D(2025, 4, 15)),
    ],
)
def test_three_months_after_the_decision(start, due):
    assert rules.conclude_by(start) == due


def test_gpmi_missing_only_after_the_due_day(centre, build):
    build.client("A", (D(2024, 11, 30), None))
    assert rows(centre, D(2025, 2, 28)) == []  # due day itself: not yet late
    assert rows(centre, D(2025, 3, 1)) == [("A", "gpmi_missing", "2025-02-28")]


def test_gpmi_missing_31_january(centre, build):
    build.client("B", (D(2025, 1, 31), None))
    assert rows(centre, D(2025, 4, 30)) == []
    assert rows(centre, D(2025, 5, 1)) == [("B", "gpmi_missing", "2025-04-30")]


def test_signed_exempted_ended_right_and_equivalent_are_not_missing(centre, build):
    signed = build.client("S", (D(2024, 1, 1), None))
    build.contract(signed, signed_on=D(2024, 6, 1), start=D(2024, 6, 1), end=D(2024, 6, 30))
    late_signature = build.client("L", (D(2024, 1, 1), None))
    build.contract(late_signature, signed_on=D(2024, 9, 1), start=D(2024, 9, 1))
    exempted = build.client("X", (D(2024, 1, 1), None))
    build.exemption(exempted)
    build.client("E", (D(2024, 1, 1), D(2024, 7, 1)))  # right ended before the date
    build.client("Q", (D(2024, 1, 1), None), kind="equivalent_leefloon")
    draft_only = build.client("D", (D(2024, 1, 1), None))
    build.contract(draft_only)  # a draft is not a signed GPMI
    assert rows(centre, D(2024, 8, 1)) == [
        ("D", "gpmi_missing", "2024-04-01"),
        ("L", "gpmi_missing", "2024-04-01"),
    ]


def test_exemption_dated_after_the_date_does_not_count_yet(centre, build):
    person = build.client("Y", (D(2024, 1, 1), None))
    build.exemption(person, exempted_on=D(2024, 9, 1))
    assert rows(centre, D(2024, 8, 1)) == [("Y", "gpmi_missing", "2024-04-01")]
    assert rows(centre, D(2024, 9, 1)) == []


def test_evaluation_due_from_signature_then_from_last_evaluation(centre, build):
    person = build.client("C", (D(2024, 12, 1), None))
    gpmi = build.contract(person, signed_on=D(2025, 1, 31), start=D(2025, 2, 1))
    assert rows(centre, D(2025, 5, 31)) == []  # signature + 4 months = 31/05
    assert rows(centre, D(2025, 6, 1)) == [("C", "evaluation_overdue", "2025-05-31")]
    build.evaluation(gpmi, D(2025, 4, 10), in_person=False)
    assert rows(centre, D(2025, 6, 1)) == []
    assert rows(centre, D(2025, 8, 11)) == [("C", "evaluation_overdue", "2025-08-10")]
    build.evaluation(gpmi, D(2025, 9, 1))  # after the date: ignored on 11/08
    assert rows(centre, D(2025, 8, 11)) == [("C", "evaluation_overdue", "2025-08-10")]


def test_centre_interval_is_used(centre, build):
    centre.gpmi_evaluation_months = 3
    centre.save()
    person = build.client("C", (D(2024, 12, 1), None))
    build.contract(person, signed_on=D(2024, 11, 30), start=D(2024, 12, 1))
    assert rows(centre, D(2025, 3, 1)) == [("C", "evaluation_overdue", "2025-02-28")]


def test_ended_and_not_started_contracts_need_no_evaluation(centre, build):
    ended = build.client("N", (D(2024, 1, 1), None))
    build.contract(ended, signed_on=D(2024, 2, 1), start=D(2024, 2, 1), end=D(2024, 5, 1))
    future = build.client("F", (D(2024, 1, 1), None))
    build.contract(future, signed_on=D(2024, 2, 1), start=D(2024, 12, 1))
    # Both were signed before the date, so neither is missing; neither runs on the date.
    assert rows(centre, D(2024, 9, 1)) == []
    # The last day of a contract still counts as running.
    assert rows(centre, D(2024, 5, 1)) == []
    assert report(centre, D(2024, 12, 5))["rows"] == [
        {"client_ref": "F", "problem": "evaluation_overdue", "due": "2024-06-01"}
    ]


def test_rows_sorted_by_due(centre, build):
    build.client("Z", (D(2024, 1, 1), None))
    build.client("A", (D(2024, 3, 1), None))
    person = build.client("M", (D(2023, 1, 1), None))
    build.contract(person, signed_on=D(2023, 2, 1), start=D(2023, 2, 1))
    result = report(centre, D(2024, 8, 1))
    assert [r["due"] for r in result["rows"]] == ["2023-06-01", "2024-04-01", "2024-06-01"]
    assert result["total"] == {"rows": 3, "gpmi_missing": 2, "evaluation_overdue": 1}
    assert result["params"] == {"date": "2024-08-01"}


def test_page_api_and_command_give_the_same_rows(client, centre, build, maria):
    build.client("A", (D(2024, 1, 1), None))
    person = build.client("B", (D(2023, 1, 1), None))
    build.contract(person, signed_on=D(2023, 2, 1), start=D(2023, 2, 1))
    expected = report(centre, D(2024, 8, 1))
    assert len(expected["rows"]) == 2
    client.force_login(maria)
    page = client.get(reverse("reports:report", args=["gpmi-deadlines"]), {"date": "2024-08-01"})
    assert page.status_code == 200
    assert page.context["result"] == expected
    shown = page.context["table"]["html"]
    assert "<td>No signed GPMI</td>" in shown and "gpmi_missing" not in shown
    due = expected["rows"][0]["due"]  # ISO in the result, DD/MM/YYYY on the screen
    assert f"<td>{due[8:10]}/{due[5:7]}/{due[:4]}</td>" in shown and due not in shown
    api = client.get("/api/v1/reports/gpmi-deadlines", {"date": "2024-08-01"})
    assert api.status_code == 200 and api.json() == expected
    out = io.StringIO()
    args = ["gpmi-deadlines", "--centre", centre.code, "--date=2024-08-01"]
    call_command("report", *args, stdout=out)
    assert json.loads(out.getvalue()) == expected


def test_a_social_worker_sees_only_her_clients_in_the_report(client, centre, build, alice):
    from opstap.factories import CareTeamMemberFactory

    mine = build.client("MINE", (D(2024, 1, 1), None))
    CareTeamMemberFactory(client=mine, user=alice)
    build.client("OTHER", (D(2024, 1, 1), None))
    client.force_login(alice)
    api = client.get("/api/v1/reports/gpmi-deadlines", {"date": "2024-08-01"})
    assert [r["client_ref"] for r in api.json()["rows"]] == ["MINE"]


# --- reflection period and sanctions --------------------------------------------------------------


TODAY = D(2025, 3, 31)


def _sign(proposed, signed, reason="", today=TODAY):
    rules.check_signature(
        proposed_on=proposed,
        signed_on=signed,
        centre_signed_on=signed,
        committee_decision_on=signed,
        early_signature_reason=reason,
        today=today,
    )


def test_reflection_period_is_five_calendar_days():
    assert rules.reflection_ends(D(2025, 2, 27)) == D(2025, 3, 4)
    with pytest.raises(ValidationError) as exc:
        _sign(D(2025, 3, 10), D(2025, 3, 14))
    assert "early_signature_reason" in exc.value.error_dict
    _sign(D(2025, 3, 10), D(2025, 3, 14), reason="Start of a course on Monday")
    _sign(D(2025, 3, 10), D(2025, 3, 15))
    with pytest.raises(ValidationError) as exc:
        _sign(D(2025, 3, 10), D(2025, 3, 9), reason="x")
    assert "signed_on" in exc.value.error_dict
    with pytest.raises(ValidationError) as exc:
        _sign(D(2025, 3, 10), D(2025, 4, 1))
    assert "signed_on" in exc.value.error_dict


def _decide(start, end, earlier=(), decision="full", percent=None):
    rules.check_sanction_decision(
        decision=decision,
        decided_on=D(2025, 3, 1),
        warning_on=D(2025, 2, 1),
        hearing_on=None,
        reason="No show",
        suspension_start=start,
        suspension_end=end,
        partial_percent=percent,
        earlier_decisions=list(earlier),
    )


def test_suspension_at_most_one_month_or_three_when_repeated():
    _decide(D(2025, 3, 1), D(2025, 3, 31))
    with pytest.raises(ValidationError) as exc:
        _decide(D(2025, 3, 1), D(2025, 4, 1))
    assert "at most 1 month" in exc.value.error_dict["suspension_end"][0].message % {}
    _decide(D(2025, 3, 1), D(2025, 5, 31), earlier=[D(2024, 3, 1)])  # within 12 months
    with pytest.raises(ValidationError) as exc:
        _decide(D(2025, 3, 1), D(2025, 6, 1), earlier=[D(2024, 3, 1)])
    assert "at most 3 months" in str(exc.value)
    with pytest.raises(ValidationError):
        _decide(D(2025, 3, 1), D(2025, 4, 15), earlier=[D(2024, 2, 28)])  # too long ago
    with pytest.raises(ValidationError) as exc:
        _decide(D(2025, 3, 1), D(2025, 3, 10), decision="partial")
    assert "partial_percent" in exc.value.error_dict


def test_in_person_warning_years():
    assert rules.years_short_of_in_person(
        start=D(2024, 3, 1), end=None, in_person_dates=[D(2024, 5, 1)], today=D(2025, 2, 1)
    ) == [2024, 2025]
    assert (
        rules.years_short_of_in_person(
            start=D(2024, 3, 1),
            end=D(2024, 12, 31),
            in_person_dates=[D(2024, 5, 1), D(2024, 9, 1)],
            today=D(2025, 2, 1),
        )
        == []
    )


@time_machine.travel(D(2025, 6, 10), tick=False)
def test_start_page_lists_due_and_overdue(client, centre, build, alice):
    from opstap.factories import CareTeamMemberFactory

    late = build.client("LATE", (D(2025, 1, 1), None))
    soon = build.client("SOON", (D(2025, 4, 1), None))
    far = build.client("FAR", (D(2025, 5, 1), None))
    # Names no other text on the page contains (random ones could match each other or a word).
    for person, name in ((late, "Latifa"), (soon, "Sonnevijl"), (far, "Farouqa")):
        person.first_name = name
        person.save(update_fields=["first_name"])
        CareTeamMemberFactory(client=person, user=alice)
    client.force_login(alice)
    page = client.get(reverse("core:home")).content.decode()
    assert "GPMI due and overdue" in page
    assert late.first_name in page and "overdue since 01/04/2025" in page
    assert soon.first_name in page and "due 01/07/2025" in page
    assert far.first_name not in page
    found = deadlines(
        clients=type(late).objects.filter(centre=centre),
        day=D(2025, 6, 10),
        interval_months=4,
        until=D(2025, 7, 11),
    )
    assert [d.client_ref for d in found] == ["LATE", "SOON"]
