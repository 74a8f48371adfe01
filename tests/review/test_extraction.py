"""What a doc commits to, and what a decision or standard rules out: the two sides of a conflict."""

from __future__ import annotations

from archbot.advisor.review.decisions import (
    build_profile,
    contrasted_practices,
    deviates,
    exclusive_rule,
    follows_practice,
    forbidden_practices,
    goes_without,
    ruled_out_terms,
)
from archbot.advisor.review.doc import parse_design_doc
from archbot.advisor.review.proposals import absence_statements, extract_proposals, reference_sentences
from archbot.advisor.review.rules import retention_breach, retention_limits, unversioned_paths, version_rules
from archbot.advisor.review.terms import lowercase_vocabulary, mentions, terms_in
from archbot.kernel.types import Chunk, Document

DOC = """# Order events

## Background

Today we publish order events to RabbitMQ.

## Proposal

1. We will publish OrderPlaced events to Kafka instead of RabbitMQ.
2. We will store receipts in MongoDB.
3. We will not use Cassandra.
4. We could use Redis later.
5. Should we use GraphQL?
6. Orders are exposed as `GET /orders/{id}` for the dashboard.

## Alternatives considered

- We will use RabbitMQ streams: rejected, replay is immature.

## Related decisions

- ADR 3: Use RabbitMQ for domain events.
- ADR 9 supersedes ADR 3.
"""


def proposals() -> dict[int, str]:
    return {p.line: p.proposed for p in extract_proposals(parse_design_doc(DOC))}


def test_only_committed_sentences_outside_alternatives_and_background_are_proposals() -> None:
    found = proposals()
    assert sorted(found) == [9, 10, 22]  # a related-decisions item states what the doc builds on
    assert "MongoDB" in found[10]


def test_a_past_tense_subordinate_clause_does_not_make_a_commitment_history() -> None:
    doc = parse_design_doc(
        "# Notices\n\n## Observability\n\n"
        "- To keep proof, logs go to S3 and are kept for 18 months, so Support sees when a notice was sent.\n"
        "- The old notifier previously kept logs for 5 years.\n"
    )
    assert [p.line for p in extract_proposals(doc)] == [5]


def test_names_after_instead_of_are_cut_from_the_proposal() -> None:
    proposed = proposals()[9]
    assert mentions(proposed, "kafka")
    assert not mentions(proposed, "rabbitmq")


def test_reference_sections_list_the_adrs_a_doc_builds_on_but_not_history() -> None:
    refs = reference_sentences(parse_design_doc(DOC))
    assert [(r.line, r.adr_numbers) for r in refs] == [(22, (3,))]


def test_terms_are_names_not_title_case_words() -> None:
    ordinary = lowercase_vocabulary(["domain events are published", "the dashboard sessions"])
    assert terms_in("Use RabbitMQ for Domain Events", ordinary) == {"rabbitmq"}
    assert terms_in("We run Kafka on MSK, not Dashboard Sessions", ordinary) == {"kafka", "msk"}
    assert terms_in("callers send API keys", ordinary) == {"api key"}


def test_short_and_plural_forms_match() -> None:
    assert mentions("stored in Postgres", "postgresql")
    assert mentions("with a static API key", "api key")
    assert not mentions("use Redistribution", "redis")


def test_ruling_words_pick_the_names_they_apply_to() -> None:
    ordinary = frozenset()
    assert ruled_out_terms("We use Kafka instead of RabbitMQ, with Debezium.", ordinary) == {"rabbitmq"}
    assert ruled_out_terms("The relay is replaced by Debezium.", ordinary) == set()
    assert ruled_out_terms("GraphQL MUST NOT be exposed.", ordinary) == {"graphql"}
    assert ruled_out_terms("MongoDB, MySQL and others are not approved.", ordinary) == {"mongodb", "mysql"}


def test_a_contrast_under_a_condition_rules_nothing_out() -> None:
    ordinary = frozenset()
    api_guide = (
        "Use POST instead of PATCH, if the request does not modify the resource by a standard media type."
    )
    ops_standard = "Provision with Terraform instead of CloudFormation when the stack spans accounts."
    assert ruled_out_terms(api_guide, ordinary) == set()
    assert ruled_out_terms(ops_standard, ordinary) == set()
    assert ruled_out_terms("Use Terraform instead of CloudFormation.", ordinary) == {"cloudformation"}


def _adr(title: str, sections: dict[str, str], status: str = "accepted") -> tuple[Document, list[Chunk]]:
    doc = Document("adr/x.md", title, "adr", "", number=1, status=status, date="2024-01-01")
    chunks = [Chunk(f"c{i}", doc.source, i, name, text) for i, (name, text) in enumerate(sections.items())]
    return doc, chunks


def test_profile_rules_out_options_not_chosen_but_never_what_the_decision_uses() -> None:
    doc, chunks = _adr(
        "Use mutual TLS via Linkerd for service authentication",
        {
            "Considered Options": "1. Linkerd.\n2. Istio service mesh.\n"
            "3. Keep API keys, but store them in Vault.",
            "Decision Outcome": "Chosen option: **1, Linkerd**. The trust anchor is held in Vault.\n\n"
            "Application-level API keys for internal calls MUST be removed once a service is meshed.",
        },
    )
    profile = build_profile(doc, chunks)
    assert profile.title_terms == {"tls", "linkerd"}
    assert "vault" in profile.chosen and "vault" not in profile.ruled_out
    assert profile.ruled_out["api key"].explicit
    assert not profile.ruled_out["istio"].explicit


def test_under_a_heading_naming_its_option_other_names_are_comparisons_not_options() -> None:
    """Two organisations' layouts: options as headed sections ("Option 2: …") whose body compares the
    option with another product, and a plain "Considered Options" section whose sentences name them."""
    doc, chunks = _adr(
        "Restructure CI/CD",
        {
            "Options > Option 1: Concourse on EC2": "We would run Concourse on EC2 instances.",
            "Options > Option 2: One shared Kubernetes cluster": "This is similar to the way users "
            "of Heroku deploy.",
            "Decision": "We chose option 3: a Concourse per environment.",
        },
    )
    ruled = build_profile(doc, chunks).ruled_out
    assert "ec2" in ruled and "heroku" not in ruled
    doc, chunks = _adr(
        "Use Kafka for domain events",
        {"Considered Options": "We looked at RabbitMQ and at Amazon SQS.", "Decision": "We will use Kafka."},
    )
    assert {"rabbitmq", "sqs"} <= set(build_profile(doc, chunks).ruled_out)


def test_a_rule_permitting_a_name_records_what_for() -> None:
    doc, chunks = _adr(
        "Use PostgreSQL as the primary datastore",
        {"Decision": "Caches (for example Redis) are allowed when the data can be rebuilt from PostgreSQL."},
    )
    allowed = build_profile(doc, chunks).allowed
    assert set(allowed) == {"redis"}, "PostgreSQL is named, not permitted"
    assert "cach" in allowed["redis"]
    doc, chunks = _adr("Adopt Kafka", {"Decision": "Redis is not allowed for events."})
    assert build_profile(doc, chunks).allowed == {}


def test_a_prohibition_forbids_multi_word_practices_for_its_subject() -> None:
    rule = "Secrets MUST NOT be committed to Git, baked into images or passed as environment variables."
    [practice] = forbidden_practices(rule)  # "git" and "images" alone would match too much
    assert practice.phrase == "environment variables"
    assert follows_practice(
        "API credentials come from a Kubernetes Secret as environment variables.", practice
    )
    assert not follows_practice("Feature flags are read from environment variables.", practice), "no secret"
    assert not follows_practice(
        "Secrets are mounted as files; variables of the environment stay empty.", practice
    )
    assert forbidden_practices("Services MUST NOT be deployed by hand.") == [], "the subject says nothing"


def test_a_rule_naming_the_way_it_excludes_forbids_that_way_in_any_order() -> None:
    """Two organisations' phrasings: a CI standard ("and not using …") and a secrets rule ("rather
    than …"). The excluded way may be named in any order, never beside the required one."""
    ci = (
        "When accessing the cloud account you must authenticate using OpenID Connect "
        "and not using a deploy user's access key."
    )
    [keys] = contrasted_practices(ci)
    assert set(keys.stems) == {"deploy", "user", "access", "key"}
    assert follows_practice(
        "The pipeline reaches the cloud account with the access key of a deploy user.", keys
    )
    assert not follows_practice(
        "The pipeline reaches the cloud account through OpenID Connect; no deploy user access key exists.",
        keys,
    ), "the required way is named"
    assert not follows_practice("Developers rotate the access key of their deploy user.", keys), "no subject"

    vault = (
        "Service credentials must be read from the vault at start-up "
        "rather than from plain environment variables."
    )
    [env] = contrasted_practices(vault)
    assert set(env.stems) == {"plain", "environ", "variabl"}
    assert follows_practice(
        "Each service reads its database credentials from plain environment variables.", env
    )
    assert contrasted_practices("Services must not use environment variables.") == [], (
        "a prohibition, no contrast"
    )
    assert contrasted_practices("Use OIDC and not access keys.") == [], "no rule word, no subject"


def test_an_excluded_way_named_by_its_head_noun_alone_stands_for_the_required_way_with_it() -> None:
    """Two organisations' phrasings: an API guideline ("(and not e.g. an array)") and a messaging
    standard ("rather than a queue"). The excluded way keeps the required way's modifier, word for
    word, and needs retrieval to tie the rule to the sentence."""
    api = (
        "In a response body, you must always return a JSON object (and not e.g. an array) as a "
        "top level data structure to support future extensibility."
    )
    [array] = contrasted_practices(api)
    assert array.stems == ("json", "array") and array.retrieved
    assert follows_practice("`GET /orders` returns the orders as a JSON array of order objects.", array)
    assert not follows_practice("`GET /orders` returns a JSON object with an `items` array.", array)
    assert not follows_practice("The import job reads a JSON array of rows from the bucket.", array), (
        "neither the subject nor the required verb"
    )

    events = "Producers must publish each event to a Kafka topic rather than a queue."
    [queue] = contrasted_practices(events)
    assert queue.stems == ("kafka", "queue")
    assert follows_practice("The billing service will publish invoices to a Kafka queue.", queue)
    assert not follows_practice("The billing service will publish invoices to a Kafka topic.", queue)
    assert contrasted_practices("You must return an object (and not an array).") == [], (
        "no modifier to keep: one word is too little to match"
    )


def test_a_rule_permitting_some_ways_forbids_a_sentence_that_follows_none_of_them() -> None:
    """Two organisations' phrasings: a front-end ADR's script-loading list and a platform standard's
    deployment routes, each "<the permitted ways>" then "all/any other … is prohibited"."""
    scripts = exclusive_rule(
        "Load scripts in the head as deferred, or as async at the bottom of the HTML body section",
        "All other script loading (other than for commercial third-party code) is prohibited",
    )
    assert scripts is not None and len(scripts.ways) == 2
    assert deviates("We will add a blocking `<script>` in the document `<head>`.", scripts)
    assert not deviates("The widget's script is loaded in the head with `defer`.", scripts)
    assert not deviates("Its script loads async at the bottom of the body.", scripts)
    assert not deviates("A commercial third-party script sits in the head.", scripts), "the exception"
    assert not deviates("We render the page head on the server.", scripts), "not about scripts"

    deploys = exclusive_rule(
        "Deploy to production through the release pipeline, or through the emergency change process.",
        "Any other route to production must not be used.",
    )
    assert deploys is not None
    assert deviates("Engineers will deploy hotfixes to production from their laptops.", deploys)
    assert not deviates("Engineers will copy the build to production from their laptops.", deploys), (
        "naming no part of a permitted way is too little to tell"
    )
    assert not deviates("Each merge goes to production through the release pipeline.", deploys)
    assert exclusive_rule("Load scripts deferred.", "Other script loading is discouraged.") is None


def test_a_profile_reads_the_permitted_ways_from_the_sentence_before_the_prohibition() -> None:
    doc, chunks = _adr(
        "JavaScript loading",
        {
            "Decision": "- Load scripts in the head as deferred, or as async at the end of the body\n"
            "- All other script loading is prohibited\n- Scripts have one purpose each",
        },
    )
    [rule] = build_profile(doc, chunks).exclusive
    assert rule.subject == {"script", "load"}
    context, _ = _adr("x", {})
    _, chunks = _adr("x", {"Context": "Load scripts inline, or as tags.\nAll other loading is prohibited."})
    assert build_profile(context, chunks).exclusive == (), "context sections rule nothing"


def test_a_design_going_without_what_a_rule_requires_for_its_subject() -> None:
    """Two organisations' standards: an API security rule whose section's guidance names the token,
    and an operations standard requiring backups. A design going without a required word for the
    rule's subject breaks it; one naming another subject, or denying it outright, does not."""
    security = Document("chapters/security.adoc", "Security", "standard", "")
    section = "{MUST} secure endpoints"
    text = (
        "Every API endpoint must be protected with authentication and authorization.\n\n"
        "You should use the bearer security scheme with the `Authorization: Bearer <token>` header."
    )
    [endpoint, *_] = build_profile(security, [Chunk("s", security.source, 0, section, text)]).requirements
    assert endpoint.subject == {"endpoint"} and "token" in endpoint.needs
    assert goes_without("The internal endpoints accept requests without a token.", endpoint)
    assert not goes_without("The batch job runs without a token.", endpoint), "another subject"
    assert not goes_without("The internal endpoints accept requests without a trailing slash.", endpoint)

    backups = Document("standards/data.md", "Data", "standard", "")
    rule = "Production databases must have point-in-time backups kept for 35 days."
    [database] = build_profile(backups, [Chunk("d", backups.source, 0, "Backups", rule)]).requirements
    assert goes_without("The reporting database will run with no backups to save cost.", database)

    doc = parse_design_doc(
        "# D\n\n## Design\n\nThe endpoints accept requests without a token.\n"
        "We will not run endpoints without a token.\nEndpoints could run without a token.\n\n"
        "## Alternatives\n\nEndpoints without a token.\n"
    )
    assert [s.line for s in absence_statements(doc)] == [5], "denied, hedged and elsewhere are not statements"


def test_only_what_must_not_be_comes_before_a_prohibition() -> None:
    ordinary = lowercase_vocabulary(["features are read from the online feature store"])
    rule = "Features are read from Redis, rebuilt from PostgreSQL, and must not require calls to services."
    assert ruled_out_terms(rule, ordinary) == set()
    assert ruled_out_terms("GraphQL MUST NOT be exposed to merchants.", ordinary) == {"graphql"}


def test_context_sections_do_not_rule_anything_out() -> None:
    doc, chunks = _adr("Adopt Kafka", {"Context": "We will not use RabbitMQ any more, instead of Redis."})
    assert build_profile(doc, chunks).ruled_out == {}


RETENTION = Chunk(
    "r",
    "standards/retention.md",
    0,
    "Schedule",
    "| Data class | Retention |\n|---|---|\n"
    "| Application logs | **30 days** |\n| Payment records | 10 years |",
)


def test_retention_breach_needs_the_whole_data_class_and_a_longer_period() -> None:
    limits = retention_limits([RETENTION])
    assert [(limit.data_class, round(limit.max_days)) for limit in limits] == [
        ("Application logs", 30),
        ("Payment records", 3652),  # ten years of 365.25 days
    ]
    assert (
        retention_breach("Application logs will be retained for 1 year.", limits).data_class
        == "Application logs"
    )
    assert retention_breach("Audit logs will be retained for 1 year.", limits) is None
    assert retention_breach("Application logs are kept for 14 days.", limits) is None
    assert retention_breach("Payment records are kept for 10 years.", limits) is None


def test_version_rules_and_unversioned_paths() -> None:
    chunk = Chunk(
        "v",
        "standards/api.md",
        0,
        "",
        "- Every endpoint MUST be served under a major version path prefix (`/v1/`).",
    )
    assert version_rules([chunk])
    assert unversioned_paths("exposed as `GET /refunds/report` and `POST /v2/refunds`") == ["/refunds/report"]
    assert unversioned_paths("probes: GET /health") == []


def test_a_rule_against_the_version_in_the_path_does_not_require_it() -> None:
    against = [
        "We do not use URL versioning, instead we MUST use media type versioning with content negotiation.",
        "Breaking changes MUST be versioned in the media type (see MUST not use URL versioning).",
        "Clients never see path versioning: a new major version MUST be negotiated in the Accept header.",
    ]
    chunks = [Chunk(f"v{i}", "guides/api.md", i, "", text) for i, text in enumerate(against)]
    assert version_rules(chunks) == []


def test_bounds_need_a_rule_word_and_break_only_for_the_same_thing() -> None:
    from archbot.advisor.review.quantities import bounds_in, breach
    from archbot.kernel.types import Chunk

    budget = Chunk(  # a frontend team's performance budget
        "b",
        "web/budgets.md",
        0,
        "",
        "## Our critical JavaScript bundle size will not exceed 120KB\n\n"
        "53% of visits are abandoned if a page takes more than 3 seconds to load.\n",
    )
    platform = Chunk(  # a platform standard, lower bound in MUST form
        "p",
        "platform/backups.md",
        1,
        "",
        "Database backups MUST be kept for at least thirty days.\n\n"
        "Failed deliveries (no response within 10 seconds) are retried.\n",
    )
    bounds = bounds_in([budget, platform])
    assert [(b.upper, b.quantity.text) for b in bounds] == [(True, "120KB"), (False, "thirty days")]
    found = breach("This puts the page at about 152KB of critical JavaScript.", bounds)
    assert found is not None and found[1].text == "152KB"
    assert breach("Images on the page add 300KB.", bounds) is None  # not what the rule bounds
    assert breach("Database backups are kept for 14 days.", bounds) is not None
    assert breach("Database backups are kept for 90 days.", bounds) is None


def test_naming_rules_and_json_keys_in_two_conventions() -> None:
    from archbot.advisor.review.naming import breach, json_keys, naming_rules
    from archbot.kernel.types import Chunk

    rules = naming_rules(
        [
            Chunk(
                "a",
                "api/json.adoc",
                0,
                "",
                "== {MUST} property names must be snake_case (and never camelCase)",
            ),
            Chunk(
                "b", "style/json.md", 0, "", "JSON field names MUST be camelCase.\n\nWe like snake_case food."
            ),
        ]
    )
    assert [r.style for r in rules] == ["snake_case", "camelCase"]
    doc = '# API\n\n```json\n{\n  "status": "OPEN",\n  "returnId": "r-1",\n  "order_number": "9"\n}\n```\n'
    keys = json_keys(doc)
    assert [k for _, _, k in keys] == ["status", "returnId", "order_number"]
    snake, camel = (breach(rule, keys) for rule in rules)
    assert snake is not None and (snake.key, snake.style, snake.line) == ("returnId", "camelCase", 6)
    assert camel is not None and (camel.key, camel.style) == ("order_number", "snake_case")
    assert breach(rules[0], json_keys('```json\n{"status": "OPEN", "order_id": 1}\n```\n')) is None
    assert json_keys('"returnId": 1 outside a code block') == []
