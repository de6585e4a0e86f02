/**
 * The renderer's Content-Security-Policy, built in one place for both transports: Electron
 * sends it as a response header of its app:// protocol, host mode as an HTTP header. Only
 * `connect-src` differs (Electron talks over IPC and needs none; host mode needs its own
 * loopback WebSocket). Everything else is as tight as the renderer allows: no inline script
 * or style, no plugins, no frames, no <base> or form tricks.
 */

export interface CspOptions {
  /** Source expressions for connect-src; empty means 'none'. */
  connectSrc: readonly string[];
}

// One source expression: a keyword ('self') or a scheme/host source. Anything with
// whitespace, ';' or ',' could smuggle in a second directive or policy, so it is refused.
const SOURCE_EXPRESSION = /^(?:'self'|[a-z][a-z0-9+.-]*:(?:\/\/[^\s;,']+)?)$/i;

export function buildCsp({ connectSrc }: CspOptions): string {
  for (const source of connectSrc) {
    if (!SOURCE_EXPRESSION.test(source)) throw new Error(`invalid connect-src source: ${JSON.stringify(source)}`);
  }
  const directives: Array<[string, readonly string[]]> = [
    ['default-src', ["'none'"]],
    ['script-src', ["'self'"]],
    ['style-src', ["'self'"]],
    ['img-src', ["'self'", 'data:', 'blob:']],
    ['font-src', ["'self'"]],
    ['connect-src', connectSrc.length > 0 ? connectSrc : ["'none'"]],
    ['base-uri', ["'none'"]],
    ['form-action', ["'none'"]],
    ['frame-ancestors', ["'none'"]],
    ['object-src', ["'none'"]],
  ];
  return directives.map(([name, sources]) => `${name} ${sources.join(' ')}`).join('; ');
}
