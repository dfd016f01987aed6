"""Prepares one role of tests/fuzz/run on its fresh demo server and says how to fuzz it.

    python prepare.py ROLE URL SPEC

ROLE is `public`, `admin`, `operator` or `subscriber`. Prints shell assignments for the
runner to `eval`: FUZZ_USERNAME, FUZZ_PASSWORD, FUZZ_REALM, FUZZ_SELF_USER_ID (the signed-in
staff user) and FUZZ_OPERATION_IDS, a regular expression matching exactly the operationIds of
SPEC this role fuzzes:

- public: the operations anyone may call: signing in, refreshing, cabinet activation, health,
  the payment gateway's webhook.
  They get a server of their own, so the fuzzer may lock out whichever login it guesses.
- admin: every staff operation (all of /api/v1 but /me and the public operations).
- operator: the staff operations the operator is allowed (its permissions from GET /auth/me);
  what it may not do answers 403, which tests/api/role_matrix.rs already checks for each role.
- subscriber: /me, as the cabinet of a customer that has invoices: an admin issues an
  activation code and the cabinet is activated with a password of the fuzzer's.
"""

from __future__ import annotations

import json
import re
import shlex
import sys

import requests

DEMO_PASSWORD = "demo"
# The cabinet password the fuzzer sets for its subscriber (the policy wants 8 characters or more).
SUBSCRIBER_PASSWORD = "fuzz-cabinet-2026"
TIMEOUT = 60

# Anyone may call these; only the `public` role fuzzes them (see above).
PUBLIC_PATHS = {
    "/api/v1/auth/login",
    "/api/v1/auth/refresh",
    "/api/v1/cabinet/activate",
    "/api/v1/payment-gateways/stripe/webhook",
    "/healthz",
    "/readyz",
    "/metrics",
}


def is_subscriber_path(path: str) -> bool:
    return path == "/api/v1/me" or path.startswith("/api/v1/me/")


def operations(spec: dict):
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if isinstance(operation, dict) and "operationId" in operation:
                yield path, method, operation


def call(method: str, url: str, token: str | None = None, **kwargs) -> dict:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    response = requests.request(method, url, headers=headers, timeout=TIMEOUT, **kwargs)
    if response.status_code >= 300:
        raise SystemExit(f"prepare: {method} {url} answered {response.status_code}: {response.text[:500]}")
    return response.json()


def login(url: str, username: str, password: str, realm: str) -> dict:
    return call(
        "POST",
        f"{url}/api/v1/auth/login",
        json={"username": username, "password": password, "realm": realm},
    )


def open_cabinet(url: str) -> str:
    """Activates the cabinet of a customer with invoices; returns its account number."""
    admin = login(url, "admin", DEMO_PASSWORD, "staff")["access_token"]
    invoices = call("GET", f"{url}/api/v1/invoices", admin, params={"limit": 1})["items"]
    if invoices:
        customer_id = invoices[0]["customer_id"]
    else:
        customer_id = call("GET", f"{url}/api/v1/customers", admin, params={"limit": 1})["items"][0]["id"]
    code = call("POST", f"{url}/api/v1/customers/{customer_id}/cabinet-activation", admin)
    call(
        "POST",
        f"{url}/api/v1/cabinet/activate",
        json={
            "account_number": code["account_number"],
            "activation_code": code["code"],
            "password": SUBSCRIBER_PASSWORD,
        },
    )
    return code["account_number"]


def main() -> None:
    role, url, spec_path = sys.argv[1], sys.argv[2].rstrip("/"), sys.argv[3]
    with open(spec_path, encoding="utf-8") as file:
        spec = json.load(file)

    settings = {"FUZZ_USERNAME": "", "FUZZ_PASSWORD": "", "FUZZ_REALM": "", "FUZZ_SELF_USER_ID": ""}
    if role == "public":
        selected = [op for path, _, op in operations(spec) if path in PUBLIC_PATHS]
    elif role == "subscriber":
        account_number = open_cabinet(url)
        login(url, account_number, SUBSCRIBER_PASSWORD, "subscriber")  # it works before we start
        settings.update(FUZZ_USERNAME=account_number, FUZZ_PASSWORD=SUBSCRIBER_PASSWORD, FUZZ_REALM="subscriber")
        selected = [op for path, _, op in operations(spec) if is_subscriber_path(path)]
    elif role in ("admin", "operator"):
        principal = login(url, role, DEMO_PASSWORD, "staff")["principal"]
        allowed = set(principal["permissions"]) | {"authenticated"}
        settings.update(
            FUZZ_USERNAME=role,
            FUZZ_PASSWORD=DEMO_PASSWORD,
            FUZZ_REALM="staff",
            FUZZ_SELF_USER_ID=str(principal["id"]),
        )
        selected = [
            op
            for path, _, op in operations(spec)
            if path.startswith("/api/v1/")
            and path not in PUBLIC_PATHS
            and not is_subscriber_path(path)
            and (role == "admin" or op.get("x-okno-permission") in allowed)
        ]
    else:
        raise SystemExit(f"prepare: unknown role {role!r} (public, admin, operator, subscriber)")

    if not selected:
        raise SystemExit(f"prepare: no operation of {spec_path} is for {role}")
    ids = sorted(op["operationId"] for op in selected)
    settings["FUZZ_OPERATION_IDS"] = "^(" + "|".join(re.escape(i) for i in ids) + ")$"
    settings["FUZZ_OPERATION_COUNT"] = str(len(ids))
    for name, value in settings.items():
        print(f"{name}={shlex.quote(value)}")


if __name__ == "__main__":
    main()
