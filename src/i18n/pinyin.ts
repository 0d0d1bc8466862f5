import { pinyin } from 'pinyin-pro';

/**
 * How a name sounds, in toneless pinyin without spaces (李四 → lisi, 張三 → zhangsan, "Zhang San" → zhangsan), so a
 * homophone typo (李思) or a name typed in pinyin comes out near the name it means. pinyin-pro reads both scripts.
 */
export function soundOf(text: string): string {
  return pinyin(text.trim(), { toneType: 'none', type: 'array', nonZh: 'consecutive' })
    .join('')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}
