"""JSON endpoints that set the provider up for a test (this process listens on 127.0.0.1 only)."""

import json

from django.contrib.auth.models import User
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from oauth2_provider.models import Application

from tests.oidc_provider.models import Person


@csrf_exempt
@require_POST
def user_put(request):
    """Create or update a user: username, password, email, claims (groups…), misbehaviour."""
    data = json.loads(request.body)
    user, _ = User.objects.get_or_create(username=data["username"])
    user.set_password(data["password"])
    user.email = data.get("email", "")
    user.save()
    Person.objects.update_or_create(
        user=user,
        defaults={"claims": data.get("claims", {}), "misbehaviour": data.get("misbehaviour", "")},
    )
    return JsonResponse({"sub": str(user.pk)})


@csrf_exempt
@require_POST
def client_put(request):
    """Create or update a confidential client with its redirect URIs."""
    data = json.loads(request.body)
    application = Application.objects.filter(client_id=data["client_id"]).first() or Application(
        client_id=data["client_id"]
    )
    application.name = data["client_id"]
    application.client_secret = data["client_secret"]
    application.client_type = Application.CLIENT_CONFIDENTIAL
    application.authorization_grant_type = Application.GRANT_AUTHORIZATION_CODE
    application.algorithm = Application.RS256_ALGORITHM
    application.redirect_uris = " ".join(data["redirect_uris"])
    application.skip_authorization = True  # no consent page: our users' employer decides
    application.save()
    return JsonResponse({"client_id": application.client_id})
