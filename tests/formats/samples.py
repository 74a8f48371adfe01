"""The documents the format tests write in each format: ADRs with statuses and a design doc to review."""

from __future__ import annotations

from tests.formats.writers import Doc, Section

GRPC_DECISION = (
    "Internal service-to-service calls MUST use gRPC with protobuf schemas kept in the schemas repository."
)

GRPC_ADR = Doc(
    "ADR 21: Use gRPC for internal service calls",
    (
        Section("Status", ("Accepted",)),
        Section(
            "Context",
            (
                "Services call each other over hand-written REST clients, and every team writes its own "
                "retry and timeout handling.",
            ),
        ),
        Section("Decision", (GRPC_DECISION,), items=("Schemas are versioned.", "Clients are generated.")),
    ),
    page_break_before=frozenset({"Decision"}),
)

FLAGS_ADR = Doc(
    "ADR 22: Keep feature flags in LaunchDarkly",
    (
        Section("Status", ("Proposed",)),
        Section("Context", ("Feature flags live in environment variables and need a deploy to change.",)),
        Section(
            "Decision",
            ("Feature flags are kept in LaunchDarkly and read through its server-side SDK.",),
            table=(("Flag kind", "Owner"), ("release", "the team"), ("ops", "platform")),
        ),
    ),
)

TERRAFORM_ADR = Doc(
    "ADR 23: Manage cloud infrastructure with Terraform",
    (
        Section("Status", ("Deprecated",)),
        Section("Context", ("Cloud resources were created by hand in the console.",)),
        Section(
            "Decision",
            ("All cloud infrastructure is declared in Terraform modules reviewed in pull requests.",),
        ),
    ),
)

ONCALL_STANDARD = Doc(
    "On-call standard",
    (
        Section("Rules", ("Every production service has a named on-call rota with a secondary.",)),
        Section("Escalation", ("Pages unacknowledged after 15 minutes escalate to the secondary.",)),
    ),
)

# Against tests.review.corpus: ADR 9 adopted Kafka and rules RabbitMQ out.
RECEIPTS_DESIGN = Doc(
    "Receipts service",
    (
        Section("Context", ("Customers want a receipt for every payment.",)),
        Section("Proposal", ("We will publish ReceiptIssued events to the existing RabbitMQ exchange.",)),
    ),
    page_break_before=frozenset({"Proposal"}),
)
