import type { Captures } from './captures.js';
import type { CallbackSender } from './callbacks.js';
import type { Corp, SettledTransfer } from './corp.js';

/** What happens on the WeCom side besides API calls: members and customers acting, each sent to the bot as WeCom would. */
export class Scenarios {
  constructor(
    private readonly corp: Corp,
    private readonly captures: Captures,
    private readonly sender: CallbackSender,
  ) {}

  /** A member types `content` to the app. Resolves with the HTTP statuses of the `times` deliveries. */
  sendText(userid: string, content: string, times = 1): Promise<number[]> {
    return this.sender.deliver({ FromUserName: userid, MsgType: 'text', Content: content, MsgId: this.sender.nextMsgId() }, times);
  }

  /**
   * A customer adds a member: the link is created, a welcome code issued (valid 20 s), and add_external_contact sent
   * — or, with `half`, add_half_external_contact (the customer added a member who takes customers without
   * verification, who has not confirmed yet), which carries a welcome code too (doc 92130).
   */
  async addExternalContact(
    userid: string,
    opts: { externalUserId?: string; state?: string; withWelcomeCode?: boolean; times?: number; half?: boolean } = {},
  ): Promise<{ externalUserId: string; welcomeCode: string | undefined; statuses: number[] }> {
    const { corp } = this;
    corp.member(userid);
    const externalUserId = opts.externalUserId ?? corp.addCustomersTo(userid, 1)[0]!;
    if (!corp.hasCustomer(externalUserId)) throw new Error(`unknown customer ${externalUserId}`);
    if (!corp.isFollowing(userid, externalUserId)) {
      corp.addFollow({
        userid,
        external_userid: externalUserId,
        remark: '',
        description: '',
        createtime: corp.nowSeconds(),
        tagIds: [],
        remark_corp_name: '',
        remark_mobiles: [],
        add_way: opts.state ? 1 : 3,
        state: opts.state ?? '',
        oper_userid: externalUserId,
      });
    }
    let welcomeCode: string | undefined;
    // The console's own welcome message takes the code: the event carries none (doc 92137).
    if (opts.withWelcomeCode !== false && !corp.welcome.consoleWelcome) {
      welcomeCode = corp.newId('WC', 40);
      corp.welcomeCodes.set(welcomeCode, {
        code: welcomeCode,
        userid,
        external_userid: externalUserId,
        expiresAt: corp.now() + corp.timing.welcomeCodeTtlMs,
        // Another app greeting first uses it up; with 会话存档 it is refused until the customer agrees.
        used: corp.welcome.otherAppFirst,
        ...(corp.welcome.archiveConsent ? { awaitingConsent: true } : {}),
      });
    }
    const statuses = await this.sender.deliver(
      {
        FromUserName: 'sys',
        MsgType: 'event',
        Event: 'change_external_contact',
        ChangeType: opts.half ? 'add_half_external_contact' : 'add_external_contact',
        UserID: userid,
        ExternalUserID: externalUserId,
        State: opts.state,
        WelcomeCode: welcomeCode,
      },
      opts.times ?? 1,
    );
    return { externalUserId, welcomeCode, statuses };
  }

  /**
   * With 会话存档: the customer agrees to the service notice, and WeCom sends msg_audit_approved with a welcome code
   * that can now be used (valid 20 s).
   */
  async approveArchive(userid: string, externalUserId: string): Promise<{ welcomeCode: string; statuses: number[] }> {
    const { corp } = this;
    const welcomeCode = corp.newId('WC', 40);
    corp.welcomeCodes.set(welcomeCode, {
      code: welcomeCode,
      userid,
      external_userid: externalUserId,
      expiresAt: corp.now() + corp.timing.welcomeCodeTtlMs,
      used: false,
    });
    const statuses = await this.sender.deliver({
      FromUserName: 'sys',
      MsgType: 'event',
      Event: 'change_external_contact',
      ChangeType: 'msg_audit_approved',
      UserID: userid,
      ExternalUserID: externalUserId,
      WelcomeCode: welcomeCode,
    });
    return { welcomeCode, statuses };
  }

  /** A member clicks a button of a card the bot sent: template_card_event with a fresh response_code. */
  clickCard(userid: string, taskId: string, eventKey: string, times = 1): Promise<number[]> {
    const message = this.captures.cardsByTaskId.get(taskId);
    const code = this.captures.issueResponseCode(taskId, [userid], this.corp.now());
    return this.sender.deliver(
      {
        FromUserName: userid,
        MsgType: 'event',
        Event: 'template_card_event',
        EventKey: eventKey,
        TaskId: taskId,
        CardType: message?.card?.card_type ?? 'button_interaction',
        ResponseCode: code,
      },
      times,
    );
  }

  /**
   * What WeCom sends when transfers settle (doc 92130): a takeover sends add_external_contact for the takeover member
   * (with no WelcomeCode: the customer is not new) and del_external_contact with Source DELETE_BY_TRANSFER for the
   * handover member; a refusal or a takeover without room sends transfer_fail. Nothing without a bot to call.
   */
  async settled(settled: readonly SettledTransfer[]): Promise<void> {
    if (!this.sender.botUrl) return;
    for (const { transfer, outcome } of settled) {
      const base = { FromUserName: 'sys', MsgType: 'event', Event: 'change_external_contact', ExternalUserID: transfer.external_userid };
      if (outcome === 'done') {
        await this.sender.deliver({ ...base, ChangeType: 'add_external_contact', UserID: transfer.takeover });
        await this.sender.deliver({ ...base, ChangeType: 'del_external_contact', UserID: transfer.handover, Source: 'DELETE_BY_TRANSFER' });
      } else {
        const reason = outcome === 'refused' ? 'customer_refused' : 'customer_limit_exceed';
        await this.sender.deliver({ ...base, ChangeType: 'transfer_fail', UserID: transfer.takeover, FailReason: reason });
      }
    }
  }

  /** A waiting transfer fails (customer refused or takeover full) and transfer_fail is sent. */
  failTransfer(externalUserId: string, reason: 'customer_refused' | 'customer_limit_exceed'): Promise<number[]> {
    const transfer = this.corp.failTransfer(externalUserId, reason);
    return this.sender.deliver({
      FromUserName: 'sys',
      MsgType: 'event',
      Event: 'change_external_contact',
      ChangeType: 'transfer_fail',
      UserID: transfer.takeover,
      ExternalUserID: externalUserId,
      FailReason: reason,
    });
  }

  /**
   * A customer deletes a member (removes them from their WeChat): del_follow_user is sent. The member keeps the
   * customer on their side, one-way, so WeCom still gives the customer's details with the member's remark and tags.
   * Without `externalUserId`, one of the member's customers.
   */
  async customerDeletesMember(userid: string, opts: { externalUserId?: string; times?: number } = {}): Promise<{ externalUserId: string; statuses: number[] }> {
    const externalUserId = opts.externalUserId ?? this.corp.followPage(userid, 0, 1)[0]?.external_userid;
    if (!externalUserId) throw new Error(`${userid} has no customer`);
    this.corp.follow(userid, externalUserId);
    const statuses = await this.sender.deliver(
      {
        FromUserName: 'sys',
        MsgType: 'event',
        Event: 'change_external_contact',
        ChangeType: 'del_follow_user',
        UserID: userid,
        ExternalUserID: externalUserId,
      },
      opts.times ?? 1,
    );
    return { externalUserId, statuses };
  }

  /** A member deletes a customer: the link goes, and del_external_contact is sent (no Source: not a transfer). */
  async memberDeletesCustomer(userid: string, externalUserId: string, times = 1): Promise<number[]> {
    this.corp.follow(userid, externalUserId);
    this.corp.removeFollow(userid, externalUserId);
    return this.sender.deliver(
      {
        FromUserName: 'sys',
        MsgType: 'event',
        Event: 'change_external_contact',
        ChangeType: 'del_external_contact',
        UserID: userid,
        ExternalUserID: externalUserId,
      },
      times,
    );
  }

  /**
   * The owner dismisses a customer group chat: it is gone (groupchat/get answers 86003, the stricter reading of doc
   * 92122, which does not say), and change_external_chat with ChangeType dismiss is sent.
   */
  dismissChat(chatId: string, times = 1): Promise<number[]> {
    if (!this.corp.groupChats.delete(chatId)) throw new Error(`unknown group chat ${chatId}`);
    return this.sender.deliver({ FromUserName: 'sys', MsgType: 'event', Event: 'change_external_chat', ChangeType: 'dismiss', ChatId: chatId }, times);
  }
}
