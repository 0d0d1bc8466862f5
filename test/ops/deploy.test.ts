import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { parse } from 'yaml';
import { ROOT } from '../helpers/process.js';

interface ComposeService {
  profiles?: string[];
  image?: string;
  command?: string[];
  environment?: Record<string, string>;
  ports?: string[];
  volumes?: string[];
  stop_grace_period?: string;
  healthcheck?: { test: string[] };
  depends_on?: Record<string, unknown> | string[];
}

const read = (path: string) => readFileSync(`${ROOT}${path}`, 'utf8');
/** Seconds of a compose duration such as `20s`. */
const seconds = (value: string | undefined) => Number(/^(\d+)s$/.exec(value ?? '')?.[1] ?? 0);
/** The bot drains for at most this long on SIGTERM (runtime.stop's default). */
const DRAIN_S = 10;

describe('what the deployment files say (issue 27; the image itself is not built here: no base image can be pulled)', () => {
  const compose = parse(read('compose.yaml'), { merge: true }) as { services: Record<string, ComposeService> };
  const inProfile = (profile: string) => Object.entries(compose.services).filter(([, s]) => s.profiles?.includes(profile));

  it('compose.yaml: profile sqlite is one bot on a SQLite file on a volume; profile redis is two bots on Redis with AOF on, behind one callback address', () => {
    const sqlite = inProfile('sqlite');
    expect(sqlite.map(([name]) => name)).to.deep.equal(['bot']);
    const [, bot] = sqlite[0]!;
    expect(bot.environment?.STORE_URL).to.match(/^sqlite:\/\/\/data\//);
    expect(bot.volumes?.some((v) => v.endsWith(':/data'))).to.equal(true);

    const redis = inProfile('redis');
    const bots = redis.filter(([, s]) => s.environment?.STORE_URL?.startsWith('redis://'));
    expect(bots).to.have.length(2);
    const server = compose.services.redis!;
    expect(server.command?.join(' ')).to.contain('--appendonly yes').and.contain('--appendfsync always');
    expect(redis.map(([name]) => name)).to.include('callback');

    for (const [name, service] of [...sqlite, ...bots]) {
      expect(seconds(service.stop_grace_period), `${name}: stop grace longer than the drain`).to.be.above(DRAIN_S);
      expect(service.healthcheck?.test.join(' '), `${name}: healthcheck`).to.contain('/livez');
      for (const port of service.ports ?? []) expect(port, `${name}: published on loopback only`).to.match(/^127\.0\.0\.1:/);
      // Metrics on their own port, never published.
      expect(service.environment?.METRICS_PORT, name).to.match(/^\d+$/);
      expect((service.ports ?? []).some((p) => p.includes(service.environment!.METRICS_PORT!))).to.equal(false);
    }
  });

  it('Dockerfile: two stages, the last with dist/ and production dependencies only, non-root, a volume, a liveness healthcheck', () => {
    const file = read('Dockerfile');
    const stages = file.split(/^FROM /m).slice(1);
    expect(stages).to.have.length(2);
    const last = stages[1]!;
    expect(last).to.contain('npm ci --omit=dev').and.contain('COPY --from=build /app/dist ./dist');
    expect(last).not.to.match(/COPY (src|commands)\b/);
    expect(last).to.match(/^USER node$/m);
    expect(last).to.match(/^VOLUME \["\/data"\]$/m);
    expect(last).to.match(/^HEALTHCHECK [\s\S]*\/livez/m);
    expect(file).to.match(/^ARG NODE_IMAGE=node:22/m);
  });

  it('nginx: only /wecom/callback is reachable from outside, with the real client IP; systemd: a stop longer than the drain', () => {
    for (const conf of ['deploy/nginx.conf', 'deploy/nginx-compose.conf']) {
      const text = read(conf);
      expect(text, conf).to.contain('location = /wecom/callback');
      expect(text, conf).to.match(/location \/ \{\s*return 404;/);
      expect(text, conf).to.contain('X-Forwarded-For');
    }
    expect(read('deploy/nginx.conf')).to.contain('ssl_certificate');
    const unit = read('deploy/wecom-contact-ops.service');
    expect(unit).to.contain('KillSignal=SIGTERM');
    expect(Number(/TimeoutStopSec=(\d+)/.exec(unit)?.[1])).to.be.above(DRAIN_S);
    expect(unit).to.contain('ExecStart=/usr/bin/node --max-semi-space-size=4 --optimize-for-size dist/src/main.js');
  });
});
