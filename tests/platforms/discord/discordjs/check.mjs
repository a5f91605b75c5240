// check.mjs - shows the fake Discord (tests/fakes/discord_fake_main.c) speaks real Discord:
// discord.js, unmodified, is pointed at it (REST base only; the gateway URL comes from
// GET /gateway/bot as in production), connects, identifies, receives a MESSAGE_CREATE and
// replies through the fake REST API. The fake exits 0 once the reply arrived referencing the
// message. Without discord.js (.ci/setup installs it): a failure in CI, a skip (77) for a
// developer who has not run .ci/setup.
// Usage: node check.mjs PATH_TO_discord_fake_server
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

let djs;
try {
  djs = await import('discord.js');
} catch {
  console.log('discord.js is not installed: run .ci/setup (or .ci/npm-pinned tests/platforms/discord/discordjs discord.js)');
  process.exit(process.env.CI ? 1 : 77);
}
const { Client, Events, GatewayIntentBits, Partials } = djs;

const server = spawn(process.argv[2], [], { stdio: ['ignore', 'pipe', 'inherit'] });
const serverExit = new Promise((resolve) => server.on('exit', (code) => resolve(code)));
const lines = createInterface({ input: server.stdout });
const apiBase = await new Promise((resolve) => lines.once('line', resolve));
lines.on('line', (line) => console.log(`fake: ${line}`));

const client = new Client({
  intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages,
    GatewayIntentBits.DirectMessages, GatewayIntentBits.MessageContent],
  partials: [Partials.Channel],
  rest: { api: apiBase.replace(/\/v10$/, ''), retries: 1 },
});
let ready = false;
let received = '';
client.once(Events.ClientReady, () => { ready = true; });
client.on(Events.MessageCreate, (message) => {
  if (message.author.bot) return;
  received = message.content;
  message.reply('hello back').catch((error) => console.log(`reply failed: ${error}`));
});
const guard = setTimeout(() => { console.log('timed out'); process.exit(1); }, 45000);
await client.login('fake-token-for-discordjs');
const code = await serverExit;
clearTimeout(guard);
await client.destroy();
console.log(`ready=${ready} received="${received}" fake exit=${code}`);
process.exit(ready && received === 'hello from a person' && code === 0 ? 0 : 1);
