"""THE declaration table of the authorization matrix (tests/security/test_authorization_matrix.py).

Each rule names URL names (exact, or ``fnmatch`` patterns such as ``admin:*_changelist``) and
declares, for every persona, the status expected for GET and for POST. The first rule whose
pattern matches a name wins, so specific names come before the groups they belong to.

An outcome is written ``"<GET> <POST>"``. Each half is one status for every object, or three
separated by ``/`` for the own, foreign and missing object. ``|`` separates accepted
alternatives (e.g. ``200|302``). Examples: ``"200/404/404 302/404/404"`` (the own object
works, anything else is 404), ``"302 302"`` (a redirect either way).

Personas (tests/security/world.py): anonymous, client_a, client_b, individual (a client with a
self-represented application of their own, never a party of A or B), rep_a, rep_b, rep_pending,
staff (no permission), staff_perm (view/change on the portal's models), superuser. The own
object is side A's, the foreign one side B's; so for client_b and rep_b "own" means "A's",
which is someone else's.
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass

from tests.security.world import PERSONAS

OBJECTS = ("own", "foreign", "missing")


@dataclass(frozen=True)
class Rule:
    patterns: tuple[str, ...]
    outcomes: dict[str, str]  # persona -> "<GET> <POST>"
    why: str = ""


def per_persona(default: str | None = None, **overrides: str) -> dict[str, str]:
    """Every persona gets ``default`` unless named in ``overrides``."""
    unknown = set(overrides) - set(PERSONAS)
    assert not unknown, f"unknown personas {unknown}"
    outcomes = {persona: overrides.get(persona, default) for persona in PERSONAS}
    missing = [persona for persona, outcome in outcomes.items() if outcome is None]
    assert not missing, f"no outcome for {missing}"
    return outcomes


def rule(*patterns: str, why: str = "", default: str | None = None, **overrides: str) -> Rule:
    return Rule(patterns, per_persona(default, **overrides), why)


# --- the table ----------------------------------------------------------------------------------

# Shorthands for the admin: everybody who is not staff is sent to the sign-in page.
NOT_STAFF = ("anonymous", "client_a", "client_b", "individual", "rep_a", "rep_b", "rep_pending")


def admin_rule(*patterns: str, staff: str, staff_perm: str, superuser: str, why: str = "") -> Rule:
    return rule(
        *patterns, why=why, default="302 302", staff=staff, staff_perm=staff_perm,
        superuser=superuser,
    )  # fmt: skip


# What a staff member without the model's permission gets, per kind of admin page.
NO_PERM = "403 403"
NO_PERM_HISTORY = "403/403/302 403/403/302"  # a missing object is reported before the check
CAN_VIEW_HISTORY = "200/200/302 200/200/302"
CAN_CHANGE = "200/200/302 200/200/302"  # a missing object: back to the list with a message
CAN_DELETE = "200/200/302 302"  # the POST without "post=yes" goes back to the change page
NOBODY = "403 403"  # records written only by services: not even a superuser adds or deletes

# Models only a superuser manages (accounts, groups, authenticators, sessions).
SUPERUSER_MODELS = ("accounts_user", "auth_group", "account_emailaddress",
                    "mfa_authenticator", "usersessions_usersession")  # fmt: skip
# Reference data a processor edits (no delete permission for processors).
REFERENCE_MODELS = ("applications_program", "applications_feerule", "support_helparticle")
# Service-written records: read-only for everyone.
AUDIT_MODELS = ("accounts_auditevent", "accounts_storedfile", "retention_removeddraft")
# Service-written records whose list has actions (retry, grant/refuse): rows stay read-only.
ACTION_MODELS = ("accounts_outboxemail", "accounts_mfaresetrequest")
# Case records a processor views and changes; rows are never added or deleted in the admin.
CASE_MODELS = ("applications_application", "clients_client", "support_supportrequest")
# Evidence written by services (signatures, submissions): read-only for everyone.
EVIDENCE_MODELS = ("applications_signatureevent", "applications_submission")


def _each(models, suffix):
    return tuple(f"admin:{model}_{suffix}" for model in models)


RULES: list[Rule] = [
    # --- public pages: the same for everyone ---------------------------------------------------
    rule(
        "accounts:privacy",
        "accounts:terms",
        "accounts:signed_out",
        "accounts:mfa_reset_requested",
        "support:guides",
        "support:help_centre",
        "account_email_verification_sent",
        "account_inactive",
        "account_reset_password_done",
        "account_reset_password_from_key_done",
        why="information pages; POST is not allowed",
        default="200 405",
    ),
    rule(
        "support:contact",
        "accounts:mfa_reset_request",
        "account_reset_password",
        "account_reset_password_from_key",
        why="forms open to anyone (a bad key shows the 'link expired' page)",
        default="200 200",
    ),
    rule(
        "support:contact_sent", why="reads the reference from the session only", default="302 405"
    ),
    rule("account_confirm_email", why="an unknown key is a 404 on POST", default="200 404"),
    rule("set_language", default="302 302"),
    rule(
        "account_confirm_login_code",
        "account_set_password",
        "mfa_authenticate",
        "mfa_reauthenticate_webauthn",
        "mfa_activate_totp",
        "mfa_add_webauthn",
        "mfa_generate_recovery_codes",
        why="steps reached only inside a flow (or already enrolled): sent elsewhere",
        default="302 302",
    ),
    # --- signing in and out ----------------------------------------------------------------------
    rule(
        "account_login",
        "account_signup",
        "accounts:individual_signup",
        why="signed in: sent home",
        default="302 302",
        anonymous="200 200",
    ),  # fmt: skip
    rule("account_logout", default="200 302", anonymous="302 302"),
    rule("accounts:home", default="302 405", anonymous="200 405"),
    rule(
        "accounts:start",
        why="everyone is sent to their own start page (clients: clients:home)",
        default="302 405",
    ),  # fmt: skip
    rule(
        "accounts:session_keepalive", why="POST only; 204", default="405 204", anonymous="405 302"
    ),  # fmt: skip
    # --- the signed-in person's own account -----------------------------------------------
    rule("accounts:account", "support:request_list", default="200 405", anonymous="302 405"),
    rule(
        "account_change_password", "account_reauthenticate", default="200 200", anonymous="302 302"
    ),  # fmt: skip
    rule("usersessions_list", default="200 302", anonymous="302 302"),
    rule(
        "account_email",
        "accounts:email_manage",
        why="invited clients cannot change their email (403)",
        default="200 302",
        anonymous="302 302",
        client_a="403 403",
        client_b="403 403",
        individual="403 403",
    ),
    rule(
        "mfa_edit_webauthn",
        "mfa_remove_webauthn",
        why="asks for a fresh re-authentication first (the key is looked up after)",
        default="302 302",
    ),  # fmt: skip
    rule("mfa_index", "mfa_list_webauthn", default="200 405", anonymous="302 302"),
    rule(
        "mfa_reauthenticate",
        why="clients have no authenticator",
        default="200 200",
        anonymous="302 302",
        client_a="302 302",
        client_b="302 302",
        individual="302 302",
    ),  # fmt: skip
    rule(
        "mfa_deactivate_totp",
        "mfa_download_recovery_codes",
        default="302 302",
        client_a="404 404",
        client_b="404 404",
        individual="404 404",
    ),  # fmt: skip
    rule(
        "mfa_view_recovery_codes",
        default="302 405",
        anonymous="302 302",
        client_a="404 405",
        client_b="404 405",
        individual="404 405",
    ),  # fmt: skip
    # --- representatives' own pages ------------------------------------------------------------
    rule(
        "representatives:status",
        why="representatives only; others 404",
        default="404 404",
        anonymous="302 302",
        rep_a="200 405",
        rep_b="200 405",
        rep_pending="200 405",
    ),  # fmt: skip
    rule(
        "representatives:profile_edit",
        why="a verified profile is changed by staff (409)",
        default="404 404",
        anonymous="302 302",
        rep_a="409 409",
        rep_b="409 409",
        rep_pending="200 200",
    ),  # fmt: skip
    rule(
        "representatives:id_document",
        why="one's own identity document only",
        default="404 404",
        anonymous="302 302",
        rep_a="200/404/404 405",
        rep_b="404/200/404 405",
        rep_pending="404 405",
    ),  # fmt: skip
    # --- the representative's application pages: the assigned representative only ---------------
    rule(
        "applications:dashboard",
        default="404 405",
        anonymous="302 405",
        rep_a="200 405",
        rep_b="200 405",
        rep_pending="302 405",
    ),  # fmt: skip
    rule(
        "applications:create",
        default="404 404",
        anonymous="302 302",
        rep_a="200 200",
        rep_b="200 200",
        rep_pending="302 302",
    ),  # fmt: skip
    rule(
        "applications:detail",
        "applications:history",
        "applications:documents",
        "applications:document_download",
        "applications:document_image",
        "applications:document_page",
        "applications:document_preview",
        "applications:document_translation",
        "forms_imm:overview",
        why="read-only pages; POST is not allowed",
        default="404 405",
        anonymous="302 405",
        rep_a="200/404/404 405",
        rep_b="404/200/404 405",
        rep_pending="302 405",
    ),
    rule(
        "applications:client_email",
        "applications:copy",
        "applications:document_add_part",
        "applications:document_upload",
        "applications:person_add",
        "applications:person_edit",
        "applications:program_details",
        why="forms: an incomplete POST shows the errors (200)",
        default="404 404",
        anonymous="302 302",
        rep_a="200/404/404 200/404/404",
        rep_b="404/200/404 404/200/404",
        rep_pending="302 302",
    ),
    rule(
        "applications:draft_pdf",
        why="the draft PDF page; a POST queues the PDF and comes back to the page",
        default="404 404",
        anonymous="302 302",
        rep_a="200/404/404 302/404/404",
        rep_b="404/200/404 404/302/404",
        rep_pending="302 302",
    ),
    rule(
        "applications:draft_pdf_download",
        why="the latest prepared draft PDF: a 404 until one is ready (the draft_pdf POST may "
        "have prepared one)",
        default="404 405",
        anonymous="302 405",
        rep_a="200|404/404/404 405",
        rep_b="404/200|404/404 405",
        rep_pending="302 405",
    ),
    rule(
        "applications:circumstance_report",
        why="after submission (the world's submitted application): the form, an incomplete POST "
        "shows the errors (200)",
        default="404 404",
        anonymous="302 302",
        rep_a="200/404/404 200/404/404",
        rep_b="404/200/404 404/200/404",
        rep_pending="302 302",
    ),
    rule(
        "applications:requested_document_upload",
        why="the world's request is on a submitted application, where staff have not started the "
        "check: not open yet (409); anyone else's is a 404",
        default="404 404",
        anonymous="302 302",
        rep_a="409/404/404 409/404/404",
        rep_b="404/409/404 404/409/404",
        rep_pending="302 302",
    ),
    rule(
        "applications:document_delete",
        "applications:person_remove",
        why="confirmation page, then POST and redirect",
        default="404 404",
        anonymous="302 302",
        rep_a="200/404/404 302/404/404",
        rep_b="404/200/404 404/302/404",
        rep_pending="302 302",
    ),
    rule(
        "applications:submit",
        why="the declaration and submit page; a POST without a declaration or token is a 404",
        default="404 404",
        anonymous="302 302",
        rep_a="200/404/404 404",
        rep_b="404/200/404 404",
        rep_pending="302 302",
    ),
    rule(
        "applications:submission",
        "applications:submission_package",
        why="the submission record and its PDF: the representative and the client of the "
        "application only",
        default="404 405",
        anonymous="302 405",
        client_a="200/404/404 405",
        client_b="404/200/404 405",
        rep_a="200/404/404 405",
        rep_b="404/200/404 405",
    ),
    rule(
        "applications:sign",
        why="the client signs their own application; a POST without an item is a 404",
        default="404 404",
        anonymous="302 302",
        client_a="200/404/404 404",
        client_b="404/200/404 404",
    ),
    rule(
        "applications:client_resend",
        "applications:correction_resolve",
        "applications:send_for_signature",
        "applications:withdraw",
        "applications:document_combine",
        "applications:document_parts_remove",
        why="POST-only actions",
        default="405 404",
        anonymous="405 302",
        rep_a="405 302/404/404",
        rep_b="405 404/302/404",
        rep_pending="405 302",
    ),
    rule(
        "applications:reopen",
        why="POST only; the applications of the world are not returned (409)",
        default="405 404",
        anonymous="405 302",
        rep_a="405 409/404/404",
        rep_b="405 404/409/404",
        rep_pending="405 302",
    ),
    rule(
        "forms_imm:section_edit",
        why="a POST without the current version is a conflict (409)",
        default="404 404",
        anonymous="302 302",
        rep_a="200/404/404 409/404/404",
        rep_b="404/200/404 404/409/404",
        rep_pending="302 302",
    ),
    rule(
        "forms_imm:print",
        why="the client reads the printable form of their own application",
        default="404 405",
        anonymous="302 405",
        client_a="200/404/404 405",
        client_b="404/200/404 405",
        rep_a="200/404/404 405",
        rep_b="404/200/404 405",
    ),
    # --- the client's own pages: clients only, their own application ----------------------------
    rule(
        "clients:home",
        why="clients only; others 404",
        default="404 405",
        anonymous="302 405",
        client_a="200 405",
        client_b="200 405",
        individual="200 405",
    ),
    rule(
        "clients:application_start",
        why="clients start an application of their own; an incomplete POST shows the errors",
        default="404 404",
        anonymous="302 302",
        client_a="200 200",
        client_b="200 200",
        individual="200 200",
    ),
    rule(
        "clients:representative_appoint",
        why="a self-represented applicant's own application only; A and B have a representative "
        "already (409)",
        default="404 404",
        anonymous="302 302",
        client_a="409/404/404 409/404/404",
        client_b="404/409/404 404/409/404",
    ),
    rule(
        "clients:representative_revoke",
        why="POST only; A and B have no appointment to revoke (409)",
        default="405 404",
        anonymous="405 302",
        client_a="405 409/404/404",
        client_b="405 404/409/404",
    ),
    rule(
        "clients:set_password",
        why="an activated client is sent home",
        default="404 404",
        anonymous="302 302",
        client_a="302 302",
        client_b="302 302",
        individual="302 302",
    ),
    rule(
        "clients:application",
        "clients:document_image",
        "clients:document_page",
        "clients:document_preview",
        why="read-only pages of the client's own application",
        default="404 405",
        anonymous="302 405",
        client_a="200/404/404 405",
        client_b="404/200/404 405",
    ),
    rule(
        "clients:correction_new",
        why="an incomplete POST shows the errors (200)",
        default="404 404",
        anonymous="302 302",
        client_a="200/404/404 200/404/404",
        client_b="404/200/404 404/200/404",
    ),
    rule(
        "clients:pr_confirm",
        "clients:ecopr_error",
        why="PR confirmation forms of the client's own application; an incomplete POST shows "
        "the errors (200)",
        default="404 404",
        anonymous="302 302",
        client_a="200/404/404 200/404/404",
        client_b="404/200/404 404/200/404",
    ),
    rule(
        "applications:ecopr",
        why="a person's eCOPR: the client and the representative of the application only",
        default="404 405",
        anonymous="302 405",
        client_a="200/404/404 405",
        client_b="404/200/404 405",
        rep_a="200/404/404 405",
        rep_b="404/200/404 405",
    ),
    # --- the requester's support requests --------------------------------------------------------
    rule(
        "support:request_detail",
        why="the requester's own requests only",
        default="404 404",
        anonymous="302 302",
        client_a="200/404/404 200/404/404",
        client_b="404/200/404 404/200/404",
    ),  # fmt: skip
    # --- the admin: staff only, each model by permission -----------------------------------------
    rule(
        "admin:login",
        why="allauth's sign-in; signed-in non-staff are refused",
        default="403 403",
        anonymous="302 302",
        staff="302 200",
        staff_perm="302 200",
        superuser="302 200",
    ),  # fmt: skip
    admin_rule(
        "admin:index",
        "admin:password_change",
        staff="200 200",
        staff_perm="200 200",
        superuser="200 200",
    ),  # fmt: skip
    admin_rule(
        "admin:password_change_done", staff="200 405", staff_perm="200 405", superuser="200 405"
    ),  # fmt: skip
    admin_rule(
        "admin:app_list",
        why="an app's page lists only what the user may see",
        staff="404 404",
        staff_perm="200 200",
        superuser="200 200",
    ),
    admin_rule("admin:jsi18n", staff="200 405", staff_perm="200 405", superuser="200 405"),
    admin_rule("admin:logout", staff="405 200", staff_perm="405 200", superuser="405 200"),
    admin_rule(
        "admin:autocomplete",
        why="needs a field to complete",
        staff="403 405",
        staff_perm="403 405",
        superuser="403 405",
    ),  # fmt: skip
    admin_rule(
        "admin:view_on_site",
        why="no model has a public page",
        staff="404 404",
        staff_perm="404 404",
        superuser="404 404",
    ),  # fmt: skip
    admin_rule(
        "admin:auth_user_password_change",
        staff=NO_PERM,
        staff_perm=NO_PERM,
        superuser="200/200/404 200/200/404",
    ),  # fmt: skip
    # superuser-only models
    admin_rule(
        *_each(SUPERUSER_MODELS, "changelist"),
        *_each(SUPERUSER_MODELS, "add"),
        staff=NO_PERM,
        staff_perm=NO_PERM,
        superuser="200 200",
    ),  # fmt: skip
    admin_rule(
        *_each(SUPERUSER_MODELS, "change"),
        "admin:accounts_user_delete",
        why="a user with history cannot be deleted (the page says why)",
        staff=NO_PERM,
        staff_perm=NO_PERM,
        superuser=CAN_CHANGE,
    ),  # fmt: skip
    admin_rule(
        "admin:mfa_authenticator_delete",
        "admin:usersessions_usersession_delete",
        "admin:auth_group_delete",
        "admin:account_emailaddress_delete",
        staff=NO_PERM,
        staff_perm=NO_PERM,
        superuser=CAN_DELETE,
    ),  # fmt: skip
    admin_rule(
        *_each(SUPERUSER_MODELS + AUDIT_MODELS + ACTION_MODELS, "history"),
        staff=NO_PERM_HISTORY,
        staff_perm=NO_PERM_HISTORY,
        superuser=CAN_VIEW_HISTORY,
    ),  # fmt: skip
    # service-written records
    admin_rule(
        *_each(AUDIT_MODELS + ACTION_MODELS, "changelist"),
        staff=NO_PERM,
        staff_perm=NO_PERM,
        superuser="200 200",
    ),  # fmt: skip
    admin_rule(
        *_each(AUDIT_MODELS + ACTION_MODELS + CASE_MODELS, "add"),
        *_each(AUDIT_MODELS + ACTION_MODELS + CASE_MODELS, "delete"),
        "admin:representatives_representative_add",
        "admin:representatives_representative_delete",
        "admin:representatives_membershipbody_delete",
        why="rows are created and removed by services only",
        staff=NO_PERM,
        staff_perm=NO_PERM,
        superuser=NOBODY,
    ),  # fmt: skip
    admin_rule(
        *_each(AUDIT_MODELS, "change"),
        why="read-only rows",
        staff=NO_PERM,
        staff_perm=NO_PERM,
        superuser="200/200/302 403",
    ),  # fmt: skip
    admin_rule(
        *_each(ACTION_MODELS, "change"),
        why="read-only rows",
        staff=NO_PERM,
        staff_perm=NO_PERM,
        superuser="200/200/302 403/403/302",
    ),  # fmt: skip
    # staff processing of submitted applications (applications.staff): the application admin
    # is read-only; every change goes through an action page, each behind its own permission.
    admin_rule(
        "admin:applications_application_change",
        why="read-only: a POST is refused",
        staff=NO_PERM,
        staff_perm="200/200/302 403",
        superuser="200/200/302 403",
    ),  # fmt: skip
    admin_rule(
        "admin:applications_application_act",
        "admin:applications_application_request_documents",
        why="confirmation forms: an incomplete POST shows the errors",
        staff=NO_PERM,
        staff_perm="200/200/404 200/200/404",
        superuser="200/200/404 200/200/404",
    ),  # fmt: skip
    admin_rule(
        "admin:applications_application_pr_review",
        "admin:applications_application_pr_confirm",
        why="PR photo review and confirmation (applications.confirm_pr): the world's photo is "
        "not waiting for review, so a GET goes back to the application and a POST shows why",
        staff=NO_PERM,
        staff_perm="302/302/404 200/200/404",
        superuser="302/302/404 200/200/404",
    ),  # fmt: skip
    admin_rule(
        "admin:applications_application_pr_photo",
        why="the PR photo for the review page: audited, GET only",
        staff="403 405",
        staff_perm="200/200/404 405",
        superuser="200/200/404 405",
    ),  # fmt: skip
    admin_rule(
        "admin:applications_program_intake",
        why="program intake (applications.intake): manage_intake only; an incomplete POST "
        "shows the errors",
        staff=NO_PERM,
        staff_perm="200/200/404 200/200/404",
        superuser="200/200/404 200/200/404",
    ),  # fmt: skip
    admin_rule(
        "admin:applications_application_document_preview",
        "admin:applications_application_document_page",
        "admin:applications_application_document_image",
        why="a document's preview for staff (view_application): audited, no-store, GET only; "
        "the world's documents are on drafts, outside the staff queue, so even a permitted GET "
        "is a 404 (tests/applications/test_admin_staffview.py opens a queued one)",
        staff="403 405",
        staff_perm="404 405",
        superuser="404 405",
    ),  # fmt: skip
    admin_rule(
        "admin:applications_application_package",
        why="a submission's package as sent: audited, no-store, GET only",
        staff="403 405",
        staff_perm="200/200/404 405",
        superuser="200/200/404 405",
    ),  # fmt: skip
    admin_rule(
        "admin:applications_application_print",
        why="the printable form: GET only",
        staff="403 405",
        staff_perm="200/200/404 405",
        superuser="200/200/404 405",
    ),  # fmt: skip
    # evidence: read-only for everyone, even a superuser
    admin_rule(
        *_each(EVIDENCE_MODELS, "changelist"),
        staff=NO_PERM,
        staff_perm="200 200",
        superuser="200 200",
    ),  # fmt: skip
    admin_rule(
        *_each(EVIDENCE_MODELS, "add"),
        *_each(EVIDENCE_MODELS, "delete"),
        staff=NO_PERM,
        staff_perm=NO_PERM,
        superuser=NOBODY,
    ),  # fmt: skip
    admin_rule(
        *_each(EVIDENCE_MODELS, "change"),
        why="read-only rows",
        staff=NO_PERM,
        staff_perm="200/200/302 403",
        superuser="200/200/302 403",
    ),  # fmt: skip
    admin_rule(
        *_each(EVIDENCE_MODELS, "history"),
        staff=NO_PERM_HISTORY,
        staff_perm=CAN_VIEW_HISTORY,
        superuser=CAN_VIEW_HISTORY,
    ),  # fmt: skip
    # processor models
    admin_rule(
        *_each(CASE_MODELS + REFERENCE_MODELS, "changelist"),
        "admin:representatives_representative_changelist",
        "admin:representatives_membershipbody_changelist",
        *_each(REFERENCE_MODELS, "add"),
        "admin:representatives_membershipbody_add",
        staff=NO_PERM,
        staff_perm="200 200",
        superuser="200 200",
    ),  # fmt: skip
    admin_rule(
        *_each(CASE_MODELS + REFERENCE_MODELS, "change"),
        "admin:representatives_membershipbody_change",
        staff=NO_PERM,
        staff_perm=CAN_CHANGE,
        superuser=CAN_CHANGE,
    ),  # fmt: skip
    admin_rule(
        *_each(CASE_MODELS + REFERENCE_MODELS, "history"),
        "admin:representatives_*_history",
        staff=NO_PERM_HISTORY,
        staff_perm=CAN_VIEW_HISTORY,
        superuser=CAN_VIEW_HISTORY,
    ),  # fmt: skip
    admin_rule(
        *_each(REFERENCE_MODELS, "delete"),
        why="processors may not delete",
        staff=NO_PERM,
        staff_perm=NO_PERM,
        superuser=CAN_DELETE,
    ),  # fmt: skip
    admin_rule(
        "admin:representatives_representative_change",
        why="changed only through the verification actions",
        staff=NO_PERM,
        staff_perm="200/200/302 403",
        superuser="200/200/302 403",
    ),  # fmt: skip
    admin_rule(
        "admin:representatives_representative_id_*",
        "admin:support_supportrequest_screenshot",
        why="audited file views: GET only",
        staff="403 405",
        staff_perm="200/200/404 405",
        superuser="200/200/404 405",
    ),  # fmt: skip
    admin_rule(
        "admin:representatives_representative_reject",
        "admin:representatives_representative_suspend",
        "admin:support_supportrequest_note",
        "admin:support_supportrequest_reply",
        "admin:support_supportrequest_status",
        why="forms: an incomplete POST shows the errors",
        staff=NO_PERM,
        staff_perm="200/200/404 200/200/404",
        superuser="200/200/404 200/200/404",
    ),  # fmt: skip
    admin_rule(
        "admin:representatives_representative_verify",
        "admin:representatives_representative_reinstate",
        why="POST only; a verified representative cannot be verified again (409)",
        staff="405 403",
        staff_perm="405 409/409/404",
        superuser="405 409/409/404",
    ),  # fmt: skip
    admin_rule(
        "admin:support_supportrequest_assign_to_me",
        why="POST only",
        staff="405 403",
        staff_perm="405 302/302/404",
        superuser="405 302/302/404",
    ),  # fmt: skip
]


# --- reading and explaining the table -----------------------------------------------------------


def rule_for(name: str) -> Rule | None:
    for candidate in RULES:
        if any(fnmatch.fnmatchcase(name, pattern) for pattern in candidate.patterns):
            return candidate
    return None


def _codes(half: str, obj: str) -> set[int]:
    parts = half.split("/")
    if len(parts) == 1:
        choice = parts[0]
    elif obj == "none":
        raise AssertionError(f"{half!r} gives per-object outcomes to a URL without an object")
    else:
        choice = parts[OBJECTS.index(obj)]
    return {int(code) for code in choice.split("|")}


def expected(name: str, persona: str, obj: str, method: str) -> set[int]:
    found = rule_for(name)
    assert found is not None, missing_message([name])
    get_half, post_half = found.outcomes[persona].split()
    return _codes(get_half if method == "GET" else post_half, obj)


def unused_patterns(names: list[str]) -> list[str]:
    return [
        pattern
        for candidate in RULES
        for pattern in candidate.patterns
        if not any(fnmatch.fnmatchcase(name, pattern) for name in names)
    ]


def missing_message(names: list[str]) -> str:
    lines = "\n".join(
        f'    rule("{name}", default="<GET> <POST>", ...),  # e.g. rep_a="200/404/404 302/404/404"'
        for name in names
    )
    return (
        f"No declared authorization outcome for {len(names)} URL name(s): {', '.join(names)}.\n"
        "Add a rule to RULES in tests/security/matrix.py (or add the name to an existing group's "
        "patterns there), for example:\n" + lines
    )
