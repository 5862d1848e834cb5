import io
import zipfile
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
CLIENTS_HEADER = (
    "client_ref,last_name,first_name,birth_date,gender,insz,language,dutch_level,household,office"
)


@pytest.fixture(autouse=True)
def _tasks_and_files(settings, tmp_path):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.VAR_DIR = tmp_path / "var"


@pytest.fixture
def basic_folder():
    return FIXTURES / "basic"


@pytest.fixture
def make_folder(tmp_path):
    """Write {filename: text} into a fresh folder and return its path."""
    counter = iter(range(1000))

    def make(files: dict[str, str | bytes]) -> Path:
        folder = tmp_path / f"folder{next(counter)}"
        folder.mkdir()
        for name, content in files.items():
            data = content.encode() if isinstance(content, str) else content
            (folder / name).write_bytes(data)
        return folder

    return make


def zip_of(files: dict[str, bytes], prefix: str = "") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in files.items():
            archive.writestr(prefix + name, content)
    return buffer.getvalue()


def folder_bytes(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir()}
