/** WeCom refused what the 智能机器人 sent (an ack, or a response_url's answer, carried an errcode). */
export class AibotRefused extends Error {
  constructor(
    readonly errcode: number,
    errmsg: string,
  ) {
    super(`errcode ${errcode}: ${errmsg}`);
    this.name = 'AibotRefused';
  }
}
