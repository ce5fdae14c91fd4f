"""The account timeline's records (interactions, tickets, campaigns and their touches), the
contact policy, and the reps' planned activities."""

from rumbo.interactions.models.campaign import Campaign, CampaignQuerySet, CampaignTouch
from rumbo.interactions.models.interaction import (
    ContactPolicy,
    Interaction,
    InteractionQuerySet,
)
from rumbo.interactions.models.plan import PlannedActivity, PlannedActivityQuerySet
from rumbo.interactions.models.ticket import Ticket, TicketQuerySet

__all__ = [
    "Campaign",
    "CampaignQuerySet",
    "CampaignTouch",
    "ContactPolicy",
    "Interaction",
    "InteractionQuerySet",
    "PlannedActivity",
    "PlannedActivityQuerySet",
    "Ticket",
    "TicketQuerySet",
]
