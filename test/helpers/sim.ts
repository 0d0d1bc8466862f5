import { createSimulator, type Simulator, type SimulatorOptions } from '../../src/simulator/index.js';
import { createWeComClient, type WeComClient, type WeComClientOptions } from '../../src/wecom/index.js';

/** A simulator and a client pointed at it. */
export interface SimClient {
  sim: Simulator;
  client: WeComClient;
  close(): Promise<void>;
}

/** Starts a simulator (small demo corp unless told otherwise) and a client for it, with fast retries. */
export async function simClient(simOptions: SimulatorOptions = {}, clientOptions: Partial<WeComClientOptions> = {}): Promise<SimClient> {
  const sim = await createSimulator({ members: 10, customers: 300, seed: 7, ...simOptions });
  // WeCom blocks an API for a minute after 45009: the tests' client waits 50 ms instead (the simulator's own window stays a minute).
  const client = createWeComClient({ ...sim.wecomConfig(), backoffBaseMs: 5, frequencyWindowMs: 50, ...clientOptions });
  return {
    sim,
    client,
    async close() {
      await client.close();
      await sim.close();
    },
  };
}

/** The last request the simulator saw on `path`. */
export function lastCall(sim: Simulator, path: string) {
  const calls = sim.calls(path);
  const last = calls[calls.length - 1];
  if (!last) throw new Error(`no call to ${path}; saw ${sim.requests.map((r) => r.path).join(', ')}`);
  return last;
}
