"""Reading and writing a job's files through STORAGES["reports"] (reports/storage.py).

A job's files are named `<job id>/<file name>`; the job row's `files` maps each format to
that name.
"""

from __future__ import annotations

import logging

from django.core.files.base import ContentFile, File
from django.core.files.storage import Storage, storages

logger = logging.getLogger(__name__)


def report_storage() -> Storage:
    return storages["reports"]


def report_file_write(*, job_id: int, name: str, content: bytes) -> str:
    """Store one file of the job (replacing one of the same name); its storage name."""
    return report_storage().save(f"{job_id}/{name}", ContentFile(content))


def report_file_open(name: str) -> File:
    """A stored file, open for reading; FileNotFoundError when it is gone."""
    return report_storage().open(name, "rb")


def report_files_list(*, job_id: int) -> list[str]:
    """The names of the files stored for the job."""
    try:
        _directories, files = report_storage().listdir(str(job_id))
    except FileNotFoundError:
        return []
    return [f"{job_id}/{name}" for name in files]


def report_files_delete(*, job_id: int) -> int:
    """Remove every file of the job; how many there were."""
    names = report_files_list(job_id=job_id)
    storage = report_storage()
    for name in names:
        storage.delete(name)
    if names:
        logger.info("Report job %s: %s file(s) removed", job_id, len(names))
    return len(names)
