"""Reading and writing interchange folders: CSV rules, error collection, the one transaction."""

from __future__ import annotations

import csv
import difflib
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from django.db import transaction
from django.utils.translation import gettext as _

from . import registry
from .fields import CellError
from .registry import FileCounts, FileData, ImportContext, Problem, Row

# A zip larger than this once unpacked is refused (protects the server from zip bombs).
MAX_UNPACKED_BYTES = 512 * 1024 * 1024
_ZIP_DATE = (2000, 1, 1, 0, 0, 0)


class SourceError(Exception):
    """The path is not a readable folder or zip; the message says why."""


@dataclass
class ImportResult:
    dry_run: bool
    counts: dict[str, FileCounts] = field(default_factory=dict)
    errors: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> dict[str, dict[str, int]]:
        return {name: counts.as_dict() for name, counts in self.counts.items()}


# --- reading -------------------------------------------------------------------------------


def read_source(path: Path | str) -> dict[str, bytes]:
    """The CSV files of a folder or of a zip of that folder, by file name."""
    path = Path(path)
    if path.is_dir():
        return {p.name: p.read_bytes() for p in sorted(path.iterdir()) if _is_csv(p.name)}
    if path.is_file():
        with path.open("rb") as handle:
            return read_zip(handle)
    raise SourceError(_("There is no folder or zip file at %(path)s.") % {"path": path})


def read_zip(handle) -> dict[str, bytes]:
    try:
        archive = zipfile.ZipFile(handle)
    except (zipfile.BadZipFile, OSError):
        raise SourceError(_("This is not a zip file.")) from None
    with archive:
        members = [
            info
            for info in archive.infolist()
            if not info.is_dir()
            and not info.filename.startswith("__MACOSX/")
            and _is_csv(PurePosixPath(info.filename).name)
        ]
        if sum(info.file_size for info in members) > MAX_UNPACKED_BYTES:
            raise SourceError(_("This zip file is too large once unpacked."))
        folders = {str(PurePosixPath(info.filename).parent) for info in members}
        if len(folders) > 1:
            raise SourceError(_("The zip must hold one folder of CSV files, not several folders."))
        try:
            return {PurePosixPath(i.filename).name: archive.read(i) for i in members}
        except (zipfile.BadZipFile, OSError, RuntimeError):
            raise SourceError(_("This zip file is damaged.")) from None


def _is_csv(name: str) -> bool:
    return name.lower().endswith(".csv") and not name.startswith(".")


def _decode(filename: str, content: bytes, errors: list[Problem]) -> str | None:
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        errors.append(
            Problem(
                file=filename,
                line=content[: exc.start].count(b"\n") + 1,
                message=_(
                    "This file is not UTF-8 text. Save it as “CSV UTF-8” in your spreadsheet."
                ),
            )
        )
        return None


def _records(text: str):
    """(line number where the record starts, cells) for every record of a CSV text."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    line = 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        yield line, cells
        line = reader.line_num + 1


def parse_file(spec: registry.FileSpec, text: str, errors: list[Problem]) -> FileData:
    """Check the header and every cell; return the rows with their parsed values."""
    filename = spec.filename
    try:
        records = list(_records(text))
    except csv.Error as exc:
        errors.append(
            Problem(file=filename, message=_("This file is not valid CSV: %(e)s") % {"e": exc})
        )
        return FileData(spec=spec, columns=frozenset(), rows=[])
    if not records:
        errors.append(Problem(file=filename, line=1, message=_("This file has no header row.")))
        return FileData(spec=spec, columns=frozenset(), rows=[])
    header = [name.strip() for name in records[0][1]]
    columns = _check_header(spec, header, errors)
    rows = []
    # (position in the row, column) of every known column the header names, looked up once;
    # a column named twice (already an error) reads its last cell.
    positions = {name: index for index, name in enumerate(header) if name in columns}
    plan = [(index, spec.column(name)) for name, index in positions.items()]
    width = len(header)
    for line, cells in records[1:]:
        if not any(cell.strip() for cell in cells):
            continue  # blank lines and rows of empty cells, as spreadsheets leave them
        if len(cells) != width:
            errors.append(
                Problem(
                    file=filename,
                    line=line,
                    message=_("This row has %(n)d cells but the header has %(h)d columns.")
                    % {"n": len(cells), "h": width},
                )
            )
            continue
        rows.append(_parse_row(spec, line, plan, cells, errors))
    return FileData(spec=spec, columns=frozenset(columns), rows=rows)


def _check_header(spec, header: list[str], errors: list[Problem]) -> set[str]:
    known = spec.column_names
    seen: set[str] = set()
    for name in header:
        if name in seen:
            errors.append(
                Problem(
                    spec.filename, _("This column appears twice."), line=1, column=name, value=name
                )
            )
        elif name not in known:
            message = _("Unknown column. The columns of %(file)s are: %(columns)s.") % {
                "file": spec.filename,
                "columns": ", ".join(known),
            }
            close = difflib.get_close_matches(name.lower(), known, n=1)
            if close:
                message += " " + _("Did you mean %(name)s?") % {"name": close[0]}
            errors.append(Problem(spec.filename, message, line=1, column=name, value=name))
        seen.add(name)
    for column in spec.columns:
        if column.required and column.name not in seen:
            errors.append(
                Problem(
                    spec.filename,
                    _("This required column is missing."),
                    line=1,
                    column=column.name,
                )
            )
    return seen & set(known)


def _parse_row(spec, line, plan, cells, errors) -> Row:
    raw = {column.name: cells[index] for index, column in plan}
    row = Row(line=line, raw=raw)
    values = row.values
    for index, column in plan:
        cell = cells[index]
        value = cell.strip()
        if not value:
            if column.required:
                errors.append(
                    Problem(spec.filename, _("This cell is required."), line, column.name, cell)
                )
            else:
                values[column.name] = None
            continue
        try:
            values[column.name] = column.parse(value)
        except CellError as exc:
            errors.append(Problem(spec.filename, str(exc), line, column.name, cell))
    return row


# --- importing -----------------------------------------------------------------------------


def import_files(*, files: dict[str, bytes], centre, actor=None, dry_run=False) -> ImportResult:
    """Validate and load a folder's files into a centre: everything or, on any error, nothing."""
    from opstap.core.audit import log_action

    result = ImportResult(dry_run=dry_run)
    errors = result.errors
    specs = registry.all_specs()
    known = {spec.filename for spec in specs}
    for name in sorted(files):
        if name not in known:
            errors.append(
                Problem(
                    name,
                    _("Opstap does not know this file. Known files: %(files)s.")
                    % {"files": ", ".join(sorted(known))},
                )
            )
    for spec in specs:
        if spec.required and spec.filename not in files:
            errors.append(Problem(spec.filename, _("This file is missing; every import needs it.")))
    parsed = []
    for spec in specs:
        if spec.filename in files:
            text = _decode(spec.filename, files[spec.filename], errors)
            if text is not None:
                parsed.append(parse_file(spec, text, errors))
    with transaction.atomic():
        ctx = ImportContext(centre=centre, actor=actor, dry_run=dry_run, errors=errors)
        for data in parsed:
            ctx.current_file = data.spec.filename
            result.counts[data.spec.filename] = data.spec.load(ctx, data)
        if errors or dry_run:
            transaction.set_rollback(True)
            order = {spec.filename: i for i, spec in enumerate(specs)}
            errors.sort(key=lambda p: (order.get(p.file, -1), p.file, p.line or 0))
        else:
            log_action(
                actor=actor,
                action="interchange.imported",
                centre=centre,
                changes=result.summary(),
            )
    return result


# --- exporting -----------------------------------------------------------------------------


def export_files(*, centre, actor=None) -> dict[str, bytes]:
    """Every registered file for a centre, as the bytes import would accept unchanged."""
    from opstap.core.audit import log_action

    files: dict[str, bytes] = {}
    counts: dict[str, dict[str, int]] = {}
    with transaction.atomic():
        for spec in registry.all_specs():
            rows = [
                [column.format(values.get(column.name)) for column in spec.columns]
                for values in spec.export(centre)
            ]
            positions = [spec.column_names.index(name) for name in spec.sort_by]
            rows.sort(key=lambda r: [r[i] for i in positions])
            files[spec.filename] = _csv_bytes(spec.column_names, rows)
            counts[spec.filename] = {"rows": len(rows)}
        log_action(actor=actor, action="interchange.exported", centre=centre, changes=counts)
    return files


def _csv_bytes(header: list[str], rows: list[list[str]]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def zip_bytes(files: dict[str, bytes]) -> bytes:
    """A zip of the files with fixed dates, so the same data gives the same zip."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, date_time=_ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, files[name])
    return buffer.getvalue()


def write_target(path: Path | str, files: dict[str, bytes]) -> None:
    """Write the files into a folder, or into a zip when the path ends in .zip."""
    path = Path(path)
    if path.suffix.lower() == ".zip":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(zip_bytes(files))
        return
    path.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        (path / name).write_bytes(content)
