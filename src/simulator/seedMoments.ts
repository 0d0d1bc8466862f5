import { dayStart, type Corp } from './corp.js';
import { intBetween, pick, randomId } from './random.js';

/**
 * A few corp moments over the last 60 days, by the first active members, a few of the first sender's customers reacting
 * an hour later; the draws in the demo corp's order (its fingerprint holds).
 */
export function addDemoMoments(corp: Corp, random: () => number, nowSec: number): void {
  const active = corp.activeMembers().map((m) => m.userid);
  for (let i = 0; i < 6; i++) {
    const created = dayStart(nowSec - intBetween(random, 1, 60) * 86400) + 10 * 3600;
    const senders = active.slice(0, 3 + i);
    const moment_id = randomId(random, 'mom', 24);
    const reactions = corp.followPage(senders[0] as string, 0, 3).map((f, k) => ({ external_userid: f.external_userid, create_time: created + 3600 + k * 60 }));
    corp.moments.set(moment_id, {
      moment_id,
      creator: senders[0] as string,
      create_time: created,
      create_type: 0,
      visible_type: 1,
      text: { content: pick(random, ['新品上市，欢迎咨询！', '本周六线下沙龙，期待您的参与。', '感谢一路相伴，周年庆优惠进行中。']) },
      senders: new Map(senders.map((u) => [u, { publish_status: random() < 0.8 ? 1 : 0, customers: corp.followPage(u, 0, 20).map((f) => f.external_userid) }])),
      comments: reactions.slice(0, 2),
      likes: reactions,
    });
  }
}
