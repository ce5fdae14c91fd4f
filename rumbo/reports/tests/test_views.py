"""The performance pages over HTTP: each role's start, drill-down links and breadcrumbs,
downloads of every table, the PDF review, settings, and query budgets."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from openpyxl import load_workbook

from rumbo.reports import rollups
from rumbo.reports.tests.conftest import sell
from rumbo.testing import make_account

pytestmark = pytest.mark.django_db
MAY = "period=2024-05"


def test_each_row_links_one_level_down_and_the_breadcrumbs_lead_back(sales, client):
    cast = sales.cast
    t = cast.territories
    client.force_login(cast.admin)
    html = client.get(f"/performance/?{MAY}").content.decode()
    assert f'href="/performance/territory/{t["lima"].pk}/?{MAY}"' in html
    html = client.get(f"/performance/territory/{t['lima'].pk}/?{MAY}").content.decode()
    assert f'href="/performance/territory/{t["lima_norte"].pk}/?{MAY}"' in html
    assert f'href="/performance/territory/{t["pe"].pk}/?{MAY}"' in html  # back up
    html = client.get(f"/performance/territory/{t['ln1'].pk}/?{MAY}").content.decode()
    rep_url = f"/performance/territory/{t['ln1'].pk}/rep/{cast.alicia.pk}/?{MAY}"
    assert f'href="{rep_url}"' in html
    html = client.get(rep_url).content.decode()
    rosita = cast.accounts["alicia_1"]
    account_url = f"/performance/account/{rosita.pk}/?{MAY}&amp;territory={t['ln1'].pk}"
    assert account_url in html
    html = client.get(account_url.replace("&amp;", "&") + f"&rep={cast.alicia.pk}").content.decode()
    assert "Bodega Rosita" in html and html.count('data-order="') == 1


def test_a_rep_starts_on_their_own_month(sales, client):
    client.force_login(sales.cast.alicia)
    response = client.get("/performance/")
    assert response.status_code == 302 and response["Location"] == "/performance/me/"
    assert client.get("/performance/me/?period=2024-05").status_code == 200


@pytest.mark.parametrize("table", ["rows", "categories", "trend", "heatmap"])
def test_every_table_of_the_dashboard_downloads_as_csv_and_excel(sales, client, table):
    client.force_login(sales.cast.admin)
    url = f"/performance/?{MAY}&export={table}"
    csv = client.get(url + "&format=csv")
    assert csv["Content-Type"].startswith("text/csv")
    lines = csv.content.decode("utf-8-sig").splitlines()
    assert len(lines) >= 2
    book = load_workbook(io.BytesIO(client.get(url + "&format=xlsx").content))
    sheet = book.active
    assert sheet["A1"].value == lines[0].split(",")[0]
    assert sheet.max_row == len(lines)


def test_the_rows_download_has_the_figures_of_the_page(sales, client):
    client.force_login(sales.cast.admin)
    book = load_workbook(
        io.BytesIO(client.get(f"/performance/?{MAY}&export=rows&format=xlsx").content)
    )
    rows = {r[0]: r for r in book.active.iter_rows(values_only=True)}
    header = list(rows["Territorio"])
    assert rows["Lima"][header.index("Ventas")] == 270
    assert rows["Total"][header.index("Meta")] == 600


def test_an_unknown_table_is_not_found(sales, client):
    client.force_login(sales.cast.admin)
    assert client.get(f"/performance/?{MAY}&export=secrets").status_code == 404


def test_a_viewer_downloads_counts_only(sales, client):
    client.force_login(sales.cast.vera)
    text = client.get(f"/performance/?{MAY}&export=rows&format=csv").content.decode("utf-8-sig")
    assert "Ventas" not in text.splitlines()[0] and "Pedidos" in text
    assert client.get(f"/performance/?{MAY}&export=trend").status_code == 404


def test_the_monthly_review_is_a_one_page_pdf(sales, client):
    client.force_login(sales.cast.maria)
    response = client.get(
        f"/performance/territory/{sales.cast.territories['lima'].pk}/review.pdf?{MAY}"
    )
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert len(re.findall(rb"/Type\s*/Page\b", response.content)) == 1


def test_a_bad_period_is_explained_not_a_failure(sales, client):
    client.force_login(sales.cast.admin)
    response = client.get("/performance/?period=2024-13")
    assert response.status_code == 200 and "2024-13" in response.content.decode()


def test_administrators_set_the_threshold(sales, client):
    cast = sales.cast
    client.force_login(cast.maria)
    assert client.get("/performance/settings/").status_code == 404
    client.force_login(cast.admin)
    response = client.post("/performance/settings/", {"flag_below_pct": "85"})
    assert response.status_code == 302
    from rumbo.core.models import AuditEntry

    assert AuditEntry.objects.filter(object_type="reports.performancesettings").exists()


def _more_accounts(cast, n: int) -> None:
    for i in range(n):
        account = make_account(cast.org, cast.channel, cast.territories["ln1"], f"Extra {i}")
        cast.accounts[f"alicia_x{i}"] = account
        sell(cast, f"alicia_x{i}", dt.date(2024, 5, 3), cola=5)
        sell(cast, f"alicia_x{i}", dt.date(2023, 5, 3), cola=4)


@pytest.mark.parametrize(
    "path",
    ["/performance/?" + MAY, "/performance/territory/{ln1}/?" + MAY,
     "/performance/territory/{ln1}/rep/{alicia}/?" + MAY,
     "/performance/territory/{ln1}/gap/?" + MAY, "/performance/account/{rosita}/?" + MAY],
)  # fmt: skip
def test_pages_run_as_many_queries_for_many_accounts_as_for_few(sales, client, path):
    cast = sales.cast
    url = path.format(ln1=cast.territories["ln1"].pk, alicia=cast.alicia.pk,
                      rosita=cast.accounts["alicia_1"].pk)  # fmt: skip
    client.force_login(cast.maria)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count() -> int:
        rollups.rebuild(organisation_id=cast.org.pk)  # up to date: no refresh while counting
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    few = count()
    _more_accounts(cast, 6)
    assert count() == few
    assert few <= 40


def test_a_reps_accounts_come_a_page_at_a_time_and_download_whole(sales, client, monkeypatch):
    from rumbo.reports import views

    monkeypatch.setattr(views, "ACCOUNTS_PER_PAGE", 1)
    cast = sales.cast
    client.force_login(cast.maria)
    url = f"/performance/territory/{cast.territories['ln1'].pk}/rep/{cast.alicia.pk}/?{MAY}"
    first = client.get(url).content.decode()
    assert first.count('data-row="account-') == 1 and "Bodega Rosita" in first  # biggest first
    assert 'rel="next"' in first
    second = client.get(url + "&page=2").content.decode()
    assert second.count('data-row="account-') == 1 and "Minimarket El Sol" in second
    csv = client.get(url + "&export=rows&format=csv").content.decode("utf-8-sig")
    assert "Bodega Rosita" in csv and "Minimarket El Sol" in csv
