const COLORS: Record<string, string> = { info: '32', comment: '90', warning: '33' };

/**
 * WeCom markdown as terminal text: bold, colours and code as ANSI styles when `ansi`, plain text otherwise; links
 * become "text (url)".
 */
export function terminalText(markdown: string, ansi: boolean): string {
  const style = (code: string, text: string, reset: string) => (ansi ? `\x1b[${code}m${text}\x1b[${reset}m` : text);
  return markdown
    .split('\n')
    .map((line) =>
      line
        .replace(/^#{1,6} (.*)$/, (_, h: string) => style('1', h, '22'))
        .replace(/^> (.*)$/, (_, q: string) => style('90', `│ ${q}`, '39'))
        .replace(/<font color="(info|comment|warning)">(.*?)<\/font>/g, (_, c: string, t: string) => style(COLORS[c] ?? '39', t, '39'))
        .replace(/\*\*([^*]+)\*\*/g, (_, t: string) => style('1', t, '22'))
        .replace(/`([^`]+)`/g, (_, t: string) => style('36', t, '39'))
        .replace(/\[([^\]]+)\]\((https?:\/\/[^\s)]+)\)/g, (_, t: string, u: string) => `${t} (${u})`),
    )
    .join('\n');
}
