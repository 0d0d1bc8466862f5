/** The envelope of every WeCom API answer. */
export interface WeComResponse {
  errcode: number;
  errmsg: string;
}
