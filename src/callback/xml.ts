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

const FLAT_DOCUMENT = /^\s*<xml>((?:\s*<(\w+)>(?:<!\[CDATA\[[\s\S]*?\]\]>|[^<]*)<\/\2>)*)\s*<\/xml>\s*$/;
const FLAT_CHILD = /<(\w+)>(?:<!\[CDATA\[([\s\S]*?)\]\]>|([^<]*))<\/\1>/g;

/**
 * The fast path for WeCom's flat documents (every child a text or CDATA leaf, each name once), which is nearly every
 * envelope and message. Anything else (nested elements, repeated names, unusual entities) returns undefined and goes
 * through xml2js. Gives exactly what xml2js gives for these documents: trimmed strings.
 */
export function parseFlatXml(text: string): XmlRecord | undefined {
  const body = FLAT_DOCUMENT.exec(text)?.[1];
  if (body === undefined) return undefined;
  const record: XmlRecord = {};
  for (const [, name, cdata, plain] of body.matchAll(FLAT_CHILD)) {
    if (name === undefined || name in record) return undefined;
    const value = cdata !== undefined ? cdata : decodeEntities(plain ?? '');
    if (value === undefined) return undefined;
    record[name] = value.trim();
  }
  return record;
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
