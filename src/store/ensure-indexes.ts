import type { Engine, ExistingIndex, IndexSpec } from './collection.ts';

// Start-up's index check, for databases as people run them: indexes built by hand under other names, users
// without the privilege to create them, managed deployments that create them on their own, and collections so
// large that a first build takes minutes. It lists what each collection has, creates only what is missing
// (unless told not to), and never fails start-up: what it could not do is said, with the index, the reason and
// how to fix it, and queries keep working meanwhile (more slowly).

/** The indexes one collection needs, and the names of those earlier versions created that these replace. */
export interface IndexSet {
  collection: string;
  indexes: IndexSpec[];
  /** Indexes Handoff created before, now superseded: their owner is told they may drop them. */
  retired?: string[];
}

export type IndexFinding =
  /** There, under its own name or an equivalent one (`as`). */
  | { kind: 'present'; collection: string; index: IndexSpec; as: string }
  | { kind: 'created'; collection: string; index: IndexSpec }
  /** Not there, and creating it was turned off (MONGODB_CREATE_INDEXES=false, or the console). */
  | { kind: 'missing'; collection: string; index: IndexSpec }
  /** Creating it failed, or would have: `reason` says why and what to do. */
  | { kind: 'failed'; collection: string; index: IndexSpec; reason: string }
  /** Still being built when start-up went on. */
  | { kind: 'building'; collection: string; index: IndexSpec };

export interface IndexNote {
  level: 'info' | 'warn';
  message: string;
}

export interface IndexCheck {
  findings: IndexFinding[];
  notes: IndexNote[];
  /** Builds still running when the check returned; resolves with what they came to. */
  building?: Promise<IndexCheck>;
}

export interface IndexOptions {
  /** Create what is missing (default true); false lists it as a warning instead. */
  create?: boolean;
  /** Why nothing is created, for that warning (default: MONGODB_CREATE_INDEXES=false). */
  notCreatingBecause?: string;
  /** How long to wait for builds before going on without them (default: until they finish). */
  waitMs?: number;
  /** Said where a hint names the database (`use <db>`), e.g. `handoff`. */
  dbName?: string;
}

function errorCode(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  return typeof error.code === 'number' ? error.code : undefined;
}

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** `{ ts: -1, _id: -1 }` as the shell writes it. */
function keysText(keys: Record<string, number | string>): string {
  return `{ ${Object.entries(keys)
    .map(
      ([k, v]) => `${/^[A-Za-z_$][\w$]*$/.test(k) ? k : `'${k}'`}: ${typeof v === 'string' ? `'${v}'` : v}`,
    )
    .join(', ')} }`;
}

/** The shell command that creates an index, for a person to run with the right role. */
export function createIndexCommand(collection: string, index: IndexSpec): string {
  const options = [`name: '${index.name}'`, ...(index.unique ? ['unique: true'] : [])];
  if (index.partialFilterExpression)
    options.push(`partialFilterExpression: ${JSON.stringify(index.partialFilterExpression)}`);
  return `db.${collection}.createIndex(${keysText(index.keys)}, { ${options.join(', ')} })`;
}

/** Key patterns compare field by field in order, by direction (MongoDB may list 1 as 1.0). */
function sameKeys(a: Record<string, number | string>, b: Record<string, number | string>): boolean {
  const [x, y] = [Object.entries(a), Object.entries(b)];
  const norm = (v: number | string) => (typeof v === 'number' ? Math.sign(v) : v);
  return x.length === y.length && x.every(([k, v], i) => y[i]?.[0] === k && norm(y[i]?.[1] ?? 0) === norm(v));
}

/** Equivalent as MongoDB judges it: the same keys, uniqueness and partial filter, whatever the name. */
export function isEquivalent(existing: ExistingIndex, wanted: IndexSpec): boolean {
  return (
    sameKeys(existing.keys, wanted.keys) &&
    Boolean(existing.unique) === Boolean(wanted.unique) &&
    JSON.stringify(existing.partialFilterExpression ?? null) ===
      JSON.stringify(wanted.partialFilterExpression ?? null)
  );
}

/** Why creating an index failed, and what to do about it, from MongoDB's error. */
function explainFailure(collection: string, index: IndexSpec, error: unknown, dbName: string): string {
  const code = errorCode(error);
  const create = createIndexCommand(collection, index);
  // 13 Unauthorized; 8000 is Atlas's "user is not allowed to do action [createIndex]".
  if (code === 13 || code === 8000 || /not (authorized|allowed)/i.test(messageOf(error)))
    return `the database user may not create indexes: it needs the createIndex action on ${dbName} (the readWrite or dbAdmin role). Ask an administrator to run \`${create}\`, or set MONGODB_CREATE_INDEXES=false to stop trying`;
  if (code === 85 || code === 86)
    return `it conflicts with an index already on ${collection} (${messageOf(error)}): drop that one, or create this one yourself with \`${create}\``;
  if (code === 171)
    return `some stored documents hold arrays in two of its fields (${messageOf(error)}); report this as a bug`;
  return `${messageOf(error)}; create it yourself with \`${create}\``;
}

function notesOf(
  findings: IndexFinding[],
  retiredNotes: IndexNote[],
  because: string,
  dbName: string | undefined,
): IndexNote[] {
  const notes: IndexNote[] = [];
  const missing = findings.filter((f) => f.kind === 'missing');
  if (missing.length > 0)
    notes.push({
      level: 'warn',
      message:
        `${because}: ${missing.length} index${missing.length === 1 ? ' is' : 'es are'} missing, so the queries they serve scan instead. Create ${missing.length === 1 ? 'it' : 'them'} with mongosh${dbName ? ` (use ${dbName})` : ''}:\n` +
        missing.map((f) => `  ${createIndexCommand(f.collection, f.index)}`).join('\n'),
    });
  for (const f of findings)
    if (f.kind === 'failed')
      notes.push({
        level: 'warn',
        message: `index ${f.index.name} on ${f.collection} was not created: ${f.reason}`,
      });
  const building = findings.filter((f) => f.kind === 'building');
  if (building.length > 0)
    notes.push({
      level: 'warn',
      message: `still building ${building.map((f) => `${f.index.name} on ${f.collection}`).join(', ')} in the background; the queries they serve are slow until they are built`,
    });
  const created = findings.filter((f) => f.kind === 'created');
  if (created.length > 0)
    notes.push({
      level: 'info',
      message: `created index${created.length === 1 ? '' : 'es'} ${created.map((f) => `${f.index.name} on ${f.collection}`).join(', ')}`,
    });
  for (const f of findings)
    if (f.kind === 'present' && f.as !== f.index.name)
      notes.push({
        level: 'info',
        message: `index ${f.index.name} on ${f.collection} is there as ${f.as} (an equivalent index under another name)`,
      });
  return [...notes, ...retiredNotes];
}

/** One collection: what it has, what it needs, and which of those to create. */
async function checkSet(
  engine: Engine,
  set: IndexSet,
  dbName: string,
): Promise<{ findings: IndexFinding[]; toCreate: IndexSpec[]; retiredNotes: IndexNote[] } | IndexFinding[]> {
  let existing: ExistingIndex[];
  try {
    existing = await engine.collection(set.collection).listIndexes();
  } catch (error) {
    const reason =
      errorCode(error) === 13
        ? `its indexes cannot be listed: the database user needs the listIndexes action on ${dbName} (the read role)`
        : `its indexes cannot be listed (${messageOf(error)})`;
    return set.indexes.map((index) => ({ kind: 'failed', collection: set.collection, index, reason }));
  }
  const findings: IndexFinding[] = [];
  const toCreate: IndexSpec[] = [];
  for (const index of set.indexes) {
    const equivalent = existing.find((e) => isEquivalent(e, index));
    if (equivalent) {
      findings.push({ kind: 'present', collection: set.collection, index, as: equivalent.name });
      continue;
    }
    const sameName = existing.find((e) => e.name === index.name);
    if (sameName) {
      findings.push({
        kind: 'failed',
        collection: set.collection,
        index,
        reason: `an index of that name already has keys ${keysText(sameName.keys)}, not ${keysText(index.keys)}: drop it (\`db.${set.collection}.dropIndex('${index.name}')\`) and start again`,
      });
      continue;
    }
    toCreate.push(index);
  }
  const retiredNotes: IndexNote[] = existing
    .filter((e) => set.retired?.includes(e.name) && !set.indexes.some((i) => isEquivalent(e, i)))
    .map((e) => ({
      level: 'info',
      message: `index ${e.name} on ${set.collection} is no longer used (a newer one replaces it); it may be dropped: db.${set.collection}.dropIndex('${e.name}')`,
    }));
  return { findings, toCreate, retiredNotes };
}

/**
 * Compares each collection's indexes with what the store needs and creates what is missing, one index at a
 * time (so a failure names its index). With `create: false` nothing is created and the missing ones are listed.
 * Never throws: every problem becomes a finding and a note.
 */
export async function ensureIndexes(
  engine: Engine,
  sets: readonly IndexSet[],
  options: IndexOptions = {},
): Promise<IndexCheck> {
  const create = options.create ?? true;
  const because = options.notCreatingBecause ?? 'MONGODB_CREATE_INDEXES=false';
  const dbName = options.dbName ?? 'the database';
  const findings: IndexFinding[] = [];
  const retiredNotes: IndexNote[] = [];
  const pending: { collection: string; index: IndexSpec }[] = [];
  for (const set of sets) {
    const checked = await checkSet(engine, set, dbName);
    if (Array.isArray(checked)) {
      findings.push(...checked);
      continue;
    }
    findings.push(...checked.findings);
    retiredNotes.push(...checked.retiredNotes);
    for (const index of checked.toCreate)
      if (create) pending.push({ collection: set.collection, index });
      else findings.push({ kind: 'missing', collection: set.collection, index });
  }

  const built: IndexFinding[] = [];
  const build = (async () => {
    for (const { collection, index } of pending) {
      try {
        await engine.collection(collection).createIndexes([index]);
        built.push({ kind: 'created', collection, index });
      } catch (error) {
        built.push({
          kind: 'failed',
          collection,
          index,
          reason: explainFailure(collection, index, error, dbName),
        });
      }
    }
  })();
  const finished = (): IndexCheck => {
    const all = [...findings, ...built];
    return { findings: all, notes: notesOf(all, retiredNotes, because, options.dbName) };
  };
  const waitMs = options.waitMs ?? Number.POSITIVE_INFINITY;
  let timer: NodeJS.Timeout | undefined;
  const done = await Promise.race([
    build.then(() => true),
    ...(Number.isFinite(waitMs)
      ? [
          new Promise<false>((resolve) => {
            timer = setTimeout(() => resolve(false), waitMs);
          }),
        ]
      : []),
  ]);
  clearTimeout(timer);
  if (done) return finished();
  // Start-up goes on; the builds go on too (a build on the server is not stopped by the client going away).
  const building = pending
    .filter((p) => !built.some((b) => b.index === p.index))
    .map(({ collection, index }): IndexFinding => ({ kind: 'building', collection, index }));
  const now = [...findings, ...built, ...building];
  return {
    findings: now,
    notes: notesOf(now, retiredNotes, because, options.dbName),
    building: build.then(finished),
  };
}

/** How long start-up waits for index builds before going on without them. */
export const STARTUP_BUILD_WAIT_MS = 10_000;

/**
 * Start-up's check as main.ts runs it: every note logged at its level, and builds that outlast
 * STARTUP_BUILD_WAIT_MS logged when they finish, while the bot already answers.
 */
export async function checkIndexesAtStart(
  engine: Engine,
  sets: readonly IndexSet[],
  options: IndexOptions & { log: (note: IndexNote) => void },
): Promise<IndexCheck> {
  const check = await ensureIndexes(engine, sets, { waitMs: STARTUP_BUILD_WAIT_MS, ...options });
  for (const note of check.notes) options.log(note);
  const building = new Set(check.findings.flatMap((f) => (f.kind === 'building' ? [f.index] : [])));
  void check.building?.then((done) => {
    for (const f of done.findings) {
      if (!building.has(f.index)) continue;
      if (f.kind === 'created')
        options.log({ level: 'info', message: `built index ${f.index.name} on ${f.collection}` });
      else if (f.kind === 'failed')
        options.log({
          level: 'warn',
          message: `index ${f.index.name} on ${f.collection} was not created: ${f.reason}`,
        });
    }
  });
  return check;
}
