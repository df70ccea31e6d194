// retail_ecommerce: prices, carts and inventory (Dana's own framework names this domain). Money
// arrives as text ("$19.99", "1.2K"); quantities and stock are whole numbers, never negative;
// rates are fractions; identifiers, currency codes and e-mail addresses have their shapes.
// Results never carry a negative price, total or stock.
import { z } from 'zod';
import { num, type DomainDefinition } from './types';

export const retail_ecommerce: DomainDefinition = {
  name: 'retail_ecommerce',
  description: 'Prices normalised from text and non-negative, quantities and stock whole and non-negative, rates and ratings in range, ids, currency codes and e-mails well formed; no negative prices, totals or stock in results.',
  origin: 'builtin',
  params: {
    max_price: { schema: z.number().positive(), default: 10_000_000, description: 'Largest price or amount accepted.' },
    max_quantity: { schema: z.number().int().positive(), default: 1_000_000, description: 'Largest quantity or stock level accepted.' },
    max_rating: { schema: z.number().positive(), default: 5, description: 'Top of the rating scale.' },
  },
  learnableParams: [
    { key: 'timeout', min: 1, max: 60, default: 15, description: 'Seconds per attempt.' },
    { key: 'retries', min: 0, max: 5, default: 2, description: 'Extra attempts after a transient failure.' },
  ],
  rules(v) {
    return {
      inputs: [
        {
          params: ['*price*', '*cost*', '*amount*', '*subtotal*', 'total', '*_total', '*shipping*', '*fee*'],
          exclude: ['*rate*', '*pct*', '*percent*', '*count*', '*quantity*', '*_id'],
          normalize: ['money'],
          type: 'number',
          min: 0,
          max: num(v.max_price, 10_000_000),
          finite: true,
          description: 'prices and amounts are non-negative ("$19.99" is 19.99)',
        },
        {
          params: ['*quantity*', 'qty', '*_qty', '*stock*', '*inventory*', 'units', '*_units'],
          normalize: ['number'],
          type: 'integer',
          min: 0,
          max: num(v.max_quantity, 1_000_000),
          description: 'quantities and stock are non-negative whole numbers',
        },
        { params: ['*discount_rate*', '*tax_rate*', '*commission_rate*'], normalize: ['ratio'], type: 'number', min: 0, max: 1, description: 'rates are fractions ("15%" is 0.15)' },
        { params: ['*percent*', '*pct*'], normalize: ['number'], type: 'number', min: 0, max: 100, description: 'percentages lie in [0, 100]' },
        { params: ['*rating*', '*stars*'], normalize: ['number'], type: 'number', min: 0, max: num(v.max_rating, 5), description: 'ratings lie on the rating scale' },
        {
          params: ['*sku*', '*product_id*', '*order_id*', '*customer_id*', '*cart_id*'],
          when_type: ['string'],
          non_empty: true,
          no_control_chars: true,
          max_length: 128,
          description: 'identifiers are non-empty text',
        },
        { params: ['*currency*'], when_type: ['string'], normalize: ['strip'], pattern: '[A-Za-z]{3}', description: 'currency codes have three letters (ISO 4217)' },
        { params: ['*email*'], when_type: ['string'], normalize: ['strip'], pattern: '[^@\\s]+@[^@\\s]+\\.[^@\\s]+', description: 'e-mail addresses look like name@host.tld' },
      ],
      outputs: [
        { finite: true, description: 'numeric results must be finite' },
        { functions: ['*price*', '*total*', '*cost*', '*amount*', '*subtotal*'], min: 0, description: 'prices and totals are not negative' },
        ...['price', 'total', 'subtotal', 'amount', 'tax', 'shipping', 'quantity', 'stock'].map((field) => ({ field, min: 0, description: 'prices, totals and stock are not negative' })),
      ],
    };
  },
};
