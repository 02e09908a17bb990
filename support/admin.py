from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.errors import WrongState
from applications.uploads import stored_file_response

from .models import HelpArticle, SupportEvent, SupportRequest, SupportScreenshot
from .services import (
    support_request_assign,
    support_request_note,
    support_request_reply,
    support_request_set_status,
    support_requests_assign,
    support_requests_set_status,
)


@admin.register(HelpArticle)
class HelpArticleAdmin(admin.ModelAdmin):
    list_display = ("question_en", "topic", "order", "is_published", "updated_at")
    list_filter = ("topic", "is_published")
    search_fields = ("question_en", "question_fr", "answer_en", "answer_fr")
    fields = (
        "topic",
        "order",
        "is_published",
        "question_en",
        "question_fr",
        "answer_en",
        "answer_fr",
    )


# --- Technical issues -----------------------------------------------------------------------


def _status_choices(support_request, *, keep_label=None):
    allowed = SupportRequest.TRANSITIONS[support_request.status]
    choices = [(value, label) for value, label in SupportRequest.Status.choices if value in allowed]
    if keep_label is not None:
        choices.insert(0, ("", keep_label))
    return choices


class ReplyForm(forms.Form):
    message = forms.CharField(
        label=_("Reply"),
        help_text=_(
            "Sent by email to the requester and shown on their request page if they were signed "
            "in. Don’t ask for identity documents or passwords."
        ),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 10, "cols": 80}),
    )
    then_status = forms.ChoiceField(label=_("Then set the status to"), required=False)

    def __init__(self, *args, support_request, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["then_status"]
        field.choices = _status_choices(
            support_request,
            keep_label=_("Keep “%(status)s”") % {"status": support_request.get_status_display()},
        )
        if SupportRequest.Status.WAITING_FOR_REPLY in dict(field.choices):
            field.initial = SupportRequest.Status.WAITING_FOR_REPLY


class NoteForm(forms.Form):
    message = forms.CharField(
        label=_("Internal note"),
        help_text=_("Only staff see notes."),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6, "cols": 80}),
    )


class StatusForm(forms.Form):
    to = forms.ChoiceField(label=_("New status"))

    def __init__(self, *args, support_request, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to"].choices = _status_choices(support_request)


class _RequestPartInline(admin.TabularInline):
    """Read-only parts of a request, visible to whoever may view the request."""

    extra = 0
    can_delete = False

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("support.view_supportrequest")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class SupportEventInline(_RequestPartInline):
    model = SupportEvent
    fields = ("at", "kind", "actor", "old_status", "new_status", "assignee", "message")
    readonly_fields = fields
    ordering = ("at", "id")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor", "assignee")


class SupportScreenshotInline(_RequestPartInline):
    model = SupportScreenshot
    fields = ("order", "size", "dimensions", "view")
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("file")

    @admin.display(description=_("size (bytes)"))
    def size(self, obj):
        return obj.file.size

    @admin.display(description=_("pixels"))
    def dimensions(self, obj):
        return f"{obj.file.width} × {obj.file.height}"

    @admin.display(description=_("file"))
    def view(self, obj):
        url = reverse("admin:support_supportrequest_screenshot", args=[obj.file.public_id])
        return format_html(
            '<a href="{}">{}</a>', url, _("Download screenshot %(number)s") % {"number": obj.order}
        )


@admin.register(SupportRequest)
class SupportRequestAdmin(admin.ModelAdmin):
    """Staff handle technical issues here. What the requester sent is read-only; status,
    assignment, replies and notes change only through the buttons and actions below, which call
    support.services."""

    list_display = (
        "reference", "created_at", "category", "status", "assignee", "program", "screenshot_count",
    )  # fmt: skip
    list_filter = ("status", "category", ("assignee", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("assignee", "program")
    search_fields = ("=reference", "=email")
    ordering = ("-created_at",)
    show_full_result_count = False
    fieldsets = (
        (None, {"fields": ("reference", "status", "assignee", "created_at", "status_changed_at")}),
        (
            _("Sent by"),
            {"fields": ("name", "email", "submitted_by", "uci", "application_number", "language")},
        ),
        (_("The problem"), {"fields": ("category", "program", "description", "user_agent")}),
    )
    readonly_fields = (
        "reference", "status", "assignee", "created_at", "status_changed_at", "name", "email",
        "submitted_by", "uci", "application_number", "language", "category", "program",
        "description", "user_agent",
    )  # fmt: skip
    inlines = [SupportScreenshotInline, SupportEventInline]
    actions = ["assign_to_me", "mark_in_progress", "mark_resolved", "mark_closed"]
    change_form_template = "admin/support/supportrequest/change_form.html"

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(screenshots_total=Count("screenshots"))

    @admin.display(description=_("screenshots"), ordering="screenshots_total")
    def screenshot_count(self, obj):
        return obj.screenshots_total

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = {
            **(extra_context or {}),
            # Everything on the page is read-only: changes go through the buttons.
            "show_save": False,
            "show_save_and_continue": False,
            "show_save_and_add_another": False,
            "show_delete": False,
            "can_act": self.has_change_permission(request),
        }
        return super().change_view(request, object_id, form_url, extra_context)

    # --- Actions on the list -------------------------------------------------------------

    @admin.action(description=_("Assign the selected requests to me"), permissions=["change"])
    def assign_to_me(self, request, queryset):
        support_requests_assign(
            ids=list(queryset.values_list("pk", flat=True)),
            assignee=request.user,
            actor=request.user,
        )
        self.message_user(request, _("Requests assigned to you."), messages.SUCCESS)

    def _set_status(self, request, queryset, to):
        changed, skipped = support_requests_set_status(
            ids=list(queryset.values_list("pk", flat=True)), to=to, actor=request.user
        )
        self.message_user(
            request,
            _("%(changed)d requests changed; %(skipped)d skipped (not allowed from their status).")
            % {"changed": changed, "skipped": skipped},
            messages.SUCCESS if changed else messages.WARNING,
        )

    @admin.action(
        description=_("Set the selected requests to “In progress”"), permissions=["change"]
    )
    def mark_in_progress(self, request, queryset):
        self._set_status(request, queryset, SupportRequest.Status.IN_PROGRESS)

    @admin.action(description=_("Set the selected requests to “Resolved”"), permissions=["change"])
    def mark_resolved(self, request, queryset):
        self._set_status(request, queryset, SupportRequest.Status.RESOLVED)

    @admin.action(description=_("Close the selected requests"), permissions=["change"])
    def mark_closed(self, request, queryset):
        self._set_status(request, queryset, SupportRequest.Status.CLOSED)

    # --- Buttons on one request ------------------------------------------------------------

    def get_urls(self):
        def form_view(method):
            return self.admin_site.admin_view(require_http_methods(["GET", "HEAD", "POST"])(method))

        name = "support_supportrequest"
        return [
            path("<path:object_id>/reply/", form_view(self.reply_view), name=f"{name}_reply"),
            path("<path:object_id>/note/", form_view(self.note_view), name=f"{name}_note"),
            path("<path:object_id>/status/", form_view(self.status_view), name=f"{name}_status"),
            path(
                "<path:object_id>/assign-to-me/",
                self.admin_site.admin_view(require_POST(self.assign_to_me_view)),
                name=f"{name}_assign_to_me",
            ),
            path(
                "screenshot/<uuid:public_id>/",
                self.admin_site.admin_view(require_safe(self.screenshot_view)),
                name=f"{name}_screenshot",
            ),
            *super().get_urls(),
        ]  # fmt: skip

    def _object_for_change(self, request, object_id) -> SupportRequest:
        if not self.has_change_permission(request):
            raise PermissionDenied
        support_request = self.get_object(request, object_id)
        if support_request is None:
            raise Http404
        return support_request

    def _change_url(self, support_request):
        return reverse("admin:support_supportrequest_change", args=[support_request.pk])

    def _form_page(self, request, support_request, form, *, title, submit_label):
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": support_request,
            "title": title,
            "form": form,
            "submit_label": submit_label,
            "change_url": self._change_url(support_request),
        }
        return TemplateResponse(request, "admin/support/supportrequest/action_form.html", context)

    def reply_view(self, request, object_id):
        support_request = self._object_for_change(request, object_id)
        if support_request.status == SupportRequest.Status.CLOSED:
            raise WrongState(_("This request is closed: it takes no more replies."))
        form = ReplyForm(
            request.POST if request.method == "POST" else None, support_request=support_request
        )
        if request.method == "POST" and form.is_valid():
            support_request_reply(
                support_request=support_request,
                message=form.cleaned_data["message"],
                then_status=form.cleaned_data["then_status"] or None,
                actor=request.user,
            )
            self.message_user(request, _("Reply queued for sending by email."), messages.SUCCESS)
            return redirect(self._change_url(support_request))
        return self._form_page(
            request,
            support_request,
            form,
            title=_("Reply to %(reference)s by email") % {"reference": support_request.reference},
            submit_label=_("Send the reply"),
        )

    def note_view(self, request, object_id):
        support_request = self._object_for_change(request, object_id)
        form = NoteForm(request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            support_request_note(
                support_request=support_request,
                message=form.cleaned_data["message"],
                actor=request.user,
            )
            self.message_user(request, _("Note added."), messages.SUCCESS)
            return redirect(self._change_url(support_request))
        return self._form_page(
            request,
            support_request,
            form,
            title=_("Add a note to %(reference)s") % {"reference": support_request.reference},
            submit_label=_("Add the note"),
        )

    def status_view(self, request, object_id):
        support_request = self._object_for_change(request, object_id)
        if not SupportRequest.TRANSITIONS[support_request.status]:
            raise WrongState(_("This request is closed: its status cannot change."))
        form = StatusForm(
            request.POST if request.method == "POST" else None, support_request=support_request
        )
        if request.method == "POST" and form.is_valid():
            support_request_set_status(
                support_request=support_request, to=form.cleaned_data["to"], actor=request.user
            )
            self.message_user(request, _("Status changed."), messages.SUCCESS)
            return redirect(self._change_url(support_request))
        return self._form_page(
            request,
            support_request,
            form,
            title=_("Change the status of %(reference)s")
            % {"reference": support_request.reference},
            submit_label=_("Change the status"),
        )

    def assign_to_me_view(self, request, object_id):
        support_request = self._object_for_change(request, object_id)
        support_request_assign(
            support_request=support_request, assignee=request.user, actor=request.user
        )
        self.message_user(request, _("Request assigned to you."), messages.SUCCESS)
        return redirect(self._change_url(support_request))

    def screenshot_view(self, request, public_id):
        """Staff with permission to view requests download a screenshot (audited)."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        screenshot = (
            SupportScreenshot.objects.select_related("file", "support_request")
            .filter(file__public_id=public_id)
            .first()
        )
        if screenshot is None:
            raise Http404
        return stored_file_response(
            screenshot.file,
            download_name=f"{screenshot.support_request.reference}-{screenshot.order}",
            request=request,
        )
