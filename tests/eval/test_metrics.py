"""Every metric against values worked out by hand."""

from __future__ import annotations

import math

import numpy as np
import pytest

from archbot.eval import metrics as m


def test_recall_at_k() -> None:
    ranked = ["a", "b", "c", "d"]
    assert m.recall_at_k(ranked, ["c", "x"], 2) == 0.0
    assert m.recall_at_k(ranked, ["c", "x"], 3) == 0.5
    assert m.recall_at_k(ranked, ["a", "d"], 10) == 1.0
    assert m.recall_at_k(ranked, [], 5) is None


def test_reciprocal_rank() -> None:
    assert m.reciprocal_rank(["x", "a", "b"], ["b", "a"]) == 0.5
    assert m.reciprocal_rank(["x", "y"], ["a"]) == 0.0
    assert m.reciprocal_rank(["x", "a"], ["a"], k=1) == 0.0
    assert m.reciprocal_rank(["x"], []) is None


def test_ndcg_binary() -> None:
    # DCG = 1/log2(3) + 1/log2(4); ideal = 1 + 1/log2(3)
    expected = (1 / math.log2(3) + 0.5) / (1 + 1 / math.log2(3))
    assert m.ndcg_at_k(["x", "a", "b"], {"a": 1.0, "b": 1.0}, 10) == pytest.approx(expected)
    assert m.ndcg_at_k(["x", "a", "b"], {"a": 1.0, "b": 1.0}, 10) == pytest.approx(0.693426, abs=1e-6)
    assert m.ndcg_at_k(["a", "b"], {"a": 1.0, "b": 1.0}) == pytest.approx(1.0)


def test_ndcg_graded_and_cutoff() -> None:
    # DCG = 1 + 2/log2(3) = 2.26186; ideal = 2 + 1/log2(3) = 2.63093
    assert m.ndcg_at_k(["b", "a"], {"a": 2.0, "b": 1.0}) == pytest.approx(0.859719, abs=1e-6)
    assert m.ndcg_at_k(["x", "a"], {"a": 1.0}, k=1) == 0.0
    assert m.ndcg_at_k(["a"], {"a": 0.0}) is None
    # a duplicate in the ranking earns nothing twice
    assert m.ndcg_at_k(["a", "a"], {"a": 1.0, "b": 1.0}) == pytest.approx(1 / (1 + 1 / math.log2(3)))


def test_citation_markers_and_validity() -> None:
    text = "Kafka [1]. RabbitMQ [3]. Both [1, 2]."
    assert m.citation_markers(text) == [1, 3, 1, 2]
    assert m.citation_validity(text, [1, 2]) == 0.75
    assert m.citation_validity(text, [1, 2, 3]) == 1.0
    assert m.citation_validity("no markers here", [1]) is None


def test_citation_precision_and_recall() -> None:
    assert m.citation_precision(["a", "b", "a"], ["a", "c"]) == 0.5
    assert m.citation_recall(["a", "b"], ["a", "c", "d", "e"]) == 0.25
    assert m.citation_precision([], ["a"]) is None
    assert m.citation_recall(["a"], []) is None
    assert m.citation_precision(["a"], []) == 0.0


def test_abstention_correct() -> None:
    assert m.abstention_correct(True, True) == 1.0
    assert m.abstention_correct(False, False) == 1.0
    assert m.abstention_correct(True, False) == 0.0
    assert m.abstention_correct(False, True) == 0.0


def test_token_f1() -> None:
    # pred [cat, sat], gold [cat, sat, down]: P = 1, R = 2/3, F1 = 0.8
    assert m.token_f1("The cat sat [1].", "a cat sat down") == pytest.approx(0.8)
    assert m.token_f1("Kafka", "Kafka!") == 1.0
    assert m.token_f1("nothing alike", "entirely different") == 0.0
    assert m.token_f1("", "") == 1.0
    assert m.token_f1("", "something") == 0.0


def test_cosine() -> None:
    assert m.cosine(np.array([1.0, 0.0]), np.array([1.0, 1.0])) == pytest.approx(1 / math.sqrt(2))
    assert m.cosine(np.zeros(2), np.array([1.0, 0.0])) == 0.0


def test_must_say_ignores_case_and_markers() -> None:
    assert m.must_say_matched("We moved to KAFKA [1].", "kafka") == 1.0
    assert m.must_say_matched("Still RabbitMQ [1].", r"10\.13") == 0.0
    assert m.must_say_matched("see [12]", r"12") == 0.0


def test_claims_split_lines_and_sentences_and_drop_short_ones() -> None:
    text = "# Answer\n- Kafka is the event bus [1]. It keeps events for 7 days [1].\nIn short: yes."
    assert m.claims(text) == [("Kafka is the event bus [1].", [1]), ("It keeps events for 7 days [1].", [1])]


def test_a_marker_after_the_full_stop_belongs_to_its_sentence() -> None:
    text = "We will use Kafka for domain events. [1] Events are kept for 7 days. [2, 3]"
    assert m.claims(text) == [
        ("We will use Kafka for domain events [1].", [1]),
        ("Events are kept for 7 days [2, 3].", [2, 3]),
    ]


def test_groundedness() -> None:
    text = "Kafka is the event bus for all services [1]. Logs are kept for thirty days [2]. Short one."
    excerpts = {1: "We use Kafka as the event bus for services.", 2: "Metrics retention is 13 months."}
    # claim 1: {kafka, event, bus, services} all in excerpt 1 -> supported
    # claim 2: {logs, kept, thirty, days} none in excerpt 2 -> unsupported; "Short one." is no claim
    assert m.groundedness(text, excerpts) == 0.5
    # a marker for a citation that was not given supports nothing
    assert m.groundedness("Kafka is the event bus for services [3].", excerpts) == 0.0
    # an uncited claim is unsupported even if an excerpt says it
    assert m.groundedness("Kafka is the event bus for services.", excerpts) == 0.0
    assert m.groundedness("", excerpts) is None


def test_support_threshold_is_inclusive() -> None:
    # content words {kafka, event, bus, topics}: 2 of 4 in the excerpt = exactly 0.5
    assert m.support("Kafka event bus topics", "kafka event") == 0.5
    assert m.groundedness("Kafka event bus topics [1]", {1: "kafka event"}) == 1.0


def test_mean_defined_and_percentile() -> None:
    assert m.mean_defined([1.0, None, 0.0]) == 0.5
    assert m.mean_defined([None]) is None
    assert m.percentile([10, 20, 30, 40], 50) == 25.0
    assert m.percentile([10, 20, 30, 40], 95) == pytest.approx(38.5)
    assert m.percentile([], 50) is None


def test_paired_bootstrap_constant_shift_has_a_zero_width_interval() -> None:
    a = [0.1, 0.5, 0.9, 0.3]
    delta, low, high = m.paired_bootstrap(a, [x + 0.25 for x in a])
    assert delta == pytest.approx(0.25)
    assert low == pytest.approx(0.25)
    assert high == pytest.approx(0.25)


def test_paired_bootstrap_interval_brackets_a_noisy_change() -> None:
    delta, low, high = m.paired_bootstrap([0, 0, 0, 0, 0, 0], [1, 1, 1, 1, 0, 0])
    assert delta == pytest.approx(4 / 6)
    assert 0 < low <= delta <= high <= 1
    assert m.paired_bootstrap([0, 0, 0, 0, 0, 0], [1, 1, 1, 1, 0, 0]) == (delta, low, high)  # fixed seed


def test_paired_bootstrap_with_a_percentile_statistic() -> None:
    a, b = [100.0, 200.0, 300.0], [110.0, 210.0, 310.0]
    delta, low, high = m.paired_bootstrap(a, b, statistic=lambda x: float(np.percentile(x, 95)))
    assert (delta, low, high) == pytest.approx((10.0, 10.0, 10.0))


def test_paired_bootstrap_rejects_unpaired_input() -> None:
    with pytest.raises(ValueError):
        m.paired_bootstrap([1.0], [1.0, 2.0])
    with pytest.raises(ValueError):
        m.paired_bootstrap([], [])
