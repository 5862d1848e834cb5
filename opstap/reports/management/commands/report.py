import json
import sys

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from opstap.core.models import Centre
from opstap.reports.exports import to_csv, to_xlsx
from opstap.reports.registry import REPORTS, run


class Command(BaseCommand):
    help = "Print a standard report (spec/reports.md) for a centre, as JSON, CSV or XLSX."

    def add_arguments(self, parser):
        parser.add_argument("name", help="report name, e.g. " + ", ".join(sorted(REPORTS)))
        parser.add_argument("--centre", required=True, help="the centre's code")
        parser.add_argument("--date")
        parser.add_argument("--from", dest="from")
        parser.add_argument("--to")
        parser.add_argument("--year")
        parser.add_argument("--month")
        parser.add_argument("--format", choices=["json", "csv", "xlsx"], default="json")
        parser.add_argument("--output", help="write to this file instead of standard output")

    def handle(self, *args, **options):
        if options["name"] not in REPORTS:
            raise CommandError(
                f"Unknown report {options['name']!r}; known: {', '.join(sorted(REPORTS))}"
            )
        centre = Centre.objects.filter(code=options["centre"]).first()
        if centre is None:
            raise CommandError(f"Unknown centre {options['centre']!r}")
        raw = {k: options[k] for k in ("date", "from", "to", "year", "month") if options[k]}
        try:
            result = run(options["name"], centre=centre, user=None, raw_params=raw)
        except ValidationError as exc:
            messages = [
                f"--{field}: {'; '.join(errors)}" for field, errors in exc.message_dict.items()
            ]
            raise CommandError("\n".join(messages)) from exc
        if options["format"] == "xlsx":
            data = to_xlsx(result)
        elif options["format"] == "csv":
            data = to_csv(result).encode()
        else:
            data = (json.dumps(result, ensure_ascii=False, indent=2) + "\n").encode()
        if options["output"]:
            with open(options["output"], "wb") as handle:
                handle.write(data)
        else:
            stream = getattr(self.stdout, "_out", sys.stdout)
            if hasattr(stream, "buffer"):
                stream.flush()
                stream.buffer.write(data)
                stream.buffer.flush()
            else:
                stream.write(data.decode("utf-8", errors="replace"))
