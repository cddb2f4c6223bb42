"""Which assistant to build: the built-in engine, or the LLM engine around it when configured.

Kept apart from assistant/llm_engine.py so the default, offline path never imports LangChain
(about 1.5 s of start-up on these machines).
"""
from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from .engine import Assistant
from .llm_config import LLMConfig, load_config


def make_assistant(db_path: str | Path, env: Mapping[str, str] | None = None):
    """Raises LLMConfigError when an LLM is configured but cannot be built (the CLI stops with
    that message; the app says it and goes on with the built-in engine)."""
    if not load_config(env).enabled:
        return Assistant(db_path)
    from .llm_engine import make_assistant as make_llm_assistant
    return make_llm_assistant(db_path, env)


def engine_description(config: LLMConfig) -> str:
    """One line for people: which engine answers, and where its settings came from."""
    if not config.enabled:
        return "内置引擎（离线）；大模型未开启（BUDGETQA_LLM=off）"
    where = f"，{config.base_url}" if config.base_url else ""
    return (f"内置引擎优先；它无法理解的问题交给大模型 {config.provider} · {config.model_name}{where}"
            f"（设置来自 {config.source}），其 SQL 经同一检查")
