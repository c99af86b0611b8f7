"""The audit trail of every feature, for administrators."""

from __future__ import annotations

from flask import render_template, request

from portal.admin import trail
from portal.security import Role, role_required


@role_required(Role.ADMIN)
def log():
    filters = trail.LogFilters.from_args(request.args)
    return render_template(
        "admin/log.html",
        filters=filters,
        result=trail.entries(filters),
        actors=trail.actors(),
        object_types=trail.object_types(),
        type_labels=trail.OBJECT_TYPES,
        action_labels=trail.ACTIONS,
        change=trail.change,
    ), (400 if filters.errors else 200)
