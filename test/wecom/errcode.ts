import { WeComError } from '../../src/wecom/index.js';

/** The errcode a call failed with (0 when it succeeded). */
export async function errcodeOf(promise: Promise<unknown>): Promise<number> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof WeComError) return err.errcode;
    throw err;
  }
  return 0;
}
