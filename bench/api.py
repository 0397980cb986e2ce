"""Benchmark: the REST API served as production serves it, against the framework's own floor.

    .venv/bin/python bench/api.py [--missions 200] [--duration 5] [--rounds 3] [--connections 4]
                                  [--database-url postgres://...] [--redis-url redis://...]
                                  [--no-write]

Creates (and afterwards drops) its own PostgreSQL database, seeds N missions (each with an
approved, evaluated assessment of the 12 functions and an HQ override), then starts gunicorn
with docker-compose.yml's `web` command (same worker class and count; only the address
changes) on production settings (DEBUG off, Redis-backed throttles, the default CONN_MAX_AGE),
with bench/api_urls.py as the URL configuration: the project's URLs plus a bare Django view
and a trivial DRF view. `wrk` (Debian package `wrk`) loads each endpoint in turn, all of them
once per round, so every endpoint sees the same machine conditions, and the figures compare
endpoints within this one run. Any answer other than the expected 2xx/304, or any socket error,
fails the run. Figures go to the "API" section of docs/benchmarks.md (with --no-write, only to
the terminal).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import (  # noqa: E402
    BENCH_SECRET_KEY,
    evaluations_seed,
    functions_seed,
    machine,
    scratch_database,
    section_write,
)

PATCH_POOL = 8  # drafts the PATCH load cycles through: more than connections, so none waits


@dataclass
class Endpoint:
    """One load: what wrk sends, what it must get back, and the target it is held to."""

    key: str
    label: str
    path: str
    expected: int
    method: str = "GET"
    headers: dict[str, str] = field(default_factory=dict)
    body: str = ""
    baseline: str | None = None  # the endpoint the ratio compares to
    target: float | None = None
    pool: list[int] = field(default_factory=list)  # drafts to PATCH, following their ETags
    varying: bool = False  # a new context each request: __D__ and __P__ in the body vary


@dataclass
class Figures:
    requests: int = 0
    seconds: float = 0.0
    p50_ms: list[float] = field(default_factory=list)
    p99_ms: list[float] = field(default_factory=list)

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--missions", type=int, default=200)
    parser.add_argument("--duration", type=int, default=5, help="seconds per endpoint and round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/bench_api")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/15")
    parser.add_argument(
        "--no-write", action="store_true", help="print the figures, leave docs/benchmarks.md"
    )
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit(
            "bench/api.py needs wrk: apt-get install wrk (Debian/Ubuntu), or brew install wrk."
        )

    env = {
        "DATABASE_URL": args.database_url,
        "REDIS_URL": args.redis_url,
        "DEBUG": "0",
        "SECRET_KEY": BENCH_SECRET_KEY,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",  # wrk speaks plain HTTP; production has a TLS proxy in front
        "STATIC_MANIFEST": "0",
        "DJANGO_SETTINGS_MODULE": "bench.api_settings",
        "LOG_LEVEL": "WARNING",
    }
    with scratch_database(args.database_url, **env):
        results, endpoints = _run(args, env)

    report = _report(args, results, endpoints)
    print(report)
    if not args.no_write:
        section_write("api", report)


def _run(args, env: dict[str, str]) -> tuple[dict[str, Figures], list[Endpoint]]:
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    seeded = _seed(args.missions)
    _redis_flush(args.redis_url)
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    server = _gunicorn_start(port, env)
    workdir = Path(tempfile.mkdtemp(prefix="bench-api-"))
    try:
        _wait_ready(base, server)
        endpoints = _endpoints(base, seeded)
        for endpoint in endpoints:  # each answers as expected before any load, and warms up
            _probe(base, endpoint)
            _wrk(base, endpoint, seconds=1, connections=args.connections, workdir=workdir)
        results = {endpoint.key: Figures() for endpoint in endpoints}
        for round_number in range(args.rounds):
            for endpoint in endpoints:
                figures = _wrk(
                    base,
                    endpoint,
                    seconds=args.duration,
                    connections=args.connections,
                    workdir=workdir,
                )
                result = results[endpoint.key]
                result.requests += figures["requests"]
                result.seconds += figures["duration_us"] / 1e6
                result.p50_ms.append(figures["p50_us"] / 1000)
                result.p99_ms.append(figures["p99_us"] / 1000)
                print(
                    f"round {round_number + 1} {endpoint.label}: "
                    f"{figures['requests'] / (figures['duration_us'] / 1e6):,.0f} req/s",
                    flush=True,
                )
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
        shutil.rmtree(workdir, ignore_errors=True)
        _redis_flush(args.redis_url)
    return results, endpoints


def _redis_flush(url: str) -> None:
    """Forget the API's shared state, before and after: the run starts and leaves nothing behind."""
    import redis

    client = redis.Redis.from_url(url)
    keys = [
        key
        for pattern in ("throttle:*", "apitoken:*", "apiread:*")
        for key in client.scan_iter(pattern)
    ]
    if keys:
        client.delete(*keys)
    client.close()


def _seed(count: int) -> dict:
    from django.contrib.auth import get_user_model

    from assessments.models import Assessment, FunctionAssessment, Override
    from integration.api.tokens import api_token_create
    from integration.engine.samples import binub_context
    from missions.models import Mission, MissionMembership

    functions = functions_seed()
    users = get_user_model().objects
    planner = users.create(username="bench-planner")
    reviewer = users.create(username="bench-reviewer")
    missions = Mission.objects.bulk_create(
        Mission(acronym=f"M{i:03d}", name=f"Mission {i}", country="X", presence_type="hybrid")
        for i in range(count)
    )
    MissionMembership.objects.bulk_create(
        MissionMembership(user=planner, mission=mission, role="planner") for mission in missions
    )
    context = binub_context(presence_type="multidimensional_pko")
    # Every mission: an approved, evaluated assessment (its profile); the first PATCH_POOL
    # missions also have a later draft, which the PATCH load edits.
    approved = Assessment.objects.bulk_create(
        Assessment(mission=mission, as_of="2007-04-26", status="approved", **context)
        for mission in missions
    )
    drafts = Assessment.objects.bulk_create(
        Assessment(mission=mission, as_of="2007-06-30", status="draft", **context)
        for mission in missions[:PATCH_POOL]
    )
    FunctionAssessment.objects.bulk_create(
        FunctionAssessment(
            assessment=assessment,
            function=function,
            dimensions=list(function.default_dimensions),
            funding_source="assessed",
            desired_impact="A desired impact of a few sentences, as planners write them. " * 3,
        )
        for assessment in [*approved, *drafts]
        for function in functions
    )
    evaluated = evaluations_seed(Assessment.objects.filter(status="approved"))
    Override.objects.bulk_create(
        Override(
            assessment=assessment,
            function=functions[2],
            level="strategic",
            degree="partial",
            justification="Bench override.",
            author=reviewer,
            evaluation_id=assessment.current_evaluation_id,
        )
        for assessment in Assessment.objects.filter(status="approved")
    )
    return {
        "read": api_token_create(user=planner, name="bench read", scope="read").secret,
        "write": api_token_create(user=planner, name="bench write", scope="write").secret,
        "mission": missions[0].acronym,
        "drafts": [draft.pk for draft in drafts],
        "evaluate": evaluated[0],  # an assessment's facts: the 12 functions, in the API's shape
    }


def _gunicorn_start(port: int, env: dict[str, str]) -> subprocess.Popen:
    """docker-compose.yml's web command, bound to 127.0.0.1:`port` instead of 0.0.0.0:8000."""
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
    command = list(compose["services"]["web"]["command"])
    command[command.index("--bind") + 1] = f"127.0.0.1:{port}"
    command[0] = str(Path(sys.executable).parent / command[0])
    return subprocess.Popen(
        command,
        cwd=ROOT,
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,  # the access log: written, as in production, then dropped
        stderr=subprocess.DEVNULL,
    )


def _wait_ready(base: str, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"gunicorn exited with {server.returncode} before answering")
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            time.sleep(0.3)
    sys.exit("gunicorn did not answer /healthz within 60 s")


def _http(base: str, endpoint: Endpoint, headers: dict[str, str]) -> tuple[int, dict, bytes]:
    request = urllib.request.Request(  # noqa: S310 (127.0.0.1)
        base + endpoint.path,
        data=endpoint.body.encode() or None,
        headers=endpoint.headers | headers,
        method=endpoint.method,
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


def _endpoints(base: str, seeded: dict) -> list[Endpoint]:
    read = {"Authorization": f"Bearer {seeded['read']}"}
    profile_path = f"/api/v1/missions/{seeded['mission']}/integration-profile/"
    status, headers, _ = _http(base, Endpoint("", "", profile_path, 200, headers=read), {})
    if status != 200:
        sys.exit(f"GET {profile_path}: {status}")
    return [
        Endpoint("bare", "bare Django view (the floor)", "/bench/bare/", 200, headers=read),
        Endpoint(
            "trivial",
            "trivial DRF view",
            "/bench/trivial/",
            200,
            headers=read,
            baseline="bare",
            target=0.4,
        ),
        Endpoint(
            "profile",
            "integration profile",
            profile_path,
            200,
            headers=read,
            baseline="trivial",
            target=0.7,
        ),
        Endpoint(
            "profile_304",
            "integration profile, If-None-Match (304)",
            profile_path,
            304,
            headers=read | {"If-None-Match": headers["ETag"]},
            baseline="trivial",
            target=0.9,
        ),
        Endpoint(
            "missions",
            "mission list, 50 per page",
            "/api/v1/missions/?page_size=50",
            200,
            headers=read,
            baseline="trivial",
            target=0.7,
        ),
        Endpoint(
            "evaluate",
            "evaluate, 12 functions",
            "/api/v1/evaluate/",
            200,
            method="POST",
            headers=read | {"Content-Type": "application/json"},
            body=json.dumps(seeded["evaluate"]),
            baseline="trivial",
            target=0.3,
        ),
        Endpoint(
            "evaluate_new",
            "evaluate, 12 functions, a new context each request",
            "/api/v1/evaluate/",
            200,
            method="POST",
            headers=read | {"Content-Type": "application/json"},
            body=json.dumps(
                seeded["evaluate"]
                | {
                    "context": seeded["evaluate"]["context"]
                    | {"drawdown_within_months": "__D__", "pooled_fund": "__P__"}
                }
            )
            .replace('"__D__"', "__D__")
            .replace('"__P__"', "__P__"),
            baseline="trivial",
            varying=True,
        ),
        Endpoint(
            "patch",
            "assessment PATCH (If-Match)",
            "/api/v1/assessments/{id}/",
            200,
            method="PATCH",
            headers={
                "Authorization": f"Bearer {seeded['write']}",
                "Content-Type": "application/json",
            },
            body=json.dumps({"notes": "Edited by the benchmark."}),
            pool=seeded["drafts"],
        ),
    ]


def _probe(base: str, endpoint: Endpoint) -> None:
    if endpoint.pool:
        ((pk, version),) = _draft_versions(endpoint.pool[:1])
        path = endpoint.path.format(id=pk)
        probe = Endpoint(**{**endpoint.__dict__, "path": path})
        status, _, body = _http(base, probe, {"If-Match": f'"a{pk}.v{version}"'})
    elif endpoint.varying:
        body = endpoint.body.replace("__D__", "12").replace("__P__", "true")
        status, _, body = _http(base, Endpoint(**{**endpoint.__dict__, "body": body}), {})
    else:
        status, _, body = _http(base, endpoint, {})
    if status != endpoint.expected:
        sys.exit(f"{endpoint.method} {endpoint.path}: {status}, not {endpoint.expected}: {body!r}")


def _draft_versions(ids: list[int]) -> list[tuple[int, int]]:
    from assessments.models import Assessment

    return list(Assessment.objects.filter(pk__in=ids).values_list("pk", "version").order_by("pk"))


# Percentiles and error counts as one JSON line, whatever the endpoint.
_DONE = """
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH {"requests": %d, "duration_us": %d, "connect": %d, "read": %d, "write": %d, '
    .. '"status": %d, "timeout": %d, "p50_us": %d, "p99_us": %d}\\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(99)))
end
"""

# 482 different contexts in turn (drawdown 0-240 months, pooled fund or not): more than the
# evaluate memo holds, so every answer is computed.
_VARYING = """
local n = 0
function request()
  n = n + 1
  local pooled = (math.floor(n / 241) % 2 == 1) and "true" or "false"
  local body = wrk.body:gsub("__D__", tostring(n % 241)):gsub("__P__", pooled)
  return wrk.format(nil, nil, nil, body)
end
"""

# PATCH with If-Match: a pool of drafts with the version each was last seen at. A request takes
# one out, its answer's ETag ("a12.v4") puts it back at the new version, so concurrent
# connections never send a stale If-Match. An empty pool (an answer without ETag) sends a
# request that fails, and the failure is counted.
_PATCH_POOL = """
local free = {}
function init(args)
  for _, item in ipairs(args) do
    local id, version = item:match("(%d+):(%d+)")
    table.insert(free, {id, version})
  end
end
function request()
  local item = table.remove(free, 1)
  if item == nil then return wrk.format(nil, "/api/v1/assessments/0/") end
  wrk.headers["If-Match"] = '"a' .. item[1] .. '.v' .. item[2] .. '"'
  return wrk.format(nil, "/api/v1/assessments/" .. item[1] .. "/")
end
function response(status, headers, body)
  local etag = headers["ETag"] or headers["etag"]
  if etag then
    local id, version = etag:match('"a(%d+)%.v(%d+)"')
    table.insert(free, {id, version})
  end
end
"""


def _lua(endpoint: Endpoint) -> str:
    lines = [f"wrk.method = {json.dumps(endpoint.method)}"]
    lines += [
        f"wrk.headers[{json.dumps(k)}] = {json.dumps(v)}" for k, v in endpoint.headers.items()
    ]
    if endpoint.body:
        lines.append(f"wrk.body = {json.dumps(endpoint.body)}")
    if endpoint.pool:
        lines.append(_PATCH_POOL)
    if endpoint.varying:
        lines.append(_VARYING)
    return "\n".join(lines) + _DONE


def _wrk(base: str, endpoint: Endpoint, *, seconds: int, connections: int, workdir: Path) -> dict:
    script = workdir / f"{endpoint.key}.lua"
    script.write_text(_lua(endpoint), encoding="utf-8")
    path, extra = endpoint.path, []
    if endpoint.pool:
        path = "/api/v1/assessments/"
        extra = ["--", *(f"{pk}:{version}" for pk, version in _draft_versions(endpoint.pool))]
    command = [
        "wrk",
        "-t1",
        f"-c{connections}",
        f"-d{seconds}s",
        "--timeout",
        "10s",
        "-s",
        str(script),
        base + path,
        *extra,
    ]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    line = next((line for line in output.splitlines() if line.startswith("BENCH ")), None)
    if line is None:
        sys.exit(f"wrk printed no figures for {endpoint.label}:\n{output}")
    figures = json.loads(line.removeprefix("BENCH "))
    errors = {
        k: figures[k] for k in ("connect", "read", "write", "status", "timeout") if figures[k]
    }
    if errors:
        sys.exit(f"{endpoint.label}: errors under load {errors}\n{output}")
    return figures


def _report(args, results: dict[str, Figures], endpoints: list[Endpoint]) -> str:
    rows = []
    for endpoint in endpoints:
        figures = results[endpoint.key]
        ratio = target = ""
        if endpoint.baseline:
            value = figures.rate / results[endpoint.baseline].rate
            ratio = f"{value:.2f}× {endpoint.baseline}"
            if endpoint.target is not None:
                met = "met" if value >= endpoint.target else "MISSED"
                target = f"≥ {endpoint.target}× ({met})"
        p50 = sum(figures.p50_ms) / len(figures.p50_ms)
        rows.append(
            f"| {endpoint.label} | {figures.rate:,.0f} | {p50:.2f} ms "
            f"| {max(figures.p99_ms):.2f} ms | {ratio} | {target} |"
        )
    table = "\n".join(rows)
    command = (
        f".venv/bin/python bench/api.py --missions {args.missions} --duration {args.duration} "
        f"--rounds {args.rounds} --connections {args.connections}"
    )
    return f"""## API

Command: `{command}` ({machine()}; PostgreSQL, Redis, gunicorn and wrk on the same machine,
which other jobs were sharing: absolute figures move from run to run, the ratios within one run
are what count). gunicorn runs docker-compose.yml's `web` command; `wrk -t1
-c{args.connections}`, {args.duration} s per endpoint, the endpoints in turn over
{args.rounds} rounds. req/s over all rounds; p50 is the mean of the rounds', p99 the worst
round's. A read token for the reads and evaluate, a write token for the PATCH; no error
(any non-2xx/304 answer or socket error fails the run).

| endpoint | req/s | p50 | p99 | ratio | target |
|---|---|---|---|---|---|
{table}
"""


if __name__ == "__main__":
    main()
