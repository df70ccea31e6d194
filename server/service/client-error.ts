// Requests Node's HTTP parser rejects before any handler runs: headers over `maxHeaderSize`
// (16 KiB), a malformed request line or header. Node's default answer is a bare status line
// with an empty body; this answers in the service's one error shape instead, so a client sees
// what was wrong. The connection is closed after the answer: the parser cannot go on.
import { randomUUID } from 'node:crypto';
import { STATUS_CODES, maxHeaderSize, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Logger } from 'pino';
import { PoetError } from '../../shared/contract/errors';

interface ClientError extends Error {
  code?: string;
}

function toPoetError(err: ClientError): PoetError {
  if (err.code === 'HPE_HEADER_OVERFLOW') {
    return new PoetError(
      'headers_too_large',
      `The request's headers are larger than ${maxHeaderSize} bytes, the most this service reads. Send a shorter Authorization token and fewer or shorter headers.`,
      { limit_bytes: maxHeaderSize },
    );
  }
  return new PoetError('invalid_request', `Malformed HTTP request (${err.code ?? 'parse error'}): ${err.message}.`);
}

export function onClientError(logger: Logger): (err: ClientError, socket: Socket) => void {
  return (err, socket) => {
    // Node's own rule: answer only when nothing of a response in flight has been written yet,
    // or the peer would get a corrupted stream. `_httpMessage` is where Node keeps that response.
    const inFlight = (socket as Socket & { _httpMessage?: ServerResponse | null })._httpMessage;
    if (err.code === 'ECONNRESET' || !socket.writable || inFlight?.headersSent) {
      socket.destroy();
      return;
    }
    if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
      socket.end('HTTP/1.1 408 Request Timeout\r\nConnection: close\r\n\r\n');
      return;
    }
    const pe = toPoetError(err);
    const id = randomUUID();
    logger.info({ req_id: id, code: pe.code, parser: err.code }, 'request rejected by the HTTP parser');
    const body = JSON.stringify(pe.toBody());
    socket.end(
      `HTTP/1.1 ${pe.status} ${STATUS_CODES[pe.status]}\r\n` +
        'Content-Type: application/json; charset=utf-8\r\n' +
        `Content-Length: ${Buffer.byteLength(body)}\r\n` +
        `X-Request-Id: ${id}\r\n` +
        'Connection: close\r\n\r\n' +
        body,
    );
  };
}
