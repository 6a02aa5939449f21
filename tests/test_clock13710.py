"""The 13710 clock: stages and missed clocks on the official calendar (known answers)."""

import datetime as dt

import pytest

from etl.problem_rules import CLOCK_MISSED, CLOCK_RULE_TEXT, CLOCK_STAGE, clock_13710

D = dt.date


@pytest.mark.parametrize("found, assigned, answered, closed, major, key, as_of, stage, missed, in_13710", [
    # deployed the next working day, answered on the 3rd, solved on the 7th: no clock missed
    (D(2026, 3, 2), D(2026, 3, 3), D(2026, 3, 5), D(2026, 3, 11), False, False, D(2026, 3, 31), "done", [], False),
    # found the day before 国庆: deployed 10-08 is only 1 working day later (10-01…07 off)
    (D(2026, 9, 30), D(2026, 10, 8), None, None, False, True, D(2026, 10, 9), "answer", [], False),
    # … but not answered by 10-12: 10-08, 09, 10 (make-up Saturday), 12 = 4 working days > 3
    (D(2026, 9, 30), D(2026, 10, 8), None, None, False, True, D(2026, 10, 12), "answer", ["answer"], False),
    # ordinary, answered in time, open after 8 working days: the 7-day clock is missed
    (D(2026, 5, 6), D(2026, 5, 6), D(2026, 5, 8), None, False, False, D(2026, 5, 18), "solve", ["solve"], False),
    # 春节: found 02-13, assigned 02-24 = 2 working days (02-14 make-up Saturday, 02-24) > 1;
    # answered 02-25 = 3, in time; open at 02-26 after 4 working days (a weekday count says 9)
    (D(2026, 2, 13), D(2026, 2, 24), D(2026, 2, 25), None, False, False, D(2026, 2, 26), "solve",
     ["deploy"], False),
    # a major problem of a key project: a month to solve, in the 13710 system
    (D(2026, 8, 10), D(2026, 8, 10), D(2026, 8, 12), None, True, True, D(2026, 9, 10), "solve", [], True),
    (D(2026, 8, 10), D(2026, 8, 10), D(2026, 8, 12), None, True, True, D(2026, 9, 11), "solve", ["major"], True),
    (D(2026, 8, 10), D(2026, 8, 10), D(2026, 8, 12), D(2026, 9, 20), True, False, D(2026, 10, 31), "done",
     ["major"], False),
    # never deployed, found 3 working days ago: late to deploy, not yet late to answer
    (D(2026, 10, 26), None, None, None, False, False, D(2026, 10, 29), "deploy", ["deploy"], False),
    (D(2026, 10, 26), None, None, None, False, False, D(2026, 10, 30), "deploy", ["deploy", "answer"], False),
])
def test_clock_known_answers(found, assigned, answered, closed, major, key, as_of, stage, missed, in_13710):
    c = clock_13710(found, assigned, answered, closed, major, key, as_of)
    assert (c["stage"], c["missed"], c["in_13710"], c["calendar_known"]) == (stage, missed, in_13710, True)


def test_clock_beyond_the_calendar_is_not_judged():
    from etl.workdays import known_years

    last = known_years()[1]
    c = clock_13710(D(last, 12, 30), None, None, None, False, False, D(last + 1, 1, 8))
    assert c["calendar_known"] is False and c["stage"] == "deploy"


def test_clock_labels_and_rule_text():
    assert list(CLOCK_STAGE.values()) == ["待部署", "待答复", "办理中", "已办结"]
    assert CLOCK_MISSED["solve"] == "超7日未办结"
    assert "1日部署、3日答复、7日办结" in CLOCK_RULE_TEXT and "纳入13710督办" in CLOCK_RULE_TEXT


def test_state_tells_how_far_a_problem_got_without_dates():
    # reported 办理中 without 交办/答复 dates: answered, only the 7-day clock is judged
    c = clock_13710(D(2026, 6, 1), None, None, None, False, True, D(2026, 10, 31), state="in_progress")
    assert (c["stage"], c["missed"]) == ("solve", ["solve"])
    c = clock_13710(D(2026, 10, 28), None, None, None, False, True, D(2026, 10, 30), state="assigned")
    assert (c["stage"], c["missed"]) == ("answer", [])
