"""Date resolution, one row per rule, with real sentences from the seeds."""

from __future__ import annotations

from datetime import date

import pytest

from reader.analysis.dates import ResolvedDate, find_dates, is_report_date, resolve_date

MON = date(2022, 2, 14)  # the four February articles (a Monday)
TUE = date(2022, 1, 18)  # the AFP article (a Tuesday)

# (rule, sentence, expression, published, expected label)
RESOLVED = [
    (
        "weekday-past-same-day",
        "The US State Department said Monday it would temporarily "
        "relocate its embassy in Ukraine from the capital, Kyiv, to the city of Lviv.",
        "Monday",
        MON,
        "2022-02-14",
    ),
    (
        "weekday-future-will",
        "When he travels to Moscow on Tuesday, Scholz will become the latest "
        "in a stream of Western officials to hold talks with Putin.",
        "on Tuesday",
        MON,
        "2022-02-15",
    ),
    (
        "weekday-future-heading",
        "On Tuesday, Scholz is heading to Moscow for talks with Russian President Vladimir Putin.",
        "On Tuesday",
        MON,
        "2022-02-15",
    ),
    (
        "weekday-past-before",
        "This information echoes the Pentagon’s accusations on Friday that "
        "Moscow is preparing false flag operations to justify an invasion of Ukrainian territory.",
        "on Friday",
        TUE,
        "2022-01-14",
    ),
    (
        "weekday-future-expected",
        "On Wednesday, the head of American diplomacy, Antony Blinken, is "
        "expected in Kiev for a meeting with Ukrainian President Volodymyr Zelensky, State "
        "Department spokesman Ned Price said in a statement on Tuesday.",
        "On Wednesday",
        TUE,
        "2022-01-19",
    ),
    (
        "weekday-future-agreed-to-meet",
        "According to the daily Kommersant, the two ministers agreed "
        "during this telephone exchange to meet on Friday in Geneva, Switzerland.",
        "on Friday",
        TUE,
        "2022-01-21",
    ),
    (
        "weekday-past-saturday",
        "The US President Joe Biden spoke with his Russian counterpart "
        "Vladimir Putin on Saturday in ongoing de-escalation efforts.",
        "on Saturday",
        MON,
        "2022-02-12",
    ),
    (
        "weekday-unmarked-is-past",
        "Biden also held an hour-long call Sunday with Zelensky.",
        "Sunday",
        MON,
        "2022-02-13",
    ),
    (
        "month-day-nearest-year-future",
        "Zelenskiy also said he signed a decree declaring February 16 as a day of unity.",
        "February 16",
        MON,
        "2022-02-16",
    ),
    (
        "month-day-nearest-year-past",
        "Tuesday, the New York Times revealed that since January 5, "
        "the Kremlin began discreetly the evacuation of its diplomatic personnel in Ukraine.",
        "January 5",
        TUE,
        "2022-01-05",
    ),
    (
        "month-day-abbreviated",
        "Ukraine’s armed forces conducted combat and first aid training "
        "drills on Feb. 5 in an abandoned town.",
        "Feb. 5",
        MON,
        "2022-02-05",
    ),
    (
        "full-date",
        "— Secretary Antony Blinken (@SecBlinken) February 14, 2022",
        "February 14, 2022",
        MON,
        "2022-02-14",
    ),
    (
        "weekday-with-month-day",
        "Ukrainian President Volodymyr Zelenskyy has declared Wednesday, "
        'February 16, a national "Unity Day".',
        "Wednesday, February 16",
        MON,
        "2022-02-16",
    ),
    (
        "last-week-is-week",
        "President Biden said last week that the pipeline would not go ahead.",
        "last week",
        MON,
        "week of 2022-02-07",
    ),
    (
        "later-this-week-is-week",
        "Later this week, Vice President Harris will hold a series of in-person meetings.",
        "Later this week",
        MON,
        "week of 2022-02-14",
    ),
    (
        "later-in-the-week-is-week",
        "Later in the week, Putin is planning to meet with his closest military ally.",
        "Later in the week",
        MON,
        "week of 2022-02-14",
    ),
    (
        "in-month-past-is-last-year",
        "Biden said in June that Kyiv has a distance to go to meet NATO standards.",
        "in June",
        MON,
        "2021-06",
    ),
    (
        "in-year",
        "In 2008, a NATO summit agreed that Ukraine and Georgia would join.",
        "In 2008",
        MON,
        "2008",
    ),
    (
        "last-month-is-month",
        "including a new shipment of $200 million in “lethal aid” announced last month.",
        "last month",
        MON,
        "2022-01",
    ),
    ("yesterday-is-day", "The talks ended yesterday.", "yesterday", MON, "2022-02-13"),
    (
        "today-is-day",
        "In my conversation with Ukrainian Foreign Minister @DmytroKuleba today, I "
        "reiterated the U.S. will continue to support Ukraine.",
        "today",
        MON,
        "2022-02-14",
    ),
    (
        "weekend-past-is-weekend",
        "A phone call between Biden and Putin over the weekend failed to "
        "yield a diplomatic breakthrough.",
        "over the weekend",
        MON,
        "weekend of 2022-02-12",
    ),
]

# Rows from the development corpus (short phrases of its articles; November 2019).
MON19, TUE19, WED19 = date(2019, 11, 18), date(2019, 11, 19), date(2019, 11, 20)
RESOLVED += [
    (
        "weekday-present-schedule-is-nearest",
        "The show opens to the public on Friday.",
        "on Friday",
        WED19,
        "2019-11-22",
    ),
    (
        "weekday-copula-is-nearest",
        "Stadia's launch day is Tuesday.",
        "Tuesday",
        MON19,
        "2019-11-19",
    ),
    (
        "weekday-present-behind-is-nearest",
        "Sondland's appearance follows the testimony Tuesday of four officials.",
        "Tuesday",
        WED19,
        "2019-11-19",
    ),
    (
        "weekday-verb-before-the-date-wins",
        "A storm system dumped rain on Tuesday and more was expected Wednesday.",
        "on Tuesday",
        WED19,
        "2019-11-19",
    ),
    (
        "weekday-infinitive-has-no-tense",
        "Big Machine says she will be allowed to play her old tracks at the awards on Sunday.",
        "on Sunday",
        TUE19,
        "2019-11-24",
    ),
    (
        "weekday-decided-to-is-past",
        "Sheldon Richardson decided to weigh in on Thursday's fight on Monday.",
        "on Thursday",
        MON19,
        "2019-11-14",
    ),
    (
        "month-present-is-nearest",
        "The 2020 Sentra, which goes on sale in late January, loses the old look.",
        "late January",
        WED19,
        "2020-01",
    ),
    (
        "month-past-plan-is-nearest",
        "Assange was due to be released from HMP Belmarsh in September.",
        "in September",
        TUE19,
        "2019-09",
    ),
    (
        "month-ends-the-sentence",
        "The hearing is scheduled to take place in London in February.",
        "in February",
        TUE19,
        "2020-02",
    ),
    (
        "month-day-far-follows-the-tense",
        "Maitlis asked what he was doing on the night of March 10.",
        "March 10",
        MON19,
        "2019-03-10",
    ),
]

NOT_DATES = [
    (
        "quoted-yesterday-is-the-speakers-day",
        '"We were shocked to see her tumblr statements yesterday," the statement read.',
    ),
    ("today-in-a-name", "Richardson, via USA Today, said that Rudolph should be disciplined."),
    ("todays-is-nowadays", "Looking at today's landscape users aren't missing out."),
    ("a-weekday-is-no-day", "Was it a misjudgement to hold the opening ceremony on a Monday?"),
    ("the-next-year-is-anaphoric", "The next year, the Taliban released two videos of them."),
    ("range-end-is-no-day", "The Davis Cup Finals take place 18-24 November."),
]

NOT_EVENTS = [
    ("duration-months", "months"),
    ("duration-for-months", "For months"),
    ("duration-nearly-eight-years", "nearly eight years"),
    ("vague-coming-days", "the coming days"),
    ("duration-couple-of-months", "a couple of months"),
    ("vague-hours-or-days", "hours or days"),
    ("duration-30-years", "30 years"),
    ("duration-two-day", "two-day"),
    ("vague-past-year", "the past year"),
    ("vague-recent-days", "recent days"),
    ("vague-near-future", "the near future"),
    ("vague-the-day", "the day"),
    ("bare-year-attribute", "1986"),
]


@pytest.mark.parametrize(
    ("sentence", "expression", "published", "expected"),
    [pytest.param(*row[1:], id=row[0]) for row in RESOLVED],
)
def test_resolve_date(sentence: str, expression: str, published: date, expected: str) -> None:
    resolved = resolve_date(expression, published, sentence)
    assert resolved is not None
    assert resolved.label() == expected


@pytest.mark.parametrize(
    ("sentence", "expression", "published", "expected"),
    [pytest.param(*row[1:], id=row[0]) for row in RESOLVED],
)
def test_find_dates_finds_the_expression(
    sentence: str, expression: str, published: date, expected: str
) -> None:
    found = {r.label() for _, _, r in find_dates(sentence, published)}
    assert expected in found


@pytest.mark.parametrize("expression", [pytest.param(e, id=r) for r, e in NOT_EVENTS])
def test_durations_are_not_events(expression: str) -> None:
    assert resolve_date(expression, MON, f"It took {expression}.") is None


def test_model_spans_that_are_durations_are_dropped() -> None:
    sentence = "This buildup has taken place in a couple of months."
    start = sentence.index("a couple")
    assert find_dates(sentence, MON, [(start, start + len("a couple of months"))]) == []


def test_live_page_horizon_reaches_the_next_day() -> None:
    sentence = (
        "Secretary of State Antony Blinken said on Tuesday that the US was working with allies."
    )
    assert find_dates(sentence, MON)[0][2].label() == "2022-02-08"
    assert find_dates(sentence, MON, horizon=date(2022, 2, 15))[0][2].label() == "2022-02-15"


def test_today_inside_a_quotation_is_not_an_event() -> None:
    sentence = (
        '"We will not allow endless negotiations on questions that demand a solution '
        'today," Lavrov said.'
    )
    assert find_dates(sentence, MON) == []


def test_may_the_modal_is_not_a_month() -> None:
    assert find_dates("The White House has said Russia may 5 times invade.", MON) == []


def test_report_date_is_recognised() -> None:
    sentence = (
        "On Wednesday, Blinken is expected in Kiev, State Department spokesman Ned Price "
        "said in a statement on Tuesday."
    )
    spans = {r.expression: (a, b) for a, b, r in find_dates(sentence, TUE)}
    assert is_report_date(sentence, *spans["on Tuesday"])
    assert not is_report_date(sentence, *spans["On Wednesday"])


def test_resolved_date_labels_and_spans() -> None:
    week = ResolvedDate("last week", date(2022, 2, 7), "week")
    assert week.end == date(2022, 2, 13)
    assert week.contains(ResolvedDate("Saturday", date(2022, 2, 12), "day"))
    assert ResolvedDate("in June", date(2021, 6, 1), "month").end == date(2021, 6, 30)
    assert ResolvedDate("in 2008", date(2008, 1, 1), "year").label() == "2008"


@pytest.mark.parametrize("sentence", [pytest.param(s, id=r) for r, s in NOT_DATES])
def test_expressions_that_name_no_date(sentence: str) -> None:
    assert find_dates(sentence, MON19) == []


def test_month_day_takes_the_year_its_sentence_gives() -> None:
    sentence = "The two were abducted in August 2016 and shown in a video on January 5 a year on."
    labels = [r.label() for _, _, r in find_dates(sentence, MON19)]
    assert labels == ["2016-08", "2016-01-05"]
    two_years = "He joined in 2015, left in 2017 and returned on March 3."
    assert [r.label() for _, _, r in find_dates(two_years, MON19)][-1] == "2019-03-03"
