"""POET runtime hook (standard library only).

    from poet import poet

    @poet(domain="financial_services", retries=2)
    def assess(income: float) -> float: ...

At import time ``@poet`` looks for the nearest ``.dana/poet/`` above the function's file, finds
the function's current version there and, when that version was generated from the function's
current source (same function-text hash), returns the enhanced function from that version's
``enhanced.py``. Otherwise it returns the function unchanged and warns once, naming the command
that enhances it. The decorator's arguments are read by the generator from the source; at run
time they are not needed.
"""
from ._hook import PoetWarning, find_version, function_text_hash, poet

__all__ = ["poet", "PoetWarning", "find_version", "function_text_hash"]
