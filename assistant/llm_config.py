"""Settings for the optional LLM engine: off unless someone turns it on.

Read from a TOML file (`$BUDGETQA_LLM_CONFIG`, else `~/.config/budgetqa/llm.toml`) and then
from environment variables, which win:

    BUDGETQA_LLM           off | openai | ollama        (default off)
    BUDGETQA_LLM_MODEL     model name                   (default per provider, see DEFAULT_MODELS)
    BUDGETQA_LLM_BASE_URL  server URL (an OpenAI-compatible endpoint, or the Ollama server)
    BUDGETQA_LLM_API_KEY   API key (openai; langchain-openai also reads OPENAI_API_KEY)

The TOML file holds the same settings without the prefix, plus the tuning knobs:

    provider = "ollama"
    model = "qwen2.5:7b-instruct"
    base_url = "http://localhost:11434"
    temperature = 0.0
    timeout_s = 60
    summary = true        # let the model add one sentence (numbers in it are checked)
    context_tokens = 16384  # Ollama only: its default window is too small for the schema prompt

The chat model libraries are the optional extra `budgetqa[llm]`; they are imported only when
a model is built, so the product runs offline without them.
"""
from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

PROVIDERS = ("off", "openai", "ollama")
DEFAULT_MODELS = {"openai": "gpt-4o-mini", "ollama": "qwen2.5:7b-instruct"}
ENV = {"provider": "BUDGETQA_LLM", "model": "BUDGETQA_LLM_MODEL", "base_url": "BUDGETQA_LLM_BASE_URL",
       "api_key": "BUDGETQA_LLM_API_KEY"}
CONFIG_ENV = "BUDGETQA_LLM_CONFIG"
_FILE_KEYS = {"provider", "model", "base_url", "api_key", "temperature", "timeout_s", "summary", "context_tokens"}


class LLMConfigError(Exception):
    """The LLM settings are invalid, or the chat model library they need is not installed."""


@dataclass(frozen=True)
class LLMConfig:
    provider: str = "off"
    model: str | None = None
    base_url: str | None = None
    api_key: str | None = field(default=None, repr=False)  # never printed with the settings
    temperature: float = 0.0
    timeout_s: float = 60.0
    summary: bool = True
    context_tokens: int = 16384
    source: str = "默认设置"  # where the settings came from, for messages

    @property
    def enabled(self) -> bool:
        return self.provider != "off"

    @property
    def model_name(self) -> str:
        return self.model or DEFAULT_MODELS.get(self.provider, "")


def default_config_path(env: Mapping[str, str]) -> Path:
    base = env.get("XDG_CONFIG_HOME") or str(Path(env.get("HOME") or Path.home()) / ".config")
    return Path(base) / "budgetqa" / "llm.toml"


def load_config(env: Mapping[str, str] | None = None) -> LLMConfig:
    """The settings in force: the TOML file if there is one, then the environment over it."""
    env = os.environ if env is None else env
    config = LLMConfig()
    explicit = env.get(CONFIG_ENV)
    path = Path(explicit).expanduser() if explicit else default_config_path(env)
    if explicit and not path.is_file():
        raise LLMConfigError(f"{CONFIG_ENV}={explicit}：文件不存在 (LLM config file not found)。")
    if path.is_file():
        config = replace(_from_file(path), source=str(path))
    overrides = {key: env[name].strip() for key, name in ENV.items() if env.get(name, "").strip()}
    if overrides:
        config = replace(config, **overrides, source="环境变量")
    return _validated(replace(config, provider=config.provider.lower()))


def _from_file(path: Path) -> LLMConfig:
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        try:
            import tomli as tomllib  # type: ignore[no-redef]
        except ModuleNotFoundError as exc:
            raise LLMConfigError(f"读取 {path} 需要 Python 3.11 或 tomli 包 (pip install tomli)。") from exc
    try:
        data: dict[str, Any] = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise LLMConfigError(f"无法读取 LLM 配置 {path}：{exc}") from exc
    unknown = sorted(set(data) - _FILE_KEYS)
    if unknown:
        raise LLMConfigError(f"LLM 配置 {path} 中有未知的设置：{', '.join(unknown)}（可用：{', '.join(sorted(_FILE_KEYS))}）。")
    try:
        return LLMConfig(provider=str(data.get("provider", "off")), model=data.get("model"),
                         base_url=data.get("base_url"), api_key=data.get("api_key"),
                         temperature=float(data.get("temperature", 0.0)),
                         timeout_s=float(data.get("timeout_s", 60.0)), summary=bool(data.get("summary", True)),
                         context_tokens=int(data.get("context_tokens", 16384)))
    except (TypeError, ValueError) as exc:
        raise LLMConfigError(f"LLM 配置 {path} 中的数值无效：{exc}") from exc


def _validated(config: LLMConfig) -> LLMConfig:
    if config.provider not in PROVIDERS:
        raise LLMConfigError(f"未知的 LLM 提供方“{config.provider}”（来自 {config.source}）：可用 {' | '.join(PROVIDERS)}。")
    return config


def build_chat_model(config: LLMConfig):
    """The LangChain chat model the settings name; a clear error when its library is missing."""
    if config.provider == "openai":
        try:
            from langchain_openai import ChatOpenAI
        except ImportError as exc:
            raise LLMConfigError("BUDGETQA_LLM=openai 需要 langchain-openai：pip install 'budgetqa[llm]'") from exc
        kwargs: dict[str, Any] = {"model": config.model_name, "temperature": config.temperature,
                                  "timeout": config.timeout_s, "max_retries": 1}
        if config.base_url:
            kwargs["base_url"] = config.base_url
        if config.api_key:
            kwargs["api_key"] = config.api_key
        return ChatOpenAI(**kwargs)
    if config.provider == "ollama":
        try:
            from langchain_ollama import ChatOllama
        except ImportError as exc:
            raise LLMConfigError("BUDGETQA_LLM=ollama 需要 langchain-ollama：pip install 'budgetqa[llm]'") from exc
        kwargs = {"model": config.model_name, "temperature": config.temperature, "num_ctx": config.context_tokens,
                  "client_kwargs": {"timeout": config.timeout_s}}
        if config.base_url:
            kwargs["base_url"] = config.base_url
        return ChatOllama(**kwargs)
    raise LLMConfigError("LLM 引擎未开启 (BUDGETQA_LLM=off)：没有可构建的模型。")
