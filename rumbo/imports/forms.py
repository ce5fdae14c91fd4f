"""Forms of the import pages: upload a file, and map its columns to Rumbo's fields."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from rumbo.core.models import User
from rumbo.imports.kinds import KINDS, Kind
from rumbo.imports.mapping import Mapping, MappingError, Source
from rumbo.imports.models import MappingPreset
from rumbo.imports.readers import Table

MAX_FILE_BYTES = 20 * 1024 * 1024
NOT_IMPORTED = ""


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("What the file holds"))
    file = forms.FileField(
        label=_("File"), help_text=_("CSV (any delimiter, UTF-8 or Latin-1) or Excel (.xlsx).")
    )
    preset = forms.ModelChoiceField(
        label=_("Saved mapping"),
        queryset=MappingPreset.objects.none(),
        required=False,
        empty_label=_("— suggest one from the headers —"),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["kind"]
        field.choices = [(code, kind.label) for code, kind in KINDS.items() if kind.allowed(user)]
        preset: Any = self.fields["preset"]
        preset.queryset = MappingPreset.objects.visible_to(user)

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        if upload.size and upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(
                _("The file is larger than 20 MB; split it or use the command.")
            )
        return upload

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        preset: MappingPreset | None = data.get("preset")
        if preset is not None and data.get("kind") and preset.kind != data["kind"]:
            self.add_error("preset", _("This mapping is for another kind of file."))
        return data


def source_choice(source: Source) -> str:
    return json.dumps(source.to_json(), ensure_ascii=False, sort_keys=True)


class MappingForm(forms.Form):
    """For each field: the column it comes from, or a value for every row; and the options."""

    save_as = forms.CharField(
        label=_("Save this mapping as"),
        max_length=80,
        required=False,
        help_text=_("A name, to reuse the mapping for the next file from the same system."),
    )

    def __init__(
        self, *args: Any, kind: Kind, table: Table, mapping: Mapping, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.kind, self.table = kind, table
        columns = [(source_choice(Source(column=h)), h) for h in table.headers]
        for f in kind.fields:
            current = mapping.sources.get(f.name)
            choices = [(NOT_IMPORTED, _("— not imported —")), *columns]
            initial_column = NOT_IMPORTED
            if current is not None and current.value is None:
                initial_column = source_choice(current)
                if initial_column not in dict(choices):
                    choices.append((initial_column, _("rule: %(r)s") % {"r": initial_column}))
            self.fields[f"column_{f.name}"] = forms.ChoiceField(
                label=f.label, choices=choices, required=False, initial=initial_column,
                help_text=_("required") if f.required else "",
            )  # fmt: skip
            self.fields[f"value_{f.name}"] = forms.CharField(
                label=_("or this value on every row"), required=False, max_length=200,
                initial=current.value if current is not None and current.value is not None else "",
            )  # fmt: skip
        for option in kind.options:
            initial = mapping.options.get(option.name, "")
            if option.choices:
                self.fields[f"option_{option.name}"] = forms.ChoiceField(
                    label=option.label, choices=[("", "—"), *option.choices], required=False,
                    initial=initial, help_text=option.help,
                )  # fmt: skip
            else:
                self.fields[f"option_{option.name}"] = forms.CharField(
                    label=option.label, required=False, initial=initial, help_text=option.help
                )
        self.extra_options = {
            k: v for k, v in mapping.options.items() if k not in {o.name for o in kind.options}
        }

    def rows(self) -> list[tuple[Any, Any, Any]]:
        """(field, column widget, value widget) for the template."""
        return [(f, self[f"column_{f.name}"], self[f"value_{f.name}"]) for f in self.kind.fields]

    def option_fields(self) -> list[Any]:
        return [self[f"option_{o.name}"] for o in self.kind.options]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        sources: dict[str, Source] = {}
        for f in self.kind.fields:
            value = (data.get(f"value_{f.name}") or "").strip()
            chosen = data.get(f"column_{f.name}") or NOT_IMPORTED
            try:
                if value:
                    sources[f.name] = Source(value=value)
                elif chosen != NOT_IMPORTED:
                    sources[f.name] = Source.from_json(json.loads(chosen))
            except (MappingError, ValueError):
                self.add_error(f"column_{f.name}", _("Choose a column of the file."))
        options = dict(self.extra_options)
        for option in self.kind.options:
            value = (data.get(f"option_{option.name}") or "").strip()
            if value:
                options[option.name] = value
            else:
                options.pop(option.name, None)
        self.mapping = Mapping(sources=sources, options=options)
        for problem in self.mapping.check((f.name for f in self.kind.fields), self.table):
            self.add_error(None, problem)
        return data
