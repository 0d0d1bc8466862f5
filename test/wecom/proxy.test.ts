import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { expect } from 'chai';
import { createSimulator, type Simulator } from '../../src/simulator/index.js';
import { createWeComClient, WeComTransportError, type WeComClient } from '../../src/wecom/index.js';

/** An egress proxy that tunnels every CONNECT to `port` on this machine, and notes what was asked for. */
async function tunnel(port: number): Promise<{ server: Server; url: string; asked: string[] }> {
  const asked: string[] = [];
  const server = createServer((_req, res) => res.writeHead(405).end());
  server.on('connect', (req, socket) => {
    asked.push(req.url ?? '');
    const upstream = connect(port, '127.0.0.1', () => {
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    upstream.on('error', () => socket.destroy());
    socket.on('error', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, asked };
}

describe('WeCom through an egress proxy (issue 27)', () => {
  let sim: Simulator;
  let proxy: Awaited<ReturnType<typeof tunnel>>;
  const clients: WeComClient[] = [];
  const saved = { HTTP_PROXY: process.env.HTTP_PROXY, HTTPS_PROXY: process.env.HTTPS_PROXY, NO_PROXY: process.env.NO_PROXY };
  beforeEach(async () => {
    sim = await createSimulator({ members: 5, customers: 20, seed: 5 });
    proxy = await tunnel(Number(new URL(sim.wecomConfig().apiBase).port));
  });
  afterEach(async () => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    for (const c of clients.splice(0)) await c.close();
    await new Promise((resolve) => proxy.server.close(resolve));
    await sim.close();
  });

  /** A client of the simulator under a name only the proxy can reach (it tunnels every host to the simulator). */
  const client = () => {
    const config = sim.wecomConfig();
    const made = createWeComClient({ ...config, apiBase: config.apiBase.replace('127.0.0.1', 'qyapi.wecom.test'), retries: 0 });
    clients.push(made);
    return made;
  };

  it('goes through the proxy the environment names (HTTP_PROXY for http://, HTTPS_PROXY for https://)', async () => {
    process.env.HTTP_PROXY = proxy.url;
    process.env.HTTPS_PROXY = proxy.url;
    delete process.env.NO_PROXY;
    const answer = await client().externalContact.getFollowUsers();
    expect(answer.follow_user.length).to.be.above(0);
    expect(proxy.asked.some((a) => a.startsWith('qyapi.wecom.test:'))).to.equal(true);
  });

  it('goes direct to a host NO_PROXY names (here it cannot resolve the name, so the call fails without the proxy seeing it)', async () => {
    process.env.HTTP_PROXY = proxy.url;
    process.env.NO_PROXY = 'qyapi.wecom.test';
    const err = await client()
      .externalContact.getFollowUsers()
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(WeComTransportError.is(err), String(err)).to.equal(true);
    expect(proxy.asked).to.deep.equal([]);
  });
});
