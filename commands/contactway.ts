import { defineNamespace, action, defineCommand, foldScript, UserError, type CommandContext, type Plan } from '../src/bot/command.js';
import { formatDateTime } from '../src/render/format.js';
import { bold, code, color, link, type Line } from '../src/render/markdown.js';
import { row, type Reply } from '../src/render/reply.js';
import type { ContactWayConfig } from '../src/wecom/index.js';
import { memberLabels } from './_lib/directory.js';

/** WeCom's limits for a contact way's remark and state. */
const REMARK_MAX = 30;
const STATE_MAX = 30;

/**
 * What the bot keeps of every way it creates: WeCom long had no list API (and list_contact_way still skips older
 * and temporary ways), so the seed docs tell you to keep config_ids yourself.
 */
interface RegistryEntry {
  configId: string;
  createdBy: string;
  createdAt: number;
  type: 1 | 2;
  scene: 1 | 2;
  users: string[];
  remark?: string;
  state?: string;
  qrCode?: string;
}

/** Every way the bot created, by config_id. */
const REGISTRY = defineNamespace<RegistryEntry>('contact-ways');
const registry = (ctx: CommandContext) => ctx.state(REGISTRY);

/** What `--user`, `--state`, `--remark` and `--skip-verify` say (each optional). */
type SettingArgs = {
  user?: string[];
  state?: string;
  remark?: string;
  'skip-verify': boolean;
};

/** The settings given on the command line, checked against WeCom's limits. */
function config(args: SettingArgs): ContactWayConfig {
  const { remark, state, user: users } = args;
  if (users && users.length > 100) throw new UserError('commands.contactway.messages.tooManyUsers', { count: users.length });
  return {
    ...(users ? { user: users } : {}),
    ...(remark !== undefined ? { remark } : {}),
    ...(state !== undefined ? { state } : {}),
    ...(args['skip-verify'] ? { skip_verify: true } : {}),
  };
}

const settingOptions = [
  { name: 'user', type: 'list' },
  { name: 'state', type: 'string', maxChars: STATE_MAX },
  { name: 'remark', type: 'string', maxChars: REMARK_MAX },
  { name: 'skip-verify', type: 'flag' },
] as const;

const idArg = [{ name: 'id', type: 'string', required: true }] as const;

/** --type in words (any script): one member (单人) or several (多人); WeCom's 1 and 2 still read. */
const TYPE_WORDS: Record<string, 1 | 2> = { '1': 1, 单人: 1, single: 1, '2': 2, 多人: 2, multi: 2, multiple: 2 };
/** --scene in words: in a mini program (小程序) or as a QR code (二维码); WeCom's 1 and 2 still read. */
const SCENE_WORDS: Record<string, 1 | 2> = { '1': 1, 小程序: 1, 小程式: 1, miniprogram: 1, 'mini-program': 1, '2': 2, 二维码: 2, qrcode: 2, qr: 2 };

/** The value a word names among `words`. @throws UserError `key` when it names none. */
function wordOf(words: Record<string, 1 | 2>, word: string, key: string): 1 | 2 {
  const value = words[foldScript(word)];
  if (value === undefined) throw new UserError(key, { value: word });
  return value;
}

const create = action({
  sub: { 'zh-Hans': '新增', 'zh-Hant': '新增', en: 'add' },
  role: 'admin',
  options: [{ name: 'user', type: 'list', required: true }, ...settingOptions.slice(1), { name: 'type', type: 'string' }, { name: 'scene', type: 'string' }],
  run: async (ctx) => {
    const settings = config(ctx.args);
    const users = ctx.args.user;
    const type = ctx.args.type ? wordOf(TYPE_WORDS, ctx.args.type, 'commands.contactway.messages.badType') : users.length > 1 ? 2 : 1;
    const scene = ctx.args.scene ? wordOf(SCENE_WORDS, ctx.args.scene, 'commands.contactway.messages.badScene') : 2;
    if (type === 1 && users.length > 1) throw new UserError('commands.contactway.messages.singleNeedsOne');
    const res = await ctx.client.contactWay.create(type, scene, { skip_verify: false, ...settings });
    const person = await memberLabels(ctx);
    await registry(ctx).set(res.config_id, {
      configId: res.config_id,
      createdBy: ctx.user,
      createdAt: Date.now(),
      type,
      scene,
      users,
      ...(settings.remark ? { remark: settings.remark } : {}),
      ...(settings.state ? { state: settings.state } : {}),
      ...(res.qr_code ? { qrCode: res.qr_code } : {}),
    });
    return {
      title: ctx.t('messages.created'),
      tone: 'info',
      sections: [
        {
          lines: [
            row(ctx.t('common.ids.contactWay'), code(res.config_id)),
            row(ctx.t('fields.users'), users.map(person).join(ctx.listSeparator)),
            ...(settings.state ? [row(ctx.t('common.ids.state'), code(settings.state))] : []),
            ...(res.qr_code ? [row(ctx.t('fields.qr'), link(ctx.t('messages.openQr'), res.qr_code))] : []),
          ],
        },
      ],
    };
  },
});

async function view(ctx: CommandContext<{ id: string }>): Promise<Reply> {
  const { id } = ctx.args;
  const { contact_way: w } = await ctx.client.contactWay.get(id);
  const kept = await registry(ctx).get(id);
  const person = await memberLabels(ctx);
  return {
    title: ctx.t('messages.viewTitle', { remark: w.remark || id }),
    sections: [
      {
        lines: [
          row(ctx.t('common.ids.contactWay'), code(w.config_id)),
          row(ctx.t('fields.type'), ctx.t(`types.${w.type}`)),
          row(ctx.t('fields.scene'), ctx.t(`scenes.${w.scene}`)),
          row(ctx.t('fields.users'), (w.user ?? []).map(person).join(ctx.listSeparator) || '—'),
          ...(w.state ? [row(ctx.t('common.ids.state'), code(w.state))] : []),
          row(ctx.t('fields.skipVerify'), ctx.t(w.skip_verify ? 'common.yes' : 'common.no')),
          ...(w.qr_code ? [row(ctx.t('fields.qr'), link(ctx.t('messages.openQr'), w.qr_code))] : []),
          ...(kept ? [row(ctx.t('fields.createdBy'), `${person(kept.createdBy)} · ${formatDateTime(kept.createdAt, ctx.timeZone)}`)] : []),
        ],
      },
    ],
  };
}

async function edit(ctx: CommandContext<SettingArgs & { id: string }>): Promise<Reply> {
  const { id } = ctx.args;
  const settings = config(ctx.args);
  if (Object.keys(settings).length === 0) throw new UserError('commands.contactway.messages.nothingToChange');
  await ctx.client.contactWay.update(id, settings);
  const kept = await registry(ctx).get(id);
  if (kept) {
    await registry(ctx).set(id, {
      ...kept,
      ...(settings.user ? { users: settings.user } : {}),
      ...(settings.remark !== undefined ? { remark: settings.remark } : {}),
      ...(settings.state !== undefined ? { state: settings.state } : {}),
    });
  }
  return { title: ctx.t('messages.updated', { remark: settings.remark ?? kept?.remark ?? id }), tone: 'info' };
}

async function planDelete(ctx: CommandContext<{ id: string }>): Promise<Plan & { payload: { id: string; remark: string } }> {
  const { id } = ctx.args;
  const [{ contact_way: w }, person] = await Promise.all([ctx.client.contactWay.get(id), memberLabels(ctx)]);
  return {
    summary: {
      title: ctx.t('messages.deleteTitle', { remark: w.remark || id }),
      sections: [{ lines: [ctx.t('messages.deleteEffect'), `${ctx.t('common.ids.contactWay')} ${id}`] }],
    },
    fields: [
      [ctx.t('fields.users'), (w.user ?? []).map(person).join(ctx.listSeparator) || '—'],
      ['state', w.state ?? '—'],
    ],
    payload: { id, remark: w.remark || id },
  };
}

async function executeDelete(ctx: CommandContext, { id, remark }: { id: string; remark?: string }): Promise<Reply> {
  await ctx.client.contactWay.delete(id);
  await registry(ctx).delete(id);
  return { title: ctx.t('messages.deleted', { remark: remark ?? id }), tone: 'info', sections: [{ lines: [row(ctx.t('common.ids.contactWay'), code(id))] }] };
}

async function list(ctx: CommandContext): Promise<Reply> {
  const kept = new Map<string, RegistryEntry>();
  for await (const [id, entry] of registry(ctx).entries()) kept.set(id, entry);
  const listed = new Set<string>();
  for await (const page of ctx.client.contactWay.iterate(1000)) for (const w of page.contact_way) listed.add(w.config_id);
  const ids = [...new Set([...kept.keys(), ...listed])];
  if (ids.length === 0) return { title: ctx.t('messages.none') };
  const person = await memberLabels(ctx);
  const lines = ids
    .sort((a, b) => (kept.get(b)?.createdAt ?? 0) - (kept.get(a)?.createdAt ?? 0))
    .map((id): Line => {
      const e = kept.get(id);
      return e
        ? [
            code(id),
            ' ',
            bold(e.remark || '—'),
            ' ',
            color(
              'comment',
              `${e.users.map(person).join(ctx.listSeparator)}${e.state ? ` · state ${e.state}` : ''} · ${person(e.createdBy)} ${formatDateTime(e.createdAt, ctx.timeZone)}`,
            ),
          ]
        : [code(id), ' ', color('comment', ctx.t('messages.notByBot'))];
    });
  return {
    title: ctx.t('messages.listTitle', { count: ids.length, kept: kept.size }),
    sections: [{ lines }],
  };
}

/** /联系我: 「联系我」 ways; every way the bot creates is kept in the store with who made it and when. */
const contactway = defineCommand({
  id: 'contactway',
  names: { 'zh-Hans': '联系我', 'zh-Hant': '聯絡我', en: 'contactway' },
  actions: [
    create,
    action({ sub: { 'zh-Hans': '查看', 'zh-Hant': '查看', en: 'view' }, role: 'admin', args: idArg, run: view }),
    action({
      sub: { 'zh-Hans': '修改', 'zh-Hant': '修改', en: 'edit' },
      role: 'admin',
      args: idArg,
      options: settingOptions,
      anyOf: [['user', 'state', 'remark', 'skip-verify']],
      run: edit,
    }),
    action({ sub: { 'zh-Hans': '删除', 'zh-Hant': '刪除', en: 'delete' }, role: 'admin', args: idArg, plan: planDelete, execute: executeDelete }),
    action({ sub: { 'zh-Hans': '列表', 'zh-Hant': '列表', en: 'list' }, role: 'admin', run: list }),
    action({ role: 'admin', run: list }),
  ],
});

export default contactway;
