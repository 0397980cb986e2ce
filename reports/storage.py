"""Where report files live: Django storage backends behind STORAGES["reports"].

Every web and worker process must reach the same files: a worker writes them, any web process
serves them. `DatabaseStorage` keeps them in PostgreSQL, which every process already shares
(README, "Production shape"); `ReportFileSystemStorage` keeps them on the local disk for
`make run`, where web and worker are one machine.
"""

from __future__ import annotations

import os

from django.conf import settings
from django.core.files.base import ContentFile, File
from django.core.files.storage import FileSystemStorage, Storage
from django.utils.deconstruct import deconstructible


@deconstructible
class ReportFileSystemStorage(FileSystemStorage):
    """The local disk under REPORTS_ROOT (read when used, so a test may point it elsewhere).

    Files are private to the app's user and group (0640 in 0750 directories) and a second
    write of a name replaces the first: a retried report never adds a second file.
    """

    def __init__(self, **options) -> None:
        options.setdefault("file_permissions_mode", 0o640)
        options.setdefault("directory_permissions_mode", 0o750)
        options.setdefault("allow_overwrite", True)
        super().__init__(**options)

    @property
    def base_location(self):  # type: ignore[override]
        return self._location or settings.REPORTS_ROOT

    @property
    def location(self):  # type: ignore[override]
        return os.path.abspath(self.base_location)


@deconstructible
class DatabaseStorage(Storage):
    """Files as rows of `reports.StoredFile` (name, bytes): shared by every process that
    reaches the database, transactional, backed up with it. Fit for files of a few MB, read
    whole; a second write of a name replaces the first."""

    def _model(self):
        from reports.models import StoredFile  # storages load before the app registry

        return StoredFile

    def _open(self, name: str, mode: str = "rb") -> File:
        if "w" in mode or "a" in mode:
            raise ValueError("DatabaseStorage opens files for reading only")
        row = self._model().objects.filter(name=name).only("content").first()
        if row is None:
            raise FileNotFoundError(name)
        return ContentFile(bytes(row.content), name=name)

    def _save(self, name: str, content: File) -> str:
        content.seek(0)
        data = content.read()
        if isinstance(data, str):
            data = data.encode()
        self._model().objects.update_or_create(
            name=name, defaults={"content": data, "size": len(data)}
        )
        return name

    def get_available_name(self, name: str, max_length: int | None = None) -> str:
        return name  # overwrite, as ReportFileSystemStorage does

    def delete(self, name: str) -> None:
        self._model().objects.filter(name=name).delete()

    def exists(self, name: str) -> bool:
        return self._model().objects.filter(name=name).exists()

    def listdir(self, path: str) -> tuple[list[str], list[str]]:
        prefix = f"{path.strip('/')}/" if path.strip("/") else ""
        names = self._model().objects.filter(name__startswith=prefix).values_list("name", flat=True)
        directories, files = set(), []
        for name in names:
            first, _slash, rest = name[len(prefix) :].partition("/")
            if rest:
                directories.add(first)
            else:
                files.append(first)
        return sorted(directories), sorted(files)

    def size(self, name: str) -> int:
        row = self._model().objects.filter(name=name).only("size").first()
        if row is None:
            raise FileNotFoundError(name)
        return row.size

    def url(self, name: str | None) -> str:
        raise NotImplementedError("report files are served by the permission-checked downloads")
