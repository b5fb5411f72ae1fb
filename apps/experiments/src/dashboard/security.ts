// What keeps the read-only dashboard from being a way into the store: security headers on every
// answer, and refusal of requests whose Host is not this server (a DNS-rebinding page in the
// user's browser would send its own domain name).
import { isIP } from 'node:net';
import { hostname } from 'node:os';

export const SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy': "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; " +
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
};

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '::1']);
const WILDCARDS = new Set(['0.0.0.0', '::', '']);

export function isLoopback(host: string): boolean {
  return LOOPBACK_NAMES.has(host) || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** The host part of a Host header ("[::1]:8787" → "::1"). */
function hostOf(header: string): string {
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(header);
  if (bracketed) return bracketed[1].toLowerCase();
  return header.replace(/:\d+$/, '').toLowerCase();
}

/**
 * Whether a request's Host header names this server: loopback names, the address it is bound
 * to, and when bound to every interface, IP addresses and this machine's own name.
 */
export function hostAllowed(header: string | undefined, boundHost: string): boolean {
  if (header == null || header === '') return false;
  const host = hostOf(header);
  if (isLoopback(host) || host === boundHost.toLowerCase()) return true;
  return WILDCARDS.has(boundHost) && (isIP(host) !== 0 || host === hostname().toLowerCase());
}
