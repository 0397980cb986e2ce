"""Domain errors of assessments; each declares its HTTP answer (integration.exceptions)."""

from __future__ import annotations

from django.utils.translation import gettext

from integration.engine import FactError
from integration.exceptions import DomainError


class AssessmentError(DomainError):
    """Base class: the assessment's state refuses the request (e.g. it is no longer a draft)."""

    http_status = 409
    code = "conflict"


class StaleAssessment(AssessmentError):
    """Someone saved the assessment since the caller read it (optimistic locking)."""

    http_status = 412
    code = "precondition_failed"

    def __init__(self, assessment_id: int, expected_version: int, current_version: int) -> None:
        super().__init__(
            f"Assessment {assessment_id} was changed by someone else "
            f"(you edited version {expected_version}, it is now version {current_version})."
        )
        self.assessment_id = assessment_id
        self.expected_version = expected_version
        self.current_version = current_version


class AssessmentNotEditable(AssessmentError):
    """Only drafts and returned assessments may be edited."""


class AssessmentIncomplete(AssessmentError):
    """Submitting needs the desired impact of every function in the mandate."""

    http_status = 400
    code = "invalid"

    def __init__(self, missing: dict[str, str]) -> None:
        super().__init__(
            "The desired impact is required for every function in the mandate: "
            + ", ".join(sorted(missing))
        )
        self.missing = missing

    def field_errors(self) -> dict[str, list[str]]:
        return {f"functions.{code}.desired_impact": [text] for code, text in self.missing.items()}


class AssessmentMandateEmpty(AssessmentError, FactError):
    """No function is in the mandate, so there is nothing to recommend: submitting and computing
    recommendations refuse. Also a FactError on `functions`, the field at fault, so the layers
    that map fact errors name it."""

    def __init__(self, assessment_id: int) -> None:
        FactError.__init__(
            self,
            "functions",
            f"assessment {assessment_id} has no function in the mandate; mark at least one "
            "function as part of the mandate",
        )
        self.assessment_id = assessment_id


class ReviewNotAllowed(AssessmentError):
    """The assessment is not waiting for review, or the request lacks what review needs."""


class ReevaluationClaimLost(AssessmentError):
    """A re-evaluation job was taken over by another worker (this one was presumed dead)."""


class ScenarioInvalid(AssessmentError):
    """A scenario's name, note or changes are refused; `errors` maps each field path at fault
    ("name", "context.presence_type", "functions.ddr.funding_source") to its message."""

    http_status = 400
    code = "invalid"

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{path}: {message}" for path, message in errors.items()))
        self.errors = errors

    def field_errors(self) -> dict[str, list[str]]:
        return {path: [message] for path, message in self.errors.items()}


class StaleScenario(AssessmentError):
    """Someone saved the scenario since the caller read it (optimistic locking)."""

    http_status = 412
    code = "precondition_failed"

    def __init__(self, scenario_id: int, expected_version: int, current_version: int) -> None:
        super().__init__(
            f"Scenario {scenario_id} was changed by someone else "
            f"(you edited version {expected_version}, it is now version {current_version})."
        )
        self.scenario_id = scenario_id
        self.expected_version = expected_version
        self.current_version = current_version


class ScenarioGone(AssessmentError):
    """The scenario was deleted (by someone else) between the caller's read and its write."""

    http_status = 404
    code = "not_found"

    def __init__(self, scenario_id: int) -> None:
        super().__init__(
            gettext("Scenario %(id)d no longer exists: someone deleted it.") % {"id": scenario_id}
        )
        self.scenario_id = scenario_id
