"""Schemathesis hooks for tests/fuzz/run: signing in as the role under test.

tests/fuzz/run loads this module (SCHEMATHESIS_HOOKS=hooks) once per role, with:

OKNO_FUZZ_URL          the server, e.g. http://127.0.0.1:41234
OKNO_FUZZ_USERNAME     who to sign in as (absent: the role needs no sign-in)
OKNO_FUZZ_PASSWORD     their password
OKNO_FUZZ_REALM        `staff` or `subscriber`
OKNO_FUZZ_SELF_USER_ID the signed-in staff user's id, which the fuzzer must not change

Access tokens live 15 minutes and the fuzzer may log itself out (POST /auth/logout), so the
token is fetched again every 10 minutes and whenever an answer is 401 (schemathesis invalidates
the cached token and replays the request once).

Lists take an opaque `cursor`: only a `next_cursor` the same list handed out is one, which no
schema can say. A schema-valid request refused with 422 for that alone is not a finding
(`filter_failure`); one refused for anything else still is. Rules of single operations that
no schema can say are allowed in schemathesis.toml instead.
"""

from __future__ import annotations

import os

import requests
import schemathesis

URL = os.environ["OKNO_FUZZ_URL"].rstrip("/")
USERNAME = os.environ.get("OKNO_FUZZ_USERNAME", "")
PASSWORD = os.environ.get("OKNO_FUZZ_PASSWORD", "")
REALM = os.environ.get("OKNO_FUZZ_REALM", "staff")
SELF_USER_ID = os.environ.get("OKNO_FUZZ_SELF_USER_ID", "")

# Shorter than the 15-minute access token, so a cached token never expires while in use.
REFRESH_SECONDS = 600

if USERNAME:

    @schemathesis.auth(refresh_interval=REFRESH_SECONDS, retry_on=[401])
    class OknoLogin:
        """Signs in with POST /api/v1/auth/login and sends the access token as a bearer."""

        def get(self, case, ctx):
            response = requests.post(
                f"{URL}/api/v1/auth/login",
                json={"username": USERNAME, "password": PASSWORD, "realm": REALM},
                timeout=60,
            )
            if response.status_code != 200:
                raise RuntimeError(
                    f"signing in as {USERNAME!r} ({REALM}) answered {response.status_code}: "
                    f"{response.text[:300]}"
                )
            return response.json()["access_token"]

        def set(self, case, data, ctx):
            case.headers = case.headers or {}
            case.headers["Authorization"] = f"Bearer {data}"


def _as_id(value) -> int | None:
    """The id the server would read from a path segment ("01", "+1" and 1 are all user 1)."""
    try:
        return int(str(value).strip())
    except ValueError:
        return None


@schemathesis.hook
def filter_case(ctx, case):
    """Keeps the fuzzer from deactivating, demoting or resetting the user it is signed in as.

    Without this an admin run locks itself out at the first PATCH /users/{its id} with
    `active: false`, and every later request fails to authenticate. Other users are fair game:
    each role has a server of its own.
    """
    operation = ctx.operation
    if (
        SELF_USER_ID
        and operation is not None
        and operation.method.upper() == "PATCH"
        and operation.path == "/api/v1/users/{id}"
    ):
        return _as_id((case.path_parameters or {}).get("id")) != int(SELF_USER_ID)
    return True


def _field_errors(response) -> list[tuple[str, str]] | None:
    """The (field, code) pairs of a 422 problem answer, or None for any other answer."""
    if response.status_code != 422:
        return None
    try:
        problem = response.json()
    except ValueError:
        return None
    errors = problem.get("errors") if isinstance(problem, dict) else None
    if not isinstance(errors, list) or not errors:
        return None
    return [(str(e.get("field")), str(e.get("code"))) for e in errors if isinstance(e, dict)]


@schemathesis.hook
def filter_failure(ctx, failure, case, response):
    """Drops "schema-valid request rejected" (ST202) when the only rule broken is the cursor's.

    A cursor is valid only if this list handed it out (`cursor: invalid_value`); the schema says
    a string, so the fuzzer sends strings of its own. Whatever else such a request carries is
    checked all the same: a 422 that names any other field or rule stays a finding.
    """
    if getattr(failure, "code", None) != "ST202":
        return True
    errors = _field_errors(response)
    return not errors or any(error != ("cursor", "invalid_value") for error in errors)

