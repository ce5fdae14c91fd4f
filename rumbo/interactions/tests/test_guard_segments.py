"""Contact policies per customer segment: a segment's policy goes before its accounts' channel
policy, the general one covers the rest, a policy never names both, and the over/under-contacted
report judges by segment in a fixed number of queries."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, models, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from rumbo.coverage.models import AccountSegment
from rumbo.interactions import report
from rumbo.interactions.guard import PolicyBook, check_contact
from rumbo.interactions.models import ContactPolicy, Interaction
from rumbo.interactions.services import save_contact_policy
from rumbo.testing import make_account

pytestmark = pytest.mark.django_db
LIMA = ZoneInfo("America/Lima")
BOTH = "A policy is for a channel or for a segment, not both: leave one empty."
BOTH_ES = "Una política es para un canal o para un segmento, no para ambos: deje uno vacío."


def this_month() -> dt.date:
    return timezone.localdate().replace(day=1)


# The snapshot's figures (only its segment matters here), whatever figures the model carries.
FIGURES = {
    f.name: 0
    for f in AccountSegment._meta.concrete_fields
    if isinstance(f, (models.FloatField, models.IntegerField, models.DecimalField))
    and not (f.null or f.primary_key)
}


def snap(cast, account, segment, month=None):
    """The account's segment snapshot of a month (this month unless told)."""
    AccountSegment.objects.create(
        organisation=cast.org, account=account, month=month or this_month(),
        territory=account.territory, segment=segment, rfm="111", quadrant="light", **FIGURES,
    )  # fmt: skip


def policy(cast, channel=None, segment="", days=7, most=3, fewest=1):
    return save_contact_policy(
        organisation=cast.org, actor=cast.admin, channel=channel, segment=segment,
        min_days_between=days, max_per_month=most, min_per_month=fewest,
    )  # fmt: skip


def contact(cast, account, day):
    return Interaction.objects.create(
        organisation=cast.org, account=account, kind="visit", team="sales", user=cast.alicia,
        occurred_at=dt.datetime.combine(day, dt.time(10), tzinfo=LIMA),
    )  # fmt: skip


def test_a_segments_policy_beats_the_channel_policy(cast):
    by_channel = policy(cast, channel=cast.channel)
    for_a = policy(cast, segment="A", days=2, most=10)
    rosita, sol = cast.accounts["alicia_1"], cast.accounts["alicia_2"]
    snap(cast, rosita, "A")
    previous = (this_month() - dt.timedelta(days=1)).replace(day=1)
    snap(cast, sol, "A", month=previous)  # was A last month, B now: the latest month counts
    snap(cast, sol, "B")
    book = PolicyBook(cast.org.pk)
    assert book.for_account(rosita) == for_a
    assert book.for_account(sol) == by_channel
    assert check_contact(account=rosita, day=timezone.localdate()).policy == for_a
    with translation.override("en"):
        assert str(for_a) == "Segment A · most revenue"


def test_the_general_policy_applies_when_neither_segment_nor_channel_has_one(cast):
    general = policy(cast)
    policy(cast, segment="A", days=2, most=10)
    rosita, lucho = cast.accounts["alicia_1"], cast.accounts["bruno_1"]
    snap(cast, rosita, "C")  # no policy for C, none for the bodega channel
    book = PolicyBook(cast.org.pk)
    assert book.for_account(rosita) == general
    assert book.for_account(lucho) == general  # no snapshot at all: no segment


def test_before_any_segmentation_the_channel_and_general_policies_apply_as_before(
    cast, django_assert_num_queries
):
    general = policy(cast)
    policy(cast, segment="A")
    with django_assert_num_queries(2):  # the policies, then the latest month (none yet)
        book = PolicyBook(cast.org.pk)
        assert book.for_account(cast.accounts["alicia_1"]) == general


def test_a_policy_for_a_channel_and_a_segment_together_is_refused_with_a_message(cast):
    for language, message in (("en", BOTH), ("es", BOTH_ES)):
        with translation.override(language):
            with pytest.raises(ValidationError) as refused:
                policy(cast, channel=cast.channel, segment="A")
            assert refused.value.message_dict == {"segment": [message]}
    assert not ContactPolicy.objects.exists()
    with transaction.atomic(), pytest.raises(IntegrityError):  # the database refuses it too
        ContactPolicy.objects.create(organisation=cast.org, channel=cast.channel, segment="A")


def test_a_segment_has_one_policy_and_saving_it_again_changes_it(cast):
    first = policy(cast, segment="B", days=7)
    again = policy(cast, segment="B", days=10)
    assert again.pk == first.pk and again.min_days_between == 10
    general = policy(cast)  # the general and the channel rows stay apart from the segment's
    assert ContactPolicy.objects.count() == 2 and general.pk != first.pk
    with transaction.atomic(), pytest.raises(IntegrityError):
        ContactPolicy.objects.create(organisation=cast.org, segment="B")
    ContactPolicy.objects.create(organisation=cast.outsider, segment="B")  # another organisation


def test_the_page_sets_a_segment_policy_lists_it_with_its_label_and_refuses_both(cast, client):
    client.force_login(cast.maria)
    url = reverse("interactions:policies")
    figures = {"min_days_between": "5", "max_per_month": "6", "min_per_month": "2"}
    for channel, segment in (("", "A"), (cast.channel.pk, ""), ("", "")):
        saved = client.post(url, {"channel": channel, "segment": segment, **figures})
        assert saved.status_code == 302
    html = client.get(url).content.decode()
    order = [html.index(f'data-policy="{p}"') for p in ("general", "segment-A", "bodega")]
    assert order == sorted(order)
    assert "Segmento A · mayor venta" in html  # the page speaks Spanish unless told otherwise
    refused = client.post(url, {"channel": cast.channel.pk, "segment": "B", **figures})
    assert refused.status_code == 200 and BOTH_ES in refused.content.decode()
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Segment A · most revenue" in english
    assert ContactPolicy.objects.count() == 3
    assert ContactPolicy.objects.get(segment="A").min_days_between == 5


def test_a_viewer_cannot_set_a_segment_policy(cast, client):
    client.force_login(cast.vera)
    response = client.post(
        reverse("interactions:policies"),
        {"segment": "A", "min_days_between": "5", "max_per_month": "6", "min_per_month": "2"},
    )
    assert response.status_code == 404 and not ContactPolicy.objects.exists()


def test_the_report_judges_each_account_by_its_segments_policy(cast):
    month = report.last_month(timezone.localdate())
    by_channel = policy(cast, channel=cast.channel, days=7, most=3, fewest=1)
    policy(cast, segment="A", days=1, most=8, fewest=4)
    rosita, sol = cast.accounts["alicia_1"], cast.accounts["alicia_2"]
    lucho, surco = cast.accounts["bruno_1"], cast.accounts["bruno_2"]
    for account in (rosita, sol):
        snap(cast, account, "A")
    snap(cast, surco, "B")
    for day in (1, 9, 17, 25):  # four: too many for the channel, fine for segment A
        contact(cast, rosita, month.replace(day=day))
        contact(cast, lucho, month.replace(day=day))
    for day in (3, 5):  # two days apart and two in the month: too few for segment A
        contact(cast, sol, month.replace(day=day))
    accounts = cast.org.accounts.all()
    book = PolicyBook(cast.org.pk)
    over = report.over_contacted(cast.admin, accounts, book, month)
    assert [(r.account, r.policy) for r in over] == [(lucho, by_channel)]
    under = report.under_contacted(accounts, book, month)
    assert set(under) == {sol, surco, cast.accounts["trujillo_1"]}
    summary = report.summary(accounts, book, month, len(over))
    assert (summary.judged, summary.over, summary.under) == (5, 1, 3)


def test_a_segment_policy_alone_judges_only_its_segment(cast):
    month = report.last_month(timezone.localdate())
    policy(cast, segment="B", fewest=1)
    snap(cast, cast.accounts["bruno_2"], "B")
    accounts = cast.org.accounts.all()
    book = PolicyBook(cast.org.pk)
    assert list(report.under_contacted(accounts, book, month)) == [cast.accounts["bruno_2"]]
    assert report.over_contacted(cast.admin, accounts, book, month) == []


def report_queries(cast, month) -> int:
    accounts = cast.org.accounts.all()
    with CaptureQueriesContext(connection) as queries:
        book = PolicyBook(cast.org.pk)
        over = report.over_contacted(cast.admin, accounts, book, month)
        list(report.under_contacted(accounts, book, month))
        report.summary(accounts, book, month, len(over))
    return len(queries)


def test_the_report_reads_segments_in_a_fixed_number_of_queries(cast):
    month = report.last_month(timezone.localdate())
    policy(cast)
    policy(cast, channel=cast.channel, most=2)
    policy(cast, segment="A", most=1)
    policy(cast, segment="C", most=2)

    def busy(account, segment):
        snap(cast, account, segment)
        for day in (2, 12, 22):
            contact(cast, account, month.replace(day=day))

    busy(cast.accounts["alicia_1"], "A")
    busy(cast.accounts["alicia_2"], "C")
    few = report_queries(cast, month)
    for n in range(6):
        account = make_account(cast.org, cast.channel, cast.territories["ln1"], f"Bodega {n}")
        busy(account, "A" if n % 2 else "C")
    assert report_queries(cast, month) == few
    book = PolicyBook(cast.org.pk)
    over = report.over_contacted(cast.admin, cast.org.accounts.all(), book, month)
    assert len(over) == 2 + 6  # every busy account breaks the policy of its segment or channel
