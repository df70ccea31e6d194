// building_management: HVAC control. Temperatures may come with units ("72°F", "22C") and are
// normalised to the configured unit; setpoints stay within comfort limits; actuator outputs
// (heating, cooling, fan, damper, valve) are percentages, and heating and cooling never run together.
import { z } from 'zod';
import { matchesPattern, type InputRule } from '../rules/schema';
import { num, type DomainDefinition } from './types';

export const building_management: DomainDefinition = {
  name: 'building_management',
  description: 'Temperatures with units, plausible ranges, setpoint limits and occupancy; actuator outputs 0–100 and never heating with cooling.',
  origin: 'builtin',
  params: {
    temperature_unit: { schema: z.enum(['F', 'C']), default: 'F', description: 'Unit temperatures are normalised to.' },
    min_setpoint: { schema: z.number(), default: 55, description: 'Lowest setpoint accepted (in temperature_unit).' },
    max_setpoint: { schema: z.number(), default: 90, description: 'Highest setpoint accepted (in temperature_unit).' },
    max_occupancy: { schema: z.number().int().min(0), default: 10000, description: 'Largest occupant count accepted.' },
    exclusive_threshold: { schema: z.number().min(0).max(100), default: 10, description: 'Heating and cooling may not both exceed this percentage.' },
  },
  learnableParams: [
    { key: 'timeout', min: 5, max: 60, default: 20, description: 'Seconds per attempt.' },
    { key: 'exclusive_threshold', min: 0, max: 50, default: 10, description: 'Heating/cooling overlap tolerated (percent).' },
  ],
  rules(v, fn) {
    const configured = v.temperature_unit === 'C' ? 'C' : 'F';
    const toUnit = (f: number, unit: 'C' | 'F') => (unit === 'C' ? Math.round((((f - 32) * 5) / 9) * 10) / 10 : f);
    const setMin = num(v.min_setpoint, 55);
    const setMax = num(v.max_setpoint, 90);
    // A name ending in _c / _celsius (or _f / _fahrenheit) says its unit; otherwise temperature_unit applies.
    const unitOf = (name: string): 'C' | 'F' => (/(_c|celsius)$/i.test(name) ? 'C' : /(_f|fahrenheit)$/i.test(name) ? 'F' : configured);
    const inputs: InputRule[] = [];
    for (const p of fn.params) {
      const isSetpoint = matchesPattern('*setpoint*', p.name) || matchesPattern('*target_temp*', p.name);
      if (!isSetpoint && !matchesPattern('*temp*', p.name)) continue;
      const unit = unitOf(p.name);
      // Setpoint limits are given in temperature_unit; convert when this parameter uses the other unit.
      const conv = (x: number) => (unit === configured ? x : unit === 'C' ? toUnit(x, 'C') : Math.round((x * 9) / 5 + 32));
      inputs.push({
        params: [p.name],
        normalize: [unit === 'C' ? 'temperature_c' : 'temperature_f'],
        type: 'number',
        ...(isSetpoint
          ? { min: conv(setMin), max: conv(setMax), description: `setpoints stay within [min_setpoint, max_setpoint] (${unit === 'C' ? '°C' : '°F'})` }
          : { min: toUnit(-40, unit), max: toUnit(140, unit), description: `plausible air temperatures (${unit === 'C' ? '-40°C to 60°C' : '-40°F to 140°F'})` }),
      });
    }
    return {
      inputs: [
        ...inputs,
        { params: ['*occupancy*', '*occupants*', '*people*'], when_type: ['number', 'integer'], normalize: ['number'], type: 'number', min: 0, max: num(v.max_occupancy, 10000), description: 'occupant counts are non-negative' },
        { params: ['*occupied*'], normalize: ['bool'], type: 'boolean', description: 'occupied is yes/no' },
        { params: ['*humidity*'], normalize: ['number'], type: 'number', min: 0, max: 100, description: 'relative humidity is a percentage' },
      ],
      outputs: [
        { functions: ['*fan*', '*damper*', '*valve*', '*heating*', '*cooling*', '*_pct', '*percent*'], type: 'number', min: 0, max: 100, description: 'actuator commands are percentages (0–100)' },
        ...['heating', 'cooling', 'fan', 'fan_speed', 'damper', 'valve'].map((field) => ({
          field,
          type: 'number' as const,
          min: 0,
          max: 100,
          description: 'actuator values are percentages (0–100)',
        })),
        { exclusive: ['heating', 'cooling'] as [string, string], threshold: num(v.exclusive_threshold, 10), description: 'equipment protection: never heat and cool at once' },
      ],
    };
  },
};
