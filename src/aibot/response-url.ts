import fetch from 'node-fetch';
import { HttpsProxyAgent } from 'https-proxy-agent';
import { getProxyForUrl } from 'proxy-from-env';
import type { AibotPush } from '../wecom/types/aibot.js';
import { AibotRefused } from './errors.js';

/**
 * POSTs `body` to a response_url (doc 101138: no token, one call within an hour), through HTTPS_PROXY like every
 * WeCom call unless NO_PROXY excludes the host.
 * @throws AibotRefused when WeCom answers an errcode (it answers HTTP 200 either way).
 */
export async function postToResponseUrl(url: string, body: AibotPush): Promise<void> {
  const proxy = /^https?:\/\/(127\.0\.0\.1|localhost)[:/]/.test(url) ? undefined : getProxyForUrl(url) || undefined;
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    ...(proxy ? { agent: new HttpsProxyAgent(proxy) } : {}),
    signal: AbortSignal.timeout(10_000),
  });
  const answer = (await res.json().catch(() => ({}))) as { errcode?: number; errmsg?: string };
  if (!res.ok || (answer.errcode ?? 0) !== 0) throw new AibotRefused(answer.errcode ?? res.status, answer.errmsg ?? res.statusText);
}
