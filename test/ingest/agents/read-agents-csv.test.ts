import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { MAX_AGENTS, parseAgentsJson } from '../../../src/ingest/agents/agent-rows.ts';
import { readAgentsCsv } from '../../../src/ingest/agents/read-agents-csv.ts';

const fixture = (name: string) => createReadStream(new URL(`../../fixtures/csv/${name}`, import.meta.url));
/** The text as a stream cut into `size`-byte chunks, so the header and multi-byte characters get split. */
const streamOf = (text: string, size = 7) => {
  const bytes = Buffer.from(text, 'utf8');
  const chunks = Array.from({ length: Math.ceil(bytes.length / size) }, (_, i) =>
    bytes.subarray(i * size, (i + 1) * size),
  );
  return Readable.from(chunks);
};

describe('readAgentsCsv', () => {
  it('reads the agents file', async () => {
    expect(await readAgentsCsv(fixture('agents.csv'))).toEqual({
      ok: true,
      rows: [
        { id: '2001', name: 'John Doe', team: 'Support' },
        { id: '2002', name: 'Mei Tan', team: 'Support' },
        { id: '2003', name: 'Ali Hassan', team: 'Sales' },
        { id: '2004', name: 'Sarah Lee', team: 'Sales' },
      ],
    });
  });

  it('reads a spreadsheet export: BOM, ";", CRLF, quotes, header in any case and spacing, blank rows', async () => {
    expect(await readAgentsCsv(fixture('agents-semicolon.csv'))).toEqual({
      ok: true,
      rows: [
        { id: '2001', name: 'Doe; John', team: 'Support' },
        { id: '2002', name: 'Mei Tan', team: 'Support' },
        { id: '2003', name: 'Ali "Ace" Hassan', team: 'Sales' },
      ],
    });
  });

  it('keeps columns in any order, ignores others, and survives chunks that split characters', async () => {
    const text = 'Team,Email,Agent Name,Agent ID\nÉquipe Café,a@b.c,Zoë Łukasz,7\n';
    expect(await readAgentsCsv(streamOf(text, 3))).toEqual({
      ok: true,
      rows: [{ id: '7', name: 'Zoë Łukasz', team: 'Équipe Café' }],
    });
  });

  it('names every bad row and column, and keeps none of the file', async () => {
    expect(await readAgentsCsv(fixture('agents-bad.csv'))).toEqual({
      ok: false,
      problems: [
        { row: 3, column: 'Agent Name', message: 'is empty' },
        {
          row: 4,
          column: '',
          message: 'has 4 fields but the header has 3; put values that contain "," in double quotes',
        },
        { row: 5, column: 'Agent ID', message: '2001 is already on row 2' },
        { row: 6, column: 'Team', message: 'is empty' },
      ],
    });
  });

  it('explains a header without the columns, an empty file, a file without rows and a broken quote', async () => {
    const missing = await readAgentsCsv(streamOf('Name;Team\nMei;Support\n'));
    expect(missing.ok ? [] : missing.problems.map((p) => `${p.row} ${p.column}`)).toEqual([
      '1 Agent ID',
      '1 Agent Name',
    ]);
    expect(await readAgentsCsv(streamOf(''))).toMatchObject({
      ok: false,
      problems: [{ row: 1, column: '' }],
    });
    expect(await readAgentsCsv(streamOf('Agent ID,Agent Name,Team\r\n'))).toEqual({
      ok: false,
      problems: [{ row: 2, column: '', message: 'the file has a header but no agents' }],
    });
    expect(await readAgentsCsv(streamOf('Agent ID,Agent Name,Team\n1,Mei,Support\n2,"Ali,Sales\n'))).toEqual({
      ok: false,
      problems: [{ row: 3, column: '', message: 'a quote is not closed; close it with another "' }],
    });
  });

  it(`refuses more than ${MAX_AGENTS} agents`, async () => {
    const rows = Array.from({ length: MAX_AGENTS + 1 }, (_, i) => `${i},Agent ${i},Team ${i % 7}`);
    const result = await readAgentsCsv(streamOf(['Agent ID,Agent Name,Team', ...rows].join('\n'), 64 * 1024));
    expect(result).toEqual({
      ok: false,
      problems: [
        { row: MAX_AGENTS + 2, column: '', message: `more than ${MAX_AGENTS} agents; split the file` },
      ],
    });
  });

  it('throws when the stream itself fails, rather than calling it a bad file', async () => {
    await expect(readAgentsCsv(createReadStream('/no/such/agents.csv'))).rejects.toThrow(/ENOENT/);
  });
});

describe('parseAgentsJson', () => {
  it('takes an array of { id, name, team }, with whole-number ids', () => {
    expect(parseAgentsJson([{ id: 2001, name: ' John Doe ', team: 'Support' }])).toEqual({
      ok: true,
      rows: [{ id: '2001', name: 'John Doe', team: 'Support' }],
    });
  });

  it('names each bad item by index and field; an id given twice is one of them', () => {
    expect(
      parseAgentsJson([
        { id: 'a', name: 'Ann', team: 'Support' },
        { id: 'b', name: '', team: 'Support' },
        { id: 1.5, name: 'Bob', team: 'Sales' },
        { id: 'a', name: 'Ann again', team: 'Sales' },
      ]),
    ).toEqual({
      ok: false,
      problems: [
        { index: 1, field: 'name', message: 'is empty' },
        expect.objectContaining({ index: 2, field: 'id' }),
        { index: 3, field: 'id', message: 'a is already at index 0' },
      ],
    });
    expect(parseAgentsJson({ id: 'a', name: 'Ann', team: 'Support' })).toMatchObject({ ok: false });
    expect(parseAgentsJson([])).toMatchObject({ ok: false, problems: [{ message: 'no agents sent' }] });
  });
});
