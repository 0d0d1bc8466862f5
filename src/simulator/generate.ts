import { Corp, type CorpTiming, type SimGroupChat } from './corp.js';
import { describeCustomer, describeFollow, MEMBER_NAMES } from './names.js';
import { generatePreset, type CorpPreset } from './presets.js';
import { createRandom, hashSeed, intBetween, pick, randomId } from './random.js';
import { addDemoMoments } from './seedMoments.js';
import { addDemoTagGroups } from './tagGroups.js';

/** Options of the generator. */
export interface DemoCorpOptions {
  /** Members (default 20); beyond the named twenty they are `user21`, `user22` … */
  members?: number;
  /** Departments the members are spread over, round robin (default 4). */
  departments?: number;
  /** Customers spread over the members (default 2000). */
  customers?: number;
  /** Members who have resigned with customers waiting (default 1: the sixth member, zhouba). */
  resigned?: number;
  seed?: number;
  /**
   * A big corp instead of the demo one (the other size options are then ignored): `big` 10,000 members in 200
   * departments with a million customers, `mid` 1,000 members in 50 departments with 50,000 (for CI tests).
   */
  preset?: CorpPreset;
}

/**
 * Builds a deterministic demo corp: members (some resigned), customers with follow infos and tags, group chats,
 * moments, and (derived) behaviour data for the last 180 days. The same options give the same corp.
 */
export function generateCorp(options: DemoCorpOptions, timing: CorpTiming, now: () => number = Date.now): Corp {
  const seed = options.seed ?? 1;
  if (options.preset) return generatePreset(options.preset, seed, timing, now);
  const memberCount = options.members ?? 20;
  const customerCount = options.customers ?? 2000;
  const departments = Math.max(1, options.departments ?? 4);
  const resignedCount = Math.min(options.resigned ?? 1, Math.max(0, memberCount - 2));
  const corp = new Corp(seed, timing, now);
  const random = createRandom(hashSeed('corp', seed));
  const nowSec = Math.floor(now() / 1000);

  for (let i = 0; i < memberCount; i++) {
    const [userid, name, alias] = MEMBER_NAMES[i] ?? [`user${i + 1}`, `成员${i + 1}`];
    // The first member of each department leads it.
    const department = 1 + (i % departments);
    corp.addMember({
      userid,
      name,
      ...(alias ? { alias } : {}),
      department: [department],
      status: 'active',
      ...(i < departments ? { leads: [department] } : {}),
    });
  }
  // The resigned ones: from the sixth member on, so zhangsan/lisi/wangwu stay in service for demos.
  const memberIds = [...corp.members.keys()];
  for (let i = 0; i < resignedCount; i++) {
    const member = corp.members.get(memberIds[(5 + i) % memberIds.length] as string)!;
    member.status = 'resigned';
    member.dimissionTime = nowSec - intBetween(random, 3, 40) * 86400;
  }

  addDemoTagGroups(corp, random, nowSec);
  const allTags = corp.tagGroups.flatMap((g) => g.tag.map((t) => t.id));

  for (let i = 0; i < customerCount; i++) {
    const type = random() < 0.85 ? 1 : 2;
    const id = randomId(random, type === 1 ? 'wm' : 'wo', 28);
    const profile = describeCustomer(random, id, type);
    corp.addCustomer(profile);
    const followers = random() < 0.2 ? 2 : 1;
    const chosen = new Set<string>();
    while (chosen.size < followers) chosen.add(pick(random, memberIds));
    for (const userid of chosen) corp.addFollow(describeFollow(random, userid, profile, allTags, nowSec));
  }

  for (const userid of memberIds) {
    const member = corp.members.get(userid)!;
    const count = intBetween(random, 1, 3);
    for (let i = 0; i < count; i++) {
      const customers = corp.customersOf(userid).slice(0, intBetween(random, 2, 12));
      const created = nowSec - intBetween(random, 10, 500) * 86400;
      const chat: SimGroupChat = {
        chat_id: randomId(random, 'wr', 28),
        name: `${member.name}的客户群${i + 1}`,
        owner: userid,
        create_time: created,
        notice: i === 0 ? '欢迎加入，有问题随时在群里提问。' : '',
        members: [
          { userid, type: 1, join_time: created, join_scene: 1 },
          ...customers.map((f) => ({
            userid: f.external_userid,
            type: 2 as const,
            join_time: created + intBetween(random, 0, 86400 * 30),
            join_scene: pick(random, [1, 2, 3] as const),
            invitor: { userid },
            name: corp.findCustomer(f.external_userid)?.name,
          })),
        ],
        admins: [],
        status: member.status === 'resigned' ? 1 : 0,
        external: true,
        transfers: [],
      };
      corp.groupChats.set(chat.chat_id, chat);
    }
  }
  // One internal chat (staff only): group transfers of it answer 90501.
  const first = memberIds[0] as string;
  const internal: SimGroupChat = {
    chat_id: randomId(random, 'wr', 28),
    name: '内部讨论群',
    owner: first,
    create_time: nowSec - 100 * 86400,
    notice: '',
    members: memberIds.slice(0, 3).map((u) => ({ userid: u, type: 1, join_time: nowSec - 100 * 86400, join_scene: 1 })),
    admins: [],
    status: 0,
    external: false,
    transfers: [],
  };
  corp.groupChats.set(internal.chat_id, internal);

  addDemoMoments(corp, random, nowSec);
  return corp;
}
