/** The oldest Node the bot runs on (package.json `engines`): node:sqlite without a flag came with 22.13. */
export const MIN_NODE = '22.13.0';

function parts(version: string): number[] {
  return version
    .replace(/^v/, '')
    .split('.')
    .map((n) => Number.parseInt(n, 10) || 0);
}

/** Says {@link nodeTooOld}'s line on stderr and ends the process (exit 1) when this Node is too old; else nothing. */
export function exitIfNodeTooOld(): void {
  const tooOld = nodeTooOld();
  if (!tooOld) return;
  process.stderr.write(`${tooOld}\n`);
  process.exit(1);
}

/**
 * One line, in Chinese and English, when `version` is older than {@link MIN_NODE}; undefined when it will do. Said
 * before anything else is loaded, instead of the "No such built-in module: node:sqlite" an old Node would give.
 */
export function nodeTooOld(version: string = process.versions.node): string | undefined {
  const [major = 0, minor = 0, patch = 0] = parts(version);
  const [needMajor = 0, needMinor = 0, needPatch = 0] = parts(MIN_NODE);
  const ok = major !== needMajor ? major > needMajor : minor !== needMinor ? minor > needMinor : patch >= needPatch;
  if (ok) return undefined;
  return `wecom-contact-ops 需要 Node ${MIN_NODE} 或更新版本（当前是 ${version}），请升级 Node 后再启动 · needs Node ${MIN_NODE} or newer (this is ${version}): upgrade Node, then start it again`;
}
