"""Publishing a task from a web request or a job: one way for every app.

Each publish opens a fresh connection: it uses the broker configured now, never a pooled
connection to one that went away or was set up before the settings changed (a worker test once
waited for a message sent elsewhere). One try to connect and two to publish, each bounded by the
broker's socket timeouts (settings.BROKER_SOCKET_TIMEOUT): a hung broker costs the caller
seconds, not a timeout, and each caller's sweeper (or its next reader) does the retrying.
"""

from __future__ import annotations


def task_publish(task, *, args: list, countdown: float | None = None) -> None:
    """Send `task` with `args`; raises (kombu, redis or socket errors) when the broker does not
    take it, for the caller to log and leave to its sweeper."""
    from integration.celery import app

    with app.connection_for_write() as connection:
        connection.ensure_connection(max_retries=0, timeout=3)
        task.apply_async(
            args=args,
            connection=connection,
            countdown=countdown,
            retry=True,
            retry_policy={"max_retries": 1, "interval_start": 0, "interval_step": 0.5},
        )
