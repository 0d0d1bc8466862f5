import type { Simulator } from '../simulator/index.js';

/** One message a customer of the demo corp received: a welcome message, or a mass message a member sent. */
export interface ReceivedMessage {
  kind: 'welcome' | 'broadcast';
  /** Milliseconds. */
  at: number;
  member: string;
  customer: string;
  text: string;
  /** Links, images and mini programs sent with it. */
  attachments: number;
}

/** What customers received, newest first, at most `limit`: welcome messages sent and mass messages delivered. */
export function receivedMessages(sim: Simulator, limit = 50): ReceivedMessage[] {
  const { corp } = sim;
  const nameOf = (id: string) => corp.findCustomer(id)?.name ?? id;
  const memberOf = (userid: string) => corp.members.get(userid)?.name ?? userid;
  const welcomes = corp.welcomesSent.map(
    (w): ReceivedMessage => ({
      kind: 'welcome',
      at: w.at,
      member: memberOf(w.userid),
      customer: nameOf(w.external_userid),
      text: w.text?.content ?? '',
      attachments: w.attachments?.length ?? 0,
    }),
  );
  const broadcasts = [...corp.msgTemplates.values()].flatMap((msg) =>
    msg.targets
      .filter((t) => t.status === 1)
      .map(
        (t): ReceivedMessage => ({
          kind: 'broadcast',
          at: (t.send_time ?? msg.create_time) * 1000,
          member: memberOf(t.userid),
          customer: nameOf(t.external_userid),
          text: msg.text?.content ?? '',
          attachments: msg.attachments?.length ?? 0,
        }),
      ),
  );
  return [...welcomes, ...broadcasts].sort((a, b) => b.at - a.at).slice(0, limit);
}

/** A member confirms, in the WeCom client, every mass message still waiting for them (WeCom sends nothing before). */
export function confirmWaitingBroadcasts(sim: Simulator, userid: string): number {
  let confirmed = 0;
  for (const msg of sim.corp.msgTemplates.values()) {
    if (msg.tasks.get(userid)?.status === 0) {
      sim.corp.confirmMassMessage(msg.msgid, userid);
      confirmed++;
    }
  }
  return confirmed;
}
