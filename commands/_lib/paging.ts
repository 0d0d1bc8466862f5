import { UserError, type CommandContext } from '../../src/bot/command.js';

/**
 * The footer of a paged list: where you are and the command for the next page, or that this is the last page; none
 * for a list of one page.
 */
export function pageFooter(ctx: Pick<CommandContext, 't'>, page: number, pages: number, next: string): string | undefined {
  if (pages <= 1) return undefined;
  return page < pages ? ctx.t('common.page', { page, pages, next }) : ctx.t('common.lastPage', { page, pages });
}

/**
 * Refuses a page past the end, saying how many there are (never a silent first page or a WeCom error).
 * @throws UserError naming the pages and the items.
 */
export function requirePage(requested: number, pages: number, total: number): void {
  if (requested > pages) throw new UserError('common.pageBeyond', { page: requested, pages, total });
}
