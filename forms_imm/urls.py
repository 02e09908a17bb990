from django.urls import path

from . import views

app_name = "forms_imm"
urlpatterns = [
    path("<uuid:public_id>/forms/", views.overview, name="overview"),
    path(
        "<uuid:public_id>/forms/<uuid:person_id>/<slug:form>/print/",
        views.print_form,
        name="print",
    ),
    path(
        "<uuid:public_id>/forms/<uuid:person_id>/<slug:form>/<slug:section>/",
        views.section_edit,
        name="section_edit",
    ),
]
