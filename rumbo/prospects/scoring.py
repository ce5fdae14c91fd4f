"""Lead scoring: how well a prospect fits, from 0 to 100, with the reason in three parts.

    score = 35 × channel fit + 35 × district potential + 30 × nearness

- channel fit: what a customer of the prospect's channel buys a month, against the best
  channel (or, without sales, how common the channel is among customers), 0..1;
- district potential: the district's percentile among all districts by white-space potential;
- nearness: 1 at the current account nearest to it, falling to 0 at NEAR_KM (a stop on an
  existing route costs little time; planned routes join here once the visit planner exists).
The factors are stored as codes and figures; the page words them in the reader's language.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy.spatial import cKDTree

from rumbo.customers.models import Account
from rumbo.engine.geo import EARTH_RADIUS_KM
from rumbo.prospects.models import Prospect
from rumbo.prospects.potential import percentile_rank
from rumbo.prospects.whitespace import OrgModel, org_model

WEIGHTS = {"channel": 35, "district": 35, "near": 30}
NEAR_KM = 10.0


@dataclass(frozen=True)
class Fit:
    """The figures one prospect is scored from."""

    channel_fit: float  # 0..1
    channel_value: float | None  # monthly sales per customer of the channel
    district_percentile: float  # 0..1
    district_rank: int | None  # 1 = most potential
    districts: int
    distance_km: float | None  # to the nearest current account
    nearest: str = ""  # its name


def score(fit: Fit) -> tuple[int, list[dict[str, Any]]]:
    """The score and its parts (points per factor, with the figures behind them)."""
    near = 0.0 if fit.distance_km is None else max(0.0, 1 - fit.distance_km / NEAR_KM)
    parts: list[dict[str, Any]] = [
        {"code": "channel", "points": round(WEIGHTS["channel"] * fit.channel_fit),
         "value": fit.channel_value},
        {"code": "district", "points": round(WEIGHTS["district"] * fit.district_percentile),
         "rank": fit.district_rank, "of": fit.districts},
        {"code": "near", "points": round(WEIGHTS["near"] * near),
         "km": None if fit.distance_km is None else round(fit.distance_km, 1),
         "account": fit.nearest},
    ]  # fmt: skip
    return min(100, sum(int(p["points"]) for p in parts)), parts


def _unit(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    """Points on the unit sphere, so that a k-d tree finds great-circle neighbours."""
    p, lam = np.radians(lat), np.radians(lon)
    return np.column_stack([np.cos(p) * np.cos(lam), np.cos(p) * np.sin(lam), np.sin(p)])


class Scorer:
    """Everything the scores of one organisation's prospects need, read once."""

    def __init__(self, org_id: int, org: OrgModel | None = None) -> None:
        self.org = org or org_model(org_id)
        values = np.array([float(c.value) if c.value is not None else np.nan
                           for c in self.org.channels])  # fmt: skip
        counts = np.array([c.customers for c in self.org.channels], dtype=float)
        basis = values if not np.all(np.isnan(values)) else counts
        best = np.nanmax(basis) if basis.size and np.nanmax(basis) > 0 else 1.0
        self.channel_fit = {
            c.channel.pk: (0.0 if np.isnan(b) else float(b / best))
            for c, b in zip(self.org.channels, basis, strict=True)
        }
        self.channel_value = {c.channel.pk: c.value for c in self.org.channels}
        potential = self.org.result.potential
        self.percentile = dict(zip(self.org.places.ubigeo, percentile_rank(potential), strict=True))
        order = np.argsort(-potential, kind="stable")
        self.rank = {self.org.places.ubigeo[i]: r for r, i in enumerate(order, start=1)}
        self._accounts(org_id)

    def _accounts(self, org_id: int) -> None:
        rows = list(
            Account.objects.filter(organisation_id=org_id, status=Account.Status.ACTIVE)
            .exclude(lat__isnull=True)
            .values_list("lat", "lon", "trade_name", "legal_name")
        )
        self.names = [trade or legal for _lat, _lon, trade, legal in rows]
        points = np.array([(r[0], r[1]) for r in rows], dtype=float).reshape(-1, 2)
        self.tree = cKDTree(_unit(points[:, 0], points[:, 1])) if len(rows) else None

    def fit(self, prospect: Prospect) -> Fit:
        distance, nearest = None, ""
        if self.tree is not None and prospect.lat is not None and prospect.lon is not None:
            chord, i = self.tree.query(_unit(np.array([prospect.lat]), np.array([prospect.lon])))
            distance = float(2 * EARTH_RADIUS_KM * np.arcsin(min(1.0, chord[0] / 2)))
            nearest = self.names[int(i[0])]
        value = self.channel_value.get(prospect.channel_id)
        return Fit(
            channel_fit=self.channel_fit.get(prospect.channel_id, 0.0),
            channel_value=float(value) if value is not None else None,
            district_percentile=self.percentile.get(prospect.distrito_id, 0.0),
            district_rank=self.rank.get(prospect.distrito_id),
            districts=len(self.rank),
            distance_km=distance,
            nearest=nearest,
        )


def score_prospects(prospects: Iterable[Prospect], scorer: Scorer | None = None) -> int:
    """Compute and store the score of these prospects (of one organisation). Returns how many."""
    rows = list(prospects)
    if not rows:
        return 0
    scorer = scorer or Scorer(rows[0].organisation_id)
    for p in rows:
        p.score, p.score_factors = score(scorer.fit(p))
    Prospect.objects.bulk_update(rows, ["score", "score_factors"], batch_size=500)
    return len(rows)
