import { createReadStream, readFileSync } from 'node:fs';
import { Readable, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import type { AssignmentEvent, StoredEvent } from '../../../src/domain/event.ts';
import { storedEventSchema } from '../../../src/domain/event.ts';
import type { IngestOptions, IngestSummary } from '../../../src/store/assignment-store.ts';
import { EVENTS } from '../../../src/store/assignment-store.ts';
import type { Engine } from '../../../src/store/collection.ts';
import { COUNTED } from '../../../src/store/pipelines.ts';

export const fixturePath = (name: string): string =>
  fileURLToPath(new URL(`../../fixtures/csv/${name}`, import.meta.url));

export const readFixture = (name: string): string => readFileSync(fixturePath(name), 'utf8');

/** Opens a fixture once per pass, as the importer asks, counting how often it was opened. */
export function fixtureInput(name: string): { open: () => Readable; opened: () => number } {
  let opened = 0;
  return {
    open: () => {
      opened++;
      return createReadStream(fixturePath(name));
    },
    opened: () => opened,
  };
}

/** A stream of `text` delivered in chunks of `size` bytes, to cross chunk boundaries anywhere. */
export function textInput(text: string, size = 7): () => Readable {
  return () => {
    const bytes = Buffer.from(text, 'utf8');
    const chunks: Buffer[] = [];
    for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.subarray(i, i + size));
    return Readable.from(chunks);
  };
}

/** A writable that keeps what it is given as text. */
export function textSink(): Writable & { text: () => string } {
  const chunks: Buffer[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk);
      done();
    },
  });
  return Object.assign(sink, { text: () => Buffer.concat(chunks).toString('utf8') });
}

/** A store that records every ingest call and accepts everything. */
export function recordingStore() {
  const calls: { events: AssignmentEvent[]; options: IngestOptions | undefined }[] = [];
  return {
    calls,
    async ingest(events: AssignmentEvent[], options?: IngestOptions): Promise<IngestSummary> {
      calls.push({ events, options });
      return { accepted: events.length, duplicates: 0, unchanged: 0, enriched: 0 };
    },
  };
}

/** The stored events that count, oldest first. */
export async function storedEvents(engine: Engine): Promise<StoredEvent[]> {
  const out: StoredEvent[] = [];
  for await (const doc of engine.collection(EVENTS).find(COUNTED, { sort: { ts: 1, _id: 1 } }))
    out.push(storedEventSchema.parse(doc));
  return out;
}

export const HEADER =
  'Timestamp,Conversation ID,Contact ID,Contact Name,Previous Assignee,Assigned To,Source,Assigned By';
