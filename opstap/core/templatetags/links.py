from functools import cache

from django import template
from django.templatetags.static import static
from django.urls import get_script_prefix
from django.utils.safestring import mark_safe

from opstap.core.layout import page_top_html
from opstap.core.links import pk_url as _pk_url

register = template.Library()


@register.filter
def pk_url(pk, url_name: str) -> str:
    """{{ client.pk|pk_url:"clients:detail" }}: the same as {% url "clients:detail" client.pk %}."""
    return _pk_url(url_name, pk)


@register.simple_tag
def page_url(url_name: str) -> str:
    """{% page_url "core:home" %}: the same as {% url "core:home" %}, reversed once."""
    return _pk_url(url_name)


@register.simple_tag(takes_context=True)
def page_top(context) -> str:
    """{% page_top %}: the page's <body> tag, skip link and header (opstap.core.layout)."""
    return mark_safe(page_top_html(context))


@register.simple_tag
def static_url(path: str) -> str:
    """{% static_url "opstap/opstap.css" %}: the same as {% static %}, worked out once per
    process (every page links the same four files)."""
    return _static_url(path, get_script_prefix())


@cache
def _static_url(path: str, prefix: str) -> str:
    return static(path)
