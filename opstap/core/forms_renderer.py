"""The form renderer: Django's own templates, with the commonest widgets written out in Python.

Rendering a widget through the template engine costs an include per widget and two per
<option> or radio button: a caseload filter with 50 options took 5 ms, a monthly hours grid far
more, the ladder tab's seven rungs and its textarea 2 ms. Inputs, selects, textareas, radio
buttons and checkbox groups are written here, as the same HTML as Django's templates write
(tested against them, opstap/core/tests/test_forms_renderer.py); any other widget, or an
option with a template of its own, still goes through the templates.
"""

from __future__ import annotations

from django.forms.renderers import DjangoTemplates

from .escaping import escaped, shown

WIDGETS = "django/forms/widgets/"
INPUT_TEMPLATES = {
    f"{WIDGETS}{name}.html"
    for name in (
        "input",
        "text",
        "number",
        "email",
        "url",
        "password",
        "hidden",
        "date",
        "datetime",
        "time",
        "search",
        "tel",
        "color",
        "checkbox",
    )
}
SELECT_TEMPLATE = f"{WIDGETS}select.html"
OPTION_TEMPLATE = f"{WIDGETS}select_option.html"
TEXTAREA_TEMPLATE = f"{WIDGETS}textarea.html"
# Radio buttons and checkboxes: both templates include multiple_input.html, and each option's
# template includes input_option.html.
MULTIPLE_TEMPLATES = {f"{WIDGETS}radio.html", f"{WIDGETS}checkbox_select.html"}
INPUT_OPTION_TEMPLATES = {f"{WIDGETS}radio_option.html", f"{WIDGETS}checkbox_option.html"}


def _text(value) -> str:
    """`{{ value|stringformat:'s' }}` with autoescaping."""
    return escaped(value if isinstance(value, str) else str(value))


def _attrs(attrs: dict) -> str:
    """django/forms/widgets/attrs.html."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        parts.append(f" {_text(name)}" if value is True else f' {_text(name)}="{_text(value)}"')
    return "".join(parts)


def render_input(widget: dict) -> str:
    value = widget["value"]
    shown = "" if value is None else f' value="{_text(value)}"'
    return (
        f'<input type="{_text(widget["type"])}" name="{_text(widget["name"])}"{shown}'
        f"{_attrs(widget['attrs'])}>"
    )


def render_select(widget: dict) -> str | None:
    parts = [f'<select name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_text(group_name)}">')
        for option in group_choices:
            if option.get("template_name") != OPTION_TEMPLATE:
                return None  # an option of its own: let the templates draw the whole select
            parts.append(
                f'\n  <option value="{_text(option["value"])}"{_attrs(option["attrs"])}>'
                f"{_text(option['label'])}</option>\n"  # select_option.html ends with one
            )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


def render_textarea(widget: dict) -> str:
    value = widget["value"]
    return (
        f'<textarea name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>\n'
        f"{shown(value) if value else ''}</textarea>"
    )


def render_input_option(option: dict) -> str:
    """radio_option.html or checkbox_option.html (each includes input_option.html, which
    includes input.html), with the line ends those three files leave."""
    option_id = option["attrs"].get("id")
    label_for = f' for="{shown(option_id)}"' if option_id else ""
    return f"<label{label_for}>{render_input(option)}\n {shown(option['label'])}</label>\n\n"


def render_multiple_input(widget: dict) -> str | None:
    """django/forms/widgets/multiple_input.html, as radio.html and checkbox_select.html use it."""
    attrs = widget["attrs"]
    parts = ["<div"]
    if attrs.get("id"):
        parts.append(f' id="{shown(attrs["id"])}"')
    if attrs.get("class"):
        parts.append(f' class="{shown(attrs["class"])}"')
    parts.append(">")
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append(f"\n  <div><label>{shown(group_name)}</label>")
        for option in group_choices:
            if option.get("template_name") not in INPUT_OPTION_TEMPLATES or not option.get(
                "wrap_label"
            ):
                return None  # an option of its own: let the templates draw the whole group
            parts.append(f"<div>\n    {render_input_option(option)}</div>")
        if group_name:
            parts.append("\n  </div>")
    parts.append("\n</div>")
    return "".join(parts)


class FormRenderer(DjangoTemplates):
    def render(self, template_name, context, request=None):
        widget = context.get("widget") if isinstance(context, dict) else None
        if widget is not None:
            if template_name in INPUT_TEMPLATES:
                return render_input(widget)
            if template_name == TEXTAREA_TEMPLATE:
                return render_textarea(widget)
            html = None
            if template_name == SELECT_TEMPLATE:
                html = render_select(widget)
            elif template_name in MULTIPLE_TEMPLATES:
                html = render_multiple_input(widget)
            if html is not None:
                return html
        return super().render(template_name, context, request)
