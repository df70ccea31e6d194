"""HVAC helpers for a building controller: PID step, dew point, energy estimate."""

from __future__ import annotations

import math
from dataclasses import dataclass

try:
    from poet import poet
except ImportError:  # without POET's runtime the functions run undecorated
    poet = lambda *_args, **_kwargs: (lambda fn: fn)  # noqa: E731


@dataclass
class PidState:
    integral: float = 0.0
    previous_error: float = 0.0

    def reset(self) -> None:
        """Forget accumulated error, e.g. after a mode change."""
        self.integral = 0.0
        self.previous_error = 0.0


@poet(domain="building_management", retries=3, timeout=0.5)
def pid_step(
    state: PidState,
    setpoint_c: float,
    measured_c: float,
    dt_s: float = 60.0,
    kp: float = 8.0,
    ki: float = 0.05,
    kd: float = 1.0,
) -> float:
    """One PID update; returns a valve position in percent (0-100) and updates ``state``."""
    if dt_s <= 0:
        raise ValueError(f"dt_s must be positive, got {dt_s}")
    error = setpoint_c - measured_c
    state.integral = max(-500.0, min(500.0, state.integral + error * dt_s))
    derivative = (error - state.previous_error) / dt_s
    state.previous_error = error
    output = kp * error + ki * state.integral + kd * derivative
    return max(0.0, min(100.0, output))


def dew_point_c(temperature_c: float, relative_humidity_pct: float) -> float:
    """Dew point by the Magnus formula (good to about 0.4 C between -45 and 60 C)."""
    if not 0 < relative_humidity_pct <= 100:
        raise ValueError(f"relative humidity must be in (0, 100], got {relative_humidity_pct}")
    a, b = 17.62, 243.12
    gamma = math.log(relative_humidity_pct / 100.0) + a * temperature_c / (b + temperature_c)
    return round(b * gamma / (a - gamma), 2)


@poet(domain="building_management", timeout=1.0)
async def cooling_energy_kwh(floor_area_m2: float, delta_t_c: float, hours: float = 1.0, cop: float = 3.2) -> float:
    """Electrical energy to hold a temperature difference, from a simple UA model (async for I/O-bound callers)."""
    ua_w_per_k = 1.5 * floor_area_m2  # envelope conductance, W/K
    thermal_kwh = ua_w_per_k * max(0.0, delta_t_c) * hours / 1000.0
    return round(thermal_kwh / cop, 3)
