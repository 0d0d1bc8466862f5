import { Corp, type CorpTiming, type SimGroupChat, type SimMember } from './corp.js';
import { generatedMemberName, MEMBER_NAMES } from './names.js';
import { CustomerPopulation } from './population.js';
import { createRandom, hashSeed, intBetween, pick, randomId } from './random.js';
import { addDemoMoments } from './seedMoments.js';
import { addDemoTagGroups } from './tagGroups.js';

/** A corp of a given size instead of the demo one: `big` for a real corp's scale, `mid` for CI tests. */
export type CorpPreset = 'big' | 'mid';

/** What a preset corp is made of. */
interface PresetShape {
  members: number;
  /** Departments under the root; each has `teamsPerRegion` teams under it, and members are in teams only. */
  regions: number;
  teamsPerRegion: number;
  customers: number;
  /** zhangsan's customers: the member whose list is long. */
  top: number;
  /** Resigned members, each with `perResigned` customers waiting. */
  resigned: number;
  perResigned: number;
  chats: number;
}

const SHAPES: Record<CorpPreset, PresetShape> = {
  big: { members: 10_000, regions: 10, teamsPerRegion: 19, customers: 1_000_000, top: 20_000, resigned: 50, perResigned: 100, chats: 30_000 },
  mid: { members: 1_000, regions: 5, teamsPerRegion: 9, customers: 50_000, top: 20_000, resigned: 20, perResigned: 50, chats: 3_000 },
};

/** The named demo members stay first (zhangsan 张三 …) so demos work; the others are `u00021` … */
function memberIdentity(i: number): { userid: string; name: string; alias?: string } {
  const named = MEMBER_NAMES[i];
  if (named) return { userid: named[0], name: named[1], ...(named[2] ? { alias: named[2] } : {}) };
  return { userid: `u${String(i + 1).padStart(5, '0')}`, name: generatedMemberName(i - MEMBER_NAMES.length) };
}

/** Resigned members spread through the corp, never one of the first four (the people a demo talks about). */
function resignedIndexes(shape: PresetShape): Set<number> {
  const first = MEMBER_NAMES.length;
  return new Set(Array.from({ length: shape.resigned }, (_, k) => first + Math.floor((k * (shape.members - first)) / shape.resigned)));
}

/** The regions' names, in order: a big corp has ten. */
const REGIONS = ['华东大区', '华南大区', '华北大区', '华中大区', '西南大区', '西北大区', '东北大区', '港澳台', '海外业务部', '总部直属'];

/** 华东大区 for a region, 华东大区销售3组 for its third team. */
function departmentNameOf(id: number, shape: PresetShape): string {
  const region = id - 2;
  if (region < shape.regions) return REGIONS[region] ?? `区域${region + 1}`;
  const team = id - 2 - shape.regions;
  return `${REGIONS[Math.floor(team / shape.teamsPerRegion)] ?? '区域'}销售${(team % shape.teamsPerRegion) + 1}组`;
}

/** Regions (2 …) under the root, then their teams; each member in one team, the first of each team leading it. */
function addMembers(corp: Corp, shape: PresetShape, random: () => number, nowSec: number): SimMember[] {
  const parents = new Map<number, number>();
  const teams: number[] = [];
  for (let r = 0; r < shape.regions; r++) parents.set(2 + r, 1);
  for (let t = 0; t < shape.regions * shape.teamsPerRegion; t++) {
    const id = 2 + shape.regions + t;
    parents.set(id, 2 + Math.floor(t / shape.teamsPerRegion));
    teams.push(id);
  }
  corp.departmentParents = parents;
  corp.departmentNames = new Map([...parents.keys()].map((id) => [id, departmentNameOf(id, shape)]));
  const resigned = resignedIndexes(shape);
  const members: SimMember[] = [];
  for (let i = 0; i < shape.members; i++) {
    const team = teams[i % teams.length] as number;
    members.push(
      corp.addMember({
        ...memberIdentity(i),
        department: [team],
        status: resigned.has(i) ? 'resigned' : 'active',
        ...(resigned.has(i) ? { dimissionTime: nowSec - intBetween(random, 3, 40) * 86400 } : {}),
        ...(i < teams.length ? { leads: [team] } : {}),
      }),
    );
  }
  return members;
}

/** zhangsan's block, the resigned members' waiting ones, the rest spread evenly (the first few one more). */
function customerCounts(shape: PresetShape, members: SimMember[]): number[] {
  const others = members.length - 1 - shape.resigned;
  const rest = shape.customers - shape.top - shape.resigned * shape.perResigned;
  let spare = rest % others;
  return members.map((m, i) => {
    if (i === 0) return shape.top;
    if (m.status === 'resigned') return shape.perResigned;
    const extra = spare > 0 ? 1 : 0;
    spare -= extra;
    return Math.floor(rest / others) + extra;
  });
}

/** Light customer group chats: each owner's chats in turn, with two or three customers from the owner's block. */
function addGroupChats(corp: Corp, shape: PresetShape, members: SimMember[], random: () => number, nowSec: number): void {
  const population = corp.population as CustomerPopulation;
  for (let j = 0; j < shape.chats; j++) {
    const owner = members[j % members.length] as SimMember;
    const n = Math.floor(j / members.length) + 1;
    const [from, to] = population.rangeOf(owner.userid);
    const created = nowSec - intBetween(random, 10, 500) * 86400;
    const size = intBetween(random, 2, 3);
    const customers: SimGroupChat['members'] = [];
    for (let k = 0; k < size && from + (n - 1) * 3 + k < to; k++) {
      const index = from + (n - 1) * 3 + k;
      customers.push({
        userid: population.idOf(index),
        type: 2,
        join_time: created + intBetween(random, 0, 86400 * 30),
        join_scene: pick(random, [1, 2, 3] as const),
        invitor: { userid: owner.userid },
        name: population.profile(index).name,
      });
    }
    const chat: SimGroupChat = {
      chat_id: randomId(random, 'wr', 28),
      name: `${owner.name}的客户群${n}`,
      owner: owner.userid,
      create_time: created,
      notice: n === 1 ? '欢迎加入，有问题随时在群里提问。' : '',
      members: [{ userid: owner.userid, type: 1, join_time: created, join_scene: 1 }, ...customers],
      admins: [],
      status: owner.status === 'resigned' ? 1 : 0,
      external: true,
      transfers: [],
    };
    corp.groupChats.set(chat.chat_id, chat);
  }
}

/**
 * Builds a preset corp, deterministic for a seed: members in nested departments (some resigned, their customers
 * waiting), the demo's tags, customers derived from their index (a million cost no memory: see
 * {@link CustomerPopulation}), light group chats and a few moments.
 */
export function generatePreset(preset: CorpPreset, seed: number, timing: CorpTiming, now: () => number = Date.now): Corp {
  const shape = SHAPES[preset];
  const corp = new Corp(seed, timing, now);
  const random = createRandom(hashSeed('preset', preset, seed));
  const nowSec = Math.floor(now() / 1000);
  const members = addMembers(corp, shape, random, nowSec);
  addDemoTagGroups(corp, random, nowSec);
  const tagIds = corp.tagGroups.flatMap((g) => g.tag.map((t) => t.id));
  const layout = { members: members.map((m) => m.userid), counts: customerCounts(shape, members) };
  corp.population = new CustomerPopulation(seed, layout, nowSec, tagIds);
  addGroupChats(corp, shape, members, random, nowSec);
  addDemoMoments(corp, random, nowSec);
  return corp;
}
