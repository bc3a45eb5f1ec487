import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App } from '@slack/bolt';
import { ConsoleLogger, LogLevel } from '@slack/logger';
import { FakeSlackApi } from '../test/fakes/fake-slack-api.ts';
import { SIGNING_SECRET } from '../test/fakes/signed-request.ts';

export interface BareApp {
  url: string;
  stop(): Promise<void>;
}

/** A Bolt app on its HTTP receiver that only acks `/assignments`: the floor for ack latency. */
export async function startBareApp(): Promise<BareApp> {
  const fake = await new FakeSlackApi().start();
  const logger = new ConsoleLogger();
  logger.setLevel(LogLevel.ERROR);
  const app = new App({
    token: 'xoxb-test',
    signingSecret: SIGNING_SECRET,
    botId: 'BBOT',
    botUserId: 'UBOT',
    logger,
    clientOptions: { slackApiUrl: fake.url, retryConfig: { retries: 0 } },
    port: 0,
  });
  app.command('/assignments', async ({ ack }) => {
    await ack();
  });
  const server = (await app.start(0)) as Server;
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    async stop() {
      await app.stop();
      await fake.stop();
    },
  };
}
