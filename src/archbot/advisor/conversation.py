"""What a follow-up carries over from the conversation: the documents the answers so far cited, and
the salient words of the questions so far.

"who ok'd that?" or "and for the docs site?" say nothing on their own; the conversation says what
"that" is. The new question still leads: the conversation's words are added to a second retrieval,
and how much that retrieval counts depends on how much the new question finds by itself (see
`Advisor.ask`), so a self-contained question is not dragged back to the old topic.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from archbot.advisor.lifecycle import label
from archbot.kernel.lexical import LexicalIndex, tokenize
from archbot.kernel.types import Document, Turn

# Earlier user questions read for the conversation's topic, most recent first.
QUESTIONS_READ = 3
# A title this long, quoted in an answer, identifies the document (short ones like "Testing" do not).
MIN_TITLE_CHARS = 12


@dataclass(frozen=True)
class Context:
    """What the conversation so far contributes to the next question's retrieval."""

    terms: tuple[str, ...]  # the words of the questions back to the one that set the topic
    specificity: float  # the highest IDF among the last question's words the corpus knows
    cited: tuple[str, ...]  # sources the latest answer cited (first), then earlier ones

    def query(self, question: str) -> str:
        return f"{question} {' '.join(self.terms)}" if self.terms else question


def cited_in(turn: Turn, documents: Mapping[str, Document]) -> list[str]:
    """The sources an assistant turn cited: carried by the turn, or recovered from its text when the
    frontend only has the text (a Slack thread, `--history FILE`) by the paths and titles it names."""
    if turn.sources:
        return [s for s in turn.sources if s in documents]
    text = turn.text.lower()
    return [
        source
        for source, doc in documents.items()
        if source.lower() in text
        or label(doc).lower() in text
        or (len(doc.title) >= MIN_TITLE_CHARS and doc.title.lower() in text)
    ]


def context_of(
    question: str,
    history: Sequence[Turn],
    documents: Mapping[str, Document],
    lexical: LexicalIndex,
    known: Callable[[str], bool],
) -> Context:
    """`known` says whether the corpus contains a word: a word it lacks has the highest IDF of all and
    would find nothing."""
    asked = set(tokenize(question))
    previous = [t.text for t in history if t.role == "user"][::-1][:QUESTIONS_READ]
    specific = [specificity(text, lexical, known) for text in previous]
    # The topic is set by the latest question at least as specific as the one before it: a vague
    # follow-up ("what counts, then?") carries the words of the specific question it follows.
    topic = next((n for n in range(len(previous) - 1) if specific[n] >= specific[n + 1]), len(previous) - 1)
    terms = dict.fromkeys(
        word for text in previous[: topic + 1] for word in tokenize(text) if word not in asked and known(word)
    )
    cited: dict[str, None] = {}
    for turn in reversed(history):
        if turn.role == "assistant":
            cited.update(dict.fromkeys(cited_in(turn, documents)))
    return Context(terms=tuple(terms), specificity=specific[0] if previous else 0.0, cited=tuple(cited))


def specificity(text: str, lexical: LexicalIndex, known: Callable[[str], bool]) -> float:
    """How specific a question is: the IDF of its rarest word the corpus contains. "who ok'd that?" and
    "what did that adr change?" score low, "does the puppetmaster use postgres?" high."""
    return max((lexical.idf(w) for w in tokenize(text) if known(w)), default=0.0)
