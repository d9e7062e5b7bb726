/**
 * The items of a message that lists choices in one string. Chinese messages separate them with
 * “、”, English ones with “;” (an English screen shows no CJK punctuation; “|” is vue-i18n's
 * plural mark); either is accepted.
 */
export const messageList = (s: string): string[] => s.split(/[、;]/).map((x) => x.trim())
