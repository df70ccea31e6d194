// semiconductor: process recipes must stay within tool limits (pressure, RF power, gas flow,
// chamber temperature); result recipes obey interlocks (no high power at low pressure, no
// high power with starved gas flow).
import { z } from 'zod';
import { num, type DomainDefinition } from './types';

export const semiconductor: DomainDefinition = {
  name: 'semiconductor',
  description: 'Process limits for pressure, power, gas flow and temperature; interlocks on result recipes.',
  origin: 'builtin',
  params: {
    min_pressure: { schema: z.number().min(0), default: 0.1, description: 'Lowest chamber pressure (Torr).' },
    max_pressure: { schema: z.number().positive(), default: 10, description: 'Highest chamber pressure (Torr).' },
    min_power: { schema: z.number().min(0), default: 100, description: 'Lowest RF power (W).' },
    max_power: { schema: z.number().positive(), default: 3000, description: 'Highest RF power (W).' },
    min_gas_flow: { schema: z.number().min(0), default: 1, description: 'Lowest gas flow (sccm).' },
    max_gas_flow: { schema: z.number().positive(), default: 200, description: 'Highest gas flow (sccm).' },
    min_temperature: { schema: z.number(), default: -20, description: 'Lowest chamber temperature (°C).' },
    max_temperature: { schema: z.number(), default: 400, description: 'Highest chamber temperature (°C).' },
  },
  learnableParams: [
    { key: 'timeout', min: 5, max: 600, default: 60, description: 'Seconds per attempt.' },
    { key: 'retries', min: 0, max: 5, default: 4, description: 'Extra attempts after a transient failure.' },
  ],
  rules(v) {
    const lim = (lo: string, hi: string, dlo: number, dhi: number) => ({ min: num(v[lo], dlo), max: num(v[hi], dhi) });
    return {
      inputs: [
        { params: ['*pressure*'], normalize: ['number'], type: 'number', ...lim('min_pressure', 'max_pressure', 0.1, 10), description: 'chamber pressure within tool limits (Torr)' },
        { params: ['*power*', '*rf*'], normalize: ['number'], type: 'number', ...lim('min_power', 'max_power', 100, 3000), description: 'RF power within tool limits (W)' },
        { params: ['*gas*', '*flow*'], normalize: ['number'], type: 'number', ...lim('min_gas_flow', 'max_gas_flow', 1, 200), description: 'gas flow within tool limits (sccm)' },
        { params: ['*temp*', '*temperature*'], normalize: ['temperature_c'], type: 'number', ...lim('min_temperature', 'max_temperature', -20, 400), description: 'chamber temperature within tool limits (°C)' },
      ],
      outputs: [
        { finite: true, description: 'numeric results must be finite' },
        { field: 'pressure', type: 'number', ...lim('min_pressure', 'max_pressure', 0.1, 10), description: 'recipe pressure within tool limits' },
        { field: 'power', type: 'number', ...lim('min_power', 'max_power', 100, 3000), description: 'recipe power within tool limits' },
        { field: 'gas_flow', type: 'number', ...lim('min_gas_flow', 'max_gas_flow', 1, 200), description: 'recipe gas flow within tool limits' },
        { interlock: { when: 'power', above: 1500, require: 'pressure', at_least: 1 }, description: 'interlock: power above 1500 W needs at least 1 Torr' },
        { interlock: { when: 'power', above: 1000, require: 'gas_flow', at_least: 10 }, description: 'interlock: power above 1000 W needs at least 10 sccm gas flow' },
        { field: 'temperature', type: 'number', ...lim('min_temperature', 'max_temperature', -20, 400), description: 'recipe temperature within tool limits' },
      ],
    };
  },
};
