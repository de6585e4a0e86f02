/**
 * The only names under which the host's page and bridge may be reached. Checking the Host
 * header defeats DNS rebinding (evil.example resolving to 127.0.0.1 would otherwise reach
 * us with the browser treating it as evil.example's origin); checking Origin keeps other
 * web pages, which can open WebSockets to anywhere, off the bridge.
 */

export function allowedHosts(port: number): string[] {
  return [`127.0.0.1:${port}`, `localhost:${port}`];
}

export function allowedOrigins(port: number): string[] {
  return allowedHosts(port).map((host) => `http://${host}`);
}

export function isAllowedHost(host: string | undefined, port: number): boolean {
  return host !== undefined && allowedHosts(port).includes(host.toLowerCase());
}

export function isAllowedOrigin(origin: string | undefined, port: number): boolean {
  return origin !== undefined && allowedOrigins(port).includes(origin.toLowerCase());
}
