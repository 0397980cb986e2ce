"""The sample missions' facts as the engine reads them, built from the sample data module
(assessments/data/missions/*.yaml) without the database: what `load_sample_data` stores and
`make run` evaluates, function by function in the mandate."""

from __future__ import annotations

from collections.abc import Iterator

from assessments.sample_data import missions_read
from assessments.sample_table import assessment_facts_body
from integration.engine import Facts, facts_from_dict


def sample_facts(*, whole_catalogue: bool = False) -> Iterator[tuple[str, Facts]]:
    """(mission acronym, facts) for each sample assessment, in file-name order: the functions
    in its mandate, or with `whole_catalogue` all twelve (a planner may add any of them)."""
    for mission in missions_read():
        for assessment in mission.assessments:
            body = assessment_facts_body(assessment, whole_catalogue=whole_catalogue)
            yield mission.acronym, facts_from_dict(body)


def sample_facts_of(acronym: str) -> Facts:
    return next(facts for name, facts in sample_facts() if name == acronym)
