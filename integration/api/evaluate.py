"""POST /evaluate/: the engine's answer for a context, under the published rulebook, unsaved.

The answer is a pure function of the request body and the rulebook: each process keeps the
last EVALUATE_MEMO_SIZE answers, rendered, under the hash of the body and the published
rulebook's checksum, so a dashboard asking the same what-if again costs one light query (which
rulebook is published) instead of an evaluation with what-if (docs/benchmarks.md, "Engine").
A new rulebook has a new checksum: nothing to invalidate.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict

from django.http import HttpResponse
from django.http.response import HttpResponseBase
from drf_spectacular.utils import extend_schema
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from integration import engine
from integration.api.decisions import DecisionSerializer, EvaluateRequestSerializer
from integration.models import Rulebook
from integration.services import rulebook_published_get

EVALUATE_MEMO_SIZE = 128  # answers of 12 functions with what-if: about 55 KB each
_memo: OrderedDict[tuple[str, str], bytes] = OrderedDict()
_memo_lock = threading.Lock()
_RENDERER = JSONRenderer()


class EvaluateView(APIView):
    """Evaluate a context without saving it (any signed-in user or token, read scope too)."""

    changes_nothing = True  # a read token may call it: it stores nothing

    @extend_schema(
        operation_id="evaluate",
        request=EvaluateRequestSerializer,
        responses=DecisionSerializer,
    )
    def post(self, request) -> HttpResponseBase:
        """Recommendations for a context under the published rulebook, with what-if.

        Body: `{"context": {…}, "functions": [{"function": "ddr", …}, …]}`; omit `functions`
        for all 12 with catalogue defaults. Unknown fields or values are a 400 naming the field.
        """
        if request.accepted_media_type != _RENDERER.media_type:  # e.g. "; indent=4"
            return Response(self._decision(request.data)[1])
        # Read before DRF parses it (the stream can be read once; DRF then parses this copy).
        key = (hashlib.sha256(request._request.body).hexdigest(), _published_checksum())
        with _memo_lock:
            body = _memo.get(key)
            if body is not None:
                _memo.move_to_end(key)
        if body is None:
            checksum, answer = self._decision(request.data)
            body = _RENDERER.render(answer)
            with _memo_lock:
                _memo[key[0], checksum] = body
                while len(_memo) > EVALUATE_MEMO_SIZE:
                    _memo.popitem(last=False)
        return HttpResponse(body, content_type="application/json")

    @staticmethod
    def _decision(data) -> tuple[str, dict]:
        facts = engine.facts_from_dict(data)  # a FactError is a 400 (api/exceptions.py)
        rulebook, compiled = rulebook_published_get()
        decision = engine.evaluate(facts, compiled, what_if=True)
        return rulebook.checksum, engine.decision_to_dict(decision)


def _published_checksum() -> str:
    checksum = (
        Rulebook.objects.filter(status=Rulebook.Status.PUBLISHED)
        .values_list("checksum", flat=True)
        .first()
    )
    return checksum or ""  # none yet: rulebook_published_get() publishes the default
