"""Claims from Person rows, a "groups" claim, and the misbehaviours the tests ask for."""

import base64
import json
import time

from oauth2_provider.oauth2_validators import OAuth2Validator

from tests.oidc_provider.models import Person


def _person(request) -> Person:
    return Person.objects.get_or_create(user=request.user)[0]


class TestProviderValidator(OAuth2Validator):
    oidc_claim_scope = {**OAuth2Validator.oidc_claim_scope, "groups": "groups"}

    def get_additional_claims(self, request):
        user = request.user
        return {
            "preferred_username": user.username,
            "email": user.email,
            "given_name": user.first_name,
            "family_name": user.last_name,
            **_person(request).claims,
        }

    def get_id_token_dictionary(self, token, token_handler, request):
        claims, expiration = super().get_id_token_dictionary(token, token_handler, request)
        misbehaviour = _person(request).misbehaviour
        if misbehaviour == Person.Misbehaviour.EXPIRED:
            claims["exp"] = int(time.time()) - 600
        elif misbehaviour == Person.Misbehaviour.AUDIENCE:
            claims["aud"] = "another-client"  # replaces oauthlib's aud (DOT updates after it)
        return claims, expiration

    def finalize_id_token(self, id_token, token, token_handler, request):
        signed = super().finalize_id_token(id_token, token, token_handler, request)
        if _person(request).misbehaviour != Person.Misbehaviour.ALTERED:
            return signed
        # Same header and signature, claims changed: what an attacker in the middle would send.
        header, payload, signature = signed.split(".")
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        claims["groups"] = ["ids-admins"]
        payload = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
        return f"{header}.{payload}.{signature}"
