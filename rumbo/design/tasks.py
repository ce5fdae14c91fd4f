"""The background task that runs the territory optimiser on a scenario."""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from typing import Any

import numpy as np
from django.utils.translation import gettext as _
from django_tasks import task

from rumbo.core.jobs import report_progress, run_job
from rumbo.design import adapters, services
from rumbo.design.models import Scenario


@task()
def optimise_scenario(job_id: int, scenario_id: int, seed: int = 0) -> dict[str, Any]:
    def work(progress: Callable[[int, int], None]) -> dict[str, Any]:
        scenario = Scenario.objects.get(pk=scenario_id)
        started = time.perf_counter()
        board, after, result = adapters.optimise(scenario, progress, seed)
        changed = np.flatnonzero((after != board.after) & (after >= 0))
        moves = {int(board.placement_ids[i]): board.territories[after[i]].pk for i in changed}
        outcome = {
            "feasible": result.feasible,
            "balanced": result.balanced,
            "balance_pct": [
                None if math.isinf(x) else round(float(x), 2) for x in result.balance_pct
            ],
            "contiguous": result.contiguous,
            "disruption_ok": result.disruption_ok,
            "locks_kept": result.locks_kept,
            "empty_territories": result.empty_territories,
            "iterations": result.iterations,
            "seconds": round(time.perf_counter() - started, 1),
            "moved": len(moves),
            "units": scenario.units,
        }
        services.apply_optimisation(scenario=scenario, moves=moves, outcome=outcome)
        message = _("%(moved)d accounts moved.") % {"moved": len(moves)}
        report_progress(job_id, scenario.time_limit_s, scenario.time_limit_s, message=message)
        return {"moved": len(moves), "url": scenario.get_absolute_url()}

    return run_job(job_id, work)
