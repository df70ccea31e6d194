// building_management: HVAC control. Temperatures may come with units ("72°F", "22C") and are
// normalised to the configured unit; setpoints stay within comfort limits; actuator outputs
// (heating, cooling, fan, damper, valve) are percentages, and heating and cooling never run together.
import { z } from 'zod';
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
  rules(v) {
    const c = v.temperature_unit === 'C';
    const toUnit = (f: number) => (c ? Math.round(((f - 32) * 5) / 9 * 10) / 10 : f);
    const t = (key: string, f: number) => num(v[key], toUnit(f));
    return {
      inputs: [
        {
          params: ['*setpoint*', '*target_temp*'],
          normalize: [c ? 'temperature_c' : 'temperature_f'],
          type: 'number',
          min: c ? t('min_setpoint', 55) : num(v.min_setpoint, 55),
          max: c ? t('max_setpoint', 90) : num(v.max_setpoint, 90),
          description: 'setpoints stay within [min_setpoint, max_setpoint]',
        },
        {
          params: ['*temp*', '*temperature*'],
          normalize: [c ? 'temperature_c' : 'temperature_f'],
          type: 'number',
          min: toUnit(-40),
          max: toUnit(140),
          description: 'plausible air temperatures (-40°F to 140°F)',
        },
        { params: ['*occupancy*', '*occupants*', '*people*'], normalize: ['number'], type: 'number', min: 0, max: num(v.max_occupancy, 10000), description: 'occupant counts are non-negative' },
        { params: ['*occupied*'], normalize: ['bool'], type: 'boolean', description: 'occupied is yes/no' },
        { params: ['*humidity*'], normalize: ['number'], type: 'number', min: 0, max: 100, description: 'relative humidity is a percentage' },
      ],
      outputs: [
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
