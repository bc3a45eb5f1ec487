import { createServer, type Server, type Socket } from 'node:net';
import { BSON } from 'mongodb';

// A MongoDB server faked on a loopback port, enough of the wire protocol for the official driver to connect and
// run commands: OP_QUERY for the first handshake, OP_MSG after. No MongoDB can run here, so this is how tests
// see what the driver sends (maxTimeMS, createIndexes) and how the store takes the server's answers (an old
// version, error codes, a command that never answers). A command's answer comes from `handlers`; every command
// is recorded.

type Doc = Record<string, unknown>;

const OP_REPLY = 1;
const OP_QUERY = 2004;
const OP_MSG = 2013;

/** An answer to a command: a document (`ok: 1` is added), an error, or no answer at all. */
export type FakeAnswer = Doc | { error: { code: number; codeName: string; errmsg: string } } | 'never';

export type FakeHandler = (command: Doc, db: string) => FakeAnswer | undefined;

export interface RecordedCommand {
  name: string;
  db: string;
  body: Doc;
}

export class FakeMongoServer {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  readonly commands: RecordedCommand[] = [];
  /** Handlers by command name, tried before the defaults. */
  readonly handlers = new Map<string, FakeHandler>();
  version = '7.0.12';
  maxWireVersion = 21;
  /** The server's clock: what `hello` answers as `localTime`. */
  clock = (): Date => new Date();
  url = '';
  /** Set by asReplicaSetPrimary(): the replica set this server says it is the primary of. */
  private replicaSet: string | undefined;
  private hostPort = '';

  async start(): Promise<this> {
    this.server = createServer((socket) => this.serve(socket));
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    const address = this.server.address();
    if (typeof address !== 'object' || address === null) throw new Error('fake MongoDB has no port');
    this.hostPort = `127.0.0.1:${address.port}`;
    this.url = `mongodb://${this.hostPort}/?directConnection=true`;
    return this;
  }

  /**
   * Says it is the primary of a one-member replica set `name`, so that the driver routes by read preference and
   * sends `$readPreference` with reads that may go elsewhere; answers the URI to connect with.
   */
  asReplicaSetPrimary(name: string, query = ''): string {
    this.replicaSet = name;
    return `mongodb://${this.hostPort}/?replicaSet=${name}${query ? `&${query}` : ''}`;
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** The recorded commands of one name (handshakes and pings left out unless asked for). */
  sent(name: string): RecordedCommand[] {
    return this.commands.filter((c) => c.name === name);
  }

  private serve(socket: Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => {});
    let buffer = Buffer.alloc(0);
    socket.on('data', (chunk) => {
      buffer = Buffer.concat([buffer, chunk]);
      while (buffer.length >= 4) {
        const length = buffer.readInt32LE(0);
        if (buffer.length < length) break;
        const message = buffer.subarray(0, length);
        buffer = buffer.subarray(length);
        this.receive(socket, message);
      }
    });
  }

  private receive(socket: Socket, message: Buffer): void {
    const requestId = message.readInt32LE(4);
    const opCode = message.readInt32LE(12);
    if (opCode === OP_QUERY) {
      // flags, then the collection name (a C string), skip and return counts, then the query.
      let at = 20;
      const nameEnd = message.indexOf(0, at);
      const ns = message.toString('utf8', at, nameEnd);
      at = nameEnd + 1 + 8;
      const query = BSON.deserialize(message.subarray(at));
      const answer = this.answer(query, ns.split('.')[0] ?? 'admin');
      if (answer) socket.write(reply(requestId, answer));
      return;
    }
    if (opCode === OP_MSG) {
      let at = 20;
      let body: Doc = {};
      const sequences: Record<string, Doc[]> = {};
      const end = message.readUInt32LE(16) & 1 ? message.length - 4 : message.length;
      while (at < end) {
        const kind = message.readUInt8(at);
        at += 1;
        const size = message.readInt32LE(at);
        if (kind === 0) body = BSON.deserialize(message.subarray(at, at + size));
        else {
          const nameEnd = message.indexOf(0, at + 4);
          const id = message.toString('utf8', at + 4, nameEnd);
          const docs: Doc[] = [];
          for (let p = nameEnd + 1; p < at + size; ) {
            const docSize = message.readInt32LE(p);
            docs.push(BSON.deserialize(message.subarray(p, p + docSize)));
            p += docSize;
          }
          sequences[id] = docs;
        }
        at += size;
      }
      const command = { ...body, ...sequences };
      const answer = this.answer(command, typeof body.$db === 'string' ? body.$db : 'admin');
      if (answer) socket.write(msg(requestId, answer));
    }
  }

  private answer(command: Doc, db: string): Doc | undefined {
    const name = Object.keys(command)[0] ?? '';
    this.commands.push({ name, db, body: command });
    const custom = this.handlers.get(name)?.(command, db);
    const answer = custom ?? this.defaultAnswer(name, command, db);
    if (answer === 'never') return undefined;
    if ('error' in answer && typeof answer.error === 'object' && answer.error !== null)
      return { ok: 0, ...answer.error };
    return { ok: 1, ...answer };
  }

  private defaultAnswer(name: string, command: Doc, db: string): FakeAnswer {
    switch (name) {
      case 'ismaster':
      case 'isMaster':
      case 'hello':
        return {
          ismaster: true,
          isWritablePrimary: true,
          helloOk: true,
          maxBsonObjectSize: 16 * 1024 * 1024,
          maxMessageSizeBytes: 48_000_000,
          maxWriteBatchSize: 100_000,
          localTime: this.clock(),
          logicalSessionTimeoutMinutes: 30,
          connectionId: 1,
          minWireVersion: 0,
          maxWireVersion: this.maxWireVersion,
          readOnly: false,
          ...(this.replicaSet
            ? {
                setName: this.replicaSet,
                hosts: [this.hostPort],
                me: this.hostPort,
                primary: this.hostPort,
                secondary: false,
              }
            : {}),
        };
      case 'buildInfo':
      case 'buildinfo':
        return { version: this.version, versionArray: this.version.split('.').map(Number) };
      case 'listIndexes':
        return { error: { code: 26, codeName: 'NamespaceNotFound', errmsg: `ns does not exist: ${db}` } };
      case 'find':
      case 'aggregate':
        return {
          cursor: { id: BSON.Long.fromNumber(0), ns: `${db}.${String(command[name])}`, firstBatch: [] },
        };
      case 'update':
      case 'delete':
      case 'insert':
        return { n: 0, nModified: 0 };
      default:
        return {};
    }
  }
}

function header(length: number, requestId: number, responseTo: number, opCode: number): Buffer {
  const h = Buffer.alloc(16);
  h.writeInt32LE(length, 0);
  h.writeInt32LE(requestId, 4);
  h.writeInt32LE(responseTo, 8);
  h.writeInt32LE(opCode, 12);
  return h;
}

let nextId = 1;

function reply(responseTo: number, doc: Doc): Buffer {
  const body = Buffer.from(BSON.serialize(doc));
  const fields = Buffer.alloc(20);
  fields.writeInt32LE(0, 0); // responseFlags
  fields.writeBigInt64LE(0n, 4); // cursorID
  fields.writeInt32LE(0, 12); // startingFrom
  fields.writeInt32LE(1, 16); // numberReturned
  const length = 16 + fields.length + body.length;
  return Buffer.concat([header(length, nextId++, responseTo, OP_REPLY), fields, body]);
}

function msg(responseTo: number, doc: Doc): Buffer {
  const body = Buffer.from(BSON.serialize(doc));
  const flags = Buffer.alloc(5);
  flags.writeUInt32LE(0, 0);
  flags.writeUInt8(0, 4); // section kind 0: the body
  const length = 16 + flags.length + body.length;
  return Buffer.concat([header(length, nextId++, responseTo, OP_MSG), flags, body]);
}
