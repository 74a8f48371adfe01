"""A PDF design doc shared with the bot is downloaded, converted and reviewed in the thread."""

from __future__ import annotations

from pathlib import Path

from tests.formats.writers import Doc, Section, write_pdf
from tests.slack.fake_slack import FakeSlack
from tests.slack.harness import SlackBot

PIPELINE = Doc(
    "Payments event pipeline",
    (
        Section("Context", ("Payment services need to tell the ledger about captured payments.",)),
        Section(
            "Proposal",
            (
                "Payment services will publish PaymentCaptured domain events to RabbitMQ topic exchanges, "
                "as ADR 7 decided.",
            ),
        ),
    ),
    page_break_before=frozenset({"Proposal"}),
)


def test_shared_pdf_design_doc_is_reviewed_in_the_thread(
    bot: SlackBot, fake: FakeSlack, tmp_path: Path
) -> None:
    pdf = write_pdf(tmp_path / "pipeline.pdf", PIPELINE).read_bytes()
    fake.add_file("F0PDF", "pipeline.pdf", "pdf", pdf, "application/pdf")
    question = bot.mention(
        "CPUBLIC", "please pre-review", files=[{"id": "F0PDF", "file_access": "check_file_info"}]
    )

    fake.wait_for("chat.postMessage", thread_ts=question["ts"])
    review = fake.wait_for("chat.update", channel="CPUBLIC")[0]
    assert "Pre-review of `pipeline.pdf`" in review.blocks_text()
    first_finding = review.args["blocks"][1]["text"]["text"]
    assert "*Conflict*" in first_finding and "ADR 12 (Adopt Kafka for event streaming)" in first_finding
    assert len(fake.calls_to("download")) == 1


def test_an_unreadable_pdf_gets_a_reply_saying_why_and_what_to_share(
    bot: SlackBot, fake: FakeSlack, tmp_path: Path
) -> None:
    pdf = write_pdf(tmp_path / "locked.pdf", PIPELINE, encrypt="s3cret").read_bytes()
    file = fake.add_file("F0LOCK", "locked.pdf", "pdf", pdf, "application/pdf")
    bot.mention("CPUBLIC", "thoughts?", files=[file])

    reply = fake.wait_for("chat.update", channel="CPUBLIC")[0].blocks_text()
    assert "locked.pdf" in reply and "encrypted: export it without a password" in reply
    assert "Markdown or plain text" in reply
    assert "Traceback" not in reply and "Reference" not in reply
