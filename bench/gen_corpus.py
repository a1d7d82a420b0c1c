#!/usr/bin/env python3
"""Generate a synthetic repository of incident postmortems for benchmarking pmbook.

    gen_corpus.py OUT_DIR --count N [--seed S] [--broken-every K] [--git]

Creates OUT_DIR/pmbook.toml and OUT_DIR/postmortems/<id>.md: N postmortems of
about 4 KB each in the format of the design notes ("The file format"), with
TOML front-matter between `+++` lines and every section filled from word and
sentence pools. Output depends only on the arguments (seeded random.Random per
file, no clock), so two runs with the same arguments give byte-identical trees;
with --git the single commit has a fixed author, committer and date, so even
its hash is the same.

--broken-every K gives every K-th file (K, 2K, ...) exactly one realistic
defect, rotating through: missing required section, wrong time order, open
action item without owner, misspelt front-matter field, blameful phrase.
Only those files change; every other file is identical to the clean corpus.

Python 3.11+, standard library only.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import re
import subprocess
import sys
from pathlib import Path

EPOCH = dt.datetime(2019, 1, 7)  # naive datetimes mean UTC; incidents spread over ~6 years from here
SPAN_MINUTES = 6 * 365 * 24 * 60
SIZE_MIN, SIZE_MAX = 3600, 4350  # each file's target size in bytes is drawn from this range
SIZE_CAP = 4480  # trimmed back to this when the fixed parts alone overshoot

# ---------------------------------------------------------------------------
# Pools
# ---------------------------------------------------------------------------

SERVICES = [
    "checkout", "cart", "payments", "billing", "invoicing", "search", "catalog",
    "inventory", "pricing", "auth", "sessions", "accounts", "notifications",
    "email", "sms-gateway", "api-gateway", "edge-proxy", "cdn", "dns",
    "object-storage", "postgres-main", "redis-cache", "kafka", "scheduler",
    "batch-export", "reporting", "analytics", "recommendations", "media-upload",
    "image-resizer", "webhooks", "mobile-api", "admin-console", "feature-flags",
    "ci-runners", "k8s-control-plane", "service-mesh", "observability",
    "shipping", "tax-engine", "fraud-scoring", "ledger",
]
DEPENDENCIES = [
    "the primary Postgres cluster", "the Redis cache tier", "the Kafka brokers",
    "the internal DNS resolvers", "the object store", "the TLS terminating proxy",
    "the service mesh sidecars", "the third-party payment processor",
    "the SMS provider", "the identity provider", "the CDN edge", "the job scheduler",
    "the connection pooler", "the search index cluster", "the metrics pipeline",
]
REGIONS = ["eu-west-1", "eu-central-1", "us-east-1", "us-west-2", "ap-southeast-1", "sa-east-1"]
TEAMS = ["platform", "payments", "storefront", "identity", "data", "edge", "sre", "growth", "mobile"]
AUTHORS = [
    "alice", "bob", "carol", "dmitri", "erin", "farah", "gus", "hana", "ivan", "jamal",
    "keiko", "lena", "marco", "nadia", "oscar", "priya", "quentin", "rosa", "sven",
    "tomas", "uma", "victor", "wen", "xavier", "yara", "zoe", "ahmed", "beatriz",
    "chen", "dagny", "emeka", "fatima", "goran", "helga", "ines", "joao", "kofi",
    "lucia", "mateo", "noor",
]
TAGS = [
    "deploy", "config", "capacity", "database", "cache", "network", "dns", "tls",
    "certificate", "migration", "feature-flag", "third-party", "alerting",
    "rollback", "autoscaling", "memory", "cpu", "disk", "queue", "latency",
    "data-loss", "security", "customer-facing", "on-call", "runbook", "kubernetes",
]
SEVERITIES = ["SEV1", "SEV2", "SEV3", "SEV4"]
SEVERITY_WEIGHTS = [5, 20, 45, 30]
CATEGORIES = ["people", "process", "tooling", "code", "infrastructure", "external"]
ACTION_KINDS = ["fix", "automate", "tooling", "process", "test", "detect", "mitigate", "prevent"]

# trigger -> (caused_by_change, likely root-cause categories, tags)
TRIGGERS = {
    "deploy": (True, ["code", "process", "tooling"], ["deploy", "rollback"]),
    "config change": (True, ["process", "tooling", "people"], ["config"]),
    "schema migration": (True, ["code", "process"], ["migration", "database"]),
    "feature flag": (True, ["code", "process"], ["feature-flag"]),
    "dns change": (True, ["infrastructure", "process"], ["dns", "network"]),
    "traffic spike": (False, ["infrastructure", "tooling"], ["capacity", "autoscaling"]),
    "certificate expiry": (False, ["process", "tooling"], ["tls", "certificate"]),
    "dependency outage": (False, ["external", "infrastructure"], ["third-party"]),
    "disk exhaustion": (False, ["infrastructure", "tooling"], ["disk", "capacity"]),
    "memory leak": (False, ["code"], ["memory"]),
    "cloud provider incident": (False, ["external"], ["third-party", "network"]),
    "cron job": (False, ["code", "process"], ["queue"]),
}
TRIGGER_NAMES = list(TRIGGERS)

SYMPTOMS = [
    "latency", "elevated 5xx errors", "partial outage", "full outage",
    "degraded throughput", "stale reads", "queue backlog", "delayed processing",
    "login failures", "timeouts", "duplicate messages", "missing data",
    "slow page loads", "dropped webhooks", "connection exhaustion",
]
TITLE_PATTERNS = [
    "{Svc} {symptom} after {trigger}",
    "{Svc} {symptom} in {region}",
    "{Svc} {symptom} caused by {trigger}",
    "{symptom_cap} on {svc} and {svc2}",
    "{Svc} {symptom} during {trigger}",
    "{symptom_cap} in {svc} following {trigger}",
]

SUMMARY = [
    "Between {start_hm} and {resolved_hm} UTC on {date}, {svc} served {symptom} to a share of requests in {region}.",
    "A {trigger} in {svc} led to {symptom} that lasted about {dur_total}.",
    "Customers using {svc} saw {symptom} for roughly {dur_total} before the service recovered.",
    "The incident was detected by an automated alert {dur_detect} after it started and mitigated {dur_mitigate} after the start.",
    "The {team} team was paged and coordinated the response in the incident channel.",
    "Requests from {svc2} to {svc} were retried aggressively, which amplified the load.",
    "No data was lost, but {pct}% of requests during the window returned an error or timed out.",
    "The trigger was a {trigger}; the underlying cause was in how {dep} was configured for {svc}.",
    "Recovery required a rollback and a manual restart of the {svc} workers in {region}.",
    "This review covers detection, mitigation and the follow-up work agreed in the blameless review.",
]
IMPACT = [
    "About {n_customers} customers were affected, mostly in {region}.",
    "Error rate on {svc} peaked at {pct}% against an SLO target of 99.9% availability.",
    "{n_orders} orders could not be completed and were retried by customers later.",
    "Support received {n_tickets} tickets during the incident window.",
    "p99 latency on {svc} rose from {lat_lo} ms to {lat_hi} ms.",
    "Downstream, {svc2} queued {n_msgs} messages that were processed after recovery.",
    "Internal dashboards for {svc} were unavailable for most of the window.",
    "The error budget for the month dropped noticeably; the exact figure is in the SLO section of the front-matter.",
    "No customer data was exposed or corrupted.",
    "Partner integrations calling {svc} saw timeouts and some retried with backoff.",
    "Mobile clients showed a generic error screen to roughly {pct}% of sessions.",
    "Revenue impact is estimated as low because most customers retried successfully.",
]
TIMELINE_START = [
    "{trigger} on {svc} begins",
    "{svc} {version} rollout starts in {region}",
    "first requests to {svc} start timing out",
    "{dep} begins rejecting connections from {svc}",
    "scheduled {trigger} on {svc} is applied",
]
TIMELINE_DETECT = [
    "{alert} alert fires for {svc}",
    "on-call receives a page: {svc} error rate above threshold",
    "synthetic checks for {svc} start failing in {region}",
    "support escalates reports of {symptom} on {svc}",
    "{alert} alert fires in the {team} channel",
]
TIMELINE_ACK = [
    "on-call acknowledges the page and opens an incident channel",
    "incident commander assigned; {team} team joins the call",
    "on-call acknowledges and starts looking at the {svc} dashboards",
]
TIMELINE_MID = [
    "dashboards show saturation of {dep}",
    "status page updated: investigating {symptom} on {svc}",
    "{svc2} owners confirm they see elevated retries",
    "hypothesis: the {trigger} is related; comparing with the previous version",
    "traffic to {svc} in {region} shifted to a healthy region",
    "connection pool limits raised temporarily on {svc}",
    "logs show repeated timeouts against {dep}",
    "second responder from the {team} team joins",
    "customer support notified with a holding statement",
    "canary instances of {svc} restarted to test the hypothesis",
]
TIMELINE_MITIGATE = [
    "rollback of {svc} to the previous version completes; error rate drops",
    "feature flag disabled; {svc} latency returns to baseline",
    "capacity for {dep} increased; queues start draining",
    "traffic fully shifted away from {region}; customer impact ends",
    "config change reverted on {svc}; alerts clear",
]
TIMELINE_RESOLVE = [
    "backlog drained and {svc} metrics stable; incident resolved",
    "status page updated to resolved",
    "{svc2} confirms normal processing; incident closed",
    "all regions back on the normal path; incident resolved",
]
ROOT_CAUSE = [
    "The {trigger} changed how {svc} opens connections to {dep}, and under production load the pool was exhausted within minutes.",
    "{svc_cap} relied on a default timeout of 30 seconds, which was much longer than the budget its callers allowed.",
    "The change was tested in staging, but staging does not run with the same traffic shape as {region}.",
    "A retry policy without jitter in {svc2} turned a short slowdown into a sustained overload of {svc}.",
    "The health check only verified that the process was running, so unhealthy instances stayed in the load balancer.",
    "A limit on open files in the container image was lower than the number of connections {svc} needed after the change.",
    "The alert on {svc} measured averages, so the tail latency that customers saw stayed below its threshold for a while.",
    "{dep_cap} reached a capacity limit that had been planned for, but the planned increase was still waiting in a queue.",
    "The rollout tooling promoted the release to all instances at once because the canary step was disabled for {svc}.",
    "A cache key format changed between versions, so every request after the deploy was a cache miss against {dep}.",
    "The runbook for {svc} described a failover procedure that no longer matched the current topology.",
    "A background job in {svc} took a table lock for longer than expected, which blocked writes from the API.",
    "The dependency on {dep} was not documented, so the change review did not include its owners.",
]
CONTRIB = [
    "The canary stage for {svc} had been disabled during an earlier migration and was not re-enabled.",
    "Dashboards for {dep} lived in a different tool than the {svc} dashboards, which slowed correlation.",
    "The on-call rotation for {team} had a recent handover and the runbook was out of date.",
    "Alert thresholds on {svc} were tuned for average latency rather than the p99 that customers feel.",
    "Load tests did not cover the connection pattern introduced by the change.",
    "The deploy happened late in the day when fewer people familiar with {svc} were online.",
    "There was no automated rollback when the error budget burn rate crossed its limit.",
    "{svc2} retried without a budget, multiplying the load on {svc}.",
    "The change review template does not ask about downstream dependencies.",
    "Capacity planning data for {dep} was three months old.",
    "Logs from {svc} were sampled at 1%, which hid the first errors.",
    "Two similar alerts fired at once and it took time to see which one pointed at the cause.",
]
WHY = [
    ("Why did customers see {symptom}?", "Because {svc} could not serve requests within its timeout."),
    ("Why could {svc} not serve requests?", "Because its connections to {dep} were exhausted."),
    ("Why were the connections exhausted?", "Because the {trigger} changed the pool settings and retries multiplied the demand."),
    ("Why did the change reach all instances?", "Because the canary stage was disabled for {svc}."),
    ("Why was the canary stage disabled?", "Because it was turned off during a migration and nothing tracked turning it back on."),
    ("Why was the problem not caught in staging?", "Because staging traffic does not exercise the same connection pattern."),
    ("Why did detection take {dur_detect}?", "Because the alert measured average latency instead of the p99."),
    ("Why did mitigation take {dur_mitigate}?", "Because the rollback procedure for {svc} needed manual steps."),
    ("Why were manual steps needed?", "Because the deploy tooling for {svc} predates automated rollback."),
]
ISHIKAWA = {
    "people": [
        "the responders for {svc} had not practised this failover in a game day",
        "knowledge of {dep} was concentrated in one team that was off shift",
    ],
    "process": [
        "no canary stage for {svc} deploys",
        "change review does not ask about downstream dependencies",
        "capacity reviews for {dep} happen only quarterly",
    ],
    "tooling": [
        "latency alert threshold for {svc} too high",
        "rollback for {svc} needs manual steps",
        "dashboards for {svc} and {dep} are in different tools",
    ],
    "code": [
        "retry loop in {svc2} without jitter or budget",
        "timeout defaults in the {svc} client library are too long",
        "cache keys changed format between versions",
    ],
    "infrastructure": [
        "connection limit on {dep} sized for last year's traffic",
        "single availability zone for the {svc} workers in {region}",
    ],
    "external": [
        "degradation at the provider behind {dep}",
        "upstream rate limit lowered without notice",
    ],
}
ACTION_OPEN = [
    "Add a canary stage to {svc} deploys",
    "Alert on p99 latency for {svc} instead of the average",
    "Add retry budgets and jitter to the {svc2} client",
    "Automate rollback for {svc} when the burn rate alert fires",
    "Load test the connection pattern of {svc} against {dep}",
    "Update the {svc} runbook with the current failover steps",
    "Raise the connection limit on {dep} and document the sizing",
    "Add {dep} to the dependency map used in change review",
    "Run a game day for the {team} on-call rotation",
    "Track canary configuration for every service in the deploy tooling",
    "Add a pre-deploy check for open file limits in the {svc} image",
]
ACTION_DONE = [
    "Roll back {svc} to the previous version",
    "Revert the config change on {svc}",
    "Disable the feature flag for {svc}",
    "Increase capacity on {dep}",
    "Drain and replay the {svc2} backlog",
    "Post a customer update on the status page",
    "Re-enable the canary stage for {svc}",
]
COMMUNICATION = [
    "The status page was updated {n_updates} times during the incident, first {dur_status} after detection.",
    "Customer support received a holding statement and a final summary after resolution.",
    "Affected enterprise customers were contacted by their account managers the next day.",
    "An internal summary went to the engineering announcements channel once the incident was resolved.",
    "The incident channel stayed open until the follow-up actions were filed.",
    "A short customer-facing description was published with the resolution notice.",
    "Partners integrating with {svc} received an email with the time window and the affected endpoints.",
]
LESSONS = [
    "Alerting on what customers experience finds problems sooner than alerting on averages.",
    "A canary stage only helps while it is enabled; its state belongs in version control.",
    "Retries need budgets, otherwise they turn a slowdown into an outage.",
    "Runbooks age quickly; a game day is the cheapest way to find the stale steps.",
    "Writing the timeline while the incident is running made this review much faster.",
    "Dependencies that are not on the map do not get reviewed.",
    "Rolling back first and investigating second shortened the impact.",
    "Staging is not production; changes to connection handling need a production canary.",
    "Clear ownership of {dep} would have sped up the escalation.",
]
BLAMEFUL = [
    "The on-call engineer failed to check the rollout dashboard before promoting the release.",
    "The author should have run the migration against staging first.",
    "This was human error during a manual failover of {svc}.",
    "The reviewer forgot to verify the config diff for {svc}.",
    "A careless edit removed the rate limit on {svc}.",
]
FIELD_TYPOS = [("services", "serivces"), ("tags", "tgas"), ("root_cause_category", "root_cause_catgory"),
               ("acknowledged_at", "acknowleged_at"), ("visibility", "visiblity")]
DEFECTS = ["missing-section", "time-order", "action-owner", "field-typo", "blameful"]

# ---------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------


def toml_str(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def toml_list(xs: list[str]) -> str:
    return "[" + ", ".join(toml_str(x) for x in xs) + "]"


# Times are naive datetimes meaning UTC (isoformat is much faster than strftime).
def toml_dt(t: dt.datetime) -> str:
    return t.isoformat("T", "seconds") + "Z"


def tl_dt(t: dt.datetime) -> str:
    return t.isoformat(" ", "minutes") + " UTC"


def human_minutes(m: int) -> str:
    if m < 60:
        return f"{m} minutes" if m != 1 else "1 minute"
    h, r = divmod(m, 60)
    hs = f"{h} hour" + ("s" if h != 1 else "")
    return hs if r == 0 else f"{hs} {r} minutes"


def heavy_minutes(rng: random.Random, median: float, sigma: float, lo: int, hi: int) -> int:
    """Log-normal minutes, clamped: incident durations are heavy-tailed."""
    return max(lo, min(hi, int(round(rng.lognormvariate(0.0, sigma) * median))))


SLUG_STOPWORDS = {"a", "an", "the", "in", "on", "of", "and", "after", "during", "following", "caused", "by"}


def slugify(s: str, max_words: int = 5) -> str:
    words = [w for w in re.sub(r"[^a-z0-9]+", " ", s.lower()).split() if w not in SLUG_STOPWORDS]
    return "-".join(words[:max_words])


class Fill(dict):
    """str.format_map context that fails loudly on an unknown placeholder."""

    def __missing__(self, key: str) -> str:  # pragma: no cover - programming error
        raise KeyError(f"unknown placeholder {{{key}}}")


# ---------------------------------------------------------------------------
# One postmortem
# ---------------------------------------------------------------------------


def make_postmortem(n: int, started: dt.datetime, seed: int, earlier: dict, all_ids: list[str],
                    defect: str | None) -> tuple[str, str, str]:
    """Return (id, primary service, file text) of postmortem number n (1-based)."""
    rng = random.Random(f"pmbook-bench/{seed}/{n}")

    svc, svc2 = rng.sample(SERVICES, 2)
    services = [svc] + ([svc2] if rng.random() < 0.55 else [])
    trigger = rng.choice(TRIGGER_NAMES)
    by_change, cats, trig_tags = TRIGGERS[trigger]
    category = rng.choice(cats) if rng.random() < 0.8 else rng.choice(CATEGORIES)
    severity = rng.choices(SEVERITIES, SEVERITY_WEIGHTS)[0]
    region = rng.choice(REGIONS)
    dep = rng.choice(DEPENDENCIES)
    team = rng.choice(TEAMS)
    symptom = rng.choice(SYMPTOMS)

    tags = list(dict.fromkeys(trig_tags + rng.sample(TAGS, rng.randint(0, 2))))
    authors = rng.sample(AUTHORS, rng.choice([1, 1, 2, 2, 3]))

    # Times: started <= detected <= acknowledged <= mitigated <= resolved; review 24-72 h later.
    sev_scale = {"SEV1": 1.6, "SEV2": 1.2, "SEV3": 1.0, "SEV4": 0.8}[severity]
    t_detect = heavy_minutes(rng, 8, 0.9, 1, 240)
    t_ack = heavy_minutes(rng, 4, 0.7, 0, 60)
    t_mitigate = heavy_minutes(rng, 35 * sev_scale, 0.9, 3, 900)
    t_resolve = heavy_minutes(rng, 50 * sev_scale, 1.0, 2, 2400)
    detected = started + dt.timedelta(minutes=t_detect)
    acknowledged = detected + dt.timedelta(minutes=t_ack)
    mitigated = acknowledged + dt.timedelta(minutes=t_mitigate)
    resolved = mitigated + dt.timedelta(minutes=t_resolve)
    review = (resolved + dt.timedelta(hours=rng.randint(25, 70))).replace(minute=rng.choice([0, 30]))

    title_ctx = dict(svc=svc, svc2=svc2, Svc=svc.capitalize(), symptom=symptom,
                     symptom_cap=symptom[0].upper() + symptom[1:], trigger=trigger, region=region)
    title = rng.choice(TITLE_PATTERNS).format_map(title_ctx)
    pm_id = f"{started.date().isoformat()}-{slugify(title)}-{n}"

    # related: 0-2 earlier incidents, preferring ones on the same primary service.
    related: list[str] = []
    k = rng.choices([0, 1, 2], [60, 30, 10])[0]
    if k and all_ids:
        same = earlier.get(svc, [])
        pool = same[-40:] if len(same) >= k else all_ids[-200:]
        related = sorted(rng.sample(pool, min(k, len(pool))))

    ctx = Fill(
        svc=svc, svc2=svc2, svc_cap=svc.capitalize(), dep=dep, dep_cap=dep[0].upper() + dep[1:],
        region=region, team=team, trigger=trigger, symptom=symptom,
        date=started.date().isoformat(), start_hm=started.isoformat(" ", "minutes")[11:],
        resolved_hm=resolved.isoformat(" ", "minutes")[11:],
        dur_total=human_minutes(int((resolved - started).total_seconds() // 60)),
        dur_detect=human_minutes(t_detect),
        dur_mitigate=human_minutes(int((mitigated - started).total_seconds() // 60)),
        dur_status=human_minutes(rng.randint(3, 25)),
        pct=rng.choice([2, 4, 7, 11, 15, 23, 38, 60]),
        n_customers=f"{rng.randint(3, 900) * 10:,}", n_orders=f"{rng.randint(10, 4000):,}",
        n_tickets=rng.randint(2, 140), n_msgs=f"{rng.randint(1, 900) * 1000:,}",
        lat_lo=rng.choice([80, 120, 180, 250]), lat_hi=rng.choice([1200, 2500, 4000, 9000]),
        version=f"v{rng.randint(1, 9)}.{rng.randint(0, 30)}.{rng.randint(0, 9)}",
        alert=rng.choice(["HighErrorRate", "LatencyP99", "SLOBurnRate", "QueueDepth", "SyntheticCheck"]),
        n_updates=rng.randint(2, 6),
    )

    def f(tpl: str) -> str:
        return tpl.format_map(ctx)

    def pick(pool: list[str], k: int) -> list[str]:
        return [f(t) for t in rng.sample(pool, k)]

    # ---- front-matter -----------------------------------------------------
    fm = [
        ("id", toml_str(pm_id)),
        ("title", toml_str(title)),
        ("status", '"published"'),
        ("severity", toml_str(severity)),
        ("services", toml_list(services)),
        ("tags", toml_list(tags)),
        ("authors", toml_list(authors)),
        ("started_at", toml_dt(started)),
        ("detected_at", toml_dt(detected)),
        ("acknowledged_at", toml_dt(acknowledged)),
        ("mitigated_at", toml_dt(mitigated)),
        ("resolved_at", toml_dt(resolved)),
        ("review_at", toml_dt(review)),
        ("trigger", toml_str(trigger)),
        ("caused_by_change", "true" if by_change else "false"),
        ("root_cause_category", toml_str(category)),
        ("related", toml_list(related)),
        ("visibility", '"public"' if rng.random() < 0.2 else '"internal"'),
    ]
    slo = None
    if rng.random() < 0.6:
        slo = [("name", toml_str(f"{svc}-{rng.choice(['availability', 'latency'])}")),
               ("budget_consumed", f"{rng.uniform(0.01, 0.9):.2f}")]

    # ---- sections (heading, list of blocks; a block is a list of lines) ----
    timeline = [(started, f(rng.choice(TIMELINE_START))),
                (detected, f(rng.choice(TIMELINE_DETECT))),
                (acknowledged, f(rng.choice(TIMELINE_ACK)))]
    mids = rng.randint(0, 5)
    span = max(0, int((mitigated - acknowledged).total_seconds() // 60))
    mid_times = sorted(acknowledged + dt.timedelta(minutes=rng.randint(0, span)) for _ in range(mids))
    timeline += list(zip(mid_times, pick(TIMELINE_MID, mids)))
    timeline += [(mitigated, f(rng.choice(TIMELINE_MITIGATE))), (resolved, f(rng.choice(TIMELINE_RESOLVE)))]

    chain = [WHY[0]] + [WHY[j] for j in sorted(rng.sample(range(1, len(WHY)), rng.randint(2, 4)))]
    whys = [f"{i}. {f(q)} {f(a)}" for i, (q, a) in enumerate(chain, 1)]

    ish_cats = [category] + rng.sample([c for c in CATEGORIES if c != category], rng.randint(1, 3))
    ishikawa = [f"- **{c.capitalize()}**: {f(rng.choice(ISHIKAWA[c]))}" for c in ish_cats]

    n_open, n_done = rng.choice([(2, 1), (2, 2), (3, 1), (3, 2), (4, 2), (1, 2)])
    owners = AUTHORS + TEAMS
    actions = []
    for text in pick(ACTION_DONE, n_done):
        closed = started.date() + dt.timedelta(days=rng.randint(0, 10))
        actions.append(f"- [x] {text} (owner: @{rng.choice(owners)}, kind: "
                       f"{rng.choice(['fix', 'mitigate', 'fix'])}, closed: {closed})")
    for text in pick(ACTION_OPEN, n_open):
        due = started.date() + dt.timedelta(days=rng.randint(14, 90))
        actions.append(f"- [ ] {text} (owner: @{rng.choice(owners)}, due: {due}, "
                       f"kind: {rng.choice(ACTION_KINDS)}, ticket: OPS-{rng.randint(100, 9999)})")
    if rng.random() < 0.5:
        actions.reverse()

    # Prose: each section starts with two sentences from its pool, in random
    # order; the rest of the pool is kept (unformatted) to grow the file to
    # its target size without repeating a sentence.
    pools = {"summary": SUMMARY, "impact": IMPACT, "root": ROOT_CAUSE, "contrib": CONTRIB,
             "comms": COMMUNICATION, "lessons": LESSONS}
    prose: dict[str, list[str]] = {}
    extra: dict[str, list[str]] = {}
    for key, pool in pools.items():
        perm = pool[:]
        rng.shuffle(perm)
        prose[key] = [f(t) for t in perm[:2]]
        extra[key] = perm[2:]
    summary, impact, root, contrib, comms, lessons = (prose[k] for k in pools)
    target = rng.randint(SIZE_MIN, SIZE_MAX)

    def render() -> str:
        out = ["+++"]
        for key, val in fm:
            out.append(f"{key} = {val}")
        if slo:
            out.append("[slo]")
            out += [f"{key} = {val}" for key, val in slo]
        out += ["+++", "", f"# {title}", ""]
        sections = [
            ("Summary", [" ".join(summary)]),
            ("Impact", [" ".join(impact)]),
            ("Timeline", [f"- {tl_dt(t)} — {text}" for t, text in timeline]),
            ("Root cause", [" ".join(root[:3])] + ([""] + [" ".join(root[3:])] if len(root) > 3 else [])),
            ("Contributing factors", [f"- {c}" for c in contrib]),
            ("Five whys", whys),
            ("Ishikawa", ishikawa),
            ("Action items", actions),
            ("Communication", [" ".join(comms)]),
            ("Lessons learned", [f"- {x}" for x in lessons]),
        ]
        for heading, lines in sections:
            if heading == dropped_section:
                continue
            out += [f"## {heading}", ""] + lines + [""]
        return "\n".join(out)  # ends with exactly one newline

    dropped_section = None
    # Grow prose round-robin until the target size is reached.
    order = ["root", "impact", "contrib", "summary", "lessons", "comms"]
    size = len(render().encode())
    i = 0
    while size < target and any(extra[k] for k in order):
        key = order[i % len(order)]
        i += 1
        if extra[key]:
            sent = f(extra[key].pop())
            prose[key].append(sent)
            size += len(sent.encode()) + (3 if key in ("contrib", "lessons") else 1)
    # A file whose fixed parts (long timeline, many action items) came out big:
    # trim prose back to at most SIZE_CAP bytes, keeping one sentence per section.
    while size > SIZE_CAP and any(len(prose[k]) > 1 for k in order):
        key = order[i % len(order)]
        i += 1
        if len(prose[key]) > 1:
            sent = prose[key].pop()
            size -= len(sent.encode()) + (3 if key in ("contrib", "lessons") else 1)

    # ---- defects ------------------------------------------------------------
    if defect == "missing-section":
        dropped_section = rng.choice(["Impact", "Contributing factors", "Communication", "Root cause", "Summary"])
    elif defect == "time-order":
        # detected_at typed with the wrong hour: now before started_at.
        wrong = started - dt.timedelta(minutes=rng.randint(5, 90))
        fm = [(k, toml_dt(wrong) if k == "detected_at" else v) for k, v in fm]
    elif defect == "action-owner":
        for j, line in enumerate(actions):
            if line.startswith("- [ ]"):
                actions[j] = re.sub(r"owner: @[a-z0-9-]+, ", "", line)
                break
    elif defect == "field-typo":
        field, typo = rng.choice(FIELD_TYPOS)
        fm = [(typo if k == field else k, v) for k, v in fm]
    elif defect == "blameful":
        root.insert(1, f(rng.choice(BLAMEFUL)))

    return pm_id, svc, render()


# ---------------------------------------------------------------------------
# Corpus
# ---------------------------------------------------------------------------


def generate(out: Path, count: int, seed: int, broken_every: int) -> list[str]:
    master = random.Random(f"pmbook-bench/{seed}/dates")
    starts = sorted(EPOCH + dt.timedelta(minutes=master.randrange(SPAN_MINUTES)) for _ in range(count))
    pm_dir = out / "postmortems"
    pm_dir.mkdir(parents=True)
    (out / "pmbook.toml").write_text('[book]\ntitle = "Benchmark corpus"\n', encoding="utf-8")

    earlier: dict[str, list[str]] = {}
    ids: list[str] = []
    broken = 0
    for n, started in enumerate(starts, 1):
        defect = None
        if broken_every and n % broken_every == 0:
            defect = DEFECTS[broken % len(DEFECTS)]
            broken += 1
        pm_id, svc, text = make_postmortem(n, started, seed, earlier, ids, defect)
        with open(pm_dir / f"{pm_id}.md", "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
        ids.append(pm_id)
        earlier.setdefault(svc, []).append(pm_id)
    return ids


def git_commit(out: Path, count: int) -> None:
    env = dict(os.environ)
    for var in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"):
        env.pop(var, None)
    env.update(
        GIT_AUTHOR_NAME="pmbook bench", GIT_AUTHOR_EMAIL="bench@pmbook.invalid",
        GIT_COMMITTER_NAME="pmbook bench", GIT_COMMITTER_EMAIL="bench@pmbook.invalid",
        GIT_AUTHOR_DATE="2025-01-01T00:00:00+0000", GIT_COMMITTER_DATE="2025-01-01T00:00:00+0000",
    )
    cfg = ["-c", "core.hooksPath=/dev/null", "-c", "commit.gpgsign=false",
           "-c", "core.autocrlf=false", "-c", "init.defaultBranch=main"]

    def git(*args: str) -> None:
        subprocess.run(["git", *cfg, *args], cwd=out, env=env, check=True)

    git("init", "-q")
    git("add", "-A")
    git("commit", "-q", "--no-verify", "-m", f"Benchmark corpus: {count} postmortems")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("out_dir", metavar="OUT_DIR", type=Path)
    p.add_argument("--count", "-n", type=int, required=True, help="number of postmortems")
    p.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    p.add_argument("--broken-every", type=int, default=0, metavar="K",
                   help="give every K-th file one lint defect (default 0: none)")
    p.add_argument("--git", action="store_true", help="make OUT_DIR a git repository with one commit")
    a = p.parse_args(argv)
    if a.count < 0 or a.broken_every < 0:
        p.error("--count and --broken-every must be >= 0")
    if (a.out_dir / "postmortems").exists() or (a.out_dir / "pmbook.toml").exists():
        p.error(f"{a.out_dir} already holds a corpus; remove it first")
    generate(a.out_dir, a.count, a.seed, a.broken_every)
    if a.git:
        git_commit(a.out_dir, a.count)
    return 0


if __name__ == "__main__":
    sys.exit(main())
