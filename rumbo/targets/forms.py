"""Forms of the target pages: which grid to show, the grid itself, copying last year, spreading
an annual figure, and monthly distributions."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms
from django.core.validators import MinValueValidator
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from rumbo.catalog.models import Category
from rumbo.core.models import User
from rumbo.targets.models import Measure, MonthlyDistribution
from rumbo.targets.selectors import Grid, GridRow
from rumbo.targets.services import HUNDRED, Cell

MIN_YEAR, MAX_YEAR = 2000, 2100


def year_field(**kwargs: Any) -> forms.IntegerField:
    return forms.IntegerField(
        label=_("Year"), min_value=MIN_YEAR, max_value=MAX_YEAR,
        widget=forms.NumberInput(attrs={"step": 1}), **kwargs,
    )  # fmt: skip


class GridChoiceForm(forms.Form):
    """Which year, measure and category the grid shows (read from the query string)."""

    year = year_field(required=False)
    measure = forms.ChoiceField(label=_("Measure"), choices=Measure.choices, required=False)
    category = forms.ModelChoiceField(
        label=_("Category"),
        queryset=Category.objects.none(),
        required=False,
        empty_label=_("All categories"),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["category"]
        field.queryset = Category.objects.filter(organisation_id=user.organisation_id)

    def choice(self, today: dt.date) -> tuple[int, str, Category | None]:
        data = self.cleaned_data if self.is_valid() else {}
        return (
            data.get("year") or today.year,
            data.get("measure") or Measure.AMOUNT,
            data.get("category"),
        )


def cell_name(row: GridRow, month: dt.date) -> str:
    return f"{row.key}-{month.month:02d}"


class GridForm(forms.Form):
    """One field per editable cell, showing the explicit value; empty means "no target of its
    own" (a territory then sums its children)."""

    def __init__(self, *args: Any, grid: Grid, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.grid = grid
        for row in grid.rows:
            if not row.editable:
                continue
            for month, value in row.cells:
                explicit = value.amount if value is not None and value.explicit else None
                self.fields[cell_name(row, month)] = forms.DecimalField(
                    label=f"{row.label} {formats.date_format(month, 'YEAR_MONTH_FORMAT')}",
                    required=False, max_digits=16, decimal_places=2, initial=explicit,
                    validators=[MinValueValidator(Decimal("0"))],
                    localize=True,
                )  # fmt: skip

    def changed_cells(self) -> list[Cell]:
        """The cells whose value differs from the explicit one they had."""
        cells = []
        for row in self.grid.rows:
            if not row.editable:
                continue
            for month, value in row.cells:
                before = value.amount if value is not None and value.explicit else None
                after = self.cleaned_data.get(cell_name(row, month))
                if after != before:
                    cells.append(Cell(month, after, territory=row.territory, rep=row.rep))
        return cells


def owner_choices(grid: Grid) -> list[tuple[str, str]]:
    return [(row.key, row.label) for row in grid.rows if row.editable]


class CopyForm(forms.Form):
    owners = forms.MultipleChoiceField(
        label=_("For"), widget=forms.CheckboxSelectMultiple, choices=()
    )
    basis = forms.ChoiceField(
        label=_("From last year's"),
        choices=(("targets", _("targets")), ("sales", _("sales"))),
        initial="sales",
    )
    change_pct = forms.DecimalField(
        label=_("Change (%)"), max_digits=6, decimal_places=2, initial=Decimal("0"),
        min_value=Decimal("-99.99"), max_value=Decimal("1000"), localize=True,
        help_text=_("For example 8 for last year plus 8 %, or -5."),
    )  # fmt: skip

    def __init__(self, *args: Any, grid: Grid, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["owners"]
        field.choices = owner_choices(grid)
        field.initial = [key for key, _label in field.choices]


class SpreadForm(forms.Form):
    owner = forms.ChoiceField(label=_("For"), choices=())
    annual = forms.DecimalField(
        label=_("Annual target"), max_digits=16, decimal_places=2, min_value=Decimal("0"),
        localize=True,
    )  # fmt: skip
    distribution = forms.ModelChoiceField(
        label=_("Monthly distribution"),
        queryset=MonthlyDistribution.objects.none(),
        required=False,
        empty_label=_("Equal months"),
    )

    def __init__(self, *args: Any, grid: Grid, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        owner: Any = self.fields["owner"]
        owner.choices = owner_choices(grid)
        field: Any = self.fields["distribution"]
        field.queryset = MonthlyDistribution.objects.visible_to(user)


MONTH_FIELDS = [f"m{m:02d}" for m in range(1, 13)]


class DistributionForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for m, name in enumerate(MONTH_FIELDS, start=1):
            self.fields[name] = forms.DecimalField(
                label=formats.date_format(dt.date(2000, m, 1), "F").capitalize(),
                max_digits=5, decimal_places=2, min_value=Decimal("0"), max_value=HUNDRED,
                initial=Decimal("0"), localize=True,
            )  # fmt: skip

    @classmethod
    def initial_for(cls, distribution: MonthlyDistribution | None) -> dict[str, Any]:
        shares = distribution.shares if distribution else [Decimal("8.33")] * 11 + [Decimal("8.37")]
        initial: dict[str, Any] = dict(zip(MONTH_FIELDS, shares, strict=True))
        initial["name"] = distribution.name if distribution else ""
        return initial

    def percentages(self) -> list[Decimal]:
        return [self.cleaned_data[name] for name in MONTH_FIELDS]

    def month_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in MONTH_FIELDS]
