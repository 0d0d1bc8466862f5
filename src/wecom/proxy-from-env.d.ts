/** proxy-from-env ships no types: the one function the client uses. */
declare module 'proxy-from-env' {
  /** The proxy URL for `url` from HTTPS_PROXY / HTTP_PROXY / ALL_PROXY, or '' when none applies or NO_PROXY excludes it. */
  export function getProxyForUrl(url: string | URL): string;
}
