"""Summarises the schemathesis runs of tests/fuzz/run.

    python summary.py OUT_DIR

Reads OUT_DIR/runs.tsv (one line per role: role, operations, seconds, requests, exit status)
and each role's OUT_DIR/ROLE/events.ndjson, prints the table of runs and the findings grouped
by check, and writes the same with every reproduction to OUT_DIR/findings.md.

A finding is one (check, operation, role, answered status); the smallest failing request of each
is shown as a curl command against "$OKNO_URL" (a server started with `okno serve --demo`),
with "$TOKEN" the access token of the role (see tests/fuzz/prepare.py for the subscriber).
Exits 1 when any run found something or failed to run, 0 otherwise.
"""

from __future__ import annotations

import base64
import json
import shlex
import sys
import textwrap
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

# How many characters of an answer's body the console shows; findings.md has them whole.
CONSOLE_BODY = 240
# Findings with the same check and answer are listed one by one up to this many.
MANY = 6


@dataclass
class Finding:
    code: str
    title: str
    check: str
    operation: str
    role: str
    status: int | None
    message: str
    body: str
    curl: list[str]  # the failing request, preceded by the stateful steps that led to it
    phases: set[str] = field(default_factory=set)
    reasons: set[str] = field(default_factory=set)
    count: int = 1


def decode(payload) -> str:
    if payload is None:
        return ""
    if isinstance(payload, dict) and "$base64" in payload:
        raw = base64.b64decode(payload["$base64"])
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            return f"<{len(raw)} bytes, not UTF-8>"
    return str(payload)


def shorten(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= CONSOLE_BODY else text[:CONSOLE_BODY] + "…"


def answer_kind(body: str) -> str:
    """The problem `code` of an RFC 9457 answer, or `(not a problem)`."""
    try:
        problem = json.loads(body)
    except ValueError:
        return "(not JSON)" if body else "(empty)"
    if isinstance(problem, dict) and "code" in problem:
        return str(problem["code"])
    return "(JSON, no problem code)"


def reasons_of(body: str) -> set[str]:
    """The problem's `code` and its field errors (`field: code`), from an RFC 9457 answer."""
    try:
        problem = json.loads(body)
    except ValueError:
        return set()
    if not isinstance(problem, dict):
        return set()
    errors = problem.get("errors") if isinstance(problem.get("errors"), list) else []
    fields = {f"{e.get('field')}: {e.get('code')}" for e in errors if isinstance(e, dict)}
    return fields or ({str(problem["code"])} if "code" in problem else set())


def curl_of(request: dict) -> str:
    """A copy-and-paste curl command for a recorded request, aimed at $OKNO_URL."""
    method = request.get("method", "GET")
    uri = request.get("uri", "")
    # http://127.0.0.1:PORT/path?query -> "$OKNO_URL"'/path?query'
    scheme_end = uri.find("://")
    path_start = uri.find("/", scheme_end + 3) if scheme_end >= 0 else 0
    target = '"$OKNO_URL"' + shlex.quote(uri[path_start:] if path_start >= 0 else "/")
    parts = ["curl", "-i", "-X", method]
    for name, values in (request.get("headers") or {}).items():
        for value in values if isinstance(values, list) else [values]:
            if name.lower() == "authorization" and str(value).startswith("Bearer "):
                parts += ["-H", '"Authorization: Bearer $TOKEN"']
            elif name.lower() not in ("user-agent", "accept-encoding", "accept", "connection", "content-length"):
                parts += ["-H", shlex.quote(f"{name}: {value}")]
    body = request.get("body")
    if body is not None:
        parts += ["--data-binary", shlex.quote(decode(body))]
    parts.append(target)
    return " ".join(parts)


def read_events(path: Path):
    with path.open(encoding="utf-8") as file:
        for line in file:
            line = line.strip()
            if line:
                event = json.loads(line)
                yield next(iter(event.items()))


def collect(role: str, path: Path, findings: dict, errors: list, notes: list) -> None:
    for kind, event in read_events(path):
        if kind == "NonFatalError":
            value = event.get("value") or {}
            errors.append(f"{role}: {event.get('label')} ({event.get('phase')}): {value.get('type')}: {value.get('message')}")
        elif kind == "FatalError":
            errors.append(f"{role}: fatal: {json.dumps(event)[:500]}")
        elif kind == "EngineFinished":
            payload = event.get("payload") or {}
            if payload.get("reauth_count"):
                notes.append(f"{role}: signed in again {payload['reauth_count']} times (token refresh or logout)")
            if payload.get("reauth_broke"):
                errors.append(f"{role}: signing in again failed; later requests went unauthenticated")
        elif kind == "ScenarioFinished" and event.get("status") in ("failure", "error"):
            recorder = event.get("recorder") or {}
            cases = recorder.get("cases") or {}
            interactions = recorder.get("interactions") or {}
            for case_id, checks in (recorder.get("checks") or {}).items():
                for check in checks:
                    if check.get("status") != "failure":
                        continue
                    failure = ((check.get("failure_info") or {}).get("failure")) or {}
                    interaction = interactions.get(case_id) or {}
                    response = interaction.get("response") or {}
                    status = response.get("status_code")
                    operation = failure.get("operation") or recorder.get("label", "?")
                    if check.get("name") in ("unsupported_method", "allow_header_conformance"):
                        # These probe a method the path does not declare: name what was sent.
                        sent = (interaction.get("request") or {}).get("method", "?")
                        operation = f"{sent} {operation.split(' ', 1)[-1]}"
                    # The steps of a stateful scenario that led to this request, oldest first.
                    chain = []
                    node_id = case_id
                    while node_id and node_id in interactions and len(chain) < 6:
                        chain.append(curl_of(interactions[node_id].get("request") or {}))
                        node_id = (cases.get(node_id) or {}).get("parent_id")
                    chain.reverse()
                    key = (failure.get("code", check.get("name")), operation, role, status)
                    body = decode(response.get("content")) if response else ""
                    candidate = Finding(
                        code=failure.get("code", "?"),
                        title=failure.get("title", check.get("name", "?")),
                        check=check.get("name", "?"),
                        operation=operation,
                        role=role,
                        status=status,
                        message=failure.get("message", ""),
                        body=body,
                        curl=chain,
                        phases={event.get("phase", "?")},
                        reasons=reasons_of(body),
                    )
                    known = findings.get(key)
                    if known is None:
                        findings[key] = candidate
                    else:
                        known.count += 1
                        known.phases |= candidate.phases
                        known.reasons |= candidate.reasons
                        # Keep the shortest reproduction.
                        if sum(map(len, candidate.curl)) < sum(map(len, known.curl)):
                            candidate.count, candidate.phases = known.count, known.phases
                            candidate.reasons = known.reasons
                            findings[key] = candidate


def main() -> int:
    out = Path(sys.argv[1])
    runs = []
    for line in (out / "runs.tsv").read_text(encoding="utf-8").splitlines():
        role, operations, seconds, requests, status = line.split("\t")
        runs.append((role, int(operations), int(seconds), int(requests), int(status)))

    findings: dict = {}
    errors: list[str] = []
    notes: list[str] = []
    for role, *_ in runs:
        events = out / role / "events.ndjson"
        if events.exists():
            collect(role, events, findings, errors, notes)
        else:
            errors.append(f"{role}: no report ({events} is missing)")

    per_role = defaultdict(int)
    for finding in findings.values():
        per_role[finding.role] += 1

    lines = ["| role | operations | requests | time | schemathesis exit | findings |", "|---|--:|--:|--:|--:|--:|"]
    for role, operations, seconds, requests, status in runs:
        lines.append(
            f"| {role} | {operations} | {requests} | {seconds // 60}:{seconds % 60:02d} | {status} | {per_role[role]} |"
        )
    total_seconds = sum(r[2] for r in runs)
    lines.append(
        f"| all | {sum(r[1] for r in runs)} | {sum(r[3] for r in runs)} | "
        f"{total_seconds // 60}:{total_seconds % 60:02d} | | {len(findings)} |"
    )
    table = "\n".join(lines)

    by_check = defaultdict(list)
    for finding in findings.values():
        by_check[(finding.code, finding.title)].append(finding)
    groups = sorted(by_check.items(), key=lambda item: (-len(item[1]), item[0]))

    console = ["", "==> Fuzzing: runs", table, ""]
    report = [
        "# Fuzzing findings",
        "",
        "Each finding is one check failing on one operation for one role with one status; the",
        'smallest failing request is shown as curl against "$OKNO_URL" with "$TOKEN" the role\'s',
        "access token (stateful findings show the steps that led to it). The full runs are in",
        "ROLE/schemathesis.log, ROLE/junit.xml, ROLE/events.ndjson.gz and ROLE/server.log.",
        "",
        table,
        "",
    ]
    if groups:
        console.append(f"==> Fuzzing: {len(findings)} findings, by check (full reproductions in {out}/findings.md)")
    for (code, title), items in groups:
        items.sort(key=lambda f: (f.operation, f.role, f.status or 0))
        console.append(f"\n{code} {title} ({items[0].check}): {len(items)}")
        report += [f"## {code} {title} ({items[0].check}): {len(items)}", ""]
        # On the console, findings that got the same answer are one line each while few, and
        # one list of operations with one reproduction when many (one cause, many routes).
        answers = defaultdict(list)
        for f in items:
            answers[(f.status, answer_kind(f.body))].append(f)
        for (status, kind), same in sorted(answers.items(), key=lambda a: (-len(a[1]), str(a[0]))):
            if len(same) > MANY:
                roles = sorted({f.role for f in same})
                console.append(f"  answered {status} {kind}: {len(same)} findings ({', '.join(roles)}) on")
                if any(f.reasons for f in same):
                    # What each operation refused, once per operation whatever the role.
                    refused = defaultdict(set)
                    for f in same:
                        refused[f.operation] |= f.reasons
                    for label, reasons in sorted(refused.items()):
                        console.append(f"    {label}: {shorten('; '.join(sorted(reasons)))}")
                else:
                    labels = sorted({f.operation for f in same})
                    console += textwrap.wrap(
                        ", ".join(labels),
                        110,
                        initial_indent="    ",
                        subsequent_indent="    ",
                        break_on_hyphens=False,
                        break_long_words=False,
                    )
                example = min(same, key=lambda f: sum(map(len, f.curl)))
                console.append(f"    e.g. {example.curl[-1] if example.curl else '?'}")
                console.append(f"    answered: {shorten(example.body)}")
                continue
            for f in same:
                console.append(f"  {f.role:<10} {f.operation} -> {f.status} {kind}")
                if f.reasons:
                    console.append(f"             problems: {shorten('; '.join(sorted(f.reasons)))}")
                else:
                    console.append(f"             answered: {shorten(f.body)}")
                console.append(f"             {f.curl[-1] if f.curl else '(no request recorded)'}")
        for f in items:
            report += [
                f"### {f.operation} as {f.role}: {f.status}",
                "",
                f"{f.message.strip()}",
                "",
                f"Seen {f.count} times, in the {', '.join(sorted(f.phases))} phase(s).",
                "",
                *([f"Problems answered: {'; '.join(sorted(f.reasons))}", ""] if f.reasons else []),
                "```sh",
                *f.curl,
                "```",
                "",
                f"Answered {f.status}:",
                "",
                "```",
                f.body.strip()[:4000],
                "```",
                "",
            ]
    if errors:
        console.append(f"\n==> Fuzzing: {len(errors)} errors (the fuzzer could not test something)")
        console += [f"  {e}" for e in errors]
        report += ["## Errors", "", *[f"- {e}" for e in errors], ""]
    if notes:
        console += ["", *[f"  note: {n}" for n in notes]]
        report += ["## Notes", "", *[f"- {n}" for n in notes], ""]

    (out / "findings.md").write_text("\n".join(report) + "\n", encoding="utf-8")
    failed = bool(findings) or bool(errors) or any(r[4] != 0 for r in runs)
    console.append("")
    console.append(
        f"==> Fuzzing: {len(findings)} findings, {len(errors)} errors in {len(runs)} runs"
        + (" — FAILED" if failed else " — passed")
    )
    print("\n".join(console))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
