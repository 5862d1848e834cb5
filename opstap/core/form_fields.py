"""A form's fields as the pages show them, written in Python.

Every form of Opstap is drawn by form_fields.html: for each field a label (with a star when
it is required), the widget, its help text and its errors, or only the widget for a hidden
field. As a template loop that was some forty nodes a field, on every page with a form (the
caseload's filter, a report's parameters). The template now calls `form_fields_html`, which
writes the same HTML (a test renders the old loop beside it for fields of every kind, bound
and unbound, with errors).
"""

from __future__ import annotations

from .escaping import escaped

REQUIRED = ' <span class="req" aria-hidden="true">*</span>'


def field_html(field) -> str:
    """One field as form_fields.html's loop wrote it, the whitespace around it included."""
    widget = str(field)  # the widget as {{ field }} writes it (safe HTML)
    if field.is_hidden:
        return f"\n  {widget}\n"
    errors = field.errors
    checkbox = getattr(field.field.widget, "input_type", None) == "checkbox"
    label_for = escaped(field.id_for_label)
    label = escaped(field.label)
    classes = "field" + (" has-error" if errors else "") + (" field-check" if checkbox else "")
    if checkbox:
        body = f'\n      {widget} <label for="{label_for}">{label}</label>\n    '
    else:
        star = REQUIRED if field.field.required else ""
        body = f'\n      <label for="{label_for}">{label}{star}</label>\n      {widget}\n    '
    auto_id = escaped(field.auto_id)
    help_text = field.help_text
    shown_help = (
        f'<small class="help" id="{auto_id}_help">{escaped(help_text)}</small>' if help_text else ""
    )
    shown_errors = "".join(
        f'<p class="field-error" id="{auto_id}_error">{escaped(error)}</p>' for error in errors
    )
    return (
        f'\n  \n  <div class="{classes}">\n    {body}\n    {shown_help}\n    {shown_errors}\n'
        f"  </div>\n  \n"
    )


def form_fields_html(form) -> str:
    """What form_fields.html wrote for `form` (its last line alone when there is no form)."""
    return "".join(field_html(field) for field in (form or ())) + "\n"
