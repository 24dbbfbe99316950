import { describe, expect, it } from "vitest";
import { parseInline, parseMarkdown } from "./markdown";

describe("parseMarkdown", () => {
  it.each([
    ["# Fault codes", [{ kind: "heading", level: 1, inline: [{ kind: "text", text: "Fault codes" }] }]],
    ["#### Deep ##", [{ kind: "heading", level: 3, inline: [{ kind: "text", text: "Deep" }] }]],
    ["#no space", [{ kind: "paragraph", inline: [{ kind: "text", text: "#no space" }] }]],
    [
      "one line\nand the next\n\nanother",
      [
        { kind: "paragraph", inline: [{ kind: "text", text: "one line and the next" }] },
        { kind: "paragraph", inline: [{ kind: "text", text: "another" }] },
      ],
    ],
    [
      "- wash filters\n- test the pump\n  if fitted\n1. isolate\n2) test",
      [
        {
          kind: "list",
          ordered: false,
          items: [[{ kind: "text", text: "wash filters" }], [{ kind: "text", text: "test the pump if fitted" }]],
        },
        { kind: "list", ordered: true, items: [[{ kind: "text", text: "isolate" }], [{ kind: "text", text: "test" }]] },
      ],
    ],
    ["```\nE5 <b>\n  F28\n```\nafter", [{ kind: "code", text: "E5 <b>\n  F28" }, { kind: "paragraph", inline: [{ kind: "text", text: "after" }] }]],
    ["```\nnever closed", [{ kind: "code", text: "never closed" }]],
    ["\r\n\r\n", []],
    [
      "| Code | Meaning |\n|---|:---:|\n| **F22** | Low pressure |\n| F28 |\nafter",
      [
        {
          kind: "table",
          head: [[{ kind: "text", text: "Code" }], [{ kind: "text", text: "Meaning" }]],
          rows: [
            [[{ kind: "strong", text: "F22" }], [{ kind: "text", text: "Low pressure" }]],
            [[{ kind: "text", text: "F28" }]],
          ],
        },
        { kind: "paragraph", inline: [{ kind: "text", text: "after" }] },
      ],
    ],
    ["| a | b |", [{ kind: "table", head: null, rows: [[[{ kind: "text", text: "a" }], [{ kind: "text", text: "b" }]]] }]],
  ])("%j", (text, blocks) => {
    expect(parseMarkdown(text)).toEqual(blocks);
  });
});

describe("parseInline", () => {
  it.each([
    ["plain", [{ kind: "text", text: "plain" }]],
    ["**E5**: low pressure", [{ kind: "strong", text: "E5" }, { kind: "text", text: ": low pressure" }]],
    ["set *heating* mode", [{ kind: "text", text: "set " }, { kind: "em", text: "heating" }, { kind: "text", text: " mode" }]],
    ["part `CB-*-2*` here", [{ kind: "text", text: "part " }, { kind: "code", text: "CB-*-2*" }, { kind: "text", text: " here" }]],
    ["2 * 3 * 4", [{ kind: "text", text: "2 * 3 * 4" }]],
    ["**unclosed", [{ kind: "text", text: "**unclosed" }]],
    ["snake_case_name", [{ kind: "text", text: "snake_case_name" }]],
    ["<script>alert(1)</script>", [{ kind: "text", text: "<script>alert(1)</script>" }]],
  ])("%j", (text, inline) => {
    expect(parseInline(text)).toEqual(inline);
  });
});
