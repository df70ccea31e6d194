"""Prompt building and reply parsing for LLM calls. Deterministic string work only."""

from __future__ import annotations

import json
import re
from typing import Any

try:
    from poet import poet
except ImportError:  # without POET's runtime the functions run undecorated
    poet = lambda *_args, **_kwargs: (lambda fn: fn)  # noqa: E731

_PLACEHOLDER = re.compile(r"\{([a-z_][a-z0-9_]*)\}")


@poet(domain="llm_optimization", retries=2, timeout=3.0)
def render_prompt(template: str, values: dict[str, str], strict: bool = True) -> str:
    """Fill ``{name}`` placeholders; with ``strict`` a missing value is an error."""

    def substitute(match: re.Match[str]) -> str:
        key = match.group(1)
        if key in values:
            return values[key]
        if strict:
            raise KeyError(f"template needs a value for '{key}'")
        return match.group(0)

    return _PLACEHOLDER.sub(substitute, template)


def estimate_tokens(text: str, chars_per_token: float = 4.0) -> int:
    """Rough token count for budgeting (about four characters per token for English)."""
    return max(1, round(len(text) / chars_per_token)) if text else 0


@poet(domain="llm_optimization", retries=1, timeout=2.0, enable_training=True)
def parse_json_reply(reply: str, required_keys: tuple[str, ...] = ()) -> dict[str, Any]:
    """Parse the JSON object in a model reply, tolerating a ```json fence around it."""
    fenced = re.search(r"```(?:json)?\s*(\{.*?\})\s*```", reply, re.DOTALL)
    candidate = fenced.group(1) if fenced else reply[reply.find("{") : reply.rfind("}") + 1]
    if not candidate:
        raise ValueError("reply contains no JSON object")
    data = json.loads(candidate)
    if not isinstance(data, dict):
        raise ValueError(f"expected a JSON object, got {type(data).__name__}")
    missing = [k for k in required_keys if k not in data]
    if missing:
        raise KeyError(f"reply lacks keys: {', '.join(missing)}")
    return data
