/**
 * The Markdown that technical guides are written in, read into blocks to show: headings,
 * paragraphs, bulleted and numbered lists, tables (an error-code table above all), fenced
 * code, and **bold**, *italic* and `code` within a line. Everything else is text: no HTML is ever made from a guide, so a guide can
 * hold nothing that runs.
 */

export type Inline = { kind: "text" | "strong" | "em" | "code"; text: string };

export type Block =
  | { kind: "heading"; level: 1 | 2 | 3; inline: Inline[] }
  | { kind: "paragraph"; inline: Inline[] }
  | { kind: "list"; ordered: boolean; items: Inline[][] }
  | { kind: "table"; head: Inline[][] | null; rows: Inline[][][] }
  | { kind: "code"; text: string };

const BULLET = /^\s*[-*+]\s+(.*)$/;
const NUMBERED = /^\s*\d{1,3}[.)]\s+(.*)$/;
const HEADING = /^(#{1,6})\s+(.*?)\s*#*\s*$/;
const FENCE = /^\s*(```|~~~)/;
const TABLE_ROW = /^\s*\|/;
const TABLE_RULE = /^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$/;

/** The cells of a table row: `| a | b |` is `a`, `b`. */
function cells(line: string): Inline[][] {
  const inner = line.trim().replace(/^\|/, "").replace(/\|$/, "");
  return inner.split("|").map((c) => parseInline(c.trim()));
}

/** Reads `text` (a guide's body) into blocks, in order. */
export function parseMarkdown(text: string): Block[] {
  const lines = text.replace(/\r\n?/g, "\n").split("\n");
  const blocks: Block[] = [];
  let paragraph: string[] = [];
  let list: { ordered: boolean; items: string[] } | null = null;

  const flush = () => {
    if (paragraph.length > 0) {
      blocks.push({ kind: "paragraph", inline: parseInline(paragraph.join(" ")) });
      paragraph = [];
    }
    if (list) {
      blocks.push({ kind: "list", ordered: list.ordered, items: list.items.map(parseInline) });
      list = null;
    }
  };

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const fence = FENCE.exec(line);
    if (fence) {
      flush();
      const code: string[] = [];
      for (i++; i < lines.length && !lines[i].trimStart().startsWith(fence[1]); i++) code.push(lines[i]);
      blocks.push({ kind: "code", text: code.join("\n") });
      continue;
    }
    if (line.trim() === "") {
      flush();
      continue;
    }
    if (TABLE_ROW.test(line)) {
      flush();
      const rows: string[] = [];
      for (; i < lines.length && TABLE_ROW.test(lines[i]); i++) rows.push(lines[i]);
      i--;
      const ruled = rows.length > 1 && TABLE_RULE.test(rows[1]);
      blocks.push({
        kind: "table",
        head: ruled ? cells(rows[0]) : null,
        rows: (ruled ? rows.slice(2) : rows).map(cells),
      });
      continue;
    }
    const heading = HEADING.exec(line);
    if (heading) {
      flush();
      const level = Math.min(heading[1].length, 3) as 1 | 2 | 3;
      blocks.push({ kind: "heading", level, inline: parseInline(heading[2]) });
      continue;
    }
    const bullet = BULLET.exec(line);
    const numbered = bullet ? null : NUMBERED.exec(line);
    const item = bullet ?? numbered;
    if (item) {
      const ordered = numbered !== null;
      if (paragraph.length > 0 || (list && list.ordered !== ordered)) flush();
      list ??= { ordered, items: [] };
      list.items.push(item[1]);
      continue;
    }
    if (list && /^\s+\S/.test(line)) {
      // An indented line continues the list item above it.
      list.items[list.items.length - 1] += ` ${line.trim()}`;
      continue;
    }
    if (list) flush();
    paragraph.push(line.trim());
  }
  flush();
  return blocks;
}

/** Reads the marks within one line: `code` first (nothing inside it is a mark), then
 * **bold** and *italic* (or with underscores). An unclosed mark is text as typed. */
export function parseInline(text: string): Inline[] {
  const out: Inline[] = [];
  const push = (kind: Inline["kind"], t: string) => {
    if (t === "") return;
    const last = out[out.length - 1];
    if (kind === "text" && last?.kind === "text") last.text += t;
    else out.push({ kind, text: t });
  };
  const marks = /`([^`]+)`|\*\*(.+?)\*\*|__(.+?)__|\*(\S(?:.*?\S)?)\*|\b_(\S(?:.*?\S)?)_\b/g;
  let at = 0;
  for (const m of text.matchAll(marks)) {
    push("text", text.slice(at, m.index));
    if (m[1] !== undefined) push("code", m[1]);
    else if (m[2] !== undefined || m[3] !== undefined) push("strong", m[2] ?? m[3]);
    else push("em", m[4] ?? m[5]);
    at = m.index + m[0].length;
  }
  push("text", text.slice(at));
  return out;
}
