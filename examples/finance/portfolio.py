"""Portfolio analytics: returns, volatility and rebalancing trades."""

from __future__ import annotations

import math
from typing import Mapping, Sequence

try:
    from poet import poet
except ImportError:  # without POET's runtime the functions run undecorated
    poet = lambda *_args, **_kwargs: (lambda fn: fn)  # noqa: E731


@poet(domain="financial_services", retries=2, timeout=5.0)
def portfolio_return(weights: Mapping[str, float], returns: Mapping[str, float]) -> float:
    """Weighted return of a portfolio for one period.

    Weights must sum to 1 (within 1e-6); every weighted asset needs a return.
    """
    total = sum(weights.values())
    if not math.isclose(total, 1.0, abs_tol=1e-6):
        raise ValueError(f"weights must sum to 1, got {total:.6f}")
    missing = sorted(set(weights) - set(returns))
    if missing:
        raise KeyError(f"no return for: {', '.join(missing)}")
    return sum(w * returns[asset] for asset, w in weights.items())


def annualized_volatility(period_returns: Sequence[float], periods_per_year: int = 252) -> float:
    """Sample standard deviation of period returns, scaled to a year."""
    n = len(period_returns)
    if n < 2:
        raise ValueError("need at least two returns to measure volatility")
    mean = sum(period_returns) / n
    variance = sum((r - mean) ** 2 for r in period_returns) / (n - 1)
    return math.sqrt(variance) * math.sqrt(periods_per_year)


@poet(domain="financial_services", retries=1, timeout=2.5, optimize_for="accuracy")
def rebalance_trades(
    holdings: Mapping[str, float],
    targets: Mapping[str, float],
    *,
    min_trade: float = 50.0,
) -> dict[str, float]:
    """Cash amount to buy (positive) or sell (negative) per asset to reach target weights.

    Trades smaller than ``min_trade`` are skipped to save fees.
    """
    value = sum(holdings.values())
    trades: dict[str, float] = {}
    for asset in sorted(set(holdings) | set(targets)):
        delta = targets.get(asset, 0.0) * value - holdings.get(asset, 0.0)
        if abs(delta) >= min_trade:
            trades[asset] = round(delta, 2)
    return trades
