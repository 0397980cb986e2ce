"""Page-number pagination: `count`, `next`, `previous`, `results`; `page_size` from 1 to 200.

A `page` or `page_size` that is not a whole number (in range) is a 400 where DRF would silently
use a default, so a client's typo never passes unnoticed.
"""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination


class ApiPagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    last_page_strings = ()  # "?page=last" would be the one word a page number may be

    def paginate_queryset(self, queryset, request, view=None):
        # Without an explicit order, rows may repeat or vanish between pages: a bug to catch
        # in development, not a warning to scroll past.
        if getattr(queryset, "ordered", True) is False:
            name = type(view).__name__
            raise ImproperlyConfigured(f"{name} paginates an unordered queryset.")
        return super().paginate_queryset(queryset, request, view)

    def get_page_number(self, request, paginator) -> int:
        raw = request.query_params.get(self.page_query_param)
        if raw is None:
            return 1
        if not raw.isascii() or not raw.isdigit():
            raise ValidationError({self.page_query_param: [_("A whole number from 1.")]})
        return int(raw)  # beyond the last page (or 0) DRF answers 404, "Invalid page."

    def get_page_size(self, request) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        if not raw.isascii() or not raw.isdigit() or not 1 <= int(raw) <= self.max_page_size:
            raise ValidationError(
                {
                    self.page_size_query_param: [
                        _("A whole number from 1 to %(max)d.") % {"max": self.max_page_size}
                    ]
                }
            )
        return int(raw)

    def get_schema_operation_parameters(self, view) -> list[dict]:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["minimum"] = 1
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"]["maximum"] = self.max_page_size
        return parameters
