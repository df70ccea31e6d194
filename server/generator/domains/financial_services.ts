// financial_services: credit and lending inputs arrive as text ("$50,000", "50K", "25%",
// "excellent"); they are normalised to numbers and checked against plausible ranges.
// Output: an interest rate, when the result carries one, stays within [min_rate, max_rate].
import { z } from 'zod';
import { num, type DomainDefinition } from './types';

export const financial_services: DomainDefinition = {
  name: 'financial_services',
  description: 'Money, percentages and credit-score words normalised; credit score, income, debt-to-income and years range-checked; rate bounds on decisions.',
  origin: 'builtin',
  params: {
    min_credit_score: { schema: z.number().int().min(0).max(1000), default: 300, description: 'Lowest valid credit score.' },
    max_credit_score: { schema: z.number().int().min(0).max(1000), default: 850, description: 'Highest valid credit score.' },
    max_income: { schema: z.number().positive(), default: 1e9, description: 'Largest plausible income or amount.' },
    max_dti: { schema: z.number().min(0).max(100), default: 10, description: 'Largest debt-to-income ratio accepted (10 = 1000%). A ratio above 1 is real (debt larger than income); far above, it is a percentage written without "%".' },
    max_years: { schema: z.number().min(0).max(200), default: 50, description: 'Longest employment or loan term in years.' },
    min_rate: { schema: z.number().min(0), default: 0.01, description: 'Lowest interest rate (percent) a decision may carry.' },
    max_rate: { schema: z.number().min(0), default: 50, description: 'Highest interest rate (percent) a decision may carry.' },
  },
  learnableParams: [
    { key: 'timeout', min: 1, max: 120, default: 15, description: 'Seconds per attempt.' },
    { key: 'retries', min: 0, max: 5, default: 3, description: 'Extra attempts after a transient failure.' },
  ],
  rules(v) {
    return {
      inputs: [
        {
          params: ['*credit_score*', 'credit', 'fico*', '*_score'],
          normalize: ['credit_score'],
          type: 'number',
          min: num(v.min_credit_score, 300),
          max: num(v.max_credit_score, 850),
          description: 'credit scores run from the minimum to the maximum score',
        },
        {
          params: ['*income*', '*salary*', '*amount*', '*price*', '*balance*', '*principal*', '*loan*', '*revenue*', '*payment*'],
          exclude: ['*dti*', '*debt_to_income*', '*ratio*', '*rate*', '*years*', '*term*'],
          normalize: ['money'],
          type: 'number',
          min: 0,
          max: num(v.max_income, 1e9),
          finite: true,
          description: 'amounts are non-negative and below max_income',
        },
        {
          params: ['*dti*', '*debt_to_income*', '*debt_ratio*', '*ratio*'],
          normalize: ['ratio'],
          type: 'number',
          min: 0,
          max: num(v.max_dti, 10),
          description: 'debt-to-income is a ratio (25% = 0.25; write "25%" for a percentage)',
        },
        {
          params: ['*rate*', '*percent*', '*pct*'],
          normalize: ['number'],
          type: 'number',
          min: 0,
          max: 100,
          description: 'percentages lie in [0, 100]',
        },
        {
          params: ['*years*', '*tenure*', '*term*', '*employment*'],
          normalize: ['duration_years'],
          type: 'number',
          min: 0,
          max: num(v.max_years, 50),
          description: 'durations are in years ("30 months" = 2.5)',
        },
      ],
      outputs: [
        { finite: true, description: 'numeric results must be finite' },
        { field: 'interest_rate', type: 'number', min: num(v.min_rate, 0.01), max: num(v.max_rate, 50), description: 'interest rate within [min_rate, max_rate]' },
        { field: 'rate', type: 'number', min: num(v.min_rate, 0.01), max: num(v.max_rate, 50), description: 'interest rate within [min_rate, max_rate]' },
        { functions: ['*rate*'], min: num(v.min_rate, 0.01), max: num(v.max_rate, 50), description: 'interest rate within [min_rate, max_rate]' },
      ],
    };
  },
};
