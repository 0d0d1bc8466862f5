import { Builder, parseStringPromise } from 'xml2js';

/** An XML element as xml2js gives it with `explicitArray: false`: text, a child map, or repeated children. */
export type XmlNode = string | XmlRecord | XmlNode[];
export interface XmlRecord {
  [name: string]: XmlNode | undefined;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decodeEntities(text: string): string | undefined {
  let ok = true;
  const out = text.replace(/&(#x[0-9a-fA-F]+|#\d+|\w+);/g, (whole, name: string) => {
    if (name.startsWith('#x')) return String.fromCodePoint(parseInt(name.slice(2), 16));
    if (name.startsWith('#')) return String.fromCodePoint(Number(name.slice(1)));
    const found = ENTITIES[name];
    if (found === undefined) ok = false;
    return found ?? whole;
  });
  return ok && !/&(?!(#x[0-9a-fA-F]+|#\d+|\w+);)/.test(text) ? out : undefined;
}

const NAME = /^[A-Za-z_][\w.-]*$/;

/**
 * The fast path for WeCom's flat documents (every child a text or CDATA leaf, each name once), which is nearly every
 * message. Anything else (nested elements, repeated names, unusual entities) returns undefined and goes through
 * xml2js. Gives exactly what xml2js gives for these documents: trimmed strings. One pass with `indexOf`: linear in
 * the length of the text whatever it holds.
 */
export function parseFlatXml(text: string): XmlRecord | undefined {
  let pos = 0;
  let end = text.length;
  while (pos < end && text.charCodeAt(pos) <= 32) pos++;
  while (end > pos && text.charCodeAt(end - 1) <= 32) end--;
  if (!text.startsWith('<xml>', pos) || !text.endsWith('</xml>', end)) return undefined;
  pos += '<xml>'.length;
  end -= '</xml>'.length;
  const record: XmlRecord = {};
  for (;;) {
    while (pos < end && text.charCodeAt(pos) <= 32) pos++;
    if (pos === end) return record;
    if (text.charCodeAt(pos) !== 60 /* < */) return undefined;
    const close = text.indexOf('>', pos);
    if (close < 0 || close >= end) return undefined;
    const name = text.slice(pos + 1, close);
    if (!NAME.test(name) || Object.hasOwn(record, name)) return undefined;
    pos = close + 1;
    let value: string | undefined;
    if (text.startsWith('<![CDATA[', pos)) {
      const cdataEnd = text.indexOf(']]>', pos);
      if (cdataEnd < 0 || cdataEnd >= end) return undefined;
      value = text.slice(pos + '<![CDATA['.length, cdataEnd);
      pos = cdataEnd + 3;
    } else {
      const lt = text.indexOf('<', pos);
      if (lt < 0 || lt > end) return undefined;
      value = decodeEntities(text.slice(pos, lt));
      pos = lt;
    }
    const closing = `</${name}>`;
    if (value === undefined || !text.startsWith(closing, pos) || pos + closing.length > end) return undefined;
    pos += closing.length;
    record[name] = value.trim();
  }
}

/**
 * Parses a WeCom `<xml>…</xml>` document into its child map. CDATA is unwrapped and text trimmed; every leaf
 * stays a string (ids such as `0012` are never turned into numbers).
 * @throws Error when the text is not well-formed XML or has no `<xml>` root.
 */
export async function parseWeComXml(text: string): Promise<XmlRecord> {
  const flat = parseFlatXml(text);
  if (flat) return flat;
  const doc: unknown = await parseStringPromise(text, { explicitArray: false, trim: true, explicitRoot: true });
  if (!doc || typeof doc !== 'object' || !('xml' in doc)) {
    throw new Error('no <xml> root element');
  }
  const root = (doc as { xml: unknown }).xml;
  if (typeof root === 'string') {
    return {};
  }
  if (!root || typeof root !== 'object' || Array.isArray(root)) {
    throw new Error('unexpected <xml> content');
  }
  return root as XmlRecord;
}

/** The text of a leaf child, or undefined when absent or not a leaf. */
export function leaf(record: XmlRecord, name: string): string | undefined {
  const node = record[name];
  if (typeof node === 'string') return node;
  if (Array.isArray(node) && typeof node[0] === 'string') return node[0];
  return undefined;
}

/** Children of `name` as a list, whether xml2js collapsed a single one or not. */
export function children(record: XmlRecord | undefined, name: string): XmlNode[] {
  const node = record?.[name];
  if (node === undefined) return [];
  return Array.isArray(node) ? node : [node];
}

const builder = new Builder({ rootName: 'xml', headless: true, cdata: true, renderOpts: { pretty: false } });

/** Builds a flat `<xml>` document (values become CDATA where needed); used for outgoing callbacks. */
export function buildWeComXml(fields: Record<string, string | number | XmlRecord | undefined>): string {
  const clean: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(fields)) {
    if (v !== undefined) clean[k] = typeof v === 'number' ? String(v) : v;
  }
  return builder.buildObject(clean);
}
