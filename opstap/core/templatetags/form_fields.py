from django import template
from django.utils.safestring import mark_safe

from opstap.core.form_fields import field_html, form_fields_html

register = template.Library()


@register.simple_tag
def form_fields(form) -> str:
    """{% form_fields form %}: the form's fields as form_fields.html draws them."""
    return mark_safe(form_fields_html(form))


@register.simple_tag
def form_field(field) -> str:
    """{% form_field field %}: one field as form_fields.html draws it."""
    return mark_safe(field_html(field))
