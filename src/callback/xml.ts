import { Builder, parseStringPromise } from 'xml2js';

/** An XML element as xml2js gives it with `explicitArray: false`: text, a child map, or repeated children. */
export type XmlNode = string | XmlRecord | XmlNode[];
export interface XmlRecord {
  [name: string]: XmlNode | undefined;
}

/**
 * Parses a WeCom `<xml>…</xml>` document into its child map. CDATA is unwrapped and text trimmed; every leaf
 * stays a string (ids such as `0012` are never turned into numbers).
 * @throws Error when the text is not well-formed XML or has no `<xml>` root.
 */
export async function parseWeComXml(text: string): Promise<XmlRecord> {
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
