import type { ContactWayConfig } from '../../wecom/types/index.js';
import { pageOf } from '../cursor.js';
import type { Corp, SimContactWay } from '../corp.js';
import { simError } from '../errors.js';
import type { Endpoint } from './types.js';
import { intField, optionalString, stringList } from './validate.js';

function readConfig(body: Record<string, unknown>, corp: Corp, type: 1 | 2): ContactWayConfig {
  const users = stringList(body, 'user', { max: 100 });
  if (Array.isArray(body.user) && body.user.length > 100) throw simError(41041);
  for (const u of users) {
    if (corp.member(u).status !== 'active') throw simError(60111, `member has resigned: ${u}`);
  }
  if (type === 1 && users.length > 1) throw simError(41041, 'a single-member way takes one member');
  const config: ContactWayConfig = {};
  if (body.user !== undefined) config.user = users;
  if (Array.isArray(body.party)) config.party = body.party as number[];
  if (body.style !== undefined) config.style = intField(body, 'style', 1, 0, 100);
  const remark = optionalString(body, 'remark', 30);
  if (remark !== undefined) config.remark = remark;
  const state = optionalString(body, 'state', 30);
  if (state !== undefined) config.state = state;
  if (body.skip_verify !== undefined) config.skip_verify = body.skip_verify === true;
  if (body.is_temp !== undefined) config.is_temp = body.is_temp === true;
  if (body.expires_in !== undefined) config.expires_in = intField(body, 'expires_in', 0, 1, 14 * 86400);
  if (body.chat_expires_in !== undefined) config.chat_expires_in = intField(body, 'chat_expires_in', 0, 1, 14 * 86400);
  return config;
}

function way(body: Record<string, unknown>, corp: Corp): SimContactWay {
  if (body.config_id === undefined || body.config_id === '') throw simError(41043);
  const found = typeof body.config_id === 'string' ? corp.contactWays.get(body.config_id) : undefined;
  if (!found) throw simError(41044);
  return found;
}

/** 「联系我」 ways: add, get, update, delete, list. */
export const contactWayEndpoints: Endpoint[] = [
  {
    method: 'POST',
    path: 'externalcontact/add_contact_way',
    token: 'any',
    handle: ({ body }, { corp }) => {
      if (body.type === undefined) throw simError(41037);
      if (body.scene === undefined) throw simError(41038);
      if (body.type !== 1 && body.type !== 2) throw simError(41039);
      if (body.scene !== 1 && body.scene !== 2) throw simError(41040);
      const config = readConfig(body, corp, body.type);
      if (!config.user?.length && !config.party?.length) throw simError(40058, 'user and party are both empty');
      // A temporary-session way serves one member only (doc 92228).
      if (config.is_temp && body.type !== 1) throw simError(40058, 'a temporary session way takes a single member (type 1)');
      // The API adds at most its quota of ways (doc 92228: 41045).
      if (corp.contactWays.size >= corp.contactWayQuota) throw simError(41045);
      const config_id = corp.newId('', 32).toLowerCase();
      const qr_code = body.scene === 2 ? `https://wework.qpic.cn/wwpic/sim_${config_id}/0` : undefined;
      corp.contactWays.set(config_id, {
        config_id,
        type: body.type,
        scene: body.scene,
        skip_verify: true,
        ...config,
        ...(qr_code ? { qr_code } : {}),
        created: corp.nowSeconds(),
      });
      return { config_id, ...(qr_code ? { qr_code } : {}) };
    },
  },
  {
    method: 'POST',
    path: 'externalcontact/get_contact_way',
    token: 'any',
    handle: ({ body }, { corp }) => {
      const { created: _created, ...contact_way } = way(body, corp);
      return { contact_way };
    },
  },
  {
    method: 'POST',
    path: 'externalcontact/update_contact_way',
    token: 'any',
    handle: ({ body }, { corp }) => {
      const found = way(body, corp);
      if (found.is_temp && found.created + (found.expires_in ?? 7 * 86400) < corp.nowSeconds()) {
        throw simError(40058, 'an expired temporary way cannot be changed');
      }
      Object.assign(found, readConfig(body, corp, found.type));
      return {};
    },
  },
  {
    method: 'POST',
    path: 'externalcontact/del_contact_way',
    token: 'any',
    handle: ({ body }, { corp }) => {
      corp.contactWays.delete(way(body, corp).config_id);
      return {};
    },
  },
  {
    method: 'POST',
    path: 'externalcontact/list_contact_way',
    token: 'any',
    handle: ({ body }, { corp }) => {
      const now = corp.nowSeconds();
      const start = intField(body, 'start_time', now - 90 * 86400, 0, 2 ** 32);
      const end = intField(body, 'end_time', now, 0, 2 ** 32);
      const limit = intField(body, 'limit', 100, 1, 1000);
      const ways = [...corp.contactWays.values()].filter((w) => !w.is_temp && w.created >= start && w.created <= end);
      const { page, next_cursor } = pageOf(ways, body.cursor, limit, `ways:${start}:${end}`);
      return { contact_way: page.map((w) => ({ config_id: w.config_id })), next_cursor };
    },
  },
];
