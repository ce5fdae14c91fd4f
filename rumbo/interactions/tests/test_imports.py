"""Tickets, campaigns and campaign touches imported from CSV: all or nothing, re-import changes
nothing, errors per row and column."""

import datetime as dt

import pytest
from django.utils import timezone

from rumbo.imports.models import ImportBatch
from rumbo.imports.tests.conftest import errors, run
from rumbo.interactions.models import Campaign, CampaignTouch, Interaction, Ticket

pytestmark = pytest.mark.django_db

TICKETS = (
    "caso,cliente,fecha,tema,asunto,prioridad,estado,fecha cierre,solucion,responsable\n"
    "K-1,C001,2025-03-01,entrega,Faltaron cajas,alta,cerrado,2025-03-02,Se repuso,R-alicia\n"
    "K-2,C003,2025-03-04,factura,Factura duplicada,urgente,abierto,,,\n"
)


def test_tickets_import_opened_and_closed_and_again_unchanged(cast):
    batch = run("tickets", TICKETS, cast.admin)
    assert batch.status == ImportBatch.Status.IMPORTED, errors(batch)
    first = Ticket.objects.get(external_code="K-1")
    assert (first.status, first.resolution, first.assigned_to) == (
        "closed",
        "Se repuso",
        cast.alicia,
    )
    assert timezone.localdate(first.opened_at) == dt.date(2025, 3, 1)
    assert timezone.localdate(first.closed_at) == dt.date(2025, 3, 2)
    assert Ticket.objects.get(external_code="K-2").priority == "urgent"
    again = run("tickets", TICKETS, cast.admin)
    assert again.counts["unchanged"] == 2
    reopened = run(
        "tickets", TICKETS.replace("cerrado,2025-03-02,Se repuso", "abierto,,"), cast.admin
    )
    assert reopened.counts["updated"] == 1 and Ticket.objects.get(external_code="K-1").is_open


def test_ticket_rows_with_problems_import_nothing(cast):
    text = (
        "caso,cliente,tema,asunto,estado\n"
        "K-1,C001,entrega,Bien,abierto\n"
        "K-2,C999,entrega,Cuenta desconocida,abierto\n"
        "K-3,C001,magia,Tema raro,abierto\n"
        "K-4,C001,entrega,Cerrado sin solución,cerrado\n"
    )
    batch = run("tickets", text, cast.admin, language="en")
    assert batch.status == ImportBatch.Status.INVALID
    assert [(e["row"], e["column"]) for e in batch.report["errors"]] == [
        (3, "cliente"), (4, "tema"), (5, "Resolution"),
    ]  # fmt: skip
    assert not Ticket.objects.exists()


def test_a_manager_imports_tickets_only_for_her_accounts(cast):
    batch = run("tickets", "caso,cliente,tema,asunto\nK-9,C005,entrega,Trujillo\n", cast.maria)
    assert errors(batch) == ["Fila 2, columna cliente: esta cuenta no está en sus territorios."]


def test_campaigns_and_their_touches_import(cast):
    today = timezone.localdate()
    text = (
        "codigo,nombre,medio,inicio,fin,canales,ubigeos\n"
        f"CMP-1,Verano,correo,{today - dt.timedelta(days=5)},{today},bodega,15\n"
    )
    batch = run("campaigns", text, cast.admin)
    assert batch.status == ImportBatch.Status.IMPORTED, errors(batch)
    campaign = Campaign.objects.get(code="CMP-1")
    assert (campaign.medium, campaign.audience_ubigeos) == ("email", ["15"])
    assert [c.code for c in campaign.audience_channels.all()] == ["bodega"]
    assert run("campaigns", text, cast.admin).counts["unchanged"] == 1
    touches = (
        "campana,cliente,fecha\n"
        f"CMP-1,C001,{today - dt.timedelta(days=2)}\n"
        f"CMP-1,C002,{today - dt.timedelta(days=1)}\n"
    )
    batch = run("campaign_touches", touches, cast.admin)
    assert batch.status == ImportBatch.Status.IMPORTED, errors(batch)
    assert CampaignTouch.objects.filter(campaign=campaign, status="done").count() == 2
    assert Interaction.objects.filter(campaign=campaign, kind="campaign").count() == 2
    assert run("campaign_touches", touches, cast.admin).counts["unchanged"] == 2
    future = f"campana,cliente,fecha\nCMP-1,C003,{today + dt.timedelta(days=3)}\n"
    assert run("campaign_touches", future, cast.admin).status == ImportBatch.Status.INVALID
