import { spawnSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { z } from 'zod';

// The files that run Handoff elsewhere: docker-compose.yml (checked by `docker compose config` when Compose is
// installed and working, read as YAML otherwise), the Dockerfile, and the CI workflow.

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const read = (path: string) => readFile(`${ROOT}${path}`, 'utf8');

/** `docker compose` or `docker-compose`, whichever answers here; none on a machine without Compose. */
function composeCommand(): string[] | undefined {
  for (const command of [['docker', 'compose'], ['docker-compose']]) {
    const [bin = '', ...args] = command;
    const run = spawnSync(bin, [...args, 'version'], { encoding: 'utf8', timeout: 15_000 });
    if (run.status === 0) return command;
  }
  return undefined;
}

const serviceSchema = z.object({
  image: z.string().optional(),
  build: z.unknown().optional(),
  environment: z.record(z.string(), z.union([z.string(), z.number()]).nullable()).optional(),
  volumes: z.array(z.union([z.string(), z.object({ source: z.string(), target: z.string() })])).optional(),
  ports: z.array(z.unknown()).optional(),
  depends_on: z.record(z.string(), z.object({ condition: z.string() })).optional(),
  healthcheck: z.object({ test: z.array(z.string()) }).optional(),
});
const composeSchema = z.object({
  services: z.object({ bot: serviceSchema, mongo: serviceSchema, quickchart: serviceSchema }),
  volumes: z.record(z.string(), z.unknown()),
});

/** The compose file as Compose resolves it, or as written when Compose is not here to resolve it. */
async function composeFile(): Promise<{ checkedBy: string; config: z.infer<typeof composeSchema> }> {
  const compose = composeCommand();
  if (compose) {
    const [bin = '', ...args] = compose;
    const run = spawnSync(bin, [...args, 'config', '--format', 'json'], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 60_000,
      env: { ...process.env, QUICKCHART_URL: '' },
    });
    if (run.status !== 0) throw new Error(`${compose.join(' ')} config failed: ${run.stderr}`);
    return { checkedBy: compose.join(' '), config: composeSchema.parse(JSON.parse(run.stdout)) };
  }
  return { checkedBy: 'a YAML parse', config: composeSchema.parse(parse(await read('docker-compose.yml'))) };
}

describe('docker-compose.yml', () => {
  it('runs the bot on MongoDB 8 with a named volume and on a self-hosted QuickChart', async () => {
    const { checkedBy, config } = await composeFile();
    const { bot, mongo, quickchart } = config.services;
    expect(checkedBy).toBeTruthy();

    expect(mongo.image).toBe('mongo:8');
    const dataVolume = (mongo.volumes ?? []).map((v) =>
      typeof v === 'string' ? v : `${v.source}:${v.target}`,
    );
    expect(dataVolume).toContain('mongo-data:/data/db');
    expect(Object.keys(config.volumes)).toContain('mongo-data');
    expect(mongo.healthcheck?.test.join(' ')).toContain('ping');
    // MongoDB is reached by the bot only: no port of it is published on the host.
    expect(mongo.ports ?? []).toEqual([]);

    expect(quickchart.image).toBe('ianw/quickchart');

    expect(bot.build).toBeDefined();
    expect(bot.environment?.MONGODB_URI).toBe('mongodb://mongo:27017');
    expect(String(bot.environment?.QUICKCHART_URL)).toMatch(
      /^(\$\{QUICKCHART_URL:-)?http:\/\/localhost:3400\}?$/,
    );
    expect(bot.depends_on?.mongo?.condition).toBe('service_healthy');
    expect(Object.keys(bot.depends_on ?? {})).toContain('quickchart');
  });
});

describe('Dockerfile', () => {
  it('installs production dependencies from the lockfile and starts the bot with node itself', async () => {
    const dockerfile = await read('Dockerfile');
    expect(dockerfile).toMatch(/^FROM node:22-slim/m);
    expect(dockerfile).toContain('npm ci --omit=dev');
    for (const folder of ['src', 'commands', 'jobs'])
      expect(dockerfile).toContain(`COPY ${folder} ./${folder}`);
    expect(dockerfile).toContain('CMD ["node", "--import", "tsx", "src/main.ts"]');
    const ignored = (await read('.dockerignore')).split('\n');
    expect(ignored).toEqual(expect.arrayContaining(['.env', 'node_modules']));
    // tsx runs the sources in production, so it must be a dependency, not a devDependency.
    const pkg = z
      .object({ dependencies: z.record(z.string(), z.string()) })
      .parse(JSON.parse(await read('package.json')));
    expect(Object.keys(pkg.dependencies)).toContain('tsx');
  });
});

describe('the CI workflow', () => {
  const workflowSchema = z.object({
    jobs: z.record(
      z.string(),
      z.object({
        strategy: z.object({ matrix: z.record(z.string(), z.array(z.string())) }).optional(),
        services: z.record(z.string(), z.object({ image: z.string() })).optional(),
        env: z.record(z.string(), z.string()).optional(),
        steps: z.array(
          z.object({ run: z.string().optional(), with: z.record(z.string(), z.unknown()).optional() }),
        ),
      }),
    ),
  });

  it('runs .ci/run on Node 20 and 22 against MongoDB 7.0 and 8.0, and once without MongoDB', async () => {
    const { jobs } = workflowSchema.parse(parse(await read('.github/workflows/ci.yml')));
    const withMongo = Object.values(jobs).filter((j) => j.services);
    const without = Object.values(jobs).filter((j) => !j.services);
    expect(withMongo).toHaveLength(1);
    expect(without).toHaveLength(1);
    const [mongoJob] = withMongo;
    expect(mongoJob?.strategy?.matrix.node).toEqual(['20', '22']);
    expect(mongoJob?.strategy?.matrix.mongodb).toEqual(['7.0', '8.0']);
    expect(Object.values(mongoJob?.services ?? {}).map((s) => s.image)).toEqual([
      // GitHub's expression syntax, not a template placeholder.
      ['mongo:$', '{{ matrix.mongodb }}'].join(''),
    ]);
    expect(mongoJob?.env?.MONGODB_URI).toBe('mongodb://localhost:27017');
    expect(without[0]?.env?.MONGODB_URI).toBeUndefined();
    for (const job of Object.values(jobs)) expect(job.steps.map((s) => s.run)).toContain('bash .ci/run');
  });
});
