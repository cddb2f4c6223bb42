"""Which assistant to build: the built-in engine, or the LLM engine around it when configured.

Kept apart from assistant/llm_engine.py so the default, offline path never imports LangChain
(about 1.5 s of start-up on these machines).
"""
from __future__ import annotations

from pathlib import Path

from .engine import Assistant
from .llm_config import load_config


def make_assistant(db_path: str | Path, env: dict[str, str] | None = None):
    if not load_config(env).enabled:
        return Assistant(db_path)
    from .llm_engine import make_assistant as make_llm_assistant
    return make_llm_assistant(db_path, env)
