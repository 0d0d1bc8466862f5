import type { Corp } from './corp.js';
import { TAG_GROUPS } from './names.js';
import { randomId } from './random.js';

/** Gives the corp the demo's tag groups (most important first, as WeCom orders by `order`), ids drawn from `random`. */
export function addDemoTagGroups(corp: Corp, random: () => number, nowSec: number): void {
  let order = TAG_GROUPS.length * 100;
  for (const group of TAG_GROUPS) {
    const created = nowSec - 300 * 86400;
    corp.tagGroups.push({
      group_id: randomId(random, 'et', 20),
      group_name: group.name,
      create_time: created,
      order,
      tag: group.tags.map((name, i) => ({ id: randomId(random, 'et', 20), name, create_time: created, order: group.tags.length - i })),
    });
    order -= 100;
  }
}
