from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework_simplejwt.authentication import (
    JWTAuthentication,
    JWTStatelessUserAuthentication,
)


class MeView(APIView):
    """The DB-backed user named by the access token."""

    authentication_classes = (JWTAuthentication,)
    permission_classes = (IsAuthenticated,)

    def get(self, request):
        user = request.user
        return Response({"id": user.pk, "username": user.get_username()})


class StatelessMeView(APIView):
    """The stateless TokenUser built from the token's claims (no database access).

    The id is returned as a string whatever its JSON type in the token (simplejwt
    5.2.2 puts integer primary keys in as integers, 5.5.1+ as strings), so that
    the Go port and this project answer the same bytes. "username" is included
    only when the token carries a "username" claim.
    """

    authentication_classes = (JWTStatelessUserAuthentication,)
    permission_classes = (IsAuthenticated,)

    def get(self, request):
        token_user = request.user
        body = {"id": str(token_user.id)}
        if "username" in token_user.token:
            body["username"] = token_user.token["username"]
        return Response(body)
