"""{{ record.history_change_reason|change_reason }}: a history row's reason in the staff member's language."""

from django import template

from core.history import change_reason_text

register = template.Library()
register.filter("change_reason", change_reason_text)
