"""The optional LLM answerer: any LangChain chat model, with citations checked against its sources.

Every failure here (no key, timeout, rate limit, provider error, an answer without a valid citation)
is reported as `LLMError`; the advisor then falls back to the offline answer and says so.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from archbot.advisor.citations import cited_numbers, validate_citations
from archbot.advisor.context import Source
from archbot.kernel.errors import ConfigError, LLMError
from archbot.kernel.prompts import load_prompt
from archbot.kernel.settings import Settings
from archbot.kernel.types import Turn

PROVIDERS_WITH_RETRY_TIMEOUT = {
    "openai",
    "anthropic",
    "azure_openai",
    "mistralai",
    "groq",
    "fireworks",
    "together",
}


def make_chat_model(settings: Settings):
    """The chat model named by ARCHBOT_LLM (`provider:model`), or None for the offline answerer."""
    if not settings.llm:
        return None
    if ":" not in settings.llm:
        raise ConfigError(
            f"ARCHBOT_LLM={settings.llm!r} does not name a provider.",
            "Use `provider:model`, e.g. openai:gpt-4o-mini, anthropic:claude-sonnet-4-5 or ollama:llama3.1.",
        )
    from langchain.chat_models import init_chat_model

    provider, model = settings.llm.split(":", 1)
    kwargs: dict = {}
    if settings.llm_base_url:
        kwargs["base_url"] = settings.llm_base_url
    if settings.llm_api_key:
        kwargs["api_key"] = settings.llm_api_key
    elif settings.llm_base_url and provider == "openai":
        kwargs["api_key"] = "not-needed"  # local OpenAI-compatible servers ignore the key
    if provider in PROVIDERS_WITH_RETRY_TIMEOUT:
        kwargs.update(timeout=settings.llm_timeout_s, max_retries=1)
    try:
        return init_chat_model(model, model_provider=provider, **kwargs)
    except Exception as exc:
        raise ConfigError(
            f"Cannot set up the chat model {settings.llm!r}: {exc}",
            "Check ARCHBOT_LLM, the provider's API key variable and that its LangChain integration "
            "is installed.",
        ) from exc


def format_sources(sources: Sequence[Source]) -> str:
    """Numbered, delimited sources with their metadata; document text is escaped so it cannot close a tag."""
    blocks = []
    for s in sources:
        doc = s.document
        attrs = {
            "n": s.n,
            "title": doc.title,
            "kind": doc.kind,
            "status": doc.status or "unknown",
            "date": doc.when or "unknown",
            "source": doc.source,
        }
        if doc.updated:
            attrs["updated"] = doc.updated
        if doc.owners:
            attrs["deciders" if doc.deciders else "authors"] = ", ".join(doc.owners)
        if doc.superseded_by:
            attrs["superseded_by"] = ", ".join(doc.superseded_by)
        attr_text = " ".join(f'{k}="{html.escape(str(v), quote=True)}"' for k, v in attrs.items())
        body = "\n\n".join(f"[{c.section}]\n{c.text}" if c.section else c.text for c in s.hit.chunks[:3])
        blocks.append(f"<source {attr_text}>\n{html.escape(body, quote=False)}\n</source>")
    return "\n\n".join(blocks)


def format_history(history: Sequence[Turn]) -> str:
    if not history:
        return ""
    lines = [f"{t.role}: {t.text}" for t in history[-6:]]
    return "Conversation so far:\n" + "\n".join(lines) + "\n\n"


def llm_answer(
    model, settings: Settings, question: str, history: Sequence[Turn], sources: Sequence[Source]
) -> str:
    """The model's answer with invalid citations removed; LLMError if nothing valid is left."""
    from langchain_core.messages import HumanMessage, SystemMessage

    system = load_prompt(settings, "answer_system.md")
    user = load_prompt(settings, "answer_user.md").format(
        history=format_history(history), sources=format_sources(sources), question=question
    )
    try:
        text = "".join(
            _text(chunk.content) for chunk in model.stream([SystemMessage(system), HumanMessage(user)])
        )
    except Exception as exc:
        raise LLMError(f"the model call failed ({type(exc).__name__})") from exc
    cleaned = validate_citations(text, {s.n for s in sources}).strip()
    if not cited_numbers(cleaned):
        raise LLMError("the model's answer cited none of the sources it was given")
    return cleaned


def _text(content) -> str:
    """Chunk content is a string for most providers, a list of typed blocks for some."""
    if isinstance(content, str):
        return content
    return "".join(part.get("text", "") for part in content if isinstance(part, dict))
