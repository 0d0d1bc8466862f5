import type { ButtonInteractionCard } from '../../wecom/types/index.js';
import type { AibotTemplateCard } from '../../wecom/types/aibot.js';

/**
 * An app card as the 智能机器人 sends it (doc 101031): title, rows and buttons carry over; the app's own fields (its
 * source, a button selection) do not.
 */
export function toAibotCard(card: ButtonInteractionCard): AibotTemplateCard {
  if (!card.task_id) throw new Error('a card with buttons needs a task_id');
  return {
    card_type: 'button_interaction',
    task_id: card.task_id,
    main_title: { title: card.main_title?.title ?? '', ...(card.main_title?.desc ? { desc: card.main_title.desc } : {}) },
    ...(card.sub_title_text ? { sub_title_text: card.sub_title_text } : {}),
    ...(card.horizontal_content_list
      ? { horizontal_content_list: card.horizontal_content_list.map((row) => ({ keyname: row.keyname, value: row.value ?? '' })) }
      : {}),
    button_list: card.button_list.map((b) => ({ text: b.text, key: b.key ?? b.text, ...(b.style ? { style: b.style } : {}) })),
  };
}

/** The card after a decision: the same task_id and title, the buttons replaced by what became of it. */
export function decidedCard(card: AibotTemplateCard, outcome: string): AibotTemplateCard {
  return {
    card_type: 'text_notice',
    task_id: card.task_id,
    main_title: card.main_title,
    sub_title_text: outcome,
    ...(card.horizontal_content_list ? { horizontal_content_list: card.horizontal_content_list } : {}),
  };
}
