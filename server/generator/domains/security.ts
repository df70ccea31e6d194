// security: access decisions and the values they are made from (Dana's own framework names this
// domain). Addresses, ports, URLs and host names have their shapes; user names and credentials
// are non-empty and free of control characters (log injection); payloads are bounded but not
// otherwise checked, since a detector must see the hostile ones. Decisions come back as booleans.
import { z } from 'zod';
import { num, type DomainDefinition } from './types';

const IPV4 = '(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}';
const IPV6 = '[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}(?:%[0-9A-Za-z]+)?';
const NO_CONTROL = '[^\\x00-\\x1f\\x7f]+';
const HOST = '[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\\.?';

export const security: DomainDefinition = {
  name: 'security',
  description: 'IP addresses, ports, host names and URLs well formed; user names and credentials non-empty without control characters (newlines included); payloads bounded; decisions returned as booleans.',
  origin: 'builtin',
  params: {
    max_payload_length: { schema: z.number().int().positive(), default: 10_000_000, description: 'Longest payload, body or request text accepted (characters).' },
  },
  learnableParams: [
    { key: 'timeout', min: 1, max: 30, default: 10, description: 'Seconds per attempt (security checks should be quick).' },
    { key: 'retries', min: 0, max: 2, default: 1, description: 'Extra attempts after a transient failure.' },
  ],
  rules(v) {
    return {
      inputs: [
        { params: ['ip', '*_ip', 'ip_*', '*ip_address*', '*ip_addr*'], when_type: ['string'], normalize: ['strip'], pattern: `${IPV4}|${IPV6}`, description: 'IP addresses are IPv4 or IPv6' },
        { params: ['port', '*_port'], type: 'integer', min: 0, max: 65535, description: 'ports lie in 0–65535' },
        { params: ['host', '*_host', 'hostname', '*_hostname'], when_type: ['string'], normalize: ['strip'], pattern: `${HOST}|${IPV4}|\\[?${IPV6}\\]?`, max_length: 253, description: 'host names are DNS names or addresses' },
        { params: ['*url*'], when_type: ['string'], normalize: ['strip'], pattern: '[A-Za-z][A-Za-z0-9+.-]*://\\S+', description: 'URLs have a scheme (https://…)' },
        // No control character at all, newlines included: a user name is written into logs.
        { params: ['*user*', '*username*', '*principal*', '*account*', '*role*'], when_type: ['string'], pattern: NO_CONTROL, max_length: 256, description: 'user names and roles are non-empty, on one line, without control characters' },
        { params: ['*token*', '*password*', '*secret*', '*api_key*', '*credential*'], when_type: ['string'], pattern: NO_CONTROL, description: 'credentials are non-empty, without control characters' },
        { params: ['*payload*', '*body*', '*content*', '*request*'], when_type: ['string'], max_length: num(v.max_payload_length, 10_000_000), description: 'payloads are bounded' },
        { params: ['*confidence*', '*probability*'], type: 'number', min: 0, max: 1, description: 'confidences and probabilities lie in [0, 1]' },
      ],
      outputs: [
        { functions: ['is_*', 'can_*', '*_allowed', '*_authorized', 'allow_*', 'authorize*'], type: 'boolean', description: 'access decisions are booleans' },
        ...['allowed', 'authorized', 'blocked', 'malicious', 'is_threat'].map((field) => ({ field, type: 'boolean' as const, description: 'decisions are booleans' })),
        ...['confidence', 'probability'].map((field) => ({ field, type: 'number' as const, min: 0, max: 1, description: 'confidences lie in [0, 1]' })),
      ],
    };
  },
};
