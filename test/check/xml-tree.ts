/** The few XML constructs the JUnit renderer may emit, parsed strictly: anything else throws. */
export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const entities: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decode(raw: string, where: number): string {
  if (/[<]/.test(raw)) throw new Error(`unescaped < at ${where}`);
  return raw.replace(/&([^;]*);?/g, (match, name: string) => {
    if (!match.endsWith(';')) throw new Error(`bare & at ${where}`);
    if (/^#\d+$/.test(name)) return String.fromCodePoint(Number(name.slice(1)));
    if (!(name in entities)) throw new Error(`unknown entity &${name}; at ${where}`);
    return entities[name]!;
  });
}

/**
 * Parses a document of one root element (after an optional XML declaration):
 * balanced tags, quoted unique attributes, known entities only, no stray text.
 */
export function parseXml(xml: string): XmlElement {
  let i = 0;
  const declaration = /^<\?xml version="1\.0" encoding="UTF-8"\?>\n?/.exec(xml);
  if (declaration) i = declaration[0].length;
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  while (i < xml.length) {
    if (xml[i] !== '<') {
      const end = xml.indexOf('<', i) === -1 ? xml.length : xml.indexOf('<', i);
      const raw = xml.slice(i, end);
      const parent = stack.at(-1);
      if (!parent && raw.trim() !== '') throw new Error(`text outside the root at ${i}`);
      if (raw.includes('>')) throw new Error(`unescaped > in text at ${i}`);
      if (parent) parent.text += decode(raw, i);
      i = end;
      continue;
    }
    const close = /^<\/([A-Za-z][\w.-]*)>/.exec(xml.slice(i));
    if (close) {
      const open = stack.pop();
      if (open?.name !== close[1]) throw new Error(`</${close[1]}> closes <${open?.name}> at ${i}`);
      i += close[0].length;
      continue;
    }
    const tag = /^<([A-Za-z][\w.-]*)((?:\s+[A-Za-z][\w.-]*="[^"<]*")*)\s*(\/?)>/.exec(xml.slice(i));
    if (!tag) throw new Error(`malformed tag at ${i}: ${xml.slice(i, i + 40)}`);
    if (root && stack.length === 0) throw new Error(`second root element at ${i}`);
    const element: XmlElement = { name: tag[1]!, attributes: {}, children: [], text: '' };
    for (const [, name, value] of tag[2]!.matchAll(/([A-Za-z][\w.-]*)="([^"]*)"/g)) {
      if (name! in element.attributes) throw new Error(`duplicate attribute ${name} at ${i}`);
      element.attributes[name!] = decode(value!, i);
    }
    (stack.at(-1)?.children ?? []).push(element);
    root ??= element;
    if (tag[3] !== '/') stack.push(element);
    i += tag[0].length;
  }
  if (!root || stack.length > 0) throw new Error(`unclosed <${stack.at(-1)?.name ?? 'root'}>`);
  return root;
}
