"""POST /evaluate/: the engine's answer for a context, under the published rulebook, unsaved."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from integration import engine
from integration.api.decisions import DecisionSerializer, EvaluateRequestSerializer
from integration.services import rulebook_published_get


class EvaluateView(APIView):
    """Evaluate a context without saving it (any signed-in user or token, read scope too)."""

    changes_nothing = True  # a read token may call it: it stores nothing

    @extend_schema(
        operation_id="evaluate",
        request=EvaluateRequestSerializer,
        responses=DecisionSerializer,
    )
    def post(self, request) -> Response:
        """Recommendations for a context under the published rulebook, with what-if.

        Body: `{"context": {…}, "functions": [{"function": "ddr", …}, …]}`; omit `functions`
        for all 12 with catalogue defaults. Unknown fields or values are a 400 naming the field.
        """
        facts = engine.facts_from_dict(request.data)  # a FactError is a 400 (api/exceptions.py)
        _rulebook, compiled = rulebook_published_get()
        decision = engine.evaluate(facts, compiled, what_if=True)
        return Response(engine.decision_to_dict(decision))
