/**
 * The relay's plain HTTP surface: a health probe (the launcher uses it to detect a running
 * relay) and the path of the WebSocket endpoint.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { PROTOCOL_VERSION } from '../../../shared/protocol';

export const WEBSOCKET_PATH = '/v1/ws';
export const HEALTH_PATH = '/health';

export function handleHttpRequest(request: IncomingMessage, response: ServerResponse): void {
  const path = requestPath(request);
  if (path === HEALTH_PATH && (request.method === 'GET' || request.method === 'HEAD')) {
    sendJson(response, 200, { ok: true, protocol: PROTOCOL_VERSION });
    return;
  }
  if (path === WEBSOCKET_PATH) {
    sendJson(response, 426, { ok: false, error: 'this endpoint speaks WebSocket only' });
    return;
  }
  sendJson(response, 404, { ok: false, error: 'not found' });
}

/** The path part of the request target, without the query string. */
export function requestPath(request: IncomingMessage): string {
  const target = request.url ?? '/';
  const query = target.indexOf('?');
  return query === -1 ? target : target.slice(0, query);
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
  });
  response.end(response.req.method === 'HEAD' ? undefined : text);
}
