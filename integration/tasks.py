"""Periodic work of the project's plumbing: pruning the sign-in audit."""

from __future__ import annotations

from celery import shared_task

from integration.audit import signin_events_prune


@shared_task(name="integration.signin_events_prune", time_limit=600, soft_time_limit=540)
def signin_events_prune_task() -> int:
    return signin_events_prune()
