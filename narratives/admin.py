from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import Case, QuerySet, When
from django.http import HttpRequest
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from narratives.models import Code, Codebook
from narratives.services import code_clashes, code_number_next


def colour_swatch(code: Code) -> str:
    return format_html(
        '<span style="display:inline-block;width:1.2em;height:1.2em;border:1px solid #444;'
        'vertical-align:middle;background:{}"></span> <code>{}</code>',
        code.colour,
        code.colour,
    )


class CodeForm(forms.ModelForm):
    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "codebook" in data and "name" in data:
            proposed = Code(
                pk=self.instance.pk,
                codebook=data["codebook"],
                parent=data.get("parent"),
                name=data["name"].strip(),
                shortcut=data.get("shortcut", ""),
            )
            # A field with an error is left out of the constraint checks that follow.
            for field, message in code_clashes(proposed).items():
                self.add_error(field, message)
        return data


@admin.register(Code)
class CodeAdmin(SimpleHistoryAdmin):
    form = CodeForm
    list_display = ["tree_name", "swatch", "shortcut", "order", "retired", "project"]
    list_display_links = ["tree_name"]
    list_editable = ["order", "retired"]
    list_filter = ["codebook__project", "retired"]
    search_fields = ["name", "definition"]
    readonly_fields = ["swatch"]
    fieldsets = [
        (None, {"fields": ["codebook", "parent", "name", "order", "retired"]}),
        ("Definition", {"fields": ["definition", "inclusion", "exclusion", "example"]}),
        ("Display", {"fields": ["colour", "swatch", "shortcut"]}),
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Code]:
        return super().get_queryset(request).select_related("codebook__project", "parent__parent")

    def save_model(self, request: HttpRequest, obj: Code, form: Any, change: bool) -> None:
        if not change:
            obj.number = code_number_next(obj.codebook)
        super().save_model(request, obj, form, change)

    def get_changelist_instance(self, request: HttpRequest):  # type: ignore[no-untyped-def]
        changelist = super().get_changelist_instance(request)
        # Show the tree: order rows depth-first, whatever page the admin is on.
        # The list-editable formset needs a queryset, so the order is spelled out in SQL.
        rows = sorted(changelist.result_list, key=lambda code: (code.codebook_id, tree_key(code)))
        if not rows:
            return changelist
        position = Case(*[When(pk=code.pk, then=index) for index, code in enumerate(rows)])
        changelist.result_list = (
            self.get_queryset(request).filter(pk__in=[code.pk for code in rows]).order_by(position)
        )
        return changelist

    @admin.display(description="code (tree)")
    def tree_name(self, code: Code) -> str:
        return format_html(
            '<span style="padding-left:{}em">{}{}</span>',
            1.5 * code.depth,
            "↳ " if code.parent_id else "",
            code.name,
        )

    @admin.display(description="colour")
    def swatch(self, code: Code) -> str:
        return colour_swatch(code)

    @admin.display(description="project", ordering="codebook__project__name")
    def project(self, code: Code) -> str:
        return str(code.codebook.project)


def tree_key(code: Code) -> tuple[tuple[int, str], ...]:
    chain: list[tuple[int, str]] = []
    node: Code | None = code
    while node is not None:
        chain.append((node.order, node.name))
        node = node.parent
    return tuple(reversed(chain))


class CodeInline(admin.TabularInline):
    model = Code
    extra = 1
    fields = ["name", "parent", "colour", "shortcut", "order", "retired"]
    show_change_link = True


@admin.register(Codebook)
class CodebookAdmin(admin.ModelAdmin):
    list_display = ["project", "updated_at"]
    inlines = [CodeInline]

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        for code in formset.save(commit=False):
            if code.pk is None:
                code.number = code_number_next(code.codebook)
            code.save()
        for code in formset.deleted_objects:
            code.delete()
