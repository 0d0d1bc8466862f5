/** What one member keeps about one customer. */
export interface SimFollow {
  userid: string;
  external_userid: string;
  remark: string;
  description: string;
  createtime: number;
  tagIds: string[];
  remark_corp_name: string;
  remark_mobiles: string[];
  add_way: number;
  state: string;
  oper_userid: string;
}
