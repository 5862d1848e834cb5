import csv

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import HttpResponse


def form_errors_from(form, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form, at the field it names when the form has it."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            target = field if field in form.fields else None
            for error in errors:
                form.add_error(target, error.messages[0] if error.messages else str(error))
    else:
        for message in exc.messages:
            form.add_error(None, message)


def neutralise_cell(value) -> str:
    """Stop spreadsheet formula injection: cells that start like a formula get a leading quote."""
    if value is None:
        return ""
    if not isinstance(value, str):
        return str(value)
    text = value
    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + text
    return text


def csv_response(filename: str, header: list, rows) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow([neutralise_cell(h) for h in header])
    for row in rows:
        writer.writerow([neutralise_cell(v) for v in row])
    return response


__all__ = ["NON_FIELD_ERRORS", "csv_response", "form_errors_from", "neutralise_cell"]
