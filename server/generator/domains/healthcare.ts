// healthcare: vital signs arrive with units ("98.6°F", "72 bpm", "120 mmHg"); they are
// normalised and checked against physiologically plausible ranges (not clinical norms: a
// value outside them is a data error, not a diagnosis).
import { z } from 'zod';
import { type DomainDefinition } from './types';

export const healthcare: DomainDefinition = {
  name: 'healthcare',
  description: 'Vital signs with units normalised and checked against plausible physiological ranges.',
  origin: 'builtin',
  params: {
    temperature_unit: { schema: z.enum(['F', 'C']), default: 'F', description: 'Unit body temperatures are normalised to.' },
  },
  learnableParams: [{ key: 'timeout', min: 1, max: 120, default: 45, description: 'Seconds per attempt.' }],
  rules(v) {
    const c = v.temperature_unit === 'C';
    return {
      inputs: [
        { params: ['*heart_rate*', '*pulse*', 'hr', '*bpm*'], normalize: ['number'], type: 'number', min: 20, max: 300, description: 'heart rate in beats per minute (20–300)' },
        { params: ['*systolic*'], normalize: ['number'], type: 'number', min: 40, max: 300, description: 'systolic pressure in mmHg (40–300)' },
        { params: ['*diastolic*'], normalize: ['number'], type: 'number', min: 20, max: 200, description: 'diastolic pressure in mmHg (20–200)' },
        { params: ['*temp*', '*temperature*'], normalize: [c ? 'temperature_c' : 'temperature_f'], type: 'number', min: c ? 25 : 77, max: c ? 45 : 113, description: 'body temperature (25–45 °C)' },
        { params: ['*spo2*', '*oxygen*', '*saturation*'], normalize: ['number'], type: 'number', min: 50, max: 100, description: 'oxygen saturation in percent (50–100)' },
        { params: ['*resp*', '*breathing_rate*'], normalize: ['number'], type: 'number', min: 4, max: 80, description: 'respiratory rate per minute (4–80)' },
        { params: ['*age*'], normalize: ['number'], type: 'number', min: 0, max: 130, description: 'age in years (0–130)' },
        { params: ['*weight*'], normalize: ['number'], type: 'number', min: 0.2, max: 700, description: 'weight in kg (0.2–700)' },
        { params: ['*glucose*'], normalize: ['number'], type: 'number', min: 10, max: 2000, description: 'blood glucose in mg/dL (10–2000)' },
        { params: ['*patient_id*', '*mrn*'], type: 'string', non_empty: true, description: 'patient identifiers are non-empty' },
      ],
      outputs: [
        { finite: true, description: 'numeric results must be finite' },
        { field: 'risk', type: 'number', min: 0, max: 1, description: 'risk scores lie in [0, 1]' },
        { field: 'risk_score', type: 'number', min: 0, max: 1, description: 'risk scores lie in [0, 1]' },
      ],
    };
  },
};
