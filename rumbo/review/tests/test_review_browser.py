"""A manager reads the month's review in Chromium and accepts a recommendation."""

import datetime as dt
from decimal import Decimal

from rumbo.browser import browser_test, login, new_page
from rumbo.review.models import Recommendation
from rumbo.review.services import prepare_review
from rumbo.targets.models import Measure, Target
from rumbo.team.models import CoachingNote

pytestmark = browser_test


def test_maria_accepts_the_coaching_of_alicia(cast, chromium, live_server, password):
    june = dt.date(2024, 6, 1)
    Target.objects.create(organisation=cast.org, rep=cast.alicia, month=june,
                          measure=Measure.AMOUNT, value=Decimal("100000"))  # fmt: skip
    review = prepare_review(organisation=cast.org, month=june, root=cast.territories["lima"],
                            actor=cast.maria)  # fmt: skip
    page = new_page(chromium, phone=True)
    login(page, live_server.url, "maria", password)
    page.goto(f"{live_server.url}/review/{review.pk}/")
    card = page.locator('[data-recommendation="coaching"]')
    assert "Alicia" in card.inner_text()
    card.locator("input[name=note]").fill("Acompañarla el martes")
    card.locator("[data-accept]").click()
    page.wait_for_selector("[data-decided]")
    assert "Acompañarla el martes" in page.locator("[data-decided]").inner_text()
    rec = Recommendation.objects.get(review=review, kind="coaching")
    assert rec.status == "accepted" and rec.decided_by == cast.maria
    assert CoachingNote.objects.filter(rep=cast.alicia, author=cast.maria).exists()
    page.context.close()
